"""The decision service as a Starlette application: its routes, and what each one answers.

    POST /v1/decide          a request → its decision (?exhaustive=1 evaluates every rule)
    POST /v1/decide:batch    {"requests": [...]} → {"decisions": [...]}, one each, in order
    GET  /health             alive, and which version is served (HEAD too)
    GET  /ready              a policy is loaded and verified; says when the store retired it
    GET  /metrics            Prometheus text format
    GET  /openapi.json       the API description (OpenAPI 3.1)

On the decide endpoints every answer is a decision, refusals included: a
request refused for its framing, type, size, token or content gets a `deny`
decision with the reason in `errors` and a 4xx status, so a client that
reads only `effect` fails closed.  A refusal made before the body was read
closes the connection.  Every decision names the version that made it
(`policy`), its id, time and the request's digest.

Decisions without images take tens of microseconds and are made on the event
loop; those with images (detectors: up to seconds) run on a small thread pool
per worker (`image_concurrency`), so they neither block other connections nor
run more at once than memory allows.
"""
from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import logging
import time
from typing import Any, AsyncIterator, Awaitable, Callable, Mapping
from urllib.parse import parse_qs

import orjson
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request as HttpRequest
from starlette.responses import Response
from starlette.routing import Route

from jurist.engine import Decision, Request, RequestError
from jurist.engine.decision_ids import request_sha256

from .auth import TokenCheck
from .body import Refusal, declared_length, header, parse_json
from .decision_log import DecisionLog
from .images import ImageDirectory, inline_images
from .metrics import CONTENT_TYPE, Metrics
from .openapi import openapi_document
from .policies import Following, Served
from .rollout import KEY_HEADER, Canary, ShadowRunner
from .settings import Limits, ServeSettings

logger = logging.getLogger("jurist.serving")
JSON_TYPE = "application/json; charset=utf-8"
DECIDE_PATHS = ("/v1/decide", "/v1/decide:batch")
_TRUE = ("1", "true", "yes")


@dataclasses.dataclass
class Service:
    """Everything one worker decides with; built by `jurist.serving.worker` (or a test) and closed at shutdown."""

    settings: ServeSettings
    following: Following
    metrics: Metrics
    log: DecisionLog
    tokens: TokenCheck | None = None
    canary: Canary | None = None
    shadow: ShadowRunner | None = None
    image_dir: ImageDirectory | None = None
    on_close: tuple[Callable[[], None], ...] = ()

    def __post_init__(self) -> None:
        from anyio import CapacityLimiter

        self.image_slots = CapacityLimiter(self.settings.limits.image_concurrency)
        self.show(self.following.current)
        if self.canary is not None:
            self.metrics.show_version("canary", self.canary.policy.version.name,
                                      self.canary.policy.version.sources_hash)
        if self.shadow is not None:
            self.metrics.show_version("shadow", self.shadow.policy.version.name,
                                      self.shadow.policy.version.sources_hash)

    def show(self, served: Served) -> None:
        """Publish the served version in the metrics (called again on every swap)."""
        version = served.policy.version
        self.metrics.show_version("served", version.name, version.sources_hash)
        self.metrics.policy_retired.set(1 if served.retired else 0)

    def refusal(self, path: str | None, status: int, reason: str, digest: str = "") -> bytes:
        """The body of a refusal: a deny decision on the decide endpoints, else `{"error": reason}`."""
        self.metrics.refused(status)
        if path in DECIDE_PATHS:  # a decision like any other: counted and logged
            decision = self.following.current.policy.refusal(reason, digest)
            self.metrics.observe(decision, "served", None)
            self.log.put(decision, None)
            return _dumps(decision.to_json())
        return _dumps({"error": reason})

    def close(self) -> None:
        """The worker's clean shutdown: stop following, let the shadow finish, drain the log."""
        self.following.stop()
        if self.shadow is not None:
            self.shadow.close()
        self.log.close()
        for action in self.on_close:
            action()


def _dumps(body: Any) -> bytes:
    """A response body.  orjson encodes a decision several times faster than the standard library (a
    third of a decision's time over HTTP went to encoding it); anything it cannot encode goes the slow way."""
    try:
        return orjson.dumps(body, default=_plain)
    except TypeError:
        return json.dumps(body, ensure_ascii=False).encode()


def _plain(value: Any) -> Any:
    if isinstance(value, Mapping):
        return dict(value)
    raise TypeError(type(value).__name__)


class FrontDoor:
    """The ASGI application: a POST to a decide path goes straight to its endpoint, everything else through
    Starlette's router and middleware (which cost a decision about a sixth of its time over HTTP)."""

    def __init__(self, decide: Mapping[str, "DecideEndpoint"], rest: Starlette):
        self.decide, self.rest, self.state = dict(decide), rest, rest.state

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http" and scope.get("method") == "POST":
            endpoint = self.decide.get(scope["path"])
            if endpoint is not None:
                await endpoint(scope, receive, send)
                return
        await self.rest(scope, receive, send)


