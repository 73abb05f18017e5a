"""Ed25519 keys and signatures: signed approvals and signed audit anchors.

A signature is only as good as where its public key comes from.  Approvers
register their own public key in the audit log (`user.key`, taken by the
owner alone, never under `--as`); an anchor is checked against a public key the
verifier names, kept outside the store.  Private keys never enter the store:
they live in files their owners keep (`jurist key generate`).

What is signed is canonical JSON (`canonical_json`): the same statement gives
the same bytes on every platform, so a signature made on one machine verifies
on another.
"""
from __future__ import annotations

import base64
import binascii
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

from jurist.db.errors import InvalidInput
from jurist.db.hashing import canonical_json
from jurist.db.safetext import shown

PREFIX = "ed25519:"


def approval_statement(ruleset: str, number: int, content_hash: str, cases_hash: str | None,
                       approver: str) -> bytes:
    """What an approver signs: this version of this ruleset, with this text and these test cases, by me."""
    return canonical_json({"jurist": "approval", "version": f"{ruleset}@{number}", "hash": content_hash,
                           "cases": cases_hash, "approver": approver}).encode("utf-8")


def anchor_statement(fields: Mapping[str, Any]) -> bytes:
    """What an anchor's signer signs: the anchor's fields but the signature."""
    return canonical_json({"jurist": "audit-anchor", **fields}).encode("utf-8")


def parse_public_key(text: str) -> str:
    """`ed25519:<base64 of 32 bytes>` checked and returned as written; InvalidInput otherwise."""
    raw = _b64(text.strip().removeprefix(PREFIX)) if text.strip().startswith(PREFIX) else None
    if raw is None or len(raw) != 32:
        raise InvalidInput(f"`{shown(text[:80])}` is not a public key; it looks like `ed25519:` followed by "
                           "44 base64 characters, as `jurist key generate` prints it")
    return text.strip()


def read_public_key(value: str) -> str:
    """A public key given as `ed25519:…` or as the path of a `.pub` file holding one."""
    if value.strip().startswith(PREFIX):
        return parse_public_key(value)
    path = Path(value)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInput(f"cannot read the public key `{shown(value)}`: "
                           f"{exc.strerror if isinstance(exc, OSError) else 'not text'}") from None
    return parse_public_key(text)


def verify(public_key: str, statement: bytes, signature: str) -> bool:
    """Whether `signature` (base64) is `public_key`'s signature of `statement`."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    raw_key = _b64(public_key.removeprefix(PREFIX)) if public_key.startswith(PREFIX) else None
    raw_signature = _b64(signature) if isinstance(signature, str) else None
    if raw_key is None or len(raw_key) != 32 or raw_signature is None or len(raw_signature) != 64:
        return False
    try:
        Ed25519PublicKey.from_public_bytes(raw_key).verify(raw_signature, statement)
    except InvalidSignature:
        return False
    return True


@dataclass(frozen=True)
class SigningKey:
    """A private key in memory, with its public half as the store writes it."""

    pem: bytes
    public: str

    @classmethod
    def generate(cls) -> "SigningKey":
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

        return cls.from_pem(_pem(Ed25519PrivateKey.generate()))

    @classmethod
    def from_pem(cls, pem: bytes, origin: str = "the key") -> "SigningKey":
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
        from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat, load_pem_private_key

        try:
            key = load_pem_private_key(pem, password=None)
        except (ValueError, TypeError) as exc:
            raise InvalidInput(f"{shown(origin)} is not an unencrypted PEM private key ({shown(exc)})") from None
        if not isinstance(key, Ed25519PrivateKey):
            raise InvalidInput(f"{shown(origin)} is not an Ed25519 key; make one with `jurist key generate`")
        public = key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        return cls(pem, PREFIX + base64.b64encode(public).decode("ascii"))

    @classmethod
    def load(cls, path: str | Path) -> "SigningKey":
        """Read a private key file written by `jurist key generate`."""
        try:
            pem = Path(path).read_bytes()
        except OSError as exc:
            raise InvalidInput(f"cannot read the private key `{shown(path)}`: {exc.strerror}") from None
        return cls.from_pem(pem, f"`{path}`")

    def save(self, path: str | Path) -> Path:
        """Write the private key readable by its owner only, and the public key beside it as `<path>.pub`."""
        target = Path(path)
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as out:
            out.write(self.pem)
        public = target.with_name(target.name + ".pub")
        public.write_text(self.public + "\n", encoding="utf-8")
        return public

    def sign(self, statement: bytes) -> str:
        """The base64 signature of `statement`."""
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
        from cryptography.hazmat.primitives.serialization import load_pem_private_key

        key = load_pem_private_key(self.pem, password=None)
        assert isinstance(key, Ed25519PrivateKey)
        return base64.b64encode(key.sign(statement)).decode("ascii")


def fingerprint(public_key: str) -> str:
    """A short form of a public key for messages: `ed25519:AbCdEf12…`."""
    return public_key[:len(PREFIX) + 8] + "…"


def _pem(key: Any) -> bytes:
    from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat

    return bytes(key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption()))


def _b64(text: str) -> bytes | None:
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        return None
