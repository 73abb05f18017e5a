"""The shipped rulesets: their simulation suite, their diagnostics, the regression diff and their generated doc."""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

import jurist
from jurist.cli import main
from jurist.engine.report import Place, build_report, render_markdown, to_json

REPO = Path(__file__).resolve().parents[2]
RULESETS = REPO / "rulesets"
CASES = RULESETS / "tests"
DOC = REPO / "docs" / "rulesets.md"

SURFACES = ("app", "web", "x", "api")
ACTIONS = ("generate", "edit")


def run(capsys, *argv: str) -> tuple[int, str]:
    code = main([str(a) for a in argv])
    out = capsys.readouterr()
    return code, out.out + out.err


def copy_rulesets(tmp_path: Path) -> Path:
    """A copy of the policies only (no cases), to modify."""
    target = tmp_path / "rulesets"
    shutil.copytree(RULESETS, target, ignore=shutil.ignore_patterns("tests", "__pycache__", "*.py"))
    return target


def diff_section(output: str) -> dict[str, str]:
    """{case name: "before -> after"} from the `--baseline` part of `jurist test`."""
    section = output.split("regression diff against", 1)[1]
    return {m.group(1): m.group(2) for m in re.finditer(r"^  (\S+): (\w+ -> \w+)  \(rules", section, re.M)}


@pytest.fixture(scope="module")
def policy():
    return jurist.load(RULESETS)


@pytest.fixture(scope="module")
def cases() -> list[dict]:
    return [c for f in sorted(CASES.glob("*.json")) for c in json.loads(f.read_text(encoding="utf-8"))["cases"]]


# --- the suite -------------------------------------------------------------------

def test_suite_passes_with_full_coverage(capsys, cases):
    code, out = run(capsys, "test", RULESETS, "--require-coverage")
    assert code == 0, out
    total = len(jurist.load(RULESETS).ruleset.rules)
    assert f"coverage: {total}/{total} rules fired in at least one case" in out
    assert "not reached by any case" not in out
    assert out.rstrip().splitlines()[-1] == f"{len(cases)} passed, 0 failed"


def test_every_rule_has_a_firing_case_and_a_near_miss(policy, cases):
    assert len(cases) >= 60
    fires = {r for c in cases for r in c["expect"].get("rules", ())}
    misses = {r for c in cases for r in c["expect"].get("not_rules", ())}
    ids = {r.id for r in policy.ruleset.rules}
    assert ids - fires == set(), "rules no case expects to fire"
    assert ids - misses == set(), "rules with no near-miss case"


def test_cases_cover_every_jurisdiction_tier_surface_and_action(cases):
    requests = [c["request"] for c in cases]
    assert {r.get("user", {}).get("tier") for r in requests} >= {"free", "paid"}
    assert {r.get("surface") for r in requests} >= set(SURFACES)
    assert {r.get("action") for r in requests} >= set(ACTIONS)
    places = {r.get("region") or r.get("country") for r in requests}
    assert places >= {"GB", "ID", "MY", "US-CA", "FR", "AU", "US-TX"}
    assert any(any(ord(ch) > 0x2000 for ch in r.get("prompt", "")) for r in requests), "an obfuscated prompt"


def test_check_is_clean(capsys):
    code, out = run(capsys, "check", RULESETS)
    assert code == 0, out
    assert out.strip().endswith("0 warning(s)"), out
    assert "error" not in out.replace("0 error", "")


def test_suite_fails_when_a_threshold_is_loosened(capsys, tmp_path):
    rules = copy_rulesets(tmp_path)
    minors = rules / "global" / "minors.policy"
    minors.write_text(minors.read_text(encoding="utf-8").replace("threshold subject:minor 0.3", ""), encoding="utf-8")
    code, out = run(capsys, "test", rules, "--cases", CASES)
    assert code == 1
    assert re.search(r"^FAIL  minor_probability_at_ruleset_threshold_0_3_denied ", out, re.M)
    assert re.search(r"^PASS  minor_probability_just_below_0_3_not_a_minor ", out, re.M)


def test_coverage_names_a_rule_no_case_reaches(capsys, tmp_path):
    rules = copy_rulesets(tmp_path)
    (rules / "global" / "extra.policy").write_text(
        'rule nobody_tests_this: deny where country = AQ and action = edit\n    cite "test"\n    message "test"\n', encoding="utf-8")
    code, out = run(capsys, "test", rules, "--cases", CASES, "--require-coverage")
    assert code == 1
    assert "not reached by any case: nobody_tests_this (global/extra.policy:1)" in out


