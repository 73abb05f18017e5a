"""The review workflow: submit, approve, reject, publish, retire.

Who may take each step, from which state, to which state, and whether the
two-person rule applies all come from `jurist.db.workflow.TRANSITIONS`; the
same table tells windows which buttons to enable.  Only sources that compile
enter review, which needs the compile check the store was opened with.
Concurrent transitions on one version end in a ConflictError, not a lost update.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from jurist.db import history, impact as impact_data, provenance, rulesets as data, testcases as case_data, version_cases
from jurist.db.errors import (
    CompileRefused, ConflictError, InvalidTransition, PermissionDenied, TamperedVersion, TwoPersonRule,
)
from jurist.db.hashing import case_set_hash
from jurist.db.models import Ruleset, User, Version
from jurist.db.records import CheckResult, NewImpact, VersionInfo
from jurist.db.safetext import require_plain
from jurist.db.service.acting import Actor
from jurist.db.service.inputs import check_jurisdictions
from jurist.db.signing import SigningKey, approval_statement, fingerprint
from jurist.db.service.comments import plain_body, remark
from jurist.db.service.impact import publish_gate
from jurist.db.service.versions import (
    find_ruleset, find_version, get_sources, verified_sources, version_infos, wrong_state,
)
from jurist.db.workflow import TRANSITIONS, Refusal, judge


def _begin(actor: Actor, session: Session, action: str, ruleset: str,
           number: int | None) -> tuple[User, Ruleset, Version]:
    """The user, ruleset and version of a transition, once the workflow table allows it.

    Without a number the version is the newest in the states the action picks
    (e.g. the newest draft for `submit`); the ruleset row is locked, so
    transitions of one ruleset queue.
    """
    transition = TRANSITIONS[action]
    user = actor.require(session, transition.role, transition.doing)
    rs = find_ruleset(session, ruleset, lock=True)
    version = find_version(session, rs, number, None if number else transition.picks)
    authors: set[str] = set()
    if transition.two_person:  # the authors table, and the writers the chained log records (should a row go)
        authors = set(data.author_names(session, [version.id])[version.id])
        authors |= history.logged_writers(session, rs.name, version.number)
    verdict = judge(action, role=user.role, state=version.state, actor=user.name, authors=authors,
                    login=actor.login, label=f"{rs.name}@v{version.number}")
    if verdict.refusal is Refusal.STATE:
        raise wrong_state(version, rs, transition.from_states, action)
    if verdict.refusal is Refusal.TWO_PERSON:
        label = f"{ruleset}@v{version.number}"
        if user.name in authors:
            raise TwoPersonRule(f"`{user.name}` wrote {label} and cannot {action} it; another approver must")
        raise TwoPersonRule(f"`{actor.login}` wrote {label} and cannot {action} it, not even as `{user.name}`; "
                            "another approver must")
    if not verdict.allowed:
        raise PermissionDenied(verdict.reason)
    return user, rs, version


def _finish(session: Session, rs: Ruleset, version: Version) -> VersionInfo:
    """Write the transition now, so a concurrent one surfaces as a ConflictError here."""
    try:
        session.flush()
    except StaleDataError:
        raise ConflictError(f"{rs.name}@v{version.number} was changed by someone else meanwhile; "
                            "reload and retry") from None
    except IntegrityError:
        raise ConflictError(f"another version of `{rs.name}` was published meanwhile; reload and retry") from None
    return version_infos(session, rs, [version])[0]


def _cases(session: Session, rs: Ruleset) -> str:
    """The hash of the ruleset's working set of test cases now: what a submission keeps."""
    return case_set_hash(case_data.stored_case_hashes(session, rs))


def _reviewed_cases(session: Session, rs: Ruleset, version: Version) -> tuple[str, bool]:
    """The hash of the cases an approval or publication records having seen, and whether they are those the
    version kept when it was submitted (refused when they were edited behind the store), not the working set."""
    proven = history.replay(session)
    trail = proven.trail(rs.name, version.number)
    label = f"{rs.name}@v{version.number}"
    problem = provenance.kept_problem(trail, version_cases.newest(session, version), label)
    if problem is not None:
        raise TamperedVersion(f"refusing to review {label}: {problem}; run `jurist audit verify`")
    kept = history.kept_cases(trail)
    return (kept, True) if kept is not None else (_cases(session, rs), False)


