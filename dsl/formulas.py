"""Rules as SMT formulas over the requests they can be asked about, in the engine's three-valued logic.

The analysis (`analysis`), `jurist compare` (`comparison`) and the engine's
counterfactuals all reason over one model of a request, built here once:

* the place is one of finitely many classes: each country and region the
  rulesets name, with its region given, unknown, or another of its regions;
  one country they do not name; and no country at all;
* `action`, `surface`, `stage` and `user.tier` are one of their values or unknown;
  `date` is a day (the engine always judges on some day);
* each label has an image-level score in [0, 1] and may be unknown;
* up to a few persons, each with a score per label (or none given), for
  `person(...)` tests.

That is the space of requests with observations and no images (what the
detectors turn images into), so every witness is a request `jurist decide`
takes as it is.  A condition becomes a pair (holds, fails) of formulas;
unknown is neither.  A deny or review rule *matches* unless its condition
fails (fail closed), an allow rule only when it holds.  The semantics
written here are the evaluator's (`jurist.engine.evaluator`), and the tests
check the two agree on exhaustive grids of small rulesets.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Iterable, Mapping, Sequence

import z3

from . import ir
from .keywords import EFFECTS
from .places import countries, country_of, enclosing, subdivisions_of
from .schema import LabelSchema

Tri = tuple[Any, Any]  # (holds, fails): z3 Booleans; unknown when neither
MIN_DAY, MAX_DAY = dt.date(1970, 1, 1).toordinal(), dt.date(2200, 12, 31).toordinal()


@dataclass(frozen=True, slots=True)
class PlaceClass:
    """A place as the rules see it: `country` None is no country given; `region` None is no region given."""

    country: str | None
    region: str | None
    region_unknown: bool = False  # the country has regions rules name, and the request gives none


def _codes(rulesets: Iterable[ir.Ruleset]) -> set[str]:
    return {code for rs in rulesets for rule in rs.rules for test in ir.tests_in(rule.condition)
            if isinstance(test, ir.Location) for code in test.codes}


def place_classes(rulesets: Iterable[ir.Ruleset]) -> list[PlaceClass]:
    """Every class of place the rulesets can tell apart (see the module's docstring)."""
    named = _codes(rulesets)
    regions = sorted(code for code in named if "-" in code)
    named_countries = sorted({code for code in named if "-" not in code} | {country_of(r) for r in regions})
    out = [PlaceClass(None, None)]
    elsewhere = next((c for c in sorted(countries()) if c not in named_countries and c != "XK"), None)
    if elsewhere is not None:
        out.append(PlaceClass(elsewhere, None))
    for country in named_countries:
        mine = [r for r in regions if country_of(r) == country]
        out.append(PlaceClass(country, None, bool(mine)))
        out.extend(PlaceClass(country, r) for r in mine)
        other = next((r for r in subdivisions_of(country) if not named.intersection(enclosing(r))), None)
        if mine and other is not None:
            out.append(PlaceClass(country, other))
    return out


def location_value(cond: ir.Location, place: PlaceClass) -> bool | None:
    """The engine's place test (`evaluator._location`) for a request from `place`."""
    codes = cond.codes
    split = {country_of(c) for c in codes if "-" in c}
    regions = enclosing(place.region) if place.region else ()
    if cond.field == "country":
        if place.country is None:
            return None
        if place.country in codes or not codes.isdisjoint(regions):
            return True
        return None if place.region is None and place.country in split else False
    if place.region is not None:
        return not codes.isdisjoint(regions)
    return None if place.country is None or place.country in split else False


def _or(items: Sequence[Any]) -> Any:
    return z3.Or(*items) if len(items) != 1 else items[0]


def _and(items: Sequence[Any]) -> Any:
    return z3.And(*items) if len(items) != 1 else items[0]


def _real(value: float, ctx: z3.Context) -> Any:
    return z3.RealVal(str(Fraction(repr(value))), ctx)


class Space:
    """The solver's variables for one request, and each condition and rule as formulas over them.

    `persons` bounds how many persons a witness may have; it is only used when a
    condition tests `person(...)`.  Each space has a z3 context of its own (`ctx`; make solvers
    with `z3.Solver(ctx=space.ctx)`): z3 is not thread-safe within one context, and an editor
    analyses on a worker thread while another analysis, or a z3 object being freed, runs elsewhere.
    """

    def __init__(self, rulesets: Sequence[ir.Ruleset], schema: LabelSchema, persons: int = 2, prefix: str = ""):
        self.ctx = ctx = z3.Context()
        self.schema = schema
        self.places = place_classes(rulesets)
        self.place = z3.Int(prefix + "place", ctx)
        self.fields = {f: z3.Int(prefix + f, ctx) for f in schema.fields}
        self.day = z3.Int(prefix + "date", ctx)
        keys: set[str] = set()
        person_keys: set[str] = set()
        has_person = False
        for rs in rulesets:
            for rule in rs.rules:
                keys |= ir.labels_of(rule.condition)
                for test in _person_tests(rule.condition):
                    has_person = True
                    person_keys |= {k for t, _ in test.terms for k, _ in t.thresholds}
        self.keys = tuple(sorted(keys))
        self.person_keys = tuple(sorted(person_keys))
        self.image = {k: z3.Real(f"{prefix}image:{k}", ctx) for k in self.keys}
        self.unknown = {k: z3.Bool(f"{prefix}unknown:{k}", ctx) for k in self.keys}
        self.npersons = persons if has_person else 0
        self.present = [z3.Bool(f"{prefix}person{i}", ctx) for i in range(self.npersons)]
        self.has = [{k: z3.Bool(f"{prefix}person{i}:has:{k}", ctx) for k in self.person_keys} for i in range(self.npersons)]
        self.pscore = [{k: z3.Real(f"{prefix}person{i}:{k}", ctx) for k in self.person_keys} for i in range(self.npersons)]
        self.score = {k: z3.Real(f"{prefix}score:{k}", ctx) for k in self.keys}
        self.domain = self._domain()
        self._memo: dict[ir.Cond, Tri] = {}

    def _domain(self) -> list[Any]:
        out = [self.place >= 0, self.place < len(self.places), self.day >= MIN_DAY, self.day <= MAX_DAY]
        for name, var in self.fields.items():
            out += [var >= -1, var < len(self.schema.fields[name])]
        for k in self.keys:
            out += [self.image[k] >= 0, self.image[k] <= 1]
            carriers = [(self.present[i], self.has[i][k], self.pscore[i][k]) for i in range(self.npersons)
                        if k in self.person_keys]
            # the image-level score is the highest over the image's own score and every person's
            out.append(self.score[k] >= self.image[k])
            out += [z3.Implies(z3.And(p, h), self.score[k] >= s) for p, h, s in carriers]
            out.append(z3.Or(self.score[k] == self.image[k],
                             *[z3.And(p, h, self.score[k] == s) for p, h, s in carriers]))
        for i in range(self.npersons):
            out += [z3.And(self.pscore[i][k] >= 0, self.pscore[i][k] <= 1) for k in self.person_keys]
            out += [z3.Implies(z3.Not(self.present[i]), z3.Not(self.has[i][k])) for k in self.person_keys]
            if i:
                out.append(z3.Implies(self.present[i], self.present[i - 1]))
        return out

    # --- conditions ---------------------------------------------------------------

    def cond(self, c: ir.Cond) -> Tri:
        found = self._memo.get(c)
        if found is None:
            found = self._memo[c] = self._cond(c)
        return found

    def _cond(self, c: ir.Cond) -> Tri:
        match c:
            case ir.Location():
                values = [location_value(c, p) for p in self.places]
                return (_or([self.place == i for i, v in enumerate(values) if v is True] or [z3.BoolVal(False, self.ctx)]),
                        _or([self.place == i for i, v in enumerate(values) if v is False] or [z3.BoolVal(False, self.ctx)]))
            case ir.Equals():
                var, allowed = self.fields[c.field], self.schema.fields[c.field]
                inside = [var == i for i, v in enumerate(allowed) if v in c.values]
                holds = _or(inside or [z3.BoolVal(False, self.ctx)])
                return holds, z3.And(var >= 0, z3.Not(holds))
            case ir.DateCmp():
                day, value = self.day, c.value.toordinal()
                holds = {"=": day == value, "!=": day != value, "<": day < value, "<=": day <= value,
                         ">": day > value, ">=": day >= value}[c.op]
                return holds, z3.Not(holds)
            case ir.LabelTest():
                parts = [self._label(k, t) for k, t in c.thresholds]
                return _or([h for h, _ in parts]), _and([f for _, f in parts])
            case ir.PersonTest():
                return self._person(c)
            case ir.Not():
                holds, fails = self.cond(c.item)
                return fails, holds
            case ir.All():
                parts = [self.cond(i) for i in c.items]
                return _and([h for h, _ in parts]), _or([f for _, f in parts])
            case ir.AnyOf():
                parts = [self.cond(i) for i in c.items]
                return _or([h for h, _ in parts]), _and([f for _, f in parts])
        raise TypeError(c)

    def _label(self, key: str, threshold: float) -> Tri:
        known = z3.Not(self.unknown[key])
        return z3.And(known, self.score[key] >= _real(threshold, self.ctx)), z3.And(known, self.score[key] < _real(threshold, self.ctx))

    def _person(self, c: ir.PersonTest) -> Tri:
        """The evaluator's `person(...)`: one person holds every term; unknown labels and labels no
        person carries (`evaluator.unattributed`) make it unknown rather than false."""
        keys = sorted({k for t, _ in c.terms for k, _ in t.thresholds})
        person_results: list[Tri] = []
        for i in range(self.npersons):
            terms: list[Tri] = []
            for test, negated in c.terms:
                holds = _or([z3.And(self.has[i][k], self.pscore[i][k] >= _real(t, self.ctx)) for k, t in test.thresholds])
                unknown = z3.And(z3.Not(holds), _or([z3.And(self.unknown[k], z3.Not(self.has[i][k]))
                                                     for k, _ in test.thresholds]))
                fails = z3.And(z3.Not(holds), z3.Not(unknown))
                terms.append((fails, holds) if negated else (holds, fails))
            person_results.append((z3.And(self.present[i], *[h for h, _ in terms]),
                                   z3.Or(z3.Not(self.present[i]), *[f for _, f in terms])))
        holds = _or([h for h, _ in person_results] or [z3.BoolVal(False, self.ctx)])
        unknown_parts = [z3.And(z3.Not(h), z3.Not(f)) for h, f in person_results]
        nobody = z3.And(*[z3.Not(p) for p in self.present]) if self.present else z3.BoolVal(True, self.ctx)
        unknown_parts.append(z3.And(nobody, _or([self.unknown[k] for k in keys])))
        positive = [t for t, negated in c.terms if not negated]
        if positive:
            could = [_or([z3.Or(self.unknown[k], self.score[k] >= _real(t, self.ctx)) for k, t in test.thresholds])
                     for test in positive]
            unseen = [z3.And(z3.Not(self.unknown[k]), self.score[k] >= _real(t, self.ctx),
                             *[z3.Not(z3.And(self.present[i], self.has[i][k], self.pscore[i][k] >= self.score[k]))
                               for i in range(self.npersons)])
                      for test in positive for k, t in test.thresholds]
            unknown_parts.append(z3.And(*could, _or(unseen)))
        unknown = z3.And(z3.Not(holds), _or(unknown_parts))
        return holds, z3.And(z3.Not(holds), z3.Not(unknown))

    # --- rules and decisions ---------------------------------------------------------

    def matches(self, rule: ir.Rule) -> Any:
        """The rule counts as matched: its condition holds, or (deny, review) does not fail."""
        holds, fails = self.cond(rule.condition)
        return holds if rule.effect == "allow" else z3.Not(fails)

    def effect_is(self, ruleset: ir.Ruleset, effect: str) -> Any:
        """The decision's effect is `effect`: the strongest tier with a match, else the default."""
        tiers = {e: _or([self.matches(r) for r in ruleset.rules if r.effect == e] or [z3.BoolVal(False, self.ctx)])
                 for e in EFFECTS}
        out = []
        for i, e in enumerate(EFFECTS):
            stronger = [z3.Not(tiers[s]) for s in EFFECTS[:i]]
            out.append((e, z3.And(*stronger, tiers[e]) if stronger else tiers[e]))
        none = z3.And(*[z3.Not(t) for t in tiers.values()])
        return z3.Or(*[cond for e, cond in out if e == effect], *([none] if ruleset.default == effect else []))

    def known(self) -> Any:
        """Every input known: a place with its region where rules need one, every field, every label."""
        unknown_places = [i for i, p in enumerate(self.places) if p.country is None or p.region_unknown]
        return z3.And(*[self.place != i for i in unknown_places], *[v >= 0 for v in self.fields.values()],
                      *[z3.Not(u) for u in self.unknown.values()])

    # --- witnesses ------------------------------------------------------------------

    def request(self, model: Any) -> dict[str, Any]:
        """The request JSON a model describes (what `jurist decide --request` takes)."""
        place = self.places[_int(model, self.place)]
        out: dict[str, Any] = {}
        if place.country is not None:
            out["country"] = place.country
        if place.region is not None:
            out["region"] = place.region
        for name, var in self.fields.items():
            index = _int(model, var)
            if index >= 0:
                value = self.schema.fields[name][index]
                if name == "user.tier":
                    out["user"] = {"tier": value}
                else:
                    out[name] = value
        out["date"] = dt.date.fromordinal(_int(model, self.day) or MIN_DAY).isoformat()
        observations = self.observations(model)
        if observations:
            out["observations"] = observations
        return out

    def observations(self, model: Any) -> dict[str, Any]:
        labels = {k: v for k in self.keys if (v := _real_value(model, self.image[k])) > 0}
        unknown = sorted(k for k in self.keys if z3.is_true(model.eval(self.unknown[k], model_completion=True)))
        persons = []
        for i in range(self.npersons):
            if not z3.is_true(model.eval(self.present[i], model_completion=True)):
                continue
            mine = {k: _real_value(model, self.pscore[i][k]) for k in self.person_keys
                    if z3.is_true(model.eval(self.has[i][k], model_completion=True))}
            persons.append({"labels": mine})
        out: dict[str, Any] = {}
        if labels or persons or unknown:
            out["labels"] = labels
        if persons:
            out["persons"] = persons
        if unknown:
            out["unknown"] = unknown
        return out

    def thresholds(self) -> Mapping[str, tuple[float, ...]]:
        """Every threshold each label is compared with, ascending: where a score's class changes."""
        found: dict[str, set[float]] = {}
        for c in list(self._memo):
            for k, t in ir.label_thresholds(c):
                found.setdefault(k, set()).add(t)
        return {k: tuple(sorted(v)) for k, v in found.items()}


def _int(model: Any, var: Any) -> int:
    return int(model.eval(var, model_completion=True).as_long())


def _real_value(model: Any, var: Any) -> float:
    value = model.eval(var, model_completion=True)
    return float(Fraction(value.numerator_as_long(), value.denominator_as_long()))


def _person_tests(c: ir.Cond) -> Iterable[ir.PersonTest]:
    match c:
        case ir.PersonTest():
            yield c
        case ir.Not():
            yield from _person_tests(c.item)
        case ir.All() | ir.AnyOf():
            for item in c.items:
                yield from _person_tests(item)
        case _:
            return


def has_person_test(rule: ir.Rule) -> bool:
    return next(iter(_person_tests(rule.condition)), None) is not None
