"""Do the tables agree with the history the audit log proves?

Rows can be edited with plain SQL: a version's text and its recomputed hash,
a state set to `published`, a user's role, an author removed so she may
approve her own work, a test case weakened.  The audit log's events are
hash-chained and replayed against the workflow (`jurist.db.history`), so the
history they prove says what every one of those rows must be.  The loader
refuses to serve a published version that history does not show approved and
published with that very hash (or, where the store requires it, with a valid
signed approval), and refuses stored test cases that differ from it, whether
the ruleset's working set or the cases a version kept when it was submitted
(checked against the case set hash its submission recorded); `audit verify`
lists every disagreement.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from jurist.db import rulesets as data, testcases as case_data, users as user_data, version_cases
from jurist.db.errors import TamperedVersion
from jurist.db.hashing import case_set_hash, sources_hash
from jurist.db.history import History, RulesetHistory, Trail, kept_cases, replay
from jurist.db.models import Approval, Ruleset, User, Version
from jurist.db.records import RunnableCases
from jurist.db.workflow import describe_state

__all__ = ["Trail", "publication_problem", "check_published", "check_cases", "disagreements", "trusted_history",
           "kept_problem", "cases_of_version", "working_set", "kept_hashes"]


def publication_problem(trail: Trail | None, version: Version, label: str, *,
                        signatures_required: bool = False) -> str | None:
    """Why the log does not back `version` being served as published, or None when it does."""
    if trail is None:
        return f"{label} is published in the versions table, but the audit log has no event about it"
    if trail.state != "published":
        return f"{label} is published in the versions table, but the audit log says it is {describe_state(trail.state)}"
    if trail.published_hash != version.content_hash:
        return (f"{label} was published with {_short(trail.published_hash)} per the audit log, but the versions "
                f"table now records {_short(version.content_hash)}")
    if version.content_hash not in trail.approved:
        return f"{label}: the audit log records no approval of {_short(version.content_hash)}"
    if signatures_required and not trail.signed.get(version.content_hash):
        return (f"{label}: this store requires signed approvals, and no approval of {_short(version.content_hash)} "
                "carries a signature that verifies")
    return None


def trusted_history(session: Session, label: str) -> History:
    """The replayed history, or TamperedVersion (refusing to load `label`) when the log is broken or forged."""
    history = replay(session)
    problem = history.first_problem()
    if problem is not None:
        what = ("the audit log was altered" if problem in history.broken
                else "the audit log holds an event Jurist could not have written")
        raise TamperedVersion(f"refusing to load {label}: {what} ({problem.message}); run `jurist audit verify`")
    return history


def check_published(session: Session, ruleset: Ruleset, version: Version) -> History:
    """Raise TamperedVersion unless the proven history shows `version`, with its hash, approved and last published."""
    label = f"{ruleset.name}@v{version.number}"
    history = trusted_history(session, label)
    problem = publication_problem(history.trail(ruleset.name, version.number), version, label,
                                  signatures_required=history.signed_approvals)
    if problem is not None:
        raise TamperedVersion(f"refusing to load {label}: {problem}; run `jurist audit verify`")
    return history


def check_cases(session: Session, ruleset: Ruleset, history: History | None = None) -> History:
    """Raise TamperedVersion unless the stored test cases of `ruleset` are those the audit log recorded."""
    history = history or trusted_history(session, f"the test cases of `{ruleset.name}`")
    found = history.rulesets.get(ruleset.name)
    problems = _case_disagreements(ruleset.name, found, case_data.stored_case_hashes(session, ruleset))
    if problems:
        raise TamperedVersion(f"refusing the test cases of `{ruleset.name}`: {problems[0]}; run `jurist audit verify`")
    return history


def kept_problem(trail: Trail | None, kept: version_cases.KeptCases | None, label: str) -> str | None:
    """Why the cases `label` keeps are not those its newest submission recorded keeping, or None when they are."""
    expected = trail.kept if trail is not None else None
    if expected is None:
        return None if kept is None else (f"{label}: keeps test cases, but the audit log records no submission "
                                          "that kept them (inserted in the database?)")
    if kept is None:
        return (f"{label}: the test cases it was submitted with ({_short(expected)} in the audit log) are missing "
                "from the database (deleted?)")
    if kept.cases_hash != expected or kept.recorded_hash != expected:
        return (f"{label}: the test cases it was submitted with were edited in the database (they no longer match "
                f"{_short(expected)} in the audit log)")
    return None


def working_set(session: Session, ruleset: Ruleset, history: History | None = None,
                number: int | None = None) -> RunnableCases:
    """The ruleset's working set of cases, refused (TamperedVersion) when it differs from what the log recorded."""
    check_cases(session, ruleset, history)
    return RunnableCases(ruleset.name, number, tuple(case_data.inline_documents(session, ruleset)),
                         case_set_hash(case_data.stored_case_hashes(session, ruleset)))


