"""The coverage statement: for each seed policy, moment and place, the rules that enforce it and the cases
that prove it.

A ruleset's seed policies are listed in its `policies.toml` (read by the
caller; this module takes the parsed document).  A test case names the policy
it proves (`Case.policy`) and its moment (`Case.request.stage`); its place
falls in one of the report's columns.  A cell lists the rules that decided
the passing cases of that policy, moment and column; a cell with none is not
covered.  Pure: the caller runs the cases and hands in their results.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Mapping, Sequence

from jurist.dsl.diagnostics import close_matches, suggestion, visible
from jurist.dsl.places import is_country, is_subdivision

from .cases import CaseResult
from .report_places import Place, column_of
from .report_scenarios import STAGES

EVERYWHERE = "everywhere"
_POLICY_KEYS = frozenset({"key", "title", "source", "places"})


class CatalogueError(ValueError):
    """The seed policies or the cases naming them do not fit together; the message says where and what."""


@dataclass(frozen=True, slots=True)
class SeedPolicy:
    key: str
    title: str
    source: str
    places: tuple[str, ...]  # "everywhere", ISO codes, or set names


@dataclass(frozen=True, slots=True)
class CoverageCell:
    policy: str
    stage: str
    place: str                   # the column's code
    rules: tuple[str, ...]       # the rules that decided its passing cases ("(default)" when none did)
    cases: tuple[str, ...]       # the passing cases' names

    @property
    def covered(self) -> bool:
        return bool(self.cases)


def read_catalogue(document: Mapping[str, Any], where: str) -> tuple[SeedPolicy, ...]:
    """The `[[policy]]` tables of a parsed policies.toml, each checked; CatalogueError names the first problem."""
    items = document.get("policy")
    if not isinstance(items, list) or not items:
        raise CatalogueError(f"{where}: expected `[[policy]]` tables with `key`, `title`, `source` and `places`")
    out: list[SeedPolicy] = []
    for i, item in enumerate(items, 1):
        at = f"{where}: policy {i}"
        if not isinstance(item, Mapping):
            raise CatalogueError(f"{at}: expected a table")
        extra = sorted(k for k in item if k not in _POLICY_KEYS)
        if extra:
            hint = suggestion(close_matches(extra[0], sorted(_POLICY_KEYS)))
            raise CatalogueError(f"{at}: unknown key `{visible(extra[0])}`" + (f"; {hint}" if hint else ""))
        for name in ("key", "title", "source"):
            if not isinstance(item.get(name), str) or not item[name].strip():
                raise CatalogueError(f"{at}: `{name}` must be a non-empty text")
        places = item.get("places")
        if not isinstance(places, list) or not places or not all(isinstance(p, str) for p in places):
            raise CatalogueError(f"{at} (`{visible(item['key'])}`): `places` must be a list such as "
                                 '["everywhere"] or ["GB", "EU"]')
        out.append(SeedPolicy(item["key"], item["title"], item["source"], tuple(places)))
    keys = [p.key for p in out]
    repeated = sorted({k for k in keys if keys.count(k) > 1})
    if repeated:
        raise CatalogueError(f"{where}: policy key `{visible(repeated[0])}` is listed twice")
    return tuple(out)


def place_codes(catalogue: Sequence[SeedPolicy], sets: Mapping[str, frozenset[str]]) -> tuple[str, ...]:
    """The ISO codes the policies name (set names expanded), so the report can give each a column."""
    out: list[str] = []
    for policy in catalogue:
        for place in policy.places:
            out += sorted(sets[place]) if place in sets else [place] if _is_code(place) else []
    return tuple(dict.fromkeys(out))


def policy_coverage(catalogue: Sequence[SeedPolicy], places: Sequence[Place], sets: Mapping[str, frozenset[str]],
                    results: Iterable[CaseResult], where: str = "policies.toml") -> tuple[CoverageCell, ...]:
    """Each policy × moment × column it applies to, with the deciding rules and the passing cases there."""
    columns = {p.key: _columns_of(p, places, sets, where) for p in catalogue}
    keys = [p.key for p in catalogue]
    proved: dict[tuple[str, str, str], tuple[list[str], list[str]]] = {}
    for result in results:
        case = result.case
        if case is None or case.policy is None:
            continue
        if case.policy not in columns:
            hint = suggestion(close_matches(case.policy, keys))
            raise CatalogueError(f"{case.source or 'case'}: case `{visible(case.name)}` names policy "
                                 f"`{visible(case.policy)}`, which {where} does not list"
                                 + (f"; {hint}" if hint else f" (known: {', '.join(keys)})"))
        column = column_of(places, case.request.country, case.request.region)
        if not result.passed or case.request.stage is None or column is None or result.full is None:
            continue
        rules, names = proved.setdefault((case.policy, case.request.stage, column.code), ([], []))
        deciding = None if result.full.default_applied else result.full.deciding_rule
        rule = deciding.id if deciding is not None else "(default)"
        if rule not in rules:
            rules.append(rule)
        names.append(case.name)
    return tuple(CoverageCell(p.key, stage, code, tuple(proved.get((p.key, stage, code), ([], []))[0]),
                              tuple(proved.get((p.key, stage, code), ([], []))[1]))
                 for p in catalogue for code in columns[p.key] for stage in STAGES)


def _columns_of(policy: SeedPolicy, places: Sequence[Place], sets: Mapping[str, frozenset[str]],
                where: str) -> tuple[str, ...]:
    out: list[str] = []
    for place in policy.places:
        if place == EVERYWHERE:
            out += [p.code for p in places]
            continue
        codes = sets.get(place) or (frozenset({place}) if _is_code(place) else None)
        if codes is None:
            known = [EVERYWHERE, *sorted(sets), *(p.code for p in places)]
            hint = suggestion(close_matches(place, known))
            raise CatalogueError(f"{where}: policy `{visible(policy.key)}` names place `{visible(place)}`, which is "
                                 "neither `everywhere`, an ISO 3166 code nor a set the rulesets define"
                                 + (f"; {hint}" if hint else ""))
        group = next((p.code for p in places if p.key == place), None)
        if group is not None:
            out.append(group)
            continue
        for code in sorted(codes):
            column = column_of(places, *((code.split("-", 1)[0], code) if is_subdivision(code) else (code, None)))
            if column is not None:
                out.append(column.code)
    return tuple(dict.fromkeys(out))


def _is_code(place: str) -> bool:
    return is_country(place) or is_subdivision(place)
