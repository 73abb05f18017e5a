"""`jurist serve` under load, beside the in-process JSON-in/JSON-out loop, in one run (loopback only).

    .venv/bin/python bench/serve.py                  # every row, about two minutes
    .venv/bin/python bench/serve.py --quick          # shorter rows, no slowloris minute

Each row starts `jurist serve --rules rulesets/ --insecure-no-auth` on a free
loopback port with the workers it names, and drives it from this process with
a small uvloop client (one asyncio Protocol per connection, the request bytes
built once, keep-alive), so the client costs as little CPU as it can on the
same machine.  Requests are observations-only (a country and label scores),
as in `bench/decision_latency.py`; one row sends an inline photo instead.
Every row is bounded in time and count, and reports p50 and p99 latency,
decisions per second and errors (any answer but 200, or a dropped
connection).  The last rows are the hostile ones: 500 POSTs at once, one
connection each, and 400 slowloris connections sending a header byte every 5 s
while an ordinary client keeps deciding; it reports how many slow connections
are still open past the request deadline.
"""
from __future__ import annotations

import argparse
import asyncio
import base64
import io
import json
import os
import random
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
from decision_latency import PLACES  # noqa: E402

HOST = "127.0.0.1"


def bodies(n: int) -> list[bytes]:
    rng = random.Random(2026)
    return [json.dumps({"country": rng.choice(PLACES)[0],
                        "observations": {"labels": {"attire:bikini": round(rng.random(), 2),
                                                    "subject:real_person": round(rng.random(), 2)}}}).encode()
            for _ in range(n)]


def wire(body: bytes, close: bool = False) -> bytes:
    return (b"POST /v1/decide HTTP/1.1\r\nHost: bench\r\nContent-Type: application/json\r\nContent-Length: "
            + str(len(body)).encode() + (b"\r\nConnection: close" if close else b"") + b"\r\n\r\n" + body)


def in_process_loop(seconds: float) -> dict[str, float]:
    """The same requests decided in this process: JSON bytes in, `policy.decide`, JSON bytes out."""
    import jurist

    policy = jurist.load(ROOT / "rulesets")
    payloads = bodies(5000)
    for body in payloads[:500]:
        json.dumps(policy.decide(json.loads(body)).to_json(), ensure_ascii=False).encode()
    timings: list[float] = []
    started = time.perf_counter()
    while time.perf_counter() - started < seconds:
        for body in payloads:
            t0 = time.perf_counter()
            json.dumps(policy.decide(json.loads(body)).to_json(), ensure_ascii=False).encode()
            timings.append(time.perf_counter() - t0)
    elapsed = sum(timings)
    return summary(timings, len(timings) / elapsed, 0)


def summary(timings: list[float], rate: float, errors: int) -> dict[str, float]:
    ordered = sorted(timings) or [float("nan")]
    return {"p50_ms": statistics.median(ordered) * 1000, "p99_ms": ordered[max(0, int(len(ordered) * 0.99) - 1)] * 1000,
            "rate": rate, "errors": errors, "n": len(timings)}


class Connection(asyncio.Protocol):
    """One keep-alive connection sending requests back to back and timing each answer."""

    def __init__(self, requests: list[bytes], timings: list[float], state: dict[str, Any]):
        self.requests, self.timings, self.state = requests, timings, state
        self.buffer = b""
        self.index = random.randrange(len(requests))
        self.sent = 0.0
        self.transport: asyncio.Transport | None = None
        self.done = asyncio.get_running_loop().create_future()

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]  # uvloop's TCPTransport
        self.send()

    def send(self) -> None:
        if self.state["stop"]:
            assert self.transport is not None
            self.transport.close()
            return
        self.index = (self.index + 1) % len(self.requests)
        self.sent = time.perf_counter()
        assert self.transport is not None
        self.transport.write(self.requests[self.index])

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while True:
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            head = self.buffer[:end + 2]
            start = head.find(b"content-length: ") + 16
            length = int(head[start:head.find(b"\r\n", start)])
            if len(self.buffer) < end + 4 + length:
                return
            self.buffer = self.buffer[end + 4 + length:]
            if self.state["measuring"]:
                self.timings.append(time.perf_counter() - self.sent)
                if head[9:12] != b"200":
                    self.state["errors"] += 1
            self.send()

    def connection_lost(self, exc: Exception | None) -> None:
        if not self.state["stop"]:
            self.state["errors"] += 1
        if not self.done.done():
            self.done.set_result(None)


