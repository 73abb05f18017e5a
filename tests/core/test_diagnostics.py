"""Every diagnostic the checker gives: its wording, its position and its help line."""
from __future__ import annotations

import pytest
from policy_helpers import compile_text


def only(text: str, severity: str = "error"):
    found = [d for d in compile_text(text).diagnostics if d.severity == severity]
    assert len(found) == 1, [d.message for d in found]
    return found[0]


@pytest.mark.parametrize("text, line, column, message, help", [
    ("deny attire:bikinni where country = GB\n", 1, 6, "unknown label `attire:bikinni`", "did you mean `attire:bikini`?"),
    ("deny atire:bikini\n", 1, 6, "unknown label category `atire`", "did you mean `attire`?"),
    ("deny where country = FRR\n", 1, 22, "`FRR` is neither a defined set nor an ISO 3166 code", "did you mean `FR`?"),
    ("deny where country = QQ\n", 1, 22, "unknown country code `QQ`", None),
    ("deny where region = US-CX\n", 1, 21, "unknown region code `US-CX`", "did you mean `US-TX`?"),
    ("set ILLEGAL = {GB}\ndeny where country in ILEGAL\n", 2, 23, "`ILEGAL` is neither a defined set nor an ISO 3166 code",
     "did you mean `ILLEGAL`?"),
    ("deny where date = GB\n", 1, 19, "type mismatch: `date` is compared with a date such as `2026-01-31`, not `GB`", None),
    ("deny where country = 2026-01-01\n", 1, 22,
     "type mismatch: `country` is compared with country or region codes, not a date", None),
    ("deny where action = edti\n", 1, 21, "unknown action `edti`", "did you mean `edit`?"),
    ("deny where user.tier = payed\n", 1, 24, "unknown user.tier `payed`", "did you mean `paid`?"),
    ("deny where country = gb\n", 1, 22, "`gb` is not a country or region code", "country and region codes are upper case: `GB`"),
    ("deny where country < GB\n", 1, 12,
     "`<` only compares dates; `country` is compared with `=`, `!=`, `in` or `not in`", None),
    ("set S = {GB}\ndeny where country = S\n", 2, 22, "`country =` compares with one value, but `S` is a set",
     "write `country in S`"),
    ("deny where date in {GB}\n", 1, 12, "`in` does not apply to `date`; compare it with `<`, `>=` ...", None),
    ("deny where tier = paid\n", 1, 12, "unknown field `tier`", "did you mean `user.tier`?"),
    ("deny where region = US\n", 1, 21, "`US` is a country; `region` takes subdivision codes such as `US-CA`",
     "to match the whole country write `country = US`"),
    ("deny where country in {}\n", 1, 23, "empty set: this test can never match", None),
    ("set E = {}\ndeny where country in E\n", 1, 5, "set `E` is empty, so a rule using it can never fire", None),
    ("set S = {GB}\nset S = {FR}\ndeny where country in S\n", 2, 5, "set `S` is defined twice", "first defined at test.policy:1"),
    ("set FR = {GB}\n", 1, 5, "set name `FR` is an ISO code",
     "choose a name that is not a country or region code, such as `FR_SET`"),
    ("set A = {B}\nset B = {A}\ndeny where country in A\n", 1, 5, "set `A` includes itself", "A → B → A"),
    ("set M = {GB, edit}\ndeny where country in M\n", 1, 5, "set `M` mixes place codes and values",
     "a set holds either country/region codes or values such as `edit`"),
    ("set W = {edit}\ndeny where country in W\n", 2, 23, "set `W` holds values, not country or region codes", None),
    ("set P = {GB}\ndeny where action in P\n", 2, 22,
     "type mismatch: set `P` holds place codes, but `action` takes values", None),
    ("default deny\ndefault allow\n", 2, 9, "conflicting default: `default allow` here but `default deny` at test.policy:1",
     "a ruleset has one default"),
    ("threshold nudity:exposed 0.4\nthreshold nudity:exposed 0.6\n", 2, 11, "threshold for `nudity:exposed` is set twice",
     "first set at test.policy:1"),
    ("rule a: deny where country = GB\nrule a: deny where country = FR\n", 2, 6, "rule `a` is defined twice",
     "first defined at test.policy:1"),
    ('rule a: deny where country = GB cite "x" cite "y"\n', 1, 47, "`cite` is given twice for this rule", None),
    ("deny where country = GB from 2027-01-01 until 2026-01-01\n", 1, 47,
     "rule can never be in force: `from 2027-01-01` is not before `until 2026-01-01`",
     "`until` is exclusive: the rule stops applying on that day"),
    ("deny where country = FR and country = GB\n", 1, 1,
     "rule can never fire: it requires the country to be in `FR` and in `GB` at once",
     "check the file's `jurisdiction` header and the rule's `country` test"),
    ("jurisdiction GB\ndeny where country in {ID, MY}\n", 2, 1,
     "rule can never fire: it requires the country to be in `GB` and in {ID, MY} at once",
     "check the file's `jurisdiction` header and the rule's `country` test"),
    ("deny where date >= 2027-01-01 and date < 2026-01-01\n", 1, 1,
     "rule can never fire: its dates exclude each other (2027-01-01 is after 2026-01-01)", None),
    ("deny where date >= 2026-02-30\n", 1, 20, "`2026-02-30` is not a valid date", "dates are written YYYY-MM-DD"),
    ("deny nudity:exposed >= 1.5\n", 1, 24, "threshold `1.5` is out of range", "scores and thresholds are between 0 and 1"),
])
def test_error(text, line, column, message, help):
    d = only(text)
    assert (d.line, d.column, d.message, d.help) == (line, column, message, help)


