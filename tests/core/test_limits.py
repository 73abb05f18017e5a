"""Hostile and careless input (issue 15's probe): every limit is a clean diagnostic, work grows
linearly with the input, odd characters cannot crash the help or drive a terminal, and a
ruleset's files cannot reach outside its directory.  Speed itself is measured in
bench/pathological_compile.py, not here."""
from __future__ import annotations

import os
import sys
from pathlib import Path

import lark
import pytest
from policy_helpers import compile_text

import jurist
from jurist.dsl import CompileBudget, IncrementalCompiler, compile_sources, read_sources
from jurist.dsl.diagnostics import render_all
from jurist.engine.vocabulary import SCHEMA

DSL = str(Path(jurist.dsl.__file__).resolve().parent)


# --- the compile budget ------------------------------------------------------------------

def test_a_ruleset_over_the_byte_budget_is_refused_with_one_clean_diagnostic():
    sources = {"a.policy": "deny where country = GB\n" * 10, "big.policy": "deny where country = FR\n" * 20}
    result = compile_sources(sources, SCHEMA, CompileBudget(max_bytes=500))
    (d,) = result.diagnostics
    assert (d.severity, d.code, d.file, d.line) == ("error", "too-large", "big.policy", 1)
    assert d.message == "the ruleset is too large to compile: 720 bytes of text, more than the 500 a compile takes on"
    assert d.help == "`big.policy` is its largest file; split the ruleset, or raise the limit (`CompileBudget(max_bytes=...)`)"
    assert result.ruleset is None and "too large" in result.render()


def test_a_ruleset_over_the_statement_budget_is_refused_before_or_after_parsing():
    budget = CompileBudget(max_statements=10)
    lines = compile_sources({"f.policy": "deny where country = GB\n" * 11}, SCHEMA, budget)
    one_line = compile_sources({"f.policy": "deny " * 11 + "\n"}, SCHEMA, budget)  # eleven rules on one line
    for result in (lines, one_line):
        (d,) = result.diagnostics
        assert d.code == "too-large" and d.message.startswith("the ruleset is too large to compile: 11 statements")
    assert compile_sources({"f.policy": "deny where country = GB\n" * 10}, SCHEMA, budget).ok


def test_the_default_budget_refuses_a_megabyte_of_statements():
    result = jurist.compile_sources({"f.policy": "deny x\n" * 150_000})
    assert [d.code for d in result.diagnostics] == ["too-large"]


def test_the_editor_compiler_keeps_the_same_budget():
    compiler = IncrementalCompiler(SCHEMA, budget=CompileBudget(max_bytes=100))
    result = compiler.compile({"f.policy": "deny where country = GB\n" * 10})
    assert [d.code for d in result.diagnostics] == ["too-large"]
    assert compiler.held_bytes == 0


# --- linear work ------------------------------------------------------------------------

def chars_lexed(monkeypatch, text: str) -> int:
    """How many characters the LALR parser reads to compile `text`: each parse up to its end or its error."""
    read = []
    original = lark.Lark.parse

    def counted(self, t, *args, **kwargs):
        try:
            result = original(self, t, *args, **kwargs)
        except lark.exceptions.UnexpectedInput as err:
            token = getattr(err, "token", None)
            read.append(token.end_pos if token is not None and token.end_pos else getattr(err, "pos_in_stream", len(t)))
            raise
        read.append(len(t))
        return result

    monkeypatch.setattr(lark.Lark, "parse", counted)
    jurist.compile_sources({"f.policy": text})
    monkeypatch.setattr(lark.Lark, "parse", original)
    return sum(read)


def test_syntax_errors_are_parsed_without_reparsing_the_lines_above_them(monkeypatch):
    """Each broken statement was parsed behind one newline per line above it: 16,000 of them took 11.6 s."""
    text = "".join("deny x\n" if i % 25 == 0 else "deny where country = GB\n" for i in range(2000))
    assert chars_lexed(monkeypatch, text) < 4 * len(text)


def dsl_work(text: str) -> int:
    """Lines of the compiler's own code run to compile `text`: a deterministic measure of its work."""
    count = 0

    def line(frame, event, arg):
        nonlocal count
        count += event == "line"
        return line

    def call(frame, event, arg):
        return line if frame.f_code.co_filename.startswith(DSL) else None

    sys.settrace(call)
    try:
        jurist.compile_sources({"f.policy": text})
    finally:
        sys.settrace(None)
    return count


