"""The review workflow as one table: who may move a version, from where, to where.

The service enforces every transition from `TRANSITIONS`, and windows ask
`may` whether to enable a button and what to say in its tooltip, so the two
cannot drift apart: a refusal the service would raise is a refusal here, for
the same reason.  Nothing here touches the database.

Roles are ordered (`ROLES`) and each includes the ones before it.
The two-person rule: nobody who wrote any of a version may approve it, neither
the acting user nor, when an admin acts as someone else, the admin behind it.
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from types import MappingProxyType
from typing import TYPE_CHECKING, Collection, Mapping

from jurist.dsl.keywords import EFFECTS as LANGUAGE_EFFECTS

if TYPE_CHECKING:  # records need SQLAlchemy; the table and the roles do not (the CLI reads them at start-up)
    from jurist.db.records import UserInfo, VersionInfo

ROLES = ("viewer", "editor", "approver", "admin")
STATES = ("draft", "in_review", "approved", "published", "retired")
EFFECTS = LANGUAGE_EFFECTS  # a test case's expected effect: one the language knows
# A version's review thread: the submitter's note, anyone's comment, an approver's approve or reject remark.
COMMENT_KINDS = ("note", "comment", "approve", "reject")


def describe_state(state: str) -> str:
    """How messages name a state after "it is": "a draft", "in review", "approved", …"""
    return {"draft": "a draft", "in_review": "in review"}.get(state, state)


_RANK = {role: rank for rank, role in enumerate(ROLES)}


@dataclass(frozen=True, slots=True)
class Transition:
    """One action of the review workflow."""

    action: str                     # "approve"
    role: str                       # the least role that may take it
    doing: str                      # how refusals name it: "approving"
    from_states: tuple[str, ...]    # the states it applies to
    to_state: str                   # the state it leaves the version in
    two_person: bool                # whether the version's authors are barred from it
    picks: tuple[str, ...]          # without a version number: the newest version in these states


TRANSITIONS: Mapping[str, Transition] = MappingProxyType({t.action: t for t in (
    Transition("submit", "editor", "submitting for review", ("draft",), "in_review", False, ("draft",)),
    Transition("approve", "approver", "approving", ("in_review",), "approved", True, ("in_review",)),
    Transition("reject", "approver", "rejecting", ("in_review", "approved"), "draft", False,
               ("in_review", "approved")),
    Transition("publish", "approver", "publishing", ("approved",), "published", False, ("approved",)),
    Transition("retire", "approver", "retiring", ("draft", "in_review", "approved", "published"), "retired",
               False, ("published",)),
)})
ACTIONS: tuple[str, ...] = tuple(TRANSITIONS)

# The least role for each other audited change, by its audit action: the service requires it, and replaying
# the audit log (`jurist.db.history`) checks every recorded change against it.
CHANGE_ROLES: Mapping[str, str] = MappingProxyType({
    "user.add": "admin", "user.role": "admin", "store.require_signed_approvals": "admin", "ruleset.seed": "admin",
    "ruleset.create": "editor", "version.import": "editor", "version.create": "editor", "version.save": "editor",
    "testcase.save": "editor", "testcase.delete": "editor", "testcase.import": "editor",
    "simulation.record": "editor", "user.key": "viewer",
    "token.add": "admin", "token.revoke": "admin", "version.comment": "editor",
})
# The changes that write a version's text: whoever makes one (and, under `--as`, the admin behind them) is
# one of its authors, barred from approving it.
WRITES: tuple[str, ...] = ("version.import", "version.create", "version.save")


class Refusal(Enum):
    """Which rule said no; the service raises a different error for each."""

    NO_VERSION = "no version"
    UNREGISTERED = "unregistered user"
    ROLE = "role"
    STATE = "state"
    TWO_PERSON = "two-person rule"


@dataclass(frozen=True, slots=True)
class Verdict:
    """Whether an action may be taken; `reason` says why not, or what it will do."""

    allowed: bool
    reason: str
    refusal: Refusal | None = None


def has_role(role: str | None, needed: str) -> bool:
    """Whether `role` includes `needed` (roles are ordered; None is no registered user)."""
    return role is not None and _RANK[role] >= _RANK[needed]


def with_article(role: str) -> str:
    """"an editor", "a viewer": how messages say what someone is."""
    return f"an {role}" if role[0] in "aeiou" else f"a {role}"


def judge(action: str, *, role: str | None, state: str, actor: str, authors: Collection[str] = (),
          login: str | None = None, label: str = "this version") -> Verdict:
    """May `actor` (holding `role`; None when unregistered) take `action` on a version in `state`?

    `authors` are everyone who wrote the version and `login` the admin acting
    as `actor`, if any; `label` names the version in the reason.  Checks run in
    the service's order: registration, role, state, the two-person rule.
    """
    transition = TRANSITIONS[action]
    if role is None:
        return Verdict(False, "you are not a registered user of this store", Refusal.UNREGISTERED)
    if not has_role(role, transition.role):
        return Verdict(False, f"{action} needs the {transition.role} role; you are {with_article(role)}",
                       Refusal.ROLE)
    if state not in transition.from_states:
        wanted = " or ".join(describe_state(s) for s in transition.from_states)
        return Verdict(False, f"{label} is {describe_state(state)}; {action} needs {wanted}", Refusal.STATE)
    if transition.two_person:
        writer = actor if actor in authors else login if login is not None and login in authors else None
        if writer is not None:
            who = "you" if writer == actor else f"`{writer}`, acting as you,"
            return Verdict(False, f"{who} wrote {label}; the two-person rule needs another approver",
                           Refusal.TWO_PERSON)
    return Verdict(True, f"{action} {label}")


def may(action: str, user: UserInfo | None, version: VersionInfo | None, *, login: str | None = None) -> Verdict:
    """Whether `user` may take `action` on `version` now, as the service would decide, and why not.

    `login` is the admin behind `user` when the store was opened with `as_user`.
    """
    if version is None:
        return Verdict(False, "select a version first", Refusal.NO_VERSION)
    return judge(action, role=user.role if user else None, state=version.state,
                 actor=user.name if user else "", authors=version.authors, login=login,
                 label=f"v{version.number}")
