"""Evaluate a compiled graph for one request, in Kleene three-valued logic.

Every graph node becomes a closure `f(ev) -> True | False | None`; None means
"could not be checked" (a detector failed, a request field is missing).  Rules
are tried per effect tier, strongest first, cheapest first within a tier, and
evaluation stops once no pending rule could change the effect.  A deny or
review rule that evaluates to None counts as matched: the engine fails closed.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, Iterable, Mapping, assert_never

from jurist.dsl import ir
from jurist.dsl.graph import Graph, Node
from jurist.dsl.keywords import EFFECTS as TIER_ORDER  # strongest first: the order tiers run in
from jurist.dsl.places import country_of, enclosing
from jurist.dsl.schema import LabelSchema

from .decision import MatchedRule, TraceStep, trace_step as _step
from .observations import Person
from .observer import Observer
from .request import Request

Fn = Callable[["Evaluation"], "bool | None"]  # a node's closure: True, False, or None for unknown


class Evaluation:
    """Per-request state shared by the node closures."""

    __slots__ = ("request", "country", "region", "regions", "date", "observer", "trace", "rule", "memo", "missing",
                 "unattributed")

    def __init__(self, request: Request, observer: Observer, today: dt.date | None):
        self.request = request
        self.country = request.country
        self.region = request.region
        self.regions = () if request.region is None else _enclosing(request.region)  # and the regions it lies in
        self.date = request.date or today
        self.observer = observer
        self.trace: list[TraceStep] = []
        self.rule = ""
        self.memo: dict[int, bool | None] = {}
        self.missing: set[str] = set()
        self.unattributed: set[str] = set()  # labels `person(...)` could not attribute to a detected person


@dataclass(frozen=True, slots=True)
class RuleEntry:
    index: int
    fn: Fn
    ref: MatchedRule
    labels: tuple[str, ...]
    always: bool = False
    messages: Mapping[str, str] | None = None  # BCP 47 tag → message, when the rule writes tagged ones
    obligations: tuple[ir.Obligation, ...] = ()


@dataclass(frozen=True, slots=True)
class Plan:
    """The rules a place can be affected by, grouped by tier in evaluation order."""

    tiers: tuple[tuple[str, tuple[RuleEntry, ...], tuple[str, ...]], ...]  # tier, entries, their ids
    shadowed: tuple[RuleEntry, ...]  # implied by a broader rule of the same tier; never decisive
    shadowed_ids: tuple[str, ...] = ()
    has_always: bool = False  # some rule here is evaluated even after the decision is settled
    has_obligations: bool = False  # some rule here obliges the caller, so it is evaluated when it could apply


class Program:
    """Closures and per-place plans for a graph, built lazily and kept for the policy's life.

    Costs depend on what the request carries: a label whose detector has no
    input (no image, no prompt) is free, since it scores 0 without running
    anything.  Each *input profile* therefore gets its own cheapest-first
    ordering, so a text-only request checks image labels first (for free) and
    may never need its prompt checked.
    """

    def __init__(self, graph: Graph, schema: LabelSchema):
        self.graph = graph
        self.schema = schema
        self._profiles: dict[frozenset[str], _Closures] = {}
        self._plans: dict[tuple[str | None, str | None, frozenset[str]], Plan] = {}
        self._skippable = tuple(not _has_person_test(r.rule.condition) for r in graph.rules)

    def plan(self, country: str | None, region: str | None, inputs: frozenset[str] = frozenset()) -> Plan:
        key = (country, region, inputs)
        plan = self._plans.get(key)
        if plan is None:
            plan = self._plans[key] = self._build_plan(country, region, self.closures(inputs))
        return plan

    def closures(self, inputs: frozenset[str]) -> "_Closures":
        found = self._profiles.get(inputs)
        if found is None:
            found = self._profiles[inputs] = _Closures(self.graph, self.schema, inputs)
        return found

    def _build_plan(self, country: str | None, region: str | None, c: "_Closures") -> Plan:
        graph = self.graph
        if country is None:  # unknown place: every rule may apply
            indexes = list(range(len(graph.rules)))
        else:
            indexes = graph.candidates(country, region)
            for parent in _enclosing(region)[1:]:  # rules filed under the subdivisions it lies in
                indexes.extend(i for i in graph.index.get(parent, ()) if i not in indexes)
        indexes.sort(key=lambda i: (TIER_ORDER.index(graph.rules[i].rule.effect), c.cost[graph.rules[i].root], i))
        present = set(indexes)
        shadowed = [i for i in indexes if graph.shadowed_by.get(i) in present and self._skippable[i]]
        skip = set(shadowed)
        tiers = []
        for tier in TIER_ORDER:
            entries = tuple(c.entry_for_place(i, country, region) for i in indexes
                            if i not in skip and graph.rules[i].rule.effect == tier)
            tiers.append((tier, entries, tuple(e.ref.id for e in entries)))
        shadow_entries = tuple(c.entries[i] for i in shadowed)
        every = [e for _, entries, _ in tiers for e in entries] + list(shadow_entries)
        return Plan(tuple(tiers), shadow_entries, tuple(e.ref.id for e in shadow_entries),
                    any(e.always for e in every), any(e.obligations for e in every))


@lru_cache(maxsize=8192)  # ISO 3166-2 has about 5,000 subdivisions
def _enclosing(region: str | None) -> tuple[str, ...]:
    return () if region is None else enclosing(region)


def _has_person_test(cond: ir.Cond) -> bool:
    """Whether `cond` holds a `person(...)` test.

    A shadowed rule may be skipped because whenever it matches, the broader
    rule shadowing it matches too.  In three-valued logic that holds for every
    test but one: `person(attire:bikini subject:minor)` is unknown when
    `subject:minor` is (no person is known not to be a minor), while the
    broader `attire:bikini` is known false.  Such rules are always evaluated.
    """
    match cond:
        case ir.PersonTest():
            return True
        case ir.Not(item):
            return _has_person_test(item)
        case ir.All(items) | ir.AnyOf(items):
            return any(_has_person_test(c) for c in items)
        case ir.Location() | ir.Equals() | ir.DateCmp() | ir.LabelTest():
            return False
        case _:
            assert_never(cond)


class _Closures:
    """Every node compiled for one input profile, operands ordered by what they cost there."""

    def __init__(self, graph: Graph, schema: LabelSchema, inputs: frozenset[str]):
        self.graph = graph
        runs = {name for name, spec in schema.detectors.items() if spec.input in inputs}
        self.cost = [sum(schema.detectors[d].cost_ms for d in node.detectors if d in runs) for node in graph.nodes]
        self.fns: list[Fn] = []
        for node in graph.nodes:
            fn = _compile(node, self.fns, self.ordered(node.children))
            if node.children and graph.refcount.get(node.id, 1) > 1:
                fn = _memoised(node.id, fn)
            self.fns.append(fn)
        self.entries = tuple(
            RuleEntry(r.index, self.fns[r.root], MatchedRule(r.rule.id, r.rule.effect, r.rule.source, r.rule.cite,
                                                             r.rule.message),
                      tuple(sorted(ir.labels_of(r.rule.condition))), r.rule.always,
                      dict(r.rule.messages) if r.rule.messages else None, r.rule.obligations)
            for r in graph.rules)

    def ordered(self, children: tuple[int, ...]) -> tuple[int, ...]:
        return tuple(sorted(children, key=lambda c: self.cost[c]))  # stable: ties keep the graph's order

    def entry_for_place(self, index: int, country: str | None, region: str | None) -> RuleEntry:
        """The rule's entry, with its place test settled when the plan's place already decides it.

        A rule filed under `country = GB` is only in GB's plans, where that test
        is true; skipping it there saves a closure call per rule, and the trace
        still shows the test with the request's value.
        """
        entry = self.entries[index]
        graph = self.graph
        regions = _enclosing(region)
        root = graph.nodes[graph.rules[index].root]
        if root.kind != "all":
            return entry
        for child in root.children:
            node = graph.nodes[child]
            cond = node.cond
            if not isinstance(cond, ir.Location):
                continue
            codes = cond.codes
            known = not codes.isdisjoint(regions) or (cond.field == "country" and country in codes)
            if known:
                rest = tuple(self.fns[c] for c in self.ordered(root.children) if c != child)
                return RuleEntry(entry.index, _with_place_settled(node.text, rest), entry.ref, entry.labels,
                                 entry.always, entry.messages, entry.obligations)
        return entry


def _with_place_settled(text: str, rest: tuple[Fn, ...]) -> Fn:
    others = rest[0] if len(rest) == 1 else _junction(rest, decisive=False)

    def rule_in_place(ev: Evaluation) -> bool | None:
        ev.trace.append(_step(("test", text, True, ev.region or ev.country, ev.rule)))
        return others(ev)
    return rule_in_place


def _junction(kids: tuple[Fn, ...], decisive: bool) -> Fn:
    """`and` (decisive False) or `or` (decisive True) in Kleene logic, stopping at the first decisive operand."""
    def junction(ev: Evaluation) -> bool | None:
        unknown = False
        for k in kids:
            r = k(ev)
            if r is decisive:
                return decisive
            if r is None:
                unknown = True
        return None if unknown else not decisive
    return junction


def _memoised(node_id: int, fn: Fn) -> Fn:
    def memo(ev: Evaluation) -> bool | None:
        cache = ev.memo
        if node_id in cache:
            return cache[node_id]
        result = cache[node_id] = fn(ev)
        return result
    return memo


def _compile(node: Node, fns: list[Fn], children: tuple[int, ...]) -> Fn:
    """The closure for one node; `children` are its operands' ids, cheapest first."""
    cond, text = node.cond, node.text
    match cond:
        case ir.Not(ir.Location() | ir.Equals() | ir.DateCmp() | ir.LabelTest() | ir.PersonTest() as test):
            # A negated test is traced as one test, as written (`user.tier != paid: false`), not as
            # the test it negates (`user.tier = paid: true`), which reads as the opposite.
            return _test(test, negated_text(test), negated=True)
        case ir.Location() | ir.Equals() | ir.DateCmp() | ir.LabelTest() | ir.PersonTest():
            return _test(cond, text, negated=False)
        case ir.Not():
            return _negation(fns[children[0]], text)
        case ir.All():
            return _junction(tuple(fns[c] for c in children), decisive=False)
        case ir.AnyOf():
            return _junction(tuple(fns[c] for c in children), decisive=True)
        case _:
            assert_never(cond)