def check(actor: Actor, ruleset: str, number: int | None = None) -> CheckResult:
    """Compile a version and return its diagnostics, changing nothing."""
    compile_sources = actor.sources_check("checking a version")
    return compile_sources(get_sources(actor, ruleset, number).sources)


def submit(actor: Actor, ruleset: str, number: int | None = None, note: str = "",
           impact: NewImpact | None = None) -> VersionInfo:
    """Send a draft to review; refused with the compiler's diagnostics if it has errors.

    `note` is the submitter's word to the approvers: it opens the version's review thread.
    `impact` (what the workbench computed for these sources) is kept with the version, in the same
    transaction; an impact of other sources (the draft was saved since) is a ConflictError.
    """
    note = plain_body(note, "the note")
    compile_sources = actor.sources_check("submitting for review")
    with actor.write() as session:
        user, rs, version = _begin(actor, session, "submit", ruleset, number)
        sources = verified_sources(session, rs, version)
        result = compile_sources(sources)
        if result.ok:
            check_jurisdictions(rs.name, sources, data.jurisdictions_of(rs), lambda _: result)
        if not result.ok:
            errors = sum(1 for d in result.diagnostics if getattr(d, "severity", "error") == "error")
            raise CompileRefused(f"{ruleset}@v{version.number} has {errors} compile error(s); "
                                 "fix them before submitting", result.diagnostics, result.rendered)
        details: dict[str, Any] = {"hash": version.content_hash, "warnings": len(result.diagnostics)}
        if impact is not None:
            if impact.content_hash != version.content_hash:
                raise ConflictError(f"{ruleset}@v{version.number} was saved by someone else while its impact was "
                                    "computed; reload it and submit again")
            impact_data.keep_impact(session, version, impact)
            if impact.against_number is not None:
                details.update(backtested_against=impact.against_number, backtested_decisions=impact.decisions,
                               flips=impact.flips, loosening=impact.loosening)
            if impact.cases_run:
                details.update(failing_cases=impact.cases_failing)
        version.state = TRANSITIONS["submit"].to_state
        version.submitted_at = data.now()
        remark(session, version, user, "note", note)
        kept = version_cases.keep(session, rs, version)  # the cases it is reviewed, tested and published with
        if impact is not None and impact.cases_hash is not None and impact.cases_hash != kept:
            raise ConflictError(f"the test cases of `{ruleset}` were edited while the impact of v{version.number} "
                                "was computed; submit it again")
        actor.audit(session, "version.submit", f"ruleset:{ruleset}@{version.number}",
                    {**details, "cases": kept, "kept_cases": True, **({"note": note} if note else {})})
        return _finish(session, rs, version)


def approve(actor: Actor, ruleset: str, number: int | None = None, comment: str = "",
            key: SigningKey | None = None) -> VersionInfo:
    """Sign off a version in review; nobody who wrote any of it may (the two-person rule).

    With `key` (the approver's private key, whose public half they registered)
    the approval is signed: the version, its hash, the test cases it was
    approved with and the approver.  A store that requires signed approvals
    refuses an approval without one.
    """
    require_plain(comment, "the comment")
    with actor.write() as session:
        user, rs, version = _begin(actor, session, "approve", ruleset, number)
        verified_sources(session, rs, version)
        cases, _ = _reviewed_cases(session, rs, version)
        details: dict[str, Any] = {"hash": version.content_hash, "comment": comment, "cases": cases}
        if key is not None:
            details.update(_signature(session, user, key, rs, version, cases))
        elif history.signatures_required(session):
            raise PermissionDenied(f"this store requires signed approvals; approve {ruleset}@v{version.number} with "
                                   "your private key (`--sign-with KEYFILE`)")
        data.add_approval(session, version, user, comment)
        remark(session, version, user, "approve", comment)
        version.state = TRANSITIONS["approve"].to_state
        actor.audit(session, "version.approve", f"ruleset:{ruleset}@{version.number}", details)
        return _finish(session, rs, version)