# --- the loophole ------------------------------------------------------------------

@pytest.mark.parametrize("surface", SURFACES)
@pytest.mark.parametrize("action", ACTIONS)
def test_loophole_closed_free_users_denied_on_every_surface(policy, surface, action):
    base = {"action": action, "country": "FR", "surface": surface, "date": "2026-03-01",
            "prompt": "a cat sleeping on a sofa"}
    free = policy.decide({**base, "user": {"tier": "free"}})
    assert free.effect == "deny"
    assert free.deciding_rule.id == "paid_only_image_tools"
    assert policy.decide({**base, "user": {"tier": "paid"}}).effect == "allow"


def test_baseline_diff_shows_the_loophole_closed(capsys, tmp_path):
    """The first version paywalled only the X account; the diff shows app, web and API closing."""
    loophole = copy_rulesets(tmp_path)
    (loophole / "global" / "access.policy").write_text(
        "rule paid_only_image_tools: deny where surface = x and user.tier != paid\n"
        '    cite "first version: X account only"\n    message "paid only on X"\n', encoding="utf-8")
    code, out = run(capsys, "test", loophole, "--cases", CASES)
    assert code == 1, "the suite must catch the loophole"
    for action in ACTIONS:
        for surface in ("app", "web", "api"):
            assert re.search(rf"^FAIL  loophole_closed_free_{action}_on_{surface}_denied ", out, re.M)
        assert re.search(rf"^PASS  loophole_closed_free_{action}_on_x_denied ", out, re.M)

    code, out = run(capsys, "test", RULESETS, "--baseline", loophole)
    assert code == 0, out
    changed = diff_section(out)
    for action in ACTIONS:
        for surface in ("app", "web", "api"):
            assert changed[f"loophole_closed_free_{action}_on_{surface}_denied"] == "allow -> deny"
        assert f"loophole_closed_free_{action}_on_x_denied" not in changed
    assert "paid_generate_on_app_allowed" not in changed


# --- the regression diff ------------------------------------------------------------

GB_CASES = {
    "gb_real_person_bikini_after_offence_starts_denied": "deny -> allow",
    "gb_real_person_underwear_on_start_day_denied": "deny -> allow",
    "gb_scotland_region_covered": "deny -> allow",
    "gb_partial_nudity_denied": "deny -> review",
    "gb_prompt_put_her_in_bikini_denied": "deny -> allow",
    "gb_prompt_french_lingerie_denied": "deny -> allow",
    "adult_in_bikini_beside_clothed_child_in_gb_denied_by_gb_rule_only": "deny -> allow",
    "unknown_country_real_person_bikini_fails_closed": "deny -> deny",  # same effect, fewer rules
    "real_photo_gb_swimwear_edit_of_real_person_denied": "deny -> allow",
    "real_photo_undecodable_image_fails_closed": "deny -> deny",
    "real_photo_free_user_denied_by_the_paywall": "deny -> deny",
    # the policy x moment x place matrix (issue 16): GB's own policy, and the child's bikini GB's rule also denies
    "matrix_minors_output_gb_child_at_beach_bikini_output": "deny -> deny",
    "matrix_gb_intimate_image_input_gb_put_real_person_in_bikini": "deny -> allow",
    "matrix_gb_intimate_image_input_gb_named_person_in_lingerie_text_to_image": "deny -> allow",
    "matrix_gb_intimate_image_output_gb_benign_prompt_underwear_output": "deny -> allow",
    "matrix_gb_intimate_image_output_gb_benign_prompt_partly_undressed_output": "deny -> review",
}


def test_baseline_diff_lists_exactly_the_cases_the_gb_rules_decide(capsys, tmp_path):
    without_gb = copy_rulesets(tmp_path)
    (without_gb / "gb.policy").unlink()
    code, out = run(capsys, "test", without_gb, "--cases", CASES, "--baseline", RULESETS)
    assert code == 1  # cases naming the GB rules now fail
    assert f"regression diff against {RULESETS}: {len(GB_CASES)} case(s) change" in out
    assert diff_section(out) == GB_CASES


def test_baseline_against_itself_changes_nothing(capsys):
    code, out = run(capsys, "test", RULESETS, "--baseline", RULESETS)
    assert code == 0
    assert diff_section(out) == {}


# --- the generated doc --------------------------------------------------------------

