"""Test cases with images stored once by content hash, and simulation runs."""
from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from sqlalchemy import func, select

from jurist.db.connection import create_store_engine
from jurist.db.errors import InvalidInput, NotFound
from jurist.db.models import Blob
from jurist.db.records import CaseOutcome

from store_support import GOOD_POLICY, Team, published_ruleset

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def case(name: str, images: list[str] | None = None, effect: str = "deny") -> dict:
    request = {"action": "generate", "country": "GB", "prompt": "a person at the beach",
               "observations": {"persons": [{"box": [0, 0, 10, 10], "labels": {"subject:minor": 0.9}}]}}
    if images is not None:
        request["images"] = images
    return {"name": name, "request": request, "expect": {"effect": effect, "rules": ["minors_nudity"]}}


def blob_count(url: str) -> int:
    engine = create_store_engine(url)
    try:
        with engine.connect() as conn:
            return conn.scalar(select(func.count()).select_from(Blob))
    finally:
        engine.dispose()


def test_images_are_stored_once_and_dropped_with_their_last_case(team: Team, url: str) -> None:
    team.erin.create_ruleset("global")
    team.erin.save_test_case("global", case("one", ["a.png"]), {"a.png": PNG})
    team.erin.save_test_case("global", case("two", ["same-bytes.png", "b.png"]),
                             {"same-bytes.png": PNG, "b.png": PNG + b"!"})
    assert blob_count(url) == 2
    cases = {c.name: c for c in team.vic.list_test_cases("global")}
    digest = hashlib.sha256(PNG).hexdigest()
    assert [(i.name, i.sha256) for i in cases["two"].images][0] == ("same-bytes.png", digest)
    assert team.vic.image_bytes(digest) == PNG
    assert cases["one"].to_json() == case("one", ["a.png"])

    team.erin.delete_test_case("global", "one")
    assert blob_count(url) == 2  # still used by "two"
    team.erin.delete_test_case("global", "two")
    assert blob_count(url) == 0
    with pytest.raises(NotFound, match="no test case `two`"):
        team.erin.delete_test_case("global", "two")


def test_saving_a_case_again_replaces_it(team: Team) -> None:
    team.erin.create_ruleset("global")
    team.erin.save_test_case("global", case("c", effect="deny"))
    team.alice.save_test_case("global", case("c", effect="review"))
    [stored] = team.vic.list_test_cases("global")
    assert (stored.expected_effect, stored.updated_by) == ("review", "alice")


@pytest.mark.parametrize("bad,message", [
    ({"request": {}, "expect": {"effect": "deny"}}, "a test case needs a `name`"),
    ({"name": "x", "request": [], "expect": {"effect": "deny"}}, "test case `x`: `request` must be an object"),
    ({"name": "x", "request": {}, "expect": {"effect": "block"}},
     "test case `x`: `expect.effect` must be one of deny, review, allow, got `block`"),
    ({"name": "x", "request": {}, "expect": {"effect": "deny", "rules": "r1"}},
     "test case `x`: `expect.rules` must be a list of rule ids"),
    ({"name": "x", "request": {}, "expect": {"effect": "deny", "not_rules": [1]}},
     "test case `x`: `expect.not_rules` must be a list of rule ids"),
    ({"name": "x", "request": {"images": ["gone.jpg"]}, "expect": {"effect": "deny"}},
     "test case `x`: no bytes given for image\\(s\\) gone.jpg"),
])
def test_malformed_cases_are_refused(team: Team, bad: dict, message: str) -> None:
    team.erin.create_ruleset("global")
    with pytest.raises(InvalidInput, match=message):
        team.erin.save_test_case("global", bad)
    assert team.vic.list_test_cases("global") == ()


def test_export_materialises_images_for_the_engine(team: Team, tmp_path: Path) -> None:
    team.erin.create_ruleset("global")
    team.erin.save_test_case("global", case("one", ["photo.png"]), {"photo.png": PNG})
    [doc] = team.vic.export_test_cases("global", tmp_path / "out")
    [path] = doc["request"]["images"]
    assert Path(path).read_bytes() == PNG and Path(path).suffix == ".png"


