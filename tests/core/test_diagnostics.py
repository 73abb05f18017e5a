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
     "rule can never fire: it requires the country to be in `FR` and in `GB` at once", None),
    ("jurisdiction GB\ndeny where country in {ID, MY}\n", 2, 1,
     "rule can never fire: it requires the country to be in `GB` and in {ID, MY} at once",
     "the file's `jurisdiction GB` (line 1) applies to every rule below it in the file"),
    ("deny where date >= 2027-01-01 and date < 2026-01-01\n", 1, 1,
     "rule can never fire: its dates exclude each other (`date >= 2027-01-01` and `date < 2026-01-01`)",
     "`<` and `>` exclude the day they name"),
    ("deny where date >= 2026-02-30\n", 1, 20, "`2026-02-30` is not a valid date", "February 2026 has 28 days"),
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
    assert d.message == "unexpected end of file, expected `{`, a country code or set name, a date such as " \
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


# --- named sets are checked against the fields they are used with --------------------------

@pytest.mark.parametrize("text, line, column, message, help", [
    ("set PAID_ONLY = {edti, generate}\ndeny where action in PAID_ONLY and user.tier != paid\n", 1, 18,
     "unknown action `edti` in set `PAID_ONLY`",
     "did you mean `edit`? (set `PAID_ONLY` is used with `action` at test.policy:2)"),
    ("set ACTS = {edit}\ndeny where surface in ACTS\n", 1, 13, "unknown surface `edit` in set `ACTS`",
     "`surface` takes `app`, `web`, `x`, `api` (set `ACTS` is used with `surface` at test.policy:2)"),
    ('set S = {"edit", "bogus"}\ndeny where action in S\n', 1, 18, "unknown action `bogus` in set `S`",
     "`action` takes `generate`, `edit` (set `S` is used with `action` at test.policy:2)"),
    ("set ACTS = {edit}\nset MORE = {ACTS, app}\ndeny where action in MORE\n", 2, 19, "unknown action `app` in set `MORE`",
     "`action` takes `generate`, `edit` (set `MORE` is used with `action` at test.policy:3)"),
])
def test_set_members_are_checked_against_the_field_they_are_used_with(text, line, column, message, help):
    d = only(text)
    assert (d.line, d.column, d.message, d.help, d.code) == (line, column, message, help, "unknown-value")


def test_a_set_member_wrong_for_two_uses_is_reported_once_per_field():
    result = compile_text("set ACTS = {edit}\nset MORE = {ACTS}\n"
                          "deny where surface in ACTS\ndeny where surface in MORE\ndeny where user.tier in ACTS\n")
    assert [(d.line, d.column, d.message) for d in result.errors] == [
        (1, 13, "unknown surface `edit` in set `ACTS`"), (1, 13, "unknown user.tier `edit` in set `ACTS`")]


def test_undefined_value_set_gets_did_you_mean_and_no_spurious_unused_warning():
    result = compile_text("set ACTIONS = {edit}\ndeny where action in ACTIONZ\n")
    assert [(d.severity, d.message, d.help) for d in result.diagnostics] == [
        ("error", "`ACTIONZ` is not a defined set", "did you mean `ACTIONS`?")]
    d = only("deny where action in FOO\n")
    assert (d.message, d.help) == ("`FOO` is neither a defined set nor a value of `action`",
                                   "`action` takes `generate`, `edit`")
    assert compile_text("set ILLEGAL = {GB}\ndeny where country in ILEGAL\n").warnings == ()


# --- rules that can never fire -------------------------------------------------------------

@pytest.mark.parametrize("text, line, message, help", [
    ("jurisdiction US\ndeny where region = GB-SCT\n", 2,
     "rule can never fire: it requires the country to be in `US` and the region to be in `GB-SCT` at once",
     "the file's `jurisdiction US` (line 1) applies to every rule below it in the file"),
    ("jurisdiction GB\ndeny where country != GB\n", 2,
     "rule can never fire: it requires the country to be in `GB` and the country not to be in `GB` at once",
     "the file's `jurisdiction GB` (line 1) applies to every rule below it in the file"),
    ("deny where country = GB and region = US-CA\n", 1,
     "rule can never fire: it requires the country to be in `GB` and the region to be in `US-CA` at once",
     "a region lies within its own country: `US-CA` is in `US`"),
    ("jurisdiction US-CA\ndeny where region = US-TX\n", 2,
     "rule can never fire: it requires the country to be in `US-CA` and the region to be in `US-TX` at once",
     "the file's `jurisdiction US-CA` (line 1) applies to every rule below it in the file"),
    ("deny where date >= 2026-03-01 until 2026-03-01\n", 1,
     "rule can never fire: its dates exclude each other (`date >= 2026-03-01` and `until 2026-03-01`)",
     "`until` is exclusive: the rule stops applying on that day"),
    ("deny where date > 2026-02-28 until 2026-03-01\n", 1,
     "rule can never fire: its dates exclude each other (`date > 2026-02-28` and `until 2026-03-01`)",
     "`until` is exclusive: the rule stops applying on that day"),
    ("deny where date < 2026-03-01 from 2026-03-01\n", 1,
     "rule can never fire: its dates exclude each other (`from 2026-03-01` and `date < 2026-03-01`)",
     "`<` and `>` exclude the day they name"),
    ("deny where action = edit and action = generate\n", 1,
     "rule can never fire: no `action` passes `action = edit` and `action = generate`", None),
    ("deny where surface = app and surface not in {app, web}\n", 1,
     "rule can never fire: no `surface` passes `surface = app` and `surface not in {app, web}`", None),
])
def test_rules_that_can_never_fire(text, line, message, help):
    d = only(text)
    assert (d.line, d.message, d.help, d.code) == (line, message, help, "never-fires")


