"""`jurist backtest` as people and CI run it: the headline, the three formats, the exit statuses."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from decision_logs import BASELINE, CANDIDATE, known_log, write_jsonl
from jurist.cli import main


@pytest.fixture
def setup(tmp_path: Path) -> dict[str, str]:
    paths = {"log": str(write_jsonl(tmp_path / "decisions.jsonl", known_log()))}
    for name, rules in (("baseline", BASELINE), ("candidate", CANDIDATE)):
        (tmp_path / name).mkdir()
        for file, text in rules.sources.items():
            (tmp_path / name / file).write_text(text)
        paths[name] = str(tmp_path / name)
    return paths


def backtest(paths: dict[str, str], *more: str) -> list[str]:
    return ["backtest", "--log", paths["log"], "--baseline", paths["baseline"], "--candidate", paths["candidate"],
            *more]


def test_the_headline_names_loosening_flips_first(setup: dict[str, str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(backtest(setup)) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == ("27 logged decisions replayed (2026-02-10): 22 compared, 18 change effect "
                        "(16 loosen, 2 tighten).")
    assert lines[1] == "  DENY→ALLOW: 12 (in GB 12; by gb_bikini 12)"
    assert lines[2] == "  REVIEW→ALLOW: 4 (in FR 4; by nude_review 4)"
    assert lines[4].startswith("5 need a re-scan before they can be compared (their log lacks attire:bikini)")


def test_json_markdown_and_html(setup: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = {k: tmp_path / f"report.{k}" for k in ("json", "md", "html")}
    assert main(backtest(setup, "--json", str(out["json"]), "--markdown", str(out["md"]),
                         "--html", str(out["html"]))) == 0
    report = json.loads(out["json"].read_text())
    assert report["flips"]["matrix"][0]["from"] == "deny" and report["flips"]["matrix"][0]["to"] == "allow"
    markdown = out["md"].read_text()
    assert "| DENY | ALLOW | 12 |" in markdown and "| GB | DENY→ALLOW | 12 |" in markdown
    page = out["html"].read_text()
    assert page.count("<svg") == 2 and "Flips per country" in page and "Hits per rule per day" in page
    assert not re.search(r"(src|href)=|<script|@import|url\(", page)  # self-contained: nothing fetched


def test_json_to_standard_output_for_ci(setup: dict[str, str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(backtest(setup, "--json", "-")) == 0
    assert json.loads(capsys.readouterr().out)["compared"] == 22


def test_fail_on_loosening(setup: dict[str, str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(backtest(setup, "--fail-on-loosening")) == 1
    assert capsys.readouterr().err == "jurist: error: 16 decision(s) become weaker under " + setup["candidate"] + "\n"


def test_bad_input_is_named(setup: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["backtest", "--log", str(tmp_path / "missing.jsonl"), "--baseline", setup["baseline"],
                 "--candidate", setup["candidate"]]) == 2
    assert capsys.readouterr().err == f"jurist: error: {tmp_path / 'missing.jsonl'}: no such file or directory\n"
    Path(setup["log"]).write_text("[1, 2]\n")
    assert main(backtest(setup)) == 2
    assert capsys.readouterr().err == (f"jurist: error: {setup['log']}:1: not a decision record (a decision record "
                                       "is a JSON object, got list)\n")
    with pytest.raises(SystemExit) as exited:
        main(backtest(setup, "--since", "yesterday"))
    assert exited.value.code == 2 and "`yesterday` is not a day" in capsys.readouterr().err
