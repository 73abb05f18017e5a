"""Helpers for the serving tests: a real server on a thread, raw sockets and a plain HTTP client."""
from __future__ import annotations

import dataclasses
import json
import socket
import subprocess
import sys
import tempfile
import textwrap
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

from jurist.serving.server import BackgroundServer, serve_in_background
from jurist.serving.settings import Limits, Rollout, ServeSettings

RULES = """\
    rule geoblock: deny attire:bikini subject:real_person where country = GB
        cite "OSA" message "Not here."
    rule faces: review subject:real_person where country = FR
    """


# The folders `write_rules` makes when given none: under one removed when the test process ends.
_SCRATCH = tempfile.TemporaryDirectory(prefix="jurist-serving-test-")


def write_rules(text: str = RULES, folder: Path | None = None) -> Path:
    folder = folder or Path(tempfile.mkdtemp(dir=_SCRATCH.name))
    path = folder / "test.policy"
    path.write_text(textwrap.dedent(text))
    return path


def start(text: str = RULES, *, rules: str | None = None, limits: Limits | None = None, shadow: str | None = None,
          canary: str | None = None, share: float = 0.0, **settings: object) -> BackgroundServer:
    """A server on a free loopback port serving `text` (or the `rules` target), no auth unless asked."""
    target = rules or str(write_rules(text))
    options = {"port": 0, "auth": False, **settings}
    return serve_in_background(ServeSettings(target, limits=limits or Limits(), rollout=Rollout(shadow, canary, share),
                                             **options))  # type: ignore[arg-type]


BANS = "rule ban: deny where country in {ID, MY}\n"


def run_serve(folder: Path, *options: str) -> tuple[subprocess.Popen, str]:
    """`jurist serve` started as a user starts it, on a free port, serving `BANS` from `folder`: the process
    (stdout and stderr piped, as text) and the base URL it announced."""
    rules = write_rules(BANS, folder)
    proc = subprocess.Popen([sys.executable, "-m", "jurist", "serve", "--rules", str(rules), "--port", "0",
                             "--insecure-no-auth", *options], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    assert proc.stdout is not None and proc.stderr is not None
    line = proc.stdout.readline()
    assert "serving" in line, proc.stderr.read() if proc.poll() is not None else line
    return proc, line.split(" on ", 1)[1].split("/v1/decide")[0]


def with_limits(**changes: object) -> Limits:
    return dataclasses.replace(Limits(), **changes)  # type: ignore[arg-type]


def post(url: str, body: bytes | dict, content_type: str = "application/json",
         headers: dict[str, str] | None = None) -> tuple[int, dict]:
    data = json.dumps(body).encode() if isinstance(body, dict) else body
    req = urllib.request.Request(url, data=data, headers={"Content-Type": content_type, **(headers or {})})
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return resp.status, json.loads(resp.read())
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read())


def get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=30) as resp:
            return resp.status, resp.read()
    except urllib.error.HTTPError as err:
        return err.code, err.read()


def connect(base: str, timeout: float = 5) -> socket.socket:
    url = urlsplit(base)
    return socket.create_connection((url.hostname, url.port), timeout=timeout)


def read_responses(data: bytes) -> list[tuple[int, dict[str, str], dict]]:
    """Parse HTTP/1.1 responses with Content-Length bodies out of raw bytes."""
    responses = []
    while data:
        head, _, data = data.partition(b"\r\n\r\n")
        status, *lines = head.decode().split("\r\n")
        headers = {name.lower(): value for name, value in (line.split(": ", 1) for line in lines)}
        length = int(headers["content-length"])
        responses.append((int(status.split()[1]), headers, json.loads(data[:length]) if length else {}))
        data = data[length:]
    return responses


def exchange(base: str, raw: bytes, wait: float = 5) -> tuple[list[tuple[int, dict[str, str], dict]], bool]:
    """Send raw bytes and keep the connection open; return the responses read and whether the
    server closed the connection (rather than leaving it open for `wait` s)."""
    with connect(base, wait) as sock:
        sock.sendall(raw)
        data, closed = b"", False
        try:
            while chunk := sock.recv(65536):
                data += chunk
            closed = True
        except TimeoutError:
            pass
    return read_responses(data), closed


def request(**fields):
    """A fully specified request (no unknown fields) with the given overrides."""
    base = {"action": "generate", "country": "FR", "user": {"tier": "free"}, "surface": "app", "date": "2026-06-01"}
    labels = fields.pop("labels", None)
    base.update(fields)
    if labels is not None:
        base["observations"] = {"labels": labels}
    return base
