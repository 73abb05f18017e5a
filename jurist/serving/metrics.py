"""What `GET /metrics` reports, in Prometheus' text format (prometheus-client).

Labels are low-cardinality by construction: effects (3), roles (served,
canary), rule ids and countries (bounded by the ruleset and ISO 3166), detector
names, HTTP statuses; never a request or decision id.  Names follow the
client's conventions: base units (`_seconds`), `_total` counters.

With several workers, each process writes its values to files in a shared
folder (prometheus-client's multi-process mode, `PROMETHEUS_MULTIPROC_DIR`,
set by the supervisor before any worker starts) and whichever worker answers
`/metrics` adds them all up.  Without that folder (one in-process server, the
tests) the metrics live in this object's own registry.
"""
from __future__ import annotations

import os
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.multiprocess import MultiProcessCollector

from jurist.engine import Decision

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
_LATENCY = (0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
_DETECTOR = (0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


class Metrics:
    """One worker's metrics; `observe` is called once per decision on the latency path (a few µs)."""

    def __init__(self) -> None:
        self.registry = r = CollectorRegistry(auto_describe=True)
        self.multiprocess_dir = os.environ.get(MULTIPROC_ENV) or None
        self.decisions = Counter("jurist_decisions", "Decisions answered, by effect and by the role of the version "
                                 "that decided (served, canary)", ["effect", "role"], registry=r)
        self.by_rule = Counter("jurist_decisions_by_rule", "Decisions by deciding rule id ((default): no rule "
                               "matched; (refused): the request could not be read)", ["rule", "effect"], registry=r)
        self.by_country = Counter("jurist_decisions_by_country", "Decisions by the request's country (unknown: none "
                                  "given)", ["country", "effect"], registry=r)
        self.decision_seconds = Histogram("jurist_decision_seconds", "Time the engine took per decision, detectors "
                                          "included", buckets=_LATENCY, registry=r)
        self.request_seconds = Histogram("jurist_http_request_seconds", "Time from the request's headers to its "
                                         "response, per endpoint", ["endpoint"], buckets=_LATENCY, registry=r)
        self.refusals = Counter("jurist_http_refusals", "Requests refused, by HTTP status (each still answered "
                                "with a deny decision on the decide endpoints)", ["status"], registry=r)
        self.detector_runs = Counter("jurist_detector_runs", "Detector runs by outcome (ok, failed)",
                                     ["detector", "outcome"], registry=r)
        self.detector_seconds = Histogram("jurist_detector_seconds", "Time per detector run", ["detector"],
                                          buckets=_DETECTOR, registry=r)
        self.policy_info = Gauge("jurist_policy_info", "The versions this server decides with: 1 for each (role: "
                                 "served, canary, shadow)", ["role", "version", "sources_hash"], registry=r,
                                 multiprocess_mode="livemax")
        self.policy_retired = Gauge("jurist_policy_retired", "1 when the served version was retired in the store "
                                    "and nothing replaced it: it is still served", registry=r,
                                    multiprocess_mode="livemax")
        self.reloads = Counter("jurist_policy_reloads", "Checks of the store that found a new version, by outcome "
                               "(swapped, refused: it failed verification or compilation, failed: the store could "
                               "not be read)", ["outcome"], registry=r)
        self.log_records = Counter("jurist_decision_log_records", "Decision records by sink and outcome (written; "
                                   "failed: the sink raised; dropped: the queue was full)", ["sink", "outcome"],
                                   registry=r)
        self.shadow = Counter("jurist_shadow_decisions", "Shadow decisions by outcome (same, differs, skipped: the "
                              "shadow queue was full, failed)", ["outcome"], registry=r)
        self.connections_refused = Counter("jurist_connections_refused", "Connections closed by a server limit "
                                           "(connections, request_timeout, malformed)", ["reason"], registry=r)
        self._children: dict[tuple[str, ...], Any] = {}
        self._shown: dict[str, tuple[str, str]] = {}

    def _child(self, metric: Any, *labels: str) -> Any:
        key = (metric._name, *labels)
        child = self._children.get(key)
        if child is None:
            child = self._children[key] = metric.labels(*labels)
        return child

    def observe(self, decision: Decision, role: str, country: str | None) -> None:
        effect = decision.effect
        self._child(self.decisions, effect, role).inc()
        rule = decision.deciding_rule
        name = rule.id if rule is not None else "(refused)" if decision.errors else "(default)"
        self._child(self.by_rule, name, effect).inc()
        self._child(self.by_country, country or "unknown", effect).inc()
        self.decision_seconds.observe(decision.elapsed_ms / 1000)
        for run in decision.detectors_run:
            self._child(self.detector_runs, run.name, "ok" if run.ok else "failed").inc()
            self._child(self.detector_seconds, run.name).observe(run.ms / 1000)

    def refused(self, status: int) -> None:
        self._child(self.refusals, str(status)).inc()

    def request_time(self, endpoint: str, seconds: float) -> None:
        self._child(self.request_seconds, endpoint).observe(seconds)

    def show_version(self, role: str, version: str, sources_hash: str) -> None:
        """Set the info gauge of `role` to this version, the one shown before to 0."""
        before = self._shown.get(role)
        if before == (version, sources_hash):
            return
        if before is not None:
            self.policy_info.labels(role, *before).set(0)
        self.policy_info.labels(role, version, sources_hash).set(1)
        self._shown[role] = (version, sources_hash)

    def exposition(self) -> bytes:
        """The text `GET /metrics` answers: every worker's values when there are several."""
        if self.multiprocess_dir is None:
            return generate_latest(self.registry)
        registry = CollectorRegistry()
        MultiProcessCollector(registry, path=self.multiprocess_dir)  # type: ignore[no-untyped-call]
        return generate_latest(registry)
