"""Which rules made a decision: a ruleset's name and the hash of its sources.

A decision names the version that decided it (`global@v3`, or the directory it
was loaded from) together with the SHA-256 of the sources, computed the same
way the store computes a version's `content_hash`: so a logged decision stays
attributable to the exact text that made it after the rules change, and a
record made from a directory can be matched against the store's versions.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any, Mapping


def canonical_json(value: Any) -> str:
    """JSON text identical for equal values: sorted keys, no spaces, UTF-8 as is (what every hash here is over)."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def sources_hash(sources: Mapping[str, str]) -> str:
    """`sha256:<hex>` over every file's name and full text (the store's `content_hash`)."""
    payload = canonical_json(sorted((str(k), str(v)) for k, v in sources.items()))
    return "sha256:" + hashlib.sha256(payload.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class PolicyVersion:
    """`name` says where the rules came from (`global@v3`, a directory, `<memory>`); `sources_hash` what they were."""

    name: str
    sources_hash: str

    def __str__(self) -> str:
        return f"{self.name} ({self.sources_hash[:19]}…)"

    def to_json(self) -> dict[str, str]:
        return {"name": self.name, "sources_hash": self.sources_hash}

    @classmethod
    def from_json(cls, raw: Mapping[str, Any]) -> PolicyVersion:
        name, digest = raw.get("name"), raw.get("sources_hash")
        if not isinstance(name, str) or not isinstance(digest, str):
            raise ValueError("a policy is {\"name\": ..., \"sources_hash\": \"sha256:...\"}")
        return cls(name, digest)
