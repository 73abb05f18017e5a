"""--rescan: the real detectors run again on a corpus of the logged images, for the records that need it."""
from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from decision_logs import BASELINE, CANDIDATE, paid, record, write_jsonl
from jurist.workbench.backtest import run_backtest
from jurist.workbench.decision_logs import DecisionLog, LogError
from jurist.workbench.rescan import corpus_index, rescan_log

PHOTO = Path(__file__).resolve().parents[2] / "rulesets" / "tests" / "images" / "astronaut.jpg"


def test_records_whose_images_are_in_the_corpus_are_settled(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(PHOTO, corpus / "upload.jpg")
    digest = hashlib.sha256(PHOTO.read_bytes()).hexdigest()
    found = [{"sha256": digest, "dhash": None}]
    lost = [{"sha256": "cd" * 32, "dhash": None}]
    log = write_jsonl(tmp_path / "log.jsonl", [record(0, paid("GB"), {}, images=found),
                                               record(1, paid("GB"), {}, images=lost),
                                               record(2, paid("FR"), {"nudity:exposed": 0.9})])
    before = run_backtest(DecisionLog.of_paths([log]), BASELINE, CANDIDATE).to_json()
    assert before["needs_rescan"]["count"] == 2
    rescanned = rescan_log(DecisionLog.of_paths([log]), str(corpus), CANDIDATE, BASELINE, tmp_path)
    assert sorted(p.name for p in tmp_path.glob("*.jsonl")) == ["kept.jsonl", "log.jsonl", "rescanned.jsonl"]
    after = run_backtest(rescanned, BASELINE, CANDIDATE).to_json()
    assert after["records"] == 3 and after["needs_rescan"]["count"] == 1  # the lost image stays unsettled
    assert after["needs_rescan"]["samples"] == ["01a00000-0000-7000-8000-000000000001"]
    assert after["effects"]["baseline"]["allow"] == 1  # an astronaut, not a bikini: GB's rule does not apply


def test_a_corpus_that_is_not_one_is_named(tmp_path: Path) -> None:
    with pytest.raises(LogError, match="an image corpus is a folder of images or a Parquet file"):
        corpus_index(str(tmp_path / "nothing"))


def test_the_command_removes_its_rescanned_copy_of_the_log(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Before: each `jurist backtest --rescan` left a `jurist-rescan-*` folder holding a copy of the log."""
    import tempfile

    from jurist.cli import main

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(PHOTO, corpus / "upload.jpg")
    found = [{"sha256": hashlib.sha256(PHOTO.read_bytes()).hexdigest(), "dhash": None}]
    log = write_jsonl(tmp_path / "log.jsonl", [record(0, paid("GB"), {}, images=found)])
    for name, rules in (("baseline", BASELINE), ("candidate", CANDIDATE)):
        (tmp_path / name).mkdir()
        for file, text in rules.sources.items():
            (tmp_path / name / file).write_text(text)
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    code = main(["backtest", "--log", str(log), "--baseline", str(tmp_path / "baseline"), "--candidate",
                 str(tmp_path / "candidate"), "--rescan", str(corpus), "--json", str(tmp_path / "report.json")])
    assert code == 0
    assert list(scratch.iterdir()) == []
