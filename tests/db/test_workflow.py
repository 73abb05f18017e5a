"""The version lifecycle through the service: draft → review → approved → published → retired."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from jurist.db.errors import (
    CheckUnavailable,
    CompileRefused,
    InvalidInput,
    InvalidTransition,
    NotFound,
    NothingPublished,
    TwoPersonRule,
)
from jurist.db.loader import published_sources
from jurist.db.seed import seed_if_empty
from jurist.db.service import Store

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


def test_publishing_supersedes_older_approved_versions(team: Team, url: str) -> None:
    """Approved versions older than the one published are retired with it: none can be published later
    by default, which would silently roll back."""
    published_ruleset(team)
    for _ in range(2):
        draft = team.erin.create_draft("global")
        team.erin.submit("global", draft.number)
        team.bob.approve("global", draft.number)
    assert team.alice.publish("global").number == 3
    states = {v.number: v.state for v in team.vic.list_versions("global")}
    assert states == {1: "retired", 2: "retired", 3: "published"}
    superseded = team.vic.audit_log(limit=1)[0]
    assert (superseded.action, superseded.subject, dict(superseded.details)) == (
        "version.retire", "ruleset:global@2", {"was": "approved", "superseded_by": 3})
    with pytest.raises(InvalidTransition, match="cannot publish global@v2: it is retired, not approved"):
        team.alice.publish("global", 2)
    assert published_sources(f"{url}#global")[1].startswith("global@v3 ")
    assert team.vic.verify_audit().ok


def test_publish_without_version_refuses_a_silent_rollback(team: Team, url: str) -> None:
    """v2 is approved only after v3 went out: plain `publish` would put the older v2 over v3."""
    published_ruleset(team)
    for _ in range(2):
        team.erin.submit("global", team.erin.create_draft("global").number)
    team.bob.approve("global", 3)
    team.alice.publish("global", 3)
    team.bob.approve("global", 2)
    with pytest.raises(InvalidTransition, match=r"^global@v2 is older than the published v3; publishing it would "
                                                r"roll back; to do that on purpose give `--version 2`$"):
        team.alice.publish("global")
    assert published_sources(f"{url}#global")[1].startswith("global@v3 ")

    assert team.alice.publish("global", 2).state == "published"  # named explicitly: an intended rollback
    event = team.vic.audit_log(limit=1)[0]
    assert (event.action, dict(event.details)["rollback"], dict(event.details)["retired"]) == (
        "version.publish", True, 3)
    assert published_sources(f"{url}#global")[1].startswith("global@v2 ")
    assert team.vic.verify_audit().ok


@pytest.mark.parametrize("action", ["submit", "approve", "publish"])
def test_transitions_out_of_order_are_refused(team: Team, action: str) -> None:
    published_ruleset(team)
    pattern = {"submit": "cannot submit global@v1: it is published, not a draft",
               "approve": "cannot approve global@v1: it is published, not in review",
               "publish": "cannot publish global@v1: it is published, not approved"}[action]
    with pytest.raises(InvalidTransition, match=pattern):
        getattr(team.alice, action)("global", 1)


def test_editing_a_submitted_version_is_refused(team: Team) -> None:
    team.erin.create_ruleset("global")
    draft = team.erin.create_draft("global", {"a.policy": GOOD_POLICY})
    team.erin.submit("global")
    with pytest.raises(InvalidTransition, match="cannot edit global@v1: it is in review, not a draft"):
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


def test_reimporting_a_retired_version_makes_a_new_draft(team: Team, tmp_path) -> None:
    (tmp_path / "gb.policy").write_text(GOOD_POLICY)
    first = team.erin.import_directory(tmp_path, "gb")
    team.alice.retire("gb", first.version.number)
    again = team.erin.import_directory(tmp_path, "gb")
    assert again.version is not None and (again.version.number, again.version.state) == (2, "draft")
    assert again.version.content_hash == first.version.content_hash
    assert team.erin.import_directory(tmp_path, "gb").version is None  # v2 is a live draft: nothing new


@pytest.mark.parametrize("codes,message", [
    (["gb"], "`gb` is not a country or region code (codes are upper case: `GB`)"),
    (["XX"], "`XX` is not a country or region code (an ISO 3166 code such as `GB` or `US-CA`)"),
])
def test_jurisdictions_are_iso_codes(team: Team, tmp_path, codes: list[str], message: str) -> None:
    (tmp_path / "gb.policy").write_text(GOOD_POLICY)
    with pytest.raises(InvalidInput, match=f"^{re.escape(message)}$"):
        team.erin.import_directory(tmp_path, "gb", codes)
    with pytest.raises(InvalidInput, match=f"^{re.escape(message)}$"):
        team.erin.create_ruleset("gb", codes)
    assert team.vic.list_rulesets() == ()
    assert team.erin.create_ruleset("us", ["US", "US-CA", "US"]).jurisdictions == ("US", "US-CA")


@pytest.mark.parametrize("act", [
    lambda t: t.bob.approve("global", 1, comment="LGTM\n 99 2026-12-01 carol version.approve"),
    lambda t: t.bob.reject("global", 1, comment="no\x1b[2K"),
    lambda t: t.erin.save_test_case("global", {"name": "a\nb", "request": {}, "expect": {"effect": "allow"}}),
    lambda t: t.erin.create_draft("global", {"a\u202e.policy": GOOD_POLICY}),
])
def test_control_characters_are_refused_on_input(team: Team, act) -> None:
    team.erin.create_ruleset("global")
    team.erin.create_draft("global", {"a.policy": GOOD_POLICY})
    team.erin.submit("global")
    before = team.vic.audit_log()
    with pytest.raises(InvalidInput, match=r"contains the control character `\\(n|x1b|u202e)`; line breaks, tabs and "
                                           "other control characters are not allowed"):
        act(team)
    assert team.vic.audit_log() == before


def test_no_version_in_the_state_wanted_is_a_refusal(team: Team) -> None:
    team.erin.create_ruleset("global")
    with pytest.raises(InvalidTransition, match="^ruleset `global` has no version in review$"):
        team.bob.approve("global")
    with pytest.raises(InvalidTransition, match="^ruleset `global` has no approved version$"):
        team.bob.publish("global")
    with pytest.raises(InvalidTransition, match="^ruleset `global` has no draft$"):
        team.erin.submit("global")
    with pytest.raises(NotFound, match="^ruleset `global` has no version 7$"):
        team.bob.approve("global", 7)


def test_a_store_opened_without_a_compile_check_reads_and_edits_but_cannot_submit(team: Team, url: str) -> None:
    """The compile check is handed in; without one, what needs it is refused with a StoreError that says so."""
    published_ruleset(team)
    with Store.open(url, login="erin") as erin:
        assert erin.get_sources("global").sources == {"global/minors.policy": GOOD_POLICY}
        draft = erin.create_draft("global")
        for attempt in (lambda: erin.submit("global", draft.number), lambda: erin.check("global", draft.number)):
            with pytest.raises(CheckUnavailable, match=r"needs a compile check, and this store was opened without "
                                                       r"one; open it with `Store.open\(\.\.\., check="):
                attempt()
    assert team.vic.get_version("global", draft.number).state == "draft"
    assert team.erin.check("global", draft.number).ok  # the same version, from a store given the check


def test_seeding_needs_the_check_and_writes_nothing_without_it(url: str, tmp_path: Path) -> None:
    (tmp_path / "a.policy").write_text(GOOD_POLICY)
    with Store.open(url, login="owner", create=True) as owner:
        with pytest.raises(CheckUnavailable, match="seeding the shipped rulesets needs a compile check"):
            seed_if_empty(owner, tmp_path)
        assert owner.list_rulesets() == ()
