"""The solver's analysis, `jurist compare` and counterfactuals: the issue's examples, and each claim checked
against brute force on an exhaustive grid of requests for small random rulesets."""
from __future__ import annotations

import itertools
import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings, strategies as st

import jurist
from jurist.cli import main
from jurist.dsl.comparison import compare
from jurist.engine.vocabulary import SCHEMA

from policy_helpers import compile_text, policy, request

REPO = Path(__file__).resolve().parents[2]


def warnings(text: str) -> dict[str, list[str]]:
    """{code: [message, ...]} of the solver's and the compiler's warnings."""
    out: dict[str, list[str]] = {}
    for d in jurist.compile_sources({"t.policy": text}, analyse=True).warnings:
        out.setdefault(d.code, []).append(d.message)
    return out


# --- the examples ------------------------------------------------------------------

def test_review_that_a_deny_always_beats_is_reported_with_both_locations():
    found = warnings("rule r: review where action = edit and user.tier = free\nrule d: deny where user.tier = free\n")
    assert found["never-decides"] == ["rule `r` can never decide: whenever it matches, `deny d` (t.policy:2) matches too"]


def test_allow_beside_a_deny_of_the_same_place():
    found = warnings("rule jp_ok: allow where country = JP\nrule jp_no: deny where country = JP\n")
    assert found["never-decides"] == [
        "rule `jp_ok` can never decide: whenever it matches, `deny jp_no` (t.policy:2) matches too"]


def test_rule_that_fires_only_on_unknown_input():
    found = warnings("rule odd: deny attire:bikini >= 0.7 not attire:bikini >= 0.6\n")
    assert found["contradictory-thresholds"] == [
        "rule `odd` matches only when `attire:bikini` is unknown (no score of `attire:bikini` is at least 0.7 and "
        "below 0.6): with every input known it never matches"]


def test_set_label_rule_implies_a_narrower_one_in_the_same_places():
    found = warnings("""
set GEO = {AU, KR}
rule geo: deny subject:real_person attire:{bikini, underwear} where country in GEO
rule au: deny subject:real_person attire:underwear where country = AU
""")
    assert found["implied"] == ["rule `au` is implied by `geo` (t.policy:3): whenever it matches, `geo` matches too"]


def test_load_does_not_run_the_analysis_and_the_shipped_rulesets_are_clean():
    text = "rule jp_ok: allow where country = JP\nrule jp_no: deny where country = JP\n"
    assert not jurist.compile_sources({"t.policy": text}).warnings
    assert not jurist.compile_sources(jurist.dsl.read_sources(REPO / "rulesets"), analyse=True).diagnostics


def test_a_pair_the_graph_already_reports_is_not_reported_twice():
    found = warnings("rule broad: deny attire:bikini\nrule narrow: deny attire:bikini where country = GB\n")
    assert "implied" not in found and len(found["shadowed"]) == 1


# --- brute force ------------------------------------------------------------------------------

ATOMS = ("country = GB", "country != FR", "action = edit", "user.tier = free", "attire:bikini >= 0.3",
         "attire:bikini >= 0.6", "not attire:bikini >= 0.6", "subject:real_person", "not subject:real_person")
COUNTRIES = ("GB", "FR", "DE", None)
BIKINI = (0.0, 0.3, 0.45, 0.6, 0.9, None)
REAL = (0.0, 0.9, None)


def grid():
    """Every combination of the inputs the atoms can tell apart, unknowns included."""
    for country, action, tier, bikini, real in itertools.product(COUNTRIES, ("generate", "edit", None),
                                                                 ("free", "paid", None), BIKINI, REAL):
        req = {"surface": "app", "date": "2026-03-01"}
        if country:
            req["country"] = country
        if action:
            req["action"] = action
        if tier:
            req["user"] = {"tier": tier}
        labels = {k: v for k, v in (("attire:bikini", bikini), ("subject:real_person", real)) if v is not None}
        unknown = [k for k, v in (("attire:bikini", bikini), ("subject:real_person", real)) if v is None]
        req["observations"] = {"labels": labels, "unknown": unknown}
        yield req


GRID = list(grid())
rules_strategy = st.lists(st.tuples(st.sampled_from(("deny", "review", "allow")),
                                    st.lists(st.sampled_from(ATOMS), min_size=1, max_size=3, unique=True)),
                          min_size=2, max_size=4)


def ruleset_text(rules) -> str:
    return "".join(f"rule r{i}: {effect} where {' and '.join(atoms)}\n" for i, (effect, atoms) in enumerate(rules))


def decisions(p):
    return [(req, p.decide(req, exhaustive=True)) for req in GRID]


def rule_of(message: str) -> str:
    return message.split("`")[1]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rules_strategy)
