"""Data access for versions' review threads: plain functions taking a session, no role checks."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from jurist.db.models import User, Version, VersionComment
from jurist.db.rulesets import now


def add_comment(session: Session, version: Version, author: User, kind: str, body: str) -> VersionComment:
    comment = VersionComment(version_id=version.id, author_id=author.id, at=now(), kind=kind, body=body)
    session.add(comment)
    session.flush()
    return comment


def thread_of(session: Session, version: Version) -> list[tuple[str, datetime, str, str]]:
    """(author name, time, kind, body) of every entry on `version`, oldest first."""
    rows = session.execute(select(User.name, VersionComment.at, VersionComment.kind, VersionComment.body)
                           .join(User, User.id == VersionComment.author_id)
                           .where(VersionComment.version_id == version.id)
                           .order_by(VersionComment.at, VersionComment.id))
    return [(name, at, kind, body) for name, at, kind, body in rows]
