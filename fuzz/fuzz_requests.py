"""Fuzzing the request parser: every malformed request becomes a `deny` decision, never an exception.

Requests are drawn three ways: well-formed ones with one or two fields
broken (deep into `observations`: scores, boxes, persons, unknown labels),
any JSON-shaped value, and request *text* (what `jurist decide` and the HTTP
API read): valid JSON mutated by truncation, flipped bytes, deep nesting,
number literals JSON allows but floats cannot hold, duplicate keys, a BOM or
trailing garbage.  Images are drawn only as malformed values and undecodable
data URLs, so no detector model is loaded.

`check_decision` is the property: deciding never raises, the effect is one of
the language's, and a decision with errors is a `deny` naming them; the fast
and exhaustive paths and a decision from the observed request agree.
`check_text` does the same from text through `Request.loads`.
"""
from __future__ import annotations

import json
from typing import Any

from hypothesis import strategies as st

import jurist
from jurist.engine import Decision, Request, RequestError

RULES = "rule p: deny person(subject:minor attire:bikini)\nrule b: deny attire:bikini\nallow where country = FR\n"
POLICY = jurist.Policy.from_sources({"fuzz.policy": RULES})
BASE = {"action": "generate", "country": "FR", "user": {"tier": "free"}, "surface": "app", "date": "2026-06-01"}
EFFECTS = ("allow", "review", "deny")


def nested(depth: int, leaf: Any = 1) -> Any:
    """A list nested `depth` deep, built without recursion (deeper than Python's recursion limit if asked)."""
    value = leaf
    for _ in range(depth):
        value = [value]
    return value


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.integers(min_value=10 ** 400) | st.floats()
    | st.text(max_size=8) | st.sampled_from(["GB", "US-CA", "attire:bikini", "paid", "2026-01-01", "\x1b[31m", "\u202e"]),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4),
    max_leaves=8)
deep_values = st.integers(50, 3000).map(nested)  # nesting the decoder or a careless walker could recurse on


