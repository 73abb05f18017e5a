"""The request and decision contracts as JSON Schema (2020-12, what OpenAPI 3.1 uses).

There is one contract: the one `Request.from_json` enforces.  This module
writes it down from the very constants the parser checks with (the known
fields, the closed values of `vocabulary.FIELDS`, the label vocabulary, the
ISO 3166 codes, the prompt limit, the box and image-index bounds), so the
schema cannot drift from the parser without `tests/serving/test_schema.py`
noticing: every example the schema accepts is accepted by the engine, and
every request the engine accepts is accepted by the schema in its canonical
form (`Request.to_json`).

Two things JSON Schema cannot say are stated in the schema's text instead
(`x-jurist-also`): a `region` must lie in the `country` when both are given,
and codes are accepted in any letter case with surrounding spaces (the engine
upper-cases and strips them; the schema lists the canonical form).  JSON
Schema's `integer` also admits `1.0`, which the engine refuses for a person's
`image` index.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any

from jurist.dsl.keywords import EFFECTS
from jurist.dsl.places import countries, subdivisions

from .observations import _MAX_COORD, _MAX_IMAGE_INDEX  # the bounds Person.from_json checks
from jurist.dsl.languages import LANGUAGE_TAG

from .request import _KNOWN, MAX_PROMPT_CHARS  # the fields and limit Request.from_json checks
from .vocabulary import FIELDS, SCHEMA

DIALECT = "https://json-schema.org/draft/2020-12/schema"

# A calendar date YYYY-MM-DD that `datetime.date` accepts: years 0001-9999, real days, leap years.
_DATE = ("^(?!0000)(?:[0-9]{4}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)"
         "|02-(?:0[1-9]|1[0-9]|2[0-8]))|(?:[0-9]{2}(?:0[48]|[2468][048]|[13579][26])"
         "|(?:0[48]|[2468][048]|[13579][26])00)-02-29)$")

ALSO = ("`region` must be a subdivision of `country` when both are given (a `region` alone sets the country)",
        "`country` and `region` are also accepted in lower case and with surrounding spaces; the engine "
        "upper-cases and strips them",
        "a person's `image` must be written as an integer (`1`, not `1.0`)")


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    """A field the caller may leave out or set to null: null means unknown, as leaving it out does."""
    out = dict(schema)
    if "enum" in out:
        out["enum"] = [*out["enum"], None]
    if "type" in out:
        kind = out["type"]
        out["type"] = [*(kind if isinstance(kind, list) else [kind]), "null"]
    return out


def _closed(name: str, description: str | None = None) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "string", "enum": list(FIELDS[name])}
    if description:
        schema["description"] = description
    return _nullable(schema)


def label_scores() -> dict[str, Any]:
    """`{"category:value": score}` over the engine's vocabulary, each score in [0, 1]."""
    return _nullable({"type": "object", "propertyNames": {"enum": sorted(SCHEMA.labels)},
                      "additionalProperties": {"type": "number", "minimum": 0, "maximum": 1}})


def _coordinate(minimum: float) -> dict[str, Any]:
    return {"type": "number", "minimum": minimum, "maximum": _MAX_COORD}


def observations_schema() -> dict[str, Any]:
    person = {
        "type": "object", "additionalProperties": False,
        "description": "one detected person; labels scoped to them serve `person(...)` rules",
        "properties": {
            "labels": label_scores(),
            "box": _nullable({"type": "array", "minItems": 4, "maxItems": 4, "items": False,
                              "description": "x, y, width, height in image pixels",
                              "prefixItems": [_coordinate(-_MAX_COORD), _coordinate(-_MAX_COORD),
                                              _coordinate(0), _coordinate(0)]}),
            "image": {"type": "integer", "minimum": 0, "maximum": _MAX_IMAGE_INDEX - 1,
                      "description": "index into the request's images"},
        },
    }
    return _nullable({
        "type": "object", "additionalProperties": False,
        "description": "detector outputs given by the caller (simulation, replay, facts only the platform knows); "
                       "beside a prompt or images they fill only labels no detector yields from them",
        "properties": {
            "labels": label_scores(),
            "persons": _nullable({"type": "array", "items": person}),
            "unknown": _nullable({"type": "array", "items": {"enum": sorted(SCHEMA.labels)},
                                  "description": "labels a detector could not produce: deny and review rules "
                                                 "needing them count as matched"}),
        },
    })


