"""Does the versions table agree with the audit log?

A version's text can be edited and its `content_hash` recomputed, or another
version's state set to `published`, with plain SQL: the hash check alone
passes then.  The audit log, whose events are hash-chained, recorded every
transition and the hash each one was made on.  Replaying a ruleset's events
gives what each version's state and hash must be; the loader refuses to serve
a published version the log does not show as approved and published with that
very hash, and `audit verify` lists every disagreement.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from jurist.db import rulesets as data
from jurist.db.errors import TamperedVersion
from jurist.db.hashing import event_hash, sources_hash
from jurist.db.models import AuditEvent, Ruleset, Version
from jurist.db.workflow import describe_state
from jurist.db.workflow import TRANSITIONS

# What each lifecycle event leaves the version in: the workflow's transitions, the events that write a
# draft, and `ruleset.seed`, which publishes the shipped rules on first run.
STATE_AFTER = {
    "version.import": "draft", "version.create": "draft", "version.save": "draft", "ruleset.seed": "published",
    **{f"version.{t.action}": t.to_state for t in TRANSITIONS.values()},
}


@dataclass
class Trail:
    """One version as the audit log tells it."""

    state: str = "draft"
    hash: str | None = None                      # the hash the last event was made on
    approved: set[str] = field(default_factory=set)  # hashes an approval (or the seed) signed off
    published_hash: str | None = None            # the hash the last publish recorded


def trails(session: Session, ruleset: str) -> tuple[dict[int, Trail], list[int]]:
    """Every version of `ruleset` replayed from the log, and the numbers of events whose hash is broken."""
    query = (select(AuditEvent)
             .where(AuditEvent.subject.startswith(f"ruleset:{ruleset}@", autoescape=True),
                    AuditEvent.action.in_(list(STATE_AFTER)))
             .order_by(AuditEvent.seq))
    out: dict[int, Trail] = {}
    edited: list[int] = []
    for event in session.scalars(query):
        if event_hash(event.seq, event.at, event.actor, event.action, event.subject, event.details,
                      event.prev_hash) != event.hash:
            edited.append(event.seq)
        try:
            number = int(event.subject.rsplit("@", 1)[1])
            details = json.loads(event.details)
        except (ValueError, json.JSONDecodeError):
            edited.append(event.seq)
            continue
        trail = out.setdefault(number, Trail())
        recorded = details.get("hash") if isinstance(details, dict) else None
        if isinstance(recorded, str):
            trail.hash = recorded
        state = STATE_AFTER[event.action]
        if state == "published":
            for other in out.values():
                if other is not trail and other.state == "published":
                    other.state = "retired"
            trail.published_hash = trail.hash
            if event.action == "ruleset.seed" and trail.hash:
                trail.approved.add(trail.hash)
        elif event.action == "version.approve" and trail.hash:
            trail.approved.add(trail.hash)
        elif state == "draft":
            trail.approved.clear()
        trail.state = state
    return out, edited


def publication_problem(trail: Trail | None, version: Version, label: str) -> str | None:
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
    return None


def check_published(session: Session, ruleset: Ruleset, version: Version) -> None:
    """Raise TamperedVersion unless the log shows `version`, with its hash, approved and last published."""
    label = f"{ruleset.name}@v{version.number}"
    found, edited = trails(session, ruleset.name)
    if edited:
        raise TamperedVersion(f"refusing to load {label}: audit event {edited[0]} about `{ruleset.name}` was "
                              "edited; run `jurist audit verify`")
    problem = publication_problem(found.get(version.number), version, label)
    if problem is not None:
        raise TamperedVersion(f"refusing to load {label}: {problem}; run `jurist audit verify`")


def disagreements(session: Session) -> list[str]:
    """Every place where a version's rows disagree with its own hash or with the audit log."""
    out: list[str] = []
    for ruleset in data.list_rulesets(session):
        found, _ = trails(session, ruleset.name)
        versions = data.versions_of(session, ruleset)
        for version in versions:
            label = f"{ruleset.name}@v{version.number}"
            if sources_hash(data.load_sources(session, version)) != version.content_hash:
                out.append(f"{label}: its sources were edited in the database (they no longer match "
                           f"{_short(version.content_hash)})")
            trail = found.get(version.number)
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
                problem = publication_problem(trail, version, label)
                if problem is not None:
                    out.append(problem)
        known = {v.number for v in versions}
        out.extend(f"{ruleset.name}@v{n}: in the audit log but not in the versions table (deleted?)"
                   for n in sorted(set(found) - known))
    return out


def _short(digest: str | None) -> str:
    return f"{digest[:19]}…" if digest else "no hash"