def _test(cond: ir.Location | ir.Equals | ir.DateCmp | ir.LabelTest | ir.PersonTest, text: str,
          negated: bool) -> Fn:
    match cond:
        case ir.Location():
            return _location(cond, text, negated)
        case ir.Equals():
            return _equals(cond, text, negated)
        case ir.DateCmp():
            return _date(cond, text, negated)
        case ir.LabelTest():
            return _label(cond, text, negated)
        case ir.PersonTest():
            return _person(cond, text, negated)
        case _:
            assert_never(cond)


def negated_text(cond: ir.Location | ir.Equals | ir.DateCmp | ir.LabelTest | ir.PersonTest) -> str:
    """A negated test in the policy language's words: `user.tier != paid`, `country not in {GB, FR}`."""
    match cond:
        case ir.Location(field, values) | ir.Equals(field, values):
            shown = sorted(values)
            return f"{field} != {shown[0]}" if len(shown) == 1 else f"{field} not in {{{', '.join(shown)}}}"
        case ir.DateCmp(op, value):
            return f"date {_DATE_NEGATION[op]} {value.isoformat()}"
        case ir.LabelTest(thresholds) if len(thresholds) == 1:
            return f"not {ir.describe(cond)}"
        case ir.LabelTest() | ir.PersonTest():
            return f"not ({ir.describe(cond)})"
        case _:
            assert_never(cond)


