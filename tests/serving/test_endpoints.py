"""The API's endpoints: batch, authentication, readiness, metrics and the record fields of a decision."""
from __future__ import annotations

import http.client
import json
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from jurist.db.service import Store
from jurist.serving.settings import ServeSettings

from serving_support import connect, exchange, get, post, read_responses, request, start, with_limits, write_rules

UUID7 = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
BIKINI = {"attire:bikini": 0.9, "subject:real_person": 0.9}


@pytest.fixture(scope="module")
def server():
    srv = start(limits=with_limits(max_batch=5))
    yield srv
    srv.stop()


def test_every_decision_carries_its_record_fields(server):
    status, body = post(server.url + "/v1/decide", request(country="GB", labels=BIKINI))
    assert status == 200 and UUID7.match(body["decision_id"])
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z", body["decided_at"])
    assert body["policy"]["name"].endswith("test.policy") and body["policy"]["sources_hash"].startswith("sha256:")
    same = post(server.url + "/v1/decide", {**request(labels=BIKINI), "country": "gb"})[1]
    assert same["request_sha256"] == body["request_sha256"]  # the digest is of the canonical request
    assert same["decision_id"] > body["decision_id"]  # time-ordered


def test_a_batch_is_decided_in_order_one_decision_each(server):
    items = [request(country="GB", labels=BIKINI), {"country": "XX"}, request(country="FR", labels=BIKINI),
             request(country="GB", labels={"attire:bikini": 0.1})]
    status, body = post(server.url + "/v1/decide:batch", {"requests": items})
    assert status == 200
    decisions = body["decisions"]
    assert [d["effect"] for d in decisions] == ["deny", "deny", "review", "allow"]
    assert decisions[1]["errors"] == ["requests[1]: country: `XX` is not an ISO 3166-1 alpha-2 code"]
    assert [d["rules"][0]["id"] if d["rules"] else None for d in decisions] == ["geoblock", None, "faces", None]
    assert len({d["decision_id"] for d in decisions}) == 4
    assert len({d["policy"]["sources_hash"] for d in decisions}) == 1


@pytest.mark.parametrize("body, status, reason", [
    ({"requests": [request()] * 6}, 413, "a batch of 6 requests is over the limit of 5"),
    ({"requests": {}}, 422, 'a batch is {"requests": [request, ...]}'),
    ([request()], 422, 'a batch is {"requests": [request, ...]}'),
    ({"requests": [], "extra": 1}, 422, 'a batch is {"requests": [request, ...]}'),
])
def test_a_batch_over_its_limit_or_malformed_is_refused_whole(server, body, status, reason):
    code, answer = post(server.url + "/v1/decide:batch", json.dumps(body).encode())
    assert (code, answer["effect"], answer["errors"]) == (status, "deny", [reason])


def test_ready_and_health_say_what_is_served(server):
    ready = json.loads(get(server.url + "/ready")[1])
    assert ready["ready"] is True and ready["serving"]["state"] == "from files"
    assert ready["auth"] == "off (--insecure-no-auth)"
    assert json.loads(get(server.url + "/health")[1])["status"] == "ok"


def test_metrics_count_decisions_refusals_and_detectors(server):
    post(server.url + "/v1/decide", request(country="GB", labels=BIKINI))
    post(server.url + "/v1/decide", {"country": "XX"})
    status, text = get(server.url + "/metrics")
    metrics = text.decode()
    assert status == 200
    for line in ('jurist_decisions_total{effect="deny",role="served"}', 'jurist_decisions_by_rule_total{effect="deny",'
                 'rule="geoblock"}', 'jurist_decisions_by_country_total{country="GB",effect="deny"}',
                 'jurist_decisions_by_rule_total{effect="deny",rule="(refused)"}',
                 'jurist_http_refusals_total{status="422"}', "jurist_decision_seconds_bucket",
                 'jurist_http_request_seconds_count{endpoint="decide"}', "jurist_policy_retired 0.0"):
        assert line in metrics, line
    assert re.search(r'jurist_policy_info\{role="served",sources_hash="sha256:[0-9a-f]{64}",version="[^"]+'
                     r'test\.policy"\} 1\.0', metrics)