def test_every_seed_policy_is_proven_at_both_moments_in_every_place_it_applies(capsys, monkeypatch):
    """Issue 16: each policy of rulesets/policies.toml has a passing case before generating and on the
    generated image, in each place it applies; an uncovered cell makes this exit 1 and name it."""
    monkeypatch.chdir(REPO)
    code, out = run(capsys, "report", "rulesets/", "--require-policy-coverage")
    assert code == 0, out
    report = json.loads(out)
    cells = report["coverage"]
    assert len(cells) >= 94
    assert {c["stage"] for c in cells} == {"input", "output"}
    assert all(c["cases"] for c in cells)


def test_committed_doc_is_freshly_generated(capsys, monkeypatch, tmp_path):
    monkeypatch.chdir(REPO)
    fresh = tmp_path / "rulesets.md"
    code, out = run(capsys, "report", "rulesets/", "--markdown", "-o", fresh)
    assert code == 0, out
    assert DOC.read_text(encoding="utf-8") == fresh.read_text(encoding="utf-8"), \
        "docs/rulesets.md is stale: run `jurist report rulesets/ --markdown -o docs/rulesets.md`"


def test_doc_names_every_rule_and_cite(policy):
    text = DOC.read_text(encoding="utf-8")
    assert text.startswith("# What the shipped rulesets do\n")
    assert "## The policy in plain language" in text.split("## What is blocked where")[0]
    for rule in policy.ruleset.rules:
        assert f"#### `{rule.id}`: {rule.effect}" in text
        assert rule.cite in text


def _row(report, stage, title_part, labels=None):
    """The derived row at `stage` whose title contains `title_part` (and whose labels are exactly `labels`)."""
    found = [s for s in report.scenarios if s.stage == stage and title_part in s.title
             and (labels is None or sorted(s.request.get("observations", {}).get("labels", {})) == sorted(labels))]
    assert len(found) == 1, [s.title for s in found]
    return found[0].key


def test_report_matrix_decided_by_the_engine(policy):
    report = build_report(policy, origin="rulesets/")
    cells = {(s.key, p.code): cell for s, row in zip(report.scenarios, report.matrix)
             for p, cell in zip(report.places, row)}
    codes = [p.code for p in report.places]
    elsewhere = report.places[0].code
    free = _row(report, "input", "Free user creates an image")
    child = _row(report, "input", "a child in a bikini (one person)")
    nude = _row(report, "output", "Paid user: real person, nude")
    harmless = _row(report, "input", "Paid user creates an image, nothing sensitive")
    bikini = _row(report, "input", "Paid user: real person in a bikini", ["subject:real_person", "attire:bikini"])
    for code in codes:
        assert [(o.effect, o.rule) for o in cells[free, code].outcomes] in (
            [("deny", "paid_only_image_tools")], [("deny", "paid_only_image_tools"), ("deny", "id_service_ban")],
            [("deny", "paid_only_image_tools"), ("deny", "my_service_ban")]), code
        assert cells[child, code].outcomes[0].rule == "minor_intimate_attire"
        assert {o.effect for o in cells[nude, code].outcomes} == {"deny"}
    ban = cells[harmless, "ID"].outcomes
    assert [(o.effect, o.rule, o.period.start and o.period.start.isoformat()) for o in ban] == [
        ("allow", None, None), ("deny", "id_service_ban", "2026-01-10")]
    gb = cells[bikini, "GB"].outcomes
    assert [(o.effect, o.rule) for o in gb] == [("allow", None), ("deny", "gb_intimate_image_creation")]
    assert [(o.effect, o.rule) for o in cells[bikini, "AU"].outcomes] == [("deny", "geoblock_real_person_swimwear")]
    assert [o.effect for o in cells[bikini, elsewhere].outcomes] == ["allow"]
    assert json.loads(json.dumps(to_json(report)))["matrix"][0]["scenario"] == report.scenarios[0].key


def test_report_adds_a_column_for_a_jurisdiction_no_place_covers():
    policy = jurist.Policy.from_sources({"jp.policy": 'jurisdiction JP\nrule jp_rule: deny\n  cite "c"\n  message "m"\n'})
    report = build_report(policy, places=[Place("Elsewhere", "BR")])
    assert [p.code for p in report.places] == ["BR", "JP"]
    assert report.milestones == ()
    assert [o.effect for o in report.matrix[0][1].outcomes] == ["deny"]
    assert "| Request | Elsewhere `BR` | JP `JP` |" in render_markdown(report)
