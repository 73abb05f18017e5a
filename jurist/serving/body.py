"""Reading a request body: framing and type checked before a byte of it is read, then strict JSON.

What is refused, and why:

* `Transfer-Encoding` (411): the size must be known before reading, so a
  client cannot stream an unbounded body; a missing `Content-Length` is 411 too;
* a `Content-Length` over the limit (413), before the body is read and before
  `100 Continue` is sent, so the client never sends it;
* any type but `application/json` (charset, if named, UTF-8) (415): curl's
  `-d` and urllib send form encoding by default, so tolerating a missing type
  would help no common client;
* bytes that are not UTF-8 (400, naming the offset): RFC 8259 JSON is UTF-8,
  and `json.loads` given bytes would guess UTF-16 and report a codec the client
  never used;
* JSON that is not strict (400): `NaN` and `Infinity`, an object naming one
  key twice (two parsers could read different values), nesting deeper than the
  limit.

The server library (uvicorn's httptools parser) refuses malformed framing
itself (a negative, non-numeric or repeated `Content-Length`) before the
application sees the request; `jurist.serving.protocol` answers those in the
same form.  A refusal made before the body was read closes the connection,
so an unread body is never read as the next request.
"""
from __future__ import annotations

import json
from typing import Any, Sequence


class Refusal(Exception):
    """A request answered with `status` and the reason instead of a decision; `close` ends the connection."""

    def __init__(self, status: int, reason: str, *, close: bool = False, headers: dict[str, str] | None = None):
        super().__init__(reason)
        self.status = status
        self.reason = reason
        self.close = close
        self.headers = headers or {}


def header(headers: Sequence[tuple[bytes, bytes]], name: bytes) -> str | None:
    """The first value of a header (ASGI gives names lower-cased), as text."""
    for key, value in headers:
        if key == name:
            return value.decode("latin-1")
    return None


def declared_length(headers: Sequence[tuple[bytes, bytes]], max_bytes: int) -> int:
    """The body's length, if its framing, size and type are ones we read; else a Refusal that closes."""
    lengths: list[str] = []
    content_type = None
    for key, value in headers:
        if key == b"content-length":
            lengths.append(value.decode("latin-1").strip())
        elif key == b"transfer-encoding":
            raise Refusal(411, "send the body with a Content-Length, not a Transfer-Encoding", close=True)
        elif key == b"content-type" and content_type is None:
            content_type = value.decode("latin-1")
    if not lengths:
        raise Refusal(411, "a Content-Length is required", close=True)
    if len(lengths) > 1 or not (lengths[0].isascii() and lengths[0].isdigit()):
        raise Refusal(400, f"Content-Length must be one non-negative integer, got `{', '.join(lengths)}`", close=True)
    length = int(lengths[0])
    if length > max_bytes:
        raise Refusal(413, f"request body over {max_bytes} bytes", close=True)
    check_json_type(content_type)
    return length


def check_json_type(given: str | None) -> None:
    media, _, params = (given or "").partition(";")
    charset = "utf-8"
    for param in params.split(";"):
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset":
            charset = value.strip().strip('"').lower()
    if media.strip().lower() != "application/json" or charset != "utf-8":
        got = f"`{given}`" if given else "none"
        raise Refusal(415, f"Content-Type must be application/json, got {got}", close=True)


def _no_constants(name: str) -> Any:
    raise ValueError(f"`{name}` is not JSON")


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out = dict(pairs)
    if len(out) != len(pairs):
        seen: set[str] = set()
        twice = next(key for key, _ in pairs if key in seen or seen.add(key))  # type: ignore[func-returns-value]
        raise ValueError(f"the key `{twice}` appears twice in one object")
    return out


_DECODER = json.JSONDecoder(object_pairs_hook=_unique_keys, parse_constant=_no_constants)


def parse_json(data: bytes, max_depth: int) -> Any:
    """The body as JSON, strictly; a Refusal (400, connection kept: the body was read) naming the problem."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise Refusal(400, f"body is not valid UTF-8 at byte {exc.start}") from None
    try:
        value = _DECODER.decode(text)
    except json.JSONDecodeError as exc:
        raise Refusal(400, f"not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}") from None
    except ValueError as exc:  # a constant or a repeated key
        raise Refusal(400, f"not valid JSON: {exc}") from None
    except RecursionError:
        raise Refusal(400, "not valid JSON: nested too deeply") from None
    if data.count(b"[") + data.count(b"{") > max_depth and _depth_over(value, max_depth):  # count: C speed
        raise Refusal(400, f"not valid JSON: nested deeper than {max_depth} levels")
    return value


def _depth_over(value: Any, limit: int) -> bool:
    """Whether arrays and objects nest more than `limit` deep (iterative: no recursion to exhaust)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        children = item.values() if type(item) is dict else item if type(item) is list else None
        if children is None:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children if type(child) in (dict, list))
    return False