def test_the_openapi_document_is_served_and_names_every_endpoint(server):
    status, text = get(server.url + "/openapi.json")
    document = json.loads(text)
    assert status == 200 and document["openapi"] == "3.1.0"
    assert set(document["paths"]) == {"/v1/decide", "/v1/decide:batch", "/health", "/ready", "/metrics",
                                      "/openapi.json"}
    assert document["components"]["schemas"]["BatchRequest"]["properties"]["requests"]["maxItems"] == 5


# -- authentication ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def secured(tmp_path_factory):
    folder = tmp_path_factory.mktemp("auth")
    url = f"sqlite:///{folder / 'jurist.db'}"
    with Store.open(url, login="admin", create=True) as admin:
        good = admin.add_token("image-service").secret
        revoked = admin.add_token("old").secret
        admin.revoke_token("old")
    srv = start(auth=True, db=url, reload_interval=0.2)
    yield srv, url, good, revoked
    srv.stop()


@pytest.mark.parametrize("header, reason", [
    (None, "this endpoint needs an API token: send `Authorization: Bearer <token>` "
           "(an admin makes one with `jurist token add NAME`)"),
    ("Basic YWRtaW46YWRtaW4=", "the Authorization header must read `Bearer <token>`"),
    ("Bearer jurist_not-a-token", "the API token is not valid (unknown or revoked)"),
    ("revoked", "the API token is not valid (unknown or revoked)"),
])
def test_decide_without_a_valid_token_is_refused_unread(secured, header, reason):
    srv, _, _, revoked = secured
    auth = f"Authorization: Bearer {revoked}\r\n" if header == "revoked" else \
        f"Authorization: {header}\r\n" if header else ""
    body = json.dumps(request()).encode()
    raw = (f"POST /v1/decide HTTP/1.1\r\nHost: x\r\n{auth}Content-Type: application/json\r\n"
           f"Content-Length: {len(body)}\r\n\r\n").encode() + body
    responses, closed = exchange(srv.url, raw)
    assert [(code, h["connection"], h["www-authenticate"], b["effect"], b["errors"]) for code, h, b in responses] == [
        (401, "close", 'Bearer realm="jurist"', "deny", [reason])]
    assert closed


def test_a_valid_token_is_served_and_a_revoked_one_stops_working(secured):
    srv, url, good, _ = secured
    headers = {"Authorization": f"Bearer {good}"}
    assert post(srv.url + "/v1/decide", request(), headers=headers)[0] == 200
    assert post(srv.url + "/v1/decide:batch", {"requests": [request()]}, headers=headers)[0] == 200
    assert get(srv.url + "/health")[0] == 200 and get(srv.url + "/metrics")[0] == 200  # probes need no token
    with Store.open(url, login="admin") as admin:
        admin.revoke_token("image-service")
    import time

    deadline = time.monotonic() + 10
    while post(srv.url + "/v1/decide", request(), headers=headers)[0] == 200 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert post(srv.url + "/v1/decide", request(), headers=headers)[0] == 401


def test_auth_needs_a_store(tmp_path):
    from jurist.serving.worker import SettingsError, build_service

    with pytest.raises(SettingsError, match="authentication needs the API tokens of a store"):
        build_service(ServeSettings(str(write_rules(folder=tmp_path)), auth=True))


def test_tokens_are_made_by_admins_shown_once_and_audited(tmp_path, capsys, monkeypatch):
    from jurist.cli import main

    url = f"sqlite:///{tmp_path / 'jurist.db'}"
    monkeypatch.setenv("LOGNAME", "admin")
    assert main(["user", "add", "erin", "--role", "editor", "--db", url]) == 0
    capsys.readouterr()
    assert main(["token", "add", "svc", "--db", url]) == 0
    out, err = capsys.readouterr()
    secret = out.strip()
    assert secret.startswith("jurist_") and len(secret) > 40 and "shown only now" in err
    with Store.open(url, login="admin") as admin:
        assert [t.name for t in admin.list_tokens()] == ["svc"]
        event = admin.audit_log(1)[0]
        assert (event.action, event.subject, dict(event.details)) == ("token.add", "token:svc", {})
    assert secret not in Path(tmp_path / "jurist.db").read_bytes().decode("latin-1")  # only its hash is kept
    monkeypatch.setenv("LOGNAME", "erin")
    assert main(["token", "add", "mine", "--db", url]) == 1
    assert "making API tokens needs the admin role" in capsys.readouterr().err


