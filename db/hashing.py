"""Content hashes: of a version's sources, of test cases, of image blobs, of audit events.

Each hash is over a canonical encoding (sorted keys, fixed separators, UTF-8),
so the same content always gives the same hash on any backend or platform.
"""
from __future__ import annotations

import hashlib
from typing import Any, Mapping, Sequence

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


def case_hash(name: str, request: Any, effect: str, rules: Sequence[str], not_rules: Sequence[str],
              images: Sequence[tuple[str, str]], obligations: Sequence[Sequence[str]] | None = None,
              policy: str | None = None) -> str:
    """`sha256:<hex>` over one test case as `jurist test` reads it, its images by name and blob hash.

    Expected obligations and the seed policy enter the hash only when the case has them, so the hashes
    recorded before cases could carry them still verify."""
    body: dict[str, Any] = {"name": name, "request": request, "effect": effect, "rules": list(rules),
                            "not_rules": list(not_rules), "images": [list(i) for i in images]}
    if obligations is not None:
        body["obligations"] = [list(o) for o in obligations]
    if policy is not None:
        body["policy"] = policy
    payload = canonical_json(body)
    return "sha256:" + hashlib.sha256(payload.encode("utf-8")).hexdigest()


def case_set_hash(cases: Mapping[str, str | None]) -> str:
    """`sha256:<hex>` over a ruleset's test cases, each by name and `case_hash`: what a review saw."""
    payload = canonical_json(sorted(cases.items()))
    return "sha256:" + hashlib.sha256(payload.encode("utf-8")).hexdigest()
