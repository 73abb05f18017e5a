"""The store's CLI commands, driven through argparse as `jurist` will."""
from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

import pytest

from store_support import BROKEN_POLICY, GOOD_POLICY, cli, jurist


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


def test_publishing_through_the_cli(url: str, ruleset_dir: Path, capsys: pytest.CaptureFixture[str],
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    db = ("--db", url)
    assert run(capsys, "db", "upgrade", *db)[0] == 0
    assert run(capsys, "user", "add", "erin", "--role", "editor", *db) == (0, "added erin as editor\n", "")
    assert run(capsys, "user", "add", "alice", "--role", "approver", *db)[0] == 0

    monkeypatch.setenv("LOGNAME", "erin")  # erin at her own desk: the admin must not be an author
    code, out, _ = run(capsys, "ruleset", "import", str(ruleset_dir), "--name", "global", "--jurisdiction", "GB",
                       *db)
    assert code == 0 and out.startswith("imported 1 file(s) as global@v1 (draft, sha256:")
    monkeypatch.setenv("LOGNAME", "admin")
    assert run(capsys, "ruleset", "submit", "global", "--as", "erin", *db) == (
        0, "All 0 test case(s) pass on global@v1.\nNothing is published yet to compare with.\n"
           "global@v1 submitted for review\n", "")
    assert run(capsys, "ruleset", "approve", "global", "--as", "erin", *db) == (
        1, "", "jurist: error: `erin` is an editor; approving needs the approver role\n")
    code, out, err = run(capsys, "ruleset", "approve", "global", "--as", "alice", *db)
    assert (code, err) == (0, "")  # the approver reads the impact kept at submission, then approves
    assert re.fullmatch(r"Impact of v1, computed \d{4}-\d\d-\d\d \d\d:\d\d UTC \(nothing was published to "
                        r"compare with\):\n  All 0 test case\(s\) pass\.\nglobal@v1 approved by alice\n", out)
    code, out, _ = run(capsys, "ruleset", "publish", "global", "--as", "alice", *db)
    assert code == 0 and out.startswith("global@v1 published (sha256:")

    (ruleset_dir / "global" / "minors.policy").write_text(GOOD_POLICY + "rule r2: review intent:undress\n")
    assert run(capsys, "ruleset", "import", str(ruleset_dir), "--name", "global", "--as", "erin", *db)[0] == 0
    code, out, _ = run(capsys, "ruleset", "diff", "global", "v1", "2", *db)
    assert code == 0 and "--- v1/global/minors.policy\n+++ v2/global/minors.policy\n" in out
    assert "+rule r2: review intent:undress\n" in out
    code, out, _ = run(capsys, "ruleset", "log", "global", *db)
    lines = out.splitlines()
    assert code == 0 and lines[0] == "ruleset global; jurisdictions GB; times in UTC"
    assert lines[1].split() == ["VERSION", "STATE", "CREATED", "AUTHORS", "SUBMITTED", "BY", "APPROVED", "BY",
                                "PUBLISHED", "BY", "PARENT", "HASH"]
    v2, v1 = lines[2].split(), lines[3].split()
    assert v2[:2] == ["v2", "draft"] and v2[4:10] == ["admin,", "erin", "-", "-", "-", "v1"]
    assert v1[:2] == ["v1", "published"] and v1[4:9] == ["erin", "erin", "(via", "admin)", "alice"]
    assert v1[9:12] == ["alice", "(via", "admin)"]
    code, out, _ = run(capsys, "ruleset", "list", *db)
    assert out.splitlines()[1].split() == ["global", "GB", "v1", "v2", "(a", "draft)"]
    code, out, _ = run(capsys, "audit", "verify", *db)
    assert code == 0 and out.startswith("audit log intact: 9 events")


def test_submit_with_compile_errors_prints_diagnostics(url: str, tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "gb.policy").write_text(BROKEN_POLICY)
    assert run(capsys, "ruleset", "import", str(tmp_path), "--name", "gb", "--db", url)[0] == 0
    code, out, err = run(capsys, "ruleset", "submit", "gb", "--db", url)
    assert code == 1
    assert err.splitlines()[:3] == ["jurist: error: gb@v1 has 1 compile error(s); fix them before submitting",
                                    "gb.policy:2:17: error: unknown label `subject:minr`",
                                    "    rule oops: deny subject:minr"]


def test_as_needs_an_admin(url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    assert run(capsys, "user", "add", "erin", "--role", "editor", "--db", url)[0] == 0
    monkeypatch.setenv("LOGNAME", "erin")
    assert run(capsys, "user", "list", "--as", "admin", "--db", url) == (
        1, "", "jurist: error: only an admin may act as another user; `erin` is an editor\n")


@pytest.mark.parametrize("argv,message", [
    (("ruleset", "log", "nope"), "jurist: error: no ruleset `nope`\n"),
    (("ruleset", "log", "no\npe"), "jurist: error: no ruleset `no\\npe`\n"),
    (("ruleset", "diff", "nope", "1", "2"), "jurist: error: no ruleset `nope`\n"),
    (("user", "add", "bad name", "--role", "viewer"),
     "jurist: error: `bad name` is not a valid user name (letters, digits, `.`, `_`, `-`; at most 64)\n"),
    (("ruleset", "import", "/definitely/not/here", "--name", "x"), "jurist: error: `/definitely/not/here` is not a directory\n"),
])
def test_errors_are_one_line(url: str, capsys: pytest.CaptureFixture[str], argv: tuple[str, ...], message: str) -> None:
    """Bad input, a name that does not exist included, exits 2 (docs/store.md)."""
    assert run(capsys, "db", "upgrade", "--db", url)[0] == 0
    code, out, err = run(capsys, *argv, "--db", url)
    assert code == 2 and err == message


def test_bad_url_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "db", "upgrade", "--db", "mysql://u@h/db")
    assert code == 2 and err.count("\n") == 1 and err.startswith("jurist: error: ")


def test_jurist_db_environment_variable_selects_the_database(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "env.db"
    monkeypatch.setenv("JURIST_DB", f"sqlite:///{target}")
    code, out, _ = run(capsys, "db", "upgrade")
    assert code == 0 and str(target) in out and target.exists()


def test_stored_text_cannot_forge_an_audit_line(url: str, capsys: pytest.CaptureFixture[str]) -> None:
    """Even an event written before input was checked prints on one line, its controls escaped."""
    from jurist.db import audit
    from jurist.db.connection import create_store_engine, write_session

    assert run(capsys, "db", "upgrade", "--db", url)[0] == 0
    run(capsys, "user", "list", "--db", url)
    engine = create_store_engine(url)
    try:
        with write_session(engine) as session:
            audit.append(session, "bob", "version.approve", "ruleset:global@1",
                         {"comment": "LGTM\n     9  2026-12-01 10:00:00  carol  version.approve\x1b[2K"})
    finally:
        engine.dispose()
    code, out, _ = run(capsys, "audit", "log", "--db", url)
    lines = out.splitlines()
    assert code == 0 and len(lines) == 3  # header, bootstrap, the approval
    assert lines[1].endswith('comment "LGTM\\n     9  2026-12-01 10:00:00  carol  version.approve\\x1b[2K"')


def test_audit_log_reads_like_a_report(url: str, ruleset_dir: Path, capsys: pytest.CaptureFixture[str],
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    db = ("--db", url)
    monkeypatch.chdir(ruleset_dir.parent)
    assert run(capsys, "ruleset", "import", "rules", "--name", "global", "--jurisdiction", "GB", *db)[0] == 0
    assert run(capsys, "ruleset", "submit", "global", *db)[0] == 0
    code, out, _ = run(capsys, "audit", "log", "--limit", "3", *db)
    header, submit, imported, created = out.splitlines()
    assert header.split() == ["SEQ", "TIME", "(UTC)", "WHO", "ACTION", "SUBJECT", "DETAILS"]
    assert re.fullmatch(r"4\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\s+admin\s+version\.submit\s+ruleset:global@1\s+"
                        r"cases sha256:[0-9a-f]{12}…; hash sha256:[0-9a-f]{12}…; kept_cases yes; warnings 0", submit), submit
    assert imported.endswith(f"files 1; from {ruleset_dir}; hash " + imported.split("hash ")[1])
    assert created.endswith("ruleset:global    jurisdictions GB")
    assert "None" not in out and "[" not in out and "comment" not in out


@pytest.mark.parametrize("query,message", [
    ("?timeout=abc", "URL parameter `timeout` must be a number of seconds between 0 and 3600, not `abc`"),
    ("?colour=blue", "unknown parameter `colour` in the SQLite URL; the store accepts only `timeout` "
                     "(seconds to wait for a lock)"),
])
def test_url_parameters_are_named(tmp_path: Path, query: str, message: str) -> None:
    result = jurist("db", "upgrade", "--db", f"sqlite:///{tmp_path}/s.db{query}")
    assert (result.returncode, result.stderr) == (2, f"jurist: error: {message}\n")
    assert jurist("db", "upgrade", "--db", f"sqlite:///{tmp_path}/s.db?timeout=2.5").returncode == 0


def test_jurist_test_runs_the_stored_cases(url: str, ruleset_dir: Path, monkeypatch: pytest.MonkeyPatch,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    (ruleset_dir / "tests").mkdir()
    (ruleset_dir / "tests" / "cases.json").write_text(json.dumps({"cases": [
        {"name": "adult", "request": {"country": "GB", "action": "generate"},
         "expect": {"effect": "allow", "rules": []}},
        {"name": "wrong on purpose", "request": {"country": "GB", "action": "generate"},
         "expect": {"effect": "deny", "rules": []}}]}))
    monkeypatch.setenv("LOGNAME", "erin")
    assert run(capsys, "user", "add", "alice", "--role", "approver", "--db", url)[0] == 0
    assert run(capsys, "user", "add", "bob", "--role", "approver", "--db", url)[0] == 0
    assert run(capsys, "ruleset", "import", str(ruleset_dir), "--name", "global", "--db", url)[0] == 0
    assert run(capsys, "ruleset", "submit", "global", "--db", url)[0] == 0
    assert run(capsys, "ruleset", "approve", "global", "--as", "alice", "--db", url)[0] == 1  # erin wrote it
    monkeypatch.setenv("LOGNAME", "alice")
    assert run(capsys, "ruleset", "approve", "global", "--db", url)[0] == 0
    assert run(capsys, "ruleset", "publish", "global", "--db", url)[0] == 1  # a case fails: the gate refuses
    assert run(capsys, "ruleset", "publish", "global", "--db", url,
               "--override-failing-tests", "the failing case is what this test reads")[0] == 0
    result = jurist("test", f"{url}#global")
    assert result.returncode == 1, result.stderr
    assert "PASS  adult" in result.stdout and "FAIL  wrong on purpose" in result.stdout
    assert result.stdout.rstrip().endswith("1 passed, 1 failed")


def test_unknown_postgresql_url_parameter_is_named(pg_database, capsys: pytest.CaptureFixture[str]) -> None:
    url = pg_database(True) + "&colour=blue"
    assert cli("ruleset", "list", "--db", url) == 2
    err = capsys.readouterr().err
    assert err.endswith('a parameter of the database URL is not understood (invalid connection option "colour")\n')


def test_submit_prints_what_the_draft_changes_before_submitting(url: str, ruleset_dir: Path,
                                                                 capsys: pytest.CaptureFixture[str],
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """The CLI's submit shows the preview the GUI shows: failing cases and changed decisions."""
    tests = ruleset_dir / "tests"
    tests.mkdir()
    minor = {"name": "minor nude", "expect": {"effect": "deny", "rules": ["minors_nudity"]},
             "request": {"country": "GB", "observations": {"persons": [{"labels": {"subject:minor": 0.9,
                                                                                   "nudity:exposed": 0.9}}]}}}
    (tests / "cases.json").write_text(json.dumps({"cases": [minor]}))
    db = ("--db", url)
    for login, argv in (("admin", ("ruleset", "import", str(ruleset_dir), "--name", "global")),
                        ("admin", ("ruleset", "submit", "global")), ("admin", ("user", "add", "alice", "--role",
                                                                                "approver")),
                        ("alice", ("ruleset", "approve", "global")), ("alice", ("ruleset", "publish", "global"))):
        monkeypatch.setenv("LOGNAME", login)
        code, _, err = run(capsys, *argv, *db)
        assert code == 0, err
    monkeypatch.setenv("LOGNAME", "admin")
    policy = ruleset_dir / "global" / "minors.policy"
    policy.write_text(policy.read_text().replace("rule minors_nudity: deny", "rule minors_nudity: review"))
    assert run(capsys, "ruleset", "import", str(ruleset_dir), "--name", "global", *db)[0] == 0
    code, out, _ = run(capsys, "ruleset", "submit", "global", *db)
    assert code == 0
    lines = out.splitlines()
    assert lines[:4] == [
        "1 of 1 test case(s) fail on global@v2:",
        "  minor nude: expected deny, got review (matched: minors_nudity)",
        "1 test case(s) change decision or matched rules against global@v1:",
        "  minor nude: deny → review"]
    assert "Compared with global@v1 by the solver, per jurisdiction:" in lines
    assert any(line.startswith("    deny → review, e.g. {") for line in lines)
    assert "Backtest against global@v1 on the newest 100,000 logged decisions:" in lines
    assert lines[-1] == "global@v2 submitted for review"
