"""Which database to use and how to talk to it safely.

SQLite is the default: one file under the user's data directory, in WAL mode
with foreign keys enforced.  Python's sqlite3 module opens transactions lazily,
which lets two writers both read and then collide on upgrade to a write lock;
we take over `BEGIN` so that write sessions start with `BEGIN IMMEDIATE` and
queue on the busy timeout instead.  PostgreSQL is reached through psycopg 3.
"""
from __future__ import annotations

import os
import sqlite3
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator
from urllib.parse import quote

import platformdirs
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError
from sqlalchemy.orm import Session

from jurist.db.errors import InvalidInput, NoStore, StoreUnavailable

ENV_VAR = "JURIST_DB"
_WRITE = "jurist_write"
_READ_ONLY = "jurist_read_only"
BUSY_TIMEOUT_MS = 15_000
SQLITE_PARAMETERS = ("timeout",)


def default_path() -> Path:
    """The per-user SQLite file, e.g. ~/.local/share/jurist/jurist.db on Linux."""
    return Path(platformdirs.user_data_dir("jurist", appauthor=False)) / "jurist.db"


def default_url() -> str:
    return f"sqlite:///{default_path()}"


def resolve_url(url: str | None = None) -> str:
    """`url`, else $JURIST_DB, else the default file; bare paths mean SQLite files.

    An empty `url` is an error rather than "use the default": `--db ''` from a
    script whose variable was unset must not silently open the personal store.
    """
    if url is not None and not url.strip():
        raise InvalidInput("the database URL is empty; give a URL such as sqlite:////path/to/jurist.db or a file "
                           "path, or leave --db out to use the default store")
    chosen = url or os.environ.get(ENV_VAR) or default_url()
    if "://" not in chosen:
        return f"sqlite:///{Path(chosen).expanduser().resolve()}"
    for plain in ("postgresql://", "postgres://"):
        if chosen.startswith(plain):
            return "postgresql+psycopg://" + chosen[len(plain):]
    return chosen


def is_read_only(engine: Engine) -> bool:
    """Whether the engine opened a SQLite file read-only (the file or its folder is not writable)."""
    return bool(engine.get_execution_options().get(_READ_ONLY, False))


def create_store_engine(url: str, *, create: bool = False) -> Engine:
    """An engine configured for the store; raises StoreUnavailable on a bad URL.

    Only `create=True` may bring a new SQLite file into being; otherwise a
    missing file is refused before SQLite can create it, so a typo never
    becomes an empty store that "verifies".
    """
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise StoreUnavailable(f"`{url}` is not a database URL (try sqlite:////path/to/file.db "
                               "or postgresql+psycopg://user@host/db)") from None
    if "#" in url and not (parsed.get_backend_name() == "sqlite" and Path(parsed.database or "").exists()):
        raise InvalidInput(f"`{url}` contains `#`: `#name` picks a ruleset only in jurist.load() and --rules; "
                           f"give the database alone here, e.g. `{url.partition('#')[0]}`")
    try:
        if parsed.get_backend_name() == "sqlite":
            return _sqlite_engine(parsed, create)
        if parsed.get_backend_name() == "postgresql":
            return create_engine(parsed, pool_pre_ping=True)
    except (NoSuchModuleError, ImportError) as exc:
        raise StoreUnavailable(f"no driver for `{parsed.render_as_string(hide_password=True)}`: {exc}") from None
    raise StoreUnavailable(f"unsupported database `{parsed.get_backend_name()}`; use SQLite or PostgreSQL")


def _sqlite_engine(parsed: URL, create: bool) -> Engine:
    if parsed.database in (None, "", ":memory:") or parsed.database.startswith("file:"):
        raise StoreUnavailable("the store needs a SQLite file, not an in-memory database or a URI")
    path = Path(parsed.database).expanduser()
    timeout = _sqlite_timeout(parsed)
    if not path.exists():
        if not create:
            raise NoStore(f"no Jurist store at {path}; run `jurist db upgrade --db "
                          f"{parsed.render_as_string(hide_password=True)}` to create one")
        if path == default_path():
            path.parent.mkdir(parents=True, exist_ok=True)
    read_only = path.exists() and not (writable(path) and writable(path.parent))
    target = quote(str(path.absolute()))
    if read_only:
        # Without a WAL file to read and a folder for the shared-memory file, SQLite can
        # read the file only as immutable: right for an archived copy, not for a live store.
        immutable = not writable(path.parent) and not Path(f"{path}-wal").exists()
        uri = f"file:{target}?mode=ro" + ("&immutable=1" if immutable else "")
    else:
        uri = f"file:{target}?mode={'rwc' if create else 'rw'}"

    def connect() -> sqlite3.Connection:
        return sqlite3.connect(uri, uri=True, timeout=timeout, check_same_thread=False)

    engine = create_engine(parsed.set(query={}), creator=connect)
    _configure_sqlite(engine)
    if read_only:
        engine.update_execution_options(**{_READ_ONLY: True})
    return engine


def writable(path: Path) -> bool:
    """Whether this process may write `path` (a file, or a folder to create files in)."""
    return os.access(path, os.W_OK)


def _sqlite_timeout(parsed: URL) -> float:
    """The busy timeout in seconds: `?timeout=S`, else the default; any other parameter is refused."""
    unknown = sorted(set(parsed.query) - set(SQLITE_PARAMETERS))
    if unknown:
        raise InvalidInput(f"unknown parameter `{unknown[0]}` in the SQLite URL; the store accepts only "
                           "`timeout` (seconds to wait for a lock)")
    raw = parsed.query.get("timeout")
    if raw is None:
        return BUSY_TIMEOUT_MS / 1000
    try:
        value = float(raw if isinstance(raw, str) else raw[-1])
    except ValueError:
        value = -1.0
    if not 0 <= value <= 3600:
        raise InvalidInput(f"URL parameter `timeout` must be a number of seconds between 0 and 3600, not `{raw}`")
    return value


def _configure_sqlite(engine: Engine) -> None:
    """Per-connection settings that never write to the file; WAL is switched on later, by
    `use_wal`, and only once the file is known to be a Jurist store."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("PRAGMA foreign_keys = ON")
            cursor.execute("PRAGMA synchronous = FULL")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection) -> None:  # type: ignore[no-untyped-def]
        write = connection.get_execution_options().get(_WRITE, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def use_wal(engine: Engine) -> None:
    """Put a SQLite store we own into WAL mode (a no-op when it already is, or is read-only)."""
    if engine.dialect.name != "sqlite" or is_read_only(engine):
        return
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        try:
            if cursor.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                cursor.execute("PRAGMA journal_mode = WAL")
        finally:
            cursor.close()
    finally:
        raw.close()


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
        return "the database is read-only (the file or its folder is not writable); this needs write access"
    if "invalid connection option" in lowered or "invalid uri query parameter" in lowered:
        return f"a parameter of the database URL is not understood ({text})"
    if exc.connection_invalidated or "connection" in lowered and ("refused" in lowered or "failed" in lowered):
        return f"cannot connect ({text})"
    if "database is locked" in lowered:
        return "the database is locked by another process; try again"
    if "does not exist" in lowered and "database" in lowered:
        return text
    return None