def create_app(service: Service) -> FrontDoor:
    """The application for one worker's `service`."""
    settings = service.settings
    limits = settings.limits
    document = _dumps(openapi_document(settings, _package_version()))

    def respond(request: HttpRequest, status: int, body: bytes, *, close: bool = False,
                headers: Mapping[str, str] | None = None, media_type: str = JSON_TYPE) -> Response:
        extra = dict(headers or {})
        connection = _connection_header(request.scope, close)
        if connection is not None:
            extra["Connection"] = connection
        return Response(body, status, extra, media_type)

    def parse(raw: Any) -> Request:
        """A request, its image files (with --image-dir) read inline; RequestError names any problem."""
        parsed = Request.from_json(raw)
        if parsed.images:
            inlined = inline_images(parsed.images, service.image_dir)
            if inlined is not None:
                parsed = dataclasses.replace(parsed, images=inlined)
        return parsed

    def route(served: Served, parsed: Request, key: str | None) -> tuple[Any, str]:
        canary = service.canary
        if canary is not None and canary.takes(key if key is not None else request_sha256(parsed)):
            return canary.policy, "canary"
        return served.policy, "served"

    def decide_one(served: Served, parsed: Request, key: str | None, exhaustive: bool) -> Decision:
        policy, role = route(served, parsed, key)
        decision: Decision = policy.decide(parsed, exhaustive=exhaustive)
        service.metrics.observe(decision, role, parsed.country)
        service.log.put(decision, parsed, role)
        if service.shadow is not None:
            service.shadow.submit(parsed, decision, exhaustive)
        return decision

    async def decide(exchange: Exchange) -> tuple[int, bytes]:
        served = service.following.current  # one version for the whole request
        raw = await exchange.read_json()
        try:
            parsed = parse(raw)
        except RequestError as exc:
            raise Refusal(422, str(exc)) from None
        if parsed.images:
            async with service.image_slots:
                decision = await run_in_threadpool(decide_one, served, parsed, exchange.key, exchange.exhaustive)
        else:
            decision = decide_one(served, parsed, exchange.key, exchange.exhaustive)
        return 200, _dumps(decision.to_json())

    def decide_all(served: Served, items: list[Any], key: str | None, exhaustive: bool) -> list[dict[str, Any]]:
        out = []
        for index, item in enumerate(items):
            try:
                parsed = parse(item)
            except RequestError as exc:
                refused = served.policy.refusal(f"requests[{index}]: {exc}", _raw_digest(item))
                service.metrics.observe(refused, "served", None)
                service.log.put(refused, None)
                out.append(refused.to_json())
                continue
            out.append(decide_one(served, parsed, key, exhaustive).to_json())
        return out

    async def decide_batch(exchange: Exchange) -> tuple[int, bytes]:
        served = service.following.current  # one version for the whole batch
        raw = await exchange.read_json()
        items = raw.get("requests") if type(raw) is dict else None
        if type(raw) is not dict or set(raw) != {"requests"} or type(items) is not list:
            raise Refusal(422, 'a batch is {"requests": [request, ...]}')
        if len(items) > limits.max_batch:
            raise Refusal(413, f"a batch of {len(items)} requests is over the limit of {limits.max_batch}")
        if any(type(item) is dict and item.get("images") for item in items):
            async with service.image_slots:
                decisions = await run_in_threadpool(decide_all, served, items, exchange.key, exchange.exhaustive)
        else:
            decisions = decide_all(served, items, exchange.key, exchange.exhaustive)
        return 200, _dumps({"decisions": decisions})

    async def health(request: HttpRequest) -> Response:
        served = service.following.current
        return respond(request, 200, _dumps({"status": "ok", "ruleset": served.policy.origin,
                                             "rules": len(served.policy.ruleset.rules),
                                             "policy": served.policy.version.to_json()}))

    async def ready(request: HttpRequest) -> Response:
        served = service.following.current
        body: dict[str, Any] = {"ready": True, "serving": served.describe(),
                                "auth": "tokens" if service.tokens is not None else "off (--insecure-no-auth)"}
        if service.canary is not None:
            body["canary"] = {**service.canary.policy.version.to_json(), "share": service.canary.share}
        if service.shadow is not None:
            body["shadow"] = service.shadow.policy.version.to_json()
        return respond(request, 200, _dumps(body))

    async def metrics(request: HttpRequest) -> Response:
        return respond(request, 200, service.metrics.exposition(), media_type=CONTENT_TYPE)

    async def openapi(request: HttpRequest) -> Response:
        return respond(request, 200, document)

    async def http_error(request: HttpRequest, exc: Exception) -> Response:
        """Starlette's 404 and 405 in our form (a deny decision on the decide paths), `Allow` kept."""
        assert isinstance(exc, HTTPException)
        path = request.url.path
        if exc.status_code == 405:
            allowed = (exc.headers or {}).get("Allow", "")
            reason = f"{path} answers {allowed}, not {request.method}"
        elif exc.status_code == 404:
            reason = f"no such endpoint: {request.method} {path}"
        else:
            reason = exc.detail
        body = service.refusal(path, exc.status_code, reason)
        return respond(request, exc.status_code, body, close=True, headers=exc.headers)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        yield
        service.close()  # after the last connection: drains the decision log

    endpoints = {"/v1/decide": DecideEndpoint(service, decide, "decide"),
                 "/v1/decide:batch": DecideEndpoint(service, decide_batch, "decide_batch")}
    # The decide paths stay routes too, so any other method gets Starlette's 405 (as a deny decision).
    routes = [*(Route(path, endpoint, methods=["POST"]) for path, endpoint in endpoints.items()),
              Route("/health", health, methods=["GET"]),
              Route("/ready", ready, methods=["GET"]),
              Route("/metrics", metrics, methods=["GET"]),
              Route("/openapi.json", openapi, methods=["GET"])]
    app = Starlette(routes=routes, exception_handlers={HTTPException: http_error}, lifespan=lifespan)
    app.state.service = service
    return FrontDoor(endpoints, app)