async def drive(port: int, requests: list[bytes], concurrency: int, seconds: float, warmup: float) -> dict[str, float]:
    loop = asyncio.get_running_loop()
    timings: list[float] = []
    state: dict[str, Any] = {"stop": False, "measuring": False, "errors": 0}
    connections = []
    for _ in range(concurrency):
        _, protocol = await loop.create_connection(lambda: Connection(requests, timings, state), HOST, port)
        connections.append(protocol)
    await asyncio.sleep(warmup)
    state["measuring"] = True
    started = time.perf_counter()
    await asyncio.sleep(seconds)
    state["measuring"] = False
    elapsed = time.perf_counter() - started
    state["stop"] = True
    await asyncio.wait([c.done for c in connections], timeout=10)
    return summary(timings, len(timings) / elapsed, state["errors"])


async def burst(port: int, body: bytes, count: int) -> dict[str, float]:
    """`count` POSTs at once, each on a connection of its own."""
    request = wire(body, close=True)

    async def one() -> float | None:
        t0 = time.perf_counter()
        try:
            reader, writer = await asyncio.wait_for(asyncio.open_connection(HOST, port), 60)
            writer.write(request)
            data = await asyncio.wait_for(reader.read(), 60)
            writer.close()
            return time.perf_counter() - t0 if data[9:12] == b"200" else None
        except (OSError, asyncio.TimeoutError):
            return None

    t0 = time.perf_counter()
    results = await asyncio.gather(*(one() for _ in range(count)))
    elapsed = time.perf_counter() - t0
    ok = [r for r in results if r is not None]
    return summary(ok, len(ok) / elapsed, count - len(ok))


