"""Issue 15's stress run, in one bounded command: hostile input against the compiler and the engine.

    .venv/bin/python bench/stress.py                     # about 2-4 minutes on two shared cores
    .venv/bin/python bench/stress.py --requests 20000 --skip-images

It reports, each against its target:

* the slowest compile among the pathological files the probe found
  (`bench/pathological_compile.py`; target < 2 s each, or a clear refusal);
* 100,000 fuzzed requests, as values and as request text (`fuzz/fuzz_requests.py`'s
  fast generator), with zero exceptions escaping as anything but a `deny`
  decision that names the problem;
* the peak RSS of a decision over each hostile image, in a fresh process
  capped at `--cap-gib` (`bench/hostile_images.py`; target < 1 GB).

The server rows (peak RSS of `jurist serve` under 64 concurrent hostile-image
requests, connections held by 400 slowloris clients after 60 s) belong to the
HTTP server's own stress script: when `bench/server_stress.py` exists, its
`rows()` is called here and its lines printed (loopback only); until then this
says so.  Nothing here opens a socket itself.  Exit status 1 when a target is
missed.
"""
from __future__ import annotations

import argparse
import importlib
import random
import resource
import sys
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent / "fuzz")]

COMPILE_TARGET_S = 2.0
RSS_TARGET_MIB = 1024
SERVER_HOOK = "server_stress"  # bench/server_stress.py: `rows() -> list[tuple[str, str, bool]]` (what, figure, met)


def compile_row() -> tuple[str, str, bool]:
    import pathological_compile

    rows = pathological_compile.measure()
    name, _, compile_s, render_s, outcome = max(rows, key=lambda r: r[2] + r[3])
    slowest = compile_s + render_s
    return ("slowest pathological compile", f"{slowest:.2f} s ({name}: {outcome}); {len(rows)} files",
            slowest < COMPILE_TARGET_S)


def requests_row(count: int, seed: int) -> tuple[str, str, bool]:
    import fuzz_requests

    rng = random.Random(seed)
    escaped: Counter[str] = Counter()
    outcomes: Counter[str] = Counter()
    first: dict[str, str] = {}
    started = time.perf_counter()
    for _ in range(count):
        kind, raw = fuzz_requests.random_request(rng)
        try:
            decision = fuzz_requests.check_text(raw) if kind == "text" else fuzz_requests.check_decision(raw)
        except BaseException as exc:  # noqa: BLE001 - counting what escapes is the point
            if isinstance(exc, KeyboardInterrupt):
                raise
            name = type(exc).__name__
            escaped[name] += 1
            first.setdefault(name, repr(raw)[:200])
            continue
        outcomes["denied with a reason" if decision.errors else decision.effect] += 1
    seconds = time.perf_counter() - started
    for name, example in first.items():
        print(f"  escaped {name} x{escaped[name]}, first on: {example}", file=sys.stderr)
    figure = (f"{sum(escaped.values())} escaped in {count:,} ({count / seconds:,.0f}/s; "
              + ", ".join(f"{n:,} {what}" for what, n in outcomes.most_common()) + ")")
    return "fuzzed requests, exceptions escaping", figure, not escaped


def images_row(cap_gib: float) -> tuple[str, str, bool]:
    import hostile_images

    results = hostile_images.measure(list(hostile_images.CASES), cap_gib)
    failed = {name: r for name, r in results.items() if isinstance(r, str)}
    peaks = {name: r["peak_mib"] for name, r in results.items() if not isinstance(r, str)}
    worst = max(peaks, key=lambda name: peaks[name]) if peaks else "-"
    figure = f"peak {peaks.get(worst, 0):.0f} MiB ({worst}) over {len(results)} images"
    if failed:
        figure += "; failed: " + ", ".join(f"{n} ({why[:60]})" for n, why in failed.items())
    return "decision over a hostile image, peak RSS", figure, not failed and max(peaks.values()) < RSS_TARGET_MIB


def server_rows() -> list[tuple[str, str, bool]]:
    try:
        module = importlib.import_module(SERVER_HOOK)
    except ModuleNotFoundError:
        return [("server under hostile load", f"not run: bench/{SERVER_HOOK}.py (the HTTP server's stress rows: "
                 "64 concurrent hostile images, 400 slowloris clients) is not here yet", True)]
    return list(module.rows())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=100_000, help="fuzzed requests to decide (default 100,000)")
    parser.add_argument("--seed", type=int, default=15, help="the request generator's seed (default 15)")
    parser.add_argument("--cap-gib", type=float, default=4.0, help="address-space cap of each image child (GiB)")
    parser.add_argument("--skip-images", action="store_true", help="leave out the hostile images (they load models)")
    args = parser.parse_args()
    rows = [compile_row(), requests_row(args.requests, args.seed)]
    if not args.skip_images:
        rows.append(images_row(args.cap_gib))
    rows.extend(server_rows())
    width = max(len(what) for what, _, _ in rows)
    for what, figure, met in rows:
        print(f"{'ok  ' if met else 'MISS'}  {what:<{width}}  {figure}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"this process peaked at {peak:.0f} MiB")
    return 0 if all(met for _, _, met in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
