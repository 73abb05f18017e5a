"""What would have changed a decision: the smallest changes to a request that give another effect.

Computed by the same solver model as the analysis (`jurist.dsl.formulas`): the
request as observed (every label scored once, so nothing is left unknown that a
detector could see), each of its inputs (the place, each field, the date, each
label's scores) either kept or changed, and the fewest changed that reach each
other effect.  Each answer is then decided by the policy itself and kept only
when the engine agrees, with the values moved as little as the rules allow (a
score just below the threshold it must pass under, the first day a rule is in
force).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Mapping

import z3

from jurist.dsl.formulas import Space
from jurist.dsl.keywords import EFFECTS
from jurist.dsl.places import enclosing

from .observed import Observed
from .observer import _merge_persons
from .request import Request, RequestError
from .time_zones import local_today
from .vocabulary import SCHEMA

if TYPE_CHECKING:
    from .policy import Policy

MAX_CHANGES = 3
# Request fields a change sets at the request's top level (`user.tier` sits in `user`; the place is two fields).
_TOP_LEVEL = ("action", "surface", "stage", "date")
QUERY_MS = 5000


@dataclass(frozen=True, slots=True)
class Change:
    field: str      # country/region ("place"), action, surface, user.tier, date, or a label such as attire:bikini
    before: Any
    after: Any

    def describe(self) -> str:
        def shown(value: Any) -> str:
            return "unknown" if value is None else f"{value:g}" if isinstance(value, float) else str(value)
        return f"{self.field}: {shown(self.before)} → {shown(self.after)}"


@dataclass(frozen=True, slots=True)
class Counterfactual:
    """Change the request so (`changes`), and the policy decides `effect`, by `rule`."""

    changes: tuple[Change, ...]
    effect: str
    rule: str | None
    request: Mapping[str, Any]  # the changed request, as observed: what `jurist decide` decides so

    def describe(self) -> str:
        by = f" by `{self.rule}`" if self.rule else " (the default)"
        return "; ".join(c.describe() for c in self.changes) + f"  ⇒  {self.effect}{by}"

    def to_json(self) -> dict[str, Any]:
        return {"changes": [{"field": c.field, "before": c.before, "after": c.after} for c in self.changes],
                "effect": self.effect, "rule": self.rule, "request": dict(self.request)}


def counterfactuals(policy: Policy, request: Request | Observed | Mapping[str, Any],
                    limit: int = 5) -> tuple[Counterfactual, ...]:
    """Up to `limit` smallest changes for each effect other than the request's own, fewest changes first."""
    if isinstance(request, Observed):
        observed = request
    else:
        try:
            parsed = request if isinstance(request, Request) else Request.from_json(request)
        except RequestError:
            return ()  # a malformed request is refused for what is wrong with it, not for a rule
        observed = policy.observe(parsed)
    if observed.error is not None:
        return ()
    base = _base_request(observed)
    decided = policy.trusting_observations().decide(base, exhaustive=True)
    space = Space([policy.ruleset], SCHEMA, persons=max(1, len(base.get("observations", {}).get("persons", ()))))
    solver = z3.Solver(ctx=space.ctx)
    solver.set("timeout", QUERY_MS)
    solver.add(*space.domain)
    features = _features(space, base)
    for flag, keep in features.values():
        solver.add(z3.Implies(z3.Not(flag), keep))
    flags = [flag for flag, _ in features.values()]
    found: list[Counterfactual] = []
    for effect in EFFECTS:
        if effect == decided.effect:
            continue
        mine: list[Counterfactual] = []
        solver.push()
        solver.add(space.effect_is(policy.ruleset, effect))
        for most in range(1, MAX_CHANGES + 1):
            solver.push()
            solver.add(z3.AtMost(*flags, most))
            while len(mine) < limit and solver.check() == z3.sat:
                model = solver.model()
                changed = [name for name, (flag, keep) in features.items()
                           if not z3.is_true(model.eval(keep, model_completion=True))]
                if not changed:
                    break
                solver.add(z3.Not(z3.And(*[features[name][0] for name in changed])))
                answer = _confirmed(policy, space, model, base, changed, effect)
                if answer is not None:
                    mine.append(answer)
            solver.pop()
            if mine:
                break
        solver.pop()
        found.extend(mine)
    return tuple(sorted(found, key=lambda c: (len(c.changes), EFFECTS.index(c.effect))))


