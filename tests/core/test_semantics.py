"""The decision semantics a rule author relies on."""
from __future__ import annotations

import json

import pytest

import jurist
from jurist.engine import Decision, Request

from policy_helpers import CountingDetector, policy, request

# --- effects ------------------------------------------------------------------

def test_strongest_effect_wins_deny_over_review_over_allow_over_default():
    p = policy("""\
        default deny
        rule a: allow where country = FR
        rule r: review where user.tier = free
        rule d: deny where action = edit
        """)
    assert p.decide(request()).effect == "review"
    assert p.decide(request(action="edit")).effect == "deny"
    assert p.decide(request(user={"tier": "paid"})).effect == "allow"
    d = p.decide(request(country="GB", user={"tier": "paid"}))
    assert d.effect == "deny" and d.default_applied and d.rules == ()


def test_default_is_allow_when_not_stated():
    d = policy("deny where country = GB\n").decide(request())
    assert (d.effect, d.default_applied) == ("allow", True)


def test_a_context_only_deny_ends_evaluation_and_the_rest_is_listed_unevaluated():
    p = policy("""\
        rule ban: deny where country in {ID, MY}
        rule nude: deny nudity:exposed
        rule swim: review attire:bikini
        """)
    d = p.decide(request(country="ID", labels={"nudity:exposed": 0.9}))
    assert d.effect == "deny"
    assert d.rule_ids == ("ban",)
    assert set(d.unevaluated) == {"nude", "swim"}
    assert not any(t.subject.startswith("nudity") for t in d.trace)
    full = p.decide(request(country="ID", labels={"nudity:exposed": 0.9}), exhaustive=True)
    assert set(full.rule_ids) == {"ban", "nude"} and full.unevaluated == ()


# --- labels and thresholds ---------------------------------------------------------

@pytest.mark.parametrize("score, fires", [(0.49, False), (0.5, True), (0.51, True)])
def test_default_threshold_is_half_and_inclusive(score, fires):
    d = policy("deny attire:bikini\n").decide(request(labels={"attire:bikini": score}))
    assert (d.effect == "deny") is fires


@pytest.mark.parametrize("score, fires", [(0.39, False), (0.4, True)])
def test_per_rule_threshold(score, fires):
    d = policy("review nudity:exposed >= 0.4\n").decide(request(labels={"nudity:exposed": score}))
    assert (d.effect == "review") is fires


def test_ruleset_wide_threshold_applies_unless_the_rule_sets_its_own():
    p = policy("""\
        threshold attire:bikini 0.7
        rule wide: deny attire:bikini where country = FR
        rule own: deny attire:bikini >= 0.3 where country = GB
        """)
    assert p.decide(request(labels={"attire:bikini": 0.6})).effect == "allow"
    assert p.decide(request(labels={"attire:bikini": 0.7})).effect == "deny"
    assert p.decide(request(country="GB", labels={"attire:bikini": 0.35})).effect == "deny"


def test_wildcard_and_group_labels_match_any_value():
    p = policy("rule any: deny nudity:*\nrule grp: review attire:{bikini, underwear}\n")
    assert p.decide(request(labels={"nudity:partial": 0.8})).rule_ids == ("any",)
    assert p.decide(request(labels={"attire:underwear": 0.8})).rule_ids == ("grp",)
    assert p.decide(request(labels={"attire:bikini": 0.2, "nudity:exposed": 0.1})).effect == "allow"


def test_not_label_negates():
    p = policy("deny attire:bikini not subject:consenting_self\n")
    assert p.decide(request(labels={"attire:bikini": 0.9})).effect == "deny"
    assert p.decide(request(labels={"attire:bikini": 0.9, "subject:consenting_self": 0.9})).effect == "allow"


def test_person_scope_needs_both_labels_on_the_same_person():
    p = policy("rule scoped: deny person(subject:minor attire:{bikini, underwear})\n"
               "rule image: review subject:minor attire:bikini\n")
    adult_in_swimwear_beside_clothed_child = [
        {"box": [0, 0, 50, 100], "labels": {"subject:minor": 0.05, "attire:bikini": 0.9}},
        {"box": [60, 0, 30, 60], "labels": {"subject:minor": 0.95, "attire:bikini": 0.02}},
    ]
    d = p.decide(request(persons=adult_in_swimwear_beside_clothed_child), exhaustive=True)
    assert d.rule_ids == ("image",)
    child_in_swimwear = [{"box": [0, 0, 30, 60], "labels": {"subject:minor": 0.95, "attire:underwear": 0.8}}]
    assert p.decide(request(persons=child_in_swimwear)).rule_ids == ("scoped",)


