"""Which approval buttons a user may press on a version, and why not.

This mirrors the service's rules (roles, states, the two-person rule) so the
window can disable a button and say why in its tooltip; the service still
decides, so a stale window can never do what the store refuses.
"""
from __future__ import annotations

from dataclasses import dataclass

from jurist.db.records import UserInfo, VersionInfo

ROLE_ORDER = ("viewer", "editor", "approver", "admin")
ACTIONS = ("submit", "approve", "reject", "publish", "retire")

# action: (role needed, states it applies to)
_RULES = {
    "submit": ("editor", ("draft",)),
    "approve": ("approver", ("in_review",)),
    "reject": ("approver", ("in_review", "approved")),
    "publish": ("approver", ("approved",)),
    "retire": ("approver", ("draft", "in_review", "approved", "published")),
}


@dataclass(frozen=True, slots=True)
class Permission:
    enabled: bool
    why: str  # the reason it is disabled, or what it will do


def has_role(user: UserInfo | None, role: str) -> bool:
    return user is not None and ROLE_ORDER.index(user.role) >= ROLE_ORDER.index(role)


def allowed(user: UserInfo | None, version: VersionInfo | None) -> dict[str, Permission]:
    """For each action, whether `user` may take it on `version` now."""
    out: dict[str, Permission] = {}
    for action, (role, states) in _RULES.items():
        out[action] = _check(action, role, states, user, version)
    return out


def _check(action: str, role: str, states: tuple[str, ...], user: UserInfo | None,
           version: VersionInfo | None) -> Permission:
    if version is None:
        return Permission(False, "select a version first")
    if user is None:
        return Permission(False, "you are not a registered user of this store")
    if not has_role(user, role):
        return Permission(False, f"{action} needs the {role} role; you are {_a(user.role)}")
    if version.state not in states:
        wanted = " or ".join(s.replace("_", " ") for s in states)
        return Permission(False, f"v{version.number} is {version.state.replace('_', ' ')}; {action} needs {wanted}")
    if action == "approve" and user.name in version.authors:
        return Permission(False, f"you wrote v{version.number}; the two-person rule needs another approver")
    return Permission(True, f"{action} v{version.number}")


def _a(role: str) -> str:
    return f"an {role}" if role[0] in "aeiou" else f"a {role}"
