"""What a ruleset does, for people: every rule, and what is blocked where.

Pure: from a `Policy` this builds the report data (no clock, no files), and
renders it as JSON-ready dicts or Markdown.  The "blocked where" matrix is not
written by hand: each representative scenario is decided by the engine for
each place, on every stretch of time between the dates at which a rule starts
or stops, so the table shows "allow, then deny from 2026-02-01" without
depending on the day the report is generated.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping, Sequence, assert_never

from jurist.dsl import ir

from .cases import CaseResult
from .policy import Policy
from .report_coverage import CoverageCell, SeedPolicy, place_codes, policy_coverage
from .report_places import Place, derive_places
from .report_scenarios import STAGES, Scenario, derive_scenarios

__all__ = ["Place", "Report", "Scenario", "build_report", "render_markdown", "to_json"]


@dataclass(frozen=True, slots=True)
class RuleSummary:
    id: str
    effect: str
    cite: str | None
    message: str | None
    valid_from: dt.date | None
    valid_until: dt.date | None
    where: str                      # "everywhere", a set name, or the codes
    places: tuple[str, ...] | None  # None: everywhere
    condition: str
    source: str
    file: str
    obligations: tuple[str, ...] = ()  # `disclose "deepfake"`, as written


_ANY_DAY = dt.date(2000, 1, 1)  # for rulesets with no date test: any day gives the same answer


@dataclass(frozen=True, slots=True)
class Period:
    """A stretch of days, `start` inclusive, `end` exclusive; None is open-ended."""

    start: dt.date | None
    end: dt.date | None

    def probe(self) -> dt.date:
        """A day inside the period, to decide on."""
        if self.start is not None:
            return self.start
        if self.end is not None:
            return self.end - dt.timedelta(days=1)
        return _ANY_DAY


@dataclass(frozen=True, slots=True)
class Outcome:
    effect: str
    rule: str | None       # the deciding rule; None when the default applied
    period: Period
    obligations: tuple[str, ...] = ()  # what the caller must do with the output (`mark "ai-generated"`)


@dataclass(frozen=True, slots=True)
class Cell:
    outcomes: tuple[Outcome, ...]  # consecutive periods with different outcomes, in date order


@dataclass(frozen=True)
class Report:
    origin: str
    default: str
    rules: tuple[RuleSummary, ...]
    sets: Mapping[str, tuple[str, ...]]
    scenarios: tuple[Scenario, ...]
    places: tuple[Place, ...]
    matrix: tuple[tuple[Cell, ...], ...]  # [scenario][place]
    milestones: tuple[dt.date, ...] = field(default=())
    policies: tuple[SeedPolicy, ...] = ()     # the seed policies, when a catalogue was given
    coverage: tuple[CoverageCell, ...] = ()   # [policy × place × stage], in catalogue order

    @property
    def uncovered(self) -> tuple[CoverageCell, ...]:
        return tuple(c for c in self.coverage if not c.covered)


def build_report(policy: Policy, scenarios: Sequence[Scenario] | None = None,
                 places: Sequence[Place] | None = None, origin: str | None = None,
                 catalogue: Sequence[SeedPolicy] = (), case_results: Sequence[CaseResult] = (),
                 catalogue_origin: str = "policies.toml") -> Report:
    """The report: rows and columns derived from the rules (unless given), and with a catalogue of seed
    policies, the coverage statement from `case_results` (the cases, run by the caller)."""
    ruleset = policy.ruleset
    if scenarios is None:
        scenarios = derive_scenarios(ruleset)
    if places is None:
        places = derive_places(ruleset, place_codes(catalogue, ruleset.sets))
    places_of = {r.rule.id: r.places for r in policy.graph.rules}
    set_names = {frozenset(codes): name for name, codes in sorted(ruleset.sets.items())}
    rules = tuple(_summary(rule, places_of.get(rule.id), set_names) for rule in ruleset.rules)
    places = tuple(places) + _uncovered(policy, places)
    milestones = tuple(sorted({d for r in ruleset.rules for d in _boundaries(r.condition)}))
    periods = _periods(milestones)
    matrix = tuple(tuple(_cell(policy, s, p, periods) for p in places) for s in scenarios)
    coverage = policy_coverage(catalogue, places, ruleset.sets, case_results, catalogue_origin) if catalogue else ()
    return Report(origin or policy.origin, ruleset.default, rules,
                  {k: tuple(sorted(v)) for k, v in sorted(ruleset.sets.items())},
                  tuple(scenarios), places, matrix, milestones, tuple(catalogue), coverage)


def _summary(rule: ir.Rule, places: frozenset[str] | None, set_names: Mapping[frozenset[str], str]) -> RuleSummary:
    if places is None:
        where = "everywhere"
    else:
        where = set_names.get(places) or ", ".join(sorted(places))
    return RuleSummary(rule.id, rule.effect, rule.cite, rule.message, rule.valid_from, rule.valid_until, where,
                       None if places is None else tuple(sorted(places)), ir.describe(rule.condition),
                       rule.source, rule.file, tuple(ir.obligation_text(o.kind, o.value) for o in rule.obligations))


def _uncovered(policy: Policy, places: Sequence[Place]) -> tuple[Place, ...]:
    """A column for every jurisdiction no given place falls in, so the matrix cannot hide a rule's place."""
    extra: list[Place] = []
    for node in policy.graph.rules:
        if node.places is None:
            continue
        if any(p.country in node.places or p.code in node.places for p in (*places, *extra)):
            continue
        code = sorted(node.places)[0]
        country, _, sub = code.partition("-")
        extra.append(Place(code, country, code if sub else None, members=(code,)))
    return tuple(extra)


