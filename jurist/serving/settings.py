"""Everything `jurist serve` is started with, and every limit it enforces, in one immutable record.

The supervisor process builds it from the command line and hands it to each
worker as JSON in an environment variable (uvicorn starts workers by importing
an application factory, with no arguments), so every worker runs with exactly
the same settings.  Each limit fails closed with a reason: a request over one
is refused with a `deny` decision naming it.
"""
from __future__ import annotations

import dataclasses
import json
import os
from dataclasses import dataclass, field

ENV_VAR = "JURIST_SERVE_SETTINGS"


@dataclass(frozen=True, slots=True)
class Limits:
    """What one connection and one request may cost a worker; docs/serving.md lists each."""

    max_body_bytes: int = 48 * 1024 * 1024   # checked against Content-Length before the body is read
    max_batch: int = 100                     # requests in one POST /v1/decide:batch
    max_json_depth: int = 32                 # nesting of the body's JSON (a request needs 5)
    request_timeout: float = 30.0            # a request must arrive in full (headers and body) within this
    idle_timeout: float = 5.0                # a connection may wait this long for its next request
    max_connections: int = 1024              # open connections per worker; more are answered 503 and closed
    backlog: int = 2048                      # the listen queue of connections not yet accepted
    image_concurrency: int = 2               # decisions with images running at once per worker

    def __post_init__(self) -> None:
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
                raise ValueError(f"{f.name} must be a positive number, got {value!r}")


@dataclass(frozen=True, slots=True)
class Rollout:
    """A candidate version beside the served one: `shadow` decides every request off the latency path;
    `canary` answers `share` of them (0 < share < 1), sticky by key."""

    shadow: str | None = None         # NAME@vN or a ruleset path
    canary: str | None = None         # NAME@vN or a ruleset path
    canary_share: float = 0.0


@dataclass(frozen=True, slots=True)
class ServeSettings:
    rules: str                                   # a ruleset path or a store URL `…#name`
    host: str = "127.0.0.1"
    port: int = 8787
    workers: int = 1
    image_dir: str | None = None
    limits: Limits = field(default_factory=Limits)
    auth: bool = True                            # bearer tokens from the store; False: --insecure-no-auth
    db: str | None = None                        # the store for tokens and the store sink (default: the rules')
    decision_log: tuple[str, ...] = ()           # sinks: a directory for JSON Lines, or `store`
    log_rotate_bytes: int = 64 * 1024 * 1024     # a JSON Lines file is rotated (and gzipped) past this size
    log_queue: int = 100_000                     # records waiting for the sinks; past it they are counted lost
    rollout: Rollout = field(default_factory=Rollout)
    reload_interval: float = 2.0                 # seconds between checks of the store (SQLite; PostgreSQL's fallback)
    tls_cert: str | None = None
    tls_key: str | None = None
    log_level: str = "info"

    @property
    def follows_store(self) -> bool:
        return "://" in self.rules

    @property
    def scheme(self) -> str:
        return "https" if self.tls_cert else "http"

    def to_env(self) -> str:
        return json.dumps(dataclasses.asdict(self))

    @classmethod
    def from_env(cls, environ: os._Environ[str] | dict[str, str] | None = None) -> ServeSettings:
        raw = json.loads((environ if environ is not None else os.environ)[ENV_VAR])
        raw["limits"] = Limits(**raw["limits"])
        raw["rollout"] = Rollout(**raw["rollout"])
        raw["decision_log"] = tuple(raw["decision_log"])
        return cls(**raw)