def test_not_rules_round_trip_through_save_list_and_export(team: Team, tmp_path: Path) -> None:
    team.erin.create_ruleset("global")
    adult = case("adult", ["photo.png"], effect="allow")
    adult["expect"] = {"effect": "allow", "rules": [], "not_rules": ["minors_nudity", "undress_real"]}
    saved = team.erin.save_test_case("global", adult, {"photo.png": PNG})
    assert saved.expected_not_rules == ("minors_nudity", "undress_real")
    [listed] = team.vic.list_test_cases("global")
    assert listed.expected_not_rules == ("minors_nudity", "undress_real")
    assert listed.to_json() == adult
    [doc] = team.vic.export_test_cases("global", tmp_path / "out")
    assert doc["expect"] == {"effect": "allow", "rules": [], "not_rules": ["minors_nudity", "undress_real"]}


def test_saving_without_not_rules_clears_them(team: Team) -> None:
    team.erin.create_ruleset("global")
    forbidding = case("c")
    forbidding["expect"]["not_rules"] = ["undress_real"]
    team.erin.save_test_case("global", forbidding)
    team.erin.save_test_case("global", case("c"))
    [stored] = team.vic.list_test_cases("global")
    assert stored.expected_not_rules == () and "not_rules" not in stored.to_json()["expect"]


@pytest.mark.parametrize("fired,passed", [
    (("minors_nudity",), True),
    (("minors_nudity", "extra_rule"), True),          # other rules may fire too, as in `jurist test`
    ((), False),                                      # an expected rule did not fire
    (("minors_nudity", "undress_real"), False),       # a rule that must not fire did
])
def test_an_outcome_passes_as_jurist_test_would(fired: tuple[str, ...], passed: bool) -> None:
    outcome = CaseOutcome("c", "deny", ("minors_nudity",), "deny", fired, expected_not_rules=("undress_real",))
    assert outcome.passed is passed


def test_recorded_results_keep_not_rules(team: Team) -> None:
    number = published_ruleset(team)
    run = team.erin.record_simulation("global", number, [
        CaseOutcome("adult", "allow", (), "allow", ("minors_nudity",), expected_not_rules=("minors_nudity",))])
    assert (run.passed, run.failed) == (0, 1)
    [listed] = team.vic.list_simulation_runs("global")
    assert [(r.expected_not_rules, r.passed) for r in listed.results] == [(("minors_nudity",), False)]


def test_simulation_runs_are_recorded_and_outlive_deleted_cases(team: Team) -> None:
    number = published_ruleset(team)
    team.erin.save_test_case("global", case("minor"))
    outcomes = [CaseOutcome("minor", "deny", ("minors_nudity",), "deny", ("minors_nudity",)),
                CaseOutcome("adult", "allow", (), "review", ("r2",)),
                CaseOutcome("broken", "deny", (), None, (), error="image could not be decoded")]
    run = team.erin.record_simulation("global", number, outcomes)
    assert (run.version, run.passed, run.failed, run.started_by) == (1, 1, 2, "erin")
    team.erin.delete_test_case("global", "minor")
    [listed] = team.vic.list_simulation_runs("global")
    assert [(r.case_name, r.passed, r.error) for r in listed.results] == [
        ("minor", True, None), ("adult", False, None), ("broken", False, "image could not be decoded")]


def test_import_reads_cases_and_reports_unusable_ones(team: Team, tmp_path: Path) -> None:
    (tmp_path / "global").mkdir()
    (tmp_path / "global" / "minors.policy").write_text(GOOD_POLICY)
    tests = tmp_path / "tests"
    tests.mkdir()
    (tests / "beach.png").write_bytes(PNG)
    import json
    (tests / "cases.json").write_text(json.dumps({"cases": [case("with-image", ["beach.png"]),
                                                             case("missing-image", ["nope.png"]),
                                                             {"name": "bad", "request": {}, "expect": {}}]}))
    (tests / "broken.json").write_text("{not json")
    result = team.erin.import_directory(tmp_path, "global")
    assert result.cases_saved == 1
    assert len(result.skipped) == 3
    assert any("image file(s) not found: nope.png" in line for line in result.skipped)
    assert any("broken.json: not readable JSON" in line for line in result.skipped)
    [stored] = team.vic.list_test_cases("global")
    assert stored.images[0].sha256 == hashlib.sha256(PNG).hexdigest()