def _boundaries(cond: ir.Cond) -> set[dt.date]:
    """Days on which a date test in `cond` changes its answer (`from`/`until` are folded in as such tests)."""
    match cond:
        case ir.DateCmp(op, day):
            after = day + dt.timedelta(days=1)
            return {">=": {day}, "<": {day}, ">": {after}, "<=": {after}}.get(op, {day, after})
        case ir.Not(item):
            return _boundaries(item)
        case ir.All(items) | ir.AnyOf(items):
            return set().union(*(_boundaries(c) for c in items))
        case ir.Location() | ir.Equals() | ir.LabelTest() | ir.PersonTest():
            return set()
        case _:
            assert_never(cond)


def _periods(milestones: Sequence[dt.date]) -> tuple[Period, ...]:
    if not milestones:
        return (Period(None, None),)
    bounds: list[dt.date | None] = [None, *milestones, None]
    return tuple(Period(a, b) for a, b in zip(bounds, bounds[1:]))


def _cell(policy: Policy, scenario: Scenario, place: Place, periods: Sequence[Period]) -> Cell:
    """One scenario in one place over time, each period named by its deciding rule
    (`Decision.deciding_rule`, the rule the GUI's country matrix names too)."""
    outcomes: list[Outcome] = []
    for period in periods:
        request = dict(scenario.request)
        request["country"] = place.country
        if place.region:
            request["region"] = place.region
        request["date"] = period.probe().isoformat()
        decision = policy.decide(request, exhaustive=True)
        deciding = None if decision.default_applied else decision.deciding_rule
        rule_id = deciding.id if deciding is not None else None
        obliged = tuple(dict.fromkeys(ir.obligation_text(o.kind, o.value) for o in decision.obligations))
        last = outcomes[-1] if outcomes else None
        if last is not None and (last.effect, last.rule, last.obligations) == (decision.effect, rule_id, obliged):
            outcomes[-1] = Outcome(last.effect, last.rule, Period(last.period.start, period.end), obliged)
        else:
            outcomes.append(Outcome(decision.effect, rule_id, period, obliged))
    return Cell(tuple(outcomes))


# --- JSON ------------------------------------------------------------------------

def _date(d: dt.date | None) -> str | None:
    return None if d is None else d.isoformat()


def to_json(report: Report) -> dict[str, Any]:
    return {
        "origin": report.origin,
        "default": report.default,
        "milestones": [d.isoformat() for d in report.milestones],
        "sets": {k: list(v) for k, v in report.sets.items()},
        "rules": [{"id": r.id, "effect": r.effect, "cite": r.cite, "message": r.message,
                   "from": _date(r.valid_from), "until": _date(r.valid_until), "where": r.where,
                   "places": None if r.places is None else list(r.places), "condition": r.condition,
                   "source": r.source, "obligations": list(r.obligations)} for r in report.rules],
        "places": [{"code": p.code, "label": p.label, "country": p.country, "region": p.region,
                    "members": list(p.members), "elsewhere": p.elsewhere} for p in report.places],
        "scenarios": [{"key": s.key, "title": s.title, "stage": s.stage, "request": dict(s.request)}
                      for s in report.scenarios],
        "matrix": [
            {"scenario": s.key,
             "cells": [{"place": p.code,
                        "outcomes": [{"effect": o.effect, "rule": o.rule, "from": _date(o.period.start),
                                      "until": _date(o.period.end), "obligations": list(o.obligations)}
                                     for o in cell.outcomes]}
                       for p, cell in zip(report.places, row)]}
            for s, row in zip(report.scenarios, report.matrix)],
        "policies": [{"key": p.key, "title": p.title, "source": p.source, "places": list(p.places)}
                     for p in report.policies],
        "coverage": [{"policy": c.policy, "stage": c.stage, "place": c.place, "covered": c.covered,
                      "rules": list(c.rules), "cases": list(c.cases)} for c in report.coverage],
    }