def mostly(valid: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """`valid` three times in four, else any JSON: the fuzzing reaches deep fields, and breaks each."""
    return st.one_of(valid, valid, valid, json_values, deep_values)


numbers = st.floats() | st.integers() | st.integers(min_value=10 ** 400) | st.integers(max_value=-10 ** 400)
labels = st.sampled_from(["attire:bikini", "subject:minor", "nudity:exposed", "attire:bikinii", "x", "attire:*", ""])
scores = mostly(st.dictionaries(labels, mostly(numbers), min_size=1, max_size=3))
person = mostly(st.fixed_dictionaries({"labels": scores, "box": mostly(st.lists(numbers, min_size=4, max_size=4))},
                                      optional={"image": mostly(numbers)}))
observations = mostly(st.fixed_dictionaries({"labels": scores}, optional={
    "persons": mostly(st.lists(person, min_size=1, max_size=3)),
    "unknown": mostly(st.lists(mostly(labels), min_size=1, max_size=3))}))
images = st.lists(st.sampled_from(["data:image/png;base64,!!!", "data:image/png;base64,iVBORw0KGgo=",
                                   "data:,", "data:text/plain;base64,aGk=", "", "\x00"]), min_size=1, max_size=3)
FIELDS = {
    "country": st.sampled_from(["GB", "FR", "gb", "XX", " fr ", "GB-SCT", ""]),
    "region": st.sampled_from(["FR-75C", "FR-IDF", "GB-GLG", "US-ZZ", "fr-75c"]),
    "action": st.sampled_from(["generate", "edit", "Generate", "delete"]),
    "user": st.fixed_dictionaries({}, optional={"tier": mostly(st.sampled_from(["free", "paid", "gold"]))}),
    "surface": st.sampled_from(["app", "web", "api", "x"]), "date": st.sampled_from(["2026-01-01", "2026-02-30",
                                                                                    "26-1-1", "2026-01-01T00:00"]),
    "prompt": st.text(max_size=20) | st.just("x" * 20_001), "observations": observations, "images": images,
}


@st.composite
def fuzzed(draw: st.DrawFn) -> dict[str, Any]:
    """A well-formed request with one or two of its fields fuzzed."""
    names = draw(st.sets(st.sampled_from(sorted(FIELDS)), min_size=1, max_size=2))
    return {**BASE, **{k: draw(mostly(FIELDS[k])) for k in sorted(names)}}


requests = st.one_of(fuzzed(), fuzzed(), st.dictionaries(st.text(max_size=8), json_values, max_size=3), json_values)


@st.composite
def request_texts(draw: st.DrawFn) -> str:
    """Request text as a file or a body carries it, valid or broken in the ways text breaks."""
    raw = draw(requests)
    try:
        text = json.dumps(raw)
    except (ValueError, RecursionError):
        text = "{}"
    edit = draw(st.sampled_from(["none", "truncate", "flip", "deep", "number", "duplicate", "bom", "garbage"]))
    if edit == "truncate" and text:
        text = text[:draw(st.integers(0, len(text) - 1))]
    elif edit == "flip" and text:
        at = draw(st.integers(0, len(text) - 1))
        text = text[:at] + draw(st.sampled_from(['"', "{", "]", "\\", "\x00", "\ud800", ","])) + text[at + 1:]
    elif edit == "deep":
        depth = draw(st.integers(500, 200_000))
        opener, closer = draw(st.sampled_from([("[", "]"), ('{"a":', "}")]))
        text = '{"observations":' + opener * depth + "1" + closer * depth + "}"
    elif edit == "number":
        literal = draw(st.sampled_from(["1e999999", "-1e999999", "NaN", "Infinity", "-Infinity", "1" * 5000, "1e-999"]))
        text = '{"country":"GB","observations":{"labels":{"attire:bikini":' + literal + "}}}"
    elif edit == "duplicate":
        text = '{"country":"GB","country":"FR","country":' + json.dumps(draw(json_values)) + "}"
    elif edit == "bom":
        text = "\ufeff" + text
    elif edit == "garbage":
        text += draw(st.text(max_size=6))
    return text


def check_decision(raw: Any) -> Decision:
    """Deciding `raw` (any value) never raises; errors deny; fast, exhaustive and observed decisions agree."""
    fast = POLICY.decide(raw)
    exhaustive = POLICY.decide(raw, exhaustive=True)
    for decision in (fast, exhaustive):
        assert decision.effect in EFFECTS
        if decision.errors:
            assert decision.effect == "deny" and all(isinstance(e, str) and e for e in decision.errors)
    assert POLICY.decide(POLICY.observe(raw), exhaustive=True).effect == exhaustive.effect
    return fast


def check_text(text: str) -> Decision:
    """Reading `text` as a request either gives a request, or a RequestError the caller turns into a deny."""
    try:
        request = Request.loads(text)
    except RequestError as exc:
        assert str(exc)
        return Decision("deny", errors=(str(exc),))
    return check_decision(request)


# -- many requests fast: the stress run's generator (Hypothesis draws about a hundred a second) ---------------

_JUNK: list[Any] = [None, True, 0, -1, 10 ** 400, -(10 ** 400), 1.5, float("nan"), float("inf"), "", "GB", "\x1b[2J",
                    "\u202e", "x" * 300, [], {}, [1, 2], {"a": 1}, ["attire:bikini"], {"labels": None}]
_TEXT_EDITS = ("truncate", "flip", "deep", "number", "duplicate", "bom", "garbage")
_NUMBER_LITERALS = ("1e999999", "-1e999999", "NaN", "Infinity", "1" * 5000, "1e-999", "0.5")


def _junk(rng: Any) -> Any:
    roll = rng.random()
    if roll < 0.05:
        return nested(rng.randint(50, 3000))
    if roll < 0.5:
        return rng.choice(_JUNK)
    return rng.choice([rng.uniform(-2, 2), rng.randint(-5, 5), rng.choice(["attire:bikini", "subject:minor", "x:y"])])


def _observations(rng: Any) -> Any:
    labels = {rng.choice(["attire:bikini", "subject:minor", "nudity:exposed", "attire:bikinii", "x"]):
              rng.choice([rng.random(), _junk(rng)]) for _ in range(rng.randint(0, 3))}
    out: dict[str, Any] = {"labels": labels}
    if rng.random() < 0.5:
        out["persons"] = [{"labels": dict(labels), "box": [rng.choice([rng.random(), _junk(rng)]) for _ in range(4)]}
                          for _ in range(rng.randint(0, 3))]
    if rng.random() < 0.3:
        out["unknown"] = rng.choice([["subject:minor"], ["x"], _junk(rng)])
    if rng.random() < 0.2:
        out[rng.choice(["persons", "unknown", "labels", "extra"])] = _junk(rng)
    return out


def random_request(rng: Any) -> tuple[str, Any]:
    """("value", a request as a mapping or any value) or ("text", request text), broken in one to three ways."""
    raw: Any = dict(BASE)
    for _ in range(rng.randint(1, 3)):
        name = rng.choice(["country", "region", "action", "user", "surface", "date", "prompt", "images",
                           "observations", "observations", "extra"])
        raw[name] = _observations(rng) if name == "observations" and rng.random() < 0.7 else _junk(rng)
    if rng.random() < 0.05:
        raw = _junk(rng)
    if rng.random() < 0.7:
        return "value", raw
    try:
        text = json.dumps(raw)
    except (ValueError, RecursionError):
        text = "{}"
    edit = rng.choice(_TEXT_EDITS + ("none",) * 3)
    if edit == "truncate" and text:
        text = text[:rng.randrange(len(text))]
    elif edit == "flip" and text:
        at = rng.randrange(len(text))
        text = text[:at] + rng.choice(['"', "{", "]", "\\", "\x00", "\ud800", ","]) + text[at + 1:]
    elif edit == "deep":
        depth = rng.randint(500, 100_000)
        text = '{"observations":' + "[" * depth + "1" + "]" * depth + "}"
    elif edit == "number":
        text = '{"country":"GB","observations":{"labels":{"attire:bikini":' + rng.choice(_NUMBER_LITERALS) + "}}}"
    elif edit == "duplicate":
        text = '{"country":"GB","country":"FR"}'
    elif edit == "bom":
        text = "\ufeff" + text
    elif edit == "garbage":
        text += rng.choice(["}", "]]", "x", "\x00", "{}"])
    return "text", text
