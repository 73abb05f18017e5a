"""Decision logs with known answers, for the backtest and transparency tests.

Records are written by hand in the decision record format (v1), so every
count a report should show is known before it runs.  `known_log` is the
log the backtest tests share; `BASELINE` and `CANDIDATE` are the rulesets it
is replayed under.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Iterable, Sequence

from jurist.workbench.rule_sources import NamedRules

BASELINE = NamedRules("baseline", {"rules.policy": """
rule gb_bikini: deny attire:bikini subject:real_person where country = GB
    cite "GB law s.1"
    from 2026-02-01
rule nude_review: review nudity:exposed
    cite "Platform policy: nudity is reviewed"
rule free_tier: deny where user.tier = free
    cite "Platform policy: paid only"
"""})

# GB's rule starts a month later; nudity is allowed; DE gets a rule of its own.
CANDIDATE = NamedRules("candidate", {"rules.policy": """
rule gb_bikini: deny attire:bikini subject:real_person where country = GB
    cite "GB law s.1"
    from 2026-03-01
rule nude_review: allow nudity:exposed
rule free_tier: deny where user.tier = free
    cite "Platform policy: paid only"
rule de_new: deny attire:bikini where country = DE
    cite "DE law"
"""})

IMAGE = [{"sha256": "ab" * 32, "dhash": "0123456789abcdef"}]


def decision_id(n: int) -> str:
    """Time-ordered ids, as UUIDv7 text sorts: n = 0 is the earliest."""
    return f"01a00000-0000-7000-8000-{n:012d}"


def record(n: int, request: dict[str, Any], labels: dict[str, float] | None = None, *,
           unknown: Sequence[str] = (), images: Sequence[dict[str, Any]] = (), role: str = "served",
           effect: str = "allow", rules: Sequence[dict[str, Any]] = (), runs: Sequence[dict[str, Any]] = (),
           day: str = "2026-02-10", errors: Sequence[str] = ()) -> dict[str, Any]:
    observations: dict[str, Any] = {"labels": dict(labels or {})}
    if unknown:
        observations["unknown"] = list(unknown)
    return {"format": 1, "decision_id": decision_id(n), "decided_at": f"{day}T12:00:{n % 60:02d}.000000Z",
            "policy": {"name": "baseline", "sources_hash": "sha256:" + "0" * 64},
            "request_sha256": f"{n:064x}", "role": role, "shadow_of": None, "request": request,
            "images": list(images), "observations": observations,
            "decision": {"effect": effect, "rules": list(rules), "unevaluated": [], "detectors_run": list(runs),
                         "elapsed_ms": 0.1, "default_applied": not rules, "errors": list(errors)}}


def paid(country: str, **more: Any) -> dict[str, Any]:
    return {"action": "edit", "country": country, "user": {"tier": "paid"}, "date": "2026-02-10", **more}


def known_log() -> list[dict[str, Any]]:
    """27 replayed records (and a shadow one), whose report is known:

    * 10 GB, bikini on a real person, 2026-02-10: DENY→ALLOW by gb_bikini (it starts later in the candidate);
    * 4 FR, nudity: REVIEW→ALLOW by nude_review;
    * 3 US-CA on the free tier: deny on both sides;
    * 2 DE, bikini: ALLOW→DENY by de_new;
    * 5 GB with an image whose record lacks `attire:bikini`: the baseline needs a re-scan;
    * 2 GB whose nudity detector failed: the baseline fails closed, the candidate allows (DENY→ALLOW);
    * 1 with a country that does not exist: malformed, denied on both sides;
    * 1 shadow record: skipped.
    """
    out: list[dict[str, Any]] = []
    n = iter(range(1000))
    bikini = {"subject:real_person": 0.9, "attire:bikini": 0.9}
    out += [record(next(n), paid("GB"), bikini) for _ in range(10)]
    out += [record(next(n), paid("FR"), {"nudity:exposed": 0.9}) for _ in range(4)]
    out += [record(next(n), {"action": "edit", "country": "US", "region": "US-CA", "user": {"tier": "free"}})
            for _ in range(3)]
    out += [record(next(n), paid("DE"), {"attire:bikini": 0.9}) for _ in range(2)]
    out += [record(next(n), paid("GB"), {"subject:real_person": 0.9}, images=IMAGE) for _ in range(5)]
    failed = [{"name": "nudenet", "ms": 3.0, "ok": False, "error": "model failed"}]
    out += [record(next(n), paid("GB"), {"subject:real_person": 0.9, "subject:minor": 0.0}, images=IMAGE,
                   unknown=["attire:bikini", "attire:underwear", "nudity:exposed", "nudity:partial"], runs=failed)
            for _ in range(2)]
    out.append(record(next(n), paid("XX")))
    out.append(record(next(n), paid("GB"), bikini, role="shadow"))
    return out


def write_jsonl(path: Path, records: Iterable[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path
