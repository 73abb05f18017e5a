"""Signed checkpoints of the audit log's head, kept outside the store.

Whoever can write the database (the owner of a SQLite file, a PostgreSQL
superuser) can rewrite the whole chain and recompute every hash: the log then
verifies.  An anchor is a statement "event N had hash H", signed with an
Ed25519 key the verifier trusts and stored where the rewriter cannot reach (a
ticket, a release, another machine).  Checked later, it shows a rewritten
history (event N no longer has hash H), a shortened one (the log ends before
N), and lists what was appended since, for the replay and the signatures on
approvals to vouch for.
"""
from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from jurist.db.audit import AnchorCheck
from jurist.db.errors import InvalidInput
from jurist.db.hashing import GENESIS, canonical_json
from jurist.db.models import AuditEvent, AuditHead
from jurist.db.safetext import shown
from jurist.db.signing import SigningKey, anchor_statement, fingerprint, parse_public_key, verify

FORMAT = 1
_FIELDS = {"format": int, "store": str, "seq": int, "head": str, "at": str, "key": str, "signature": str}


@dataclass(frozen=True, slots=True)
class Anchor:
    """One signed checkpoint: the log had `seq` events and the last one hashed to `head`, at `at`."""

    store: str
    seq: int
    head: str
    at: str
    key: str
    signature: str
    origin: str = "the anchor"

    def fields(self) -> dict[str, Any]:
        return {"format": FORMAT, "store": self.store, "seq": self.seq, "head": self.head, "at": self.at,
                "key": self.key}

    def to_json(self) -> str:
        return canonical_json({**self.fields(), "signature": self.signature}) + "\n"

    def signed_by(self, trusted_key: str) -> str | None:
        """Why this anchor cannot be trusted under `trusted_key`, or None when its signature holds."""
        if self.key != trusted_key:
            return f"it was signed by {fingerprint(self.key)}, not the trusted key {fingerprint(trusted_key)}"
        if not verify(trusted_key, anchor_statement(self.fields()), self.signature):
            return "its signature does not verify (the file was edited after it was signed)"
        return None

    @classmethod
    def parse(cls, text: str, origin: str) -> "Anchor":
        """An anchor from the JSON `jurist audit anchor` writes; InvalidInput naming what is wrong."""
        try:
            raw = json.loads(text)
        except ValueError:
            raise InvalidInput(f"{shown(origin)} is not an anchor: not JSON") from None
        if not isinstance(raw, dict):
            raise InvalidInput(f"{shown(origin)} is not an anchor: not a JSON object")
        for name, kind in _FIELDS.items():
            if not isinstance(raw.get(name), kind) or isinstance(raw.get(name), bool):
                raise InvalidInput(f"{shown(origin)} is not an anchor: `{name}` is missing or not a {kind.__name__}")
        if raw["format"] != FORMAT:
            raise InvalidInput(f"{shown(origin)} is an anchor of format {raw['format']}; this Jurist reads {FORMAT}")
        parse_public_key(raw["key"])
        return cls(raw["store"], raw["seq"], raw["head"], raw["at"], raw["key"], raw["signature"], origin)

    @classmethod
    def read(cls, path: str | Path) -> "Anchor":
        try:
            text = Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise InvalidInput(f"cannot read the anchor `{shown(path)}`: "
                               f"{exc.strerror if isinstance(exc, OSError) else 'not UTF-8 text'}") from None
        return cls.parse(text, str(path))


def make_anchor(session: Session, key: SigningKey, store: str) -> Anchor:
    """Sign the current head; the caller has verified the log in the same transaction."""
    head = session.execute(select(AuditHead).where(AuditHead.id == 1)).scalar_one()
    at = datetime.now(timezone.utc).isoformat(timespec="seconds")
    unsigned = Anchor(store, head.seq, head.hash, at, key.public, "")
    return Anchor(store, head.seq, head.hash, at, key.public, key.sign(anchor_statement(unsigned.fields())))


def check_anchor(session: Session, anchor: Anchor, trusted_key: str) -> AnchorCheck:
    """Whether the log still holds what `anchor` vouched for, and what was appended after it."""
    def result(problem: str | None, **more: Any) -> AnchorCheck:
        return AnchorCheck(anchor.origin, anchor.seq, anchor.head, anchor.at, anchor.key, problem, **more)

    untrusted = anchor.signed_by(trusted_key)
    if untrusted is not None:
        return result(f"anchor {anchor.origin}: {untrusted}")
    if anchor.seq == 0:
        found: str | None = GENESIS
    else:
        found = session.scalar(select(AuditEvent.hash).where(AuditEvent.seq == anchor.seq))
    if found is None:
        last = session.scalar(select(AuditEvent.seq).order_by(AuditEvent.seq.desc()).limit(1)) or 0
        return result(f"anchor {anchor.origin}: the log ends at event {last}, before the anchored event "
                      f"{anchor.seq}: events were removed since {anchor.at}")
    if found != anchor.head:
        return result(f"anchor {anchor.origin}: event {anchor.seq} no longer has the hash it had on {anchor.at}: "
                      "the history up to it was rewritten")
    later = session.execute(select(AuditEvent.seq, AuditEvent.action, AuditEvent.actor)
                            .where(AuditEvent.seq > anchor.seq).order_by(AuditEvent.seq)).all()
    if not later:
        return result(None)
    actions = Counter(action for _, action, _ in later)
    return result(None, appended=(later[0][0], later[-1][0]), appended_actions=tuple(sorted(actions.items())),
                  appended_actors=tuple(sorted({actor for _, _, actor in later})))

