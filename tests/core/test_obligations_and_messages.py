"""Obligations, messages in the user's language, fail-closed messages and attribution, dates by jurisdiction."""
from __future__ import annotations

import datetime as dt
import json
import textwrap
from pathlib import Path

import pytest

import jurist
from jurist.cli import main
from jurist.engine.cases import Case, CaseError, coverage, judge
from jurist.engine.time_zones import local_today, zone_name

from policy_helpers import compile_text, policy, request

REPO = Path(__file__).resolve().parents[2]

EU_AI_ACT = """
rule marking: allow where action in {generate, edit}
    obligate mark "ai-generated"
    cite "AI Act art. 50(2)"
rule deepfake: allow subject:real_person where action = edit
    obligate disclose "deepfake"
    cite "AI Act art. 50(4)"
rule paid_only: deny where user.tier != paid
    message "Paid subscribers only."
    message pt "Somente para assinantes."
    message pt-PT "Apenas para assinantes."
rule review_nudity: review nudity:partial
"""


# --- obligations ---------------------------------------------------------------------

def test_an_allow_carries_the_obligations_of_every_matched_rule_with_citations():
    d = policy(EU_AI_ACT).decide(request(action="edit", user={"tier": "paid"}, labels={"subject:real_person": 0.9}))
    assert d.effect == "allow"
    assert [(o.kind, o.value, o.rule, o.cite) for o in d.obligations] == [
        ("mark", "ai-generated", "marking", "AI Act art. 50(2)"),
        ("disclose", "deepfake", "deepfake", "AI Act art. 50(4)")]
    assert d.to_json()["obligations"][1] == {"kind": "disclose", "value": "deepfake", "rule": "deepfake",
                                            "cite": "AI Act art. 50(4)"}
    assert jurist.Decision.from_json(json.loads(d.dumps())).obligations == d.obligations


def test_a_review_keeps_the_obligations_of_allow_rules_and_a_deny_drops_them():
    p = policy(EU_AI_ACT)
    reviewed = p.decide(request(action="edit", user={"tier": "paid"}, labels={"nudity:partial": 0.9}))
    assert reviewed.effect == "review"
    assert [o.kind for o in reviewed.obligations] == ["mark"]
    denied = p.decide(request(action="edit", user={"tier": "free"}))
    assert denied.effect == "deny" and denied.obligations == ()


def test_an_obliging_rule_that_cannot_be_checked_obliges_all_the_same():
    d = policy(EU_AI_ACT).decide(request(action="edit", user={"tier": "paid"},
                                         observations={"labels": {}, "unknown": ["subject:real_person"]}))
    assert d.effect == "allow"
    disclose = next(o for o in d.obligations if o.kind == "disclose")
    assert "subject:real_person" in disclose.unverified


def test_unknown_obligation_kind_is_an_error_with_a_suggestion():
    result = compile_text('allow where action = edit obligate discloze "deepfake"\n')
    assert [(d.code, d.help) for d in result.errors] == [("unknown-obligation", "did you mean `disclose`?")]


def test_cases_can_expect_obligations_exactly():
    p = policy(EU_AI_ACT)
    raw = {"name": "edit", "request": request(action="edit", user={"tier": "paid"}),
           "expect": {"effect": "allow", "obligations": [{"kind": "mark", "value": "ai-generated"}]}}
    case = Case.from_json(raw)
    ids = {r.id for r in p.ruleset.rules}
    assert judge(case, p.decide(case.request), p.decide(case.request, exhaustive=True), ids).passed
    raw["expect"]["obligations"] = []
    failing = judge(Case.from_json(raw), p.decide(case.request), p.decide(case.request, exhaustive=True), ids)
    assert failing.problems[0] == "expected obligations none, got mark 'ai-generated'"
    with pytest.raises(CaseError, match="expect.obligations"):
        Case.from_json({**raw, "expect": {"effect": "allow", "obligations": ["mark"]}})


# --- messages ----------------------------------------------------------------------------

@pytest.mark.parametrize("locale, expected", [
    ("pt-BR", "Somente para assinantes."),     # pt-BR is not written: its language is
    ("pt-PT", "Apenas para assinantes."),
    ("pt", "Somente para assinantes."),
    ("de-AT", "Paid subscribers only."),       # no German: the untagged message
    (None, "Paid subscribers only."),
])
def test_message_is_chosen_by_locale_with_a_fallback_chain(locale, expected):
    fields = {"locale": locale} if locale else {}
    d = policy(EU_AI_ACT).decide(request(user={"tier": "free"}, **fields))
    assert d.rules[0].message == expected
    assert d.message == expected


def test_a_malformed_locale_is_refused_with_a_hint():
    d = policy(EU_AI_ACT).decide(request(locale="pt_BR"))
    assert d.effect == "deny"
    assert d.errors == ("locale: `pt_BR` is not a BCP 47 language tag such as `pt-BR`; did you mean `pt-BR`?",)


def test_unknown_language_tag_is_an_error():
    result = compile_text('deny where action = edit message pr-BR "x"\n')
    assert [d.code for d in result.errors] == ["unknown-language"]


def test_checker_warns_when_a_places_official_language_has_no_message():
    result = compile_text('''
        jurisdiction {ID, BE}
        rule ban: deny message "Not available."
            message fr "Indisponible."
    ''')
    (warning,) = [d for d in result.warnings if d.code == "missing-translation"]
    assert "Dutch (`nl`: BE)" in warning.message and "German (`de`: BE)" in warning.message
    assert "Indonesian (`id`: ID)" in warning.message and "French" not in warning.message


