"""What the editor offers to complete: labels, set names, place codes and keywords.

Every entry carries the text to insert and a line to show, so a code is
listed with its country's name (`DE  Germany`) while only `DE` is inserted;
typing the name (`Germ`) offers the same code (`Germany  → DE`).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable

from jurist.dsl.keywords import KEYWORDS as GRAMMAR_WORDS
from jurist.dsl.places import countries, subdivisions
from jurist.engine.vocabulary import SCHEMA

# The grammar's own words; `user` and `tier` are offered as the one field they only ever form.
KEYWORDS = tuple(k for k in GRAMMAR_WORDS if k not in ("user", "tier")) + ("user.tier",)


@dataclass(frozen=True, slots=True)
class Entry:
    insert: str
    display: str
    kind: str  # label, set, country, region, keyword, value
    match: str = ""  # what the typed word is matched against, when not the inserted text (a country's name)

    @property
    def key(self) -> str:
        return self.match or self.insert


@lru_cache(maxsize=1)
def fixed_entries() -> tuple[Entry, ...]:
    """Labels, places, keywords and values: the same for every ruleset, so computed once."""
    out = [Entry(k, f"{k}  — {spec.description}", "label") for k, spec in sorted(SCHEMA.labels.items())]
    out += [Entry(f"{cat}:*", f"{cat}:*  — any {cat} label", "label") for cat in sorted(SCHEMA.categories)]
    out += [Entry(code, f"{code}  {name}", "country") for code, name in sorted(countries().items())]
    out += [Entry(code, f"{code}  {name}", "region") for code, name in sorted(subdivisions().items())]
    out += [Entry(code, f"{name}  → {code}", "country", name) for code, name in sorted(countries().items())]
    out += [Entry(k, k, "keyword") for k in KEYWORDS]
    values = sorted({v for vals in SCHEMA.fields.values() for v in vals})
    out += [Entry(v, f"{v}  — value", "value") for v in values]
    return tuple(out)


def set_entries(set_names: Iterable[str]) -> list[Entry]:
    """A ruleset's own set names, sorted."""
    return [Entry(name, f"{name}  — set", "set") for name in sorted(set(set_names))]


def entries(set_names: Iterable[str] = ()) -> list[Entry]:
    """Every completion, the ruleset's own set names first."""
    return set_entries(set_names) + list(fixed_entries())


def matching(prefix: str, pool: Iterable[Entry]) -> list[Entry]:
    """Entries whose key (the insert text, or a country's name) starts with `prefix`, ignoring case
    (codes are upper, labels lower)."""
    p = prefix.lower()
    return [e for e in pool if e.key.lower().startswith(p) and e.insert != prefix]