_DATE_NEGATION = {"=": "!=", "!=": "=", "<": ">=", ">=": "<", ">": "<=", "<=": ">"}


def _negation(inner: Fn, text: str) -> Fn:
    """`not (...)` over a combination: its parts are traced, then the negation's own result."""
    def negate(ev: Evaluation) -> bool | None:
        r = inner(ev)
        r = None if r is None else not r
        ev.trace.append(_step(("test", text, r, None, ev.rule)))
        return r
    return negate


def _location(cond: ir.Location, text: str, negated: bool) -> Fn:
    codes = cond.codes
    # A request without a region may still be in a listed subdivision of its country: unknown, not false.
    split = frozenset(country_of(c) for c in codes if "-" in c)
    if cond.field == "country":
        def country_test(ev: Evaluation) -> bool | None:
            c = ev.country
            r: bool | None
            if c is None:
                ev.missing.add("country")
                r = None
            elif c in codes or not codes.isdisjoint(ev.regions):
                r = True
            elif ev.region is None and c in split:
                ev.missing.add("region")
                r = None
            else:
                r = False
            if negated and r is not None:
                r = not r
            ev.trace.append(_step(("test", text, r, ev.region or c, ev.rule)))
            return r
        return country_test

    def region_test(ev: Evaluation) -> bool | None:
        reg = ev.region
        r: bool | None
        if reg is not None:
            r = not codes.isdisjoint(ev.regions)
        elif ev.country is None or ev.country in split:
            ev.missing.add("region")
            r = None
        else:
            r = False
        if negated and r is not None:
            r = not r
        ev.trace.append(_step(("test", text, r, reg or ev.country, ev.rule)))
        return r
    return region_test


