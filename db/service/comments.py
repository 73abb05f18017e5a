"""A version's review thread: the submitter's note, comments, and the approvers' remarks.

Everyone registered reads a thread; editors and above write in it (the
people who draft, review and publish).  Every entry is audited with its text,
so a comment cannot be edited or removed without the audit log showing it.
A body may run over several lines, but holds no other control character.
"""
from __future__ import annotations

from sqlalchemy.orm import Session

from jurist.db import comments as data
from jurist.db.errors import InvalidInput
from jurist.db.models import User, Version
from jurist.db.records import CommentInfo
from jurist.db.safetext import require_plain
from jurist.db.service.acting import Actor
from jurist.db.service.versions import find_ruleset, find_version

MAX_BODY = 10_000  # characters: a long review remark, not a document


def plain_body(body: str, what: str) -> str:
    """`body` without its surrounding blank space; each line must be printable (line breaks are allowed)."""
    for line in body.split("\n"):
        require_plain(line, what)
    text = body.strip()
    if len(text) > MAX_BODY:
        raise InvalidInput(f"{what} is {len(text):,} characters long; at most {MAX_BODY:,} are kept")
    return text


def remark(session: Session, version: Version, user: User, kind: str, body: str) -> None:
    """A review step's remark (the submitter's note, an approver's comment) on the thread, inside the step's
    transaction; the step's own audit event carries its text.  An empty remark adds nothing."""
    if body:
        data.add_comment(session, version, user, kind, body)


def add_comment(actor: Actor, ruleset: str, number: int, body: str) -> CommentInfo:
    """Append a comment to version `number`'s thread."""
    text = plain_body(body, "the comment")
    if not text:
        raise InvalidInput("the comment is empty; write something to post it")
    with actor.write() as session:
        user = actor.require(session, "editor", "commenting on a version")
        rs = find_ruleset(session, ruleset)
        version = find_version(session, rs, number)
        data.add_comment(session, version, user, "comment", text)
        actor.audit(session, "version.comment", f"ruleset:{rs.name}@{version.number}", {"text": text})
        at = data.thread_of(session, version)[-1][1]
        return CommentInfo(rs.name, version.number, user.name, at, "comment", text)


def thread(actor: Actor, ruleset: str, number: int) -> tuple[CommentInfo, ...]:
    """Every entry on version `number`, oldest first."""
    with actor.read() as session:
        actor.require(session, "viewer", "reading review comments")
        rs = find_ruleset(session, ruleset)
        version = find_version(session, rs, number)
        return tuple(CommentInfo(rs.name, version.number, name, at, kind, body)
                     for name, at, kind, body in data.thread_of(session, version))
