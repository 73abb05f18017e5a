"""One worker process: everything it decides with, built from the settings the supervisor handed down.

uvicorn starts each worker by importing `create_app` (a factory) and
`protocol` from here; `build_service` is also what in-process servers
(`jurist.serving.server.serve_in_background`, the tests) use.
"""
from __future__ import annotations

import logging
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from .app import FrontDoor, Service
from .app import create_app as app_for
from .auth import TokenCheck
from .decision_log import DecisionLog, JsonLinesSink, Sink, StoreSink
from .images import ImageDirectory
from .metrics import Metrics
from .policies import Following, Served, compiled, load_path, split_version
from .protocol import guarded_protocol
from .rollout import Canary, ShadowRunner
from .settings import ServeSettings

logger = logging.getLogger("jurist.serving")
_protocol: type[HttpToolsProtocol] | None = None


class SettingsError(ValueError):
    """The server cannot start with these settings; the message says which and why."""


def build_service(settings: ServeSettings) -> Service:
    """Load and verify the policies, open the store and the sinks: a worker ready to serve."""
    from jurist.db.loader import split_target

    metrics = Metrics()
    store = None
    ruleset = None
    if settings.follows_store:
        from jurist.db.serving import ServingStore

        url, ruleset = split_target(settings.rules)
        store = ServingStore.open(url)
        version = store.published(ruleset)
        served = Served(compiled(version), version.number)
    else:
        served = load_path(settings.rules)
    opened = [store] if store is not None else []
    try:
        side_store = _side_store(settings, store, opened)
        tokens = TokenCheck(side_store.token_digests()) if settings.auth and side_store is not None else None
        if settings.auth and tokens is None:
            raise SettingsError("authentication needs the API tokens of a store: serve a store URL, pass --db, or "
                                "start with --insecure-no-auth")
        if tokens is not None and not tokens.digests:
            logger.warning("the store holds no API token: every decide request will be refused with 401; "
                           "make one with `jurist token add NAME --db %s`", side_store.url if side_store else "")
        sinks: list[Sink] = []
        for target in settings.decision_log:
            if target == "store":
                if side_store is None:
                    raise SettingsError("--decision-log store needs a store: serve a store URL or pass --db")
                sinks.append(StoreSink(side_store))
            else:
                sinks.append(JsonLinesSink(target, settings.log_rotate_bytes))
        log = DecisionLog(sinks, metrics, settings.log_queue)
        rollout = settings.rollout
        canary = Canary(_candidate(rollout.canary, store, approved=True), rollout.canary_share) \
            if rollout.canary else None
        shadow = ShadowRunner(_candidate(rollout.shadow, store, approved=False), log, metrics) \
            if rollout.shadow else None
        image_dir = ImageDirectory(settings.image_dir) if settings.image_dir else None
    except BaseException:
        for each in opened:
            each.close()
        raise

    service: Service

    def refresh_tokens() -> None:
        if service.tokens is not None and side_store is not None:
            try:
                service.tokens = TokenCheck(side_store.token_digests())
            except Exception as exc:  # noqa: BLE001 - keep the tokens we have while the store is away
                logger.error("could not re-read the API tokens: %s", exc)

    following = Following(served, store, ruleset, settings.reload_interval,
                          on_change=lambda fresh: service.show(fresh), on_tick=refresh_tokens,
                          on_reload=lambda outcome: metrics.reloads.labels(outcome).inc())
    service = Service(settings, following, metrics, log, tokens, canary, shadow, image_dir,
                      tuple(each.close for each in opened))
    following.start()
    return service


def _side_store(settings: ServeSettings, store: Any, opened: list[Any]) -> Any:
    """The store for tokens and the store sink: --db, else the one the rules come from, else none."""
    if settings.db is not None:
        from jurist.db.serving import ServingStore

        side = ServingStore.open(settings.db)
        opened.append(side)
        return side
    return store


def _candidate(target: str | None, store: Any, *, approved: bool) -> Any:
    """A canary or shadow policy: NAME@vN from the served store (verified), or a ruleset path."""
    assert target is not None
    named = split_version(target)
    if named is not None and store is not None:
        return compiled(store.version(*named, approved=approved))
    if named is not None:
        raise SettingsError(f"`{target}` names a store version, but the rules are served from files; "
                            "serve a store URL to roll out a stored version, or give a ruleset path")
    return load_path(target).policy


def create_app() -> FrontDoor:
    """uvicorn's factory in each worker: the settings come from the supervisor's environment."""
    global _protocol
    from .server import configure_logging

    settings = ServeSettings.from_env()
    configure_logging(settings.log_level)
    if not settings.auth:
        logger.warning("AUTHENTICATION IS OFF (--insecure-no-auth): anyone who can reach this port gets decisions")
    service = build_service(settings)
    _protocol = guarded_protocol(settings.limits, service.refusal,
                                 lambda reason: service.metrics.connections_refused.labels(reason).inc())
    return app_for(service)


def protocol(**kwargs: Any) -> HttpToolsProtocol:
    """uvicorn's protocol in each worker (`--http jurist.serving.worker:protocol`): the guarded one."""
    assert _protocol is not None, "create_app runs before the first connection"
    return _protocol(**kwargs)
