"""One country's rules: every rule that can apply to a request from it, the global ones included.

Read from the compiled ruleset's jurisdiction index (the same one the engine
plans a request with), so the list is exactly what a decision for that
country considers: rules filed under the country or a set holding it, rules
for any of its regions (a request with no region may be in any), and rules
that apply everywhere.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from jurist.dsl import CompileResult
from jurist.dsl.keywords import EFFECTS

SCOPES = ("everywhere", "country", "region")


@dataclass(frozen=True, slots=True)
class CountryRule:
    """A rule as the country view lists it."""

    id: str
    effect: str
    scope: str                      # everywhere, country (the country itself or a set holding it), region
    places: tuple[str, ...]         # the places it is filed under; () when it applies everywhere
    cite: str
    message: str
    file: str
    line: int
    valid_from: dt.date | None
    valid_until: dt.date | None

    @property
    def source(self) -> str:
        return f"{self.file}:{self.line}"


def rules_for(result: CompileResult, country: str) -> tuple[CountryRule, ...]:
    """Every rule that can apply in `country`, strongest effect first, then as written."""
    graph = result.graph
    if graph is None:
        return ()
    out = []
    for i in graph.candidates(country, None):
        node = graph.rules[i]
        rule = node.rule
        places = tuple(sorted(node.places)) if node.places is not None else ()
        scope = "everywhere" if node.places is None else "country" if country in places else "region"
        out.append((EFFECTS.index(rule.effect), i, CountryRule(
            rule.id, rule.effect, scope, places, rule.cite or "", rule.message or "", rule.file, rule.line,
            rule.valid_from, rule.valid_until)))
    return tuple(r for _, _, r in sorted(out, key=lambda t: (t[0], t[1])))