def test_every_solver_warning_is_confirmed_on_the_grid(rules):
    text = ruleset_text(rules)
    result = jurist.compile_sources({"t.policy": text}, analyse=True)
    if not result.ok:
        return  # the syntactic pass refused it (e.g. contradictory places): nothing to analyse
    p = jurist.Policy(result)
    seen = decisions(p)
    for d in result.warnings:
        rule = rule_of(d.message)
        if d.code == "never-decides":
            assert not any(rule in dec.rule_ids and dec.effect == p.ruleset.rule(rule).effect for _, dec in seen), d
        elif d.code == "implied":
            other = d.message.split("`")[3]
            assert all(other in dec.rule_ids for _, dec in seen if rule in dec.rule_ids), d
        elif d.code in ("fires-only-on-unknown", "contradictory-thresholds", "never-fires"):
            known = [dec for req, dec in seen if "country" in req and "action" in req and "user" in req
                     and not req["observations"]["unknown"]]
            assert not any(rule in dec.rule_ids for dec in known), d


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rules_strategy, rules_strategy)
def test_compare_agrees_with_the_grid_and_its_witnesses_decide_as_claimed(a_rules, b_rules):
    a = jurist.compile_sources({"t.policy": ruleset_text(a_rules)})
    b = jurist.compile_sources({"t.policy": ruleset_text(b_rules)})
    if not (a.ok and b.ok):
        return
    pa, pb = jurist.Policy(a), jurist.Policy(b)
    found = compare(a.ruleset, b.ruleset, SCHEMA)
    for j in found:
        for diff in j.differences:
            assert pa.decide(diff.witness).effect == diff.before, (j.name, diff)
            assert pb.decide(diff.witness).effect == diff.after, (j.name, diff)
    for req in GRID:
        if "country" not in req:
            continue
        before, after = pa.decide(req).effect, pb.decide(req).effect
        if before == after:
            continue
        places = [j for j in found if (req["country"] in j.codes) or (not j.codes and not any(
            req["country"] in k.codes for k in found))]
        assert places and any(j.found(before, after) for j in places), (req, before, after)
        for j in places:
            if j.b_denies_strictly_more:
                assert not (before == "deny" and after != "deny"), (j.name, req)


# --- compare and counterfactuals from the command line -------------------------------------------------

def test_compare_names_a_request_b_allows_that_a_denied(tmp_path, capsys):
    a, b = tmp_path / "a.policy", tmp_path / "b.policy"
    a.write_text("deny attire:bikini where country = GB\n", encoding="utf-8")
    b.write_text("deny attire:bikini >= 0.8 where country = GB\n", encoding="utf-8")
    assert main(["compare", str(a), str(b), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    gb = next(j for j in doc["jurisdictions"] if j["jurisdiction"] == "GB")
    assert gb["b_allows_what_a_denied"] and not gb["equivalent"]
    witness = next(d["witness"] for d in gb["differences"] if (d["a"], d["b"]) == ("deny", "allow"))
    (tmp_path / "w.json").write_text(json.dumps(witness), encoding="utf-8")
    assert main(["decide", "--rules", str(a), "--request", str(tmp_path / "w.json")]) == 0
    assert json.loads(capsys.readouterr().out)["effect"] == "deny"
    assert main(["decide", "--rules", str(b), "--request", str(tmp_path / "w.json")]) == 0
    assert json.loads(capsys.readouterr().out)["effect"] == "allow"
    assert main(["compare", str(a), str(a)]) == 0
    assert "equivalent" in capsys.readouterr().out


def test_counterfactuals_are_the_smallest_changes_and_decide_as_claimed(tmp_path, capsys):
    p = jurist.load(REPO / "rulesets")
    req = request(country="GB", user={"tier": "paid"}, date="2026-03-01",
                  labels={"subject:real_person": 0.95, "attire:bikini": 0.91})
    decision = p.decide(req)
    assert decision.effect == "deny"
    found = decision.counterfactuals()
    assert found and all(len(c.changes) == 1 for c in found)
    described = {c.describe() for c in found}
    assert "attire:bikini: 0.91 → 0.49  ⇒  allow (the default)" in described
    assert "date: 2026-03-01 → 2026-01-31  ⇒  allow (the default)" in described
    for c in found:
        assert p.trusting_observations().decide(dict(c.request)).effect == c.effect
    (tmp_path / "r.json").write_text(json.dumps(req), encoding="utf-8")
    assert main(["decide", "--rules", str(REPO / "rulesets"), "--request", str(tmp_path / "r.json"),
                 "--explain", "--why-not"]) == 0
    assert "attire:bikini: 0.91 → 0.49" in capsys.readouterr().out


def test_counterfactuals_of_a_decision_read_back_from_json_say_so():
    d = jurist.Decision.from_json(policy("deny where action = edit\n").decide(request(action="edit")).to_json())
    try:
        d.explain(counterfactual=True)
    except ValueError as exc:
        assert "decide the request again" in str(exc)
    else:
        raise AssertionError("expected a ValueError")


def test_compile_text_helper_still_compiles_without_analysis():
    assert compile_text("deny where action = edit\n").ok


def test_analyses_on_several_threads_at_once_each_use_a_context_of_their_own():
    """The editor analyses on worker threads while another analysis runs (or a z3 object is freed) elsewhere;
    z3 is not thread-safe within one context, and sharing the default one crashed the GUI's test run
    (a segmentation fault in Z3_dec_ref)."""
    import gc
    import threading

    import z3

    from jurist.dsl.formulas import Space

    ruleset = compile_text(RULES_FOR_THREADS).ruleset
    spaces = [Space([ruleset], SCHEMA) for _ in range(2)]
    assert spaces[0].ctx is not spaces[1].ctx and z3.main_ctx() not in {s.ctx for s in spaces}
    errors: list[BaseException] = []

    def analyse_repeatedly() -> None:
        try:
            for _ in range(5):
                result = jurist.compile_sources({"r.policy": RULES_FOR_THREADS}, analyse=True)
                assert any(d.code == "never-decides" for d in result.diagnostics)
                gc.collect()
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=analyse_repeatedly) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert errors == [] and not any(t.is_alive() for t in threads)


RULES_FOR_THREADS = ("rule r: review where action = edit and user.tier = free\n"
                     "rule d: deny where user.tier = free\n")
