"""Decisions over HTTP, for services that do not embed Python.

A deliberately small JSON API on the standard library's threading server:

    GET  /health              {"status": "ok", "ruleset": ..., "rules": N}
    POST /v1/decide           body: a request JSON; ?exhaustive=1 evaluates every rule
                              200: the decision JSON
                              422: the request was malformed; the body is still a decision, `deny`,
                                   with the reason in `errors`, so a client that reads only
                                   `effect` fails closed

Images travel inline as `data:image/...;base64,` URLs.  File paths are refused
unless the server was started with `--image-dir`, and then only inside it, so
a client cannot make the server read arbitrary files.
"""
from __future__ import annotations

import json
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from .decision import Decision
from .policy import Policy
from .request import Request, RequestError

MAX_BODY_BYTES = 48 * 1024 * 1024  # room for a few inline photos


class DecisionServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], policy: Policy, image_dir: str | None = None):
        super().__init__(address, _Handler)
        self.policy = policy
        self.image_dir = Path(image_dir).resolve() if image_dir else None


class _Handler(BaseHTTPRequestHandler):
    server: DecisionServer
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt: str, *args) -> None:  # quiet by default; a service logs decisions itself
        pass

    def do_GET(self) -> None:
        if urlsplit(self.path).path == "/health":
            policy = self.server.policy
            self._send(HTTPStatus.OK, {"status": "ok", "ruleset": policy.origin, "rules": len(policy.ruleset.rules)})
        else:
            self._send(HTTPStatus.NOT_FOUND, {"error": f"no such endpoint: GET {self.path}"})

    def do_POST(self) -> None:
        url = urlsplit(self.path)
        if url.path != "/v1/decide":
            self._send(HTTPStatus.NOT_FOUND, {"error": f"no such endpoint: POST {url.path}"})
            return
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY_BYTES:
            self._refuse(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, f"request body over {MAX_BODY_BYTES} bytes")
            return
        try:
            raw = json.loads(self.rfile.read(length) or b"null")
            request = Request.from_json(raw)
            self._check_images(request)
        except json.JSONDecodeError as exc:
            self._refuse(HTTPStatus.BAD_REQUEST, f"not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}")
            return
        except (RequestError, ValueError) as exc:
            self._refuse(HTTPStatus.UNPROCESSABLE_ENTITY, str(exc))
            return
        exhaustive = parse_qs(url.query).get("exhaustive", ["0"])[0] in ("1", "true", "yes")
        decision = self.server.policy.decide(request, exhaustive=exhaustive)
        self._send(HTTPStatus.OK, decision.to_json())

    def _check_images(self, request: Request) -> None:
        for image in request.images:
            if image.startswith("data:"):
                continue
            root = self.server.image_dir
            if root is None:
                raise RequestError("images must be sent inline as data URLs; this server reads no files")
            path = (root / image).resolve()
            if root not in path.parents:
                raise RequestError(f"image `{image}` is outside the server's image directory")

    def _refuse(self, status: HTTPStatus, reason: str) -> None:
        self._send(status, Decision("deny", errors=(reason,)).to_json())

    def _send(self, status: HTTPStatus, body: dict) -> None:
        data = json.dumps(body, ensure_ascii=False).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


def serve_in_background(policy: Policy, host: str = "127.0.0.1", port: int = 0,
                        image_dir: str | None = None) -> DecisionServer:
    """Start a server on a thread (port 0 picks a free one); call `.shutdown()` to stop it."""
    server = DecisionServer((host, port), policy, image_dir)
    threading.Thread(target=server.serve_forever, name="jurist-http", daemon=True).start()
    return server
