"""Replaying the audit log against the workflow: could the service have written this history?

The hash chain shows that no event was edited, deleted or moved, but anyone
who can write the table can still append correctly chained events: an editor
who "approves" and "publishes" her own version, a user who makes himself
admin.  Replaying checks every event against what the service checks before
writing one: who held which role at that moment (from `user.bootstrap`,
`user.add` and `user.role` events), who wrote each version (the actor, and
under `--as` the admin behind them, of every import, create and save), the
workflow table's transitions and the two-person rule (`jurist.db.workflow`),
the keys approvers registered and, once the store requires them, valid
signatures on approvals.  Every event the service could not have written is a
`violation`.

It judges what every release of the service has enforced, so a store written
by an older Jurist replays clean: guards added later (names differing only in
case, keeping the last admin, recording a rollback) stay the service's alone.

What the replay rebuilds (roles, authors, approvals, each version's state and
hash, each ruleset's test cases) is the history the log proves; `audit verify`
compares the tables with it and the loader trusts it instead of the tables.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session

from jurist.db.audit import AuditProblem
from jurist.db.hashing import GENESIS, case_set_hash, event_hash
from jurist.db.models import AuditEvent, AuditHead
from jurist.db.records import CaseChanges
from jurist.db.signing import approval_statement, fingerprint, verify
from jurist.db.workflow import (
    CHANGE_ROLES, ROLES, TRANSITIONS, WRITES, Refusal, describe_state, has_role, judge, with_article,
)

BASELINE_ACTOR = "(upgrade)"  # who records `history.baseline`; no user name can be written so


@dataclass
class Trail:
    """One version as the audit log tells it."""

    state: str = "draft"
    hash: str | None = None                               # the hash the last event was made on
    approved: set[str] = field(default_factory=set)       # hashes an approval (or the seed) signed off
    published_hash: str | None = None                     # the hash the last publish recorded
    authors: set[str] = field(default_factory=set)        # everyone who wrote any of it
    approvers: list[str] = field(default_factory=list)    # approvals since it last went back to draft
    signed: dict[str, set[str]] = field(default_factory=dict)  # hash -> approvers whose signature verified
    reviewed: dict[str, str | None] | None = None          # the ruleset's cases when it was last approved or submitted
    reviewed_by: str = ""                                  # "approved" or "submitted"
    kept: str | None = None                                # the case set hash its newest submission kept with it


@dataclass
class RulesetHistory:
    """A ruleset as the audit log tells it."""

    jurisdictions: tuple[str, ...] = ()
    versions: dict[int, Trail] = field(default_factory=dict)
    cases: dict[str, str | None] = field(default_factory=dict)  # name -> case hash; None: saved before hashes
    cases_complete: bool = True  # False after an import that did not name its cases (before hashes)

    def cases_known(self) -> bool:
        return self.cases_complete and all(h is not None for h in self.cases.values())


@dataclass
class History:
    """The store as its audit log proves it, and every event the service could not have written."""

    users: dict[str, str] = field(default_factory=dict)     # name -> role
    keys: dict[str, str] = field(default_factory=dict)      # name -> registered public key
    rulesets: dict[str, RulesetHistory] = field(default_factory=dict)
    signed_approvals_since: int | None = None               # the event that made signatures required
    violations: list[AuditProblem] = field(default_factory=list)
    broken: list[AuditProblem] = field(default_factory=list)  # events edited, missing or out of chain
    events: int = 0

    @property
    def signed_approvals(self) -> bool:
        return self.signed_approvals_since is not None

    def trail(self, ruleset: str, number: int) -> Trail | None:
        found = self.rulesets.get(ruleset)
        return found.versions.get(number) if found else None

    def first_problem(self) -> AuditProblem | None:
        """The first reason not to trust this history: a broken chain, else a forged event; None when sound."""
        found = self.broken or self.violations
        return found[0] if found else None


class _Unreplayable(Exception):
    """The event cannot be replayed at all (it names a ruleset or version the log never created)."""


@dataclass(frozen=True, slots=True)
class _Step:
    """One event being replayed; `broken` says its own hash no longer holds (already reported)."""

    seq: int
    actor: str
    via: str | None
    action: str
    subject: str
    details: dict[str, Any]
    broken: bool
    notes: list[str]

    @property
    def who(self) -> str:
        return f"`{self.actor}` (via `{self.via}`)" if self.via else f"`{self.actor}`"

    def refuse(self, message: str) -> None:
        """The service would not have written this event; the replay goes on as if it had."""
        self.notes.append(message)


def replay(session: Session) -> History:
    """Replay the whole log, oldest first, into the history it proves."""
    history = History()
    prev_seq, prev_hash = 0, GENESIS
    rows = session.execute(select(AuditEvent.seq, AuditEvent.at, AuditEvent.actor, AuditEvent.action,
                                  AuditEvent.subject, AuditEvent.details, AuditEvent.prev_hash, AuditEvent.hash)
                           .order_by(AuditEvent.seq).execution_options(yield_per=2000))  # plain rows: no ORM cost
    for seq, at, actor, action, subject, details, prev, digest in rows:
        history.events += 1
        broken = False
        if seq != prev_seq + 1 or prev != prev_hash:
            history.broken.append(AuditProblem(seq, f"event {seq} does not follow event {prev_seq}"))
        if event_hash(seq, at, actor, action, subject, details, prev) != digest:
            history.broken.append(AuditProblem(seq, f"event {seq} was edited"))
            broken = True
        prev_seq, prev_hash = seq, digest
        step = _parse(seq, actor, action, subject, details, broken)
        if step is None:
            history.broken.append(AuditProblem(seq, f"event {seq} has unreadable details"))
            continue
        apply(history, step)
    head = session.execute(select(AuditHead).where(AuditHead.id == 1)).scalar_one_or_none()
    if head is None or head.seq != prev_seq or head.hash != prev_hash:
        history.broken.append(AuditProblem(prev_seq, "the audit head does not match the last event "
                                                     "(events were deleted, or the head record was)"))
    return history


def apply(history: History, step: _Step) -> None:
    """Check one event against the rules and replay what it did.

    An event that breaks a rule is a violation, and is still replayed, so one
    forged event is reported once rather than through everything after it.
    An edited event (its hash broken, reported by the chain check) is replayed
    as written without judging it: its content is not what was recorded.
    """
    handler = _HANDLERS.get(step.action)
    try:
        if handler is None:
            raise _Unreplayable(f"`{step.action}` is not an action Jurist records")
        handler(history, step)
    except _Unreplayable as exc:
        step.notes.append(str(exc))
    if not step.broken:
        history.violations.extend(AuditProblem(step.seq, f"event {step.seq}: {note}") for note in step.notes)


def _parse(seq: int, actor: str, action: str, subject: str, text: str, broken: bool) -> _Step | None:
    try:
        details = json.loads(text)
    except (ValueError, TypeError):
        return None
    if not isinstance(details, dict):
        return None
    via = details.pop("via", None)
    return _Step(seq, actor, via if isinstance(via, str) else None, action, subject, details, broken, [])


# -- who may ------------------------------------------------------------------------------------------------

def _acting_role(history: History, step: _Step) -> str | None:
    """The actor's role at this event (None: unregistered), noting an unregistered actor or a `via` no admin."""
    if step.via is not None and history.users.get(step.via) != "admin":
        was = history.users.get(step.via)
        step.refuse(f"`{step.via}` acted as `{step.actor}`, but only an admin may act as another user and "
                    f"`{step.via}` was {with_article(was) if was else 'not a registered user'}")
    role = history.users.get(step.actor)
    if role is None:
        step.refuse(f"`{step.actor}` recorded `{step.action}` without being a registered user")
    return role


