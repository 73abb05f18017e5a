"""How fast `jurist decide` starts, beside a three-line script doing the same work.

    .venv/bin/python bench/cli_startup.py            # 15 runs each, median wall time and peak RSS

Both decide one observations-only request against the shipped rulesets in a
fresh process: what a shell script or a CI step pays per call.  The script is
the floor (`import jurist; jurist.load(...).decide(...)`); the CLI should add
little to it.  Targets (issue 9): <= 0.5 s and <= 60 MB on the 2-core machine.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REQUEST = {"action": "edit", "country": "GB", "region": "GB-ENG", "user": {"tier": "paid"}, "surface": "app",
           "date": "2026-03-01", "prompt": "put her in a bikini",
           "observations": {"labels": {"attire:bikini": 0.91, "subject:real_person": 0.97}}}
SCRIPT = ("import json, sys, jurist\n"
          "policy = jurist.load(sys.argv[1])\n"
          "print(policy.decide(json.load(open(sys.argv[2]))).dumps())\n")


def measure(argv: list[str], runs: int) -> tuple[float, float]:
    """Median wall seconds and median peak RSS (MB) of `argv` over `runs` fresh processes."""
    walls, peaks = [], []
    for _ in range(runs):
        started = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        _, status, usage = os.wait4(proc.pid, 0)
        walls.append(time.perf_counter() - started)
        if os.waitstatus_to_exitcode(status) != 0:
            raise SystemExit(f"{' '.join(argv)} failed: {proc.stderr.read().decode() if proc.stderr else ''}")
        peaks.append(usage.ru_maxrss / 1024)  # KiB on Linux
    return statistics.median(walls), statistics.median(peaks)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=15, help="fresh processes per command (default 15)")
    args = parser.parse_args()
    rules = str(ROOT / "rulesets")
    with tempfile.TemporaryDirectory() as tmp:
        request = Path(tmp) / "request.json"
        request.write_text(json.dumps(REQUEST))
        rows = [
            ("three-line script", [sys.executable, "-c", SCRIPT, rules, str(request)]),
            ("jurist decide", [sys.executable, "-m", "jurist", "decide", "--rules", rules, "--request", str(request)]),
        ]
        print(f"cold start, median of {args.runs} fresh processes (one observations-only decision, shipped rulesets)")
        print(f"{'command':<20} {'wall s':>8} {'peak RSS MB':>12}")
        for name, argv in rows:
            wall, peak = measure(argv, args.runs)
            print(f"{name:<20} {wall:>8.3f} {peak:>12.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
