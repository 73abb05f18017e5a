"""Decisions over HTTP: same answers as the library, and bad input still fails closed.

Ported from the hand-written server's tests (tests/core/test_http.py): every
guarantee they checked holds on the uvicorn stack.  Where the server library
now refuses malformed framing itself (a bad Content-Length, an unknown
method), the answer is still a deny decision with the parser's reason, and the
connection is still closed.
"""
from __future__ import annotations

import base64
import http.client
import io
import json
import time
from urllib.parse import urlsplit

import pytest
from PIL import Image

import jurist
from jurist.serving.settings import Limits

from serving_support import (BANS, connect, exchange, get, post, read_responses, request, run_serve, start,
                             with_limits, write_rules)


@pytest.fixture(scope="module")
def server():
    srv = start()
    yield srv.url, jurist.load(srv.service.following.current.policy.origin)
    srv.stop()


def test_health(server):
    base, _ = server
    status, body = get(base + "/health")
    health = json.loads(body)
    assert status == 200 and (health["status"], health["rules"]) == ("ok", 2)
    assert health["policy"]["sources_hash"].startswith("sha256:")


def test_decide_matches_the_library(server):
    base, p = server
    req = request(country="GB", labels={"attire:bikini": 0.9, "subject:real_person": 0.9})
    status, body = post(base + "/v1/decide", req)
    assert status == 200
    local = p.decide(req).to_json()
    assert (body["effect"], body["rules"]) == (local["effect"], local["rules"]) == (
        "deny", [{"id": "geoblock", "effect": "deny", "cite": "OSA", "message": "Not here.", "source": "test.policy:1"}])
    assert body["policy"] == local["policy"] and body["request_sha256"] == local["request_sha256"]


@pytest.mark.parametrize("body, status, reason", [
    (b'{"country": ', 400, "not valid JSON"),
    (json.dumps({"country": "XX"}).encode(), 422, "country: `XX` is not an ISO 3166-1 alpha-2 code"),
    (json.dumps({"country": "GB", "images": ["/etc/passwd"]}).encode(), 422,
     "images must be sent inline as data URLs; this server reads no files"),
    (b"", 400, "not valid JSON: Expecting value at line 1, column 1"),
    (b"[" * 100_000, 400, "not valid JSON: nested too deeply"),
    (b'{"country": "\xff"}', 400, "body is not valid UTF-8 at byte 13"),
    (b'{"observations": {"labels": {"attire:bikini": NaN}}}', 400, "not valid JSON: `NaN` is not JSON"),
    (b'{"country": "FR", "country": "GB"}', 400, "not valid JSON: the key `country` appears twice in one object"),
    (b'{"user": ' + b'{"x": ' * 40 + b"1" + b"}" * 41, 400, "not valid JSON: nested deeper than 32 levels"),
    (b'{"observations": {"labels": {"attire:bikini": 1' + b"0" * 400 + b"}}}", 422,
     "score for `attire:bikini` must be between 0 and 1, got an integer with 401 digits"),
])
def test_bad_requests_are_refused_with_a_deny_decision(server, body, status, reason):
    base, _ = server
    code, decision = post(base + "/v1/decide", body)
    assert code == status
    assert decision["effect"] == "deny" and reason in decision["errors"][0]
    assert decision["decision_id"] and decision["policy"]["name"].endswith("test.policy")


def test_inline_images_reach_the_real_detectors(server):
    base, _ = server
    buf = io.BytesIO()
    Image.new("RGB", (64, 64), (200, 180, 160)).save(buf, format="PNG")
    url = "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode()
    status, body = post(base + "/v1/decide", {**request(), "images": [url]})
    assert status == 200
    assert [d["name"] for d in body["detectors_run"]] == ["faces"]
    assert body["effect"] == "allow"  # a flat colour has no face


def test_an_undecodable_inline_image_fails_closed(server):
    base, _ = server
    url = "data:image/png;base64," + base64.b64encode(b"not an image").decode()
    status, body = post(base + "/v1/decide", {**request(), "images": [url]})
    assert status == 200 and body["effect"] == "review"
    assert "not a supported image" in body["rules"][0]["unverified"]


SMUGGLED = b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n"
JSON = "Content-Type: application/json"
CHUNKED = f"{len(SMUGGLED):x}\r\n".encode() + SMUGGLED + b"\r\n0\r\n\r\n"
MAX = Limits().max_body_bytes


