"""Test cases with images stored once by content hash, and simulation runs."""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

import jurist
from jurist.db.connection import create_store_engine
from jurist.db.errors import ConflictError, InvalidInput, NotFound
from jurist.db.models import Blob
from jurist.engine.cases import Case, CaseError, CaseResult, load_cases
from jurist.workbench.cases import run_cases

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
    ({"request": {}, "expect": {"effect": "deny"}}, "case `\\?`: missing `name`"),
    ({"name": "x", "request": [], "expect": {"effect": "deny"}}, "case `x`: a request is a JSON object, got list"),
    ({"name": "x", "request": {}, "expect": {"effect": "block"}},
     "case `x`: `expect.effect` must be one of deny, review, allow"),
    ({"name": "x", "request": {}, "expect": {"effect": "deny", "rules": "r1"}},
     "case `x`: `expect.rules` must be a list of rule ids"),
    ({"name": "x", "request": {}, "expect": {"effect": "deny", "not_rules": [1]}},
     "case `x`: `expect.not_rules` must be a list of rule ids"),
    ({"name": "x", "request": {}, "expect": {"effect": "deny", "rulez": ["r1"]}},
     "case `x`: unknown key `expect.rulez`; did you mean `expect.rules`\\?"),
    ({"name": "x", "request": {"tier": "paid"}, "expect": {"effect": "deny"}}, "case `x`: unknown request field `tier`"),
    ({"name": "x", "request": {"images": ["gone.jpg"]}, "expect": {"effect": "deny"}},
     "test case `x`: no bytes given for image\\(s\\) gone.jpg"),
])
def test_malformed_cases_are_refused(team: Team, bad: dict, message: str) -> None:
    team.erin.create_ruleset("global")
    with pytest.raises(InvalidInput, match=message):
        team.erin.save_test_case("global", bad)
    assert team.vic.list_test_cases("global") == ()


def test_not_rules_round_trip_through_save_and_list(team: Team) -> None:
    team.erin.create_ruleset("global")
    adult = case("adult", ["photo.png"], effect="allow")
    adult["expect"] = {"effect": "allow", "rules": [], "not_rules": ["minors_nudity", "undress_real"]}
    saved = team.erin.save_test_case("global", adult, {"photo.png": PNG})
    assert saved.expected_not_rules == ("minors_nudity", "undress_real")
    [listed] = team.vic.list_test_cases("global")
    assert listed.expected_not_rules == ("minors_nudity", "undress_real")
    assert listed.to_json() == adult


def test_expected_obligations_and_the_seed_policy_are_kept_as_jurist_test_reads_them(team: Team, url: str,
                                                                                      tmp_path: Path) -> None:
    """Before: the store dropped `expect.obligations` and `policy`, so an imported EU case stopped checking
    the AI Act's marking once it lived in the store."""
    marked = case("marked", effect="allow")
    marked["expect"] = {"effect": "allow", "rules": [], "obligations": [{"kind": "mark", "value": "ai-generated"}]}
    marked["policy"] = "eu"
    unmarked = case("unmarked", effect="allow")
    unmarked["expect"] = {"effect": "allow", "rules": [], "obligations": []}
    (tmp_path / "global").mkdir()
    (tmp_path / "global" / "minors.policy").write_text(GOOD_POLICY)
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "cases.json").write_text(json.dumps({"cases": [marked, unmarked, case("plain")]}))
    team.erin.import_directory(tmp_path, "global")
    stored = {c.name: c for c in team.vic.list_test_cases("global")}
    assert stored["marked"].to_json() == marked and stored["marked"].policy == "eu"
    assert stored["unmarked"].expected_obligations == () and stored["plain"].expected_obligations is None
    runnable = {d["name"]: Case.from_json(d) for d in team.vic.runnable_test_cases("global")}
    assert runnable["marked"].obligations == (("mark", "ai-generated"),) and runnable["marked"].policy == "eu"
    assert runnable["plain"].obligations is None
    assert team.vic.verify_audit().mismatches == ()
    engine = create_store_engine(url)
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql("UPDATE test_cases SET expected_obligations = NULL WHERE name = 'marked'")
    finally:
        engine.dispose()
    [mismatch] = team.vic.verify_audit().mismatches
    assert "test case `marked` of `global` was edited in the database" in mismatch


def test_an_obligation_the_language_does_not_know_is_refused(team: Team) -> None:
    team.erin.create_ruleset("global")
    bad = case("typo", effect="allow")
    bad["expect"] = {"effect": "allow", "obligations": [{"kind": "mrak", "value": "ai-generated"}]}
    with pytest.raises(InvalidInput, match="`mrak` is not an obligation the language knows .*did you mean `mark`"):
        team.erin.save_test_case("global", bad)


def test_saving_without_not_rules_clears_them(team: Team) -> None:
    team.erin.create_ruleset("global")
    forbidding = case("c")
    forbidding["expect"]["not_rules"] = ["undress_real"]
    team.erin.save_test_case("global", forbidding)
    team.erin.save_test_case("global", case("c"))
    [stored] = team.vic.list_test_cases("global")
    assert stored.expected_not_rules == () and "not_rules" not in stored.to_json()["expect"]


def _results(*docs: dict) -> list[CaseResult]:
    """The cases run for real against the stored policy, judged by the one pass rule."""
    policy = jurist.Policy.from_sources({"global/minors.policy": GOOD_POLICY})
    return list(run_cases(policy, [Case.from_json(doc) for doc in docs]).results)


