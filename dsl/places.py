"""ISO 3166 country and subdivision codes, from pycountry.

`XK` (Kosovo) is a user-assigned code, not in ISO 3166-1, but it is what
platforms and the peers benchmark use; it is accepted and documented as such.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Mapping

import pycountry

EXTRA_COUNTRIES = {"XK": "Kosovo (user-assigned code)"}


@lru_cache(maxsize=1)
def countries() -> Mapping[str, str]:
    """Alpha-2 code → country name."""
    out = {c.alpha_2: getattr(c, "common_name", None) or c.name for c in pycountry.countries}
    out.update(EXTRA_COUNTRIES)
    return out


@lru_cache(maxsize=1)
def subdivisions() -> Mapping[str, str]:
    """ISO 3166-2 code (e.g. `US-CA`) → subdivision name."""
    return {s.code: s.name for s in pycountry.subdivisions}


def subdivisions_of(country: str) -> tuple[str, ...]:
    """The ISO 3166-2 codes of a country's subdivisions (`GB` → `GB-ABC`, ...), none for an unknown code."""
    return _by_country().get(country, ())


@lru_cache(maxsize=1)
def _by_country() -> Mapping[str, tuple[str, ...]]:
    found: dict[str, list[str]] = {}
    for code in subdivisions():
        found.setdefault(country_of(code), []).append(code)
    return {country: tuple(codes) for country, codes in found.items()}


def is_country(code: str) -> bool:
    return code in countries()


def is_subdivision(code: str) -> bool:
    return code in subdivisions()


def country_of(region: str) -> str:
    """The country a subdivision code belongs to (`US-CA` → `US`)."""
    return region.split("-", 1)[0]


@lru_cache(maxsize=1)
def _parents() -> Mapping[str, str]:
    return {s.code: s.parent_code for s in pycountry.subdivisions if getattr(s, "parent_code", None)}


def enclosing(region: str) -> tuple[str, ...]:
    """`region` and each subdivision it lies in, innermost first: `GB-GLG` → (`GB-GLG`, `GB-SCT`).

    ISO 3166-2 gives 1,456 of its 5,046 subdivisions a parent (a council area in
    its nation, an arrondissement in its department), so a rule for the
    parent covers them.
    """
    chain = [region]
    parents = _parents()
    while (parent := parents.get(chain[-1])) is not None and parent not in chain:
        chain.append(parent)
    return tuple(chain)


def name_of(code: str) -> str | None:
    return countries().get(code) or subdivisions().get(code)


@lru_cache(maxsize=1)
def us_states() -> Mapping[str, str]:
    """US states, the district and outlying areas listed as US subdivisions."""
    return {c: n for c, n in subdivisions().items() if c.startswith("US-")}

