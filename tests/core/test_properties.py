"""Property tests: random well-formed rulesets never crash the compiler, and the
optimised engine always agrees with the plain reference interpreter, with
labels known, unknown, and given for some persons only."""
from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import jurist
from jurist.engine.request import Request

from reference_interpreter import reference_decide

COUNTRIES = ["GB", "FR", "US", "IN", "NO", "ID"]
REGIONS = ["US-CA", "US-TX", "GB-SCT", "GB-GLG", "FR-75C"]
LABELS = ["attire:bikini", "attire:underwear", "nudity:exposed", "subject:minor", "subject:real_person",
          "subject:consenting_self"]
FIELDS = {"action": ["generate", "edit"], "user.tier": ["free", "paid"], "surface": ["app", "web", "x", "api"]}

PERSON_TESTS = ["person(subject:minor attire:bikini)", "person(subject:minor)", "person(attire:* not subject:minor)",
                "person(not subject:consenting_self nudity:exposed)"]

places = st.sampled_from(COUNTRIES + REGIONS)


@st.composite
def atoms(draw):
    kind = draw(st.sampled_from(["place", "region", "field", "date", "label", "set"]))
    if kind == "place":
        codes = draw(st.lists(places, min_size=1, max_size=3, unique=True))
        return f"country in {{{', '.join(codes)}}}" if len(codes) > 1 else f"country = {codes[0]}"
    if kind == "region":
        return f"region {draw(st.sampled_from(['=', '!=']))} {draw(st.sampled_from(REGIONS))}"
    if kind == "field":
        name = draw(st.sampled_from(sorted(FIELDS)))
        return f"{name} {draw(st.sampled_from(['=', '!=']))} {draw(st.sampled_from(FIELDS[name]))}"
    if kind == "date":
        return f"date {draw(st.sampled_from(['<', '<=', '>', '>=', '=', '!=']))} 2026-0{draw(st.integers(1, 9))}-01"
    if kind == "set":
        return "country in ZONE"
    return f"{draw(st.sampled_from(LABELS))} >= {draw(st.sampled_from(['0.3', '0.5', '0.7']))}"


def exprs(depth=2):
    if depth == 0:
        return atoms()
    sub = exprs(depth - 1)
    return st.one_of(
        atoms(),
        st.tuples(sub, st.sampled_from(["and", "or"]), sub).map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
        sub.map(lambda e: f"not {e}"),
    )


@st.composite
def rules(draw):
    effect = draw(st.sampled_from(["deny", "review", "allow"]))
    terms = draw(st.lists(st.sampled_from(LABELS + [f"not {x}" for x in LABELS] + ["attire:*", "nudity:{exposed, partial}"]
                                          + PERSON_TESTS), max_size=2))
    where = draw(st.one_of(st.none(), exprs()))
    text = f"{effect} {' '.join(terms)}"
    if where:
        text += f" where {where}"
    if draw(st.booleans()):
        text += f" from 2026-0{draw(st.integers(1, 4))}-01 until 2026-0{draw(st.integers(5, 9))}-01"
    return text


@st.composite
def rulesets(draw):
    lines = ["set ZONE = {GB, US-CA, IN}", f"default {draw(st.sampled_from(['allow', 'deny', 'review']))}"]
    if draw(st.booleans()):
        lines.append(f"threshold attire:bikini {draw(st.sampled_from(['0.2', '0.6']))}")
    lines += draw(st.lists(rules(), min_size=1, max_size=8))
    return "\n".join(lines) + "\n"


scores = st.sampled_from([0.0, 0.29, 0.3, 0.5, 0.69, 0.7, 1.0])


@st.composite
def requests(draw):
    raw = {}
    place = draw(places)
    if "-" in place:
        raw["region"] = place
    else:
        raw["country"] = place
    for name, key in (("action", "action"), ("surface", "surface")):
        if draw(st.integers(0, 5)):  # mostly present; sometimes unknown, to exercise fail-closed
            raw[key] = draw(st.sampled_from(FIELDS[name]))
    if draw(st.integers(0, 5)):
        raw["user"] = {"tier": draw(st.sampled_from(FIELDS["user.tier"]))}
    raw["date"] = f"2026-0{draw(st.integers(1, 9))}-01"
    labels = draw(st.dictionaries(st.sampled_from(LABELS), scores, max_size=4))
    persons = draw(st.lists(st.dictionaries(st.sampled_from(LABELS), scores, max_size=3), max_size=2))
    raw["observations"] = {"labels": labels, "persons": [{"box": [i, 0, 1, 1], "labels": p} for i, p in enumerate(persons)]}
    if draw(st.integers(0, 2)):  # labels a detector could not produce: persons may still carry a score for them
        raw["observations"]["unknown"] = draw(st.lists(st.sampled_from(LABELS), max_size=3, unique=True))
    return raw


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rulesets())
def test_random_well_formed_rulesets_compile_without_crashing(text):
    result = jurist.compile_sources({"random.policy": text})
    for d in result.diagnostics:
        assert d.line >= 1 and d.column >= 1 and d.message
    if result.ok:
        assert len(result.graph.rules) == len(result.ruleset.rules)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet="denyalowrvithrsqu:{}()=!<>,.0123456789 -#\"\nGBFRUSINxCA*", max_size=120))
def test_arbitrary_text_never_crashes_the_compiler(text):
    result = jurist.compile_sources({"noise.policy": text})
    assert all(d.line >= 1 for d in result.diagnostics)


def _same(a, b):
    """What a decision from observations must share with the live one (not timings, not detector runs)."""
    return (a.effect, a.rules, a.unevaluated, a.trace, a.default_applied, a.errors) == \
        (b.effect, b.rules, b.unevaluated, b.trace, b.default_applied, b.errors)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rulesets(), st.lists(requests(), min_size=1, max_size=5))
def test_graph_decisions_equal_the_reference_interpreter(text, raws):
    result = jurist.compile_sources({"random.policy": text})
    if not result.ok:
        return
    policy = jurist.Policy(result)
    today = dt.date(2026, 5, 1)
    for raw in raws:
        req = Request.from_json(raw)
        effect, matched = reference_decide(policy, req, today)
        fast = policy.decide(req, today=today)
        full = policy.decide(req, today=today, exhaustive=True)
        assert (fast.effect, full.effect) == (effect, effect), (text, raw)
        assert set(full.rule_ids) == matched, (text, raw)
        assert set(fast.rule_ids) <= matched, (text, raw)
        observed = policy.observe(req)
        assert _same(policy.decide(observed, today=today), fast)
        assert _same(policy.decide(observed, today=today, exhaustive=True), full)
