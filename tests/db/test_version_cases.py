"""Each version keeps the test cases it was submitted with: editing the working set afterwards changes neither
what the version is tested and published with nor what its review recorded; the kept rows are checked against
the hash the submission's audit event recorded, and a version submitted before versions kept cases still works."""
from __future__ import annotations

import json

import pytest
from sqlalchemy.exc import DBAPIError

from jurist.db.connection import create_store_engine
from jurist.db.errors import FailingTests, TamperedVersion
from jurist.db.loader import stored_cases
from jurist.db.migrate import downgrade, upgrade
from jurist.engine.cases import CaseResult

from store_support import GOOD_POLICY, Team, cli, forge_event, published_ruleset, raw_sql

CASE = {"name": "minor at the beach",
        "request": {"country": "GB", "observations": {"persons": [{"labels": {"subject:minor": 0.9,
                                                                              "nudity:exposed": 0.9}}]}},
        "expect": {"effect": "deny", "rules": ["minors_nudity"]}}
WEAKENED = {**CASE, "expect": {"effect": "allow", "rules": []}}
OTHER = {**CASE, "name": "another minor"}
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def submitted_v2(team: Team) -> int:
    """v1 published; v2 submitted with CASE in the working set."""
    published_ruleset(team)
    team.erin.save_test_case("global", CASE)
    number = team.erin.create_draft("global", {"global/minors.policy": GOOD_POLICY + "\n"}).number
    team.erin.submit("global", number)
    return number


def effects(documents: list[dict]) -> dict[str, str]:
    return {d["name"]: d["expect"]["effect"] for d in documents}


def result(name: str, passed: bool) -> CaseResult:
    """A case's outcome as a runner reports it (no decision: only pass or fail matters to the gate)."""
    return CaseResult(name, "deny", ("minors_nudity",), (), None, None, () if passed else ("expected deny",))


def test_a_case_weakened_after_approval_changes_nothing_the_version_is_tested_or_published_with(
        team: Team, url: str, capsys: pytest.CaptureFixture[str]) -> None:
    number = submitted_v2(team)
    team.alice.approve("global", number)
    team.erin.save_test_case("global", WEAKENED)  # through the service: allowed, audited, and beside the point
    team.erin.save_test_case("global", OTHER)

    kept = team.vic.case_set("global", number)
    assert kept.kept and effects(list(kept.documents)) == {"minor at the beach": "deny"}
    assert effects(team.vic.runnable_test_cases("global", number)) == {"minor at the beach": "deny"}
    working = team.vic.case_set("global")
    assert not working.kept and effects(list(working.documents)) == {"minor at the beach": "allow",
                                                                       "another minor": "deny"}
    changes = team.vic.case_changes("global", number)
    assert (changes.kept, changes.reviewed, changes.added, changes.changed) == (
        1, "approved", ("another minor",), ("minor at the beach",))
    assert changes.kept_line() == (f"global@v{number} keeps the 1 test case(s) it was submitted with; "
                                   "2 differ from the working set now")

    # a run of the weakened working set passes, but the gate reads the runs of the cases v2 kept
    team.erin.record_simulation("global", number, [result("minor at the beach", False)],
                                cases_hash=kept.cases_hash)
    team.erin.record_simulation("global", number, [result("minor at the beach", True), result("another minor", True)],
                                cases_hash=working.cases_hash)
    with pytest.raises(FailingTests, match=rf"global@v{number} fails 1 of its 1 test case\(s\) \(minor at the beach\)"):
        team.alice.publish("global", number)
    team.alice.publish("global", number, override_failing_tests="counsel agreed")
    assert effects(stored_cases(f"{url}#global")) == {"minor at the beach": "deny"}  # what `jurist test` runs
    publish = next(e for e in team.vic.audit_log(subject="ruleset:global") if e.action == "version.publish")
    assert publish.details["cases"] == kept.cases_hash
    assert team.vic.verify_audit().ok
    capsys.readouterr()
    assert cli("ruleset", "log", "global", "--db", url) == 0
    assert capsys.readouterr().out.splitlines()[-2:] == [
        changes.kept_line(), "2 test case(s) differ from those global@v2 was approved with: `another minor` added, "
                             "`minor at the beach` changed"]


def test_kept_cases_are_append_only_and_an_edit_behind_the_store_is_caught_and_refused(team: Team, url: str) -> None:
    number = submitted_v2(team)
    table = "version_cases"
    with pytest.raises(DBAPIError, match="append-only"):
        raw_sql(url, f"UPDATE {table} SET document = replace(document, '\"deny\"', '\"allow\"')")
    if url.startswith("sqlite"):
        raw_sql(url, f"DROP TRIGGER {table}_no_update")
    else:
        raw_sql(url, f"ALTER TABLE {table} DISABLE TRIGGER USER")
    raw_sql(url, f"UPDATE {table} SET document = replace(document, '\"deny\"', '\"allow\"')")

    [problem] = team.vic.verify_audit().mismatches
    assert problem.startswith(f"global@v{number}: the test cases it was submitted with were edited in the database "
                              "(they no longer match sha256:")
    refusal = rf"refusing the test cases of global@v{number}: .* were edited in the database"
    with pytest.raises(TamperedVersion, match=refusal):
        team.vic.runnable_test_cases("global", number)
    with pytest.raises(TamperedVersion, match=refusal):
        stored_cases(f"{url}#global@v{number}")
    with pytest.raises(TamperedVersion, match=rf"refusing to review global@v{number}: .* were edited"):
        team.alice.approve("global", number)
    assert effects(team.vic.runnable_test_cases("global")) == {"minor at the beach": "deny"}  # the working set


