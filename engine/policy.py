"""A compiled ruleset ready to decide requests: compile once, decide many times."""
from __future__ import annotations

import copy
import datetime as dt
import os
import time
from functools import partial
from typing import TYPE_CHECKING, Any, Iterable, Mapping

from jurist.dsl import CompileResult, Diagnostic, compile_sources, read_sources
from jurist.dsl.diagnostics import did_you_mean
from jurist.dsl.keywords import STRENGTH
from jurist.dsl.languages import choose

from .decision import Decision, MatchedRule, Obligation, trace_step as _step
from .decision_ids import next_sequence, raw_sha256, uuid7
from .detection_memo import DetectionMemo
from .detector_set import DetectorSet
from .evaluator import Evaluation, Plan, Program, RuleEntry, unverified_reason
from .frozen import positional_constructor
from .limits import ImageLimits
from .observed import Observed, RecordedObserver, malformed, observe
from .observer import Observer
from .policy_version import PolicyVersion, sources_hash
from .request import Request, RequestError
from .time_zones import local_today
from .vocabulary import SCHEMA

if TYPE_CHECKING:
    from .detectors.base import Detector


class Policy:
    """Decides requests against one compiled ruleset.

    `decide` stops as soon as no pending rule could change the effect and lists
    what it did not evaluate; `decide(..., exhaustive=True)` evaluates every rule
    that can apply (for tests, the simulator and audits).  `observe` runs a
    request's detectors once, for deciding it many times (see `jurist.engine.observed`).

    Observations a request carries beside its prompt or images do not replace
    the detectors: every label a detector yields from those inputs is detected,
    and the caller's scores fill only the others (`observer.checked_by_detectors`).
    `trust_observations=True` uses the caller's scores as given, for callers
    whose observations are their own (a simulator's hypothetical scores).
    `image_limits` bounds what one request's images may cost (`jurist.engine.limits`).

    Every decision is stamped with a time-ordered id, the time, this policy's
    `version` (`name`, default `origin`, and the hash of the sources) and the
    request's digest (`Decision.decision_id`, `decided_at`, `policy`,
    `request_sha256`), so it can be traced to the rules that made it.
    """

    def __init__(self, compiled: CompileResult, origin: str = "<memory>",
                 detectors: Mapping[str, Detector] | None = None,
                 requires: Mapping[str, tuple[str, ...]] | None = None, *, trust_observations: bool = False,
                 image_limits: ImageLimits | None = None, name: str | None = None):
        compiled.raise_for_errors()
        ruleset, graph = compiled.ruleset, compiled.graph
        assert ruleset is not None and graph is not None, "a compile without errors has both"
        self.compiled = compiled
        self.origin = origin
        self.version = PolicyVersion(name or origin, sources_hash(compiled.sources))
        self.ruleset = ruleset
        self.graph = graph
        self.default = graph.default
        self.program = Program(graph, SCHEMA)
        self.detectors = DetectorSet(detectors, requires, image_limits)
        self.trust_observations = trust_observations
        self._uses_date = any(nd.kind == "date" for nd in graph.nodes)
        # Matched rules are listed strongest first, then in the ruleset's own order: a rule that applies
        # everywhere before a local one, then as written.  The deciding rule is the first with the
        # decision's effect, so it does not depend on which test was cheapest to evaluate.
        self._rank = {node.rule.id: (node.places is not None, node.index) for node in graph.rules}

    @classmethod
    def from_sources(cls, sources: Mapping[str, str], origin: str = "<memory>", *,
                     detectors: Mapping[str, Detector] | None = None,
                     requires: Mapping[str, tuple[str, ...]] | None = None,
                     trust_observations: bool = False, image_limits: ImageLimits | None = None,
                     name: str | None = None) -> Policy:
        return cls(compile_sources(sources, SCHEMA), origin, detectors, requires,
                   trust_observations=trust_observations, image_limits=image_limits, name=name)

    @classmethod
    def from_path(cls, path: str | os.PathLike[str], *, detectors: Mapping[str, Detector] | None = None,
                  requires: Mapping[str, tuple[str, ...]] | None = None,
                  trust_observations: bool = False, image_limits: ImageLimits | None = None) -> Policy:
        compiled = compile_sources(read_sources(path), SCHEMA)
        if not compiled.ok:
            compiled.located(path).raise_for_errors()
        return cls(compiled, str(path), detectors, requires, trust_observations=trust_observations,
                   image_limits=image_limits)

    def trusting_observations(self) -> Policy:
        """This policy, taking caller observations as given (`trust_observations=True`): for a simulator.

        It shares the compiled rules, their evaluation caches and the detectors with this one.
        """
        if self.trust_observations:
            return self
        trusting = copy.copy(self)
        trusting.trust_observations = True
        return trusting

    @property
    def warnings(self) -> tuple[Diagnostic, ...]:
        return self.compiled.warnings

    def __repr__(self) -> str:
        return f"<Policy {self.origin}: {len(self.ruleset.rules)} rules, default {self.default}>"

    def observe(self, request: Request | Mapping[str, Any], *, labels: Iterable[str] | None = None,
                memo: DetectionMemo | None = None) -> Observed:
        """Run the detectors `request` needs once; decide from the result with `decide(observed)`.

        `labels` (default: every label of the vocabulary) names what to observe; only detectors
        yielding one of them, and with an input in the request, run.  A malformed request yields
        an `Observed` every decision from which is `deny`, naming the problem.  Raises
        `ValueError` for a name in `labels` that is not a label of the vocabulary.  A `memo` shared
        by a run over many requests (a test suite) gives a detector's result for an input it has
        already seen instead of running the detector again.
        """
        wanted = _ALL_LABELS if labels is None else _checked_labels(labels)
        if not isinstance(request, Request):
            try:
                request = Request.from_json(request)
            except RequestError as exc:
                return malformed(str(exc))
        return observe(request, SCHEMA, self.detectors, wanted, trust_observations=self.trust_observations,
                       memo=memo)

    def decide(self, request: Request | Observed | Mapping[str, Any], *, exhaustive: bool = False,
               today: dt.date | None = None) -> Decision:
        """The decision for a request, its JSON form, or a request observed by `observe`.

        A request without `date` is judged on today's date in its place (`time_zones`), or on
        `today` when given; the decision records the day and, when it was today, whose today.
        """
        started = time.perf_counter()
        observer: Observer
        given: Request | Observed
        if isinstance(request, Observed):
            if request.error is not None:
                return self.refusal(request.error, "", started)
            observer = RecordedObserver(request, SCHEMA)
            given, request = request, request.request
        else:
            if not isinstance(request, Request):
                try:
                    request = Request.from_json(request)
                except RequestError as exc:
                    return self.refusal(str(exc), raw_sha256(request), started)
            observer = Observer(request, SCHEMA, self.detectors, trust_observations=self.trust_observations)
            given = request
        zone = None
        day = request.date or today
        if day is None and self._uses_date:
            day, zone = local_today(request.country, request.region)
        ev = Evaluation(request, observer, day)
        plan = self.program.plan(request.country, request.region, _inputs(request))
        matched: list[MatchedRule] = []
        obliged: list[tuple[RuleEntry, str | None]] = []
        unevaluated: list[str] = []
        trace = ev.trace
        effect: str | None = None
        for tier, entries, ids in plan.tiers:
            if not exhaustive and (effect is not None or (tier == "allow" and self.default == "allow")):
                unevaluated.extend(ids)
                continue
            for j, entry in enumerate(entries):
                ev.rule = rule_id = entry.ref.id
                r = entry.fn(ev)
                trace.append(_step(("rule", rule_id, r, None, "")))
                if r is False or not _record(matched, obliged, ev, entry, r):
                    continue
                if effect is None or STRENGTH[tier] > STRENGTH[effect]:
                    effect = tier
                if not exhaustive:
                    unevaluated.extend(ids[j + 1:])
                    break
        if exhaustive:
            for entry in plan.shadowed:
                if _evaluate(matched, obliged, ev, entry) and (effect is None
                                                               or STRENGTH[entry.ref.effect] > STRENGTH[effect]):
                    effect = entry.ref.effect
        else:
            unevaluated.extend(plan.shadowed_ids)
            if plan.has_always or plan.has_obligations:
                _evaluate_pending(plan, unevaluated, matched, obliged, ev, effect or self.default)
                if matched:  # a matched rule always counts, an `always` one found late included
                    strongest = max((m.effect for m in matched), key=STRENGTH.__getitem__)
                    if effect is None or STRENGTH[strongest] > STRENGTH[effect]:
                        effect = strongest
        default_applied = effect is None
        if effect is None:
            effect = self.default
        if len(matched) > 1:
            rank = self._rank
            matched.sort(key=lambda m: (-STRENGTH[m.effect], rank.get(m.id, _LAST)))
        obligations = _obligations(obliged, effect, self._rank) if obliged else ()
        return _make_decision(effect, tuple(matched), tuple(unevaluated), tuple(trace), tuple(observer.runs),
                              observer.used(), (time.perf_counter() - started) * 1000, default_applied, (),
                              obligations, None if day is None else day.isoformat(), zone,
                              partial(self.counterfactuals, given),
                              time.time_ns(), next_sequence(), self.version, request, None)

    def counterfactuals(self, request: Request | Observed | Mapping[str, Any], limit: int = 5) -> tuple[Any, ...]:
        """The smallest changes to `request` that would change its effect, each confirmed by deciding it
        (`jurist.engine.counterfactuals`); also `decision.explain(counterfactual=True)`."""
        from .counterfactuals import counterfactuals

        return counterfactuals(self, request, limit)

    def refusal(self, reason: str, request_sha256: str = "", started: float | None = None) -> Decision:
        """The `deny` this policy answers a request it could not read with, stamped like any decision
        (`request_sha256`: the digest of what was received, "" if it had none)."""
        elapsed = 0.0 if started is None else (time.perf_counter() - started) * 1000
        decided_ns, sequence = time.time_ns(), next_sequence()
        return Decision("deny", errors=(reason,), elapsed_ms=elapsed, decided_ns=decided_ns, sequence=sequence,
                        policy=self.version, recorded=(uuid7(decided_ns, sequence), request_sha256))