@pytest.mark.parametrize("headers, body, status, reason", [
    ([JSON, "Content-Length: -1"], SMUGGLED, 400, "malformed HTTP request: invalid character in Content-Length"),
    ([JSON, "Content-Length: abc"], SMUGGLED, 400, "malformed HTTP request: invalid character in Content-Length"),
    ([JSON, "Content-Length: 1_0"], SMUGGLED, 400, "malformed HTTP request: invalid character in Content-Length"),
    ([JSON, "Content-Length: 0", "Content-Length: 2"], SMUGGLED, 400,
     "malformed HTTP request: duplicate Content-Length"),
    ([JSON, "Transfer-Encoding: chunked"], CHUNKED, 411,
     "send the body with a Content-Length, not a Transfer-Encoding"),
    ([JSON, "Transfer-Encoding: chunked", f"Content-Length: {len(SMUGGLED)}"], SMUGGLED, 400,
     "malformed HTTP request: content-Length can't be present with Transfer-Encoding"),
    ([JSON], SMUGGLED, 411, "a Content-Length is required"),
    ([JSON, f"Content-Length: {MAX + 1}"], SMUGGLED, 413, f"request body over {MAX} bytes"),
    ([JSON, "Expect: 100-continue", f"Content-Length: {MAX + 1}"], SMUGGLED, 413,  # no `100 Continue` first
     f"request body over {MAX} bytes"),
    ([f"Content-Length: {len(SMUGGLED)}"], SMUGGLED, 415, "Content-Type must be application/json, got none"),
])
def test_a_body_refused_unread_closes_the_connection(server, headers, body, status, reason):
    # The unread body holds a second request: answering it too would let a client smuggle
    # requests past a proxy, and a negative length used to be read until the client hung up.
    base, _ = server
    head = "\r\n".join(["POST /v1/decide HTTP/1.1", "Host: x", *headers]) + "\r\n\r\n"
    responses, closed = exchange(base, head.encode() + body)
    assert [(code, h["connection"], body["effect"], body["errors"]) for code, h, body in responses] == [
        (status, "close", "deny", [reason])]
    assert closed


@pytest.mark.parametrize("content_type, status", [
    ("text/plain", 415),
    ("application/x-www-form-urlencoded", 415),
    ("application/json; charset=utf-16", 415),
    ("application/json; charset=UTF-8", 200),
    ("Application/JSON", 200),
])
def test_only_json_bodies_are_read(server, content_type, status):
    base, _ = server
    code, body = post(base + "/v1/decide", json.dumps(request()).encode(), content_type)
    assert code == status
    if status == 415:
        assert body["effect"] == "deny"
        assert body["errors"] == [f"Content-Type must be application/json, got `{content_type}`"]


@pytest.mark.parametrize("method, path, allow", [
    (m, "/v1/decide", {"POST"}) for m in ("GET", "PUT", "DELETE", "PATCH", "OPTIONS")
] + [("POST", "/health", {"GET", "HEAD"}), ("DELETE", "/health", {"GET", "HEAD"})])
def test_other_methods_get_405_with_allow(server, method, path, allow):
    base, _ = server
    conn = http.client.HTTPConnection(urlsplit(base).netloc, timeout=10)
    conn.request(method, path)
    resp = conn.getresponse()
    body = json.loads(resp.read())
    assert (resp.status, set(resp.headers["Allow"].split(", ")), resp.headers["Content-Type"]) == (
        405, allow, "application/json; charset=utf-8")
    error = f"{path} answers {resp.headers['Allow']}, not {method}"
    assert body == ({"error": error} if path == "/health" else {**body, "effect": "deny", "errors": [error]})


def test_head_health_and_unknown_methods(server):
    base, _ = server
    conn = http.client.HTTPConnection(urlsplit(base).netloc, timeout=10)
    conn.request("HEAD", "/health")
    resp = conn.getresponse()
    assert (resp.status, resp.read()) == (200, b"") and int(resp.headers["Content-Length"]) > 0
    responses, closed = exchange(base, b"BREW /health HTTP/1.1\r\nHost: x\r\n\r\n")
    assert [(code, body) for code, _, body in responses] == [
        (400, {"error": "malformed HTTP request: invalid method encountered"})] and closed


def test_100_continue_is_sent_once_the_headers_pass(server):
    base, _ = server
    body = json.dumps(request()).encode()
    with connect(base) as sock:
        sock.sendall(f"POST /v1/decide HTTP/1.1\r\nHost: x\r\n{JSON}\r\nExpect: 100-continue\r\n"
                     f"Content-Length: {len(body)}\r\n\r\n".encode())
        assert sock.recv(100) == b"HTTP/1.1 100 Continue\r\n\r\n"
        sock.sendall(body)
        assert sock.recv(100).startswith(b"HTTP/1.1 200 OK\r\n")


