"""Two versions of a ruleset compared by the solver, per jurisdiction, with a request that shows each difference.

`compare(a, b)` answers, for each jurisdiction the two name (and for the places
they do not name): are they equivalent, does B deny strictly more, does B allow
something A denied, and every other change of effect, each with a witness: a
request JSON that `jurist decide` decides as claimed under each version.  The
model of a request is `formulas.Space`, shared by both versions.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Sequence

import z3

from . import ir
from .formulas import Space
from .graph import places_of
from .keywords import EFFECTS
from .schema import LabelSchema

QUERY_MS = 5000


@dataclass(frozen=True, slots=True)
class Difference:
    """Some request gets `before` from A and `after` from B: `witness` is one."""

    before: str
    after: str
    witness: dict[str, Any]

    def to_json(self) -> dict[str, Any]:
        return {"a": self.before, "b": self.after, "witness": self.witness}


@dataclass(frozen=True, slots=True)
class JurisdictionComparison:
    name: str                       # a set's name, the codes, or "elsewhere"
    codes: tuple[str, ...]          # the places; () for elsewhere
    differences: tuple[Difference, ...]
    complete: bool = True           # False when the solver gave up on a question

    @property
    def equivalent(self) -> bool:
        return self.complete and not self.differences

    def found(self, before: str, after: str) -> Difference | None:
        return next((d for d in self.differences if (d.before, d.after) == (before, after)), None)

    @property
    def b_denies_strictly_more(self) -> bool:
        """Every request A denies B denies, and B denies one A does not."""
        return (not any(d.before == "deny" for d in self.differences)
                and any(d.after == "deny" for d in self.differences))

    @property
    def b_allows_what_a_denied(self) -> Difference | None:
        return self.found("deny", "allow")

    def verdicts(self) -> list[str]:
        """Plain sentences, the headline first."""
        if not self.complete:
            return ["the solver could not answer every question in time; the differences below are certain"]
        if not self.differences:
            return ["equivalent: every request gets the same effect from A and B"]
        out = []
        if self.b_denies_strictly_more:
            out.append("B denies strictly more: everything A denies, B denies too")
        if self.b_allows_what_a_denied is not None:
            out.append("B allows something A denied")
        if not any(d.before == "deny" for d in self.differences) and not self.b_denies_strictly_more:
            out.append("B denies everything A denies")
        return out

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> JurisdictionComparison:
        """The comparison as `to_json` wrote it (kept with a submitted version)."""
        return cls(str(raw["jurisdiction"]), tuple(raw.get("codes", ())),
                   tuple(Difference(d["a"], d["b"], dict(d["witness"])) for d in raw.get("differences", ())),
                   bool(raw.get("complete", True)))

    def to_json(self) -> dict[str, Any]:
        return {"jurisdiction": self.name, "codes": list(self.codes), "equivalent": self.equivalent,
                "b_denies_strictly_more": self.b_denies_strictly_more,
                "b_allows_what_a_denied": self.b_allows_what_a_denied is not None,
                "complete": self.complete, "verdicts": self.verdicts(),
                "differences": [d.to_json() for d in self.differences]}


def jurisdictions(rulesets: Sequence[ir.Ruleset]) -> list[tuple[str, frozenset[str]]]:
    """The places the rulesets' rules are confined to, each once, named by a set when one has those codes."""
    names = {codes: name for rs in rulesets for name, codes in sorted(rs.sets.items())}
    found: dict[frozenset[str], str] = {}
    for rs in rulesets:
        for rule in rs.rules:
            codes = places_of(rule.condition)
            if codes is not None and codes not in found:
                found[codes] = names.get(codes) or ", ".join(sorted(codes))
    return sorted(((name, codes) for codes, name in found.items()), key=lambda item: item[0])


def compare(a: ir.Ruleset, b: ir.Ruleset, schema: LabelSchema) -> list[JurisdictionComparison]:
    """A and B compared in each jurisdiction either names, then everywhere else."""
    space = Space([a, b], schema)
    solver = z3.Solver(ctx=space.ctx)
    solver.set("timeout", QUERY_MS)
    solver.add(*space.domain)
    effects = {(name, e): space.effect_is(rs, e) for name, rs in (("a", a), ("b", b)) for e in EFFECTS}
    groups = jurisdictions([a, b])
    out = []
    named: set[int] = set()
    for name, codes in groups:
        inside = [i for i, p in enumerate(space.places) if p.country is not None and _within(p, codes)]
        named.update(inside)
        out.append(_compare_in(solver, space, effects, name, tuple(sorted(codes)), inside))
    rest = [i for i, p in enumerate(space.places) if p.country is not None and i not in named]
    if rest:
        out.append(_compare_in(solver, space, effects, "elsewhere", (), rest))
    return out


def _within(place: Any, codes: frozenset[str]) -> bool:
    from .places import enclosing

    chain = enclosing(place.region) if place.region else ()
    return place.country in codes or not codes.isdisjoint(chain)


def _compare_in(solver: z3.Solver, space: Space, effects: dict[tuple[str, str], Any], name: str,
                codes: tuple[str, ...], places: list[int]) -> JurisdictionComparison:
    where = z3.Or(*[space.place == i for i in places])
    differences = []
    complete = True
    for before in EFFECTS:
        for after in EFFECTS:
            if before == after:
                continue
            witness = find_witness(solver, space, where, effects[("a", before)], effects[("b", after)])
            if witness is None:
                complete = False
            elif witness:
                differences.append(Difference(before, after, witness))
    return JurisdictionComparison(name, codes, tuple(differences), complete)


def find_witness(solver: z3.Solver, space: Space, *conditions: Any) -> dict[str, Any] | None:
    """A request satisfying `conditions` ({} when none can; None when the solver gave up).

    A witness with every input known and dated today is preferred where one exists: it reads as a
    request someone could send now, not one that only fails closed.
    """
    solver.push()
    try:
        solver.add(*conditions)
        result = solver.check()
        if result != z3.sat:
            return {} if result == z3.unsat else None
        model = solver.model()
        today = space.day == dt.date.today().toordinal()
        for preferred in ([space.known(), today], [space.known()], [today]):
            solver.push()
            solver.add(*preferred)
            if solver.check() == z3.sat:
                model = solver.model()
                solver.pop()
                break
            solver.pop()
        return space.request(model)
    finally:
        solver.pop()
