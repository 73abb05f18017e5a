"""The compile check the store is given: sources in, the compiler's verdict out.

The store decides that only compiling sources enter review but does not know
the language; this is the check it is handed (`Store.open(..., check=compile_check)`).
"""
from __future__ import annotations

from typing import Mapping

from jurist.db.records import CheckResult


def compile_check(sources: Mapping[str, str]) -> CheckResult:
    """Compile `sources` against the engine's label vocabulary; errors fail, warnings do not."""
    from jurist.dsl import compile_sources  # imported on first use: listing users needs no compiler
    from jurist.engine.vocabulary import SCHEMA

    result = compile_sources(dict(sources), SCHEMA)
    places = tuple((r.rule.id, r.rule.source, tuple(sorted(r.places)) if r.places is not None else None)
                   for r in result.graph.rules) if result.graph is not None else ()
    return CheckResult(ok=bool(result.ok), diagnostics=tuple(result.diagnostics), rendered=result.render(),
                       rule_places=places)
