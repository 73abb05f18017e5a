"""Which jurisdiction each source file speaks for, read with the grammar's own lexer.

The rulesets tree groups files under the place named by their `jurisdiction`
header; files without one apply everywhere and are listed under "Global".
"""
from __future__ import annotations

from typing import Mapping

from jurist.dsl.lexer import tokens
from .i18n import place_name

GLOBAL = "Global"


def jurisdiction_of(text: str) -> str | None:
    """The text after `jurisdiction` (a code, a set name or a `{…}` literal), or None."""
    toks = [t for t in tokens(text) if t.kind != "comment"]
    for i, tok in enumerate(toks):
        if tok.kind == "keyword" and tok.text == "jurisdiction" and i + 1 < len(toks):
            nxt = toks[i + 1]
            if nxt.text == "{":
                close = next((j for j in range(i + 1, len(toks)) if toks[j].text == "}"), len(toks) - 1)
                return text[nxt.start:toks[close].end]
            return nxt.text
    return None


def describe(place: str) -> str:
    """`GB — United Kingdom` for a code, the place itself otherwise."""
    name = place_name(place)
    return f"{place} — {name}" if name != place else place


def places_by_label(sources: Mapping[str, str]) -> dict[str, str]:
    """{group label: the place its files' headers write} (the inverse of `describe`, for the tree)."""
    out = {}
    for text in sources.values():
        place = jurisdiction_of(text)
        if place:
            out[describe(place)] = place
    return out


def files_by_jurisdiction(sources: Mapping[str, str]) -> dict[str, list[str]]:
    """{jurisdiction label: [file, …]}, Global first, then by label."""
    groups: dict[str, list[str]] = {}
    for path in sorted(sources):
        place = jurisdiction_of(sources[path])
        groups.setdefault(describe(place) if place else GLOBAL, []).append(path)
    return dict(sorted(groups.items(), key=lambda kv: (kv[0] != GLOBAL, kv[0])))