# --- where: place, fields, dates -------------------------------------------------

def test_a_country_rule_covers_its_regions_but_a_region_rule_only_its_region():
    p = policy("rule us: review where country = US\nrule ca: deny where region in {US-CA}\n")
    assert p.decide(request(country="US", region="US-CA")).rule_ids == ("ca",)
    assert p.decide(request(country="US", region="US-CA"), exhaustive=True).rule_ids == ("ca", "us")
    assert p.decide(request(country="US", region="US-TX")).rule_ids == ("us",)
    no_region = p.decide(request(country="US"))
    assert no_region.effect == "deny"  # it could be California: fail closed
    assert no_region.rules[0].unverified == "request has no `region`"
    assert p.decide(request(country="FR")).effect == "allow"


def test_a_set_holding_a_region_covers_that_region_under_a_country_test():
    p = policy("set ILLEGAL = {GB, FR, US-CA}\ndeny where country in ILLEGAL\n")
    assert p.decide(request(country="US", region="US-CA")).effect == "deny"
    assert p.decide(request(country="US", region="US-NY")).effect == "allow"
    assert p.decide(request(country="GB", region="GB-SCT")).effect == "deny"


@pytest.mark.parametrize("exhaustive", [False, True])
def test_a_region_covers_the_subdivisions_inside_it(exhaustive):
    # ISO 3166-2 places Glasgow (GB-GLG) inside Scotland (GB-SCT); 1,456 subdivisions have such a parent.
    p = jurist.Policy.from_sources({
        "sct.policy": "jurisdiction GB-SCT\nrule sct: deny where action = edit\n",
        "gb.policy": "rule by_region: review where region = GB-SCT\nrule not_sct: deny where region != GB-SCT\n"
                     "rule glg: deny where region = GB-GLG and user.tier = paid\n"})
    glasgow = p.decide(request(country="GB", region="GB-GLG", action="edit"), exhaustive=exhaustive)
    assert glasgow.effect == "deny" and glasgow.rules[0].id == "sct" and not glasgow.rules[0].unverified
    assert "not_sct" not in glasgow.rule_ids
    assert p.decide(request(country="GB", region="GB-GLG", action="generate"),
                    exhaustive=exhaustive).rule_ids == ("by_region",)
    # ... but not the other way round: Scotland is not inside Glasgow.
    assert "glg" not in p.decide(request(country="GB", region="GB-SCT", user={"tier": "paid"}),
                                 exhaustive=True).rule_ids
    assert p.decide(request(country="GB", region="GB-ENG", action="edit"), exhaustive=exhaustive).rule_ids == ("not_sct",)


@pytest.mark.parametrize("rule, fields, step", [
    ("deny where user.tier != paid", {"user": {"tier": "paid"}}, ("user.tier != paid", False, "paid")),
    ("deny where user.tier != paid", {"user": {"tier": "free"}}, ("user.tier != paid", True, "free")),
    ("deny where surface not in {x, web}", {"surface": "web"}, ("surface not in {web, x}", False, "web")),
    ("deny where country != FR", {}, ("country != FR", False, "FR")),
    ("deny where not date < 2026-01-01", {}, ("date >= 2026-01-01", True, "2026-06-01")),
    ("deny not attire:bikini", {"labels": {"attire:bikini": 0.9}}, ("not attire:bikini >= 0.5", False, 0.9)),
    ("deny where not (user.tier = paid and surface = app)", {"user": {"tier": "paid"}},
     ("not ((user.tier = paid) and (surface = app))", False, None)),
])
def test_the_trace_shows_a_negated_test_as_written(rule, fields, step):
    d = policy(f"rule r: {rule}\n").decide(request(**fields))
    tests = [(t.subject, t.result, t.value) for t in d.trace if t.kind == "test"]
    assert tests[-1] == step
    assert f"    {step[0]}: {str(step[1]).lower()}" in d.explain()


