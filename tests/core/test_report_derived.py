"""`jurist report`: rows and columns derived from the rules, and the seed policies' coverage statement."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

import jurist
from jurist.cli import main
from jurist.dsl.places import name_of
from jurist.engine.detectors.prompt_intent import INTENTS, intent_scores
from jurist.engine.report import build_report, render_markdown, to_json
from jurist.engine.report_coverage import CatalogueError, SeedPolicy
from jurist.engine.report_scenarios import PROMPTS, derive_scenarios

ROOT = Path(__file__).resolve().parents[2]


def policy_of(text: str, name: str = "x.policy") -> jurist.Policy:
    return jurist.Policy.from_sources({name: text})


def row(report, stage: str, title_part: str):
    found = [i for i, s in enumerate(report.scenarios) if s.stage == stage and title_part in s.title]
    assert len(found) == 1, [s.title for s in report.scenarios if s.stage == stage]
    return found[0]


def cell(report, stage: str, title_part: str, code: str):
    column = [p.code for p in report.places].index(code)
    return [(o.effect, o.rule) for o in report.matrix[row(report, stage, title_part)][column].outcomes]


# --- rows -------------------------------------------------------------------------

@pytest.mark.parametrize("intent", sorted(PROMPTS))
def test_each_prompt_is_flagged_with_its_intent_by_the_prompt_detector(intent):
    scores = intent_scores(PROMPTS[intent].prompt)
    # at least what the shipped rules ask of it (`evasion_real_person` asks 0.85 of evasion)
    assert scores[intent] >= (0.85 if intent == "intent:evasion" else 0.8), scores
    others = {k: v for k, v in scores.items() if k != intent and v >= 0.5}
    assert not others, others


def test_the_prompt_table_covers_every_intent_the_detector_yields():
    assert set(PROMPTS) == set(INTENTS)


def test_a_new_label_combination_gives_a_new_row_at_both_moments():
    before = policy_of("rule nude: deny subject:real_person nudity:exposed\n")
    after = policy_of("rule nude: deny subject:real_person nudity:exposed\n"
                      "rule child_underwear: review subject:minor attire:underwear\n")
    old = {s.key for s in derive_scenarios(before.ruleset)}
    new = [s for s in derive_scenarios(after.ruleset) if s.key not in old]
    assert sorted(s.stage for s in new) == ["input", "output"]
    assert all(s.request["observations"]["labels"] == {"subject:minor": 0.95, "attire:underwear": 0.95} for s in new)
    assert [s.title for s in new] == ["Paid user: child in underwear (uploaded photo)",
                                      "Paid user: child in underwear (generated image)"]
    report = build_report(after)
    assert cell(report, "output", "child in underwear", report.places[0].code) == [("review", "child_underwear")]


def test_rows_follow_person_tests_exceptions_and_the_fields_rules_test():
    policy = policy_of("rule paid: deny where user.tier != paid\n"
                       "rule kid: deny person(subject:minor attire:bikini)\n"
                       "rule intimate: deny subject:real_person nudity:partial not subject:consenting_self\n"
                       "rule fake: allow subject:real_person where action = edit\n  obligate disclose \"deepfake\"\n")
    scenarios = derive_scenarios(policy.ruleset)
    titles = [s.title for s in scenarios if s.stage == "input"]
    assert "Free user creates an image, nothing sensitive (text to image)" in titles
    assert "Paid user edits a photo, nothing sensitive (uploaded photo)" in titles
    assert "Paid user: a child in a bikini (one person) (uploaded photo)" in titles
    assert "Paid user: real person, partly undressed (uploaded photo)" in titles
    assert ("Paid user: real person, partly undressed; the person shown is the user, with verified consent "
            "(uploaded photo)") in titles
    child = next(s for s in scenarios if "child in a bikini" in s.title)
    assert child.request["observations"] == {"persons": [{"labels": {"subject:minor": 0.95, "attire:bikini": 0.95}}]}
    report = build_report(policy)
    here = report.places[0].code
    assert cell(report, "input", "real person, partly undressed (uploaded", here) == [("deny", "intimate")]
    assert cell(report, "input", "partly undressed; the person shown", here) == [("allow", "fake")]
    # obligations are shown in the cell
    assert "+ disclose `deepfake`" in render_markdown(report)


def test_prompt_rows_carry_a_prompt_the_detector_flags_and_the_output_shows_what_was_asked():
    policy = policy_of("rule ask: review intent:swimwear subject:real_person\n"
                       "rule shown: deny subject:real_person attire:bikini where stage = output\n")
    report = build_report(policy)
    here = report.places[0].code
    asked = "Paid user asks to put a real person in a bikini"
    assert report.scenarios[row(report, "input", asked)].request["prompt"] == PROMPTS["intent:swimwear"].prompt
    assert cell(report, "input", asked, here) == [("review", "ask")]    # the detector flagged the prompt
    assert cell(report, "output", asked, here) == [("deny", "shown")]   # the image shows the bikini asked for
    assert cell(report, "input", "Paid user: real person in a bikini", here) == [("allow", None)]


# --- columns ----------------------------------------------------------------------

def test_columns_are_the_jurisdictions_and_countries_the_rules_name_with_names():
    policy = jurist.Policy.from_sources({
        "eu.policy": "set EU = {FR, DE, IT}\njurisdiction EU\nrule eu_r: deny subject:real_person nudity:partial\n",
        "ca.policy": "jurisdiction US-CA\nrule ca_r: review subject:real_person attire:bikini\n",
        "geo.policy": "set GEO = {AU, KR}\nrule geo_r: deny subject:real_person attire:bikini where country in GEO\n",
    })
    report = build_report(policy)
    places = [(p.code, p.label) for p in report.places]
    assert places[1:] == [("US-CA", "California (United States)"),  # headers in file order, then countries
                          ("EU", "European Union (3 countries, decided for Germany)"),
                          ("AU", "Australia"), ("KR", "South Korea")]
    elsewhere = report.places[0]
    assert elsewhere.elsewhere and elsewhere.label == f"Elsewhere (decided for {name_of(elsewhere.country)})"
    assert elsewhere.country not in {"FR", "DE", "IT", "US", "AU", "KR"}
    assert cell(report, "output", "real person in a bikini", "KR") == [("deny", "geo_r")]
    assert cell(report, "output", "real person in a bikini", elsewhere.code) == [("allow", None)]


def test_the_shipped_columns_name_every_place_the_rules_name():
    report = build_report(jurist.load(ROOT / "rulesets"))
    labels = {p.code: p.label for p in report.places}
    assert labels["EU"].startswith("European Union (27 countries")
    assert labels["US-CA"] == "California (United States)"
    for code in ("AU", "KR", "SA", "AE", "QA", "KW", "GB", "ID", "MY"):
        assert labels[code] == name_of(code)
    assert report.places[0].elsewhere


# --- coverage ---------------------------------------------------------------------

RULES = ("rule nude: deny subject:real_person nudity:exposed\n"
         "set GEO = {AU, KR}\n"
         "rule geo: deny subject:real_person attire:bikini where country in GEO\n")
CATALOGUE = ('[[policy]]\nkey = "nudity"\ntitle = "No nude real people"\nsource = "platform"\nplaces = ["everywhere"]\n'
             '[[policy]]\nkey = "geoblock"\ntitle = "Swimwear geoblock"\nsource = "platform"\nplaces = ["GEO"]\n')


def case(name: str, policy: str, stage: str, country: str, labels: dict, effect: str, rules=()) -> dict:
    return {"name": name, "policy": policy,
            "request": {"action": "edit", "user": {"tier": "paid"}, "country": country, "stage": stage,
                        "observations": {"labels": labels}},
            "expect": {"effect": effect, "rules": list(rules)}}


def ruleset_dir(tmp_path: Path, cases: list[dict], catalogue: str = CATALOGUE) -> Path:
    (tmp_path / "rules.policy").write_text(RULES, encoding="utf-8")
    (tmp_path / "policies.toml").write_text(catalogue, encoding="utf-8")
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "cases.json").write_text(json.dumps({"cases": cases}), encoding="utf-8")
    return tmp_path


NUDE = {"subject:real_person": 0.95, "nudity:exposed": 0.9}
BIKINI = {"subject:real_person": 0.95, "attire:bikini": 0.9}


def test_coverage_lists_the_deciding_rules_and_passing_cases_of_each_cell(tmp_path, capsys):
    cases = [case("nude_au_out", "nudity", "output", "AU", NUDE, "deny", ["nude"]),
             case("nude_jp_in", "nudity", "input", "JP", NUDE, "deny", ["nude"]),
             case("geo_kr_out", "geoblock", "output", "KR", BIKINI, "deny", ["geo"]),
             case("geo_au_wrong", "geoblock", "output", "AU", BIKINI, "allow")]  # fails: proves nothing
    folder = ruleset_dir(tmp_path, cases)
    assert main(["report", str(folder), "-o", str(tmp_path / "r.json")]) == 0
    data = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    cells = {(c["policy"], c["stage"], c["place"]): c for c in data["coverage"]}
    elsewhere = data["places"][0]["code"]
    assert [p["code"] for p in data["places"]] == [elsewhere, "AU", "KR"]
    assert len(cells) == 2 * 3 + 2 * 2  # everywhere: every column; GEO: its two countries; two moments each
    assert cells["nudity", "output", "AU"] | {} == {"policy": "nudity", "stage": "output", "place": "AU",
                                                    "covered": True, "rules": ["nude"], "cases": ["nude_au_out"]}
    assert cells["nudity", "input", elsewhere]["cases"] == ["nude_jp_in"]  # JP: a place no rule names
    assert cells["geoblock", "output", "KR"]["rules"] == ["geo"]
    assert not cells["geoblock", "output", "AU"]["covered"]                 # its only case fails
    assert not cells["nudity", "input", "AU"]["covered"]

    assert main(["report", str(folder), "--require-policy-coverage", "-o", str(tmp_path / "r.json")]) == 1
    err = capsys.readouterr().err
    assert "7 of 10 seed policy cells are not covered" in err
    assert "geoblock at AU, stage output" in err and "nudity at KR, stage input" in err

    main(["report", str(folder), "--markdown", "-o", str(tmp_path / "r.md")])
    text = (tmp_path / "r.md").read_text(encoding="utf-8")
    assert "### `geoblock`: Swimwear geoblock" in text
    assert "| South Korea `KR` | **NOT COVERED** | [`geo`](#rule-geo) (cases: geo_kr_out) |" in text


def test_full_coverage_passes_the_requirement(tmp_path):
    cases = [case(f"nude_{c}_{s}", "nudity", s, c, NUDE, "deny", ["nude"]) for c in ("JP", "AU", "KR")
             for s in ("input", "output")]
    cases += [case(f"geo_{c}_{s}", "geoblock", s, c, BIKINI, "deny", ["geo"]) for c in ("AU", "KR")
              for s in ("input", "output")]
    folder = ruleset_dir(tmp_path, cases)
    assert main(["report", str(folder), "--require-policy-coverage", "-o", str(tmp_path / "r.json")]) == 0


def test_a_case_naming_an_unknown_policy_is_an_error_with_a_suggestion(tmp_path, capsys):
    folder = ruleset_dir(tmp_path, [case("typo", "geoblok", "output", "KR", BIKINI, "deny", ["geo"])])
    assert main(["report", str(folder)]) == 2
    err = capsys.readouterr().err
    assert "case `typo` names policy `geoblok`" in err and "did you mean `geoblock`" in err


def test_a_policy_place_that_names_nothing_is_an_error_with_a_suggestion(tmp_path, capsys):
    folder = ruleset_dir(tmp_path, [case("ok", "nudity", "output", "KR", NUDE, "deny")],
                         CATALOGUE.replace('["GEO"]', '["GOE"]'))
    assert main(["report", str(folder)]) == 2
    err = capsys.readouterr().err
    assert "policy `geoblock` names place `GOE`" in err and "did you mean `GEO`" in err


def test_a_policy_place_no_rule_names_gets_its_own_column():
    report = build_report(policy_of(RULES), catalogue=[SeedPolicy("jp", "Japan's law", "law", ("JP",))])
    assert [p.code for p in report.places][-1] == "JP"
    assert [(c.place, c.stage, c.covered) for c in report.coverage] == [("JP", "input", False),
                                                                         ("JP", "output", False)]
    assert to_json(report)["coverage"][0]["covered"] is False


def test_a_malformed_catalogue_is_an_error(tmp_path, capsys):
    folder = ruleset_dir(tmp_path, [case("ok", "nudity", "output", "KR", NUDE, "deny")],
                         '[[policy]]\nkey = "x"\ntitel = "t"\nsource = "s"\nplaces = ["everywhere"]\n')
    assert main(["report", str(folder)]) == 2
    assert "unknown key `titel`; did you mean `title`" in capsys.readouterr().err
    with pytest.raises(CatalogueError, match="expected `\\[\\[policy\\]\\]` tables"):
        from jurist.engine.report_coverage import read_catalogue
        read_catalogue({}, "p.toml")


# --- what a legal reader reads ------------------------------------------------------

def test_the_doc_answers_a_paid_user_asking_for_a_real_person_in_a_bikini_in_australia():
    """From docs/rulesets.md alone: the row, the column, the cell, and the rule's citation and message."""
    text = (ROOT / "docs" / "rulesets.md").read_text(encoding="utf-8")
    output = text.split("(stage `output`)")[1].split("\n## ")[0]
    header = next(line for line in output.splitlines() if line.startswith("| Request |"))
    columns = [c.strip() for c in header.strip("|").split("|")]
    australia = columns.index("Australia `AU`")
    line = next(line for line in output.splitlines()
                if line.startswith('| Paid user asks to put a real person in a bikini ("put her in a bikini") ('))
    cell_text = [c.strip() for c in line.strip("|").split(" | ")][australia]
    assert cell_text == "**deny** [`geoblock_real_person_swimwear`](#rule-geoblock_real_person_swimwear)"
    rule = text.split('<a id="rule-geoblock_real_person_swimwear"></a>')[1].split("<a id=")[0]
    assert "- **Law or policy:** Platform policy (X Safety, January 2026)" in rule
    assert "- **Tells the user:** Images of real people in swimwear or underwear cannot be created" in rule