def _require(history: History, step: _Step, role: str | None = None) -> None:
    needed = role or CHANGE_ROLES[step.action]
    held = _acting_role(history, step)
    if held is not None and not has_role(held, needed):
        step.refuse(f"{step.who} recorded `{step.action}` as {with_article(held)}; it needs the {needed} role")


def _user_subject(step: _Step) -> str:
    kind, _, name = step.subject.partition(":")
    if kind != "user" or not name:
        raise _Unreplayable(f"`{step.action}` is about `{step.subject}`, not a user")
    return name


def _ruleset(history: History, step: _Step) -> tuple[str, RulesetHistory]:
    kind, _, rest = step.subject.partition(":")
    name = rest.partition("@")[0]
    found = history.rulesets.get(name) if kind == "ruleset" else None
    if found is None:
        raise _Unreplayable(f"`{step.action}` is about `{step.subject}`, a ruleset the log never created")
    return name, found


def _version(history: History, step: _Step) -> tuple[str, int, RulesetHistory, Trail | None]:
    name, ruleset = _ruleset(history, step)
    number = step.subject.rpartition("@")[2]
    if "@" not in step.subject or not number.isdigit():
        raise _Unreplayable(f"`{step.action}` is about `{step.subject}`, not a version")
    return name, int(number), ruleset, ruleset.versions.get(int(number))