def test_the_explanation_no_longer_reads_a_negation_as_its_opposite():
    explained = policy("rule paid_only: deny where user.tier != paid\n").decide(request(user={"tier": "paid"})).explain()
    assert "user.tier != paid: false  (saw paid)" in explained
    assert "user.tier = paid: true" not in explained


def test_region_alone_implies_its_country():
    d = policy("deny where country = US\n").decide(request(country=None, region="US-CA"))
    assert d.effect == "deny"


@pytest.mark.parametrize("fields, effect", [
    ({"action": "edit", "user": {"tier": "paid"}, "date": "2026-01-15"}, "allow"),
    ({"action": "edit", "user": {"tier": "paid"}, "date": "2026-01-14"}, "deny"),
    ({"action": "generate", "user": {"tier": "paid"}, "date": "2026-03-01"}, "deny"),
    ({"action": "edit", "user": {"tier": "free"}, "date": "2026-03-01"}, "deny"),
])
def test_where_over_action_tier_and_date(fields, effect):
    p = policy("default deny\nallow where action = edit and user.tier = paid and date >= 2026-01-15\n")
    assert p.decide(request(**fields)).effect == effect


def test_not_in_and_not_and_or():
    p = policy("deny where country not in {GB, FR} and not (surface = x or surface = api)\n")
    assert p.decide(request(country="DE", surface="app")).effect == "deny"
    assert p.decide(request(country="DE", surface="x")).effect == "allow"
    assert p.decide(request(country="GB", surface="app")).effect == "allow"


@pytest.mark.parametrize("date, in_force", [("2026-01-31", False), ("2026-02-01", True), ("2029-12-31", True),
                                            ("2030-01-01", False)])
def test_from_is_inclusive_and_until_exclusive(date, in_force):
    p = policy("rule uk: deny where country = GB from 2026-02-01 until 2030-01-01\n")
    assert (p.decide(request(country="GB", date=date)).effect == "deny") is in_force


def test_request_date_defaults_to_today():
    import datetime as dt

    p = policy("deny where date >= 2020-01-01\n")
    req = request()
    del req["date"]
    assert p.decide(req).effect == "deny"
    assert p.decide(req, today=dt.date(2019, 12, 31)).effect == "allow"


# --- ids, files, sets ---------------------------------------------------------------

def test_derived_ids_are_stable_when_rules_move_and_differ_per_file():
    a = jurist.compile_sources({"gb.policy": "deny where country = GB\n"}).ruleset.rules[0].id
    moved = jurist.compile_sources({"gb.policy": "# moved down\n\n\ndeny   where country = GB\n"}).ruleset.rules[0].id
    other = jurist.compile_sources({"fr.policy": "deny where country = GB\n"}).ruleset.rules[0].id
    assert a == moved and a.startswith("gb-")
    assert other != a and other.startswith("fr-")


def test_a_directory_ruleset_shares_sets_across_files(tmp_path):
    (tmp_path / "sets.policy").write_text("set EUROPE = {FR, DE}\n")
    (tmp_path / "eu").mkdir()
    (tmp_path / "eu" / "rules.policy").write_text("rule eu: deny where country in EUROPE\n")
    p = jurist.load(tmp_path)
    assert p.decide(request(country="DE")).rule_ids == ("eu",)
    assert p.ruleset.rule("eu").source == "eu/rules.policy:1"


def test_duplicate_names_across_files_are_errors():
    result = jurist.compile_sources({"a.policy": "set S = {GB}\nrule x: deny where country in S\n",
                                     "b.policy": "set S = {FR}\nrule x: deny where country in S\n"})
    messages = sorted(d.message for d in result.errors)
    assert messages == ["rule `x` is defined twice", "set `S` is defined twice"]


# --- fail closed -----------------------------------------------------------------------

def test_a_missing_request_field_makes_deny_and_review_rules_match_but_not_allow():
    p = policy("default deny\nrule paid_only: deny where user.tier != paid\nrule ok: allow where surface = x\n")
    req = request(surface="x")
    del req["user"]
    d = p.decide(req)
    assert d.effect == "deny"
    assert d.rules[0].unverified == "request has no `user.tier`"
    assert policy("default deny\nallow where surface = x\n").decide(request(surface=None)).effect == "deny"


