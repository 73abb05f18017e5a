"""Only `db upgrade`, `user add` and `ruleset import` may create a store; everything else refuses.

A typo in a path used to become a new, empty store that "verified"; these run
the real `jurist` command and check that no file appears.
"""
from __future__ import annotations

from pathlib import Path

import pytest

import jurist as jurist_api
from jurist.db.errors import NoStore

from store_support import GOOD_POLICY, cli, jurist


def _no_store_message(path: Path) -> str:
    return (f"no Jurist store at {path}; run `jurist db upgrade --db sqlite:///{path}` to create one")


@pytest.mark.parametrize("argv", [
    ("audit", "verify"), ("audit", "log"), ("ruleset", "list"), ("ruleset", "log", "global"),
    ("ruleset", "diff", "global", "1", "2"), ("ruleset", "publish", "global"), ("user", "list"),
])
def test_read_commands_refuse_a_missing_file_and_create_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                                argv: tuple[str, ...]) -> None:
    typo = tmp_path / "typo.db"
    assert cli(*argv, "--db", f"sqlite:///{typo}") == 2
    assert capsys.readouterr().err == f"jurist: error: {_no_store_message(typo)}\n"
    assert list(tmp_path.iterdir()) == []


def test_audit_verify_on_a_typo_in_a_real_process(tmp_path: Path) -> None:
    typo = tmp_path / "typo.db"
    result = jurist("audit", "verify", "--db", str(typo))
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == f"jurist: error: {_no_store_message(typo)}\n"
    assert list(tmp_path.iterdir()) == []


def test_fragment_in_db_gets_a_hint_and_creates_nothing(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/a.db#global"
    for argv in (("audit", "verify"), ("db", "upgrade")):
        result = jurist(*argv, "--db", url)
        assert result.returncode == 2
        assert result.stderr == (f"jurist: error: `{url}` contains `#`: `#name` picks a ruleset only in jurist.load() and "
                                 f"--rules; give the database alone here, e.g. `sqlite:///{tmp_path}/a.db`\n")
    assert list(tmp_path.iterdir()) == []


def test_empty_db_is_an_error_not_the_default_store(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JURIST_DB", f"sqlite:///{tmp_path}/default.db")
    assert cli("db", "upgrade", "--db", "") == 2
    assert capsys.readouterr().err.startswith("jurist: error: the database URL is empty; ")
    assert list(tmp_path.iterdir()) == []


def test_jurist_load_refuses_a_missing_file_without_creating_it(tmp_path: Path) -> None:
    typo = tmp_path / "typo.db"
    with pytest.raises(NoStore, match=f"^no Jurist store at {typo}; "):
        jurist_api.load(f"sqlite:///{typo}#global")
    assert not typo.exists()


@pytest.mark.parametrize("argv", [("test", "{url}#global"), ("serve", "--rules", "{url}#global", "--port", "0"),
                                  ("decide", "--rules", "{url}#global", "--request", "-")])
def test_engine_commands_refuse_a_missing_store(tmp_path: Path, argv: tuple[str, ...]) -> None:
    url = f"sqlite:///{tmp_path}/typo.db"
    result = jurist(*(a.format(url=url) for a in argv), timeout=60)
    assert result.returncode == 2 and "no Jurist store at" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_bad_import_writes_nothing_not_even_a_store(tmp_path: Path) -> None:
    target = tmp_path / "new.db"
    for argv in (("/definitely/not/here", "--name", "x"),
                 (str(tmp_path), "--name", "x"),  # holds no *.policy files
                 (str(tmp_path), "--name", "bad name"),
                 (str(tmp_path), "--name", "x", "--jurisdiction", "gb")):
        assert cli("ruleset", "import", *argv, "--db", str(target)) == 2
    assert not target.exists()


def test_creating_commands_create(tmp_path: Path) -> None:
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "gb.policy").write_text(GOOD_POLICY)
    for name, argv in (("a.db", ("db", "upgrade")), ("b.db", ("user", "add", "erin", "--role", "editor")),
                       ("c.db", ("ruleset", "import", str(tmp_path / "rules"), "--name", "gb"))):
        assert cli(*argv, "--db", str(tmp_path / name)) == 0
        assert cli("audit", "verify", "--db", str(tmp_path / name)) == 0


def test_an_empty_database_is_not_a_store_for_read_commands(empty_store_url: str,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    assert cli("ruleset", "list", "--db", empty_store_url) == 2
    assert "error: no Jurist store at " in capsys.readouterr().err
    assert cli("db", "upgrade", "--db", empty_store_url) == 0
    assert cli("ruleset", "list", "--db", empty_store_url) == 0


@pytest.fixture
def empty_store_url(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    """An existing but empty database: a zero-byte SQLite file, or a PostgreSQL database with no tables."""
    if backend == "sqlite":
        (tmp_path / "empty.db").touch()
        return f"sqlite:///{tmp_path / 'empty.db'}"
    return request.getfixturevalue("pg_database")(False)