def _existing(history: History, step: _Step) -> tuple[str, int, RulesetHistory, Trail]:
    name, number, ruleset, trail = _version(history, step)
    if trail is None:
        raise _Unreplayable(f"`{step.action}` is about {name}@v{number}, a version the log never created")
    return name, number, ruleset, trail


# -- users ---------------------------------------------------------------------------------------------------

def _bootstrap(history: History, step: _Step) -> None:
    name = _user_subject(step)
    if history.users:
        step.refuse(f"`{step.actor}` made themself the first admin of a store that already had users")
    if name != step.actor or step.via is not None:
        step.refuse("the first admin of a store is the login that opened it, nobody else")
    history.users[name] = "admin"


def _user_add(history: History, step: _Step) -> None:
    _require(history, step)
    name, role = _user_subject(step), step.details.get("role")
    if name in history.users:  # (names differing only in case were allowed before the service refused them)
        step.refuse(f"added user `{name}`, who already existed")
    if role not in ROLES:
        raise _Unreplayable(f"added user `{name}` with the unknown role `{role}`")
    history.users[name] = str(role)


def _user_role(history: History, step: _Step) -> None:
    _require(history, step)
    name, old, new = _user_subject(step), step.details.get("from"), step.details.get("to")
    if name not in history.users:
        raise _Unreplayable(f"changed the role of `{name}`, who was not a user")
    if new not in ROLES:
        raise _Unreplayable(f"gave `{name}` the unknown role `{new}`")
    if old != history.users[name]:
        step.refuse(f"records `{name}`'s role changing from {old}, but `{name}` was {history.users[name]}")
    history.users[name] = str(new)


def _user_key(history: History, step: _Step) -> None:
    from jurist.db.errors import InvalidInput
    from jurist.db.signing import parse_public_key

    _require(history, step)
    name = _user_subject(step)
    if name != step.actor or step.via is not None:
        step.refuse(f"{step.who} registered a key for `{name}`; only a user registers their own key")
    try:
        history.keys[name] = parse_public_key(str(step.details.get("key", "")))
    except InvalidInput:
        raise _Unreplayable(f"`{name}` registered something that is not a public key") from None


def _require_signatures(history: History, step: _Step) -> None:
    _require(history, step)
    if step.details.get("required") is not True:
        step.refuse("signed approvals, once required, cannot be turned off")
    elif history.signed_approvals_since is None:
        history.signed_approvals_since = step.seq


# -- rulesets and versions -------------------------------------------------------------------------------------

def _ruleset_create(history: History, step: _Step) -> None:
    _require(history, step)
    kind, _, name = step.subject.partition(":")
    if kind != "ruleset" or not name or "@" in name:
        raise _Unreplayable(f"`ruleset.create` is about `{step.subject}`, not a ruleset")
    if name in history.rulesets:
        raise _Unreplayable(f"created ruleset `{name}`, which already existed")
    codes = step.details.get("jurisdictions") or []
    history.rulesets[name] = RulesetHistory(tuple(str(c) for c in codes))


def _new_version(history: History, step: _Step) -> None:
    _require(history, step)
    name, number, ruleset, trail = _version(history, step)
    if trail is not None:
        raise _Unreplayable(f"created {name}@v{number}, which already existed")
    expected = max(ruleset.versions, default=0) + 1
    if number != expected:
        step.refuse(f"created {name}@v{number}, but the next version of `{name}` was v{expected}")
    parent = step.details.get("parent")
    if step.action == "version.create" and parent is not None and parent not in ruleset.versions:
        step.refuse(f"created {name}@v{number} from v{parent}, which did not exist")
    ruleset.versions[number] = Trail(hash=_hash(step), authors=_writers(step))


