"""Running the service: uvicorn, one or more worker processes, on one listening socket.

`run` is what `jurist serve` calls.  It binds the socket itself (so port 0
can be reported before any worker starts), prepares the metrics folder the
workers share, hands the settings to the workers through the environment and
lets uvicorn supervise them: a worker that dies is replaced, SIGINT or
SIGTERM shuts every worker down cleanly (open requests finish, decision logs
drain).  Workers are stateless apart from what they read from the store, so
scaling out is more workers, or more machines behind any load balancer.

`serve_in_background` runs one in-process server on a thread, for tests and
benchmarks that want a real socket without a subprocess.
"""
from __future__ import annotations

import asyncio
import logging
import os
import shutil
import socket
import tempfile
import threading
from dataclasses import dataclass
from typing import Callable

import uvicorn

from .metrics import MULTIPROC_ENV
from .settings import ENV_VAR, ServeSettings

logger = logging.getLogger("jurist.serving")


def uvicorn_config(settings: ServeSettings, app: object, http: object) -> uvicorn.Config:
    limits = settings.limits
    return uvicorn.Config(
        app, host=settings.host, port=settings.port, workers=settings.workers, http=http,  # type: ignore[arg-type]
        loop="uvloop" if _has_uvloop() else "asyncio", lifespan="on", access_log=False, log_config=None,
        server_header=False, backlog=limits.backlog, timeout_keep_alive=limits.idle_timeout,  # type: ignore[arg-type]
        timeout_graceful_shutdown=max(1, round(limits.request_timeout)),
        ssl_certfile=settings.tls_cert, ssl_keyfile=settings.tls_key, factory=isinstance(app, str),
        ws="none", proxy_headers=False)


def _has_uvloop() -> bool:
    try:
        import uvloop  # noqa: F401
    except ImportError:
        return False
    return True


def bind(settings: ServeSettings) -> socket.socket:
    """The listening socket, bound now (port 0 picks a free one) and shared by every worker."""
    family = socket.AF_INET6 if ":" in settings.host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((settings.host, settings.port))
    sock.set_inheritable(True)
    return sock


def run(settings: ServeSettings, announce: Callable[[int, object], None]) -> None:
    """Serve until SIGINT or SIGTERM.

    The service is built here first, so bad settings, rules or a tampered version fail now, with
    one clear error, rather than in a loop of dying workers; `announce(port, service)` is called once
    the socket listens.  One worker serves that very service in this process; more are spawned,
    each building its own from the settings.
    """
    from .app import create_app
    from .protocol import guarded_protocol
    from .worker import build_service

    service = build_service(settings)
    sock = bind(settings)
    sock.listen(settings.limits.backlog)  # connections queue from now on, while workers start
    announce(sock.getsockname()[1], service)
    if settings.workers == 1:
        protocol = guarded_protocol(settings.limits, service.refusal,
                                    lambda reason: service.metrics.connections_refused.labels(reason).inc())
        uvicorn.Server(uvicorn_config(settings, create_app(service), protocol)).run(sockets=[sock])
        return
    service.close()
    metrics_dir = tempfile.mkdtemp(prefix="jurist-metrics-")
    os.environ[MULTIPROC_ENV] = metrics_dir  # read by each worker's prometheus-client as it is imported
    os.environ[ENV_VAR] = settings.to_env()
    try:
        from uvicorn.supervisors import Multiprocess

        config = uvicorn_config(settings, "jurist.serving.worker:create_app", "jurist.serving.worker:protocol")
        Multiprocess(config, sockets=[sock]).run()
    finally:
        shutil.rmtree(metrics_dir, ignore_errors=True)


def configure_logging(level: str) -> None:
    """One line per event on stderr, naming the worker process."""
    logging.basicConfig(level=level.upper(), format="%(asctime)s %(levelname)s [%(process)d] %(name)s: %(message)s")
    logging.getLogger("alembic").setLevel(logging.WARNING)  # migrations run quietly at start-up


@dataclass
class BackgroundServer:
    """A server on a thread: `url` to reach it, `service` to look inside, `stop()` to end it cleanly."""

    server: uvicorn.Server
    thread: threading.Thread
    port: int
    service: object
    scheme: str = "http"

    @property
    def url(self) -> str:
        return f"{self.scheme}://127.0.0.1:{self.port}"

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=30)


def serve_in_background(settings: ServeSettings) -> BackgroundServer:
    """Build the service for `settings` in this process and serve it on a thread (port 0: a free one)."""
    from .app import create_app
    from .protocol import guarded_protocol
    from .worker import build_service

    service = build_service(settings)
    protocol = guarded_protocol(settings.limits, service.refusal,
                                lambda reason: service.metrics.connections_refused.labels(reason).inc())
    config = uvicorn_config(settings, create_app(service), protocol)
    server = uvicorn.Server(config)
    sock = bind(settings)
    ready = threading.Event()

    def serve() -> None:
        async def main() -> None:
            task = asyncio.ensure_future(server.serve(sockets=[sock]))
            while not server.started and not task.done():
                await asyncio.sleep(0.01)
            ready.set()
            await task

        asyncio.run(main())
        ready.set()

    thread = threading.Thread(target=serve, name="jurist-serve", daemon=True)
    thread.start()
    ready.wait(30)
    if not server.started:
        raise RuntimeError("the background server did not start")
    return BackgroundServer(server, thread, sock.getsockname()[1], service, settings.scheme)
