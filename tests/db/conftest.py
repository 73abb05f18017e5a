"""Fixtures for the store's tests: a real PostgreSQL cluster and store factories.

The cluster is the test run's own: initdb into a fresh directory, a Unix
socket in that directory and no TCP port, started once per session and
stopped at the end.  initdb refuses to run as root, so as root the server runs
as the `postgres` account (created by Debian's package) or a `jurist-pg`
account created for the purpose.  Each test gets a fresh database cloned from
a template already migrated to head.
"""
from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

import pytest

from jurist.db.connection import create_store_engine
from jurist.db.migrate import ensure_schema
from jurist.db.service import Store

from store_support import Team, compile_check


def postgres_bindir() -> Path | None:
    """Where initdb and pg_ctl live: PATH, else Debian's versioned directory."""
    found = shutil.which("initdb")
    if found and shutil.which("pg_ctl"):
        return Path(found).resolve().parent
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                        key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0)
    return Path(candidates[-1]).parent if candidates else None


def _server_account() -> tuple[int, int] | None:
    """(uid, gid) to run the server as; None to run as ourselves (not root)."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "jurist-pg"):
        try:
            entry = pwd.getpwnam(name)
            return entry.pw_uid, entry.pw_gid
        except KeyError:
            continue
    subprocess.run(["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", "jurist-pg"],
                   check=True)
    entry = pwd.getpwnam("jurist-pg")
    return entry.pw_uid, entry.pw_gid


@dataclass
class Cluster:
    root: Path
    bindir: Path
    account: tuple[int, int] | None

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://jurist@/{database}?host={self.root}"

    def admin_sql(self, *statements: str) -> None:
        import psycopg

        with psycopg.connect(host=str(self.root), user="jurist", dbname="postgres", autocommit=True) as conn:
            for statement in statements:
                conn.execute(statement)  # type: ignore[arg-type]


def _run_as(account: tuple[int, int] | None, argv: list[str], cwd: Path) -> None:
    kwargs = {} if account is None else {"user": account[0], "group": account[1], "extra_groups": []}
    result = subprocess.run(argv, cwd=cwd, capture_output=True, text=True, **kwargs)  # type: ignore[call-overload]
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} failed:\n{result.stdout}\n{result.stderr}")


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[Cluster | None]:
    bindir = postgres_bindir()
    try:
        import psycopg  # noqa: F401
    except ImportError:
        bindir = None
    if bindir is None:
        yield None
        return
    account = _server_account()
    root = Path(tempfile.mkdtemp(prefix="jurist-pg-"))
    if account is not None:
        os.chown(root, *account)
    data = root / "data"
    cluster = Cluster(root, bindir, account)
    _run_as(account, [str(bindir / "initdb"), "-D", str(data), "-U", "jurist", "--auth=trust",
                      "-E", "UTF8", "--locale=C", "--no-sync"], root)
    options = f"-c listen_addresses='' -c unix_socket_directories='{root}' -c fsync=off " \
              "-c full_page_writes=off -c synchronous_commit=off -c max_connections=60"
    _run_as(account, [str(bindir / "pg_ctl"), "-D", str(data), "-l", str(root / "server.log"),
                      "-o", options, "-w", "-t", "60", "start"], root)
    try:
        cluster.admin_sql("CREATE DATABASE jurist_template")
        engine = create_store_engine(cluster.url("jurist_template"))
        ensure_schema(engine, create=True)
        engine.dispose()
        yield cluster
    finally:
        _run_as(account, [str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"], root)
        shutil.rmtree(root, ignore_errors=True)


def _need(cluster: Cluster | None) -> Cluster:
    if cluster is None:
        message = "PostgreSQL server binaries (initdb, pg_ctl) or psycopg not found; run `make postgres`"
        if os.environ.get("CI") or os.environ.get("JURIST_REQUIRE_POSTGRES"):
            pytest.fail(message + " (CI must test the store on PostgreSQL too)")
        pytest.skip(message)
    return cluster


@pytest.fixture
def pg_database(pg_cluster: Cluster | None) -> Iterator[Callable[[bool], str]]:
    """Makes fresh databases (migrated from the template, or empty); drops them afterwards."""
    cluster = _need(pg_cluster)
    made: list[str] = []

    def make(migrated: bool = True) -> str:
        name = f"t_{uuid.uuid4().hex[:12]}"
        template = "jurist_template" if migrated else "template0"
        cluster.admin_sql(f"CREATE DATABASE {name} TEMPLATE {template}")
        made.append(name)
        return cluster.url(name)

    yield make
    for name in made:
        cluster.admin_sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture(autouse=True)
def os_login_is_admin(monkeypatch: pytest.MonkeyPatch) -> None:
    """The CLI acts as the OS login (getpass reads $LOGNAME first); make it the stores' admin."""
    monkeypatch.setenv("LOGNAME", "admin")


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def url(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    """A fresh, empty store on the backend under test."""
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'store.db'}"
    return request.getfixturevalue("pg_database")(True)


@pytest.fixture
def open_store(url: str) -> Iterator[Callable[[str], Store]]:
    """Opens the store as a given login; closes every handle at the end."""
    opened: list[Store] = []

    def open_as(login: str) -> Store:
        store = Store.open(url, login=login, create=True, check=compile_check)
        opened.append(store)
        return store

    yield open_as
    for store in opened:
        store.close()


@pytest.fixture
def team(open_store: Callable[[str], Store]) -> Team:
    admin = open_store("admin")  # first login on an empty store becomes its admin
    for name, role in (("erin", "editor"), ("alice", "approver"), ("bob", "approver"), ("vic", "viewer")):
        admin.add_user(name, role)
    return Team(admin, open_store("erin"), open_store("alice"), open_store("bob"), open_store("vic"))