def test_kept_cases_deleted_behind_the_store_are_missing_not_replaced_by_the_working_set(team: Team, url: str) -> None:
    number = submitted_v2(team)
    if url.startswith("sqlite"):
        raw_sql(url, "DROP TRIGGER version_case_sets_no_delete", "DROP TRIGGER version_cases_no_delete",
                "DROP TRIGGER version_case_images_no_delete")
    else:
        raw_sql(url, *(f"ALTER TABLE {t} DISABLE TRIGGER USER"
                       for t in ("version_case_sets", "version_cases", "version_case_images")))
    kept = f"SELECT s.id FROM version_case_sets s JOIN versions v ON v.id = s.version_id WHERE v.number = {number}"
    raw_sql(url, f"DELETE FROM version_cases WHERE set_id IN ({kept})", f"DELETE FROM version_case_sets WHERE id IN "
                 f"(SELECT id FROM ({kept}) AS k)")
    [problem] = team.vic.verify_audit().mismatches
    assert problem.startswith(f"global@v{number}: the test cases it was submitted with (sha256:")
    with pytest.raises(TamperedVersion, match="are missing from the database"):
        team.vic.runnable_test_cases("global", number)


def test_a_kept_image_outlives_its_case_in_the_working_set(team: Team, url: str) -> None:
    published_ruleset(team)
    team.erin.save_test_case("global", {**CASE, "request": {**CASE["request"], "images": ["a.png"]}}, {"a.png": PNG})
    number = team.erin.create_draft("global", {"global/minors.policy": GOOD_POLICY + "\n"}).number
    team.erin.submit("global", number)
    team.erin.delete_test_case("global", "minor at the beach")  # its image's last case in the working set
    [kept] = team.vic.runnable_test_cases("global", number)
    assert kept["request"]["images"][0].startswith("data:image/png;base64,")
    assert team.vic.runnable_test_cases("global") == []
    assert team.vic.verify_audit().ok


def test_a_version_submitted_before_versions_kept_cases_is_tested_with_the_working_set(team: Team, url: str) -> None:
    team.erin.create_ruleset("global", ["GB"])
    team.erin.save_test_case("global", CASE)
    draft = team.erin.create_draft("global", {"global/minors.policy": GOOD_POLICY})
    working = team.vic.case_set("global")
    engine = create_store_engine(url)
    try:
        downgrade(engine, "0008_case_obligations")
        # what Jurist before 0009 wrote on submit: the state, and an event recording the working set's hash
        raw_sql(url, f"UPDATE versions SET state = 'in_review', submitted_at = CURRENT_TIMESTAMP, "
                     f"revision = revision + 1 WHERE number = {draft.number}")
        forge_event(url, "erin", "version.submit", f"ruleset:global@{draft.number}",
                    {"hash": draft.content_hash, "warnings": 0, "cases": working.cases_hash})
        upgrade(engine)
    finally:
        engine.dispose()
    assert team.vic.verify_audit().ok
    found = team.vic.case_set("global", draft.number)
    assert not found.kept and found.cases_hash == working.cases_hash
    team.bob.approve("global", draft.number)
    team.bob.publish("global", draft.number)
    team.erin.save_test_case("global", WEAKENED)  # as before 0009: the working set is what it is tested with
    assert effects(stored_cases(f"{url}#global")) == {"minor at the beach": "allow"}
    changes = team.vic.case_changes("global")
    assert (changes.kept, changes.changed) == (None, ("minor at the beach",))
    assert team.vic.verify_audit().ok


def test_jurist_test_runs_the_cases_a_named_version_was_submitted_with(
        team: Team, url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    number = submitted_v2(team)  # v1 kept no cases; v2 keeps CASE
    team.erin.save_test_case("global", OTHER)  # the working set moves on
    monkeypatch.setenv("JURIST_DB", url)
    capsys.readouterr()
    assert cli("test", f"store#global@v{number}", "--json") == 0
    run = json.loads(capsys.readouterr().out)
    assert [c["name"] for c in run["cases"]] == ["minor at the beach"]
    assert cli("test", f"{url}#global@v{number}", "--json") == 0
    assert [c["name"] for c in json.loads(capsys.readouterr().out)["cases"]] == ["minor at the beach"]
    assert cli("test", "store#global") == 2  # the published v1 was submitted with no cases
    assert "the store holds no cases for this ruleset" in capsys.readouterr().err


def test_an_approval_recording_other_cases_than_the_version_kept_is_a_forgery(team: Team, url: str) -> None:
    number = submitted_v2(team)
    team.erin.save_test_case("global", WEAKENED)
    version = team.vic.get_version("global", number)
    seq = forge_event(url, "bob", "version.approve", f"ruleset:global@{number}",
                      {"hash": version.content_hash, "comment": "", "cases": team.vic.case_set("global").cases_hash})
    assert any(v.message.startswith(f"event {seq}: `version.approve` on global@v{number} records test cases sha256:")
               and "but it was submitted with sha256:" in v.message for v in team.vic.verify_audit().violations)
