"""API tokens for `jurist serve`: made, listed and revoked by admins, every change audited.

The audit event names the token and who made it, never its text or digest
prefix: the text is shown once, to the admin who made it.
"""
from __future__ import annotations

from datetime import datetime, timezone

from jurist.db import tokens as token_data
from jurist.db.errors import ConflictError, InvalidTransition, NotFound
from jurist.db.models import ApiToken
from jurist.db.records import NewToken, TokenInfo
from jurist.db.safetext import shown
from jurist.db.service.acting import Actor
from jurist.db.service.inputs import validate_token_name


def _info(token: ApiToken, creator: str) -> TokenInfo:
    return TokenInfo(token.name, token.created_at, creator, token.revoked_at)


def add_token(actor: Actor, name: str) -> NewToken:
    validate_token_name(name)
    secret = token_data.new_secret()
    with actor.write() as session:
        user = actor.require(session, "admin", "making API tokens")
        if token_data.get_token(session, name) is not None:
            raise ConflictError(f"a token named `{name}` exists already; revoke it or choose another name")
        token = token_data.add_token(session, name, secret, user)
        actor.audit(session, "token.add", f"token:{name}", {})
        return NewToken(_info(token, user.name), secret)


def list_tokens(actor: Actor) -> tuple[TokenInfo, ...]:
    with actor.read() as session:
        actor.require(session, "admin", "listing API tokens")
        return tuple(_info(t, creator) for t, creator in token_data.list_tokens(session))


def revoke_token(actor: Actor, name: str) -> TokenInfo:
    with actor.write() as session:
        actor.require(session, "admin", "revoking API tokens")
        token = token_data.get_token(session, name)
        if token is None:
            raise NotFound(f"no API token `{shown(name)}`")
        if token.revoked_at is not None:
            raise InvalidTransition(f"API token `{name}` was revoked already")
        token.revoked_at = datetime.now(timezone.utc)
        actor.audit(session, "token.revoke", f"token:{name}", {})
        return _info(token, token_data.creator_name(session, token))