def _save(history: History, step: _Step) -> None:
    _require(history, step)
    name, number, _, trail = _existing(history, step)
    if trail.state != "draft":
        step.refuse(f"{step.who} saved {name}@v{number} while it was {describe_state(trail.state)}; only drafts "
                    "are edited")
    trail.hash = _hash(step)
    trail.authors |= _writers(step)


def _writers(step: _Step) -> set[str]:
    """Who wrote a change: the actor and, under `--as`, the admin behind them (the service's rule)."""
    return {step.actor} | ({step.via} if step.via else set())


def _hash(step: _Step) -> str | None:
    value = step.details.get("hash")
    if not isinstance(value, str):
        step.refuse(f"`{step.action}` on `{step.subject}` records no hash")
        return None
    return value


def _transition(history: History, step: _Step) -> None:
    action = step.action.removeprefix("version.")
    name, number, ruleset, trail = _existing(history, step)
    label = f"{name}@v{number}"
    role = _acting_role(history, step)
    if role is not None:
        verdict = judge(action, role=role, state=trail.state, actor=step.actor, authors=trail.authors,
                        login=step.via, label=label)
        if verdict.refusal is Refusal.ROLE:
            step.refuse(f"{step.who} took `{action}` on {label} as {with_article(role)}; it needs the "
                        f"{TRANSITIONS[action].role} role")
        elif verdict.refusal is Refusal.TWO_PERSON:
            writers = sorted(trail.authors & _writers(step))
            step.refuse(f"{step.who} approved {label}, which `{writers[0]}` wrote; the two-person rule needs "
                        "another approver")
        elif not verdict.allowed:
            step.refuse(f"{step.who} could not {action} {label}: {verdict.reason}")
    recorded = step.details.get("hash")
    if recorded is not None and recorded != trail.hash:
        step.refuse(f"{step.who} took `{action}` on {label} with {_short(recorded)}, but the version held "
                    f"{_short(trail.hash)}")
    _check_cases(ruleset, step, label, trail)
    _TRANSITION_EFFECTS[action](history, step, name, number, ruleset, trail)
    trail.state = TRANSITIONS[action].to_state


def _submitted(history: History, step: _Step, name: str, number: int, ruleset: RulesetHistory, trail: Trail) -> None:
    trail.reviewed, trail.reviewed_by = dict(ruleset.cases), "submitted"
    recorded = step.details.get("cases")
    trail.kept = recorded if step.details.get("kept_cases") is True and isinstance(recorded, str) else None


def _approved(history: History, step: _Step, name: str, number: int, ruleset: RulesetHistory, trail: Trail) -> None:
    content = trail.hash or ""
    signature = step.details.get("signature")
    if signature is not None:
        key = history.keys.get(step.actor)
        statement = approval_statement(name, number, content, step.details.get("cases"), step.actor)
        if key is None:
            step.refuse(f"{step.who} signed the approval of {name}@v{number} without a registered key")
        elif step.details.get("key") != key or not verify(key, statement, str(signature)):
            step.refuse(f"the signature on {step.who}'s approval of {name}@v{number} does not verify against "
                        f"their registered key {fingerprint(key)}")
        else:
            trail.signed.setdefault(content, set()).add(step.actor)
    elif history.signed_approvals:
        step.refuse(f"{step.who} approved {name}@v{number} without a signature; this store requires signed "
                    f"approvals since event {history.signed_approvals_since}")
    trail.approved.add(content)
    trail.approvers.append(step.actor)
    if trail.kept is None:  # approved with the working set; a version that kept its cases, with those
        trail.reviewed = dict(ruleset.cases)
    trail.reviewed_by = "approved"


def _rejected(history: History, step: _Step, name: str, number: int, ruleset: RulesetHistory, trail: Trail) -> None:
    trail.approved.clear()
    trail.approvers.clear()


def _published(history: History, step: _Step, name: str, number: int, ruleset: RulesetHistory, trail: Trail) -> None:
    previous = next((n for n, t in ruleset.versions.items() if t.state == "published" and t is not trail), None)
    said = step.details.get("retired")
    if said != previous:
        step.refuse(f"publishing {name}@v{number} records {'v' + str(said) if said else 'nothing'} as retired, "
                    f"but {'v' + str(previous) if previous else 'nothing'} was published")
    if history.signed_approvals and not trail.signed.get(trail.hash or ""):
        step.refuse(f"published {name}@v{number} with no signed approval; this store requires signed approvals "
                    f"since event {history.signed_approvals_since}")
    _publish(ruleset, trail)