def _base_request(observed: Observed) -> dict[str, Any]:
    """The request as observed: its context, its day, and every score the detectors gave, as observations."""
    raw = observed.request.to_json()
    for key in ("prompt", "images", "observations"):
        raw.pop(key, None)
    if observed.request.date is None:
        raw["date"] = local_today(observed.request.country, observed.request.region)[0].isoformat()
    labels = {k: v for k, v in observed.scores.items() if v is not None and v > 0}
    unknown = sorted(k for k, v in observed.scores.items() if v is None)
    given = observed.given.persons if observed.given is not None else ()
    persons = _merge_persons(given, [o.persons for o in observed.outputs.values()])
    obs: dict[str, Any] = {"labels": labels}
    if persons:
        obs["persons"] = [p.to_json() for p in persons]
    if unknown:
        obs["unknown"] = unknown
    raw["observations"] = obs
    return raw


def _place_index(space: Space, country: str | None, region: str | None) -> int:
    """The class of `space.places` a request from (country, region) falls in."""
    fallback = 0
    for i, place in enumerate(space.places):
        if place.country == country and place.region == region:
            return i
        if country is not None and place.country == country and place.region is None:
            fallback = i
    if country is not None and region is not None:
        named = {p.region for p in space.places if p.region is not None and p.country == country}
        inner = next((r for r in enclosing(region) if r in named), None)
        for i, place in enumerate(space.places):
            if place.country == country and (place.region == inner or (inner is None and place.region is not None
                                                                        and place.region not in named)):
                return i
    if country is not None and not any(p.country == country for p in space.places):
        return next(i for i, p in enumerate(space.places) if p.country is not None)  # elsewhere
    return fallback


def _features(space: Space, base: Mapping[str, Any]) -> dict[str, tuple[Any, Any]]:
    """Each input as (its changed flag, the formula keeping it as in `base`)."""
    out: dict[str, tuple[Any, Any]] = {}
    out["place"] = (z3.Bool("change:place", space.ctx), space.place == _place_index(space, base.get("country"),
                                                                        base.get("region")))
    context = {**{name: base.get(name) for name in _TOP_LEVEL}, "user.tier": (base.get("user") or {}).get("tier")}
    for name, var in space.fields.items():
        value = context.get(name)
        index = SCHEMA.fields[name].index(value) if value is not None else -1
        out[name] = (z3.Bool(f"change:{name}", space.ctx), var == index)
    out["date"] = (z3.Bool("change:date", space.ctx), space.day == dt.date.fromisoformat(base["date"]).toordinal())
    obs = base.get("observations", {})
    labels, unknown, persons = obs.get("labels", {}), set(obs.get("unknown", ())), obs.get("persons", ())
    for k in space.keys:
        keep = [space.image[k] == z3.RealVal(str(labels.get(k, 0.0)), space.ctx), space.unknown[k] == (k in unknown)]
        for i in range(space.npersons):
            present = i < len(persons)
            keep.append(space.present[i] == present)
            if k in space.person_keys:
                score = persons[i]["labels"].get(k) if present else None
                keep.append(space.has[i][k] == (score is not None))
                if score is not None:
                    keep.append(space.pscore[i][k] == z3.RealVal(str(score), space.ctx))
        out[k] = (z3.Bool(f"change:{k}", space.ctx), z3.And(*keep))
    return out


def _confirmed(policy: Policy, space: Space, model: Any, base: Mapping[str, Any], changed: list[str],
               effect: str) -> Counterfactual | None:
    """The changed request, values moved as little as the rules allow, if the policy decides it so."""
    proposed = space.request(model)
    for attempt in (_nearest(space, proposed, base, changed), _applied(proposed, base, changed)):
        decision = policy.trusting_observations().decide(attempt, exhaustive=True)
        if decision.effect == effect:
            rule = decision.deciding_rule
            return Counterfactual(_changes(base, attempt, changed), effect,
                                  None if decision.default_applied or rule is None else rule.id, attempt)
    return None


def _applied(proposed: Mapping[str, Any], base: Mapping[str, Any], changed: list[str]) -> dict[str, Any]:
    """`base` with the changed inputs taken from the solver's request."""
    out = {k: v for k, v in base.items() if k != "observations"}
    out["observations"] = {k: (dict(v) if isinstance(v, dict) else list(v))
                           for k, v in base.get("observations", {}).items()}
    if "observations" in out and "persons" in out["observations"]:
        out["observations"]["persons"] = [{"labels": dict(p["labels"]), **{k: v for k, v in p.items() if k != "labels"}}
                                          for p in base["observations"]["persons"]]
    for name in changed:
        if name == "place":
            for key in ("country", "region"):
                out.pop(key, None)
                if key in proposed:
                    out[key] = proposed[key]
        elif name == "user.tier":
            out.pop("user", None)
            if "user" in proposed:
                out["user"] = proposed["user"]
        elif name in _TOP_LEVEL:
            out.pop(name, None)
            if name in proposed:
                out[name] = proposed[name]
        else:
            _apply_label(out["observations"], proposed.get("observations", {}), name)
    return out


