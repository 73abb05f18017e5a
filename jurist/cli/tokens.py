"""`jurist token`: API tokens for `jurist serve`'s decide endpoints (admins only; audited).

`token add NAME` prints the new token once: the store keeps only its SHA-256,
so a lost token is revoked and replaced, never recovered.
"""
from __future__ import annotations

import argparse

from .store import _common, _leaf, _open, _table, _utc


def register(subparsers: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    common = _common()
    group = subparsers.add_parser("token", help="API tokens for jurist serve (admin)").add_subparsers(
        dest="token_command", required=True)
    p = _leaf(group, "add", common, _add, "make an API token and print it once (the store keeps only its hash)")
    p.add_argument("name", help="what the token is for, e.g. image-service (letters, digits, `.`, `_`, `-`)")
    _leaf(group, "list", common, _list, "list API tokens: name, maker, when made, whether revoked")
    p = _leaf(group, "revoke", common, _revoke, "stop a token working (servers refuse it within seconds)")
    p.add_argument("name", help="the token's name")


def _add(args: argparse.Namespace) -> int:
    with _open(args) as store:
        made = store.add_token(args.name)
    print(made.secret)
    import sys

    print(f"jurist: made API token `{made.info.name}`; it is shown only now: keep it secret, send it as "
          "`Authorization: Bearer <token>`", file=sys.stderr)
    return 0


def _list(args: argparse.Namespace) -> int:
    with _open(args) as store:
        rows = [(t.name, t.created_by, _utc(t.created_at), _utc(t.revoked_at) if t.revoked_at else "-")
                for t in store.list_tokens()]
    _table(("TOKEN", "MADE BY", "MADE (UTC)", "REVOKED (UTC)"), rows)
    return 0


def _revoke(args: argparse.Namespace) -> int:
    with _open(args) as store:
        token = store.revoke_token(args.name)
    print(f"revoked API token `{token.name}`")
    return 0
