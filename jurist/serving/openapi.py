"""The API description served at `/openapi.json`: OpenAPI 3.1, built from the engine's own schemas.

The request and decision schemas are `jurist.engine.request_schema`'s, which
are written from the constants the request parser checks with; this module
only places them under paths, statuses and the security scheme.  Every refusal
on a decide endpoint is still a `Decision` (effect `deny`, the reason in
`errors`), so the 4xx responses use the same schema as the 200s.
"""
from __future__ import annotations

from typing import Any

from jurist.engine.request_schema import ALSO, decision_schema, request_schema

from .settings import ServeSettings

REFUSALS = {
    "400": "malformed: not UTF-8, not strict JSON, nested too deeply, bad framing",
    "401": "no valid API token",
    "408": "the request did not arrive in full within the request timeout",
    "411": "no Content-Length, or a Transfer-Encoding",
    "413": "the body (or the batch) is over its limit",
    "415": "not application/json (UTF-8)",
    "422": "a well-formed JSON body that is not a valid request (the reason names the field)",
    "503": "the worker holds its limit of connections",
}


def _schema_only(schema: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in schema.items() if k != "$schema"}


def served_request_schema(settings: ServeSettings) -> dict[str, Any]:
    """The engine's request schema as this server reads it: without `--image-dir`, images are inline only."""
    schema = _schema_only(request_schema())
    if settings.image_dir is None:
        images = {**schema["properties"]["images"],
                  "items": {"type": "string", "pattern": "^data:",
                            "description": "a `data:image/...;base64,` URL (this server reads no files)"}}
        schema = {**schema, "properties": {**schema["properties"], "images": images}}
    return schema


def _json(ref: str) -> dict[str, Any]:
    return {"application/json": {"schema": {"$ref": f"#/components/schemas/{ref}"}}}


def _decide_responses(ok: str, description: str) -> dict[str, Any]:
    out: dict[str, Any] = {"200": {"description": description, "content": _json(ok)}}
    for status, why in REFUSALS.items():
        out[status] = {"description": f"refused ({why}); the body is a deny decision naming the reason",
                       "content": _json("Decision")}
    return out


def openapi_document(settings: ServeSettings, version: str) -> dict[str, Any]:
    """The document for a server started with `settings` (the batch limit and auth come from them)."""
    limits = settings.limits
    security: list[dict[str, list[str]]] = [{"bearer": []}] if settings.auth else []
    exhaustive = {"name": "exhaustive", "in": "query", "required": False,
                  "schema": {"enum": ["0", "1", "true", "false", "yes", "no"]},
                  "description": "evaluate every applicable rule instead of stopping at the first decisive one"}
    canary_key = {"name": "X-Jurist-Canary-Key", "in": "header", "required": False, "schema": {"type": "string"},
                  "description": "what keeps a caller on one version during a canary rollout (default: the "
                                 "request's digest)"}
    decide = {"summary": "Decide one request", "operationId": "decide", "security": security,
              "parameters": [exhaustive, canary_key],
              "requestBody": {"required": True, "content": _json("Request")},
              "responses": _decide_responses("Decision", "the decision")}
    batch = {"summary": f"Decide up to {limits.max_batch} requests, one decision each, in order",
             "operationId": "decideBatch", "security": security, "parameters": [exhaustive, canary_key],
             "requestBody": {"required": True, "content": _json("BatchRequest")},
             "responses": _decide_responses("BatchResponse", "one decision per request, in order (a malformed "
                                                             "request gets a deny decision in its place)")}

    def probe(summary: str, operation: str, content: dict[str, Any] | None = None,
              extra: dict[str, Any] | None = None) -> dict[str, Any]:
        body = {"description": summary, **({"content": content} if content else {})}
        return {"get": {"summary": summary, "operationId": operation, "responses": {"200": body, **(extra or {})}}}

    info_object = {"type": "object"}
    return {
        "openapi": "3.1.0",
        "jsonSchemaDialect": "https://json-schema.org/draft/2020-12/schema",
        "info": {"title": "Jurist decisions", "version": version,
                 "description": "Decisions on image-generation requests. Every decision names the rules version "
                                "that made it and can be traced by `decision_id`. Also: " + "; ".join(ALSO) + "."},
        "paths": {
            "/v1/decide": {"post": decide},
            "/v1/decide:batch": {"post": batch},
            "/health": probe("the process is alive, and which version it serves", "health",
                             {"application/json": {"schema": info_object}}),
            "/ready": probe("a policy is loaded and verified (`state` says when it was retired)", "ready",
                            {"application/json": {"schema": info_object}}),
            "/metrics": probe("Prometheus text format", "metrics",
                              {"text/plain": {"schema": {"type": "string"}}}),
            "/openapi.json": probe("this document", "openapi", {"application/json": {"schema": info_object}}),
        },
        "components": {
            "schemas": {
                "Request": served_request_schema(settings),
                "Decision": _schema_only(decision_schema()),
                "BatchRequest": {"type": "object", "required": ["requests"], "additionalProperties": False,
                                 "properties": {"requests": {"type": "array", "maxItems": limits.max_batch,
                                                             "items": {"$ref": "#/components/schemas/Request"}}}},
                "BatchResponse": {"type": "object", "required": ["decisions"],
                                  "properties": {"decisions": {"type": "array",
                                                               "items": {"$ref": "#/components/schemas/Decision"}}}},
            },
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer",
                                           "description": "a token made with `jurist token add NAME`"}},
        },
    }