def _publish(ruleset: RulesetHistory, trail: Trail) -> None:
    for other in ruleset.versions.values():
        if other is not trail and other.state == "published":
            other.state = "retired"
    trail.published_hash = trail.hash


def _retired(history: History, step: _Step, name: str, number: int, ruleset: RulesetHistory, trail: Trail) -> None:
    return None


_TRANSITION_EFFECTS: Mapping[str, Callable[[History, _Step, str, int, RulesetHistory, Trail], None]] = {
    "submit": _submitted, "approve": _approved, "reject": _rejected, "publish": _published, "retire": _retired,
}


def _seed(history: History, step: _Step) -> None:
    """The shipped rules, published without review on first run: only into a store's first and only ruleset."""
    _require(history, step)
    name, number, ruleset, trail = _existing(history, step)
    if len(history.rulesets) != 1 or len(ruleset.versions) != 1 or trail.state != "draft":
        step.refuse(f"seeded {name}@v{number}, but seeding publishes only the first version of a store's only "
                    "ruleset, as a draft")
    trail.hash = _hash(step)
    trail.approved.add(trail.hash or "")
    _publish(ruleset, trail)
    trail.state = "published"


def _check_cases(ruleset: RulesetHistory, step: _Step, label: str, trail: Trail) -> None:
    """A review step records the cases it saw: those its version kept when submitted, else the working set."""
    recorded = step.details.get("cases")
    if recorded is not None and kept_cases(trail) is not None:
        if recorded != trail.kept:
            step.refuse(f"`{step.action}` on {label} records test cases {_short(recorded)}, but it was submitted "
                        f"with {_short(trail.kept)}")
    elif recorded is not None and ruleset.cases_known() and recorded != case_set_hash(ruleset.cases):
        step.refuse(f"`{step.action}` on {label} records test cases {_short(recorded)}, but the log's cases of "
                    f"that moment hash to {_short(case_set_hash(ruleset.cases))}")


def kept_cases(trail: Trail | None) -> str | None:
    """The case set hash a version is tested with, when it kept its cases at its newest submission and is not a
    draft again (a draft is tested with the working set, which its next submission keeps); else None."""
    if trail is None or trail.state == "draft":
        return None
    return trail.kept


# -- test cases and runs -------------------------------------------------------------------------------------------

def _case_save(history: History, step: _Step) -> None:
    _require(history, step)
    _, ruleset = _ruleset(history, step)
    name = step.details.get("case")
    digest = step.details.get("hash")
    if not isinstance(name, str):
        raise _Unreplayable("`testcase.save` names no case")
    ruleset.cases[name] = digest if isinstance(digest, str) else None


def _case_delete(history: History, step: _Step) -> None:
    _require(history, step)
    rs_name, ruleset = _ruleset(history, step)
    name = step.details.get("case")
    if name not in ruleset.cases and ruleset.cases_complete:
        step.refuse(f"deleted test case `{name}` of `{rs_name}`, which did not exist")
    ruleset.cases.pop(str(name), None)


def _case_import(history: History, step: _Step) -> None:
    _require(history, step)
    _, ruleset = _ruleset(history, step)
    hashes = step.details.get("hashes")
    if isinstance(hashes, dict):
        ruleset.cases.update({str(k): v if isinstance(v, str) else None for k, v in hashes.items()})
    else:
        ruleset.cases_complete = False  # recorded before imports named their cases


def _simulation(history: History, step: _Step) -> None:
    _require(history, step)
    _existing(history, step)


def _comment(history: History, step: _Step) -> None:
    """A remark on a version's review thread: by an editor or above, about a version the log created."""
    _require(history, step)
    _existing(history, step)


def _role_only(history: History, step: _Step) -> None:
    """A change that touches nothing the history tracks (API tokens): only who may make it is judged."""
    _require(history, step)


