"""`jurist test rulesets/` now and at an earlier revision, side by side in one run.

    .venv/bin/python bench/case_runs.py                       # against e0fb407, before the workbench
    .venv/bin/python bench/case_runs.py --baseline REV --runs 3

The earlier revision is checked out into a temporary git worktree and run
from a symlinked view of its `jurist` package (as `.ci/package-view` builds
one), with this checkout's virtual environment: same machine, same libraries,
same shipped cases (the current `rulesets/`, so both run the same work).  Most
of the time is the detectors on the real-photo cases: each case is now
observed once instead of once per decision.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from revision import ROOT, checked_out  # noqa: E402


def timed(argv: list[str], env: dict[str, str], runs: int, cwd: Path) -> tuple[float, str]:
    """Median wall time; run from `cwd`, not the checkout (`python -m` puts the working folder first on the
    path, and this checkout's `jurist/` there would shadow the revision under test)."""
    walls, last = [], ""
    for _ in range(runs):
        started = time.perf_counter()
        done = subprocess.run(argv, capture_output=True, text=True, env=env, cwd=cwd)
        walls.append(time.perf_counter() - started)
        last = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else done.stderr.strip()[-200:]
    return statistics.median(walls), last


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--baseline", default="e0fb407", help="git revision to compare with (default: e0fb407)")
    parser.add_argument("--runs", type=int, default=1, help="runs of each (median; default 1)")
    args = parser.parse_args()
    rules = str(ROOT / "rulesets")
    with checked_out(args.baseline) as (view, scratch):
        old_env = dict(os.environ, PYTHONPATH=str(view))
        for extra in ([], ["--baseline", rules]):
            command = [sys.executable, "-m", "jurist", "test", rules, *extra]
            shown = " ".join(["jurist test rulesets/", *(["--baseline rulesets/"] if extra else [])])
            print(f"{shown} (the shipped cases), median of {args.runs} run(s)")
            walls = []
            for name, env in ((f"{args.baseline} (before)", old_env), ("this checkout", dict(os.environ))):
                wall, summary = timed(command, env, args.runs, scratch)
                walls.append(wall)
                print(f"  {name:<22} {wall:>8.1f} s   {summary}")
            print(f"  speed-up: {walls[0] / walls[1]:.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