def test_no_country_is_denied_with_the_missing_input_not_a_borrowed_message():
    d = jurist.load(REPO / "rulesets").decide({"action": "generate", "user": {"tier": "paid"}, "surface": "app",
                                               "date": "2026-03-01"})
    assert d.effect == "deny"
    assert "Indonesia" not in d.message
    assert d.message == ("This request was refused because it could not be checked: request has no `country`.")
    assert all("Indonesia" not in (r.message or "") for r in d.rules)


def test_an_invalid_request_is_explained_in_the_message():
    d = policy(EU_AI_ACT).decide({"country": "XX"})
    assert d.message == "This request was refused because it is invalid: country: `XX` is not an ISO 3166-1 alpha-2 code."


# --- attribution ---------------------------------------------------------------------------

MINORS = "rule minor_swimwear: deny person(subject:minor attire:bikini)\n"


def test_person_test_without_persons_is_unknown_when_the_image_labels_could_satisfy_it():
    d = policy(MINORS).decide(request(labels={"subject:minor": 0.9, "attire:bikini": 0.9}))
    assert d.effect == "deny"
    assert "no per-person attribution" in d.rules[0].unverified


def test_person_test_without_persons_is_false_when_a_label_fails_at_image_level():
    assert policy(MINORS).decide(request(labels={"subject:minor": 0.9, "attire:bikini": 0.1})).effect == "allow"


def test_a_label_no_detected_person_carries_stands_for_a_person_not_seen():
    """An adult's face was found; a bikini body nobody claims and a child's face: the bikini may be the child's."""
    persons = [{"labels": {"subject:minor": 0.9, "attire:bikini": 0.0}}, {"labels": {"subject:minor": 0.0}}]
    d = policy(MINORS).decide(request(labels={"attire:bikini": 0.9}, persons=persons))
    assert d.effect == "deny" and "`attire:bikini` seen in the image but on no detected person" in d.rules[0].unverified
    # ...but when every label is on some person, the persons are taken as they were detected
    persons[1]["labels"]["attire:bikini"] = 0.9
    assert policy(MINORS).decide(request(labels={"attire:bikini": 0.9}, persons=persons)).effect == "allow"


# --- dates by jurisdiction -------------------------------------------------------------------

def test_today_is_the_date_in_the_requests_zone():
    moment = dt.datetime(2026, 2, 1, 3, 0, tzinfo=dt.timezone.utc)
    assert local_today("GB", None, moment) == (dt.date(2026, 2, 1), "Europe/London")
    assert local_today("US", "US-CA", moment) == (dt.date(2026, 1, 31), "America/Los_Angeles")
    assert local_today("US", None, moment) == (dt.date(2026, 1, 31), "America/New_York")
    assert zone_name("AU", "AU-WA") == "Australia/Perth" and zone_name(None) == "UTC"


def test_a_decision_records_the_date_and_zone_it_used():
    p = policy("deny where date >= 2026-02-01 and country = US\n")
    d = p.decide({"country": "US", "region": "US-CA", "action": "edit", "user": {"tier": "paid"}, "surface": "app"})
    assert (d.date, d.time_zone) == (local_today("US", "US-CA")[0].isoformat(), "America/Los_Angeles")
    given = p.decide(request(country="US", date="2026-01-31"))
    assert (given.date, given.time_zone) == ("2026-01-31", None)


# --- test runs for CI ------------------------------------------------------------------------

def test_coverage_counts_only_genuine_matches(tmp_path):
    p = policy("rule a: deny where country = GB\nrule b: review where action = edit\n")
    cases = tmp_path / "cases.json"
    cases.write_text(json.dumps({"cases": [
        {"name": "no country", "request": {"action": "generate", "user": {"tier": "paid"}, "surface": "app"},
         "expect": {"effect": "deny"}}]}), encoding="utf-8")
    from jurist.engine.cases import load_cases
    from jurist.workbench.cases import run_cases

    run = run_cases(p, load_cases([cases]))
    cov = coverage(["a", "b"], run.results)
    assert cov.unreached == ("a", "b") and cov.fail_closed_only == ("a",)


def test_a_failing_case_shows_unverified_and_matched_rules(tmp_path, capsys):
    rules = tmp_path / "r.policy"
    rules.write_text("rule a: deny where country = GB\n", encoding="utf-8")
    cases = tmp_path / "cases.json"
    cases.write_text(json.dumps({"cases": [{"name": "c", "request": {"action": "edit"}, "expect": {"effect": "allow"}}]}),
                     encoding="utf-8")
    junit = tmp_path / "junit.xml"
    assert main(["test", str(rules), "--cases", str(cases), "--junit", str(junit)]) == 1
    out = capsys.readouterr().out
    assert "expected allow, got deny (fail-closed: a: request has no `country`)" in out
    xml = junit.read_text(encoding="utf-8")
    assert 'tests="1" failures="1"' in xml and "expected allow, got deny" in xml
    assert main(["test", str(rules), "--cases", str(cases), "--json"]) == 1
    doc = json.loads(capsys.readouterr().out)
    assert doc["failed"] == 1 and doc["cases"][0]["rules"][0]["unverified"] == "request has no `country`"
    assert doc["coverage"]["fail_closed_only"] == ["a"]


def test_docs_example_obligation_rule_compiles():
    text = (REPO / "rulesets" / "eu.policy").read_text(encoding="utf-8")
    assert 'obligate disclose "deepfake"' in text and 'obligate mark "ai-generated"' in text
    assert compile_text(textwrap.dedent(EU_AI_ACT)).ok
