"""Trying a candidate version on real traffic: canary (it answers a share) and shadow (it only watches).

**Canary** (`--canary NAME@vN:5%`): a stable share of requests is decided by
the candidate.  Which ones is a pure function of a key: the caller's
`X-Jurist-Canary-Key` header when sent (a user or session id, so one user
sees one version), else the request's digest (so the same request always
gets the same version).  The key's SHA-256 picks one of 10,000 buckets; the
first `share` of them go to the candidate.  The decision names the version
that made it (`policy`), and so does its log record (`role: canary`).

**Shadow** (`--shadow NAME@vN`): every request is decided again by the
candidate, on a thread of its own after the answer has gone, from a bounded
queue (a full one skips the request and counts it).  Pairs whose effect or
deciding rule differ are written to the decision log (`role: shadow`,
`shadow_of` the served decision's id) and logged; the outcomes are counted in
`jurist_shadow_decisions_total`.  A shadow decision runs the detectors it needs
again, so shadowing image traffic doubles its detector work (off the latency
path, but on the same CPUs).
"""
from __future__ import annotations

import hashlib
import logging
import queue
import threading
from dataclasses import dataclass
from typing import cast

from jurist.engine import Decision, Policy, Request

from .decision_log import DecisionLog
from .metrics import Metrics

logger = logging.getLogger("jurist.serving")
BUCKETS = 10_000
KEY_HEADER = "x-jurist-canary-key"
_STOP = object()


def parse_share(text: str) -> float:
    """`5%` or `5` → 0.05; ValueError unless strictly between 0 and 100 percent."""
    value = float(text.strip().removesuffix("%"))
    if not 0 < value < 100:
        raise ValueError(f"the canary share must be between 0% and 100%, got `{text}`")
    return value / 100


def bucket(key: str) -> int:
    """The key's bucket, 0..9,999: the same key always lands in the same one."""
    return int.from_bytes(hashlib.sha256(key.encode("utf-8", "surrogatepass")).digest()[:8], "big") % BUCKETS


@dataclass(frozen=True, slots=True)
class Canary:
    policy: Policy
    share: float

    def takes(self, key: str) -> bool:
        """Whether the request with this key is decided by the canary."""
        return bucket(key) < round(self.share * BUCKETS)


class ShadowRunner:
    """Decides each submitted request with the shadow policy off the latency path and logs differences."""

    def __init__(self, policy: Policy, log: DecisionLog, metrics: Metrics, capacity: int = 10_000):
        self.policy = policy
        self.log = log
        self.metrics = metrics
        self._queue: queue.Queue[object] = queue.Queue(maxsize=capacity)
        self._thread = threading.Thread(target=self._run, name="jurist-shadow", daemon=True)
        self._thread.start()

    def submit(self, request: Request, served: Decision, exhaustive: bool = False) -> None:
        try:
            self._queue.put_nowait((request, served, exhaustive))
        except queue.Full:
            self.metrics.shadow.labels("skipped").inc()

    def close(self, timeout: float = 60.0) -> None:
        """Finish the queued requests (their differences reach the log before it closes)."""
        self._queue.put(_STOP)
        self._thread.join(timeout)

    def _run(self) -> None:
        while True:
            item = self._queue.get()
            if item is _STOP:
                return
            request, served, exhaustive = cast(tuple[Request, Decision, bool], item)
            try:
                shadow = self.policy.decide(request, exhaustive=exhaustive)
            except Exception as exc:  # noqa: BLE001 - a shadow's failure must not reach anyone
                self.metrics.shadow.labels("failed").inc()
                logger.error("shadow %s failed on %s: %s", self.policy.version.name, served.decision_id, exc)
                continue
            if differs(served, shadow):
                self.metrics.shadow.labels("differs").inc()
                self.log.put(shadow, request, "shadow", shadow_of=served.decision_id)
                logger.info("shadow %s differs on %s: served %s (%s), shadow %s (%s)", self.policy.version.name,
                            served.decision_id, served.effect, _rule(served), shadow.effect, _rule(shadow))
            else:
                self.metrics.shadow.labels("same").inc()


def differs(served: Decision, shadow: Decision) -> bool:
    return served.effect != shadow.effect or _rule(served) != _rule(shadow)


def _rule(decision: Decision) -> str:
    rule = decision.deciding_rule
    return rule.id if rule is not None else "-"
