"""Bearer-token authentication for the decide endpoints.

Tokens are made with `jurist token add NAME` (admins only, audited) and the
store keeps only their SHA-256; each worker reads the digests of the tokens
not revoked at start-up and again every reload interval, so a revoked token
stops working within seconds.  A request is checked before its body is read:
`Authorization: Bearer <token>`, hashed, looked up.  `/health`, `/ready`,
`/metrics` and `/openapi.json` need no token (they reveal the served version
and counts, not decisions; keep them off public networks).
"""
from __future__ import annotations

from .body import Refusal

CHALLENGE = {"WWW-Authenticate": 'Bearer realm="jurist"'}


class TokenCheck:
    """The digests of the tokens the server accepts now; replaced whole when the store is read again."""

    def __init__(self, digests: frozenset[str]):
        from jurist.db.tokens import digest  # the store's own hash of a token

        self.digests = digests
        self._digest = digest

    def check(self, authorization: str | None) -> None:
        """Pass, or raise a 401 Refusal (closing: the body is not read for a stranger)."""
        if not authorization:
            raise Refusal(401, "this endpoint needs an API token: send `Authorization: Bearer <token>` "
                               "(an admin makes one with `jurist token add NAME`)", close=True, headers=CHALLENGE)
        scheme, _, token = authorization.partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token:
            raise Refusal(401, "the Authorization header must read `Bearer <token>`", close=True, headers=CHALLENGE)
        if self._digest(token) not in self.digests:
            raise Refusal(401, "the API token is not valid (unknown or revoked)", close=True, headers=CHALLENGE)