def test_a_failing_detector_fails_closed_and_says_why():
    failing = CountingDetector("prompt_intent", {}, fail="lexicon unavailable")
    p = policy("rule undress: deny intent:undress\n", detectors={"prompt_intent": failing})
    d = p.decide({**request(), "prompt": "make her pose"})
    assert d.effect == "deny"
    assert d.rules[0].unverified == "lexicon unavailable"
    assert d.detectors_run[0].ok is False and d.detectors_run[0].error == "lexicon unavailable"


def test_a_failing_detector_does_not_make_an_allow_rule_match():
    failing = CountingDetector("prompt_intent", {}, fail="boom")
    p = policy("default deny\nallow not intent:undress\n", detectors={"prompt_intent": failing})
    assert p.decide({**request(), "prompt": "a cat"}).effect == "deny"


def test_a_malformed_request_is_denied_with_the_reason():
    d = policy("allow where country = FR\n").decide({"country": "France"})
    assert d.effect == "deny"
    assert d.errors == ("country: `FRANCE` is not an ISO 3166-1 alpha-2 code",)


# --- laziness ---------------------------------------------------------------------------

def test_detectors_run_only_when_a_pending_rule_needs_them_and_at_most_once():
    prompt = CountingDetector("prompt_intent", {"intent:undress": 0.9, "intent:sexualize": 0.9})
    p = policy("""\
        rule ban: deny where country = ID
        rule a: deny intent:undress where country = FR
        rule b: deny intent:sexualize where country = FR
        rule c: review intent:undress where country = FR
        """, detectors={"prompt_intent": prompt})
    assert p.decide({**request(country="ID"), "prompt": "x"}).detectors_run == ()
    assert prompt.calls == 0
    p.decide({**request(), "prompt": "x"}, exhaustive=True)
    assert prompt.calls == 1


def test_given_observations_are_used_instead_of_running_a_detector_that_has_nothing_to_look_at():
    prompt = CountingDetector("prompt_intent", {"intent:undress": 0.0})
    p = policy("deny intent:undress\n", detectors={"prompt_intent": prompt})
    d = p.decide(request(labels={"intent:undress": 0.8}))
    assert d.effect == "deny" and prompt.calls == 0


def test_caller_scores_do_not_replace_the_detector_of_a_prompt_the_request_carries():
    prompt = CountingDetector("prompt_intent", {"intent:undress": 0.9})
    p = policy("deny intent:undress\n", detectors={"prompt_intent": prompt})
    raw = {**request(labels={"intent:undress": 0.0}), "prompt": "undress her"}
    assert p.decide(raw).effect == "deny" and prompt.calls == 1
    trusting = policy("deny intent:undress\n", detectors={"prompt_intent": prompt}, trust_observations=True)
    assert trusting.decide(raw).effect == "allow" and prompt.calls == 1


def test_no_prompt_and_no_image_means_absent_not_unknown():
    p = policy("deny intent:undress\ndeny nudity:exposed\n")
    d = p.decide(request())
    assert d.effect == "allow" and d.detectors_run == ()


# --- JSON -------------------------------------------------------------------------------

def test_requests_and_decisions_round_trip_through_json():
    raw = request(region="FR-75C", prompt="hello", labels={"attire:bikini": 0.9},
                  persons=[{"box": [1, 2, 3, 4], "labels": {"subject:minor": 0.2}}])
    raw["country"] = "FR"
    req = Request.from_json(raw)
    assert Request.from_json(json.loads(json.dumps(req.to_json()))) == req
    d = policy("rule x: deny attire:bikini cite \"c\" message \"m\"\n").decide(req)
    again = Decision.from_json(json.loads(d.dumps()))
    assert again == d
    assert d.to_json()["rules"] == [{"id": "x", "effect": "deny", "cite": "c", "message": "m", "source": "test.policy:1"}]
    assert d.observations["labels"] == {"attire:bikini": 0.9}


def test_recorded_observations_replay_to_the_same_decision():
    p = policy("deny attire:bikini subject:real_person where country = FR\n")
    first = p.decide(request(labels={"attire:bikini": 0.9, "subject:real_person": 0.8, "nudity:exposed": 0.1}))
    replay = p.decide(request(labels=first.observations["labels"]))
    assert (replay.effect, replay.rule_ids) == (first.effect, first.rule_ids)


