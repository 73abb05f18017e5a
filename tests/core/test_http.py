"""Decisions over HTTP: same answers as the library, and bad input still fails closed."""
from __future__ import annotations

import base64
import http.client
import io
import json
import socket
import time
import urllib.error
import urllib.request
from urllib.parse import urlsplit

import pytest
from PIL import Image

from jurist.engine.http import MAX_BODY_BYTES, serve_in_background

from policy_helpers import policy, request


def start(**options):
    p = policy("""\
        rule geoblock: deny attire:bikini subject:real_person where country = GB
            cite "OSA" message "Not here."
        rule faces: review subject:real_person where country = FR
        """)
    srv = serve_in_background(p, **options)
    return srv, f"http://127.0.0.1:{srv.server_address[1]}", p


@pytest.fixture
def server():
    srv, base, p = start()
    yield base, p
    srv.shutdown()
    srv.server_close()


def post(url: str, body: bytes, content_type: str = "application/json") -> tuple[int, dict]:
    req = urllib.request.Request(url, data=body, headers={"Content-Type": content_type})
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return resp.status, json.loads(resp.read())
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read())


def test_health(server):
    base, _ = server
    with urllib.request.urlopen(base + "/health", timeout=10) as resp:
        assert json.loads(resp.read()) == {"status": "ok", "ruleset": "<memory>", "rules": 2}


def test_decide_matches_the_library(server):
    base, p = server
    req = request(country="GB", labels={"attire:bikini": 0.9, "subject:real_person": 0.9})
    status, body = post(base + "/v1/decide", json.dumps(req).encode())
    assert status == 200
    local = p.decide(req).to_json()
    assert (body["effect"], body["rules"]) == (local["effect"], local["rules"]) == (
        "deny", [{"id": "geoblock", "effect": "deny", "cite": "OSA", "message": "Not here.", "source": "test.policy:1"}])


@pytest.mark.parametrize("body, status, reason", [
    (b'{"country": ', 400, "not valid JSON"),
    (json.dumps({"country": "XX"}).encode(), 422, "country: `XX` is not an ISO 3166-1 alpha-2 code"),
    (json.dumps({"country": "GB", "images": ["/etc/passwd"]}).encode(), 422,
     "images must be sent inline as data URLs; this server reads no files"),
    (b"", 400, "not valid JSON: Expecting value at line 1, column 1"),
    (b"[" * 100_000, 400, "not valid JSON: nested too deeply"),
    (b'{"country": "\xff"}', 400, "body is not valid UTF-8 at byte 13"),
])
def test_bad_requests_are_refused_with_a_deny_decision(server, body, status, reason):
    base, _ = server
    code, decision = post(base + "/v1/decide", body)
    assert code == status
    assert decision["effect"] == "deny" and reason in decision["errors"][0]


def test_inline_images_reach_the_real_detectors(server):
    base, _ = server
    buf = io.BytesIO()
    Image.new("RGB", (64, 64), (200, 180, 160)).save(buf, format="PNG")
    url = "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode()
    status, body = post(base + "/v1/decide", json.dumps({**request(), "images": [url]}).encode())
    assert status == 200
    assert [d["name"] for d in body["detectors_run"]] == ["faces"]
    assert body["effect"] == "allow"  # a flat colour has no face


def test_an_undecodable_inline_image_fails_closed(server):
    base, _ = server
    url = "data:image/png;base64," + base64.b64encode(b"not an image").decode()
    status, body = post(base + "/v1/decide", json.dumps({**request(), "images": [url]}).encode())
    assert status == 200 and body["effect"] == "review"
    assert "not a supported image" in body["rules"][0]["unverified"]


def connect(base: str) -> socket.socket:
    url = urlsplit(base)
    return socket.create_connection((url.hostname, url.port), timeout=5)


def exchange(base: str, raw: bytes) -> tuple[list[tuple[int, dict, dict]], bool]:
    """Send raw bytes and keep the connection open; return the responses read and whether the
    server closed the connection (rather than leaving it open for 5 s)."""
    with connect(base) as sock:
        sock.sendall(raw)
        data, closed = b"", False
        try:
            while chunk := sock.recv(65536):
                data += chunk
            closed = True
        except TimeoutError:
            pass
    responses = []
    while data:
        head, _, data = data.partition(b"\r\n\r\n")
        status, *lines = head.decode().split("\r\n")
        headers = {name.lower(): value for name, value in (line.split(": ", 1) for line in lines)}
        length = int(headers["content-length"])
        responses.append((int(status.split()[1]), headers, json.loads(data[:length])))
        data = data[length:]
    return responses, closed


SMUGGLED = b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n"
JSON = "Content-Type: application/json"


