"""One contract: the JSON Schema of a request accepts what the engine's parser accepts, and nothing else.

Two directions, on generated examples (bounded here; `bench/serve.py` is not
where fuzzing lives, `--hypothesis-seed` reproduces a run):

* requests built field by field from valid and invalid values: the schema
  and `Request.from_json` agree on each, except for what the schema states it
  cannot say (a region outside its country; codes in lower case or with
  spaces; `1.0` for an image index);
* the HTTP API, driven by Schemathesis from the served `/openapi.json`: every
  request body the schema generates is decided (200) unless it breaks the
  one cross-field rule, every answer matches the decision schema, and no
  input makes the server fail.
"""
from __future__ import annotations

import json

import hypothesis.strategies as st
import jsonschema_rs
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from jurist.engine import Request, RequestError
from jurist.engine.request_schema import decision_schema, request_schema
from jurist.engine.vocabulary import FIELDS, SCHEMA
from jurist.serving.app import create_app
from jurist.serving.settings import ServeSettings
from jurist.serving.worker import build_service

from serving_support import RULES, write_rules

REQUESTS = jsonschema_rs.validator_for(request_schema())
DECISIONS = jsonschema_rs.validator_for(decision_schema())
LABELS = sorted(SCHEMA.labels)


def closed(name: str) -> st.SearchStrategy[object]:
    return st.sampled_from([*FIELDS[name], None, "", "other", 3, True])


scores = st.one_of(st.floats(-0.5, 1.5, allow_nan=False), st.integers(-2, 3), st.booleans(), st.just("0.5"),
                   st.just(10 ** 30))
labels = st.one_of(st.none(), st.dictionaries(st.sampled_from([*LABELS, "attire:bikinii", "nolabel"]), scores,
                                              max_size=3), st.just([]))
coordinate = st.one_of(st.floats(-2e9, 2e9, allow_nan=False), st.integers(-10, 10), st.just("1"))
person = st.one_of(
    st.fixed_dictionaries({}, optional={"labels": labels,
                                        "box": st.one_of(st.none(), st.lists(coordinate, min_size=3, max_size=5)),
                                        "image": st.one_of(st.integers(-1, 3), st.just(2 ** 31), st.just("0"),
                                                           st.just(None), st.floats(0.5, 1.5)),
                                        "name": st.just("x")}),
    st.just("person"))
observations = st.one_of(st.none(), st.just([]), st.fixed_dictionaries({}, optional={
    "labels": labels, "persons": st.one_of(st.none(), st.lists(person, max_size=2), st.just({})),
    "unknown": st.one_of(st.none(), st.lists(st.sampled_from([*LABELS, "x:y", "nocolon"]), max_size=2),
                         st.just("attire:bikini")),
    "extra": st.just(1)}))
dates = st.one_of(st.sampled_from(["2026-02-28", "2024-02-29", "2023-02-29", "2000-02-29", "1900-02-29",
                                   "2026-13-01", "2026-04-31", "2026-1-01", "0000-01-01", "0001-01-01",
                                   "9999-12-31", None, 20260101]),
                  st.builds(lambda y, m, d: f"{y:04d}-{m:02d}-{d:02d}", st.integers(0, 9999), st.integers(0, 13),
                            st.integers(0, 32)))
candidates = st.fixed_dictionaries({}, optional={
    "action": closed("action"), "surface": closed("surface"),
    "country": st.sampled_from(["GB", "FR", "US", "XK", "XX", "G", None, 44]),
    "region": st.sampled_from(["GB-SCT", "US-CA", "FR-75C", "ZZ-ZZ", "GB", None]),
    "user": st.one_of(st.none(), st.fixed_dictionaries({}, optional={"tier": closed("user.tier"), "x": st.just(1)}),
                      st.just("paid")),
    "date": dates,
    "prompt": st.one_of(st.none(), st.text(max_size=20), st.just("x" * 20_001), st.just(5)),
    "images": st.one_of(st.none(), st.lists(st.text(max_size=5), max_size=2), st.just([1]), st.just("a.png")),
    "observations": observations,
    "colour": st.just("red"),
})


def engine_accepts(raw: object) -> str | None:
    """None when the parser accepts `raw`; else its reason."""
    try:
        Request.from_json(raw)
    except RequestError as exc:
        return str(exc)
    return None


def outside_the_schema(raw: dict) -> bool:
    """What the schema says in words only (`x-jurist-also`): an image index written 1.0."""
    persons = (raw.get("observations") or {}).get("persons") if isinstance(raw.get("observations"), dict) else None
    return isinstance(persons, list) and any(isinstance(p, dict) and isinstance(p.get("image"), float)
                                             and p["image"].is_integer() for p in persons)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(candidates)
def test_the_schema_and_the_parser_agree_on_every_request(raw):
    raw = json.loads(json.dumps(raw))  # what a server receives: JSON values only
    refused = engine_accepts(raw)
    valid = REQUESTS.is_valid(raw)
    if outside_the_schema(raw):
        return
    if refused is not None and "is not in country" in refused:
        # The one cross-field rule the schema states in words: judge the rest of the request without it.
        raw = {k: v for k, v in raw.items() if k != "country"}
        refused = engine_accepts(raw)
    assert valid == (refused is None), (refused, list(REQUESTS.iter_errors(raw))[:1])
    if refused is None:  # and the canonical form, what a record keeps, is valid too
        assert REQUESTS.is_valid(Request.from_json(raw).to_json())


@pytest.mark.parametrize("raw", [{"country": "gb"}, {"country": " GB "}, {"region": "us-ca"}])
def test_codes_the_engine_normalises_are_valid_once_normalised(raw):
    assert engine_accepts(raw) is None and not REQUESTS.is_valid(raw)
    assert REQUESTS.is_valid(Request.from_json(raw).to_json())


# -- the HTTP API against its own OpenAPI document ---------------------------------------------------

def _app():
    rules = write_rules(RULES)
    return create_app(build_service(ServeSettings(str(rules), auth=False)))


API = schemathesis.openapi.from_asgi("/openapi.json", _app())


@API.include(path_regex="^/v1/").parametrize()
@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
def test_the_api_decides_what_its_schema_describes(case):
    response = case.call()
    assert response.status_code < 500, response.text
    body = response.json()
    decisions = body["decisions"] if response.status_code == 200 and "decisions" in body else [body]
    for decision in decisions:
        assert DECISIONS.is_valid(decision), list(DECISIONS.iter_errors(decision))[:1]
    if response.status_code != 200:
        assert body["effect"] == "deny" and body["errors"]
    sent_as_json = (case.headers or {}).get("Content-Type", "application/json") == "application/json"
    if (case.path, case.method) == ("/v1/decide", "POST") and sent_as_json and isinstance(case.body, dict) \
            and REQUESTS.is_valid(case.body) and not outside_the_schema(case.body):
        # a request the schema accepts is decided, unless it breaks the rule the schema states in words
        assert response.status_code == 200 or "is not in country" in body["errors"][0], body["errors"]