@pytest.mark.parametrize("shape", [
    lambda n: "deny attire:bikini where country = GB\n" * n,  # 8,000 took 9.4 s
    lambda n: "deny " * n + "\n",                             # 10,000 on one line took 12.2 s
])
def test_repeated_rules_cost_linear_work(shape):
    small, large = dsl_work(shape(200)), dsl_work(shape(400))
    assert large < 2.4 * small


def test_identical_rules_all_compile_with_distinct_ids_and_one_warning_each():
    result = compile_text("deny attire:bikini where country = GB\n" * 300)
    ids = [r.id for r in result.ruleset.rules]
    assert len(set(ids)) == 300 and ids[1] == ids[0] + "~2" and ids[-1] == ids[0] + "~300"
    assert [w.code for w in result.warnings] == ["duplicate-rule"] * 299


def test_rendering_cuts_each_file_into_lines_once():
    result = compile_text("deny x\n" * 50)

    class Counting(dict):
        reads = 0

        def get(self, key, default=None):
            Counting.reads += 1
            return super().get(key, default)

    render_all(result.diagnostics, Counting(result.sources))
    assert len(result.diagnostics) == 50 and Counting.reads == 1


def test_past_the_suggestion_budget_unknown_codes_are_reported_without_a_hint():
    """Each unknown code was compared with all 5,046 subdivisions: 1,000 of them took 9.9 s."""
    text = "".join(f"deny where region = Q{chr(65 + i % 26)}-X{i}\n" for i in range(100))
    errors = compile_text(text).errors
    assert [d.code for d in errors] == ["unknown-code"] * 100
    assert errors[0].help is not None and errors[-1].help is None


def test_too_many_syntax_errors_stop_the_file_with_a_clear_error():
    result = compile_text("deny x\n" * 150 + "set S = {GB}\ndeny where country in S\n")
    codes = [d.code for d in result.errors]
    assert codes == ["syntax"] * 100 + ["too-many-errors"]
    assert result.errors[-1].message == "too many syntax errors (100); the rest of the file, from line 101, is not checked"
    assert not result.warnings  # the set below the stop is not called unused, nor its use undefined


# --- line ends the parser does not count ---------------------------------------------------

@pytest.mark.parametrize("char", ["\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029", "\x0b", "\r"])
def test_characters_str_splitlines_takes_for_line_ends_do_not_confuse_the_help(char):
    """Lark ends lines only at `\\n`; the help once cut lines with `splitlines()`: an IndexError or the wrong line."""
    for text in (f"deny attire:bikini{char} deny where\n",
                 f"# note{char}more\ndeny where countr = GB\n"):
        result = compile_text(text)
        rendered = result.render()
        assert result.errors
        first = result.errors[0]
        shown = rendered.split("\n")[1].strip()
        assert shown == text.split("\n")[first.line - 1].replace(char, char.encode("unicode_escape").decode()).strip()


# --- deep structures ---------------------------------------------------------------------

def test_a_chain_of_two_thousand_sets_defined_in_reverse_order_compiles():
    text = "".join(f"set S{i} = {{S{i + 1}, GB}}\n" for i in range(2000)) + "set S2000 = {FR}\ndeny where country in S0\n"
    result = compile_text(text)
    assert result.ok
    assert result.ruleset.sets["S0"] == frozenset({"GB", "FR"})


def test_a_cycle_at_the_end_of_a_long_chain_is_reported_once_as_the_cycle():
    text = "".join(f"set S{i} = {{S{i + 1}}}\n" for i in range(1500)) + "set S1500 = {S1499}\ndeny where country in S0\n"
    (d,) = compile_text(text).errors
    assert d.message == "set `S1499` includes itself" and d.help == "S1499 → S1500 → S1499"


def test_a_comment_after_not_does_not_bypass_the_nesting_limit():
    text = "deny where " + "not#why\n" * 3000 + "country = GB\n"
    (d,) = compile_text(text).errors
    assert (d.line, d.message) == (1, "conditions nested too deep")
    compiler = IncrementalCompiler(SCHEMA)
    compiler.compile({"f.policy": text})
    edited = "deny where country = FR\n" + text  # the editor recompiles: the deep rule moves down a line
    (again,) = compiler.compile({"f.policy": edited}).errors
    assert (again.line, again.message) == (2, "conditions nested too deep")


# --- jurisdiction headers -------------------------------------------------------------------