_make_decision = positional_constructor(Decision)
_PROFILES = {(p, i): frozenset(x for x, present in (("prompt", p), ("images", i)) if present)
             for p in (False, True) for i in (False, True)}


_LAST = (True, 1 << 62)


def _inputs(request: Request) -> frozenset[str]:
    """Which detector inputs a request carries: what decides each label test's cost."""
    return _PROFILES[bool(request.prompt), bool(request.images)]


def _checked_labels(labels: Iterable[str]) -> frozenset[str]:
    wanted = frozenset(labels)
    for key in sorted(wanted - _ALL_LABELS):
        hint = did_you_mean(key, sorted(_ALL_LABELS))
        raise ValueError(f"`{key}` is not a label of this engine" + (f"; {hint}" if hint else ""))
    return wanted


_ALL_LABELS = frozenset(SCHEMA.labels)


def _record(matched: list[MatchedRule], obliged: list[tuple[RuleEntry, str | None]], ev: Evaluation,
            entry: RuleEntry, r: bool | None) -> bool:
    """Record a rule that matched; a deny or review rule it could not check counts as matched.

    A rule with obligations that could not be checked obliges all the same, whatever its effect
    (fail closed: one disclosure too many is harmless, one too few breaks the law).
    """
    if r is True:
        matched.append(entry.ref if entry.messages is None or ev.request.locale is None else _localized(entry, ev))
        if entry.obligations:
            obliged.append((entry, None))
        return True
    if r is None:
        reason = unverified_reason(ev, entry)
        if entry.obligations:
            obliged.append((entry, reason))
        if entry.ref.effect != "allow":
            ref = entry.ref
            matched.append(MatchedRule(ref.id, ref.effect, ref.source, ref.cite, fail_closed_message(ref.effect, reason),
                                       reason))
            return True
    return False


