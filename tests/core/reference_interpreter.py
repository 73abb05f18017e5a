"""A plain reference interpreter: every rule, straight from the IR, no graph, no observer.

A test oracle for the optimised engine (tests/core/test_properties.py).  It
ignores the jurisdiction index, node sharing, cost ordering, early stopping
and the engine's observer: scores come straight from the request's given
observations (the property tests send neither prompt nor images), and each
rule's condition is evaluated directly in Kleene three-valued logic, where
None means "could not be checked".  Any disagreement with `Policy.decide` is a
bug in one of them.

The semantics it writes down:

* a label listed in `observations.unknown` is unknown at image level, even if
  a score is also given; otherwise its score is the highest given for the
  image or any person, 0 when none is;
* `person(...)` holds when one and the same person satisfies every term.  A
  label unknown for the request is unknown for each person that was not given
  a score for it; with unknown labels and no persons at all, the test is
  unknown (the person may simply not have been seen);
* a label seen in the image but on no given person (with no persons at all:
  any label the image shows) stands for a person nobody singled out: a
  `person(...)` test that would otherwise be false is unknown when every one
  of its positive terms holds or may hold at image level and one of them is
  such a label ("no per-person attribution");
* a region lies in itself and in each subdivision ISO 3166-2 places it in
  (Glasgow, GB-GLG, in Scotland, GB-SCT); a place test with a country but no
  region is unknown when a listed code is one of that country's subdivisions;
  a missing field is unknown;
* a deny or review rule whose condition is unknown counts as matched
  (fail closed); an allow rule only when its condition is true.
"""
from __future__ import annotations

import datetime as dt
from typing import Iterable

from jurist.dsl import ir
from jurist.dsl.keywords import STRENGTH
from jurist.dsl.places import enclosing
from jurist.engine.observations import Observations, Person
from jurist.engine.policy import Policy
from jurist.engine.request import Request

_OPS = {"=": dt.date.__eq__, "!=": dt.date.__ne__, "<": dt.date.__lt__, "<=": dt.date.__le__,
        ">": dt.date.__gt__, ">=": dt.date.__ge__}


def _any3(values: Iterable[bool | None]) -> bool | None:
    results = list(values)
    return True if True in results else (None if None in results else False)


def _all3(values: Iterable[bool | None]) -> bool | None:
    results = list(values)
    return False if False in results else (None if None in results else True)


def _not3(value: bool | None) -> bool | None:
    return None if value is None else not value


def _score(obs: Observations, key: str) -> float | None:
    if key in obs.unknown:
        return None
    scores = [obs.labels[key]] if key in obs.labels else []
    scores += [p.labels[key] for p in obs.persons if key in p.labels]
    return max(scores, default=0.0)


def _person_holds(person: Person, test: ir.LabelTest, unknown: frozenset[str]) -> bool | None:
    if any(person.labels.get(k, 0.0) >= t for k, t in test.thresholds):
        return True
    return None if any(k in unknown and k not in person.labels for k, _ in test.thresholds) else False


def _unattributed(obs: Observations, positive: list[ir.LabelTest]) -> bool:
    if not positive:
        return False
    unseen = False
    for test in positive:
        scores = [(_score(obs, k), k, t) for k, t in test.thresholds]
        if not any(s is None or s >= t for s, _, t in scores):
            return False
        unseen = unseen or any(s is not None and s >= t and all(p.labels.get(k, 0.0) < s for p in obs.persons)
                               for s, k, t in scores)
    return unseen


def evaluate(cond: ir.Cond, request: Request, today: dt.date) -> bool | None:
    obs = request.observations or Observations()
    match cond:
        case ir.Location(field, codes):
            inside = {c.split("-", 1)[0] for c in codes if "-" in c}
            regions = enclosing(request.region) if request.region else ()
            if field == "country":
                if request.country is None:
                    return None
                if request.country in codes or any(r in codes for r in regions):
                    return True
                return None if request.region is None and request.country in inside else False
            if request.region is not None:
                return any(r in codes for r in regions)
            return None if request.country is None or request.country in inside else False
        case ir.Equals(field, values):
            value = {"action": request.action, "surface": request.surface, "user.tier": request.tier}[field]
            return None if value is None else value in values
        case ir.DateCmp(op, value):
            return _OPS[op](request.date or today, value)
        case ir.LabelTest(thresholds):
            scores = [_score(obs, k) for k, _ in thresholds]
            return _any3(None if s is None else s >= t for s, (_, t) in zip(scores, thresholds))
        case ir.PersonTest(terms):
            unknown = obs.unknown & {k for test, _ in terms for k, _ in test.thresholds}
            if not obs.persons:
                found: bool | None = None if unknown else False
            else:
                found = _any3(_all3(_not3(h) if negated else h
                                    for test, negated in terms
                                    for h in (_person_holds(p, test, unknown),))
                              for p in obs.persons)
            if found is False and _unattributed(obs, [test for test, negated in terms if not negated]):
                return None
            return found
        case ir.Not(item):
            return _not3(evaluate(item, request, today))
        case ir.All(items):
            return _all3(evaluate(c, request, today) for c in items)
        case ir.AnyOf(items):
            return _any3(evaluate(c, request, today) for c in items)
    raise TypeError(cond)


def reference_decide(policy: Policy, request: Request, today: dt.date) -> tuple[str, frozenset[str]]:
    """(effect, ids of every rule that matches, fail-closed ones included)."""
    if request.prompt or request.images:
        raise ValueError("the reference reads given observations only: no prompt or images")
    matched = set()
    best: str | None = None
    for rule in policy.ruleset.rules:
        r = evaluate(rule.condition, request, today)
        if r is True or (r is None and rule.effect != "allow"):
            matched.add(rule.id)
            if best is None or STRENGTH[rule.effect] > STRENGTH[best]:
                best = rule.effect
    return (best or policy.default), frozenset(matched)
