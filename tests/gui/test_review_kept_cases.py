"""The review page says which test cases a version was submitted with, and how the working set differs now."""
from __future__ import annotations

from small_ruleset import CASES, SOURCES

CHANGED = SOURCES["eu/eu.policy"].replace("deny intent", "review intent")  # changes one case's decision


def test_the_approver_reads_which_cases_the_version_keeps(qtbot, make_window, team) -> None:
    erin = team.actions("erin")
    draft = erin.save(erin.open("global").info, {**SOURCES, "eu/eu.policy": CHANGED})
    erin.take_step("submit", "global", draft.number)
    erin.store.save_test_case("global", {**CASES[1], "expect": {"effect": "review", "rules": ["eu_deepfake"]}})
    bob = make_window("bob")
    bob.versions.select_version(draft.number)
    qtbot.waitUntil(lambda: "change decision" in bob.versions.impact.text(), timeout=20_000)
    shown = bob.versions.impact_view.toPlainText().splitlines()
    assert shown[:2] == ["Submitted with 2 test case(s), which it is tested and published with.",
                         "  The working set differs now: `fr sexual deepfake is denied` changed (the next submission "
                         "keeps it)."]
    assert "1 of 2 test case(s) fail on global@v2:" in shown  # the kept case, not the one edited since