@pytest.mark.parametrize("headers, status, reason", [
    ([JSON, "Content-Length: -1"], 400, "Content-Length must be one non-negative integer, got `-1`"),
    ([JSON, "Content-Length: abc"], 400, "Content-Length must be one non-negative integer, got `abc`"),
    ([JSON, "Content-Length: 1_0"], 400, "Content-Length must be one non-negative integer, got `1_0`"),
    ([JSON, "Content-Length: 0", "Content-Length: 2"], 400,
     "Content-Length must be one non-negative integer, got `0, 2`"),
    ([JSON, "Transfer-Encoding: chunked"], 411, "send the body with a Content-Length, not a Transfer-Encoding"),
    ([JSON], 411, "a Content-Length is required"),
    ([JSON, f"Content-Length: {MAX_BODY_BYTES + 1}"], 413, f"request body over {MAX_BODY_BYTES} bytes"),
    ([JSON, "Expect: 100-continue", f"Content-Length: {MAX_BODY_BYTES + 1}"], 413,  # no `100 Continue` first
     f"request body over {MAX_BODY_BYTES} bytes"),
    ([f"Content-Length: {len(SMUGGLED)}"], 415, "Content-Type must be application/json, got none"),
])
def test_a_body_refused_unread_closes_the_connection(server, headers, status, reason):
    # The unread body holds a second request: answering it too would let a client smuggle
    # requests past a proxy, and a negative length used to be read until the client hung up.
    base, _ = server
    head = "\r\n".join(["POST /v1/decide HTTP/1.1", "Host: x", *headers]) + "\r\n\r\n"
    responses, closed = exchange(base, head.encode() + SMUGGLED)
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
    (m, "/v1/decide", "POST") for m in ("GET", "PUT", "DELETE", "PATCH", "OPTIONS")
] + [("POST", "/health", "GET, HEAD"), ("DELETE", "/health", "GET, HEAD")])
def test_other_methods_get_405_with_allow(server, method, path, allow):
    base, _ = server
    conn = http.client.HTTPConnection(urlsplit(base).netloc, timeout=10)
    conn.request(method, path)
    resp = conn.getresponse()
    body = json.loads(resp.read())
    assert (resp.status, resp.headers["Allow"], resp.headers["Content-Type"]) == (
        405, allow, "application/json; charset=utf-8")
    error = f"{path} answers {allow}, not {method}"
    assert body == ({"error": error} if path == "/health" else {**body, "effect": "deny", "errors": [error]})


def test_head_health_and_unknown_methods(server):
    base, _ = server
    conn = http.client.HTTPConnection(urlsplit(base).netloc, timeout=10)
    conn.request("HEAD", "/health")
    resp = conn.getresponse()
    assert (resp.status, resp.read()) == (200, b"") and int(resp.headers["Content-Length"]) > 0
    conn.request("BREW", "/health")
    resp = conn.getresponse()
    assert (resp.status, json.loads(resp.read())) == (501, {"error": "Unsupported method ('BREW')"})


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


def test_a_stalled_client_is_dropped_and_blocks_no_one():
    srv, base, _ = start(connection_timeout=0.5)
    try:
        idle, stalled = connect(base), connect(base)
        stalled.sendall(b"POST /v1/decide HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                        b"Content-Length: 10\r\n\r\n{")
        with urllib.request.urlopen(base + "/health", timeout=5) as resp:
            assert resp.status == 200
        started = time.monotonic()
        assert (idle.recv(1), stalled.recv(1)) == (b"", b"")  # closed, no answer
        assert time.monotonic() - started < 3
        idle.close()
        stalled.close()
    finally:
        srv.shutdown()
        srv.server_close()


def test_jurist_serve_runs_from_the_command_line_and_drops_stalled_clients(tmp_path):
    import subprocess
    import sys

    rules = tmp_path / "main.policy"
    rules.write_text("rule ban: deny where country in {ID, MY}\n")
    proc = subprocess.Popen([sys.executable, "-m", "jurist", "serve", "--rules", str(rules), "--port", "0",
                             "--timeout", "0.5"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline()
        assert "serving" in line, proc.stderr.read() if proc.poll() is not None else line
        base = line.strip().rsplit(" on ", 1)[1].removesuffix("/v1/decide")
        host, port = urlsplit(base).hostname, urlsplit(base).port
        idle = socket.create_connection((host, port))
        status, body = post(base + "/v1/decide", json.dumps(request(country="ID")).encode())
        assert (status, body["effect"]) == (200, "deny")
        idle.settimeout(5)
        assert idle.recv(1) == b""  # dropped after the timeout, without sending anything
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_jurist_serve_refuses_a_non_positive_timeout(tmp_path):
    from jurist.cli import main

    rules = tmp_path / "main.policy"
    rules.write_text("rule ban: deny where country in {ID, MY}\n")
    assert main(["serve", "--rules", str(rules), "--port", "0", "--timeout", "0"]) == 2
