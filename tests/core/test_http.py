"""Decisions over HTTP: same answers as the library, and bad input still fails closed."""
from __future__ import annotations

import base64
import io
import json
import urllib.error
import urllib.request

import pytest
from policy_helpers import policy, request
from PIL import Image

from jurist.engine.http import serve_in_background


@pytest.fixture
def server():
    p = policy("""\
        rule geoblock: deny attire:bikini subject:real_person where country = GB
            cite "OSA" message "Not here."
        rule faces: review subject:real_person where country = FR
        """)
    srv = serve_in_background(p)
    yield f"http://127.0.0.1:{srv.server_address[1]}", p
    srv.shutdown()
    srv.server_close()


def post(url: str, body: bytes) -> tuple[int, dict]:
    req = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"})
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
