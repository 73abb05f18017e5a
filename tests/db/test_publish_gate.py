"""Impact before approval: a submission keeps its backtest and case run; publishing refuses failing cases
unless an approver overrides with a reason the audit log keeps."""
from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

import pytest
from sqlalchemy import insert

from decision_logs import paid, record
from jurist.cli import main
from jurist.db.connection import write_session
from jurist.db.errors import FailingTests
from jurist.db.models import DecisionRecordRow
from jurist.engine.decision_ids import parse_utc
from published_team import Team, published_team
from small_ruleset import SOURCES

SWIMWEAR = {"persons": [{"labels": {"subject:real_person": 0.9, "attire:bikini": 0.8}}]}


@pytest.fixture
def team(tmp_path: Path) -> Iterator[Team]:
    t = published_team(tmp_path)
    free_gb = {"action": "edit", "country": "GB", "user": {"tier": "free"}, "date": "2026-03-01"}
    logged = [record(n, free_gb, {}, day="2026-03-01") for n in range(3)]
    for r in logged:
        r["observations"].update(SWIMWEAR)
    logged += [record(3 + n, paid("DE"), {"intent:sexualize": 0.9, "subject:real_person": 0.9}) for n in range(2)]
    rows = [{"decision_id": r["decision_id"], "role": "served", "policy_name": "global@v1", "policy_hash": "h",
             "decided_at": datetime.fromtimestamp(parse_utc(r["decided_at"]) / 1e9, tz=timezone.utc),
             "request_sha256": r["request_sha256"], "effect": "allow", "record": json.dumps(r)} for r in logged]
    admin = t.stores[0]
    with write_session(admin._actor.engine) as session:  # noqa: SLF001 - the table as a server fills it
        session.execute(insert(DecisionRecordRow), rows)
    yield t
    t.close()


def stricter_gb(team: Team) -> int:
    """erin's draft: GB's swimwear review becomes a deny, so the case expecting review fails."""
    erin = team.actions("erin")
    sources = dict(SOURCES)
    sources["gb/uk.policy"] = sources["gb/uk.policy"].replace("review attire:bikini", "deny attire:bikini")
    number = erin.store.create_draft("global", sources).number
    erin.take_step("submit", "global", number)
    return number


def test_submitting_keeps_the_backtest_and_the_case_run(team: Team) -> None:
    number = stricter_gb(team)
    bob = team.actions("bob")
    impact = bob.impact("global", number)
    assert impact is not None and impact.current
    assert (impact.against_number, impact.decisions, impact.flips, impact.loosening) == (1, 5, 3, 0)
    assert (impact.cases_run, impact.cases_failing) == (2, 1)
    report = impact.summary["backtest"]
    assert [(c["country"], c["from"], c["to"], c["count"]) for c in report["flips_by_country"]] == [
        ("GB", "review", "deny", 3)]
    assert bob.impact_flips_per_country("global", number) == [("GB", {"REVIEW→DENY": 3})]
    assert bob.impact_chart_svg("global", number).startswith("<svg")
    lines = bob.impact_summary("global", number)
    assert lines[0].startswith(f"Impact of v{number} against the published v1, computed ")
    assert "  1 of 2 test case(s) FAIL: gb free swimwear is reviewed" in lines
    submit = [e for e in bob.audit(subject="ruleset:global") if e.action == "version.submit"][0]
    assert (submit.details["flips"], submit.details["failing_cases"]) == (3, 1)


def test_publishing_refuses_failing_cases_unless_overridden_with_an_audited_reason(team: Team) -> None:
    number = stricter_gb(team)
    bob = team.actions("bob")
    bob.take_step("approve", "global", number)
    with pytest.raises(FailingTests, match=rf"global@v{number} fails 1 of its 2 test case\(s\) \(gb free swimwear is "
                                           r"reviewed\); fix them, or publish anyway with --override-failing-tests"):
        bob.take_step("publish", "global", number)
    assert bob.store.published_sources("global").info.number == 1
    published = bob.take_step("publish", "global", number, override_failing_tests="GB counsel: deny from today")
    assert published.state == "published"
    event = [e for e in bob.audit(subject="ruleset:global") if e.action == "version.publish"][0]
    assert event.details["override_failing_tests"] == "GB counsel: deny from today"
    assert event.details["failing_cases"] == 1 and bob.verify_audit().ok


def test_fixed_cases_need_no_override(team: Team) -> None:
    number = stricter_gb(team)
    bob = team.actions("bob")
    bob.take_step("reject", "global", number, "case x expects the old rule")  # it keeps the cases it was sent with
    erin = team.actions("erin")
    erin.store.save_test_case("global", {
        "name": "gb free swimwear is reviewed",
        "request": {"action": "edit", "country": "GB", "user": {"tier": "free"}, "date": "2026-03-01",
                    "observations": {"labels": {}, **SWIMWEAR}},
        "expect": {"effect": "deny", "rules": ["gb_swimwear_real"]}})
    erin.take_step("submit", "global", number)  # the next submission keeps the fixed case
    bob.take_step("approve", "global", number)
    assert bob.take_step("publish", "global", number).state == "published"  # the fresh run passes


def test_the_cli_shows_the_impact_before_approving(team: Team, capsys: pytest.CaptureFixture[str],
                                                   monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    number = stricter_gb(team)
    capsys.readouterr()
    monkeypatch.setenv("LOGNAME", "bob")
    page = tmp_path / "impact.html"
    assert main(["ruleset", "show", f"global@v{number}", "--db", team.url, "--html", str(page)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith(f"global@v{number}: in review; authors erin; hash sha256:")
    assert "    REVIEW→DENY: 3 (in GB 3; by gb_swimwear_real 3)" in out
    assert "<svg" in page.read_text()
    assert main(["ruleset", "approve", "global", "--db", team.url]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith(f"Impact of v{number} against the published v1") and out[-1] == \
        f"global@v{number} approved by bob"
    assert main(["ruleset", "publish", "global", "--db", team.url]) == 1
    assert "fails 1 of its 2 test case(s)" in capsys.readouterr().err
    assert main(["ruleset", "publish", "global", "--db", team.url, "--override-failing-tests", "reviewed"]) == 0