@pytest.mark.parametrize("text", [
    "jurisdiction US\ndeny where region = US-CA\n",
    "deny where country = US and country != US-CA\n",
    "jurisdiction GB\ndeny where region != GB-SCT\n",
    "deny where date >= 2026-03-01 until 2026-03-02\n",
    "deny where date > 2026-02-28 and date < 2026-03-02\n",
    "deny attire:bikini where action != edit and action = generate\n",
])
def test_rules_that_can_fire_are_not_reported(text):
    assert compile_text(text).errors == ()


# --- headers and defaults ------------------------------------------------------------------

def test_a_bad_jurisdiction_header_is_reported_once_not_once_per_rule():
    result = compile_text("jurisdiction GBB\ndeny where action = edit\ndeny where action = generate\n"
                          "deny where country = FR\n")
    assert [(d.line, d.message) for d in result.diagnostics] == [
        (1, "`GBB` is neither a defined set nor an ISO 3166 code")]


def test_a_second_jurisdiction_header_in_a_file_is_a_warning():
    d = only("jurisdiction GB\ndeny attire:bikini\njurisdiction FR\ndeny attire:underwear\n", "warning")
    assert (d.line, d.code) == (3, "jurisdiction-replaced")
    assert d.message == "this `jurisdiction` header replaces `jurisdiction GB` (line 1) for the rules below it"
    assert d.help == ("rules below it are limited to FR only; to cover both write `jurisdiction {GB, FR}`, "
                      "or put each in its own file")


def test_a_repeated_default_is_an_error():
    d = only("default deny\ndeny attire:bikini\ndefault deny\n")
    assert (d.line, d.message, d.help) == (3, "`default deny` is given twice",
                                           "first given at test.policy:1; a file states the default once")


# --- syntax errors --------------------------------------------------------------------------

@pytest.mark.parametrize("text, line, column, message, help", [
    ("set X = {GB, FR\ndeny where country in X\n", 1, 9, "`{` is never closed",
     "expected `,` or `}` before the next statement"),
    ("deny where (country = GB\ndeny where country = FR\n", 1, 12, "`(` is never closed",
     "expected `)` before the next statement"),
    ("deny where country in {GB, FR\n", 1, 23, "`{` is never closed", "expected `,` or `}` before the end of the file"),
    ("threshold attire:bikini -0.1\n", 1, 25, "threshold `-0.1` is out of range", "scores and thresholds are between 0 and 1"),
    ("deny attire:bikini >= -0.1\n", 1, 23, "threshold `-0.1` is out of range", "scores and thresholds are between 0 and 1"),
])
def test_syntax_errors_say_what_is_wrong_without_cascades(text, line, column, message, help):
    d = only(text)
    assert (d.line, d.column, d.message, d.help) == (line, column, message, help)


def test_a_statement_cut_short_by_the_next_is_not_called_the_end_of_the_file():
    d = only("deny where country =\ndeny where country = FR\n")
    assert d.message.startswith("unexpected end of statement, expected `{`")
    assert d.help == "a line that starts with `deny`, `rule`, `set` ... begins a new statement"


def test_too_deep_nesting_is_a_diagnostic_not_a_crash():
    text = "deny where " + "(action = edit or " * 300 + "country = GB" + ")" * 300 + "\n"
    d = only(text)
    assert d.message == "conditions nested too deep"
    d = only("deny where " + "not " * 300 + "country = GB\n")
    assert d.message == "conditions nested too deep"
    assert compile_text("deny where " + "(" * 300 + "country = GB" + ")" * 300 + "\n").errors == ()


def test_a_keyword_typo_on_the_next_line_does_not_hide_the_statement_above():
    result = compile_text("deny attire:bikinni\ndefualt deny\n")
    assert [(d.line, d.message.split(",")[0], d.help) for d in result.errors] == [
        (1, "unknown label `attire:bikinni`", "did you mean `attire:bikini`?"),
        (2, "unexpected `defualt`", "did you mean `default`?")]


