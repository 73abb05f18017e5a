"""What makes one decision identifiable later: its id, its time and its request's digest.

Stamping is on the hot path, so `Policy.decide` only takes the clock and a
sequence number (about 0.1 µs); the id's text and the request's digest are
computed from them when first read (`Decision.decision_id`,
`Decision.request_sha256`), which serving and logging do and an in-process
loop that reads only `effect` never pays for.

Ids are UUIDv7 (RFC 9562): 48 bits of Unix milliseconds, then 12 bits of the
sub-millisecond fraction (the RFC's "increased clock precision" method), then
62 bits that are this process's random salt plus its decision sequence, so ids
sort by time and never repeat within a process, and processes differ by salt.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import os
import secrets
from typing import Callable

from .policy_version import canonical_json
from .request import Request

_SALT = secrets.randbits(62)
_SALT_PID = os.getpid()
_MASK62 = (1 << 62) - 1
next_sequence: Callable[[], int] = itertools.count(1).__next__


def uuid7(decided_ns: int, sequence: int) -> str:
    """The decision id for a decision made at `decided_ns` (Unix ns) as this process's `sequence`-th."""
    ms, sub_ns = divmod(decided_ns, 1_000_000)
    rand_a = sub_ns * 4096 // 1_000_000
    rand_b = (_salt() + sequence) & _MASK62
    value = (ms & 0xFFFF_FFFF_FFFF) << 80 | 0x7 << 76 | rand_a << 64 | 0b10 << 62 | rand_b
    text = f"{value:032x}"
    return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"


def _salt() -> int:
    """This process's salt; a forked worker draws its own, so two workers never share ids."""
    global _SALT, _SALT_PID
    if os.getpid() != _SALT_PID:
        _SALT, _SALT_PID = secrets.randbits(62), os.getpid()
    return _SALT


def utc_text(decided_ns: int) -> str:
    """`2026-12-05T10:11:12.123456Z`: the decision time in UTC, to the microsecond."""
    global _second
    seconds, ns = divmod(decided_ns, 1_000_000_000)
    cached_seconds, prefix = _second
    if seconds != cached_seconds:  # strftime costs ~8 µs: once per second, not once per decision
        prefix = dt.datetime.fromtimestamp(seconds, dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S")
        _second = (seconds, prefix)
    return f"{prefix}.{ns // 1000:06d}Z"


_second: tuple[int, str] = (-1, "")


def parse_utc(text: str) -> int:
    """Unix ns from `utc_text`'s form (or any ISO 8601 time with a zone); raises ValueError."""
    moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        raise ValueError(f"`{text}` has no time zone")
    delta = moment - dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)
    return (delta.days * 86_400 + delta.seconds) * 1_000_000_000 + delta.microseconds * 1000


def request_sha256(request: Request) -> str:
    """Hex SHA-256 of the request's canonical JSON: equal requests (key order, spacing, code case aside)
    share it, and inline images are covered by their bytes."""
    return hashlib.sha256(canonical_json(request.to_json()).encode("utf-8")).hexdigest()


def raw_sha256(raw: object) -> str:
    """The digest of a request that could not be parsed: its canonical JSON if it has one, else ""."""
    try:
        return hashlib.sha256(canonical_json(raw).encode("utf-8", "surrogatepass")).hexdigest()
    except (TypeError, ValueError, RecursionError):
        return ""