@pytest.mark.parametrize("raw, message", [
    ({"contry": "GB"}, "unknown request field `contry`"),
    ({"country": "GB", "region": "US-CA"}, "region: `US-CA` is not in country `GB`"),
    ({"country": "GB", "action": "undress"}, "action: `undress` is not one of generate, edit"),
    ({"country": "GB", "date": "01/02/2026"}, "date: `01/02/2026` is not a date YYYY-MM-DD"),
    ({"country": "GB", "observations": {"labels": {"attire:bikini": 1.5}}},
     "observations.labels: score for `attire:bikini` must be between 0 and 1, got 1.5"),
    ({"country": "GB", "observations": {"persons": [{"box": [1, 2]}]}},
     "observations.persons[0].box must be [x, y, width, height]"),
    ({"country": "GB", "date": "20260301"}, "date: `20260301` is not a date YYYY-MM-DD"),
    ({"country": "GB", "date": "2026-W10-1"}, "date: `2026-W10-1` is not a date YYYY-MM-DD"),
    ({"country": "GB", "prompt": 0}, "prompt must be a text, got int"),
    ({"country": "GB", "prompt": "a" * 20_001}, "prompt is 20,001 characters, over the limit of 20,000"),
    ({"country": "GB", "images": {}}, "images must be a list of file paths or data URLs"),
    ({"country": "GB", "images": False}, "images must be a list of file paths or data URLs"),
    ({"country": "GB", "user": {"tier": "paid", "age": 12}}, "unknown field `user.age`"),
    ({"country": "GB", "observations": {"labels": {"attire:bikinii": 0.9}}},
     "observations.labels: `attire:bikinii` is not a label of this engine; did you mean `attire:bikini`?"),
    ({"country": "GB", "observations": {"labels": {"Attire:Bikini": 0.9}}}, "did you mean `attire:bikini`?"),
    ({"country": "GB", "observations": {"persons": [{"labels": {"subject:child": 0.9}}]}},
     "observations.persons[0].labels: `subject:child` is not a label of this engine"),
    ({"country": "GB", "observations": {"unknown": ["nudity:full"]}},
     "observations.unknown: `nudity:full` is not a label of this engine"),
    ({"country": "GB", "observations": {"persons": [{"labels": {}, "age": 12}]}},
     "observations.persons[0]: unknown field `age`"),
])
def test_request_errors_name_the_field(raw, message):
    with pytest.raises(jurist.RequestError) as err:
        Request.from_json(raw)
    assert message in str(err.value)


def test_always_rules_are_recorded_even_after_a_cheaper_rule_settled_the_decision():
    p = policy("""\
        rule paid_only: deny where user.tier != paid
        rule minor_nudity: deny subject:minor nudity:exposed
            always
        rule unmarked: deny nudity:exposed
        """)
    d = p.decide(request(labels={"subject:minor": 0.9, "nudity:exposed": 0.9}))
    assert d.effect == "deny"
    assert d.rule_ids == ("paid_only", "minor_nudity")
    assert d.unevaluated == ("unmarked",)
    clean = p.decide(request(labels={"subject:minor": 0.9}))
    assert clean.rule_ids == ("paid_only",) and "minor_nudity" not in clean.unevaluated


def test_a_fail_closed_decision_replays_fail_closed_from_its_recorded_observations():
    failing = CountingDetector("prompt_intent", {}, fail="lexicon unavailable")
    p = policy("rule undress: deny intent:undress\nrule tier: review where user.tier = free\n",
               detectors={"prompt_intent": failing})
    first = p.decide({**request(), "prompt": "take it off"})
    assert first.rule_ids == ("undress",) and "intent:undress" in first.observations["unknown"]
    replay = policy("rule undress: deny intent:undress\n").decide(
        {**request(), "observations": first.observations})
    assert replay.effect == "deny"
    assert replay.rules[0].unverified == "`intent:undress` is recorded as unknown in the given observations"