def _signature(session: Session, user: User, key: SigningKey, rs: Ruleset, version: Version,
               cases: str) -> dict[str, str]:
    """The approver's signature of this approval, made with the key they registered and no other."""
    registered = history.registered_keys(session).get(user.name)
    if registered is None:
        raise PermissionDenied(f"`{user.name}` has registered no key to sign with; register its public half first "
                               f"(`jurist user key --public-key KEYFILE.pub`)")
    if key.public != registered:
        raise PermissionDenied(f"this key ({fingerprint(key.public)}) is not the one `{user.name}` registered "
                               f"({fingerprint(registered)})")
    statement = approval_statement(rs.name, version.number, version.content_hash, cases, user.name)
    return {"key": key.public, "signature": key.sign(statement)}


def reject(actor: Actor, ruleset: str, number: int | None = None, comment: str = "") -> VersionInfo:
    """Send a version in review (or approved, not yet published) back to draft."""
    require_plain(comment, "the comment")
    with actor.write() as session:
        user, rs, version = _begin(actor, session, "reject", ruleset, number)
        data.clear_approvals(session, version)
        remark(session, version, user, "reject", comment)
        version.state = TRANSITIONS["reject"].to_state
        version.submitted_at = None
        actor.audit(session, "version.reject", f"ruleset:{ruleset}@{version.number}", {"comment": comment})
        return _finish(session, rs, version)


def publish(actor: Actor, ruleset: str, number: int | None = None,
            override_failing_tests: str | None = None) -> VersionInfo:
    """Make an approved version the one served, retiring the previous one, atomically.

    Without `number` this is the newest approved version, refused when it is
    older than the published one: that would be a silent rollback.  Naming the
    older number rolls back on purpose, audited as a rollback.  Approved
    versions older than the one now published are retired with it (audited as
    superseded), so none can be published by default later.  A version whose
    newest test run fails is refused (FailingTests) unless `override_failing_tests`
    gives the approver's reason, which the audit event keeps.
    """
    with actor.write() as session:
        _, rs, version = _begin(actor, session, "publish", ruleset, number)
        verified_sources(session, rs, version)
        cases, kept = _reviewed_cases(session, rs, version)  # a version is published with the cases it kept
        overridden = publish_gate(session, f"{ruleset}@v{version.number}", version, override_failing_tests,
                                  cases if kept else None)
        previous = data.published_version(session, rs)
        rollback = previous is not None and version.number < previous.number
        if previous is not None and rollback and number is None:
            raise InvalidTransition(f"{ruleset}@v{version.number} is older than the published "
                                    f"v{previous.number}; publishing it would roll back; to do that on purpose "
                                    f"give `--version {version.number}`")
        if history.signatures_required(session):
            trail = history.replay(session).trail(rs.name, version.number)
            if trail is None or not trail.signed.get(version.content_hash):
                raise InvalidTransition(f"cannot publish {ruleset}@v{version.number}: this store requires signed "
                                        "approvals, and none of its approvals carries a signature that verifies")
        details: dict[str, Any] = {"hash": version.content_hash, "cases": cases}
        if previous is not None:
            previous.state = TRANSITIONS["retire"].to_state
            details["retired"] = previous.number
            session.flush()  # the one-published index sees the old row leave first
        if rollback:
            details["rollback"] = True
        details.update(overridden)
        version.state = TRANSITIONS["publish"].to_state
        version.published_at = data.now()
        session.flush()
        actor.audit(session, "version.publish", f"ruleset:{ruleset}@{version.number}", details)
        for older in data.versions_of(session, rs):
            if older.state == "approved" and older.number < version.number:
                older.state = TRANSITIONS["retire"].to_state
                actor.audit(session, "version.retire", f"ruleset:{ruleset}@{older.number}",
                            {"was": "approved", "superseded_by": version.number})
        return _finish(session, rs, version)


def retire(actor: Actor, ruleset: str, number: int | None = None) -> VersionInfo:
    """Take a version out of use for good; retiring the published one leaves nothing served."""
    with actor.write() as session:
        _, rs, version = _begin(actor, session, "retire", ruleset, number)
        was = version.state
        version.state = TRANSITIONS["retire"].to_state
        actor.audit(session, "version.retire", f"ruleset:{ruleset}@{version.number}", {"was": was})
        return _finish(session, rs, version)