def cases_of_version(session: Session, ruleset: Ruleset, version: Version,
                     history: History | None = None) -> RunnableCases:
    """The cases `version` is tested with: those it kept when it was submitted, or, for a draft or a version
    submitted before versions kept their cases, the working set.

    Refused (TamperedVersion) when they differ from what the audit log recorded.
    """
    label = f"{ruleset.name}@v{version.number}"
    history = history or trusted_history(session, f"the test cases of {label}")
    trail = history.trail(ruleset.name, version.number)
    kept = version_cases.newest(session, version)
    problem = kept_problem(trail, kept, label)
    if problem is not None:
        raise TamperedVersion(f"refusing the test cases of {label}: {problem}; run `jurist audit verify`")
    if kept is None or kept_cases(trail) is None:
        return working_set(session, ruleset, history, version.number)
    return RunnableCases(ruleset.name, version.number, tuple(version_cases.inline_documents(session, kept)),
                         kept.cases_hash, kept=True)


def kept_hashes(session: Session, ruleset: Ruleset, version: Version, history: History) -> dict[str, str] | None:
    """Each case `version` is tested with by name and hash, when it kept its cases (None: the working set)."""
    trail = history.trail(ruleset.name, version.number)
    if kept_cases(trail) is None:
        return None
    kept = version_cases.newest(session, version)
    problem = kept_problem(trail, kept, f"{ruleset.name}@v{version.number}")
    if problem is not None or kept is None:
        raise TamperedVersion(f"refusing the test cases of {ruleset.name}@v{version.number}: {problem}; "
                              "run `jurist audit verify`")
    return dict(kept.hashes)


def disagreements(session: Session, history: History | None = None) -> list[str]:
    """Every place where the tables disagree with their own hashes or with the history the log proves."""
    history = history or replay(session)
    out = _user_disagreements(session, history)
    for ruleset in data.list_rulesets(session):
        found = history.rulesets.get(ruleset.name)
        if found is None:
            out.append(f"ruleset `{ruleset.name}`: the audit log never created it")
            continue
        if data.jurisdictions_of(ruleset) != found.jurisdictions:
            out.append(f"ruleset `{ruleset.name}`: the rulesets table records jurisdictions "
                       f"{_codes(data.jurisdictions_of(ruleset))}, the audit log {_codes(found.jurisdictions)}")
        out.extend(_version_disagreements(session, ruleset, found, history))
        out.extend(_case_disagreements(ruleset.name, found, case_data.stored_case_hashes(session, ruleset)))
    known = {r.name for r in data.list_rulesets(session)}
    out.extend(f"ruleset `{name}`: in the audit log but not in the rulesets table (deleted?)"
               for name in sorted(set(history.rulesets) - known))
    return out


