"""A logged decision decided again under two rulesets, from what the log kept.

The log keeps each decision's request without its images and every score the
decision used (`jurist.engine.decision_record`).  Replaying decides the
request again with those scores taken as given: no detector runs, so a label
the log does not hold must not silently read as 0.  Each label of the
vocabulary is, for one record, one of:

* **known**: a score at image level or for a person;
* **failed**: unknown because its detector failed when the decision was made
  (the record's `detectors_run` names it, or one it needs, as failed): the
  engine could not check it then, and a re-scan would meet the same image;
* **missing**: not in the record although its detector had an input (the
  record names images, or the request has a prompt): the decision did not
  need it, so nobody looked.  Replayed as unknown, so a rule needing it fails
  closed, and the side whose decision rests only on such rules **needs a
  re-scan** (`--rescan`) rather than being counted as decided;
* **absent without input**: scores 0, as in the engine (no image, nothing to see;
  a caller fact nobody stated).

A decision's state says how far its effect can be trusted: `settled`;
`fail_closed` (it rests only on rules counted as matched without being checked
for a reason a re-scan cannot remove: a missing request field, a detector
that failed); `needs_rescan`; `malformed` (the request itself is refused).

A request without a `date` is replayed on the UTC day it was decided, since
rules in force are judged on the day of the decision.  Decisions are
exhaustive, so every rule that matches is counted and the deciding rule is
the ruleset's, not the cheapest one found first.

Many logged requests are the same question asked again: the same place, tier
and action, and scores on the same side of every threshold.  Their decisions
are the same, so a replayer keeps them by that abstraction (`_key`), which is
exact: two records with the same key are decided alike by both rulesets in
every respect the report reads (tests check it against deciding each record).
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Mapping, cast

from jurist.dsl import ir
from jurist.dsl.keywords import STRENGTH
from jurist.engine import Decision, Policy, Request, RequestError
from jurist.engine.evaluator import Evaluation
from jurist.engine.vocabulary import SCHEMA

from .decision_logs import LogError

SETTLED, FAIL_CLOSED, NEEDS_RESCAN, MALFORMED = "settled", "fail_closed", "needs_rescan", "malformed"
STATES = (SETTLED, FAIL_CLOSED, NEEDS_RESCAN, MALFORMED)

_LABEL_INPUT = {key: SCHEMA.detectors[spec.detector].input for key, spec in SCHEMA.labels.items()}
_LABEL_DETECTOR = {key: spec.detector for key, spec in SCHEMA.labels.items()}
_NOTHING: frozenset[str] = frozenset()
# The labels a detector yields from an input: (the record names images, the request has a prompt) -> labels.
_WITH_INPUT = {(images, prompt): tuple(k for k, kind in _LABEL_INPUT.items()
                                       if (kind == "images" and images) or (kind == "prompt" and prompt))
               for images in (False, True) for prompt in (False, True)}
_NO_THRESHOLDS: tuple[float, ...] = ()
CACHE_LIMIT = 100_000  # decided keys kept per process (about 40 MB at most); real traffic has far fewer


@dataclass(frozen=True, slots=True)
class Verdict:
    """One ruleset's decision of one record, as the reports count it."""

    effect: str
    rule: str | None                 # the deciding rule; None when the default applied
    matched: tuple[str, ...]         # every rule that matched (hits), in the ruleset's order
    state: str                       # one of STATES
    reasons: tuple[str, ...] = ()    # why it failed closed (unverified reasons, request errors)
    needs: tuple[str, ...] = ()      # labels a re-scan must supply before it can be trusted


class Pair:
    """Both verdicts for one decided key, shared by every record with that key, and what the reports do with
    it: `kind` is "rescan" (a side needs a re-scan), "flip" (the effect changes), "rule" (same effect, another
    deciding rule) or None.  Compared by identity: records are grouped by the pair they got."""

    __slots__ = ("baseline", "candidate", "kind")

    def __init__(self, baseline: Verdict, candidate: Verdict):
        self.baseline = baseline
        self.candidate = candidate
        if NEEDS_RESCAN in (baseline.state, candidate.state):
            self.kind: str | None = "rescan"
        elif baseline.effect != candidate.effect:
            self.kind = "flip"
        elif baseline.rule != candidate.rule:
            self.kind = "rule"
        else:
            self.kind = None


