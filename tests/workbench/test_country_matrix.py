"""The country matrix: one request decided from every place, each cell naming the rule that decided it."""
from __future__ import annotations

from pathlib import Path

import pytest

import jurist
from jurist.engine.report import build_report
from jurist.workbench.matrix import Place, evaluate_matrix, places, request_at, to_csv
from jurist.workbench.progress import Cancelled, Progress

from small_ruleset import SOURCES

ROOT = Path(__file__).resolve().parents[2]
DEEPFAKE = {"action": "edit", "user": {"tier": "paid"}, "surface": "app", "date": "2026-03-01",
            "observations": {"labels": {"intent:sexualize": 0.9}, "persons": [{"labels": {"subject:real_person": 0.9}}]}}


@pytest.fixture(scope="module")
def policy() -> jurist.Policy:
    return jurist.Policy.from_sources(SOURCES, "test")


def test_cells_are_the_engines_exhaustive_decisions(policy: jurist.Policy) -> None:
    where = [Place("FR", "France", "country"), Place("GB", "United Kingdom", "country"),
             Place("US-CA", "California", "US state"), Place("US-TX", "Texas", "US state")]
    cells = evaluate_matrix(policy, DEEPFAKE, where)
    for cell in cells:
        expected = policy.decide(request_at(DEEPFAKE, cell.place), exhaustive=True)
        assert cell.effect == expected.effect
        assert cell.rule == (expected.deciding_rule.id if not expected.default_applied and expected.deciding_rule
                             else "")
    assert [(c.place.code, c.effect, c.rule) for c in cells] == [
        ("FR", "deny", "eu_deepfake"), ("GB", "allow", ""), ("US-CA", "deny", "ca_deepfake"), ("US-TX", "allow", "")]


def test_csv_says_what_was_decided_by_which_rules_and_when(policy: jurist.Policy) -> None:
    cells = evaluate_matrix(policy, DEEPFAKE, [Place("FR", "France", "country"), Place("GB", "United Kingdom",
                                                                                       "country")])
    text = to_csv(cells, DEEPFAKE, "global@v3")
    lines = text.splitlines()
    assert lines[0] == "# request: action=edit, user.tier=paid, surface=app, date=2026-03-01"
    assert lines[1] == "# rules: global@v3" and lines[2].startswith("# decided: ") and lines[2].endswith(" UTC")
    assert lines[3] == "code,name,kind,decision,deciding_rule,cite,source,obligations"
    assert lines[4] == "FR,France,country,deny,eu_deepfake,AI Act Art. 50,eu/eu.policy:2,"
    assert lines[5].startswith("GB,United Kingdom,country,allow,(default)")


def test_the_matrix_stops_when_cancelled(policy: jurist.Policy) -> None:
    seen: list[int] = []
    progress = Progress(lambda done, total: (seen.append(done), progress.cancel() if done == 3 else None))
    with pytest.raises(Cancelled):
        evaluate_matrix(policy, {"action": "generate"}, progress=progress)
    assert seen == [1, 2, 3]


def test_the_matrix_and_the_report_name_the_same_deciding_rule_everywhere() -> None:
    """One rule for "which rule decided": the GUI's matrix and `jurist report` used to disagree
    (a paid user's child in swimwear in AU: `geoblock_real_person_swimwear` against `minor_intimate_attire`)."""
    policy = jurist.load(ROOT / "rulesets")
    report = build_report(policy)
    by_code = {p.code: p for p in places()}
    compared = 0
    for s, scenario in enumerate(report.scenarios):
        for p, place in enumerate(report.places):
            code = place.region or place.country
            if code not in by_code:
                continue
            for outcome in report.matrix[s][p].outcomes:
                request = dict(scenario.request, date=outcome.period.probe().isoformat())
                [cell] = evaluate_matrix(policy, request, [by_code[code]])
                assert (cell.effect, cell.rule or None) == (outcome.effect, outcome.rule), (scenario.key, code)
                compared += 1
    assert compared > 50
    child = next(s for s in report.scenarios if s.stage == "input" and "a child in a bikini (one person)" in s.title)
    [cell] = evaluate_matrix(policy, dict(child.request, date="2026-03-01"), [by_code["AU"]])
    assert (cell.effect, cell.rule) == ("deny", "minor_intimate_attire")


def test_matrix_cells_carry_the_obligations_of_each_place() -> None:
    from pathlib import Path

    import jurist
    from jurist.workbench.matrix import Place, evaluate_matrix, to_csv

    policy = jurist.load(Path(__file__).resolve().parents[2] / "rulesets")
    request = {"action": "edit", "user": {"tier": "paid"}, "surface": "app", "date": "2026-09-01",
               "observations": {"labels": {"subject:real_person": 0.95}}}
    fr, us = evaluate_matrix(policy, request, [Place("FR", "France", "country"), Place("US", "United States", "country")])
    assert fr.effect == "allow" and fr.obligations == 'mark "ai-generated"; disclose "deepfake"'
    assert us.obligations == ""
    assert to_csv([fr]).splitlines()[1].endswith(',"mark ""ai-generated""; disclose ""deepfake"""')
