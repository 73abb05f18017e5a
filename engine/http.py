"""Decisions over HTTP, for services that do not embed Python.

A deliberately small JSON API on the standard library's threading server:

    GET  /health              {"status": "ok", "ruleset": ..., "rules": N}  (HEAD too)
    POST /v1/decide           body: a request JSON; ?exhaustive=1 evaluates every rule
                              200: the decision JSON
                              4xx: refused; the body is still a decision, `deny`, with the
                                   reason in `errors`, so a client that reads only `effect`
                                   fails closed

The body must come with `Content-Type: application/json` (charset, if named,
utf-8; a missing type is refused too, since curl's `-d` and urllib send form
encoding by default, so tolerating absence would help no common client) and a
`Content-Length` of at most MAX_BODY_BYTES; chunked bodies are refused with 411.
Every refusal sent before the body was read closes the connection, so an
unread body is never parsed as the next request.  Idle or stalled connections
are dropped after `connection_timeout` seconds.

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
from typing import Any
from urllib.parse import parse_qs, urlsplit

from .decision import Decision
from .policy import Policy
from .request import Request, RequestError

MAX_BODY_BYTES = 48 * 1024 * 1024  # room for a few inline photos
CONNECTION_TIMEOUT = 30.0  # seconds a connection may sit idle or stall mid-request

_ENDPOINTS = {"/health": ("GET", "HEAD"), "/v1/decide": ("POST",)}


class DecisionServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], policy: Policy, image_dir: str | None = None,
                 connection_timeout: float | None = CONNECTION_TIMEOUT):
        super().__init__(address, _Handler)
        self.policy = policy
        self.image_dir = Path(image_dir).resolve() if image_dir else None
        self.connection_timeout = connection_timeout


class _Refusal(Exception):
    """A request that is answered with `status` and the reason instead of a decision."""

    def __init__(self, status: HTTPStatus, reason: str):
        super().__init__(reason)
        self.status = status


class _Handler(BaseHTTPRequestHandler):
    server: DecisionServer
    protocol_version = "HTTP/1.1"

    def setup(self) -> None:
        super().setup()
        # Without a timeout a client that connects and stalls holds its thread forever.
        self.connection.settimeout(self.server.connection_timeout)

    def log_message(self, fmt: str, *args: Any) -> None:  # quiet by default; a service logs decisions itself
        pass

    def do_GET(self) -> None:
        if self._allowed():
            policy = self.server.policy
            self._send(HTTPStatus.OK, {"status": "ok", "ruleset": policy.origin, "rules": len(policy.ruleset.rules)},
                       keep_alive=not self._declares_body())

    do_HEAD = do_GET

    def do_POST(self) -> None:
        if not self._allowed():
            return
        data = None
        try:
            data = self._read_body()
            request = Request.from_json(_parse_json(data))
            self._check_images(request)
        except _Refusal as refusal:
            self._refuse(refusal.status, str(refusal), keep_alive=data is not None)
            return
        except (RequestError, ValueError) as exc:
            self._refuse(HTTPStatus.UNPROCESSABLE_ENTITY, str(exc), keep_alive=True)
            return
        exhaustive = parse_qs(urlsplit(self.path).query).get("exhaustive", ["0"])[0] in ("1", "true", "yes")
        decision = self.server.policy.decide(request, exhaustive=exhaustive)
        self._send(HTTPStatus.OK, decision.to_json(), keep_alive=True)

    def _not_served(self) -> None:
        """Methods no endpoint answers get 404 or 405 with `Allow`, not the standard library's HTML 501."""
        self._allowed()

    do_PUT = do_DELETE = do_PATCH = do_OPTIONS = _not_served

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """The standard library's own refusals (bad request line or headers, unknown method) as
        JSON like ours rather than an HTML page."""
        status = HTTPStatus(code)
        self._refuse(status, message or status.phrase)

    def _allowed(self) -> bool:
        """Whether this endpoint answers this method; if not, refuses with 404, or 405 and `Allow`."""
        path = urlsplit(self.path).path
        methods = _ENDPOINTS.get(path)
        if methods is None:
            self._refuse(HTTPStatus.NOT_FOUND, f"no such endpoint: {self.command} {path}")
        elif self.command not in methods:
            self._refuse(HTTPStatus.METHOD_NOT_ALLOWED, f"{path} answers {', '.join(methods)}, not {self.command}",
                         allow=", ".join(methods))
        return methods is not None and self.command in methods

    def handle_expect_100(self) -> bool:
        """Defer `100 Continue` to `_read_body`, so a client whose body would be refused never sends it."""
        return True

    def _declares_body(self) -> bool:
        return "Transfer-Encoding" in self.headers or self.headers.get("Content-Length", "0").strip() != "0"

    def _read_body(self) -> bytes:
        """The body, read only once its framing and type are ones we accept.

        Content-Length must be plain digits: `int()` also takes `-1`, `+5` and `1_0`, and a
        negative length would make `read()` consume the socket until the client hangs up.
        """
        headers = self.headers
        if "Transfer-Encoding" in headers:
            raise _Refusal(HTTPStatus.LENGTH_REQUIRED, "send the body with a Content-Length, not a Transfer-Encoding")
        lengths = [value.strip() for value in headers.get_all("Content-Length", [])]
        if not lengths:
            raise _Refusal(HTTPStatus.LENGTH_REQUIRED, "a Content-Length is required")
        if len(lengths) > 1 or not (lengths[0].isascii() and lengths[0].isdigit()):
            raise _Refusal(HTTPStatus.BAD_REQUEST,
                           f"Content-Length must be one non-negative integer, got `{', '.join(lengths)}`")
        length = int(lengths[0])
        if length > MAX_BODY_BYTES:
            raise _Refusal(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, f"request body over {MAX_BODY_BYTES} bytes")
        if headers.get_content_type() != "application/json" or headers.get_content_charset("utf-8") != "utf-8":
            given = headers.get("Content-Type")
            got = f"`{given}`" if given else "none"
            raise _Refusal(HTTPStatus.UNSUPPORTED_MEDIA_TYPE, f"Content-Type must be application/json, got {got}")
        if headers.get("Expect", "").lower() == "100-continue" and self.request_version >= "HTTP/1.1":
            self.send_response_only(HTTPStatus.CONTINUE)
            self.end_headers()
        data = self.rfile.read(length)
        if len(data) < length:
            raise _Refusal(HTTPStatus.BAD_REQUEST, f"body ended after {len(data)} of {length} bytes")
        return data

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

    def _refuse(self, status: HTTPStatus, reason: str, *, keep_alive: bool = False, allow: str | None = None) -> None:
        """On /v1/decide the refusal is a `deny` decision, so a client that reads only `effect` fails closed."""
        if urlsplit(getattr(self, "path", "")).path == "/v1/decide":  # unset if the request line was bad
            body = Decision("deny", errors=(reason,)).to_json()
        else:
            body = {"error": reason}
        self._send(status, body, keep_alive=keep_alive, allow=allow)

    def _send(self, status: HTTPStatus, body: dict[str, Any], *, keep_alive: bool = False, allow: str | None = None) -> None:
        """Closes the connection unless `keep_alive`: after a refusal an unread body may still be on
        the socket, and reading it as the next request would let a client smuggle one past a proxy."""
        data = json.dumps(body, ensure_ascii=False).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        if allow:
            self.send_header("Allow", allow)
        if not keep_alive:
            self.send_header("Connection", "close")  # also sets self.close_connection
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)


def _parse_json(data: bytes) -> object:
    """JSON from UTF-8 only, as RFC 8259 requires: given bytes, `json.loads` would guess UTF-16 or
    UTF-32 and then report a codec the client never used."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _Refusal(HTTPStatus.BAD_REQUEST, f"body is not valid UTF-8 at byte {exc.start}") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise _Refusal(HTTPStatus.BAD_REQUEST,
                       f"not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}") from None
    except RecursionError:
        raise _Refusal(HTTPStatus.BAD_REQUEST, "not valid JSON: nested too deeply") from None


def serve_in_background(policy: Policy, host: str = "127.0.0.1", port: int = 0, image_dir: str | None = None,
                        connection_timeout: float | None = CONNECTION_TIMEOUT) -> DecisionServer:
    """Start a server on a thread (port 0 picks a free one); call `.shutdown()` to stop it."""
    server = DecisionServer((host, port), policy, image_dir, connection_timeout)
    threading.Thread(target=server.serve_forever, name="jurist-http", daemon=True).start()
    return server
