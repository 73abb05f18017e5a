"""Data access for rulesets, their versions, files, authors and approvals.

Plain functions taking a session; they do not check roles or workflow rules
(the service does) but keep each version's hash in step with its files.
"""
from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Iterable, Mapping

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from jurist.db.hashing import sources_hash
from jurist.db.models import Approval, Ruleset, User, Version, VersionAuthor, VersionFile


def now() -> datetime:
    return datetime.now(timezone.utc)


def get_ruleset(session: Session, name: str, *, lock: bool = False) -> Ruleset | None:
    """The ruleset called `name`; `lock` serialises writers to it on PostgreSQL."""
    query = select(Ruleset).where(Ruleset.name == name)
    if lock:
        query = query.with_for_update()
    return session.scalar(query)


def get_ruleset_any_case(session: Session, name: str) -> Ruleset | None:
    """A ruleset whose name equals `name` ignoring case (`Global` would clash with `global`)."""
    return session.scalar(select(Ruleset).where(func.lower(Ruleset.name) == name.lower()).limit(1))


def list_rulesets(session: Session) -> list[Ruleset]:
    return list(session.scalars(select(Ruleset).order_by(Ruleset.name)))


def create_ruleset(session: Session, name: str, jurisdictions: Iterable[str], creator: User) -> Ruleset:
    ruleset = Ruleset(name=name, jurisdictions=json.dumps(list(jurisdictions)), created_at=now(),
                      created_by_id=creator.id)
    session.add(ruleset)
    session.flush()
    return ruleset


def jurisdictions_of(ruleset: Ruleset) -> tuple[str, ...]:
    return tuple(json.loads(ruleset.jurisdictions or "[]"))


def get_version(session: Session, ruleset: Ruleset, number: int) -> Version | None:
    return session.scalar(select(Version).where(Version.ruleset_id == ruleset.id, Version.number == number))


def versions_of(session: Session, ruleset: Ruleset) -> list[Version]:
    return list(session.scalars(select(Version).where(Version.ruleset_id == ruleset.id).order_by(Version.number)))


def latest_version(session: Session, ruleset: Ruleset, states: Iterable[str] | None = None) -> Version | None:
    """The highest-numbered version, optionally among the given states only."""
    query = select(Version).where(Version.ruleset_id == ruleset.id)
    if states is not None:
        query = query.where(Version.state.in_(list(states)))
    return session.scalar(query.order_by(Version.number.desc()).limit(1))


def published_version(session: Session, ruleset: Ruleset) -> Version | None:
    return session.scalar(select(Version).where(Version.ruleset_id == ruleset.id, Version.state == "published"))


def version_numbers_by_id(session: Session, ids: Iterable[int]) -> dict[int, int]:
    wanted = [i for i in set(ids) if i is not None]
    if not wanted:
        return {}
    return dict(session.execute(select(Version.id, Version.number).where(Version.id.in_(wanted))).all())


def create_version(session: Session, ruleset: Ruleset, sources: Mapping[str, str], author: User,
                   parent: Version | None) -> Version:
    """A new draft numbered after the ruleset's highest version."""
    highest = session.scalar(select(func.max(Version.number)).where(Version.ruleset_id == ruleset.id)) or 0
    stamp = now()
    version = Version(ruleset_id=ruleset.id, number=highest + 1, state="draft",
                      content_hash=sources_hash(sources), parent_id=parent.id if parent else None,
                      author_id=author.id, created_at=stamp, updated_at=stamp, revision=1)
    session.add(version)
    session.flush()
    session.add_all(VersionFile(version_id=version.id, path=path, text=text) for path, text in sources.items())
    add_author(session, version, author)
    session.flush()
    return version


def replace_sources(session: Session, version: Version, sources: Mapping[str, str]) -> None:
    """Swap a draft's files; the version row update bumps its revision (the conflict check)."""
    session.execute(delete(VersionFile).where(VersionFile.version_id == version.id))
    session.add_all(VersionFile(version_id=version.id, path=path, text=text) for path, text in sources.items())
    version.content_hash = sources_hash(sources)
    version.updated_at = now()
    session.flush()


def load_sources(session: Session, version: Version) -> dict[str, str]:
    rows = session.execute(select(VersionFile.path, VersionFile.text)
                           .where(VersionFile.version_id == version.id).order_by(VersionFile.path))
    return {path: text for path, text in rows}


def add_author(session: Session, version: Version, user: User) -> None:
    exists = session.scalar(select(VersionAuthor).where(VersionAuthor.version_id == version.id,
                                                        VersionAuthor.user_id == user.id))
    if exists is None:
        session.add(VersionAuthor(version_id=version.id, user_id=user.id))
        session.flush()


def author_names(session: Session, version_ids: Iterable[int]) -> dict[int, tuple[str, ...]]:
    """Every contributor's name per version, sorted."""
    ids = list(version_ids)
    out: dict[int, list[str]] = {i: [] for i in ids}
    if ids:
        rows = session.execute(select(VersionAuthor.version_id, User.name).join(User, User.id == VersionAuthor.user_id)
                               .where(VersionAuthor.version_id.in_(ids)).order_by(User.name))
        for vid, name in rows:
            out[vid].append(name)
    return {k: tuple(v) for k, v in out.items()}


def add_approval(session: Session, version: Version, approver: User, comment: str) -> Approval:
    approval = Approval(version_id=version.id, approver_id=approver.id, decided_at=now(), comment=comment)
    session.add(approval)
    session.flush()
    return approval


def clear_approvals(session: Session, version: Version) -> None:
    session.execute(delete(Approval).where(Approval.version_id == version.id))


def approvals_of(session: Session, version_ids: Iterable[int]) -> dict[int, list[tuple[str, datetime, str]]]:
    """(approver name, time, comment) per version, oldest first."""
    ids = list(version_ids)
    out: dict[int, list[tuple[str, datetime, str]]] = {i: [] for i in ids}
    if ids:
        rows = session.execute(select(Approval.version_id, User.name, Approval.decided_at, Approval.comment)
                               .join(User, User.id == Approval.approver_id)
                               .where(Approval.version_id.in_(ids)).order_by(Approval.decided_at))
        for vid, name, at, comment in rows:
            out[vid].append((name, at, comment))
    return out


def user_names(session: Session, ids: Iterable[int]) -> dict[int, str]:
    wanted = list(set(ids))
    if not wanted:
        return {}
    return dict(session.execute(select(User.id, User.name).where(User.id.in_(wanted))).all())
