"""Who acts on which database: what every use case of the service is handed.

The acting user is checked against the roles inside the same transaction that
makes the change, and every event is recorded with the real login beside the
acting user when an admin acts as someone else, so `--as` can neither hide who
acted nor get round the two-person rule.
"""
from __future__ import annotations

from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any, Mapping

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from jurist.db import audit, users as user_data
from jurist.db.connection import read_session, write_session
from jurist.db.errors import CheckUnavailable, PermissionDenied, UnknownUser
from jurist.db.models import User
from jurist.db.records import SourcesCheck
from jurist.db.safetext import shown
from jurist.db.workflow import has_role, with_article


@dataclass(frozen=True, slots=True)
class Actor:
    """One user acting on one store: `name` acts, `login` is who really runs the program."""

    engine: Engine
    name: str
    login: str
    check: SourcesCheck | None = None

    def read(self) -> AbstractContextManager[Session]:
        """One read transaction, rolled back at the end."""
        return read_session(self.engine)

    def write(self) -> AbstractContextManager[Session]:
        """One write transaction: the change and its audit events commit together or not at all."""
        return write_session(self.engine)

    def require(self, session: Session, role: str, doing: str) -> User:
        """The acting user, if registered and holding `role`; `doing` names the operation in the refusal."""
        user = user_data.get_user(session, self.name)
        if user is None:
            raise UnknownUser(f"`{shown(self.name)}` is not a registered user; an admin can add them with "
                              f"`jurist user add {shown(self.name)} --role editor`")
        if not has_role(user.role, role):
            raise PermissionDenied(f"`{self.name}` is {with_article(user.role)}; {doing} needs the {role} role")
        if self.login != self.name:  # `--as`: the admin behind it must still be one, as the log will show
            behind = user_data.get_user(session, self.login)
            if behind is None or behind.role != "admin":
                raise PermissionDenied(f"only an admin may act as another user; `{self.login}` no longer is one")
        return user

    def audit(self, session: Session, action: str, subject: str, details: Mapping[str, Any]) -> None:
        """Record an event by the acting user, with the real login as `via` when they differ."""
        audit.append(session, self.name, action, subject, details, via=self.login)

    def writers(self, session: Session, user: User) -> list[User]:
        """Who wrote a change: the acting user and, under `--as`, the admin behind it."""
        behind = user_data.get_user(session, self.login) if self.login != user.name else None
        return [user] + ([behind] if behind is not None else [])

    def sources_check(self, doing: str) -> SourcesCheck:
        """The compile check this store was opened with; `doing` names what needed it when there is none."""
        if self.check is None:
            raise CheckUnavailable(f"{doing} needs a compile check, and this store was opened without one; "
                                   "open it with `Store.open(..., check=compile_check)` "
                                   "(jurist.workbench.checks)")
        return self.check
