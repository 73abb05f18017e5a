"""The editor's incremental compiler: it reuses unchanged files and statements, stays within its
memory bound, and gives exactly what a cold `compile_sources` gives.  A process that only serves
decisions keeps no parse at all."""
from __future__ import annotations

import gc
import random

import pytest

import jurist
from jurist.dsl import IncrementalCompiler, nodes, parser
from jurist.engine.vocabulary import SCHEMA

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


def summary(result):
    rules = [(r.id, r.source, r.column, repr(r.condition)) for r in result.ruleset.rules] if result.ruleset else None
    return rules, [d.render(result.sources) for d in result.diagnostics]


def cold(text: str):
    return summary(jurist.compile_sources({"f.policy": text}))


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
def test_a_sequence_of_edits_gives_the_same_result_as_cold_compiles(seed):
    rng = random.Random(seed)
    compiler = IncrementalCompiler(SCHEMA)
    text = BASE * 3
    compiler.compile({"f.policy": text})
    for _ in range(6):
        lines = text.splitlines(keepends=True)
        text = "".join(rng.choice(EDITS)(lines)) or "\n"
        compiler.compile({"f.policy": BASE * 3})  # put other statements in its memory, at other lines
        assert summary(compiler.compile({"f.policy": text})) == cold(text)


def counting_parses(monkeypatch) -> list[tuple[int, str]]:
    """(first line, text) of each text the parser is given from now on."""
    calls: list[tuple[int, str]] = []
    original = parser.parse_statements

    def counted(text, file, first_line=1):
        calls.append((first_line, text))
        return original(text, file, first_line)

    monkeypatch.setattr(parser, "parse_statements", counted)
    return calls


def test_an_edit_reparses_only_the_changed_statement(monkeypatch):
    compiler = IncrementalCompiler(SCHEMA)
    text = "".join(f"deny attire:bikini >= 0.{i:02d} where country = GB\n" for i in range(10, 90))
    compiler.compile({"f.policy": text})
    calls = counting_parses(monkeypatch)
    edited = "# moved down one line\n" + text.replace(">= 0.50", ">= 0.995")
    result = compiler.compile({"f.policy": edited})
    # the new comment and the edited rule, now on line 42; the 79 others are reused and moved
    assert [line for line, _ in calls] == [1, 42]
    assert summary(result) == cold(edited)


def test_an_unchanged_file_is_not_parsed_again(monkeypatch):
    compiler = IncrementalCompiler(SCHEMA)
    sources = {"a.policy": BASE * 20, "b.policy": "deny where country = FR\n"}
    compiler.compile(sources)
    calls = counting_parses(monkeypatch)
    edited = {**sources, "b.policy": "deny where country = DE\n"}
    result = compiler.compile(edited)
    assert calls == [(1, "deny where country = DE\n")]
    assert summary(result) == summary(jurist.compile_sources(edited))


def test_its_memory_stays_within_its_byte_bound():
    bound = 50_000
    compiler = IncrementalCompiler(SCHEMA, max_bytes=bound)
    for i in range(12):  # 12 distinct files of about 20 KB each
        text = "".join(f"rule r{i}_{k}: deny attire:bikini >= 0.{k % 90 + 10} where country = GB\n" for k in range(300))
        assert summary(compiler.compile({"f.policy": text})) == cold(text)
        assert compiler.held_bytes <= bound
    assert compiler.held_bytes > bound // 4  # it still remembers the recent statements


def test_a_file_larger_than_its_bound_is_compiled_but_not_kept():
    compiler = IncrementalCompiler(SCHEMA, max_bytes=1000)
    text = "deny where country = GB\n" * 200
    assert summary(compiler.compile({"f.policy": text})) == cold(text)
    assert compiler.held_bytes <= 1000


def ast_rules() -> int:
    gc.collect()
    return sum(isinstance(o, nodes.Rule) for o in gc.get_objects())


def test_compile_sources_keeps_no_parse():
    """A serving process compiles once; the parse of a large ruleset must not stay behind in a cache."""
    before = ast_rules()
    text = "".join(f"rule r{k}: deny attire:bikini where country = GB and action = edit\n" for k in range(2000))
    result = jurist.compile_sources({"big.policy": text})
    assert result.ok and len(result.ruleset.rules) == 2000
    assert ast_rules() - before < 10  # the compiled IR and graph remain, the syntax trees do not


def test_a_policy_is_built_without_the_editors_memory():
    text = "".join(f"rule r{k}: deny attire:bikini where country = GB\n" for k in range(200))
    policy = jurist.Policy.from_sources({"f.policy": text})
    assert policy.decide({"country": "GB", "observations": {"labels": {"attire:bikini": 0.9}}}).effect == "deny"
    gc.collect()
    assert not [o for o in gc.get_objects() if isinstance(o, IncrementalCompiler)]