def _user_disagreements(session: Session, history: History) -> list[str]:
    out = []
    table = {u.name: u.role for u in user_data.list_users(session)}
    for name, role in sorted(table.items()):
        logged = history.users.get(name)
        if logged is None:
            out.append(f"user `{name}`: in the users table, but the audit log never added them")
        elif logged != role:
            out.append(f"user `{name}`: the users table says {role}, the audit log {logged}")
    out.extend(f"user `{name}`: in the audit log but not in the users table (deleted?)"
               for name in sorted(set(history.users) - set(table)))
    return out


def _version_disagreements(session: Session, ruleset: Ruleset, found: RulesetHistory, history: History) -> list[str]:
    out: list[str] = []
    versions = data.versions_of(session, ruleset)
    ids = [v.id for v in versions]
    authors = data.author_names(session, ids)
    approvers = _approver_names(session, ids)
    for version in versions:
        label = f"{ruleset.name}@v{version.number}"
        if sources_hash(data.load_sources(session, version)) != version.content_hash:
            out.append(f"{label}: its sources were edited in the database (they no longer match "
                       f"{_short(version.content_hash)})")
        trail = found.versions.get(version.number)
        if trail is None:
            out.append(f"{label}: the audit log has no event about this version")
            continue
        if trail.hash is not None and trail.hash != version.content_hash:
            out.append(f"{label}: the versions table records {_short(version.content_hash)}, the audit log "
                       f"{_short(trail.hash)}")
        if trail.state != version.state:
            out.append(f"{label}: the versions table says it is {describe_state(version.state)}, the audit log says "
                       f"{describe_state(trail.state)}")
        elif version.state == "published":
            problem = publication_problem(trail, version, label, signatures_required=history.signed_approvals)
            if problem is not None:
                out.append(problem)
        if set(authors[version.id]) != trail.authors:
            out.append(f"{label}: the authors table lists {_names(authors[version.id])}, the audit log "
                       f"{_names(trail.authors)}")
        if sorted(approvers[version.id]) != sorted(trail.approvers):
            out.append(f"{label}: the approvals table lists {_names(approvers[version.id])}, the audit log "
                       f"{_names(trail.approvers)}")
        problem = kept_problem(trail, version_cases.newest(session, version), label)
        if problem is not None:
            out.append(problem)
    known = {v.number for v in versions}
    out.extend(f"{ruleset.name}@v{n}: in the audit log but not in the versions table (deleted?)"
               for n in sorted(set(found.versions) - known))
    return out


def _case_disagreements(ruleset: str, found: RulesetHistory | None, stored: dict[str, str]) -> list[str]:
    if found is None:
        return [f"ruleset `{ruleset}`: the audit log never created it"] if stored else []
    out = []
    for name, digest in sorted(stored.items()):
        logged = found.cases.get(name, "missing")
        if logged == "missing":
            if found.cases_complete:
                out.append(f"test case `{name}` of `{ruleset}`: stored, but the audit log never saved it")
        elif logged is not None and logged != digest:
            out.append(f"test case `{name}` of `{ruleset}` was edited in the database (it no longer matches "
                       f"{_short(logged)} in the audit log)")
    out.extend(f"test case `{name}` of `{ruleset}`: in the audit log but not stored (deleted in the database?)"
               for name in sorted(set(found.cases) - set(stored)))
    return out


def _approver_names(session: Session, version_ids: list[int]) -> dict[int, list[str]]:
    out: dict[int, list[str]] = {i: [] for i in version_ids}
    if version_ids:
        rows = session.execute(select(Approval.version_id, User.name).join(User, User.id == Approval.approver_id)
                               .where(Approval.version_id.in_(version_ids)))
        for vid, name in rows:
            out[vid].append(name)
    return out


def _names(names: object) -> str:
    listed = sorted(names) if isinstance(names, (set, list, tuple)) else []
    return ", ".join(f"`{n}`" for n in listed) or "nobody"


def _codes(codes: tuple[str, ...]) -> str:
    return ", ".join(codes) or "none"


def _short(digest: str | None) -> str:
    return f"{digest[:19]}…" if digest else "no hash"

