"""What every `jurist` command shares: one error prefix, one table of exit statuses, lazy start-up."""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

import pytest

from jurist.cli import build_parser, main
from jurist.cli import rules as rule_commands

ROOT = Path(__file__).resolve().parents[2]


def test_every_argument_of_every_command_has_help() -> None:
    missing = []

    def walk(parser: argparse.ArgumentParser, path: str) -> None:
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, sub in action.choices.items():
                    walk(sub, f"{path} {name}")
            elif not isinstance(action, argparse._HelpAction) and not action.help:
                missing.append(f"{path} {action.dest}")

    walk(build_parser(), "jurist")
    assert missing == []


def test_a_bug_reads_as_a_bug_with_status_3_not_as_bad_input(monkeypatch: pytest.MonkeyPatch,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    def broken(args: argparse.Namespace) -> int:
        return {}["missing"]  # a KeyError is a LookupError: it used to print like a user's mistake

    monkeypatch.setattr(rule_commands, "cmd_check", broken)
    assert main(["check", str(ROOT / "rulesets")]) == 3
    err = capsys.readouterr().err
    assert err.startswith("jurist: error: internal error: KeyError: 'missing'\n")
    assert "JURIST_TRACEBACK=1" in err and "Traceback" not in err


def test_the_traceback_is_there_when_asked_for(monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    def broken(args: argparse.Namespace) -> int:
        raise ValueError("a bug in a handler")

    monkeypatch.setattr(rule_commands, "cmd_check", broken)
    monkeypatch.setenv("JURIST_TRACEBACK", "1")
    assert main(["check", str(ROOT / "rulesets")]) == 3
    err = capsys.readouterr().err
    assert "internal error: ValueError: a bug in a handler" in err and "Traceback (most recent call last)" in err


def test_a_bad_option_value_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["serve", "--rules", str(ROOT / "rulesets"), "--timeout", "0"]) == 2
    assert capsys.readouterr().err == "jurist: error: --timeout must be a positive number of seconds, got 0\n"


def test_missing_cases_are_a_usage_error_with_the_common_prefix(tmp_path: Path,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "a.policy").write_text("deny where country = ID\n")
    assert main(["test", str(tmp_path)]) == 2
    assert capsys.readouterr().err.startswith(f"jurist: error: {tmp_path}: no cases found")


def test_control_characters_in_an_error_cannot_forge_terminal_output(tmp_path: Path,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    hostile = tmp_path / "x\x1b[2Jy"
    assert main(["check", str(hostile)]) == 2
    err = capsys.readouterr().err
    assert "\x1b" not in err and "x\\x1b[2Jy" in err


def test_decide_imports_no_database_gui_or_image_library(tmp_path: Path) -> None:
    """`jurist decide` starts like a three-line script: SQLAlchemy, Qt and OpenCV stay unloaded."""
    request = tmp_path / "req.json"
    request.write_text(json.dumps({"country": "GB", "action": "generate",
                                   "observations": {"labels": {"attire:bikini": 0.9}}}))
    script = ("import sys, json; from jurist.cli import main; code = main(['decide', '--rules', sys.argv[1], "
              "'--request', sys.argv[2]]); heavy = sorted(m for m in ('sqlalchemy', 'alembic', 'PySide6', 'cv2', "
              "'onnxruntime', 'PIL', 'numpy') if m in sys.modules); print(json.dumps(heavy), file=sys.stderr); "
              "sys.exit(code)")
    done = subprocess.run([sys.executable, "-c", script, str(ROOT / "rulesets"), str(request)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["effect"] in ("deny", "review", "allow")
    assert json.loads(done.stderr.strip().splitlines()[-1]) == []


def test_help_documents_the_exit_statuses() -> None:
    text = build_parser().format_help()
    assert "0 ok" in text and "2 usage or input error" in text and "3 internal error" in text