def test_jurist_decide_prints_the_record_fields(tmp_path, capsys):
    from jurist.cli import main

    rules = write_rules(folder=tmp_path)
    (tmp_path / "req.json").write_text(json.dumps(request(country="GB", labels=BIKINI)))
    assert main(["decide", "--rules", str(rules), "--request", str(tmp_path / "req.json")]) == 0
    decision = json.loads(capsys.readouterr().out)
    assert UUID7.match(decision["decision_id"]) and decision["policy"]["name"] == str(rules)
    assert main(["decide", "--rules", str(rules), "--request", str(tmp_path / "req.json"), "--explain"]) == 0
    explained = capsys.readouterr().out
    assert "decision id: " in explained and f"request sha256: {decision['request_sha256']}" in explained


def test_http_1_1_pipelined_requests_are_answered_in_order(server):
    body = json.dumps(request(country="GB", labels=BIKINI)).encode()
    one = (f"POST /v1/decide HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
           f"Content-Length: {len(body)}\r\n\r\n").encode() + body
    with connect(server.url) as sock:
        sock.sendall(one * 3)
        data = b""
        while len(read_responses_safe(data)) < 3:
            data += sock.recv(65536)
    assert [(code, body["effect"]) for code, _, body in read_responses(data)] == [(200, "deny")] * 3


def read_responses_safe(data: bytes) -> list:
    try:
        return read_responses(data)
    except (ValueError, KeyError, IndexError):
        return []


def _self_signed(cert: Path, key: Path) -> None:
    """A throwaway certificate for 127.0.0.1, made with `cryptography` (a dependency already): no openssl
    command needed, so the test runs everywhere the suite does."""
    import datetime as dt
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    private = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.timezone.utc)
    certificate = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(private.public_key())
                   .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(minutes=5))
                   .not_valid_after(now + dt.timedelta(days=1))
                   .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                                  critical=False)
                   .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
                   .sign(private, hashes.SHA256()))
    cert.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key.write_bytes(private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                         serialization.NoEncryption()))


def test_tls_with_the_certificate_flags(tmp_path):
    import ssl
    import urllib.request

    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    _self_signed(cert, key)
    srv = start(tls_cert=str(cert), tls_key=str(key))
    try:
        assert srv.url.startswith("https://")
        context = ssl.create_default_context(cafile=str(cert))
        req = urllib.request.Request(srv.url + "/v1/decide", data=json.dumps(request()).encode(),
                                     headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=10, context=context) as resp:
            assert resp.status == 200 and json.loads(resp.read())["effect"] == "allow"
        with pytest.raises(OSError):  # plain HTTP on the TLS port gets no decision
            get(srv.url.replace("https://", "http://") + "/health")
    finally:
        srv.stop()


def test_a_bug_while_deciding_is_still_a_deny_the_client_can_read(tmp_path, monkeypatch):
    """Before: an exception inside a decide handler became Starlette's plain-text 500, which a client
    reading `effect` could not parse; now it is a deny decision naming what happened, and the connection
    closes."""
    srv = start()
    try:
        def broken(*_args, **_kwargs):
            raise KeyError("a bug")

        monkeypatch.setattr(type(srv.service.following.current.policy), "decide", broken)
        status, body = post(srv.url + "/v1/decide", request(country="GB", labels=BIKINI))
    finally:
        monkeypatch.undo()
        srv.stop()
    assert status == 500
    assert body["effect"] == "deny" and "was not decided (fail closed)" in body["errors"][0]


def test_other_methods_on_the_decide_paths_are_refused_with_a_decision(server):
    """The decide paths skip the router for POST; any other method still gets a 405 deny naming POST."""
    conn = http.client.HTTPConnection(*urlsplit(server.url).netloc.split(":"))
    conn.request("GET", "/v1/decide")
    response = conn.getresponse()
    body = json.loads(response.read())
    assert response.status == 405 and response.getheader("Allow") == "POST"
    assert body["effect"] == "deny" and "answers POST, not GET" in body["errors"][0]
