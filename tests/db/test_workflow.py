"""The version lifecycle through the service: draft → review → approved → published → retired."""
from __future__ import annotations

import pytest

from jurist.db.errors import (
    CompileRefused, InvalidTransition, NothingPublished, TwoPersonRule,
)
from jurist.db.loader import published_sources

from store_support import BROKEN_POLICY, GOOD_POLICY, Team, published_ruleset


def test_full_lifecycle_and_loader(team: Team, url: str) -> None:
    first = published_ruleset(team)
    assert first == 1
    sources, origin = published_sources(f"{url}#global")
    assert sources == {"global/minors.policy": GOOD_POLICY}
    assert origin.startswith("global@v1 (sha256:")

    draft = team.erin.create_draft("global")
    assert (draft.number, draft.parent, draft.state) == (2, 1, "draft")
    edited = {"global/minors.policy": GOOD_POLICY + "rule r2: review intent:undress\n"}
    draft = team.erin.save_draft("global", 2, edited, draft.revision)
    team.erin.submit("global", 2)
    approved = team.bob.approve("global", 2, comment="looks right")
    assert [(a.approver, a.comment) for a in approved.approvals] == [("bob", "looks right")]

    # Until v2 is published, v1 is still what is served.
    assert published_sources(f"{url}#global")[0] == {"global/minors.policy": GOOD_POLICY}
    team.alice.publish("global", 2)
    states = {v.number: v.state for v in team.vic.list_versions("global")}
    assert states == {1: "retired", 2: "published"}
    assert published_sources(f"{url}#global")[0] == edited

    listing = team.vic.list_rulesets()
    assert [(r.name, r.published, r.latest, r.latest_state) for r in listing] == [("global", 2, 2, "published")]

    diff = team.vic.diff("global", 1, 2)
    assert [(f.path, f.status) for f in diff.files] == [("global/minors.policy", "changed")]
    assert "+rule r2: review intent:undress" in diff.unified

    team.alice.retire("global")
    with pytest.raises(NothingPublished, match="ruleset `global` has no published version"):
        published_sources(f"{url}#global")
    assert team.vic.verify_audit().ok


def test_submit_refuses_compile_errors_with_diagnostics(team: Team) -> None:
    team.erin.create_ruleset("global")
    draft = team.erin.create_draft("global", {"gb.policy": BROKEN_POLICY})
    with pytest.raises(CompileRefused, match=r"global@v1 has 1 compile error\(s\); fix them before submitting") as err:
        team.erin.submit("global", draft.number)
    assert "gb.policy:2:17: error: unknown label `subject:minr`" in err.value.rendered
    assert "did you mean `subject:minor`?" in err.value.rendered
    assert [d.severity for d in err.value.diagnostics] == ["error"]
    assert team.vic.get_version("global", 1).state == "draft"


def test_author_cannot_approve_own_version(team: Team) -> None:
    """Alice is an approver, but she wrote part of the draft, so she may not approve it."""
    team.erin.create_ruleset("global")
    draft = team.erin.create_draft("global", {"a.policy": GOOD_POLICY})
    team.alice.save_draft("global", 1, {"a.policy": GOOD_POLICY + "\n"}, draft.revision)
    team.erin.submit("global", 1)
    before = team.vic.audit_log()
    with pytest.raises(TwoPersonRule, match="`alice` wrote global@v1 and cannot approve it; another approver must"):
        team.alice.approve("global", 1)
    assert team.vic.get_version("global", 1).state == "in_review"
    assert team.vic.audit_log() == before
    assert team.bob.approve("global", 1).state == "approved"


def test_admin_author_cannot_approve_own_version(team: Team) -> None:
    team.admin.create_ruleset("global")
    team.admin.create_draft("global", {"a.policy": GOOD_POLICY})
    team.admin.submit("global")
    with pytest.raises(TwoPersonRule):
        team.admin.approve("global")


def test_at_most_one_published_version(team: Team) -> None:
    published_ruleset(team)
    for _ in range(2):
        draft = team.erin.create_draft("global")
        team.erin.submit("global", draft.number)
        team.bob.approve("global", draft.number)
    team.alice.publish("global", 3)
    team.alice.publish("global", 2)  # an older approved version may be rolled forward to
    states = {v.number: v.state for v in team.vic.list_versions("global")}
    assert states == {1: "retired", 2: "published", 3: "retired"}


@pytest.mark.parametrize("action", ["submit", "approve", "publish"])
def test_transitions_out_of_order_are_refused(team: Team, action: str) -> None:
    published_ruleset(team)
    pattern = {"submit": "cannot submit global@v1: it is published, not draft",
               "approve": "cannot approve global@v1: it is published, not in review",
               "publish": "cannot publish global@v1: it is published, not approved"}[action]
    with pytest.raises(InvalidTransition, match=pattern):
        getattr(team.alice, action)("global", 1)


def test_editing_a_submitted_version_is_refused(team: Team) -> None:
    team.erin.create_ruleset("global")
    draft = team.erin.create_draft("global", {"a.policy": GOOD_POLICY})
    team.erin.submit("global")
    with pytest.raises(InvalidTransition, match="cannot edit global@v1: it is in review, not draft"):
        team.erin.save_draft("global", 1, {"a.policy": "default deny\n"}, draft.revision)


def test_reject_sends_back_to_draft_and_clears_approvals(team: Team) -> None:
    team.erin.create_ruleset("global")
    team.erin.create_draft("global", {"a.policy": GOOD_POLICY})
    team.erin.submit("global")
    team.bob.approve("global")
    rejected = team.alice.reject("global", 1, comment="cite the statute")
    assert (rejected.state, rejected.approvals) == ("draft", ())
    assert team.vic.audit_log(limit=1)[0].details == {"comment": "cite the statute"}


def test_import_creates_draft_and_skips_unchanged(team: Team, tmp_path) -> None:
    (tmp_path / "gb").mkdir()
    (tmp_path / "gb" / "minors.policy").write_text(GOOD_POLICY)
    first = team.erin.import_directory(tmp_path, "gb", ["GB"])
    assert first.version is not None and first.version.files == ("gb/minors.policy",)
    again = team.erin.import_directory(tmp_path, "gb")
    assert again.version is None
    assert [r.jurisdictions for r in team.vic.list_rulesets()] == [("GB",)]
