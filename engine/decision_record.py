"""The decision log's record: one decision, what it was made for, and how to read it back.

A record holds what replaying the decision against any ruleset needs, and
nothing that would make the log a copy of people's photos:

* `decision_id`, `decided_at`, `policy` (the version and its sources hash),
  `request_sha256`: which decision, when, by which rules, of what;
* `role`: `served` (the answer the caller got), `canary` (the answer the
  caller got, from the candidate version) or `shadow` (a candidate's answer
  nobody got, written when it differs from the served one, `shadow_of` naming
  the served decision);
* `request`: the request JSON without its images, which become `images`:
  each one's SHA-256 and a 64-bit perceptual difference hash (`dhash`, hex;
  null when it could not be decoded), so a photo can be recognised again
  without being kept;
* `observations`: every score the decision used or could have needed, in the
  request's own observation format (see `Decision.observations`);
* `decision`: the decision JSON less its trace (replaying it against the same
  rules gives the trace back).

The format is versioned (`format`, now 1) and written one JSON object per line
(JSON Lines; rotated files are gzip-compressed) or one row per record in the
store's `decision_records` table, whose `record` column holds the same JSON.
`read_records` reads files and folders of them back, oldest file first;
`DecisionRecord.replay_request()` is the request to decide again: decide it
with a policy that takes observations as given (`trust_observations=True`),
since the images are gone.  docs/serving.md describes every field.
"""
from __future__ import annotations

import gzip
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping

from .decision import Decision
from .policy_version import PolicyVersion

RECORD_FORMAT = 1
ROLES = ("served", "canary", "shadow")
_SUFFIXES = (".jsonl", ".jsonl.gz")


@dataclass(frozen=True, slots=True)
class ImageDigest:
    """An image as the log keeps it: its bytes' SHA-256 and a perceptual hash, never the bytes."""

    sha256: str
    dhash: str | None  # 16 hex digits; None when the image could not be decoded

    def to_json(self) -> dict[str, Any]:
        return {"sha256": self.sha256, "dhash": self.dhash}

    @classmethod
    def from_json(cls, raw: Mapping[str, Any]) -> ImageDigest:
        return cls(str(raw["sha256"]), raw.get("dhash"))


@dataclass(frozen=True, slots=True)
class DecisionRecord:
    """One line of the decision log (see the module docstring for each field)."""

    decision_id: str
    decided_at: str
    policy: PolicyVersion | None
    request_sha256: str
    role: str
    request: Mapping[str, Any]
    images: tuple[ImageDigest, ...]
    observations: Mapping[str, Any]
    decision: Decision
    shadow_of: str | None = None
    format: int = field(default=RECORD_FORMAT)

    @classmethod
    def of(cls, decision: Decision, request: Mapping[str, Any] | None, role: str = "served",
           images: Iterable[ImageDigest] = (), shadow_of: str | None = None) -> DecisionRecord:
        """The record of `decision`, made for `request` (its JSON form, whose images are dropped: pass their
        digests, `jurist.engine.image_digest.image_digest` of each)."""
        raw = {k: v for k, v in (request or {}).items() if k != "images"}
        return cls(decision.decision_id, decision.decided_at, decision.policy, decision.request_sha256, role, raw,
                   tuple(images), decision.observations, decision, shadow_of)

    def to_json(self) -> dict[str, Any]:
        decision = self.decision.to_json()
        for key in ("trace", "observations", "decision_id", "decided_at", "policy", "request_sha256"):
            decision.pop(key, None)
        return {"format": self.format, "decision_id": self.decision_id, "decided_at": self.decided_at,
                "policy": self.policy.to_json() if self.policy is not None else None,
                "request_sha256": self.request_sha256, "role": self.role, "shadow_of": self.shadow_of,
                "request": dict(self.request), "images": [i.to_json() for i in self.images],
                "observations": dict(self.observations), "decision": decision}

    def dumps(self) -> str:
        """The record as one line of JSON Lines (no newline inside)."""
        return json.dumps(self.to_json(), ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_json(cls, raw: Mapping[str, Any]) -> DecisionRecord:
        """A record from its JSON form; raises ValueError for a format this code does not read."""
        version = raw.get("format")
        if version != RECORD_FORMAT:
            raise ValueError(f"decision record format {version!r} is not one this Jurist reads "
                             f"(it reads format {RECORD_FORMAT})")
        policy = PolicyVersion.from_json(raw["policy"]) if raw.get("policy") is not None else None
        decision = Decision.from_json({**raw["decision"], "observations": raw.get("observations") or {},
                                       "decision_id": raw["decision_id"], "decided_at": raw["decided_at"],
                                       "policy": raw.get("policy"), "request_sha256": raw["request_sha256"]})
        return cls(raw["decision_id"], raw["decided_at"], policy, raw["request_sha256"], raw["role"],
                   dict(raw.get("request") or {}), tuple(ImageDigest.from_json(i) for i in raw.get("images") or ()),
                   dict(raw.get("observations") or {}), decision, raw.get("shadow_of"))

    @classmethod
    def loads(cls, line: str) -> DecisionRecord:
        return cls.from_json(json.loads(line))

    def replay_request(self) -> dict[str, Any]:
        """The request to decide again: its context and prompt, and the recorded observations in place of
        the images (decide it with `trust_observations=True`: the recorded scores are the evidence)."""
        out = {k: v for k, v in self.request.items() if k != "observations"}
        out["observations"] = dict(self.observations)
        return out


def record_files(path: str | os.PathLike[str]) -> list[Path]:
    """The log files at `path` (a file, or a folder's `*.jsonl` and `*.jsonl.gz`), oldest first.

    Each file is named for the UTC time it was started and the process writing it
    (`decisions-20261205T101112.123456Z-4242.jsonl`, gzip-compressed once rotated), so names sort by
    time.  Workers write files of their own: within a file records are in the order decided; across
    files, sort by `decision_id` (time-ordered) when the order matters.
    """
    root = Path(path)
    if root.is_dir():
        files = [p for p in root.iterdir() if p.is_file() and p.name.endswith(_SUFFIXES)]
        return sorted(files, key=lambda p: p.name.split(".jsonl")[0])
    return [root]


def read_records(*paths: str | os.PathLike[str]) -> Iterator[DecisionRecord]:
    """Every record in the given files and folders, in the order written.

    Raises ValueError naming the file and line of a line that is not a record.
    """
    for path in paths:
        for file in record_files(path):
            for number, line in iter_lines(file):
                try:
                    yield DecisionRecord.loads(line)
                except (ValueError, KeyError, TypeError) as exc:
                    raise ValueError(f"{file}:{number}: not a decision record ({exc})") from None


def iter_lines(file: Path) -> Iterator[tuple[int, str]]:
    """The non-empty lines of a log file, gzip or plain, with their numbers."""
    opener = gzip.open if file.name.endswith(".gz") else open
    with opener(file, "rt", encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if line.strip():
                yield number, line
