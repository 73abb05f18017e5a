"""What the SMT solver proves about a checked ruleset: rules that never matter, and why.

This is the one home for reasoning about whether a rule can ever match or
decide.  The compiler's own passes run on every compile and stay syntactic:
`lints` reports as errors the rules whose place, value or date tests exclude
each other (a ruleset with them does not load), and the graph files a rule
under a broader one of the same effect (`graph.find_shadowed`) so the engine
can skip it.  This module runs where a person is looking (`jurist check`, the
editor, a submit), never when a policy is loaded, and reports what those
passes cannot see, as warnings naming both rules:

* `fires-only-on-unknown`: a rule that matches only when an input is missing
  or could not be checked (`deny attire:bikini >= 0.7 not attire:bikini >= 0.6`);
  `contradictory-thresholds` says so when its tests of one label exclude each other;
* `never-fires`: an allow rule whose condition can never hold;
* `never-decides`: a rule that whenever it matches, a rule of a stronger effect
  matches too (`review ... user.tier = free` beside `deny where user.tier = free`);
* `implied`: a rule whose every match is a match of another rule of the same
  effect, found through sets of labels (`attire:{bikini, underwear}`) and
  places the graph's comparison misses; pairs the graph already reported
  are not reported again.

Every query runs with a time limit; a query the solver cannot answer in time
reports nothing (a missed warning, never a wrong one).
"""
from __future__ import annotations

from typing import Any, Sequence

import z3

from . import ir
from .diagnostics import Diagnostic
from .formulas import Space
from .graph import Graph
from .keywords import STRENGTH
from .schema import LabelSchema

QUERY_MS = 2000
"""The solver's time limit per question, in milliseconds."""

MAX_CANDIDATES = 64
"""Rules of the same effect a rule is compared with for `implied`, at most."""


def analyse(ruleset: ir.Ruleset, graph: Graph, schema: LabelSchema) -> list[Diagnostic]:
    """The solver's warnings for a ruleset that compiled without errors."""
    if not ruleset.rules:
        return []
    space = Space([ruleset], schema)
    solver = z3.Solver(ctx=space.ctx)
    solver.set("timeout", QUERY_MS)
    solver.add(*space.domain)
    out: list[Diagnostic] = []
    matches = {r.id: space.matches(r) for r in ruleset.rules}
    places = {node.rule.id: node.places for node in graph.rules}
    reported = {graph.rules[i].rule.id for i in graph.shadowed_by}
    alive: list[ir.Rule] = []
    for rule in ruleset.rules:
        found = _matching(solver, space, rule)
        if found is None:
            alive.append(rule)
        else:
            out.append(found)
    for rule in alive:
        stronger = [s for s in alive if STRENGTH[s.effect] > STRENGTH[rule.effect] and _overlap(places, rule, s)]
        if rule.obligations and rule.effect != "deny":
            stronger = [s for s in stronger if s.effect == "deny"]  # its obligations hold under a review too
        found = _never_decides(solver, matches, rule, stronger)
        if found is not None:
            out.append(found)
            continue
        if rule.id in reported:
            continue
        same = [s for s in alive if s.effect == rule.effect and s.id != rule.id and _overlap(places, rule, s)
                and set(rule.obligations) <= set(s.obligations) and not (rule.always and not s.always)]
        found = _implied(solver, matches, rule, same[:MAX_CANDIDATES], ruleset)
        if found is not None:
            out.append(found)
    return out


def _overlap(places: dict[str, frozenset[str] | None], a: ir.Rule, b: ir.Rule) -> bool:
    pa, pb = places.get(a.id), places.get(b.id)
    return pa is None or pb is None or not pa.isdisjoint(pb) or any("-" in c for c in pa | pb)


def _sat(solver: z3.Solver, *conditions: Any) -> bool | None:
    """Whether the conditions can hold together; None when the solver gave up."""
    solver.push()
    solver.add(*conditions)
    try:
        result = solver.check()
    finally:
        solver.pop()
    return True if result == z3.sat else False if result == z3.unsat else None


def _warning(rule: ir.Rule, message: str, help: str | None, code: str) -> Diagnostic:
    return Diagnostic("warning", message, rule.file, rule.line, rule.column, help, None, code)