def _connection_header(scope: Mapping[str, Any], close: bool) -> str | None:
    """`close` when the connection must end; `keep-alive` for an HTTP/1.0 client that asked (the protocol
    keeps its connection open); else nothing."""
    if close:
        return "close"
    if scope.get("http_version") == "1.0":
        asked = header(scope["headers"], b"connection")
        if asked is not None and "keep-alive" in asked.lower():
            return "keep-alive"
    return None


class Exchange:
    """One request to a decide endpoint, at the ASGI level: what the handler reads, parsed once.

    The decide endpoints are the hot path, so they skip Starlette's request and response objects
    (about a fifth of a decision's time over HTTP); the other endpoints use them.
    """

    __slots__ = ("scope", "receive", "limits", "tokens", "digest", "key", "exhaustive")

    def __init__(self, scope: Mapping[str, Any], receive: Callable[[], Any], limits: Limits,
                 tokens: TokenCheck | None):
        self.scope, self.receive, self.limits, self.tokens = scope, receive, limits, tokens
        self.digest = ""
        headers = scope["headers"]
        self.key = header(headers, KEY_HEADER.encode())
        query = scope.get("query_string", b"")
        self.exhaustive = bool(query) and parse_qs(query.decode("latin-1")).get("exhaustive", ["0"])[0].lower() \
            in _TRUE

    async def read_json(self) -> Any:
        """The authenticated, size-checked, strictly parsed body (its bytes' digest kept for a refusal)."""
        headers = self.scope["headers"]
        if self.tokens is not None:
            self.tokens.check(header(headers, b"authorization"))
        length = declared_length(headers, self.limits.max_body_bytes)
        chunks = []
        while True:
            message = await self.receive()
            if message["type"] != "http.request":
                raise Refusal(400, f"the client went away before sending its {length}-byte body", close=True)
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                break
        data = b"".join(chunks)
        self.digest = hashlib.sha256(data).hexdigest()
        return parse_json(data, self.limits.max_json_depth)


Handler = Callable[[Exchange], Awaitable[tuple[int, bytes]]]


class DecideEndpoint:
    """A decide endpoint as a plain ASGI app: every answer a decision, refusals included."""

    def __init__(self, service: Service, handler: Handler, name: str):
        self.service, self.handler, self.name = service, handler, name

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        started = time.perf_counter()
        service = self.service
        exchange = Exchange(scope, receive, service.settings.limits, service.tokens)
        extra: list[tuple[bytes, bytes]] = []
        close = False
        try:
            status, body = await self.handler(exchange)
        except Refusal as refusal:
            status, close = refusal.status, refusal.close
            body = service.refusal(scope["path"], refusal.status, refusal.reason, exchange.digest)
            extra = [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in refusal.headers.items()]
        except Exception:  # a bug: still a deny the client can read, and the trace in the server's log
            logger.exception("deciding a request on %s failed", scope["path"])
            status, close = 500, True
            reason = "the server failed while deciding this request; it was not decided (fail closed)"
            try:
                body = service.refusal(scope["path"], 500, reason, exchange.digest)
            except Exception:
                logger.exception("answering the failure on %s failed too", scope["path"])
                body = _dumps({"effect": "deny", "rules": [], "errors": [reason], "message": None})
        connection = _connection_header(scope, close)
        if connection is not None:
            extra.append((b"connection", connection.encode()))
        await send({"type": "http.response.start", "status": status,
                    "headers": [(b"content-type", JSON_TYPE.encode()), (b"content-length", b"%d" % len(body)),
                                *extra]})
        await send({"type": "http.response.body", "body": body})
        service.metrics.request_time(self.name, time.perf_counter() - started)


def _raw_digest(item: Any) -> str:
    from jurist.engine.decision_ids import raw_sha256

    return raw_sha256(item)


def _package_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("jurist")
    except PackageNotFoundError:
        return "0"
