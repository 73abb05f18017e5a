"""`jurist serve` under hostile load: the server rows of `bench/stress.py` (loopback only, bounded).

    .venv/bin/python bench/server_stress.py          # both rows, about two minutes
    .venv/bin/python bench/stress.py                 # every stress row, these included

1. Peak RSS of the whole server (the supervisor and its workers, read from
   /proc every 20 ms) while 64 clients at once each send a hostile image
   (bench/hostile_images.py's thin PNGs and many-frame GIFs) inline, on a
   request that needs the face, age and nudity detectors, with 1 and with 2
   workers.  Each worker loads its own detector models (about 300 MiB), so
   the target is < 1 GiB per worker, and every request answered (200 with a
   decision, or a 4xx deny naming the limit).
2. Connections held by 400 slowloris clients (one header byte every 5 s)
   60 s after they connected, with the server's default limits.  Target: none
   (the request deadline, 30 s by default, ends each of them).
"""
from __future__ import annotations

import asyncio
import base64
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from hostile_images import CASES  # noqa: E402
from serve import HOST, slowloris, start_server, stop_server, wire  # noqa: E402

RSS_TARGET_MIB = 1024
CLIENTS = 64
SLOW_CLIENTS = 400
SLOW_AFTER_S = 60.0


def _tree_rss_mib(root: int) -> float:
    """RSS of `root` and every process below it, from /proc (Linux)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as f:
                parent = int(f.read().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(parent, []).append(int(entry))
    total_kib, todo = 0, [root]
    while todo:
        pid = todo.pop()
        todo.extend(children.get(pid, ()))
        try:
            with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as f:
                total_kib += next((int(line.split()[1]) for line in f if line.startswith("VmRSS:")), 0)
        except OSError:
            continue
    return total_kib / 1024


def _hostile_bodies() -> list[bytes]:
    out = []
    for make in CASES.values():
        data, kind = make()
        url = f"data:image/{kind};base64,{base64.b64encode(data).decode()}"
        out.append(json.dumps({"action": "edit", "country": "GB", "user": {"tier": "paid"}, "surface": "app",
                               "date": "2026-03-01", "prompt": "make the sky blue", "images": [url]}).encode())
    return out


async def _hostile(port: int, bodies: list[bytes]) -> tuple[int, int]:
    """Every client sends one body at once; (answered, failed): a 200 or a 4xx deny is an answer."""
    async def one(body: bytes) -> bool:
        try:
            reader, writer = await asyncio.wait_for(asyncio.open_connection(HOST, port), 60)
            writer.write(wire(body, close=True))
            data = await asyncio.wait_for(reader.read(), 120)
            writer.close()
            return data[9:10] in (b"2", b"4") and b'"effect"' in data
        except (OSError, asyncio.TimeoutError):
            return False

    results = await asyncio.gather(*(one(bodies[i % len(bodies)]) for i in range(CLIENTS)))
    return sum(results), len(results) - sum(results)


def hostile_images_row(workers: int) -> tuple[str, str, bool]:
    bodies = _hostile_bodies()
    proc, port = start_server(workers)
    try:
        peak = _tree_rss_mib(proc.pid)
        idle = peak
        task_done = False

        async def run() -> tuple[int, int]:
            nonlocal peak, task_done
            job = asyncio.ensure_future(_hostile(port, bodies))
            while not job.done():
                peak = max(peak, _tree_rss_mib(proc.pid))
                await asyncio.sleep(0.02)
            task_done = True
            return job.result()

        t0 = time.perf_counter()
        answered, failed = asyncio.run(run())
        elapsed = time.perf_counter() - t0
    finally:
        stop_server(proc)
    figure = (f"peak {peak:.0f} MiB for the supervisor and its {workers} worker(s), detector models included "
              f"(idle before any image {idle:.0f} MiB; target < {RSS_TARGET_MIB} MiB per worker process tree "
              f"share, {RSS_TARGET_MIB * workers} MiB here); {answered} of {CLIENTS} answered, {failed} failed, "
              f"in {elapsed:.1f} s")
    return (f"server, {workers} worker(s), {CLIENTS} concurrent hostile-image requests", figure,
            peak < RSS_TARGET_MIB * workers and failed == 0)


def slowloris_row() -> tuple[str, str, bool]:
    body = json.dumps({"country": "GB", "observations": {"labels": {"attire:bikini": 0.9}}}).encode()
    proc, port = start_server(2)
    try:
        figures = asyncio.run(slowloris(port, body, SLOW_CLIENTS, SLOW_AFTER_S + 8, SLOW_AFTER_S - 6))
    finally:
        stop_server(proc)
    held = int(figures["held"])
    figure = (f"{held} of {SLOW_CLIENTS} still open after {SLOW_AFTER_S:.0f} s (default limits); an ordinary "
              f"client meanwhile: p50 {figures['p50_ms']:.2f} ms, {int(figures['errors'])} errors")
    return f"server, {SLOW_CLIENTS} slowloris connections", figure, held == 0 and figures["errors"] == 0


def rows() -> list[tuple[str, str, bool]]:
    return [hostile_images_row(1), hostile_images_row(2), slowloris_row()]


def main() -> int:
    found = rows()
    width = max(len(what) for what, _, _ in found)
    for what, figure, met in found:
        print(f"{'ok  ' if met else 'MISS'}  {what:<{width}}  {figure}")
    return 0 if all(met for _, _, met in found) else 1


if __name__ == "__main__":
    sys.exit(main())
