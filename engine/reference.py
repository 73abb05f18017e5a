"""A plain reference interpreter: every rule, straight from the IR, no graph.

It exists to check the optimised path.  It ignores the jurisdiction index,
node sharing, cost ordering and early stopping, and evaluates each rule's
condition tree directly in the same three-valued logic, so any disagreement
with `Policy.decide` is a bug in the optimisations.
"""
from __future__ import annotations

import datetime as dt

from jurist.dsl import ir

from .observer import Observer
from .policy import Policy
from .request import Request
from .vocabulary import SCHEMA

_OPS = {"=": dt.date.__eq__, "!=": dt.date.__ne__, "<": dt.date.__lt__, "<=": dt.date.__le__,
        ">": dt.date.__gt__, ">=": dt.date.__ge__}


def evaluate(cond: ir.Cond, request: Request, observer: Observer, today: dt.date) -> bool | None:
    if isinstance(cond, ir.Location):
        inside = {c.split("-", 1)[0] for c in cond.codes if "-" in c}
        if cond.field == "country":
            if request.country is None:
                return None
            if request.country in cond.codes or request.region in cond.codes:
                return True
            return None if request.region is None and request.country in inside else False
        if request.region is not None:
            return request.region in cond.codes
        return None if request.country is None or request.country in inside else False
    if isinstance(cond, ir.Equals):
        value = {"action": request.action, "surface": request.surface, "user.tier": request.tier}[cond.field]
        return None if value is None else value in cond.values
    if isinstance(cond, ir.DateCmp):
        return _OPS[cond.op](request.date or today, cond.value)
    if isinstance(cond, ir.LabelTest):
        scores = [observer.score(k) for k, _ in cond.thresholds]
        if any(s is not None and s >= t for s, (_, t) in zip(scores, cond.thresholds)):
            return True
        return None if any(s is None for s in scores) else False
    if isinstance(cond, ir.PersonTest):
        keys = sorted({k for t, _ in cond.terms for k, _ in t.thresholds})
        persons = observer.persons(keys)
        if persons is None:
            return None
        return any(all(any(p.labels.get(k, 0.0) >= t for k, t in test.thresholds) != neg for test, neg in cond.terms)
                   for p in persons)
    if isinstance(cond, ir.Not):
        r = evaluate(cond.item, request, observer, today)
        return None if r is None else not r
    if isinstance(cond, ir.All):
        results = [evaluate(c, request, observer, today) for c in cond.items]
        return False if False in results else (None if None in results else True)
    if isinstance(cond, ir.AnyOf):
        results = [evaluate(c, request, observer, today) for c in cond.items]
        return True if True in results else (None if None in results else False)
    raise TypeError(cond)


def reference_decide(policy: Policy, request: Request, today: dt.date | None = None) -> tuple[str, frozenset[str]]:
    """(effect, ids of every rule that matches, fail-closed ones included)."""
    today = today or dt.date.today()
    observer = Observer(request, SCHEMA, policy.detectors)
    matched = set()
    best = None
    for rule in policy.ruleset.rules:
        r = evaluate(rule.condition, request, observer, today)
        if r is True or (r is None and rule.effect != "allow"):
            matched.add(rule.id)
            if best is None or ir.STRENGTH[rule.effect] > ir.STRENGTH[best]:
                best = rule.effect
    return (best or policy.default), frozenset(matched)