def test_a_set_used_only_by_a_rule_with_a_syntax_error_is_not_called_unused():
    result = compile_text("set S = {GB}\ndeny where country in S and\n")
    assert result.warnings == ()
    assert len(result.errors) == 1


@pytest.mark.parametrize("text, help", [
    ("rule uk_law review attire:bikini where country = GB\n",
     "a rule name is one word followed by `:`: `rule uk_law: review ...`"),
    ("rule my rule: deny attire:bikini\n", "a rule name is one word: `rule my_rule:`"),
    ("deny where region = UK-ENG\n", "the ISO 3166 code is `GB-ENG` (England)"),
    ("deny from 2025-02-29\n", "2025 is not a leap year: February 2025 has 28 days"),
    ("deny from 2026-04-31\n", "April has 30 days"),
    ('deny attire:bikini cit "x"\n', "did you mean `cite`?"),
    ('deny attire:bikini msg "x"\n', "did you mean `message`?"),
    ("deny attire:bikini allways\n", "did you mean `always`?"),
    ("deny attire:bikini since 2026-01-01\n", "did you mean `from`?"),
    ("deny attire:bikini were country = GB\n", "did you mean `where`?"),
    ("deny attire:bikini cite \u201cOSA\u201d\n", 'texts are written in straight double quotes: "...", not curly ones'),
    ("Deny attire:bikini\n", "keywords are lower case: `deny`"),
    ("deny where Country = GB\n", "keywords are lower case: `country`"),
    ("deny Attire:Bikini\n", "labels are lower case: `attire:bikini`"),
    ("deny where country = Gb\n", "country and region codes are upper case: `GB`"),
    ("deny where region = US-Ca\n", "country and region codes are upper case: `US-CA`"),
    ("deny attire: bikini\n", "a label is written without spaces: `attire:bikini`"),
])
def test_more_mistakes_get_a_helpful_hint(text, help):
    d = only(text)
    assert d.help == help


def test_the_expected_list_names_the_keyword_that_was_probably_meant():
    d = only("deny attire:bikini were country = GB\n")
    assert d.message.startswith("unexpected `were`, expected `where`, ")
    assert not d.message.endswith("...")


def test_a_long_source_line_is_clipped_around_the_error_with_the_caret_aligned():
    text = "deny where country in {" + "GB, " * 2000 + "UK}\n"
    result = compile_text(text)
    _, src, caret, _ = result.render().splitlines()
    assert src.startswith("    …") and len(src) < 120
    assert src[caret.index("^"):caret.index("^") + 2] == "UK"


# --- warnings -------------------------------------------------------------------------------

@pytest.mark.parametrize("text, message, help", [
    ("deny\n", "this rule has no labels and no `where`, so it matches every request",
     "to make `deny` the effect when no rule matches write `default deny`; otherwise add labels or a `where` condition"),
    ("deny attire:bikini >= 0\n", "`attire:bikini >= 0` always holds: every score is at least 0",
     "the test passes whenever the detector runs; give a threshold above 0"),
    ("threshold attire:bikini 0\n", "threshold 0 for `attire:bikini` always holds: every score is at least 0",
     "rules using the label then match whenever its detector runs; give a threshold above 0"),
    ('deny attire:bikini cite ""\n', "empty `cite`", "name the law or policy the rule implements, or leave the clause out"),
    ('deny attire:bikini message " "\n', "empty `message`", "write what the user is told, or leave the clause out"),
])
def test_more_warnings(text, message, help):
    d = only(text, "warning")
    assert (d.message, d.help) == (message, help)


def test_identical_rules_in_two_files_are_a_repeat_not_a_broader_rule():
    import jurist

    rule = "deny attire:bikini where country = GB\n"
    result = jurist.compile_sources({"a.policy": rule, "b.policy": rule})
    (w,) = result.warnings
    assert w.message.startswith("rule `b-") and w.message.endswith("` at a.policy:1")
    assert " repeats rule `a-" in w.message
    assert w.help == "both have the same effect and condition; remove one of them"


def test_a_shadowed_rule_with_its_own_citation_is_told_the_citation_would_be_lost():
    result = compile_text("""\
        rule broad: deny attire:bikini where country in {GB, FR}
        rule narrow: deny attire:bikini where country = GB
            cite "Online Safety Act 2023"
        """)
    (w,) = result.warnings
    assert w.help == ("its own `cite` is only reported by exhaustive decisions; merge it into `broad`, "
                      "or mark this rule `always` to record it whenever it matches")


def test_the_same_default_in_two_files_is_consistent_and_allowed():
    import jurist

    result = jurist.compile_sources({"a.policy": "default deny\n", "b.policy": "default deny\ndeny attire:bikini\n"})
    assert result.errors == ()