def test_syntax_error_says_what_was_expected_and_why():
    d = only("deny nudity:exposed > 0.4\n")
    assert (d.line, d.column) == (1, 21)
    assert d.message.startswith("unexpected `>`, expected ")
    assert "`>=`" in d.message
    assert d.help == "a label threshold is written `label >= 0.7`"


def test_syntax_error_at_end_of_file():
    d = only("deny where country =\n")
    assert d.message == "unexpected the end of the file, expected `{`, a country code or set name, a date such as " \
                        "`2026-01-31`, a quoted text such as `\"...\"` or a value"


def test_unterminated_string_is_reported_at_its_quote():
    d = only('rule a: deny where country = GB cite "Online Safety Act\n')
    assert (d.line, d.column) == (1, 38)
    assert d.message.startswith("unexpected character `\"`")


def test_every_error_in_a_file_is_reported_not_just_the_first():
    result = compile_text("""\
        deny nudity:exposed > 0.4
        deny attire:bikinni where country = GB
        allow where action = edti
        deny where country = QQ and
        review where user.tier = paid
        """)
    lines = sorted(d.line for d in result.errors)
    assert lines == [1, 2, 3, 4]
    assert result.ruleset is None and result.graph is None


@pytest.mark.parametrize("text, message, help", [
    ("set S = {GB}\n", "set `S` is never used", None),
    ("deny where region in {US-CA, GB}\n", "`region` never equals a country code: GB will not match",
     "use `country` to cover a whole country"),
    ("deny person(subject:consenting_self)\n",
     "label `subject:consenting_self` is never attributed to a single person, so `person(...)` only sees it when the "
     "caller gives it per person", None),
    ("deny where country = GB\ndeny where country = GB\n", "this rule repeats an identical rule",
     "first written at test.policy:1"),
])
def test_warning(text, message, help):
    d = only(text, "warning")
    assert (d.message, d.help) == (message, help)


def test_shadowed_rule_is_a_warning_naming_the_broader_rule():
    result = compile_text("""\
        rule broad: deny attire:bikini >= 0.5 where country in {GB, FR}
        rule narrow: deny attire:bikini >= 0.8 where country = GB and user.tier = free
        rule other_effect: review attire:bikini >= 0.8 where country = GB
        """)
    (w,) = result.warnings
    assert w.code == "shadowed"
    assert w.message == "rule `narrow` is shadowed by `broad` (test.policy:1), which has the same effect and a broader condition"
    assert w.line == 2


def test_rendering_is_gcc_style_with_source_line_and_caret():
    result = compile_text("deny attire:bikinni where country = GB\n", "gb.policy")
    assert result.render() == (
        "gb.policy:1:6: error: unknown label `attire:bikinni`\n"
        "    deny attire:bikinni where country = GB\n"
        "         ^~~~~~~~~~~~~~\n"
        "  help: did you mean `attire:bikini`?"
    )


@pytest.mark.parametrize("text, help", [
    ("deny attire:bikini country = GB\n", "conditions on the request start with `where`: `... where country ...`"),
    ("deny attire:bikini and subject:real_person\n",
     "labels after the effect all have to hold, with no `and` between them: `deny attire:bikini subject:real_person`; "
     "conditions go after `where`"),
    ("deney where country = GB\n", "did you mean `deny`?"),
    ("rule uk intimate: deny where country = GB\n", "a rule name is one word: `rule uk_intimate:`"),
    ("deny where country = GB cite Online Safety Act\n", 'texts are written in double quotes: "Online Safety Act"'),
    ("deny where country = GB cite 'OSA'\n", 'texts are written in double quotes: "..."'),
    ("deny where country in (GB, FR)\n", "sets are written with braces: `{GB, FR}`"),
    ("allow where country = United Kingdom\n", "countries are written as ISO codes: `GB` for United Kingdom"),
    ("deny nudity:exposed >= 50%\n", "scores and thresholds are between 0 and 1: write `0.5`, not `50%`"),
    ("deny where country = IN AND country = NO\n",
     "keywords are lower case; upper-case `AND` is read as a country code or set name"),
    ("deny where country = UK\n", "the ISO 3166 code is `GB` (United Kingdom)"),
    ("deny where country = EU\n",
     "`EU` is not a country code; name the member states in a set: `set EU = {AT, BE, BG, ...}`"),
    ("set S = {gb, fr}\ndeny where country in S\n", "country and region codes are upper case: `{FR, GB}`"),
])
def test_common_mistakes_get_a_helpful_hint(text, help):
    d = only(text)
    assert d.help == help
