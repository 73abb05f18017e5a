"""The words of the language, each defined once: the effects in their order of strength, and the keywords.

The effects' order is the language's semantics, so it is written here; the keywords are
read from the grammar itself (every alphabetic literal in `jurist.lark`), so a keyword
added to the grammar reaches the editor's highlighting and completion without a second list.
"""
from __future__ import annotations

import re
from importlib import resources
from types import MappingProxyType
from typing import Mapping

EFFECTS: tuple[str, ...] = ("deny", "review", "allow")
"""Strongest first.  A decision takes the strongest effect among the rules that match, and
rules are tried in this order; the ruleset's `default` applies when none matches."""

STRENGTH: Mapping[str, int] = MappingProxyType({effect: len(EFFECTS) - i for i, effect in enumerate(EFFECTS)})
"""Each effect's rank for comparing decisions: `deny` 3 > `review` 2 > `allow` 1."""

GRAMMAR_FILE = "jurist.lark"


def grammar_text() -> str:
    return resources.files("jurist.dsl").joinpath(GRAMMAR_FILE).read_text(encoding="utf-8")


def _grammar_words(grammar: str) -> tuple[str, ...]:
    """Every alphabetic literal of the grammar (`"deny"`, `"where"` ...), in order of first use."""
    code = re.sub(r"//[^\n]*", "", grammar)
    return tuple(dict.fromkeys(re.findall(r'"([a-z]+)"', code)))


KEYWORDS: tuple[str, ...] = _grammar_words(grammar_text())
"""The words the grammar reserves, the effects and request fields included.  `user.tier` is
written with the keywords `user` and `tier`."""

STATEMENT_KEYWORDS: tuple[str, ...] = EFFECTS + ("rule", "set", "default", "jurisdiction", "threshold")
"""The words that begin a statement; a line starting with one of them starts a new statement."""
