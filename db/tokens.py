"""Data access for API tokens: plain functions taking a session.

A token is stored only as the SHA-256 of its text.  Tokens are 256 random
bits, so a fast hash is enough: nobody can guess one from its digest, and the
server checks a bearer token with one hash and one set lookup.
"""
from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timezone

from sqlalchemy import select
from sqlalchemy.orm import Session

from jurist.db.models import ApiToken, User

PREFIX = "jurist_"


def new_secret() -> str:
    """A fresh token: the prefix (so a leaked one is recognisable in a scan) and 256 random bits."""
    return PREFIX + secrets.token_urlsafe(32)


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def get_token(session: Session, name: str) -> ApiToken | None:
    return session.scalar(select(ApiToken).where(ApiToken.name == name))


def add_token(session: Session, name: str, secret: str, creator: User) -> ApiToken:
    token = ApiToken(name=name, token_sha256=digest(secret), created_at=datetime.now(timezone.utc),
                     created_by_id=creator.id)
    session.add(token)
    session.flush()
    return token


def list_tokens(session: Session) -> list[tuple[ApiToken, str]]:
    """Every token with its creator's name, by name."""
    rows = session.execute(select(ApiToken, User.name).join(User, User.id == ApiToken.created_by_id)
                           .order_by(ApiToken.name))
    return [(token, creator) for token, creator in rows]


def creator_name(session: Session, token: ApiToken) -> str:
    return session.scalar(select(User.name).where(User.id == token.created_by_id)) or ""


def active_digests(session: Session) -> frozenset[str]:
    """The digests of every token not revoked: what the server accepts."""
    return frozenset(session.scalars(select(ApiToken.token_sha256).where(ApiToken.revoked_at.is_(None))))
