"""The HTTP findings of the hostile-input probe (issue 15), each reproduced against the server.

* `--image-dir DIR` opened names relative to the working directory: files in
  DIR could not be read, files outside it could, the errors told what existed,
  and a FIFO in DIR blocked a handler thread forever;
* a listen backlog of 5: 500 concurrent POSTs timed out and filled stderr with
  BrokenPipe tracebacks;
* slowloris: 400 connections sending a header byte every 10 s all stayed open,
  because the timeout applied per read and nothing capped connections.
"""
from __future__ import annotations

import asyncio
import base64
import io
import json
import os
import time

import pytest
from PIL import Image

from serving_support import connect, post, read_responses, request, run_serve, start, with_limits

REFUSED = "is not a readable image file inside the server's image directory"


def png(colour: tuple[int, int, int] = (200, 180, 160)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (64, 64), colour).save(buf, format="PNG")
    return buf.getvalue()


@pytest.fixture(scope="module")
def image_server(tmp_path_factory):
    root = tmp_path_factory.mktemp("images")
    outside = tmp_path_factory.mktemp("outside")
    (root / "inside.png").write_bytes(png())
    (root / "sub").mkdir()
    (root / "sub" / "deeper.png").write_bytes(png((10, 20, 30)))
    (outside / "secret.png").write_bytes(png((1, 2, 3)))
    (root / "link-out.png").symlink_to(outside / "secret.png")
    (root / "link-in.png").symlink_to(root / "inside.png")
    os.mkfifo(root / "fifo.png")
    (root / "folder.png").mkdir()
    srv = start(image_dir=str(root))
    yield srv, root, outside
    srv.stop()


@pytest.mark.parametrize("name", ["inside.png", "sub/deeper.png", "link-in.png"])
def test_files_inside_the_image_directory_are_read(image_server, name, monkeypatch):
    srv, root, _ = image_server
    monkeypatch.chdir("/")  # the server must not read names relative to its working directory
    status, body = post(srv.url + "/v1/decide", {**request(), "images": [name]})
    assert status == 200 and body["effect"] == "allow"
    assert [d["name"] for d in body["detectors_run"]] == ["faces"] and all(d["ok"] for d in body["detectors_run"])


def test_a_file_in_the_working_directory_is_not_read(image_server, tmp_path, monkeypatch):
    srv, _, _ = image_server
    (tmp_path / "cwd-only.png").write_bytes(png())
    monkeypatch.chdir(tmp_path)
    status, body = post(srv.url + "/v1/decide", {**request(), "images": ["cwd-only.png"]})
    assert (status, body["effect"], body["errors"]) == (422, "deny", [f"image `cwd-only.png` {REFUSED}"])


@pytest.mark.parametrize("name", [
    "missing.png", "link-out.png", "fifo.png", "folder.png", "../outside/secret.png", "/etc/passwd",
    "sub/../../etc/passwd", "/dev/zero", "sub\\..\\inside.png",
])
def test_every_other_name_is_refused_alike_and_nothing_blocks(image_server, name):
    # Missing, outside, a FIFO, a folder, a device: one answer, so the text probes nothing, and a
    # FIFO is opened without blocking (the old server's handler thread waited on it forever).
    srv, _, outside = image_server
    started = time.monotonic()
    status, body = post(srv.url + "/v1/decide", {**request(), "images": [name]})
    assert (status, body["effect"], body["errors"]) == (422, "deny", [f"image `{name}` {REFUSED}"])
    assert time.monotonic() - started < 10


def test_without_an_image_directory_no_file_is_read():
    srv = start()
    try:
        status, body = post(srv.url + "/v1/decide", {**request(), "images": ["inside.png"]})
        assert (status, body["errors"]) == (422, ["images must be sent inline as data URLs; this server reads no files"])
        url = "data:image/png;base64," + base64.b64encode(png()).decode()
        assert post(srv.url + "/v1/decide", {**request(), "images": [url]})[0] == 200
    finally:
        srv.stop()


async def _post_all(port: int, count: int, body: bytes) -> list[int | str]:
    head = (f"POST /v1/decide HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n").encode()

    async def one() -> int | str:
        try:
            reader, writer = await asyncio.wait_for(asyncio.open_connection("127.0.0.1", port), 60)
            writer.write(head + body)
            data = await asyncio.wait_for(reader.read(), 60)
            writer.close()
            return int(data.split(b" ", 2)[1])
        except Exception as exc:  # noqa: BLE001 - a failure is what the test counts
            return type(exc).__name__

    return await asyncio.gather(*(one() for _ in range(count)))


def test_500_concurrent_posts_are_all_answered_and_stderr_stays_quiet(tmp_path):
    proc, base = run_serve(tmp_path, "--workers", "2", "--log-level", "warning")
    try:
        port = int(base.rsplit(":", 1)[1])
        results = asyncio.run(_post_all(port, 500, json.dumps(request(country="ID")).encode()))
    finally:
        proc.terminate()
        stderr = proc.communicate(timeout=30)[1]
    assert results == [200] * 500
    assert "Traceback" not in stderr and "BrokenPipe" not in stderr


def test_slow_clients_are_closed_at_the_request_deadline_and_others_are_served():
    # A header byte every 0.2 s: each read arrives in time, the request never does.  With a 1 s
    # deadline for the whole request every such connection is answered 408 and closed.
    srv = start(limits=with_limits(request_timeout=1.0, idle_timeout=5.0))
    try:
        slow = [connect(srv.url, timeout=10) for _ in range(40)]
        header = b"POST /v1/decide HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"a" * 200
        started = time.monotonic()
        closed: set[int] = set()
        sent = 0
        while len(closed) < len(slow) and time.monotonic() - started < 8:
            for i, sock in enumerate(slow):
                if i in closed:
                    continue
                try:
                    sock.sendall(header[sent:sent + 1])
                except OSError:
                    closed.add(i)
            sent += 1
            for i, sock in enumerate(slow):
                sock.settimeout(0.005)
                try:
                    if i not in closed and sock.recv(65536) is not None:
                        closed.add(i)
                except TimeoutError:
                    pass
                except OSError:
                    closed.add(i)
            time.sleep(0.2)
            if sent == 3:  # meanwhile an ordinary client is served at once
                assert post(srv.url + "/v1/decide", request())[0] == 200
        assert len(closed) == len(slow) and time.monotonic() - started < 5
        for sock in slow:
            sock.close()
    finally:
        srv.stop()


def test_connections_past_the_cap_are_answered_503_and_closed():
    srv = start(limits=with_limits(max_connections=5))
    try:
        held = [connect(srv.url) for _ in range(5)]
        time.sleep(0.2)
        extra = connect(srv.url)
        data = b""
        while chunk := extra.recv(65536):
            data += chunk
        [(status, headers, body)] = read_responses(data)
        assert (status, headers["connection"], body) == (
            503, "close", {"error": "the server is at its limit of 5 connections; retry shortly"})
        for sock in held:
            sock.close()
        time.sleep(0.2)
        assert post(srv.url + "/v1/decide", request())[0] == 200  # room again
        metrics = json.dumps(srv.service.metrics.exposition().decode())
        assert 'jurist_connections_refused_total{reason=\\"connections\\"} 1.0' in metrics
    finally:
        srv.stop()