async def slowloris(port: int, body: bytes, clients: int, seconds: float, deadline: float) -> dict[str, float]:
    """`clients` connections each sending one header byte every 5 s, for `seconds`; meanwhile one ordinary
    client decides.  Returns its figures and how many slow connections were still open after `deadline`."""
    header = b"POST /v1/decide HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"a" * 10_000
    open_now: set[int] = set()
    held_late = 0

    async def slow(i: int) -> None:
        try:
            reader, writer = await asyncio.open_connection(HOST, port)
        except OSError:
            return
        open_now.add(i)
        try:
            for k in range(int(seconds // 5) + 1):
                writer.write(header[k:k + 1])
                try:
                    if await asyncio.wait_for(reader.read(1), 5) == b"":
                        break
                    break  # answered (408): the server ended it
                except asyncio.TimeoutError:
                    continue
        except OSError:
            pass
        finally:
            open_now.discard(i)
            writer.close()

    tasks = [asyncio.ensure_future(slow(i)) for i in range(clients)]
    await asyncio.sleep(1)
    normal = asyncio.ensure_future(drive(port, [wire(body)], 1, seconds - 2, 0.2))
    await asyncio.sleep(deadline + 6)
    held_late = len(open_now)
    result = await normal
    await asyncio.wait(tasks, timeout=seconds)
    result["held"] = held_late
    return result


def start_server(workers: int, extra: list[str] | None = None) -> tuple[subprocess.Popen[str], int]:
    argv = [sys.executable, "-m", "jurist", "serve", "--rules", str(ROOT / "rulesets"), "--host", HOST, "--port", "0",
            "--workers", str(workers), "--insecure-no-auth", "--log-level", "warning", *(extra or [])]
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    assert proc.stdout is not None
    line = proc.stdout.readline()
    if "serving" not in line:
        raise RuntimeError(f"jurist serve did not start: {line}")
    port = int(line.split(" on ", 1)[1].split("/v1/decide")[0].rsplit(":", 1)[1])
    for _ in range(200):  # until every worker answers
        try:
            import urllib.request

            urllib.request.urlopen(f"http://{HOST}:{port}/health", timeout=2).read()
            break
        except OSError:
            time.sleep(0.05)
    time.sleep(0.5 * workers)
    return proc, port


def stop_server(proc: subprocess.Popen[str]) -> None:
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()


def photo() -> bytes:
    from skimage import data

    from PIL import Image

    buf = io.BytesIO()
    Image.fromarray(data.astronaut()).save(buf, format="JPEG", quality=90)
    url = "data:image/jpeg;base64," + base64.b64encode(buf.getvalue()).decode()
    return json.dumps({"action": "edit", "country": "GB", "region": "GB-ENG", "user": {"tier": "paid"},
                       "surface": "app", "date": "2026-03-01", "images": [url]}).encode()


def row(name: str, figures: dict[str, float]) -> None:
    extra = f"  held past the deadline: {int(figures['held'])}" if "held" in figures else ""
    print(f"{name:<46} {figures['p50_ms']:>9.3f} {figures['p99_ms']:>9.3f} {figures['rate']:>10,.0f} "
          f"{int(figures['errors']):>7}{extra}", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=5.0, help="measured seconds per row (default 5)")
    parser.add_argument("--quick", action="store_true", help="2 s rows and no slowloris row")
    args = parser.parse_args()
    seconds = 2.0 if args.quick else args.seconds
    try:
        import uvloop

        uvloop.install()
    except ImportError:
        pass
    requests = [wire(b) for b in bodies(2000)]
    print(f"loopback, {os.cpu_count()} cores; observations-only requests against rulesets/; {seconds:g} s per row")
    print(f"{'row':<46} {'p50 ms':>9} {'p99 ms':>9} {'decisions/s':>10} {'errors':>7}")
    baseline = in_process_loop(seconds)
    row("in-process JSON loop (one process)", baseline)
    results: dict[tuple[int, int], dict[str, float]] = {}
    for workers in (1, 2):
        proc, port = start_server(workers)
        try:
            for concurrency in (1, 8, 64, 256):
                figures = asyncio.run(drive(port, requests, concurrency, seconds, 1.0))
                results[(workers, concurrency)] = figures
                row(f"HTTP, {workers} worker(s), concurrency {concurrency}", figures)
            if workers == 2:
                image = [wire(photo())]
                row("HTTP, 2 workers, one inline photo at a time", asyncio.run(drive(port, image, 1, seconds * 2, 2)))
                row("HTTP, 2 workers, 500 POSTs at once (own connections)",
                    asyncio.run(burst(port, bodies(1)[0], 500)))
        finally:
            stop_server(proc)
    logs = Path(os.environ.get("TMPDIR", "/tmp")) / f"jurist-bench-log-{os.getpid()}"
    proc, port = start_server(2, ["--decision-log", str(logs)])
    try:
        row("HTTP, 2 workers, concurrency 8, JSON Lines log", asyncio.run(drive(port, requests, 8, seconds, 1.0)))
    finally:
        stop_server(proc)
        import shutil

        shutil.rmtree(logs, ignore_errors=True)
    if not args.quick:
        proc, port = start_server(2, ["--request-timeout", "10"])
        try:
            row("slowloris: 400 slow connections, 1 client (10 s)",
                asyncio.run(slowloris(port, bodies(1)[0], 400, 30.0, 10.0)))
        finally:
            stop_server(proc)
    ratio = results[(2, 8)]["rate"] / baseline["rate"]
    print(f"\n2 workers at concurrency 8: {ratio:.2f}x the in-process JSON loop (target >= 0.8); "
          f"p50 at concurrency 1 on a reused connection: {results[(1, 1)]['p50_ms']:.3f} ms (target <= 1 ms); "
          f"errors at concurrency 256: {int(results[(1, 256)]['errors'] + results[(2, 256)]['errors'])} (target 0)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
