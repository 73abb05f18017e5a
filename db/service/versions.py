"""Rulesets and their versions: creating, reading, editing drafts and comparing.

Every read of a version's sources re-hashes them against the hash recorded
when they were written, so rows edited behind the store's back are refused
(TamperedVersion) instead of shown, compared or served.  Moving a version
through review lives in `review`.
"""
from __future__ import annotations

from typing import Mapping, Sequence

from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from jurist.db import provenance, rulesets as data
from jurist.db.diffing import diff_sources
from jurist.db.errors import ConflictError, InvalidInput, InvalidTransition, NotFound, NothingPublished, TamperedVersion
from jurist.db.hashing import sources_hash
from jurist.db.models import Ruleset, User, Version
from jurist.db.workflow import describe_state
from jurist.db.records import (
    ApprovalInfo, RulesetInfo, VersionDiff, VersionInfo, VersionSources, frozen_mapping,
)
from jurist.db.safetext import shown
from jurist.db.service.acting import Actor
from jurist.db.service.inputs import validate_jurisdictions, validate_ruleset_name, validate_sources

_NO_VERSION = {"draft": "no draft", "in_review": "no version in review", "approved": "no approved version",
               "published": "no published version"}


# -- lookups shared by every aggregate of a ruleset ------------------------------------

def find_ruleset(session: Session, name: str, *, lock: bool = False) -> Ruleset:
    ruleset = data.get_ruleset(session, name, lock=lock)
    if ruleset is None:
        raise NotFound(f"no ruleset `{shown(name)}`")
    return ruleset


def find_version(session: Session, ruleset: Ruleset, number: int | None,
                 states: Sequence[str] | None = None) -> Version:
    """Version `number`, else the newest one (among `states`, when given)."""
    if number is None:
        version = data.latest_version(session, ruleset, states)
        if version is None:
            if not states:
                raise NotFound(f"ruleset `{ruleset.name}` has no versions")
            which = _NO_VERSION.get(states[0], "") if len(states) == 1 else ""
            which = which or "no version that is " + " or ".join(describe_state(s) for s in states)
            raise InvalidTransition(f"ruleset `{ruleset.name}` has {which}")
        return version
    version = data.get_version(session, ruleset, number)
    if version is None:
        raise NotFound(f"ruleset `{ruleset.name}` has no version {number}")
    return version


def wrong_state(version: Version, ruleset: Ruleset, allowed: Sequence[str], doing: str) -> InvalidTransition:
    wanted = " or ".join(describe_state(s) for s in allowed)
    return InvalidTransition(f"cannot {doing} {ruleset.name}@v{version.number}: it is "
                             f"{describe_state(version.state)}, not {wanted}")


def expect_state(version: Version, ruleset: Ruleset, allowed: Sequence[str], doing: str) -> None:
    if version.state not in allowed:
        raise wrong_state(version, ruleset, allowed, doing)


def verified_sources(session: Session, ruleset: Ruleset, version: Version) -> dict[str, str]:
    """The version's files, refused when they no longer match the recorded hash."""
    sources = data.load_sources(session, version)
    actual = sources_hash(sources)
    if actual != version.content_hash:
        raise TamperedVersion(f"{ruleset.name}@v{version.number} was altered in the database: its sources hash to "
                              f"{actual[:19]}…, not the recorded {version.content_hash[:19]}…; refusing to use it")
    return sources


def version_infos(session: Session, ruleset: Ruleset, versions: Sequence[Version]) -> list[VersionInfo]:
    ids = [v.id for v in versions]
    names = data.user_names(session, [v.author_id for v in versions])
    authors = data.author_names(session, ids)
    approvals = data.approvals_of(session, ids)
    parents = data.version_numbers_by_id(session, [v.parent_id for v in versions if v.parent_id])
    sources = {v.id: data.load_sources(session, v) for v in versions}
    return [VersionInfo(
        ruleset=ruleset.name, number=v.number, state=v.state, content_hash=v.content_hash,
        parent=parents.get(v.parent_id) if v.parent_id else None, author=names[v.author_id],
        authors=authors[v.id], created_at=v.created_at, updated_at=v.updated_at,
        submitted_at=v.submitted_at, published_at=v.published_at, revision=v.revision,
        approvals=tuple(ApprovalInfo(a, t, c) for a, t, c in approvals[v.id]), files=tuple(sorted(sources[v.id])),
        intact=sources_hash(sources[v.id]) == v.content_hash,
    ) for v in versions]


def add_writers(actor: Actor, session: Session, version: Version, user: User) -> None:
    """Record who wrote into `version`: none of them may approve it."""
    for writer in actor.writers(session, user):
        data.add_author(session, version, writer)


# -- rulesets ------------------------------------------------------------------------------

def list_rulesets(actor: Actor) -> tuple[RulesetInfo, ...]:
    with actor.read() as session:
        actor.require(session, "viewer", "listing rulesets")
        out = []
        for ruleset in data.list_rulesets(session):
            versions = data.versions_of(session, ruleset)
            published = next((v.number for v in versions if v.state == "published"), None)
            out.append(RulesetInfo(name=ruleset.name, jurisdictions=data.jurisdictions_of(ruleset),
                                   created_at=ruleset.created_at, published=published,
                                   latest=versions[-1].number if versions else None,
                                   latest_state=versions[-1].state if versions else None,
                                   states=frozen_mapping({v.number: v.state for v in versions})))
        return tuple(out)


