"""The served (fast) decision is never weaker than the exhaustive one, unknown labels included.

The fast path stops early and skips rules that a broader rule of the same
effect shadows; neither shortcut may change the effect.  Under unknown labels
a narrow `person(...)` rule can be unknown (so matched, for deny and review)
while the broader image-level rule it is shadowed by is false.
"""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import jurist

from policy_helpers import policy

REPRODUCER = """\
deny attire:bikini
rule x: deny person(attire:bikini subject:minor) always
allow where country = GB
default deny
"""


def test_a_matching_shadowed_always_deny_sets_the_effect():
    p = policy(REPRODUCER)
    raw = {"country": "GB", "observations": {"unknown": ["subject:minor"]}}
    fast, full = p.decide(raw), p.decide(raw, exhaustive=True)
    assert (fast.effect, full.effect) == ("deny", "deny")
    assert fast.deciding_rule is not None and fast.deciding_rule.id == "x" and fast.deciding_rule.unverified


def test_a_shadowed_person_rule_that_may_match_is_not_skipped():
    p = policy(REPRODUCER.replace(" always", ""))
    raw = {"country": "GB", "observations": {"unknown": ["subject:minor"]}}
    assert p.decide(raw).effect == p.decide(raw, exhaustive=True).effect == "deny"


LABELS = ["attire:bikini", "subject:minor", "nudity:exposed", "subject:real_person"]
BROAD = ["attire:bikini", "subject:minor", "nudity:exposed", "attire:bikini subject:real_person"]
NARROW = ["person(attire:bikini subject:minor)", "person(nudity:exposed)", "person(subject:minor not attire:bikini)",
          "person(attire:bikini subject:real_person)", "attire:bikini subject:minor", "nudity:exposed >= 0.8"]


@st.composite
def shadowing_rulesets(draw: st.DrawFn) -> str:
    """Broad rules and narrower ones they shadow, any of them `always`, over a few tiers."""
    lines = [f"default {draw(st.sampled_from(['allow', 'deny', 'review']))}"]
    for i in range(draw(st.integers(2, 7))):
        effect = draw(st.sampled_from(["deny", "deny", "review", "allow"]))
        condition = draw(st.sampled_from(BROAD + NARROW + ["where country = GB", "where user.tier = paid"]))
        always = " always" if draw(st.booleans()) else ""
        lines.append(f"rule r{i}: {effect} {condition}{always}")
    return "\n".join(lines) + "\n"


@st.composite
def requests_with_unknowns(draw: st.DrawFn) -> dict:
    scores = st.sampled_from([0.0, 0.3, 0.6, 0.9])
    raw: dict = {"country": draw(st.sampled_from(["GB", "FR"]))}
    if draw(st.booleans()):
        raw["user"] = {"tier": draw(st.sampled_from(["free", "paid"]))}
    raw["observations"] = {
        "labels": draw(st.dictionaries(st.sampled_from(LABELS), scores, max_size=3)),
        "persons": [{"labels": p, "box": [i, 0, 1, 1]}
                    for i, p in enumerate(draw(st.lists(st.dictionaries(st.sampled_from(LABELS), scores, max_size=3),
                                                        max_size=2)))],
        "unknown": draw(st.lists(st.sampled_from(LABELS), max_size=2, unique=True)),
    }
    return raw


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(shadowing_rulesets(), st.lists(requests_with_unknowns(), min_size=1, max_size=4))
def test_fast_and_exhaustive_decisions_agree_with_unknown_labels(text, raws):
    result = jurist.compile_sources({"random.policy": text})
    if not result.ok:
        return
    p = jurist.Policy(result)
    for raw in raws:
        fast, full = p.decide(raw), p.decide(raw, exhaustive=True)
        assert fast.effect == full.effect, (text, raw)
        assert set(fast.rule_ids) <= set(full.rule_ids), (text, raw)