def _baseline(history: History, step: _Step) -> None:
    """The cases found when upgrading to schema 0004: fills in what older events did not record.

    It never overrides a hash the log already holds: a case changed in the
    database (or by a downgrade dropping a column) stays a disagreement until
    someone saves it through the service.
    """
    if step.actor != BASELINE_ACTOR or step.via is not None:
        step.refuse(f"only the schema upgrade records `history.baseline`, not {step.who}")
    found = step.details.get("cases")
    if not isinstance(found, dict):
        raise _Unreplayable("`history.baseline` records no cases")
    for name, cases in found.items():
        ruleset = history.rulesets.get(name)
        if ruleset is None or not isinstance(cases, dict):
            raise _Unreplayable(f"`history.baseline` records cases of `{name}`, a ruleset the log never created")
        for case, digest in cases.items():
            unknown = ruleset.cases.get(case) is None and (case in ruleset.cases or not ruleset.cases_complete)
            if unknown and isinstance(digest, str):
                ruleset.cases[str(case)] = digest
        ruleset.cases_complete = True


_HANDLERS: Mapping[str, Callable[[History, _Step], None]] = {
    "user.bootstrap": _bootstrap, "user.add": _user_add, "user.role": _user_role, "user.key": _user_key,
    "store.require_signed_approvals": _require_signatures,
    "ruleset.create": _ruleset_create, "version.import": _new_version, "version.create": _new_version,
    "version.save": _save, "ruleset.seed": _seed,
    **{f"version.{action}": _transition for action in TRANSITIONS},
    "testcase.save": _case_save, "testcase.delete": _case_delete, "testcase.import": _case_import,
    "simulation.record": _simulation, "history.baseline": _baseline,
    "token.add": _role_only, "token.revoke": _role_only, "version.comment": _comment,
}
assert set(CHANGE_ROLES) <= set(_HANDLERS) and set(WRITES) <= set(_HANDLERS)


def logged_writers(session: Session, ruleset: str, number: int) -> set[str]:
    """Everyone the log records writing `ruleset@number`: the two-person rule's authors, from the chained events."""
    rows = session.execute(select(AuditEvent.actor, AuditEvent.details)
                           .where(AuditEvent.subject == f"ruleset:{ruleset}@{number}",
                                  AuditEvent.action.in_(WRITES)))
    out: set[str] = set()
    for actor, details in rows:
        out.add(actor)
        via = _via(details)
        if via:
            out.add(via)
    return out


def signatures_required(session: Session) -> bool:
    """Whether an admin made signed approvals required (a one-way step, read from the append-only log)."""
    return session.scalar(select(AuditEvent.seq).where(AuditEvent.action == "store.require_signed_approvals")
                          .limit(1)) is not None


def registered_keys(session: Session) -> dict[str, str]:
    """Each user's newest registered public key, from the `user.key` events."""
    rows = session.execute(select(AuditEvent.subject, AuditEvent.details)
                           .where(AuditEvent.action == "user.key").order_by(AuditEvent.seq))
    out: dict[str, str] = {}
    for subject, details in rows:
        try:
            key = json.loads(details).get("key")
        except (ValueError, AttributeError):
            continue
        if isinstance(key, str):
            out[subject.partition(":")[2]] = key
    return out


def _via(details: str) -> str | None:
    try:
        value = json.loads(details).get("via")
    except (ValueError, AttributeError):
        return None
    return value if isinstance(value, str) else None


def changes_since_review(proven: History, ruleset: str, number: int, now: Mapping[str, str],
                         kept: Mapping[str, str] | None = None) -> CaseChanges:
    """How the cases `now` (name -> case hash) differ from those `ruleset@number` was last reviewed with: the
    cases it `kept` when submitted (name -> case hash, as `provenance.kept_hashes` verified them) if it keeps
    any, else the working set the log shows its review step saw."""
    trail = proven.trail(ruleset, number)
    if trail is None or trail.reviewed is None:
        return CaseChanges(ruleset, number, "")
    before = kept if kept is not None else trail.reviewed
    return CaseChanges(ruleset, number, trail.reviewed_by,
                       added=tuple(sorted(set(now) - set(before))), removed=tuple(sorted(set(before) - set(now))),
                       changed=tuple(sorted(n for n in set(before) & set(now)
                                            if before[n] is not None and before[n] != now[n])),
                       kept=None if kept is None else len(kept))


def _short(digest: object) -> str:
    return f"{digest[:19]}…" if isinstance(digest, str) and digest else "no hash"