def fail_closed_message(effect: str, reason: str) -> str:
    """What the user is told when a rule counts as matched only because it could not be checked: the
    missing or invalid input, never the rule's own message (which may not apply to them at all)."""
    outcome = "refused" if effect == "deny" else "held for review"
    return f"This request was {outcome} because it could not be checked: {reason}."


def _localized(entry: RuleEntry, ev: Evaluation) -> MatchedRule:
    """The rule's match with its message in the request's language (`jurist.dsl.languages.choose`)."""
    ref = entry.ref
    assert entry.messages is not None
    message = choose(entry.messages, ref.message, ev.request.locale)
    return ref if message == ref.message else MatchedRule(ref.id, ref.effect, ref.source, ref.cite, message)


def _obligations(obliged: list[tuple[RuleEntry, str | None]], effect: str,
                 rank: Mapping[str, tuple[bool, int]]) -> tuple[Obligation, ...]:
    """The obligations of a decision: those of every rule that matched or could not be checked, except
    that a denied request keeps only its deny rules' (nothing is released to mark or disclose; a report
    still applies).  In the ruleset's order, each once per rule."""
    out: dict[tuple[str, str, str], Obligation] = {}
    for entry, unverified in sorted(obliged, key=lambda pair: rank.get(pair[0].ref.id, _LAST)):
        ref = entry.ref
        if effect == "deny" and ref.effect != "deny":
            continue
        for o in entry.obligations:
            out.setdefault((o.kind, o.value, ref.id), Obligation(o.kind, o.value, ref.id, ref.cite, unverified))
    return tuple(out.values())


def _evaluate(matched: list[MatchedRule], obliged: list[tuple[RuleEntry, str | None]], ev: Evaluation,
              entry: RuleEntry) -> bool:
    ev.rule = entry.ref.id
    r = entry.fn(ev)
    ev.trace.append(_step(("rule", entry.ref.id, r, None, "")))
    return _record(matched, obliged, ev, entry, r)


def _evaluate_pending(plan: Plan, unevaluated: list[str], matched: list[MatchedRule],
                      obliged: list[tuple[RuleEntry, str | None]], ev: Evaluation, settled: str) -> None:
    """Rules marked `always`, and rules whose obligations could apply, are checked even after the effect
    is settled, so their matches are recorded and their obligations carried.

    A rule's obligations could apply unless the request is denied and the rule is not a deny rule.
    Every stronger tier was already evaluated to the end or settled the decision, so a late match
    should not be stronger; if one is (a shadowed rule that matched where its broader rule did not),
    it sets the effect all the same: a decision is never weaker than the rules it lists.
    """
    pending = set(unevaluated)
    entries = [e for _, tier_entries, _ in plan.tiers for e in tier_entries] + list(plan.shadowed)
    for entry in entries:
        wanted = entry.always or (entry.obligations and (settled != "deny" or entry.ref.effect == "deny"))
        if wanted and entry.ref.id in pending:
            unevaluated.remove(entry.ref.id)
            _evaluate(matched, obliged, ev, entry)
