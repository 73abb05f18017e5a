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
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FOLDERS = ("dsl", "engine", "db", "gui", "rulesets")


def package_view(tree: Path, into: Path) -> Path:
    """`into/jurist`: the jurist package of `tree` as symlinks, importable with PYTHONPATH=into."""
    view = into / "jurist"
    view.mkdir(parents=True)
    for entry in (tree / "jurist").iterdir():
        (view / entry.name).symlink_to(entry)
    for folder in FOLDERS:
        (view / folder).symlink_to(tree / folder)
    return into


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
    with tempfile.TemporaryDirectory(prefix="jurist-bench-") as tmp:
        old_tree = Path(tmp) / "tree"
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "--quiet", str(old_tree),
                        args.baseline], check=True)
        try:
            old_env = dict(os.environ, PYTHONPATH=str(package_view(old_tree, Path(tmp) / "view")))
            check = [sys.executable, "-c", "import jurist, sys; print(jurist.__file__, file=sys.stderr)"]
            where = subprocess.run(check, capture_output=True, text=True, env=old_env, cwd=tmp).stderr.strip()
            if not where.startswith(str(Path(tmp) / "view")):
                raise SystemExit(f"the baseline would import {where}, not the revision under test")
            for extra in ([], ["--baseline", rules]):
                command = [sys.executable, "-m", "jurist", "test", rules, *extra]
                shown = " ".join(["jurist test rulesets/", *(["--baseline rulesets/"] if extra else [])])
                print(f"{shown} (the shipped cases), median of {args.runs} run(s)")
                walls = []
                for name, env in ((f"{args.baseline} (before)", old_env), ("this checkout", dict(os.environ))):
                    wall, summary = timed(command, env, args.runs, Path(tmp))
                    walls.append(wall)
                    print(f"  {name:<22} {wall:>8.1f} s   {summary}")
                print(f"  speed-up: {walls[0] / walls[1]:.1f}x")
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(old_tree)], check=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
