"""Data access for users and roles: plain functions taking a session."""
from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jurist.db.models import User


def get_user(session: Session, name: str) -> User | None:
    return session.scalar(select(User).where(User.name == name))


def get_user_any_case(session: Session, name: str) -> User | None:
    """A user whose name equals `name` ignoring case: `Alice` and `alice` would be one person."""
    return session.scalar(select(User).where(func.lower(User.name) == name.lower()).limit(1))


def count_admins(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(User).where(User.role == "admin")) or 0


def list_users(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.name)))


def count_users(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(User)) or 0


def add_user(session: Session, name: str, role: str) -> User:
    user = User(name=name, role=role, created_at=datetime.now(timezone.utc))
    session.add(user)
    session.flush()
    return user
