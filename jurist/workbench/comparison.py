"""The solver's comparison of a version with the published one, per jurisdiction (`jurist compare`).

What a submission changes in principle, beside what it changes on cases and logged traffic: for
each place, whether the new version is equivalent, denies strictly more, or allows something the
published one denied, with a request that shows it.  Computed when a version is submitted and kept
with its impact, so every approver reads the comparison its author saw.
"""
from __future__ import annotations

from typing import Any, Sequence

from jurist.db.service import Store
from jurist.dsl.comparison import JurisdictionComparison, compare
from jurist.engine.vocabulary import SCHEMA

from .drafts import Compilations, open_version, published


def comparison_lines(comparison: Sequence[JurisdictionComparison | dict[str, Any]]) -> list[str]:
    """Each jurisdiction's verdicts, and a witness request for each change, for a terminal or a dialog."""
    import json

    out = []
    for item in comparison:
        j = item if isinstance(item, JurisdictionComparison) else JurisdictionComparison.from_json(item)
        out.append(f"  {j.name}: " + "; ".join(j.verdicts()))
        out += [f"    {d.before} → {d.after}, e.g. {json.dumps(d.witness, ensure_ascii=False)}" for d in j.differences]
    return out


def compare_with_published(store: Store, ruleset: str, number: int,
                           compilations: Compilations | None = None) -> tuple[JurisdictionComparison, ...]:
    """Version `number` compared with the published version by the solver (`jurist compare`), per jurisdiction.

    Computed from the stored sources, so the approver sees the same comparison the author saw at
    submit, whenever they look (only the witnesses' dates follow the day); () when nothing is
    published or either text does not compile.
    """
    compilations = compilations or Compilations()
    version, current = open_version(store, ruleset, number), published(store, ruleset)
    if current is None:
        return ()
    new, old = compilations.compile(version.sources), compilations.compile(current.sources)
    if new.ruleset is None or old.ruleset is None:
        return ()
    return tuple(compare(old.ruleset, new.ruleset, SCHEMA))