def test_a_header_for_another_place_than_the_file_is_named_for_is_a_warning():
    (w,) = compile_text("jurisdiction FR\ndeny attire:bikini\n", "gb.policy").warnings
    assert w.code == "jurisdiction-file-name"
    assert w.message == "`gb.policy` is named for `GB`, but its `jurisdiction FR` header limits the rules below it to `FR`"
    assert w.help.startswith("rules under this header never apply in `GB`")


@pytest.mark.parametrize("name, text", [
    ("gb.policy", "jurisdiction GB\ndeny attire:bikini\n"),
    ("gb.policy", "set UKI = {GB, IE}\njurisdiction UKI\ndeny attire:bikini\n"),
    ("us-ca.policy", "jurisdiction US\ndeny attire:bikini\n"),
    ("us/ca.policy", "jurisdiction US-CA\ndeny attire:bikini\n"),  # California, not Canada
    ("eu.policy", "set EU = {FR, DE}\njurisdiction EU\ndeny attire:bikini\n"),
    ("minors.policy", "jurisdiction FR\ndeny attire:bikini\n"),
])
def test_a_header_covering_the_files_place_is_not_a_warning(name, text):
    assert compile_text(text, name).warnings == ()


def test_a_file_in_a_country_folder_is_named_for_the_region():
    (w,) = compile_text("jurisdiction FR\ndeny attire:bikini\n", "us/ca.policy").warnings
    assert w.message.startswith("`us/ca.policy` is named for `US-CA`")


def test_a_rule_above_the_header_is_told_it_applies_everywhere():
    result = compile_text("deny attire:bikini\njurisdiction GB\ndeny nudity:exposed\n", "gb.policy")
    (w,) = result.warnings
    assert (w.code, w.line) == ("rule-above-jurisdiction", 1)
    assert w.message == "this rule is above the file's `jurisdiction GB` header (line 2), so it applies in every country"
    above = result.ruleset.rules[0]
    assert "country" not in jurist.dsl.ir.describe(above.condition)


# --- files and terminals ---------------------------------------------------------------------

def test_a_link_leaving_the_ruleset_directory_is_refused_naming_the_file(tmp_path):
    outside = tmp_path / "secret.txt"
    outside.write_text("root:x:0:0:root:/root:/bin/bash\n")
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "gb.policy").write_text("deny where country = GB\n")
    (rules / "secret.policy").symlink_to(outside)
    with pytest.raises(ValueError) as refused:
        read_sources(rules)
    message = str(refused.value)
    assert message.startswith(f"{rules / 'secret.policy'}: a link to {outside}, outside {rules}")
    assert "root:x" not in message


def test_a_link_inside_the_ruleset_directory_is_read(tmp_path):
    (tmp_path / "gb.policy").write_text("deny where country = GB\n")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "same.policy").symlink_to(Path("..") / "gb.policy")
    assert read_sources(tmp_path) == {"gb.policy": "deny where country = GB\n", "sub/same.policy": "deny where country = GB\n"}


def test_control_characters_in_sources_and_names_are_rendered_escaped():
    name = "e\x1b[2Jvil.policy"
    result = jurist.compile_sources({name: "deny where country = G\x1b[31mB\n"})
    rendered = result.render()
    assert "\x1b" not in rendered and "\u202e" not in rendered
    header, source, caret, *_ = rendered.split("\n")
    assert header.startswith("e\\x1b[2Jvil.policy:1:23: error: unexpected character `\\x1b`")
    assert source == "    deny where country = G\\x1b[31mB"
    assert caret == "    " + " " * 22 + "^~~~"  # under the whole escape
    assert "\x1b" not in str(jurist.CompileError(result.diagnostics, result.sources))


def test_bidirectional_overrides_in_texts_are_shown_not_obeyed():
    result = compile_text('deny attire:bikini cite "\u202e" cite "x"\n')
    assert "\u202e" not in result.render() and "\\u202e" in result.render()


@pytest.mark.skipif(os.name == "nt", reason="Windows file names cannot hold control characters")
def test_a_file_name_with_control_characters_is_escaped_in_read_errors(tmp_path):
    bad = tmp_path / "x\x1b[31m.policy"
    bad.write_bytes(b"deny \xff\n")
    with pytest.raises(ValueError) as refused:
        read_sources(tmp_path)
    assert "\x1b" not in str(refused.value) and "x\\x1b[31m.policy:1:6: not UTF-8 text" in str(refused.value)