@dataclass(frozen=True, slots=True)
class Gaps:
    """What a record's observations lack: labels replayed as unknown, and which of them a re-scan could supply."""

    unknown: frozenset[str]   # every label replayed as unknown (failed and missing)
    missing: frozenset[str]   # the ones nobody looked at


def gaps(raw: Mapping[str, Any]) -> Gaps:
    """Which labels a record's observations lack (see the module docstring); LogError for a shape no engine
    writes (the engine's reader checks the rest when the request is replayed)."""
    obs = raw.get("observations") or {}
    labels, unknown_raw, persons = obs.get("labels") or {}, obs.get("unknown") or (), obs.get("persons") or ()
    images, runs = raw.get("images"), raw["decision"].get("detectors_run") or ()
    if type(labels) is not dict or type(unknown_raw) not in (list, tuple) or type(persons) not in (list, tuple) \
            or (images is not None and type(images) is not list) or type(runs) not in (list, tuple):
        raise LogError("`observations`, `images` or `decision.detectors_run` is not of the record format's shape")
    try:
        unknown = frozenset(unknown_raw)
    except TypeError:
        raise LogError("`observations.unknown` holds something other than label names") from None
    request = raw.get("request")
    prompt = request.get("prompt") if type(request) is dict else None
    absent: list[str] = []
    if images or prompt:
        covered = set(labels).union(unknown)
        for p in persons:
            if type(p) is dict and type(p.get("labels")) is dict:
                covered.update(p["labels"])
        absent = [k for k in _WITH_INPUT[bool(images), bool(prompt)] if k not in covered]
    failed = failed_detectors(runs)
    looked_not = frozenset(k for k in unknown if _LABEL_DETECTOR.get(k) not in failed) if failed else unknown
    return Gaps(unknown.union(absent), looked_not.union(absent))


def failed_detectors(runs: Iterable[Any]) -> frozenset[str]:
    """Detectors that failed in a logged decision, with those that need one of them run first."""
    failed = {str(r.get("name")) for r in runs if isinstance(r, dict) and r.get("ok") is False}
    if not failed:
        return _NOTHING
    from jurist.engine.detectors import DETECTOR_REQUIRES  # rare: only records with a failed detector

    grew = True
    while grew:
        grew = False
        for name, needs in DETECTOR_REQUIRES.items():
            if name not in failed and failed.intersection(needs):
                failed.add(name)
                grew = True
    return frozenset(failed)


def replay_request(raw: Mapping[str, Any], found: Gaps) -> dict[str, Any]:
    """The request to decide again: its context and prompt, the logged scores, and every gap as unknown."""
    request = raw.get("request")
    if not isinstance(request, dict):
        raise RequestError(f"the logged request is {type(request).__name__}, not a JSON object")
    out = {k: v for k, v in request.items() if k != "observations" and k != "images"}
    if out.get("date") is None:
        out["date"] = raw["decided_at"][:10]
    obs = raw.get("observations") or {}
    given: dict[str, Any] = {"labels": obs.get("labels") or {}}
    if obs.get("persons"):  # a decision reads a person's labels; where the detector boxed them is not evidence
        given["persons"] = [{"labels": p.get("labels")} if type(p) is dict else p for p in obs["persons"]]
    if found.unknown:
        given["unknown"] = sorted(found.unknown)
    out["observations"] = given
    return out


def trusting(policy: Policy) -> Policy:
    """`policy` deciding from given scores alone: it takes them as given and has no detector to run."""
    return Policy(policy.compiled, policy.origin, detectors={}, requires={}, trust_observations=True,
                  name=policy.version.name)


