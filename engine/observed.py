"""A request observed once: what the detectors saw, kept to decide from many times.

A test case is decided twice (fast and exhaustive), a regression diff decides
it under two rulesets, the country matrix under ~300 places.  What the
detectors see depends on none of that, only on the request's prompt and
images, so `Policy.observe(request)` runs them once and returns an `Observed`,
and `Policy.decide(observed)` decides from it without running anything.

A decision made from an `Observed` equals the one made from its request: same
effect, matched rules (with the same `unverified` reasons), unevaluated rules
and trace.  It reads the very outputs and failures a live decision would have
produced, a failed detector or an undecodable image included.  It differs in
`detectors_run`, which lists the observation pass (whatever this decision
needed), and in `observations`, which may record scores the pass computed
where a lazy decision would have recorded the label as unknown.

Observation belongs to the request, not the ruleset: by default every label of
the vocabulary whose detector has an input in the request is observed, so one
`Observed` serves any policy over the same vocabulary (the old and the new
ruleset of a regression diff).  `labels=` narrows the pass to save detector
time; a decision that then needs a detector the pass did not run does not run
it: that detector's labels are unknown, and a deny or review rule needing them
counts as matched with the reason (fail closed).  Caller observations sent
beside a prompt or images are read as the observing policy's
`trust_observations` says, once, and kept in `given` for every decision.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Mapping

from jurist.dsl.schema import LabelSchema

from .decision import DetectorRun
from .detection_memo import DetectionMemo
from .detector_set import DetectorSet
from .observations import Observations
from .observer import Observer
from .request import Request, RequestError

# What `with_context` may change: everything but the inputs the detectors looked at.
CONTEXT_FIELDS = frozenset({"action", "country", "region", "user", "surface", "stage", "date"})
_EMPTY: Mapping[str, Any] = MappingProxyType({})
_EMPTY_REQUIRES: Mapping[str, tuple[str, ...]] = MappingProxyType({})


@dataclass(frozen=True, slots=True)
class Observed:
    """A request and what the detectors saw in it.  Immutable; safe to share between threads and policies."""

    request: Request
    given: Observations | None                # the caller's observations, as the decisions read them
    outputs: Mapping[str, Observations]       # what each detector that ran yielded
    failures: Mapping[str, str]               # why each detector that could not run failed
    runs: tuple[DetectorRun, ...]             # the observation pass: which detectors ran, how long
    scores: Mapping[str, float | None]        # image-level score of each observed label; None: unknown
    error: str | None = None                  # the request was malformed: every decision is deny, naming it
    # What each detector needs run first: a decision skips a person test's detectors as a live one does
    requires: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: _EMPTY_REQUIRES)
    offered: frozenset[str] | None = None     # the detectors the observing set offered; None: every one

    def with_context(self, **changes: Any) -> Observed:
        """The same observations for the request with other context fields (a place, a date, a tier).

        Values are given as in request JSON (`country="GB"`, `user={"tier": "paid"}`); None clears a
        field.  A new country without a region clears the region, and a new region sets its country.
        The prompt, images and given observations cannot change: the observations are theirs.
        Raises `RequestError` for a field outside `CONTEXT_FIELDS` or a value the request would refuse.
        """
        if self.error is not None:
            return self
        outside = sorted(set(changes) - CONTEXT_FIELDS)
        if outside:
            raise RequestError(f"`{outside[0]}` is not a context field ({', '.join(sorted(CONTEXT_FIELDS))}); "
                               "observe the changed request instead")
        raw = self.request.to_json()
        if "country" in changes and "region" not in changes:
            raw.pop("region", None)
        if "region" in changes and "country" not in changes:
            raw.pop("country", None)
        raw.update(changes)
        raw = {k: v for k, v in raw.items() if v is not None}
        return dataclasses.replace(self, request=Request.from_json(raw))


def observe(request: Request, schema: LabelSchema, detectors: DetectorSet, labels: frozenset[str], *,
            trust_observations: bool = False, memo: DetectionMemo | None = None) -> Observed:
    """Run every detector that yields one of `labels` and has an input in `request`, once
    (or take its result from `memo`, for an input it has seen)."""
    observer = Observer(request, schema, detectors, trust_observations=trust_observations, memo=memo)
    observer.observe(labels)
    scores = {key: observer.score(key) for key in sorted(labels)}
    return Observed(request, observer.given, MappingProxyType(dict(observer.outputs)),
                    MappingProxyType(dict(observer.failures)), tuple(observer.runs), MappingProxyType(scores),
                    None, MappingProxyType(dict(detectors.requires)),
                    frozenset(name for name in schema.detectors if detectors.offers(name)))


def malformed(error: str) -> Observed:
    """What observing a malformed request yields: every decision from it is deny, naming `error`."""
    return Observed(Request(), None, _EMPTY, _EMPTY, (), _EMPTY, error)


class RecordedObserver(Observer):
    """An observer that reads an `Observed` instead of running detectors: one per decision."""

    __slots__ = ()

    def __init__(self, observed: Observed, schema: LabelSchema):
        self.request = observed.request
        self.schema = schema
        self._detectors = _RecordedSet(observed.requires, observed.offered)
        self._given = observed.given
        self._outputs = dict(observed.outputs)
        self._failed = dict(observed.failures)
        self._scores = {}
        self.runs = list(observed.runs)
        self._images = None
        self._image_error = None
        self._memo = None
        self._keys = {}

    def _detect(self, name: str, kind: str) -> Observations | None:
        self._failed[name] = f"detector `{name}` did not run when this request was observed"
        return None


class _RecordedSet(DetectorSet):
    """No detector to run, but the requirements and the offer of the set that observed."""

    def __init__(self, requires: Mapping[str, tuple[str, ...]], offered: frozenset[str] | None):
        super().__init__({}, dict(requires))
        self._offered = offered

    def offers(self, name: str) -> bool:
        return self._offered is None or name in self._offered
