"""Which database to use and how to talk to it safely.

SQLite is the default: one file under the user's data directory, in WAL mode
with foreign keys enforced.  Python's sqlite3 module opens transactions lazily,
which lets two writers both read and then collide on upgrade to a write lock;
we take over `BEGIN` so that write sessions start with `BEGIN IMMEDIATE` and
queue on the busy timeout instead.  PostgreSQL is reached through psycopg 3.
"""
from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import platformdirs
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError
from sqlalchemy.orm import Session

from jurist.db.errors import StoreUnavailable

ENV_VAR = "JURIST_DB"
_WRITE = "jurist_write"
BUSY_TIMEOUT_MS = 15_000


def default_url() -> str:
    """The per-user SQLite file, e.g. ~/.local/share/jurist/jurist.db on Linux."""
    path = Path(platformdirs.user_data_dir("jurist", appauthor=False)) / "jurist.db"
    path.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{path}"


def resolve_url(url: str | None = None) -> str:
    """`url`, else $JURIST_DB, else the default file; bare paths mean SQLite files."""
    chosen = url or os.environ.get(ENV_VAR) or default_url()
    if "://" not in chosen:
        return f"sqlite:///{Path(chosen).expanduser().resolve()}"
    for plain in ("postgresql://", "postgres://"):
        if chosen.startswith(plain):
            return "postgresql+psycopg://" + chosen[len(plain):]
    return chosen


def describe(url: str) -> str:
    """The URL without its password, for messages."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url


def create_store_engine(url: str) -> Engine:
    """An engine configured for the store; raises StoreUnavailable on a bad URL."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise StoreUnavailable(f"`{url}` is not a database URL (try sqlite:////path/to/file.db "
                               "or postgresql+psycopg://user@host/db)") from None
    try:
        if parsed.get_backend_name() == "sqlite":
            if parsed.database in (None, "", ":memory:"):
                raise StoreUnavailable("the store needs a SQLite file, not an in-memory database")
            engine = create_engine(parsed, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
            _configure_sqlite(engine)
            return engine
        if parsed.get_backend_name() == "postgresql":
            return create_engine(parsed, pool_pre_ping=True)
    except (NoSuchModuleError, ImportError) as exc:
        raise StoreUnavailable(f"no driver for `{describe(url)}`: {exc}") from None
    raise StoreUnavailable(f"unsupported database `{parsed.get_backend_name()}`; use SQLite or PostgreSQL")


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            cursor.execute("PRAGMA foreign_keys = ON")
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = FULL")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection) -> None:  # type: ignore[no-untyped-def]
        write = connection.get_execution_options().get(_WRITE, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def writer(engine: Engine) -> Engine:
    """The same engine, marked so SQLite transactions take the write lock up front."""
    return engine.execution_options(**{_WRITE: True})


@contextmanager
def read_session(engine: Engine) -> Iterator[Session]:
    """A session in one read transaction, rolled back at the end."""
    with translate_errors(engine), Session(engine, expire_on_commit=False) as session:
        with session.begin():
            yield session


@contextmanager
def write_session(engine: Engine) -> Iterator[Session]:
    """A session in one write transaction: committed on success, rolled back on any error."""
    with translate_errors(engine), Session(writer(engine), expire_on_commit=False) as session:
        with session.begin():
            yield session


@contextmanager
def translate_errors(engine: Engine) -> Iterator[None]:
    """Turn driver failures that mean 'this database is unusable' into StoreUnavailable."""
    try:
        yield
    except DBAPIError as exc:
        message = unusable_reason(exc)
        if message is None:
            raise
        raise StoreUnavailable(f"cannot use `{engine.url.render_as_string(hide_password=True)}`: {message}") from None


def unusable_reason(exc: DBAPIError) -> str | None:
    """A one-line reason when `exc` says the database cannot be used, else None."""
    text = str(exc.orig).strip().splitlines()[0] if exc.orig is not None else str(exc)
    lowered = text.lower()
    if "file is not a database" in lowered:
        return "the file is not a SQLite database (is it another program's file?)"
    if "malformed" in lowered or "disk i/o error" in lowered or "corrupt" in lowered:
        return f"the database file is damaged ({text}); restore it from a backup"
    if "unable to open database file" in lowered:
        return "cannot open the database file (does its folder exist and is it writable?)"
    if "readonly database" in lowered or "read-only" in lowered:
        return "the database is read-only"
    if exc.connection_invalidated or "connection" in lowered and ("refused" in lowered or "failed" in lowered):
        return f"cannot connect ({text})"
    if "database is locked" in lowered:
        return "the database is locked by another process; try again"
    if "does not exist" in lowered and "database" in lowered:
        return text
    return None