def test_the_connection_stays_open_once_the_body_was_read(server):
    base, _ = server
    conn = http.client.HTTPConnection(urlsplit(base).netloc, timeout=10)
    conn.request("POST", "/v1/decide", json.dumps({"country": "XX"}), {"Content-Type": "application/json"})
    resp = conn.getresponse()
    assert resp.status == 422 and json.loads(resp.read())["effect"] == "deny"
    sock = conn.sock
    assert sock is not None
    conn.request("POST", "/v1/decide", json.dumps(request()), {"Content-Type": "application/json"})
    resp = conn.getresponse()
    assert resp.status == 200 and json.loads(resp.read())["effect"] == "allow"
    assert conn.sock is sock


def test_many_requests_on_one_connection_are_each_answered_at_once(server):
    # The hand-written server wrote headers and body apart with Nagle's algorithm on: each answer on a
    # reused connection waited ~44 ms for the client's delayed ACK (22 decisions/s).  200 requests at
    # that pace would take 8.8 s; answered at once they take a fraction of a second.
    base, _ = server
    conn = http.client.HTTPConnection(urlsplit(base).netloc, timeout=10)
    body = json.dumps(request(country="GB", labels={"attire:bikini": 0.9, "subject:real_person": 0.9}))
    conn.request("GET", "/health")
    conn.getresponse().read()
    sock = conn.sock
    started = time.monotonic()
    effects = []
    for _ in range(200):
        conn.request("POST", "/v1/decide", body, {"Content-Type": "application/json"})
        effects.append(json.loads(conn.getresponse().read())["effect"])
    assert time.monotonic() - started < 4.4  # half the Nagle pace: generous on a loaded machine
    assert effects == ["deny"] * 200 and conn.sock is sock


def test_an_http_1_0_client_gets_keep_alive_only_when_it_asks():
    srv = start(limits=with_limits(idle_timeout=30.0))
    try:
        body = json.dumps(request()).encode()
        one = (f"POST /v1/decide HTTP/1.0\r\nConnection: keep-alive\r\n{JSON}\r\n"
               f"Content-Length: {len(body)}\r\n\r\n").encode() + body
        with connect(srv.url) as sock:
            answers = []
            for _ in range(2):
                sock.sendall(one)
                data = b""
                while b"\r\n\r\n" not in data or len(data.partition(b"\r\n\r\n")[2]) < int(
                        data.split(b"content-length: ")[1].split(b"\r\n")[0]):
                    data += sock.recv(65536)
                answers.extend(read_responses(data))
        assert [(code, h["connection"], b["effect"]) for code, h, b in answers] == [(200, "keep-alive", "allow")] * 2
        plain = (f"POST /v1/decide HTTP/1.0\r\n{JSON}\r\nContent-Length: {len(body)}\r\n\r\n").encode() + body
        responses, closed = exchange(srv.url, plain)
        assert [(code, h["connection"]) for code, h, _ in responses] == [(200, "close")] and closed
    finally:
        srv.stop()


def test_a_stalled_client_is_dropped_and_blocks_no_one():
    srv = start(limits=with_limits(request_timeout=0.5, idle_timeout=0.5))
    try:
        base = srv.url
        idle, stalled = connect(base), connect(base)
        stalled.sendall(b"POST /v1/decide HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                        b"Content-Length: 10\r\n\r\n{")
        assert get(base + "/health")[0] == 200
        started = time.monotonic()
        assert idle.recv(1) == b""  # closed, no answer
        answer = b""
        while chunk := stalled.recv(65536):
            answer += chunk
        assert time.monotonic() - started < 3
        [(status, headers, body)] = read_responses(answer)
        assert (status, headers["connection"], body["effect"], body["errors"]) == (
            408, "close", "deny", ["the request did not arrive in full within 0.5 s"])
        idle.close()
        stalled.close()
    finally:
        srv.stop()


def test_jurist_serve_runs_from_the_command_line_and_drops_stalled_clients(tmp_path):
    proc, base = run_serve(tmp_path, "--timeout", "0.5", "--workers", "1")
    try:
        idle = connect(base)
        status, body = post(base + "/v1/decide", request(country="ID"))
        assert (status, body["effect"]) == (200, "deny")
        idle.settimeout(5)
        assert idle.recv(1) == b""  # dropped after the timeout, without sending anything
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    assert "AUTHENTICATION IS OFF" in proc.stderr.read().upper()


def test_jurist_serve_refuses_a_non_positive_timeout(tmp_path):
    from jurist.cli import main

    rules = write_rules(BANS, tmp_path)
    assert main(["serve", "--rules", str(rules), "--port", "0", "--timeout", "0", "--insecure-no-auth"]) == 2