def create_ruleset(actor: Actor, name: str, jurisdictions: Sequence[str] = ()) -> RulesetInfo:
    """A new, empty ruleset; `jurisdictions` are ISO 3166 codes."""
    validate_ruleset_name(name)
    codes = validate_jurisdictions(jurisdictions)
    with actor.write() as session:
        user = actor.require(session, "editor", "creating a ruleset")
        ruleset = new_ruleset(actor, session, name, codes, user)
        return RulesetInfo(name, tuple(codes), ruleset.created_at, None, None, None, frozen_mapping({}))


def new_ruleset(actor: Actor, session: Session, name: str, codes: list[str], user: User) -> Ruleset:
    """Create and audit a ruleset, refused when one of that name in any letter case exists."""
    existing = data.get_ruleset_any_case(session, name)
    if existing is not None:
        same = "" if existing.name == name else f" as `{existing.name}` (names may not differ only in case)"
        raise ConflictError(f"ruleset `{name}` already exists{same}")
    ruleset = data.create_ruleset(session, name, codes, user)
    actor.audit(session, "ruleset.create", f"ruleset:{name}", {"jurisdictions": codes})
    return ruleset


# -- reading versions ----------------------------------------------------------------------

def list_versions(actor: Actor, ruleset: str) -> tuple[VersionInfo, ...]:
    with actor.read() as session:
        actor.require(session, "viewer", "listing versions")
        rs = find_ruleset(session, ruleset)
        return tuple(version_infos(session, rs, data.versions_of(session, rs)))


def get_version(actor: Actor, ruleset: str, number: int | None = None) -> VersionInfo:
    """Version `number`, or the newest one."""
    with actor.read() as session:
        actor.require(session, "viewer", "reading versions")
        rs = find_ruleset(session, ruleset)
        return version_infos(session, rs, [find_version(session, rs, number)])[0]


def get_sources(actor: Actor, ruleset: str, number: int | None = None) -> VersionSources:
    """The full sources of version `number` (newest if None), checked against their hash."""
    with actor.read() as session:
        actor.require(session, "viewer", "reading versions")
        rs = find_ruleset(session, ruleset)
        version = find_version(session, rs, number)
        sources = verified_sources(session, rs, version)
        return VersionSources(version_infos(session, rs, [version])[0], frozen_mapping(sources))


def published_sources(actor: Actor, ruleset: str) -> VersionSources:
    """What the engine would load: the published version, checked against its hash and the audit log."""
    with actor.read() as session:
        actor.require(session, "viewer", "reading versions")
        rs = find_ruleset(session, ruleset)
        version = data.published_version(session, rs)
        if version is None:
            raise NothingPublished(f"ruleset `{ruleset}` has no published version")
        sources = verified_sources(session, rs, version)
        provenance.check_published(session, rs, version)
        return VersionSources(version_infos(session, rs, [version])[0], frozen_mapping(sources))


def diff(actor: Actor, ruleset: str, old: int, new: int) -> VersionDiff:
    """What changed from version `old` to `new`; TamperedVersion if either was edited behind the store."""
    with actor.read() as session:
        actor.require(session, "viewer", "comparing versions")
        rs = find_ruleset(session, ruleset)
        a = verified_sources(session, rs, find_version(session, rs, old))
        b = verified_sources(session, rs, find_version(session, rs, new))
        return VersionDiff(ruleset, old, new, diff_sources(a, b, f"v{old}", f"v{new}"))


# -- drafts ----------------------------------------------------------------------------------

def create_draft(actor: Actor, ruleset: str, sources: Mapping[str, str] | None = None,
                 parent: int | None = None) -> VersionInfo:
    """A new draft from `sources`, or a copy of `parent` (default: the published, else the newest version)."""
    with actor.write() as session:
        user = actor.require(session, "editor", "creating a draft")
        rs = find_ruleset(session, ruleset, lock=True)
        if parent is not None:
            base: Version | None = find_version(session, rs, parent)
        else:
            base = data.published_version(session, rs) or data.latest_version(session, rs)
        if sources is None:
            if base is None:
                raise InvalidInput(f"ruleset `{ruleset}` has no version to start a draft from; give sources")
            sources = verified_sources(session, rs, base)
        version = data.create_version(session, rs, validate_sources(sources), user, base)
        add_writers(actor, session, version, user)
        actor.audit(session, "version.create", f"ruleset:{ruleset}@{version.number}",
                    {"hash": version.content_hash, "parent": base.number if base else None})
        return version_infos(session, rs, [version])[0]


def save_draft(actor: Actor, ruleset: str, number: int, sources: Mapping[str, str],
               expected_revision: int) -> VersionInfo:
    """Replace a draft's sources if nobody saved it since `expected_revision` was read."""
    clean = validate_sources(sources)
    try:
        with actor.write() as session:
            user = actor.require(session, "editor", "editing a draft")
            rs = find_ruleset(session, ruleset)
            version = find_version(session, rs, number)
            expect_state(version, rs, ("draft",), "edit")
            if version.revision != expected_revision:
                raise ConflictError(f"{ruleset}@v{number} was changed by someone else (it is at revision "
                                    f"{version.revision}, you edited revision {expected_revision}); "
                                    "reload it and reapply your edits")
            data.replace_sources(session, version, clean)
            add_writers(actor, session, version, user)
            actor.audit(session, "version.save", f"ruleset:{ruleset}@{number}",
                        {"hash": version.content_hash, "revision": version.revision})
            return version_infos(session, rs, [version])[0]
    except StaleDataError:
        raise ConflictError(f"{ruleset}@v{number} was changed by someone else while you saved; "
                            "reload it and reapply your edits") from None