def test_a_decision_that_stopped_early_replays_fail_closed_against_a_stricter_ruleset():
    # The ban settles the decision before the prompt is read: the prompt's labels were never checked.
    detector = CountingDetector("prompt_intent", {"intent:undress": 0.9})
    first = policy("rule ban: deny where country in {ID, MY}\nrule undress: deny intent:undress\n",
                   detectors={"prompt_intent": detector}).decide({**request(country="ID"), "prompt": "undress her"})
    assert detector.calls == 0 and "intent:undress" in first.observations["unknown"]
    replay = policy("rule undress: deny intent:undress\n").decide(
        {**request(country="ID"), "observations": first.observations})
    assert replay.effect == "deny" and replay.rules[0].unverified


def test_a_label_a_detector_yielded_but_no_rule_asked_for_is_recorded_for_replay():
    detector = CountingDetector("prompt_intent", {"intent:undress": 0.9, "intent:swimwear": 0.7})
    first = policy("rule undress: deny intent:undress\n", detectors={"prompt_intent": detector}).decide(
        {**request(), "prompt": "undress her"})
    assert first.observations["labels"]["intent:swimwear"] == 0.7
    replay = policy("rule swim: review intent:swimwear\n").decide(
        {**request(), "observations": first.observations})
    assert replay.effect == "review" and not replay.rules[0].unverified


@pytest.mark.parametrize("unknown, person_labels, effect", [
    (["attire:bikini"], {"subject:minor": 0.9}, "deny"),          # may hold: unverified, fail closed
    (["attire:bikini"], {"subject:minor": 0.1}, "allow"),         # the known label already fails
    (["attire:bikini"], {"subject:minor": 0.9, "attire:bikini": 0.2}, "allow"),  # given for this person
    (["subject:minor"], {"attire:bikini": 0.9}, "deny"),
])
def test_person_rules_treat_labels_recorded_as_unknown_as_unknown(unknown, person_labels, effect):
    p = policy("rule p: deny person(subject:minor attire:bikini)\n")
    d = p.decide({**request(), "observations": {
        "persons": [{"labels": person_labels, "box": [0, 0, 10, 10]}], "unknown": unknown}})
    assert d.effect == effect
    if effect == "deny":
        assert d.rules[0].unverified


def test_a_person_rule_with_unknown_labels_and_no_recorded_persons_is_unknown():
    p = policy("rule p: deny person(subject:minor attire:bikini)\n")
    d = p.decide({**request(), "observations": {"unknown": ["subject:minor"]}})
    assert d.effect == "deny" and d.rules[0].unverified


def test_one_policy_decides_from_many_threads_at_once():
    from concurrent.futures import ThreadPoolExecutor

    p = policy("""\
        set ZONE = {GB, FR, US-CA}
        rule geo: deny attire:bikini subject:real_person where country in ZONE
        rule tier: review where user.tier = free
        """)
    countries = ["GB", "FR", "DE", "US", "JP"] * 40
    requests = [request(country=c, region="US-CA" if c == "US" else None, user={"tier": "free" if i % 3 else "paid"},
                        labels={"attire:bikini": (i % 10) / 10, "subject:real_person": 0.9})
                for i, c in enumerate(countries)]
    expected = [(d.effect, d.rule_ids) for d in map(p.decide, requests)]
    fresh = policy("""\
        set ZONE = {GB, FR, US-CA}
        rule geo: deny attire:bikini subject:real_person where country in ZONE
        rule tier: review where user.tier = free
        """)
    with ThreadPoolExecutor(max_workers=8) as pool:
        got = list(pool.map(lambda r: (lambda d: (d.effect, d.rule_ids))(fresh.decide(r)), requests))
    assert got == expected


def test_the_fast_constructors_build_the_same_immutable_objects():
    import dataclasses

    from jurist.engine.frozen import positional_constructor

    raw = {"action": "edit", "country": "GB", "user": {"tier": "paid"}, "prompt": "hi",
           "observations": {"labels": {"attire:bikini": 0.4}}}
    fast = Request.from_json(raw)
    assert fast == Request(**{f.name: getattr(fast, f.name) for f in dataclasses.fields(Request)})
    with pytest.raises(dataclasses.FrozenInstanceError):
        fast.country = "FR"
    decision = policy("deny where country = GB\n").decide(raw)
    assert type(decision) is Decision and Decision.from_json(decision.to_json()) == decision
    with pytest.raises(TypeError):
        positional_constructor(dict)
