"""The report's columns: the places the rulesets name, with their names, and one for everywhere else.

Derived, not listed by hand, so a new `jurisdiction` header or a new country
in a `country in SET` test gets its column: one per header (a set such as the
EU is one column, decided for one of its members), one per country a rule
names outside every header, and first a country no rule names ("Elsewhere"),
which shows what applies everywhere.  Names come from ISO 3166 (pycountry).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, assert_never

from jurist.dsl import ir
from jurist.dsl.places import countries, country_of, enclosing, is_subdivision, name_of

# Groupings that ISO 3166-1 reserves a code for but pycountry does not list as a country.
_GROUP_NAMES = {"EU": "European Union"}


@dataclass(frozen=True, slots=True)
class Place:
    """A column: the place a request is decided from (`country`, `region`) and the codes it stands for."""

    label: str
    country: str
    region: str | None = None
    key: str | None = None             # the column's own code when it stands for a group (`EU`)
    members: tuple[str, ...] = ()      # the codes this column stands for; () with `elsewhere`
    elsewhere: bool = False            # the column for every place no rule names

    @property
    def code(self) -> str:
        return self.key or self.region or self.country


def place_label(code: str) -> str:
    """`US-CA` → `California (United States)`, `AU` → `Australia`; the code itself when ISO 3166 has no name."""
    if is_subdivision(code):
        return f"{name_of(code)} ({name_of(country_of(code)) or country_of(code)})"
    return name_of(code) or code


def derive_places(ruleset: ir.Ruleset, extra: Iterable[str] = ()) -> tuple[Place, ...]:
    """"Elsewhere", then a column per `jurisdiction` header, then per country a rule names outside them,
    then per code in `extra` (places a seed policy names) that none of those stands for."""
    set_names = {codes: name for name, codes in sorted(ruleset.sets.items())}
    headers: list[Place] = []
    claimed: set[str] = set()
    for header in ruleset.jurisdictions:
        if header.codes <= claimed:
            continue
        headers.append(_column(header.written, header.codes, set_names))
        claimed |= header.codes
    named = {code for codes in _locations(ruleset) for code in codes}
    singles = [_column(code, frozenset({code}), set_names)
               for code in sorted(named - claimed, key=lambda c: (is_subdivision(c), c))]
    claimed |= named
    extras = [_column(code, frozenset({code}), set_names) for code in dict.fromkeys(extra) if code not in claimed]
    columns = [*headers, *singles, *extras]
    return (_elsewhere(ruleset, claimed | {c for p in columns for c in p.members}), *columns)


def column_of(places: Iterable[Place], country: str | None, region: str | None) -> Place | None:
    """The column a request from `country`/`region` falls in: the narrowest that stands for it, else
    "Elsewhere" when no column names its country; None when the place is not given."""
    columns = tuple(places)
    if country is None:
        return None
    codes = [*enclosing(region), country] if region else [country]
    for code in codes:
        holding = [p for p in columns if code in p.members]
        if holding:
            return min(holding, key=lambda p: len(p.members))
    return next((p for p in columns if p.elsewhere), None)


def _column(written: str, codes: frozenset[str], set_names: dict[frozenset[str], str]) -> Place:
    members = tuple(sorted(codes))
    probe = members[0]
    country, region = (country_of(probe), probe) if is_subdivision(probe) else (probe, None)
    if len(members) == 1:
        return Place(place_label(probe), country, region, None, members)
    name = set_names.get(codes, written)
    noun = "places" if any(is_subdivision(m) for m in members) else "countries"
    label = f"{_GROUP_NAMES.get(name, name)} ({len(members)} {noun}, decided for {place_label(probe)})"
    return Place(label, country, region, name, members)


def _elsewhere(ruleset: ir.Ruleset, named: set[str]) -> Place:
    """A real country that no rule, set or column names, nor a region of (the first in code order)."""
    taken = named | {c for codes in ruleset.sets.values() for c in codes}
    taken |= {country_of(c) for c in taken}
    code = next(c for c in sorted(countries()) if c not in taken and len(c) == 2 and name_of(c))
    return Place(f"Elsewhere (decided for {place_label(code)})", code, elsewhere=True)


def _locations(ruleset: ir.Ruleset) -> list[frozenset[str]]:
    """The codes of every place test in every rule (headers included; the caller sets those apart)."""
    found: list[frozenset[str]] = []
    for rule in ruleset.rules:
        _collect(rule.condition, found)
    return found


def _collect(cond: ir.Cond, found: list[frozenset[str]]) -> None:
    match cond:
        case ir.Location(_, codes):
            found.append(codes)
        case ir.Not(item):
            _collect(item, found)
        case ir.All(items) | ir.AnyOf(items):
            for c in items:
                _collect(c, found)
        case ir.Equals() | ir.DateCmp() | ir.LabelTest() | ir.PersonTest():
            pass
        case _:
            assert_never(cond)
