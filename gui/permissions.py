"""Which approval buttons a user may press on a version, and why not, for the versions panel.

The store's workflow table (`jurist.db.workflow`) decides, the same table the
service enforces, so a button is enabled exactly when the service would allow
the action; the service still checks, so a stale window can never do what the
store refuses.
"""
from __future__ import annotations

from dataclasses import dataclass

from jurist.db.records import UserInfo, VersionInfo
from jurist.db.workflow import ACTIONS, may

__all__ = ["ACTIONS", "Permission", "allowed"]


@dataclass(frozen=True, slots=True)
class Permission:
    enabled: bool
    why: str  # the reason it is disabled, or what it will do


def allowed(user: UserInfo | None, version: VersionInfo | None, *, login: str | None = None) -> dict[str, Permission]:
    """For each action, whether `user` (acting for `login`, if an admin acts as them) may take it on `version` now."""
    verdicts = {action: may(action, user, version, login=login) for action in ACTIONS}
    return {action: Permission(v.allowed, v.reason) for action, v in verdicts.items()}