class Replayer:
    """Replays records under a baseline and a candidate policy; one per process (it keeps decided keys)."""

    def __init__(self, baseline: Policy, candidate: Policy, cache_limit: int = CACHE_LIMIT):
        self.baseline = trusting(baseline)
        self.candidate = trusting(candidate)
        sides = (self.baseline, self.candidate)
        self._thresholds = _thresholds(sides)
        self._dates = sorted({c.value for p in sides for n in p.graph.nodes
                              for c in ir.tests_in(n.cond) if isinstance(c, ir.DateCmp)})
        self._date_set = frozenset(self._dates)
        tested = {c.field for p in sides for n in p.graph.nodes for c in ir.tests_in(n.cond) if isinstance(c, ir.Equals)}
        self._tests_action, self._tests_tier, self._tests_surface, self._tests_stage = (
            "action" in tested, "user.tier" in tested, "surface" in tested, "stage" in tested)
        self._rule_labels = [{r.rule.id: frozenset(ir.labels_of(r.rule.condition)) for r in p.graph.rules}
                             for p in sides]
        self._places: dict[tuple[str | None, str | None], int] = {}
        self._place_ids: dict[Any, int] = {}
        self._relevant = frozenset(self._thresholds)
        self._cache: dict[Any, Pair] = {}
        self._refusals: dict[str, Pair] = {}
        self._cache_limit = cache_limit
        self.decided = 0   # records decided afresh; the rest came from `_cache`

    def replay(self, raw: Mapping[str, Any]) -> tuple[str, str, str | None, str | None, Pair]:
        """(decision id, UTC day, country, region, both verdicts) for one record (as `decision_logs.records` yields).

        A request the engine refuses (it was refused when logged, or the log is damaged) is `malformed`: a
        deny on both sides, with the reason.
        """
        found = gaps(raw)
        decision_id, day = raw["decision_id"], raw["decided_at"][:10]
        try:
            request = Request.from_json(replay_request(raw, found))
        except RequestError as exc:
            req = raw.get("request")
            country = req.get("country") if isinstance(req, dict) else None
            return decision_id, day, country if isinstance(country, str) else None, None, self._refusal(str(exc))
        key = self._key(request, found)
        pair = self._cache.get(key)
        if pair is None:
            pair = self.decide(request, found.missing)
            if len(self._cache) >= self._cache_limit:
                self._cache.clear()
            self._cache[key] = pair
        return decision_id, day, request.country, request.region, pair

    def decide(self, request: Request, missing: frozenset[str]) -> Pair:
        """Both verdicts, decided now (what `replay` keeps by key)."""
        self.decided += 1
        return Pair(self._verdict(0, self.baseline.decide(request, exhaustive=True), missing),
                    self._verdict(1, self.candidate.decide(request, exhaustive=True), missing))

    def _refusal(self, reason: str) -> Pair:
        pair = self._refusals.get(reason)
        if pair is None:
            refused = Verdict("deny", None, (), MALFORMED, (reason,))
            pair = Pair(refused, refused)
            if len(self._refusals) < 10_000:
                self._refusals[reason] = pair
        return pair

    def _verdict(self, side: int, decision: Decision, missing: frozenset[str]) -> Verdict:
        matched = decision.rule_ids
        deciding = decision.deciding_rule
        rule = deciding.id if deciding is not None else None
        if decision.errors:
            return Verdict(decision.effect, rule, matched, MALFORMED, tuple(decision.errors))
        labels = self._rule_labels[side]
        support = [m for m in decision.rules if m.effect == decision.effect]
        if support and all(m.unverified for m in support):
            # A re-scan settles the effect only if it could undo every supporting rule: one unchecked for
            # another reason (a missing request field, a failed detector) keeps it matched whatever is found.
            gaps_of = [labels.get(m.id, _NOTHING) & missing for m in support]
            if all(gaps_of):
                return Verdict(decision.effect, rule, matched, NEEDS_RESCAN, (),
                               tuple(sorted(frozenset().union(*gaps_of))))
            reasons = tuple(sorted({m.unverified for m in support if m.unverified}))
            return Verdict(decision.effect, rule, matched, FAIL_CLOSED, reasons)
        if decision.default_applied and STRENGTH[decision.effect] > STRENGTH["allow"]:
            # An allow rule that could not be checked did not apply; a re-scan could make it apply.
            policy = self.baseline if side == 0 else self.candidate
            effects = {r.rule.id: r.rule.effect for r in policy.graph.rules}
            unsure = [t.subject for t in decision.trace
                      if t.kind == "rule" and t.result is None and effects.get(t.subject) == "allow"]
            needs = frozenset().union(*(labels.get(r, _NOTHING) & missing for r in unsure))
            if needs:
                return Verdict(decision.effect, rule, matched, NEEDS_RESCAN, (), tuple(sorted(needs)))
        return Verdict(decision.effect, rule, matched, SETTLED)

    # -- the abstraction decisions are kept by ------------------------------------------

    def _key(self, request: Request, found: Gaps) -> tuple[Any, ...]:
        obs = request.observations
        assert obs is not None, "a replayed request always carries the logged observations"
        th = self._thresholds
        labels = frozenset((k, bisect.bisect_right(th[k], v)) for k, v in obs.labels.items() if k in th)
        persons = tuple(frozenset((k, bisect.bisect_right(th[k], v)) for k, v in p.labels.items() if k in th)
                        for p in obs.persons)
        # Which labels the image shows above every detected person: a `person(...)` test is unknown there
        # (an unseen person may hold it: `engine.evaluator.unattributed`), whatever the buckets say.
        unseen = frozenset(k for k, v in obs.labels.items()
                           if k in th and all(p.labels.get(k, 0.0) < v for p in obs.persons))
        day = request.date
        when = None if day is None else (bisect.bisect_left(self._dates, day), day in self._date_set)
        return (self._place(request.country, request.region),  # a field no rule tests is left out: it cannot matter
                request.action if self._tests_action else None, request.tier if self._tests_tier else None,
                request.surface if self._tests_surface else None, request.stage if self._tests_stage else None, when, bool(request.prompt), labels, persons, unseen,
                obs.unknown & self._relevant, found.missing & self._relevant)

    def _place(self, country: str | None, region: str | None) -> int:
        """A small number standing for everything a place decides: which rules can apply there and what
        each place test of either ruleset says of it.  Places alike in that are decided alike."""
        found = self._places.get((country, region))
        if found is None:
            parts = []
            probe = Request(country=country, region=region)
            for policy in (self.baseline, self.candidate):
                plan = policy.program.plan(country, region, frozenset())
                ev = Evaluation(probe, cast(Any, None), None)
                outcomes = tuple(fn(ev) for fn in _place_tests(policy))
                parts.append((tuple(ids for _, _, ids in plan.tiers), plan.shadowed_ids, outcomes,
                              frozenset(ev.missing)))
            found = self._place_ids.setdefault(tuple(parts), len(self._place_ids))
            self._places[(country, region)] = found
        return found


def _thresholds(policies: Iterable[Policy]) -> dict[str, tuple[float, ...]]:
    """Every threshold either ruleset compares each label with, sorted: a score's bucket among them is all a
    decision reads of it."""
    found: dict[str, set[float]] = {}
    for policy in policies:
        for node in policy.graph.nodes:
            for key, threshold in ir.label_thresholds(node.cond):
                found.setdefault(key, set()).add(threshold)
    return {key: tuple(sorted(values)) for key, values in found.items()}


def _place_tests(policy: Policy) -> list[Callable[[Evaluation], bool | None]]:
    """The compiled place tests of a policy's graph (country, region, negated or not)."""
    fns = policy.program.closures(frozenset()).fns
    return [fns[node.id] for node in policy.graph.nodes
            if isinstance(node.cond, ir.Location)
            or (isinstance(node.cond, ir.Not) and isinstance(node.cond.item, ir.Location))]

