"""uvicorn's HTTP/1.1 protocol (httptools), with the limits a public decision server needs.

uvicorn frames requests, keeps connections alive and parses headers; what it
does not bound, this subclass does, per worker:

* **connections**: past `max_connections` open ones, a new connection gets a
  503 answer at once and is closed (uvicorn's own `limit_concurrency` answers
  503 only once a request's headers have arrived, which a slow client never
  sends);
* **request time, end to end**: from a request's first byte, its headers and
  body must arrive within `request_timeout`, however slowly the bytes trickle
  in (a per-read timeout lets a client sending one byte every few seconds hold
  a connection forever); past it the client gets 408 and is closed.  A new
  connection, and one between requests, may sit idle `idle_timeout`;
* **malformed framing** (a negative, non-numeric or repeated Content-Length,
  both Content-Length and Transfer-Encoding, an unknown method): answered 400
  in the service's form, a deny decision on the decide paths, with the
  parser's reason, instead of uvicorn's plain text, and closed;
* **Nagle's algorithm** is off on every connection (`TCP_NODELAY`), so an
  answer on a reused connection is sent at once;
* **HTTP/1.0 keep-alive**: uvicorn closes every HTTP/1.0 connection; a client
  that asks for keep-alive gets it, with `Connection: keep-alive` in the
  answer (the application adds the header, this keeps the connection).
"""
from __future__ import annotations

import asyncio
import socket
from typing import Any, Callable

import httptools
from uvicorn.protocols.http.httptools_impl import STATUS_LINE, HttpToolsProtocol

from .settings import Limits

Refuse = Callable[[str | None, int, str], bytes]  # (path or None, status, reason) -> body
Count = Callable[[str], None]                        # a connection closed by a limit: its reason


def guarded_protocol(limits: Limits, refuse: Refuse, count: Count) -> type[HttpToolsProtocol]:
    """The protocol class for a server with these limits; `refuse` renders refusals, `count` counts them."""

    class GuardedProtocol(HttpToolsProtocol):
        _deadline: asyncio.TimerHandle | None = None

        def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
            if len(self.connections) >= limits.max_connections:
                self.transport = transport
                count("connections")
                transport.write(_raw(503, refuse(None, 503, f"the server is at its limit of "
                                                     f"{limits.max_connections} connections; retry shortly"),
                                     {"Retry-After": "1"}))
                transport.close()
                return
            super().connection_made(transport)
            _no_delay(transport)
            self.timeout_keep_alive_task = self.loop.call_later(limits.idle_timeout, self.timeout_keep_alive_handler)

        def connection_lost(self, exc: Exception | None) -> None:
            self._cancel_deadline()
            super().connection_lost(exc)

        def data_received(self, data: bytes) -> None:
            self._unset_keepalive_if_required()
            try:
                self.parser.feed_data(data)
            except httptools.HttpParserUpgrade:
                self._unsupported_upgrade_warning()
            except httptools.HttpParserError as exc:
                count("malformed")
                reason = str(exc) or type(exc).__name__
                self._refuse_now(400, f"malformed HTTP request: {reason[:1].lower()}{reason[1:]}")

        def on_message_begin(self) -> None:
            super().on_message_begin()
            self._cancel_deadline()
            self._deadline = self.loop.call_later(limits.request_timeout, self._deadline_passed)

        def on_headers_complete(self) -> None:
            super().on_headers_complete()
            cycle = self.cycle
            if (cycle is not None and cycle.scope is self.scope and self.scope.get("http_version") == "1.0"
                    and _asks_keep_alive(self.headers)):
                cycle.keep_alive = True

        def on_message_complete(self) -> None:
            self._cancel_deadline()
            super().on_message_complete()

        def _cancel_deadline(self) -> None:
            if self._deadline is not None:
                self._deadline.cancel()
                self._deadline = None

        def _deadline_passed(self) -> None:
            self._deadline = None
            if self.transport.is_closing():
                return
            count("request_timeout")
            self._refuse_now(408, f"the request did not arrive in full within {limits.request_timeout:g} s")

        def _refuse_now(self, status: int, reason: str) -> None:
            """Answer (unless an answer has started) and close: the connection's framing cannot be trusted."""
            cycle = self.cycle
            if cycle is None or not cycle.response_started:
                path = _path(self.url if hasattr(self, "url") else b"")
                self.transport.write(_raw(status, refuse(path, status, reason)))
                if cycle is not None:
                    cycle.response_started = cycle.response_complete = True  # the application may not answer too
                    cycle.disconnected = True
                    cycle.message_event.set()
            self.transport.close()

    return GuardedProtocol


def _no_delay(transport: asyncio.Transport) -> None:
    """Send each write at once: uvicorn writes a response's head and body apart, and with Nagle's
    algorithm on, the body waits for the client's delayed ACK (~40 ms) on a reused connection."""
    sock = transport.get_extra_info("socket")
    if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


def _asks_keep_alive(headers: list[tuple[bytes, bytes]]) -> bool:
    return any(name == b"connection" and b"keep-alive" in value.lower() for name, value in headers)


def _path(url: bytes) -> str | None:
    try:
        return httptools.parse_url(url).path.decode("ascii") if url else None
    except (httptools.HttpParserInvalidURLError, UnicodeDecodeError):
        return None


def _raw(status: int, body: bytes, extra: dict[str, str] | None = None) -> bytes:
    head: list[Any] = [STATUS_LINE[status], b"content-type: application/json; charset=utf-8\r\n",
                       b"content-length: %d\r\n" % len(body), b"connection: close\r\n"]
    head.extend(f"{name}: {value}\r\n".encode("latin-1") for name, value in (extra or {}).items())
    return b"".join([*head, b"\r\n", body])
