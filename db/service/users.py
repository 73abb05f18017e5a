"""Users and roles: who is registered, with which role, and who may act as whom.

Only admins manage users; the last admin cannot be demoted, or nobody could
manage users again.  A store with no users makes its first login an admin, so
a fresh desktop install works without setup.
"""
from __future__ import annotations

from jurist.db import audit, history, users as user_data
from jurist.db.connection import is_read_only
from jurist.db.errors import ConflictError, InvalidInput, InvalidTransition, NotFound, PermissionDenied
from jurist.db.models import User
from jurist.db.records import UserInfo
from jurist.db.safetext import shown
from jurist.db.service.acting import Actor
from jurist.db.service.inputs import USER_NAME_RULE, is_user_name, validate_role, validate_user_name
from jurist.db.workflow import with_article


def _info(user: User, key: str | None = None) -> UserInfo:
    return UserInfo(user.name, user.role, user.created_at, key)


def bootstrap(actor: Actor) -> None:
    """Make the login the first admin of a store with no users (read first: most opens write nothing)."""
    with actor.read() as session:
        if user_data.count_users(session) > 0 or is_read_only(actor.engine):
            return
    if not is_user_name(actor.login):
        raise InvalidInput(f"the OS login `{shown(actor.login)}` cannot become this store's first admin: it is "
                           f"not a valid user name ({USER_NAME_RULE}); set LOGNAME to a valid name and retry")
    with actor.write() as session:
        if user_data.count_users(session) == 0:
            user_data.add_user(session, actor.login, "admin")
            audit.append(session, actor.login, "user.bootstrap", f"user:{actor.login}",
                         {"role": "admin", "why": "first user of an empty store"})


def check_may_act_as(actor: Actor, name: str) -> None:
    """Only an admin login may act as another user, and only as a registered one."""
    with actor.read() as session:
        me = user_data.get_user(session, actor.login)
        if me is None or me.role != "admin":
            role = f"is {with_article(me.role)}" if me else "is not a registered user"
            raise PermissionDenied(f"only an admin may act as another user; `{actor.login}` {role}")
        if user_data.get_user(session, name) is None:
            raise NotFound(f"no user `{shown(name)}`")


def whoami(actor: Actor) -> UserInfo | None:
    with actor.read() as session:
        user = user_data.get_user(session, actor.name)
        return _info(user, history.registered_keys(session).get(user.name)) if user else None


def list_users(actor: Actor) -> tuple[UserInfo, ...]:
    with actor.read() as session:
        actor.require(session, "viewer", "listing users")
        keys = history.registered_keys(session)
        return tuple(_info(u, keys.get(u.name)) for u in user_data.list_users(session))


def add_user(actor: Actor, name: str, role: str) -> UserInfo:
    """Register `name`; refused when a user of the same name in any letter case exists."""
    validate_role(role)
    validate_user_name(name)
    with actor.write() as session:
        actor.require(session, "admin", "adding users")
        existing = user_data.get_user_any_case(session, name)
        if existing is not None:
            same = "" if existing.name == name else f" as `{existing.name}` (names may not differ only in case)"
            raise ConflictError(f"user `{name}` already exists{same}")
        user = user_data.add_user(session, name, role)
        actor.audit(session, "user.add", f"user:{name}", {"role": role})
        return _info(user)


def set_role(actor: Actor, name: str, role: str) -> UserInfo:
    """Change a role; the last admin cannot be demoted."""
    validate_role(role)
    with actor.write() as session:
        actor.require(session, "admin", "changing roles")
        user = user_data.get_user(session, name)
        if user is None:
            raise NotFound(f"no user `{shown(name)}`")
        if user.role == "admin" and role != "admin" and user_data.count_admins(session) == 1:
            raise InvalidTransition(f"`{name}` is the last admin; make another user an admin first")
        old = user.role
        user.role = role
        actor.audit(session, "user.role", f"user:{name}", {"from": old, "to": role})
        return _info(user)


def register_key(actor: Actor, public_key: str) -> UserInfo:
    """Register the acting user's own public key, for signed approvals; only its owner may, never under `--as`."""
    from jurist.db.signing import parse_public_key

    key = parse_public_key(public_key)
    with actor.write() as session:
        user = actor.require(session, "viewer", "registering a key")
        if actor.login != actor.name:
            raise PermissionDenied(f"a key is registered by its owner: `{actor.name}` registers their own, "
                                   f"`{actor.login}` cannot do it for them with --as")
        actor.audit(session, "user.key", f"user:{user.name}", {"key": key})
        return _info(user, key)


def require_signed_approvals(actor: Actor) -> bool:
    """From now on every approval must be signed, and only signed approvals can be published; for good.

    Returns False when the store already required them (nothing is recorded).
    """
    with actor.write() as session:
        actor.require(session, "admin", "requiring signed approvals")
        if history.signatures_required(session):
            return False
        actor.audit(session, "store.require_signed_approvals", "store", {"required": True})
        return True