def _matching(solver: z3.Solver, space: Space, rule: ir.Rule) -> Diagnostic | None:
    """A warning when the rule can match only on unknown input, or never; None when it can match on known input."""
    holds, fails = space.cond(rule.condition)
    if _sat(solver, holds, space.known()) is not False:
        return None
    contradiction = contradictory_thresholds(rule.condition)
    why = f" ({contradiction})" if contradiction else ""
    if rule.effect != "allow" and _sat(solver, z3.Not(fails)):
        inputs = _unknown_inputs(solver, space, rule)
        named = ", ".join(f"`{i}`" for i in inputs) if inputs else "an input"
        code = "contradictory-thresholds" if contradiction else "fires-only-on-unknown"
        return _warning(rule, f"rule `{rule.id}` matches only when {named} is unknown{why}: with every input "
                        "known it never matches", "it fails closed on a missing or failed input and decides nothing "
                        "otherwise; check its thresholds and conditions", code)
    return _warning(rule, f"rule `{rule.id}` can never match{why}",
                    "its tests exclude each other whatever the request; check its thresholds and conditions",
                    "contradictory-thresholds" if contradiction else "never-fires")


def _unknown_inputs(solver: z3.Solver, space: Space, rule: ir.Rule) -> list[str]:
    """The inputs whose being unknown alone makes the rule match (each tried with everything else known)."""
    _, fails = space.cond(rule.condition)
    found = []
    known = {**{f"label {k}": z3.Not(u) for k, u in space.unknown.items()},
             **{f: v >= 0 for f, v in space.fields.items()}}
    for name in sorted(ir.labels_of(rule.condition)):
        others = [c for n, c in known.items() if n != f"label {name}"]
        if _sat(solver, z3.Not(fails), *others) is True:
            found.append(name)
    return found


def contradictory_thresholds(cond: ir.Cond) -> str | None:
    """`no score of `attire:bikini` is at least 0.7 and below 0.6`: top-level tests of one label that no
    known score passes together."""
    items = cond.items if isinstance(cond, ir.All) else (cond,)
    low: dict[str, float] = {}
    high: dict[str, float] = {}
    for c in items:
        negated = isinstance(c, ir.Not)
        test = c.item if isinstance(c, ir.Not) else c
        if not isinstance(test, ir.LabelTest) or len(test.thresholds) != 1:
            continue
        ((key, threshold),) = test.thresholds
        if negated:
            high[key] = min(high.get(key, 2.0), threshold)
        else:
            low[key] = max(low.get(key, -1.0), threshold)
    for key in sorted(low.keys() & high.keys()):
        if low[key] >= high[key]:
            return f"no score of `{key}` is at least {low[key]:g} and below {high[key]:g}"
    return None


def _never_decides(solver: z3.Solver, matches: dict[str, Any], rule: ir.Rule,
                   stronger: Sequence[ir.Rule]) -> Diagnostic | None:
    if not stronger or _sat(solver, matches[rule.id], *[z3.Not(matches[s.id]) for s in stronger]) is not False:
        return None
    single = next((s for s in stronger if _sat(solver, matches[rule.id], z3.Not(matches[s.id])) is False), None)
    if single is not None:
        by = f"`{single.effect} {single.id}` ({single.source})"
    else:
        by = "one of " + ", ".join(f"`{s.effect} {s.id}` ({s.source})" for s in stronger[:5]) \
             + (" ..." if len(stronger) > 5 else "")
    extra = " and its obligations never apply" if rule.obligations else ""
    return _warning(rule, f"rule `{rule.id}` can never decide{extra}: whenever it matches, {by} matches too",
                    f"a stronger effect always wins, so this `{rule.effect}` changes no decision; narrow the "
                    "stronger rule or remove this one", "never-decides")


def _implied(solver: z3.Solver, matches: dict[str, Any], rule: ir.Rule, same: Sequence[ir.Rule],
             ruleset: ir.Ruleset) -> Diagnostic | None:
    order = {r.id: i for i, r in enumerate(ruleset.rules)}
    for other in same:
        if _sat(solver, matches[rule.id], z3.Not(matches[other.id])) is not False:
            continue
        if order[other.id] > order[rule.id] and _sat(solver, matches[other.id], z3.Not(matches[rule.id])) is False:
            continue  # the two are equivalent: the one written later is reported
        return _warning(rule, f"rule `{rule.id}` is implied by `{other.id}` ({other.source}): whenever it matches, "
                        f"`{other.id}` matches too", f"both {rule.effect}; this rule changes no decision "
                        f"(e.g. a place already covered by `{other.id}`); remove it or merge its text into the other",
                        "implied")
    return None
