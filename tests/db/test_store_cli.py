"""The store's CLI commands, driven through argparse as `jurist` will."""
from __future__ import annotations

from pathlib import Path

import pytest

from store_support import BROKEN_POLICY, GOOD_POLICY, cli


@pytest.fixture
def ruleset_dir(tmp_path: Path) -> Path:
    root = tmp_path / "rules"
    (root / "global").mkdir(parents=True)
    (root / "global" / "minors.policy").write_text(GOOD_POLICY)
    return root


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli(*argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_publishing_through_the_cli(url: str, ruleset_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = ("--db", url)
    assert run(capsys, "db", "upgrade", *db)[0] == 0
    assert run(capsys, "user", "add", "erin", "--role", "editor", *db) == (0, "added erin as editor\n", "")
    assert run(capsys, "user", "add", "alice", "--role", "approver", *db)[0] == 0

    code, out, _ = run(capsys, "ruleset", "import", str(ruleset_dir), "--name", "global", "--as", "erin", *db)
    assert code == 0 and out.startswith("imported 1 file(s) as global@v1 (draft, sha256:")
    assert run(capsys, "ruleset", "submit", "global", "--as", "erin", *db) == (0, "global@v1 submitted for review\n", "")
    assert run(capsys, "ruleset", "approve", "global", "--as", "erin", *db) == (
        1, "", "error: `erin` is an editor; approving needs the approver role\n")
    assert run(capsys, "ruleset", "approve", "global", "--as", "alice", *db) == (
        0, "global@v1 approved by alice\n", "")
    code, out, _ = run(capsys, "ruleset", "publish", "global", "--as", "alice", *db)
    assert code == 0 and out.startswith("global@v1 published (sha256:")

    (ruleset_dir / "global" / "minors.policy").write_text(GOOD_POLICY + "rule r2: review intent:undress\n")
    assert run(capsys, "ruleset", "import", str(ruleset_dir), "--name", "global", "--as", "erin", *db)[0] == 0
    code, out, _ = run(capsys, "ruleset", "diff", "global", "1", "2", *db)
    assert code == 0 and "--- v1/global/minors.policy\n+++ v2/global/minors.policy\n" in out
    assert "+rule r2: review intent:undress\n" in out
    code, out, _ = run(capsys, "ruleset", "log", "global", *db)
    lines = out.splitlines()
    assert code == 0 and lines[0].startswith("v2    draft") and lines[1].startswith("v1    published")
    assert "approved-by alice" in lines[1]
    code, out, _ = run(capsys, "audit", "verify", *db)
    assert code == 0 and out.startswith("audit log intact: 9 events")


def test_submit_with_compile_errors_prints_diagnostics(url: str, tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "gb.policy").write_text(BROKEN_POLICY)
    assert run(capsys, "ruleset", "import", str(tmp_path), "--name", "gb", "--db", url)[0] == 0
    code, out, err = run(capsys, "ruleset", "submit", "gb", "--db", url)
    assert code == 1
    assert err.splitlines()[:3] == ["error: gb@v1 has 1 compile error(s); fix them before submitting",
                                    "gb.policy:2:17: error: unknown label `subject:minr`",
                                    "    rule oops: deny subject:minr"]


def test_as_needs_an_admin(url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    assert run(capsys, "user", "add", "erin", "--role", "editor", "--db", url)[0] == 0
    monkeypatch.setenv("LOGNAME", "erin")
    assert run(capsys, "user", "list", "--as", "admin", "--db", url) == (
        1, "", "error: only an admin may act as another user; `erin` is an editor\n")


@pytest.mark.parametrize("argv,message", [
    (("ruleset", "log", "nope"), "error: no ruleset `nope`\n"),
    (("ruleset", "diff", "nope", "1", "2"), "error: no ruleset `nope`\n"),
    (("user", "add", "bad name", "--role", "viewer"),
     "error: `bad name` is not a valid user name (letters, digits, `.`, `_`, `-`; at most 64)\n"),
    (("ruleset", "import", "/definitely/not/here", "--name", "x"), "error: `/definitely/not/here` is not a directory\n"),
])
def test_errors_are_one_line(url: str, capsys: pytest.CaptureFixture[str], argv: tuple[str, ...], message: str) -> None:
    code, out, err = run(capsys, *argv, "--db", url)
    assert code in (1, 2) and err == message


def test_bad_url_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "db", "upgrade", "--db", "mysql://u@h/db")
    assert code == 2 and err.count("\n") == 1 and err.startswith("error: ")


def test_jurist_db_environment_variable_selects_the_database(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "env.db"
    monkeypatch.setenv("JURIST_DB", f"sqlite:///{target}")
    code, out, _ = run(capsys, "db", "upgrade")
    assert code == 0 and str(target) in out and target.exists()
