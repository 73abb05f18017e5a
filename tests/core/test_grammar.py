"""The language's forms parse exactly as the foundation issue writes them."""
from __future__ import annotations

from jurist.dsl.parser import parse

from policy_helpers import compile_text

ISSUE_FORMS = """\
# comment
set ILLEGAL = {GB, FR, US-CA}          # ISO 3166-1 alpha-2 or ISO 3166-2 codes
default allow                          # or: default deny (default is allow)

deny attire:bikini subject:real_person where country in ILLEGAL
deny nudity:* subject:minor
deny attire:{bikini, underwear} not subject:consenting_self where region in {US-CA} or country = GB
deny where country in {ID, MY}                        # a rule may have no labels
allow where action = edit and user.tier = paid and date >= 2026-01-15
review nudity:exposed >= 0.4 where user.tier != paid
deny person(subject:minor attire:{bikini, underwear})  # both labels must hold for the SAME detected person

rule uk_intimate_image: deny attire:{bikini, underwear} subject:real_person where country = GB
    cite "Online Safety Act 2023, s.66B"
    message "Images of real people in underwear or swimwear cannot be created in the United Kingdom."
    from 2026-02-01
    until 2030-01-01
"""


def test_every_form_from_the_issue_compiles_cleanly():
    result = compile_text(ISSUE_FORMS)
    assert result.errors == ()
    assert len(result.ruleset.rules) == 8
    uk = result.ruleset.rule("uk_intimate_image")
    assert uk.cite == "Online Safety Act 2023, s.66B"
    assert uk.message.startswith("Images of real people")
    assert str(uk.valid_from) == "2026-02-01" and str(uk.valid_until) == "2030-01-01"
    assert uk.source == "test.policy:13"


def test_jurisdiction_header_applies_to_rules_below_it():
    result = compile_text("deny where country = FR\njurisdiction GB\ndeny attire:bikini\n")
    first, second = result.ruleset.rules
    assert "GB" not in str(first.condition)
    assert "Location(field='country', codes=frozenset({'GB'}))" in repr(second.condition)


def test_country_codes_that_look_like_words_are_codes():
    result = compile_text("set S = {IN, NO, IS, NA}\ndeny where country in S\ndeny where country = IN or country = NO\n")
    assert result.errors == ()
    assert result.ruleset.sets["S"] == frozenset({"IN", "NO", "IS", "NA"})


def test_keywords_are_lower_case_only():
    result = compile_text("deny where country = IN AND country = NO\n")
    assert any("keywords are lower case" in (d.help or "") for d in result.errors)


def test_conditions_may_wrap_across_lines_and_use_parentheses():
    result = compile_text("""\
        deny attire:bikini
            where (country = GB or region = US-CA)
              and not (user.tier = paid and action = edit)
        """)
    assert result.errors == ()


def test_double_equals_and_quoted_values_are_accepted():
    result = compile_text('deny where country == GB and action = "edit" and surface in {"app", web}\n')
    assert result.errors == ()


def test_every_node_carries_its_span():
    source, errors = parse("deny attire:bikini >= 0.7 where country = GB\n", "a.policy")
    assert errors == []
    (rule,) = source.statements
    label = rule.terms[0]
    assert (label.span.line, label.span.column) == (1, 6)
    assert (rule.where.span.line, rule.where.span.column) == (1, 33)


def test_a_byte_order_mark_at_the_start_of_a_file_is_ignored():
    result = compile_text("\ufeffdeny attire:bikinni where country = GB\n", "gb.policy")
    (d,) = result.errors
    assert (d.line, d.column, d.message) == (1, 6, "unknown label `attire:bikinni`")
    assert result.render().splitlines()[1:3] == ["    deny attire:bikinni where country = GB",
                                                 "         ^~~~~~~~~~~~~~"]
    assert compile_text("\ufeffdeny where country = GB\n").errors == ()


def test_quoted_codes_and_dates_read_as_if_written_bare():
    quoted = compile_text('deny where country = "GB" or region = "US-CA" or country in {"FR", "DE"}\n'
                          'deny where date > "2026-01-01" and action = "edit"\n')
    bare = compile_text("deny where country = GB or region = US-CA or country in {FR, DE}\n"
                        "deny where date > 2026-01-01 and action = edit\n")
    assert quoted.errors == ()
    assert [r.condition for r in quoted.ruleset.rules] == [r.condition for r in bare.ruleset.rules]
    assert compile_text('set S = {"GB", "FR"}\ndeny where country in S\n').ruleset.sets["S"] == {"GB", "FR"}


def test_parentheses_around_one_operand_add_no_node():
    source, errors = parse("deny where ((country = GB))\n")
    assert errors == []
    assert type(source.statements[0].where).__name__ == "Compare"


def test_keywords_and_effects_are_the_grammars_own():
    """`jurist.dsl.KEYWORDS` and `EFFECTS` are what the parser itself accepts, so the editor cannot drift."""
    import re

    from jurist.dsl import EFFECTS, KEYWORDS, STRENGTH
    from jurist.dsl.ast_builder import grammar_parser

    words: set[str] = set()
    for terminal in grammar_parser().terminals:
        pattern = terminal.pattern
        if pattern.type == "str" and pattern.value.isalpha():
            words.add(pattern.value)
        elif re.fullmatch(r"\(\?:[a-z|]+\)", pattern.value):  # a terminal of alternative words: EFFECT, FIELD
            words.update(pattern.value[3:-1].split("|"))
    assert set(KEYWORDS) == words
    effect = grammar_parser().get_terminal("EFFECT").pattern.value
    assert set(EFFECTS) == set(effect[3:-1].split("|"))
    assert [STRENGTH[e] for e in EFFECTS] == sorted(STRENGTH.values(), reverse=True)  # strongest first