# --- Markdown --------------------------------------------------------------------

_VERB = {"deny": "Blocked", "review": "Held for human review", "allow": "Allowed"}
_MARK = {"deny": "**deny**", "review": "review", "allow": "allow"}


def render_markdown(report: Report) -> str:
    out: list[str] = []
    add = out.append
    add("# What the shipped rulesets do")
    add("")
    add(f"<!-- Generated from `{report.origin}` by `jurist report {report.origin} --markdown`; do not edit by hand: "
        "edit the rulesets and run it again. -->")
    add("")
    add("These rules are a worked example for legal review, not legal advice. Where their legal basis is "
        "uncertain the policy files say so in comments.")
    add("")
    add("## The policy in plain language")
    add("")
    files = len({r.file for r in report.rules})
    add(f"{len(report.rules)} rules in {files} files. A request is checked against every rule that applies where it "
        "comes from. If any rule blocks it, it is blocked; otherwise, if any rule holds it for review, a person "
        f"reviews it; otherwise it is {'allowed' if report.default == 'allow' else 'blocked'}. Nothing overrides a "
        "block: not a paid subscription, not an `allow` rule. A request that leaves out who, where or what is "
        "treated as if every rule depending on it matched.")
    add("")
    for where, rules in _by_place(report.rules):
        add(f"**{where}**")
        add("")
        for r in rules:
            if r.obligations and not r.message:
                add(f"- {_VERB[r.effect]}, and the output must be {_obliged(r.obligations)}{_window(r)}. (`{r.id}`)")
                continue
            text = (r.message or r.id).rstrip(".")
            add(f"- {_VERB[r.effect]}: {text}{_window(r)}. (`{r.id}`)")
        add("")
    if report.sets:
        add("Places named by sets: " + "; ".join(f"`{k}` = {', '.join(v)}" for k, v in report.sets.items()) + ".")
        add("")
    add("## What is blocked where")
    add("")
    add("Each cell is the engine's decision for that request in that place and a rule that decided it (when "
        "several agree, a rule that applies everywhere is named before a local one). "
        "Where a rule starts or ends on a date, the cell shows each period; `+ mark ...` names what the output must "
        "carry (the decision's obligations). Scenario labels are given as "
        "detector scores (for example `subject:real_person` 0.95); prompts go through the real prompt detector.")
    add("")
    add("The columns are the places the rulesets name: each `jurisdiction`, each country a rule names "
        "on its own, and first a country no rule names, standing for everywhere else. A column for a group "
        "of countries is decided for the member it names. The rows are derived from the rules: each "
        "combination of labels a rule tests, for the kind of user and request it tests, at both moments "
        "a request is checked.")
    add("")
    for stage in STAGES:
        add(f"### {_STAGE_TITLES.get(stage, stage)}")
        add("")
        add("| Request | " + " | ".join(f"{_escape(p.label)} `{p.code}`" for p in report.places) + " |")
        add("|---|" + "---|" * len(report.places))
        for scenario, row in zip(report.scenarios, report.matrix):
            if scenario.stage == stage:
                add(f"| {_escape(scenario.title)} | " + " | ".join(_cell_text(c) for c in row) + " |")
        add("")
    if report.policies:
        _render_coverage(report, add)
    add("## Every rule")
    add("")
    current = None
    for r in sorted(report.rules, key=lambda r: (r.file, r.source)):
        if r.file != current:
            current = r.file
            add(f"### `{r.file}`")
            add("")
        add(f'<a id="{_anchor(r.id)}"></a>')
        add("")
        add(f"#### `{r.id}`: {r.effect}")
        add("")
        add(f"- **Where:** {r.where}")
        add(f"- **In force:** {_in_force(r)}")
        add(f"- **Law or policy:** {_escape(r.cite or '(none given)')}")
        add(f"- **Tells the user:** {_escape(r.message or '(none given)')}")
        if r.obligations:
            add(f"- **Obliges the caller to:** {_escape(', '.join(r.obligations))}")
        add(f"- **Condition:** `{r.condition}`")
        add(f"- **Source:** `{r.source}`")
        add("")
    return "\n".join(out).rstrip("\n") + "\n"