def test_recorded_results_keep_not_rules(team: Team) -> None:
    number = published_ruleset(team)
    adult = case("adult", effect="allow")
    adult["expect"] = {"effect": "allow", "not_rules": ["minors_nudity"]}
    adult["request"]["observations"]["persons"][0]["labels"]["nudity:exposed"] = 0.9
    run = team.erin.record_simulation("global", number, _results(adult))
    assert (run.passed, run.failed) == (0, 1)
    [listed] = team.vic.list_simulation_runs("global")
    assert [(r.expected_not_rules, r.passed) for r in listed.results] == [(("minors_nudity",), False)]


def test_simulation_runs_are_recorded_and_outlive_deleted_cases(team: Team) -> None:
    number = published_ruleset(team)
    minor = case("minor")
    minor["request"]["observations"]["persons"][0]["labels"]["nudity:exposed"] = 0.9
    team.erin.save_test_case("global", minor)
    adult = case("adult", effect="deny")
    adult["request"]["observations"]["persons"][0]["labels"]["subject:minor"] = 0.1
    results = _results(minor, adult) + [CaseResult.unreadable("broken", "deny", "image could not be decoded")]
    run = team.erin.record_simulation("global", number, results)
    assert (run.version, run.passed, run.failed, run.started_by) == (1, 1, 2, "erin")
    team.erin.delete_test_case("global", "minor")
    [listed] = team.vic.list_simulation_runs("global")
    assert [(r.case_name, r.passed, r.error) for r in listed.results] == [
        ("minor", True, None), ("adult", False, "expected deny, got allow; expected rules did not fire: minors_nudity"),
        ("broken", False, "image could not be decoded")]


def test_a_run_of_text_the_store_no_longer_holds_is_not_recorded(team: Team) -> None:
    number = published_ruleset(team)
    with pytest.raises(ConflictError, match="was changed in the store since it was opened"):
        team.erin.record_simulation("global", number, [], expected_hash="sha256:" + "0" * 64)
    assert team.vic.list_simulation_runs("global") == ()


def test_import_reads_cases_as_jurist_test_does(team: Team, tmp_path: Path) -> None:
    (tmp_path / "global").mkdir()
    (tmp_path / "global" / "minors.policy").write_text(GOOD_POLICY)
    tests = tmp_path / "tests"
    tests.mkdir()
    (tests / "beach.png").write_bytes(PNG)
    (tests / "cases.json").write_text(json.dumps({"cases": [case("with-image", ["beach.png"]), case("plain")]}))
    result = team.erin.import_directory(tmp_path, "global")
    assert result.cases_saved == 2
    stored = {c.name: c for c in team.vic.list_test_cases("global")}
    assert stored["with-image"].images[0].sha256 == hashlib.sha256(PNG).hexdigest()


@pytest.mark.parametrize("cases,message", [
    ([case("a")] + [{**case("b"), "expect": {"effect": "deny", "rulez": ["minors_nudity"]}}],
     "cases.json: case `b`: unknown key `expect.rulez`; did you mean `expect.rules`?"),
    ([case("a"), case("a")], "case names must be unique; repeated: a"),
    ([], "cases.json: holds no cases"),
])
def test_import_refuses_what_jurist_test_refuses_and_writes_nothing(team: Team, tmp_path: Path, cases: list,
                                                                      message: str) -> None:
    """One reader: a directory `jurist test` refuses (exit 2) is not half-imported (it used to be, exit 0)."""
    (tmp_path / "minors.policy").write_text(GOOD_POLICY)
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "cases.json").write_text(json.dumps({"cases": cases}))
    with pytest.raises(InvalidInput) as refused:
        team.erin.import_directory(tmp_path, "global")
    assert message in str(refused.value)
    assert "global" not in {r.name for r in team.vic.list_rulesets()}
    with pytest.raises(CaseError) as also:
        load_cases([tmp_path / "tests"])
    assert message in str(also.value)


def test_import_refuses_a_case_whose_image_cannot_be_read(team: Team, tmp_path: Path) -> None:
    """`jurist test` runs such a case and fails it closed; the store cannot keep bytes it does not have."""
    (tmp_path / "minors.policy").write_text(GOOD_POLICY)
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "cases.json").write_text(json.dumps({"cases": [case("a", ["nope.png"])]}))
    with pytest.raises(InvalidInput, match="cases.json: case `a`: image `nope.png` cannot be read"):
        team.erin.import_directory(tmp_path, "global")
    assert "global" not in {r.name for r in team.vic.list_rulesets()}


def test_import_refuses_a_policy_file_linking_outside_the_directory(team: Team, tmp_path: Path) -> None:
    """The store reads a directory as `jurist check` does: `secret.policy -> /etc/passwd` is not stored."""
    outside = tmp_path / "outside.txt"
    outside.write_text("root:x:0:0:root:/root:/bin/bash\n")
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "minors.policy").write_text(GOOD_POLICY)
    (rules / "secret.policy").symlink_to(outside)
    with pytest.raises(InvalidInput, match="secret.policy: a link to .*outside.txt, outside"):
        team.erin.import_directory(rules, "global")
    assert "global" not in {r.name for r in team.vic.list_rulesets()}
