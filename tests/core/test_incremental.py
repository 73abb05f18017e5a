"""Re-parsing after an edit reuses unchanged statements and gives exactly what a cold parse gives."""
from __future__ import annotations

import random

import pytest

import jurist
from jurist.dsl import _parse_cached
from jurist.dsl import parser as parser_module

BASE = """\
# GB rules
set ILLEGAL = {GB, US-CA}
jurisdiction GB
rule a: deny attire:bikini subject:real_person
    cite "x"
    message "y"
deny where user.tier != paid
review nudity:exposed >= 0.4
"""


def cold(text: str):
    parser_module._CHUNKS.clear()
    _parse_cached.cache_clear()
    return summary(jurist.compile_sources({"f.policy": text}))


def warm(text: str):
    return summary(jurist.compile_sources({"f.policy": text}))


def summary(result):
    rules = [(r.id, r.source, r.column, repr(r.condition)) for r in result.ruleset.rules] if result.ruleset else None
    return rules, [d.render(result.sources) for d in result.diagnostics]


EDITS = [
    lambda lines: ["# inserted\n"] + lines,
    lambda lines: lines[:3] + ["\n", "\n"] + lines[3:],
    lambda lines: lines[:-1],
    lambda lines: [l.replace("0.4", "0.45") for l in lines],
    lambda lines: [l.replace("deny where", "deyn where") for l in lines],
    lambda lines: [l.replace("attire:bikini", "attire:bikinni") for l in lines],
    lambda lines: lines[4:],  # cut a rule in half: its clauses now stand alone
    lambda lines: lines + ["rule b: deny where country = QQ\n"],
]


@pytest.mark.parametrize("seed", range(6))
def test_a_sequence_of_edits_gives_the_same_result_as_cold_parses(seed):
    rng = random.Random(seed)
    text = BASE * 3
    warm(text)
    for _ in range(6):
        lines = text.splitlines(keepends=True)
        text = "".join(rng.choice(EDITS)(lines)) or "\n"
        expected = cold(text)
        warm(BASE * 3)  # put other chunks in the cache, at other lines
        assert warm(text) == expected


def test_an_edit_reparses_only_the_changed_statement(monkeypatch):
    text = "".join(f"deny attire:bikini >= 0.{i:02d} where country = GB\n" for i in range(10, 90))
    warm(text)
    calls = []
    original = parser_module._parse_piece
    monkeypatch.setattr(parser_module, "_parse_piece", lambda *a: calls.append(a[1]) or original(*a))
    edited = text.replace(">= 0.50", ">= 0.995")
    warm("# moved down one line\n" + edited)
    assert calls == [1, 42]  # the new comment and the edited rule, now on line 42; the 79 others are reused and shifted