def _by_place(rules: Sequence[RuleSummary]) -> list[tuple[str, list[RuleSummary]]]:
    groups: dict[str, list[RuleSummary]] = {}
    for r in rules:
        groups.setdefault("Everywhere" if r.places is None else f"In {r.where}", []).append(r)
    order = sorted(groups, key=lambda k: (k != "Everywhere", k))
    rank = {"deny": 0, "review": 1, "allow": 2}
    return [(k, sorted(groups[k], key=lambda r: (rank[r.effect], r.id))) for k in order]


def _obliged(obligations: Sequence[str]) -> str:
    """`mark "ai-generated"` → `marked "ai-generated"`: obligations as a phrase for legal readers."""
    verbs = {"mark": "marked", "disclose": "disclosed as", "report": "reported to", "retain": "retained"}
    out = []
    for o in obligations:
        kind, _, value = o.partition(" ")
        out.append(f"{verbs.get(kind, kind)} {value}".strip())
    return " and ".join(out)


def _window(r: RuleSummary) -> str:
    parts = []
    if r.valid_from:
        parts.append(f"from {r.valid_from.isoformat()}")
    if r.valid_until:
        parts.append(f"until {r.valid_until.isoformat()}")
    return f" ({', '.join(parts)})" if parts else ""


def _in_force(r: RuleSummary) -> str:
    if r.valid_from and r.valid_until:
        return f"from {r.valid_from.isoformat()} until {r.valid_until.isoformat()} (exclusive)"
    if r.valid_from:
        return f"from {r.valid_from.isoformat()}"
    if r.valid_until:
        return f"until {r.valid_until.isoformat()} (exclusive)"
    return "always"


def _cell_text(cell: Cell) -> str:
    parts = []
    for i, o in enumerate(cell.outcomes):
        text = _MARK[o.effect] + (f" [`{o.rule}`](#{_anchor(o.rule)})" if o.rule else "")
        if o.obligations:
            text += " + " + ", ".join(o.obligations).replace('"', "`")
        if len(cell.outcomes) > 1:
            if i == 0:
                text += f" until {(o.period.end - dt.timedelta(days=1)).isoformat()}" if o.period.end else ""
            else:
                text = f"from {o.period.start.isoformat()}: " + text if o.period.start else text
        parts.append(text)
    return "; ".join(parts)


_STAGE_TITLES = {"input": "Before generating: the prompt and the uploaded photo (stage `input`)",
                 "output": "The generated image, before it is shown (stage `output`)"}
_STAGE_SHORT = {"input": "Before generating", "output": "Generated image"}


def _anchor(rule_id: str) -> str:
    return f"rule-{rule_id}"


def _render_coverage(report: Report, add: Callable[[str], None]) -> None:
    """Each seed policy: in each place it applies, at each moment, the rules that enforced it in passing
    test cases, and those cases; or NOT COVERED."""
    labels = {p.code: p.label for p in report.places}
    uncovered = len(report.uncovered)
    add("## Which rules enforce each seed policy, and the cases that prove it")
    add("")
    add("For each seed policy (`rulesets/policies.toml`), each place it applies in and each moment, the rules "
        "that decided the passing test cases naming that policy there, and those cases. **NOT COVERED**: no "
        f"passing case proves it. {len(report.coverage) - uncovered} of {len(report.coverage)} cells are covered.")
    add("")
    for seed in report.policies:
        cells = [c for c in report.coverage if c.policy == seed.key]
        add(f"### `{seed.key}`: {_escape(seed.title)}")
        add("")
        add(f"Source: {_escape(seed.source)}. Applies: {', '.join(seed.places)}.")
        add("")
        add("| Place | " + " | ".join(_STAGE_SHORT.get(s, s) for s in STAGES) + " |")
        add("|---|" + "---|" * len(STAGES))
        for code in dict.fromkeys(c.place for c in cells):
            row = {c.stage: c for c in cells if c.place == code}
            add(f"| {_escape(labels.get(code, code))} `{code}` | "
                + " | ".join(_coverage_text(row[s]) if s in row else "" for s in STAGES) + " |")
        add("")


def _coverage_text(cell: CoverageCell) -> str:
    if not cell.covered:
        return "**NOT COVERED**"
    rules = ", ".join(f"[`{r}`](#{_anchor(r)})" if not r.startswith("(") else r for r in cell.rules)
    return f"{rules} (cases: {_escape(', '.join(cell.cases))})"


def _escape(text: str) -> str:
    return text.replace("|", "\\|")
