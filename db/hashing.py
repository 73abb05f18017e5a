"""Content hashes: of a version's sources, of image blobs, of audit events.

Each hash is over a canonical encoding (sorted keys, fixed separators, UTF-8),
so the same content always gives the same hash on any backend or platform.
"""
from __future__ import annotations

import hashlib

# One definition each: a decision names its rules by the same hash the store records.
from jurist.engine.policy_version import canonical_json as canonical_json, sources_hash as sources_hash

GENESIS = "0" * 64  # the `prev_hash` of the first audit event


def blob_hash(data: bytes) -> str:
    """Hex SHA-256 of raw bytes, the key images are stored under."""
    return hashlib.sha256(data).hexdigest()


def event_hash(seq: int, at: str, actor: str, action: str, subject: str, details: str, prev_hash: str) -> str:
    """Hex SHA-256 binding an audit event's fields, its position and its predecessor."""
    payload = canonical_json([seq, at, actor, action, subject, details, prev_hash])
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()
