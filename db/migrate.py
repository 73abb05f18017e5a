"""Bring a database to the schema this code expects, from code.

Every entry point (service, loader, `jurist db upgrade`) calls
`ensure_schema`, so users never run migrations by hand.  Before touching
anything it checks the database is ours: a database with tables but no Jurist
schema version is someone else's, and a revision we do not know comes from a
newer Jurist.  Either way we refuse with a clear message instead of writing
(SQLite's switch to WAL, which rewrites the file header, comes after these
checks).  An empty database becomes a store only when the caller may create one.
"""
from __future__ import annotations

from functools import lru_cache
from importlib.resources import as_file, files

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, inspect, text

from jurist.db.connection import translate_errors, use_wal, writer
from jurist.db.errors import NoStore, StoreUnavailable

VERSION_TABLE = "jurist_schema_version"
_PG_LOCK_KEY = 0x4A55524953  # "JURIS": serialises concurrent upgrades on PostgreSQL


def alembic_config() -> Config:
    """Alembic's configuration, read from the alembic.ini shipped in the package."""
    with as_file(files("jurist.db") / "alembic.ini") as ini:
        config = Config(str(ini))
    config.set_main_option("script_location", "jurist.db:migrations")
    return config


@lru_cache(maxsize=1)
def _script() -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config())


def head_revision() -> str:
    """The newest revision shipped with this code."""
    heads = _script().get_heads()
    if len(heads) != 1:
        raise RuntimeError(f"migrations have {len(heads)} heads: {heads}")
    return heads[0]


def current_revision(connection: Connection) -> str | None:
    """The revision the database is at, or None when it has no Jurist schema."""
    context = MigrationContext.configure(connection, opts={"version_table": VERSION_TABLE})
    heads = context.get_current_heads()
    return heads[0] if heads else None


def _known(revision: str) -> bool:
    try:
        return _script().get_revision(revision) is not None
    except Exception:  # alembic raises several types for unknown ids
        return False


def ensure_schema(engine: Engine, *, create: bool = False) -> str:
    """Upgrade the database to head if needed; return the revision it is at.

    Without `create`, a database with no Jurist schema at all is refused
    (NoStore) instead of being turned into an empty store.
    """
    url = engine.url.render_as_string(hide_password=True)
    head = head_revision()
    with translate_errors(engine):
        with engine.connect() as connection:
            current = _revision_or_raise(connection, url)
        if current is None and not create:
            raise NoStore(f"no Jurist store at {url}; run `jurist db upgrade --db {url}` to create one")
        if current != head:
            with writer(engine).begin() as connection:
                if connection.dialect.name == "postgresql":
                    connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK_KEY})
                if _revision_or_raise(connection, url) != head:
                    config = alembic_config()
                    config.attributes["connection"] = connection
                    command.upgrade(config, "head")
        use_wal(engine)
    return head


def _revision_or_raise(connection: Connection, url: str) -> str | None:
    tables = set(inspect(connection).get_table_names())
    if VERSION_TABLE not in tables:
        if tables:
            shown = ", ".join(f"`{t}`" for t in sorted(tables)[:4])
            raise StoreUnavailable(f"`{url}` is not a Jurist store: it holds other tables ({shown}) "
                                   "and no Jurist schema version; point --db at a new file or an empty database")
        return None
    revision = current_revision(connection)
    if revision is not None and not _known(revision):
        raise StoreUnavailable(f"`{url}` has schema revision `{revision}`, unknown to this version of Jurist "
                               "(was it written by a newer Jurist?)")
    return revision


def upgrade(engine: Engine, target: str = "head") -> None:
    """Step the schema up to `target` without the ownership checks; used by the migration tests."""
    with writer(engine).begin() as connection:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.upgrade(config, target)


def downgrade(engine: Engine, target: str = "base") -> None:
    """Step the schema down to `target`; used by the migration tests."""
    with writer(engine).begin() as connection:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.downgrade(config, target)
