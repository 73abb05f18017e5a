"""What waits for whose review, the review thread, and editing stored cases through the workbench."""
from __future__ import annotations

import pytest

from jurist.engine.cases import CaseError
from jurist.workbench.cases import CaseEdit

from published_team import Team
from small_ruleset import CASES, SOURCES


def _in_review(team: Team, note: str = "") -> int:
    erin = team.actions("erin")
    draft = erin.save(erin.open("global").info, {**SOURCES, "gb/uk.policy": SOURCES["gb/uk.policy"] + "# x\n"})
    erin.take_step("submit", "global", draft.number, note)
    return draft.number


def test_a_version_in_review_waits_for_approvers_who_did_not_write_it(team: Team) -> None:
    number = _in_review(team, "threshold unchanged, comment only")
    assert [(w.version.number, w.step) for w in team.actions("alice").waiting_for_me()] == [(number, "approve")]
    assert team.actions("erin").waiting_for_me() == ()   # an editor approves nothing
    assert team.actions("vic").waiting_for_me() == ()
    alice = team.actions("alice")
    alice.take_step("approve", "global", number, "fine")
    assert [(w.version.number, w.step) for w in alice.waiting_for_me()] == [(number, "publish")]
    assert [(c.author, c.kind, c.body) for c in alice.comments("global", number)] == [
        ("erin", "note", "threshold unchanged, comment only"), ("alice", "approve", "fine")]


def test_the_author_of_a_version_has_nothing_waiting_for_their_approval(team: Team) -> None:
    alice = team.actions("alice")
    draft = alice.save(alice.open("global").info, {**SOURCES, "eu/eu.policy": SOURCES["eu/eu.policy"] + "# y\n"})
    alice.take_step("submit", "global", draft.number)
    assert alice.waiting_for_me() == ()
    assert [w.version.number for w in team.actions("bob").waiting_for_me()] == [draft.number]


def test_editing_a_case_changes_its_expectation_and_renames_it(team: Team) -> None:
    erin = team.actions("erin")
    stored = {c.name: c for c in erin.test_cases("global")}
    old = stored[CASES[0]["name"]]
    edit = CaseEdit("gb free swimwear (edited)", old.request, "deny", ("gb_swimwear_real",), ("undress_real",))
    saved = erin.edit_case("global", old, edit)
    assert (saved.expected_effect, saved.expected_rules, saved.expected_not_rules) == (
        "deny", ("gb_swimwear_real",), ("undress_real",))
    names = sorted(c.name for c in erin.test_cases("global"))
    assert names == sorted(["gb free swimwear (edited)", CASES[1]["name"]])


def test_a_case_cannot_take_another_cases_name(team: Team) -> None:
    erin = team.actions("erin")
    first, second = erin.test_cases("global")
    with pytest.raises(CaseError, match=f"a test case named `{second.name}` already exists"):
        erin.edit_case("global", first, CaseEdit(second.name, first.request, "allow"))
    assert {c.name: c.expected_effect for c in erin.test_cases("global")} == {
        first.name: first.expected_effect, second.name: second.expected_effect}


def test_duplicating_a_case_keeps_its_images_and_finds_a_free_name(team: Team, tmp_path) -> None:
    erin = team.actions("erin")
    photo = tmp_path / "beach.png"
    photo.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 16)
    original = erin.edit_case("global", None, CaseEdit("beach photo", {"country": "GB", "images": [str(photo)]},
                                                        "allow"))
    copy = erin.duplicate_case("global", original)
    again = erin.duplicate_case("global", original)
    assert (copy.name, again.name) == ("beach photo (copy)", "beach photo (copy 2)")
    assert [(i.name, i.sha256) for i in copy.images] == [(i.name, i.sha256) for i in original.images]
    # editing keeps a stored image by its name, without the file on disk
    photo.unlink()
    edited = erin.edit_case("global", copy, CaseEdit(copy.name, copy.request, "review"))
    assert edited.images == copy.images and edited.expected_effect == "review"


def test_obligations_are_written_only_when_given() -> None:
    assert "obligations" not in CaseEdit("a", {}, "allow").document()["expect"]
    assert CaseEdit("a", {}, "allow", obligations=(("mark", "ai-generated"),)).document()["expect"][
        "obligations"] == [{"kind": "mark", "value": "ai-generated"}]
    assert CaseEdit("a", {}, "allow", obligations=()).document()["expect"]["obligations"] == []