@lru_cache(maxsize=1)
def request_schema() -> dict[str, Any]:
    """The JSON Schema of a request, as `Request.from_json` checks it."""
    properties: dict[str, Any] = {
        "action": _closed("action"),
        "country": _nullable({"type": "string", "enum": sorted(countries()),
                              "description": "ISO 3166-1 alpha-2 code"}),
        "region": _nullable({"type": "string", "enum": sorted(subdivisions()),
                             "description": "ISO 3166-2 subdivision code; sets `country` when that is left out"}),
        "user": _nullable({"type": "object", "additionalProperties": False,
                           "properties": {"tier": _closed("user.tier")}}),
        "surface": _closed("surface"),
        "stage": _closed("stage", "the moment checked: `input` (the prompt and the user's uploaded images, before "
                                  "generating) or `output` (`images` are the generated result, before it is shown)"),
        "date": _nullable({"type": "string", "pattern": _DATE,
                           "description": "YYYY-MM-DD; rules in force are judged on this day (default: today)"}),
        "prompt": _nullable({"type": "string", "maxLength": MAX_PROMPT_CHARS}),
        "images": _nullable({"type": "array", "items": {"type": "string"},
                             "description": "inline `data:image/...;base64,` URLs (file names only where the "
                                            "server reads an image directory)"}),
        "observations": observations_schema(),
        "locale": _nullable({"type": "string", "pattern": f"^{LANGUAGE_TAG.pattern}$",
                             "description": "BCP 47 language tag (`pt-BR`): the language rule messages are chosen "
                                            "in, falling back to shorter tags, then the untagged message"}),
    }
    assert set(properties) == _KNOWN, "the schema lists exactly the fields the parser knows"
    return {
        "$schema": DIALECT, "title": "Request", "type": "object", "additionalProperties": False,
        "description": "What a decision is made for. A field left out (or null) is unknown, not a default: a deny "
                       "or review rule that depends on it counts as matched (fail closed).",
        "properties": properties,
        "x-jurist-also": list(ALSO),
    }


def _matched_rule() -> dict[str, Any]:
    return {"type": "object", "required": ["id", "effect", "source"],
            "properties": {"id": {"type": "string"}, "effect": {"enum": list(EFFECTS)},
                           "cite": {"type": ["string", "null"]}, "message": {"type": ["string", "null"]},
                           "source": {"type": "string", "description": "file:line"},
                           "unverified": {"type": "string",
                                          "description": "why it counts as matched without being checked"}}}


def policy_version_schema() -> dict[str, Any]:
    return {"type": "object", "required": ["name", "sources_hash"],
            "description": "the rules that decided: `name@vN` or a directory, and the hash of their sources",
            "properties": {"name": {"type": "string"},
                           "sources_hash": {"type": "string", "pattern": "^sha256:[0-9a-f]{64}$"}}}


@lru_cache(maxsize=1)
def decision_schema() -> dict[str, Any]:
    """The JSON Schema of a decision as `Decision.to_json` writes it for a stamped decision."""
    return {
        "$schema": DIALECT, "title": "Decision", "type": "object",
        "required": ["effect", "rules", "errors", "decision_id", "decided_at", "policy", "request_sha256"],
        "properties": {
            "effect": {"enum": list(EFFECTS), "description": "a client that reads only this fails closed"},
            "rules": {"type": "array", "items": _matched_rule(),
                      "description": "matched rules, strongest effect first, then in the ruleset's order"},
            "unevaluated": {"type": "array", "items": {"type": "string"}},
            "trace": {"type": "array", "items": {"type": "object"}},
            "detectors_run": {"type": "array", "items": {
                "type": "object", "required": ["name", "ms", "ok"],
                "properties": {"name": {"type": "string"}, "ms": {"type": "number"}, "ok": {"type": "boolean"},
                               "error": {"type": "string"}}}},
            "observations": {"type": "object", "description": "every score used, in the request's observation "
                                                              "format: replay it against another ruleset"},
            "elapsed_ms": {"type": "number"},
            "default_applied": {"type": "boolean"},
            "errors": {"type": "array", "items": {"type": "string"},
                       "description": "why a request was refused (then the effect is deny)"},
            "decision_id": {"type": "string", "description": "UUIDv7, time-ordered",
                            "pattern": "^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"},
            "decided_at": {"type": "string", "description": "UTC, to the microsecond"},
            "policy": policy_version_schema(),
            "request_sha256": {"type": "string", "pattern": "^([0-9a-f]{64})?$",
                               "description": "SHA-256 of the request's canonical JSON (sorted keys, no spaces); "
                                              "of the body as received when it was not a request"},
        },
    }
