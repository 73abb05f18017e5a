"""Observe once, decide many times: on real photos the detectors run once, and every decision
made from the observation equals the one made from the request, fail-closed ones included."""
from __future__ import annotations


import jurist

RULES = """\
rule real_swimwear: deny attire:bikini subject:real_person where country in {GB, FR}
rule minor_nudity: deny person(subject:minor nudity:*)
rule face_review: review subject:real_person where country = GB
rule nude: deny nudity:exposed
rule prompt: deny intent:undress
allow where user.tier = paid
default deny
"""
PLACES = [{"country": "GB"}, {"country": "FR"}, {"country": "US", "region": "US-CA"}, {"country": "JP"}]


def _policy(counted) -> jurist.Policy:
    from jurist.engine.detectors import DETECTOR_REQUIRES

    return jurist.Policy.from_sources({"p.policy": RULES}, detectors=counted, requires=DETECTOR_REQUIRES)


def _same(a, b) -> bool:
    return (a.effect, a.rules, a.unevaluated, a.trace, a.default_applied) == \
        (b.effect, b.rules, b.unevaluated, b.trace, b.default_applied)


def _write(tmp_path, kit, photos, name: str, cut: int | None = None) -> str:
    data = kit.encode(photos[name].pixels, "JPEG")
    path = tmp_path / f"{name}.jpg"
    path.write_bytes(data[:cut] if cut else data)
    return str(path)


def test_decisions_from_an_observed_photo_equal_live_ones_and_detectors_run_once(tmp_path, kit, photos, counted):
    policy = _policy(counted)
    raw = {"action": "edit", "user": {"tier": "free"}, "surface": "app", "prompt": "make the sky blue",
           "images": [_write(tmp_path, kit, photos, "astronaut")]}
    observed = policy.observe({**raw, "country": "GB"})
    assert {name: d.calls for name, d in counted.items()} == {"prompt_intent": 1, "prompt_names": 1, "faces": 1,
                                                              "age": 1, "nudenet": 1}
    assert [r.name for r in observed.runs] == ["prompt_names", "prompt_intent", "faces", "nudenet", "age"]  # by cost
    assert all(r.ok for r in observed.runs) and observed.scores["subject:real_person"] >= 0.5
    for place in PLACES:
        here = observed.with_context(**place)
        for exhaustive in (False, True):
            from_observed = policy.decide(here, exhaustive=exhaustive)
            assert from_observed.detectors_run == observed.runs
            assert _same(from_observed, policy.decide({**raw, **place}, exhaustive=exhaustive)), place
    assert counted["faces"].calls == 1 + 2 * len(PLACES)  # the live decisions above ran it; the observed ones never


def test_a_truncated_photo_fails_closed_the_same_way_from_the_observation(tmp_path, kit, photos, counted):
    policy = _policy(counted)
    raw = {"country": "GB", "action": "edit", "user": {"tier": "paid"}, "surface": "app",
           "images": [_write(tmp_path, kit, photos, "astronaut", cut=4000)]}
    observed = policy.observe(raw)
    assert observed.scores["subject:real_person"] is None
    assert "truncated" in observed.failures["faces"] and observed.failures["age"] == observed.failures["faces"]
    live = policy.decide(raw, exhaustive=True)
    replay = policy.decide(observed, exhaustive=True)
    assert live.effect == replay.effect == "deny"
    assert _same(live, replay)
    assert {r.id for r in replay.rules if r.unverified} >= {"real_swimwear", "minor_nudity", "nude"}
    assert all("image could not be checked" in r.unverified for r in replay.rules if r.unverified)


def test_one_observation_serves_an_old_and_a_new_ruleset(tmp_path, kit, photos, counted):
    old = _policy(counted)
    new = jurist.Policy.from_sources({"p.policy": RULES + "rule anywhere: review subject:real_person\n"})
    raw = {"country": "US", "region": "US-TX", "action": "edit", "user": {"tier": "paid"}, "surface": "app",
           "images": [_write(tmp_path, kit, photos, "astronaut")]}
    observed = old.observe(raw)
    runs = counted["faces"].calls
    before, after = old.decide(observed, exhaustive=True), new.decide(observed, exhaustive=True)
    assert counted["faces"].calls == runs
    assert _same(after, new.decide(raw, exhaustive=True))
    assert (before.effect, after.effect) == ("allow", "review")
    assert after.rules[0].id == "anywhere" and not after.rules[0].unverified


def test_labels_the_pass_left_out_are_unknown_and_fail_closed(tmp_path, kit, photos, counted):
    policy = _policy(counted)
    raw = {"country": "FR", "action": "edit", "user": {"tier": "paid"}, "surface": "app",
           "images": [_write(tmp_path, kit, photos, "coffee")]}
    observed = policy.observe(raw, labels=["subject:real_person"])
    assert [r.name for r in observed.runs] == ["faces"] and counted["nudenet"].calls == 0
    decision = policy.decide(observed)
    assert counted["nudenet"].calls == 0
    assert decision.effect == "deny"
    assert decision.rules[0].unverified == "detector `nudenet` did not run when this request was observed"
    assert policy.decide(raw).effect == "allow"  # live, the coffee cup is cleared