_FIELD_ATTR = {"action": "action", "surface": "surface", "stage": "stage", "user.tier": "tier"}


def _equals(cond: ir.Equals, text: str, negated: bool) -> Fn:
    attr, values, name = _FIELD_ATTR[cond.field], cond.values, cond.field

    def equals_test(ev: Evaluation) -> bool | None:
        v: str | None = getattr(ev.request, attr)
        r: bool | None
        if v is None:
            ev.missing.add(name)
            r = None
        else:
            r = v in values
        if negated and r is not None:
            r = not r
        ev.trace.append(_step(("test", text, r, v, ev.rule)))
        return r
    return equals_test


_DATE_OPS: dict[str, Callable[[dt.date, dt.date], bool]] = {
    "=": lambda a, b: a == b, "!=": lambda a, b: a != b, "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b, ">": lambda a, b: a > b, ">=": lambda a, b: a >= b}


def _date(cond: ir.DateCmp, text: str, negated: bool) -> Fn:
    op, value = _DATE_OPS[cond.op], cond.value

    def date_test(ev: Evaluation) -> bool | None:
        day = ev.date
        if day is None:  # the policy always supplies today when it has date tests; unknown otherwise
            ev.missing.add("date")
            ev.trace.append(_step(("test", text, None, None, ev.rule)))
            return None
        r = op(day, value) != negated
        ev.trace.append(_step(("test", text, r, day.isoformat(), ev.rule)))
        return r
    return date_test


def _label(cond: ir.LabelTest, text: str, negated: bool) -> Fn:
    pairs = cond.thresholds
    if len(pairs) == 1:
        ((key, threshold),) = pairs

        def one_label(ev: Evaluation) -> bool | None:
            s = ev.observer.score(key)
            r = None if s is None else s >= threshold
            if negated and r is not None:
                r = not r
            ev.trace.append(_step(("test", text, r, s, ev.rule)))
            return r
        return one_label

    def any_label(ev: Evaluation) -> bool | None:
        unknown = False
        seen: dict[str, float | None] = {}
        r = False
        for key, threshold in pairs:
            s = ev.observer.score(key)
            seen[key] = s
            if s is None:
                unknown = True
            elif s >= threshold:
                r = True
                break
        result = True if r else (None if unknown else False)
        if negated and result is not None:
            result = not result
        ev.trace.append(_step(("test", text, result, seen, ev.rule)))
        return result
    return any_label


def _person(cond: ir.PersonTest, text: str, negated: bool) -> Fn:
    terms = cond.terms
    keys = tuple(sorted({k for t, _ in terms for k, _ in t.thresholds}))

    def holds(labels: Mapping[str, float], test: ir.LabelTest) -> bool:
        return any(labels.get(k, 0.0) >= t for k, t in test.thresholds)

    def holds_or_unknown(labels: Mapping[str, float], test: ir.LabelTest, unknown: frozenset[str]) -> bool | None:
        if holds(labels, test):
            return True
        return None if any(k in unknown and k not in labels for k, _ in test.thresholds) else False

    positive = tuple(t for t, neg in terms if not neg)

    def person_test(ev: Evaluation) -> bool | None:
        observer = ev.observer
        persons = observer.persons(keys)
        unknown = observer.unknown_among(keys)
        which = None
        r: bool | None
        if persons is None:
            r = None
        elif not unknown:
            which = next((i for i, p in enumerate(persons)
                          if all(holds(p.labels, t) != neg for t, neg in terms)), None)
            r = which is not None
        else:  # a label recorded as unknown: a person holds, may hold, or does not
            r = None if not persons else False
            for i, p in enumerate(persons):
                found = _all3(_negate(holds_or_unknown(p.labels, t, unknown), neg) for t, neg in terms)
                if found:
                    r, which = True, i
                    break
                if found is None:
                    r = None
        if r is False and persons is not None:
            unseen = unattributed(observer, persons, positive)
            if unseen:
                ev.unattributed.update(unseen)
                r = None
        if negated and r is not None:
            r = not r
        ev.trace.append(_step(("test", text, r, None if which is None else f"person #{which + 1}", ev.rule)))
        return r
    return person_test


def unattributed(observer: Observer, persons: tuple[Person, ...], positive: tuple[ir.LabelTest, ...]) -> list[str]:
    """The labels of a `person(...)` test seen in the image but on no detected person, when they could
    make it hold: then a person the detectors did not single out may hold it, and the test is unknown.

    With no persons at all (observations that give image-level labels only), every label the image
    shows is such a label.  The test is unknown only when each positive term holds, or may hold,
    at image level (the image-level score is the highest over the image and every person, so a
    term that fails there fails for everyone) and at least one of them is seen on no person.
    """
    if not positive:
        return []
    unseen: list[str] = []
    for test in positive:
        could = False
        for key, threshold in test.thresholds:
            score = observer.score(key)
            if score is None or score >= threshold:
                could = True
                if score is not None and all(p.labels.get(key, 0.0) < score for p in persons):
                    unseen.append(key)
        if not could:
            return []
    return unseen


def _negate(value: bool | None, negated: bool) -> bool | None:
    return value if value is None or not negated else not value


def _all3(values: Iterable[bool | None]) -> bool | None:
    """Kleene AND: False beats unknown, unknown beats True."""
    result: bool | None = True
    for v in values:
        if v is False:
            return False
        if v is None:
            result = None
    return result


def unverified_reason(ev: Evaluation, entry: RuleEntry) -> str:
    """Why a rule's outcome was unknown: missing request fields, failed detectors, labels no person carries."""
    reasons = [f"request has no `{f}`" for f in sorted(ev.missing)]
    failures = {reason for k in entry.labels if (reason := ev.observer.failure(k)) is not None}
    reasons.extend(sorted(failures))
    unseen = sorted(ev.unattributed.intersection(entry.labels))
    if unseen:
        reasons.append("no per-person attribution: " + ", ".join(f"`{k}`" for k in unseen)
                       + " seen in the image but on no detected person")
    return "; ".join(reasons) or "a test could not be checked"
