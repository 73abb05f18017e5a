"""Flip matrices on a log whose answers are known (tests/support/decision_logs.py)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from decision_logs import BASELINE, CANDIDATE, IMAGE, decision_id, known_log, paid, record, write_jsonl
from jurist.workbench.backtest import run_backtest
from jurist.workbench.decision_logs import DecisionLog, LogError
from jurist.workbench.rule_sources import NamedRules


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> dict:
    log = write_jsonl(tmp_path_factory.mktemp("log") / "decisions.jsonl", known_log())
    return run_backtest(DecisionLog.of_paths([log]), BASELINE, CANDIDATE).to_json()


def cells(rows: list[dict], key: str) -> list[tuple]:
    return [(r[key], r["from"], r["to"], r["count"]) for r in rows]


def test_the_flip_matrix_lists_loosening_first_with_the_earliest_decisions(report: dict) -> None:
    assert report["records"] == 27 and report["skipped"] == {"shadow": 1}
    assert report["compared"] == 22
    matrix = [(f["from"], f["to"], f["count"]) for f in report["flips"]["matrix"]]
    assert matrix == [("deny", "allow", 12), ("review", "allow", 4), ("allow", "deny", 2)]
    assert report["flips"] == {**report["flips"], "total": 18, "loosening": 16, "tightening": 2}
    assert report["flips"]["matrix"][0]["samples"] == [decision_id(i) for i in range(5)]  # GB: ids 0-9


def test_flips_per_country_region_and_rule(report: dict) -> None:
    assert cells(report["flips_by_country"], "country") == [
        ("GB", "deny", "allow", 12), ("FR", "review", "allow", 4), ("DE", "allow", "deny", 2)]
    assert cells(report["flips_by_rule"], "rule") == [
        ("gb_bikini", "deny", "allow", 12), ("nude_review", "review", "allow", 4), ("de_new", "allow", "deny", 2)]
    assert report["flips_by_region"] == []  # the only records with a region (US-CA) do not flip


def test_hits_that_change_and_rules_that_never_fire(report: dict) -> None:
    hits = {r["rule"]: (r["baseline"], r["candidate"]) for r in report["rule_hits"]}
    # gb_bikini: 10 + 5 unchecked + 2 failed (a deny it could not check counts); nude_review: 4 + 7 unchecked
    # reviews, then an allow rule that matches only where nudity is known; de_new is not in the baseline
    assert hits == {"gb_bikini": (17, 0), "nude_review": (11, 4), "de_new": (None, 2)}
    assert report["never_fired"] == {"baseline": [], "candidate": ["gb_bikini"]}


def test_needs_rescan_is_counted_not_decided_with_zero(report: dict) -> None:
    rescan = report["needs_rescan"]
    assert (rescan["count"], rescan["baseline"], rescan["candidate"]) == (5, 5, 0)
    assert rescan["labels"] == [{"side": "baseline", "label": "attire:bikini", "count": 5}]
    assert rescan["samples"] == [decision_id(i) for i in range(19, 24)]


def test_fail_closed_counts_and_reasons(report: dict) -> None:
    closed = report["fail_closed"]
    assert (closed["baseline"], closed["candidate"], closed["change"]) == (2, 0, -2)
    assert closed["reasons"] == [{"side": "baseline", "count": 2,
                                  "reason": "`attire:bikini` is recorded as unknown in the given observations"}]
    assert report["malformed"]["count"] == 1
    assert report["malformed"]["reasons"][0]["reason"] == "country: `XX` is not an ISO 3166-1 alpha-2 code"


def test_a_record_without_images_reads_absent_image_labels_as_zero(tmp_path: Path) -> None:
    """Nothing to look at is not a gap: a text-only request's image labels are 0, as when it was decided."""
    log = write_jsonl(tmp_path / "log.jsonl", [record(0, paid("GB"), {})])
    report = run_backtest(DecisionLog.of_paths([log]), BASELINE, CANDIDATE).to_json()
    assert report["needs_rescan"]["count"] == 0 and report["states"]["baseline"]["settled"] == 1


def test_a_request_without_a_date_is_replayed_on_the_day_it_was_decided(tmp_path: Path) -> None:
    undated = {"action": "edit", "country": "GB", "user": {"tier": "paid"}}
    bikini = {"subject:real_person": 0.9, "attire:bikini": 0.9}
    log = write_jsonl(tmp_path / "log.jsonl", [record(0, undated, bikini, day="2026-01-20"),
                                               record(1, undated, bikini, day="2026-02-20")])
    report = run_backtest(DecisionLog.of_paths([log]), BASELINE, CANDIDATE).to_json()
    assert report["effects"]["baseline"] == {"deny": 1, "review": 0, "allow": 1}


def test_a_line_that_is_not_a_record_is_named_by_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "log.jsonl"
    path.write_text(json.dumps(record(0, paid("GB"))) + "\n" + '{"format": 2}\n')
    with pytest.raises(LogError, match=r"log\.jsonl:2: not a decision record \(decision record format 2 is not one "
                                       r"this Jurist reads \(it reads format 1\)\)"):
        run_backtest(DecisionLog.of_paths([path]), BASELINE, CANDIDATE)
    path.write_text(json.dumps(record(0, paid("GB"))) + "\n" + "{not json\n")
    with pytest.raises(LogError, match=r"log\.jsonl:2: not a decision record \(not JSON"):
        run_backtest(DecisionLog.of_paths([path]), BASELINE, CANDIDATE, jobs=2)


def test_same_report_with_the_time_window(tmp_path: Path) -> None:
    log = write_jsonl(tmp_path / "log.jsonl", known_log())
    report = run_backtest(DecisionLog.of_paths([log]), BASELINE, CANDIDATE, since="2026-02-11").to_json()
    assert report["records"] == 0




def test_a_rescan_is_asked_for_only_where_it_could_change_the_effect(tmp_path: Path) -> None:
    """A deny unchecked for a missing request field stays a deny whatever a re-scan finds: fail closed."""
    rules = NamedRules("r", {"r.policy": "rule ca: deny subject:real_person where region = US-CA\n"
                                         "rule minors: deny subject:minor\n"})
    seen = {"subject:real_person": 0.9}
    log = write_jsonl(tmp_path / "log.jsonl", [record(0, paid("US"), seen, images=IMAGE),
                                               record(1, paid("US", region="US-NY"), seen, images=IMAGE)])
    report = run_backtest(DecisionLog.of_paths([log]), rules, rules).to_json()
    assert report["states"]["baseline"] == {"settled": 0, "fail_closed": 1, "needs_rescan": 1, "malformed": 0}
    assert report["needs_rescan"]["samples"] == [decision_id(1)]
