"""A version's review thread: the submitter's note, comments and approvers' remarks, stored and audited."""
from __future__ import annotations

import pytest

from jurist.db.errors import InvalidInput, NotFound, PermissionDenied

from store_support import GOOD_POLICY, Team


def _submitted(team: Team, note: str = "") -> int:
    team.erin.create_ruleset("global", ["GB"])
    draft = team.erin.create_draft("global", {"global/minors.policy": GOOD_POLICY})
    team.erin.submit("global", draft.number, note=note)
    return draft.number


def test_the_submitters_note_opens_the_thread_and_each_step_adds_its_remark(team: Team) -> None:
    number = _submitted(team, note="Adds the GB minors rule.\nSee the Act, s.1.")
    team.alice.add_comment("global", number, "Which section of the Act exactly?")
    team.erin.add_comment("global", number, "  s.1(1)(a)  ")
    team.bob.reject("global", number, "cite the subsection in the rule")
    thread = team.vic.comments("global", number)  # a viewer reads the thread
    assert [(c.author, c.kind, c.body) for c in thread] == [
        ("erin", "note", "Adds the GB minors rule.\nSee the Act, s.1."),
        ("alice", "comment", "Which section of the Act exactly?"),
        ("erin", "comment", "s.1(1)(a)"),
        ("bob", "reject", "cite the subsection in the rule"),
    ]
    assert all(c.at.tzinfo is not None and c.at.utcoffset().total_seconds() == 0 for c in thread)
    assert [c.at for c in thread] == sorted(c.at for c in thread)


def test_notes_and_comments_are_audited_with_their_text(team: Team) -> None:
    number = _submitted(team, note="please check the threshold")
    team.alice.add_comment("global", number, "0.3 is what the guidance says")
    team.bob.approve("global", number, "ok")
    events = {e.action: e for e in team.admin.audit_log(20, f"ruleset:global@{number}")}
    assert events["version.submit"].details["note"] == "please check the threshold"
    assert (events["version.comment"].who, events["version.comment"].details["text"]) == (
        "alice", "0.3 is what the guidance says")
    assert [c.kind for c in team.admin.comments("global", number)] == ["note", "comment", "approve"]
    assert team.admin.verify_audit().ok


def test_an_empty_submit_note_adds_nothing_to_the_thread(team: Team) -> None:
    number = _submitted(team)
    assert team.erin.comments("global", number) == ()
    submit = next(e for e in team.admin.audit_log(20) if e.action == "version.submit")
    assert "note" not in submit.details


def test_who_may_write_and_what_is_refused(team: Team) -> None:
    number = _submitted(team)
    with pytest.raises(PermissionDenied, match="`vic` is a viewer; commenting on a version needs the editor role"):
        team.vic.add_comment("global", number, "I think so too")
    with pytest.raises(InvalidInput, match="the comment is empty"):
        team.alice.add_comment("global", number, "   \n  ")
    with pytest.raises(InvalidInput, match="the comment contains the control character"):
        team.alice.add_comment("global", number, "fine\x1b[2J")
    with pytest.raises(NotFound, match="ruleset `global` has no version 9"):
        team.alice.add_comment("global", 9, "hello")
    assert team.admin.comments("global", number) == ()


def test_the_change_marker_moves_with_every_change(team: Team) -> None:
    before = team.vic.change_marker()
    number = _submitted(team)
    after_submit = team.vic.change_marker()
    assert after_submit > before
    team.vic.list_versions("global")  # reads change nothing
    assert team.vic.change_marker() == after_submit
    team.alice.add_comment("global", number, "noted")
    assert team.vic.change_marker() == after_submit + 1