def _apply_label(obs: dict[str, Any], proposed: Mapping[str, Any], key: str) -> None:
    labels = obs.setdefault("labels", {})
    labels.pop(key, None)
    if key in proposed.get("labels", {}):
        labels[key] = proposed["labels"][key]
    unknown = [k for k in obs.get("unknown", []) if k != key]
    if key in proposed.get("unknown", ()):
        unknown.append(key)
    if unknown:
        obs["unknown"] = sorted(unknown)
    else:
        obs.pop("unknown", None)
    for mine, theirs in zip(obs.get("persons", []), proposed.get("persons", [])):
        mine["labels"].pop(key, None)
        if key in theirs.get("labels", {}):
            mine["labels"][key] = theirs["labels"][key]


def _nearest(space: Space, proposed: Mapping[str, Any], base: Mapping[str, Any], changed: list[str]) -> dict[str, Any]:
    """The solver's change, with each score and the date moved to the value nearest the original that
    every threshold and date test of the rules sees the same way."""
    out = _applied(proposed, base, changed)
    thresholds = space.thresholds()
    for name in changed:
        if name == "date":
            out["date"] = _nearest_day(space, out["date"], base["date"])
        elif name in thresholds:
            cuts = thresholds[name]
            obs = out.get("observations", {})
            before = base.get("observations", {}).get("labels", {}).get(name, 0.0)
            if name in obs.get("labels", {}):
                obs["labels"][name] = _nearest_score(obs["labels"][name], before, cuts)
            for person, original in zip(obs.get("persons", []), base.get("observations", {}).get("persons", [])):
                if name in person["labels"]:
                    person["labels"][name] = _nearest_score(person["labels"][name],
                                                            original["labels"].get(name, 0.0), cuts)
    return out


def _nearest_score(value: float, before: float, cuts: tuple[float, ...]) -> float:
    def side(x: float) -> tuple[bool, ...]:
        return tuple(x >= t for t in cuts)

    candidates = {value, before} | {t for t in cuts} | {round(max(0.0, t - 0.01), 6) for t in cuts}
    same = [c for c in candidates if 0.0 <= c <= 1.0 and side(c) == side(value)]
    return min(same, key=lambda c: (abs(c - before), c))


def _nearest_day(space: Space, day: str, before: str) -> str:
    from jurist.dsl import ir

    tests = [c for c in space._memo if isinstance(c, ir.DateCmp)]
    ops = {"=": lambda a, b: a == b, "!=": lambda a, b: a != b, "<": lambda a, b: a < b,
           "<=": lambda a, b: a <= b, ">": lambda a, b: a > b, ">=": lambda a, b: a >= b}

    def side(d: dt.date) -> tuple[bool, ...]:
        return tuple(ops[t.op](d, t.value) for t in tests)

    target, origin = dt.date.fromisoformat(day), dt.date.fromisoformat(before)
    candidates = {target, origin} | {t.value + dt.timedelta(days=k) for t in tests for k in (-1, 0, 1)}
    same = [d for d in candidates if side(d) == side(target)]
    return min(same, key=lambda d: (abs((d - origin).days), d)).isoformat()


def _changes(base: Mapping[str, Any], after: Mapping[str, Any], changed: list[str]) -> tuple[Change, ...]:
    out = []
    for name in changed:
        if name == "place":
            b = base.get("region") or base.get("country")
            a = after.get("region") or after.get("country")
            out.append(Change("region" if after.get("region") or base.get("region") else "country", b, a))
        elif name == "user.tier":
            out.append(Change(name, (base.get("user") or {}).get("tier"), (after.get("user") or {}).get("tier")))
        elif name in _TOP_LEVEL:
            out.append(Change(name, base.get(name), after.get(name)))
        else:
            out.append(Change(name, _score(base, name), _score(after, name)))
    return tuple(out)


def _score(request: Mapping[str, Any], key: str) -> float | None:
    obs = request.get("observations", {})
    if key in obs.get("unknown", ()):
        return None
    scores = [obs.get("labels", {}).get(key, 0.0)] + [p["labels"].get(key, 0.0) for p in obs.get("persons", [])]
    return float(max(scores))


__all__ = ["Change", "Counterfactual", "counterfactuals"]
