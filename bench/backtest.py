"""Backtest throughput: one process, `--jobs 2` and a local Ray with 2 CPUs, side by side; memory as the log grows.

    .venv/bin/python bench/backtest.py                     # 1,000,000 decisions over 250 countries
    .venv/bin/python bench/backtest.py --records 200000    # a quicker look

The log is generated once (bench/decision_log_gen.py, kept in bench/out/) and
replayed by `jurist backtest` in a fresh process per run, the shipped rulesets
against a draft that moves the GB rules' start date from 2026-02-01 to
2026-03-01.  Rates are decisions replayed per second of the backtest itself
(reading, replaying, counting; the report's `run.seconds`), the wall time of
the whole command beside them.  Peak RSS is measured for one process on the
first 100,000 decisions and on the whole log: the log is streamed, so it should
not grow with the log.  Targets on the 2-core reference machine: >= 15,000/s
for one process, --jobs 2 >= 1.6x one process, Ray within 1.5x of --jobs 2.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"
sys.path.insert(0, str(ROOT / "bench"))

from decision_log_gen import write_log  # noqa: E402


def the_log(records: int, countries: int) -> Path:
    path = OUT / f"decisions-{records}-{countries}.jsonl"
    if not path.exists():
        print(f"generating {records:,} decisions over {countries} countries into {path} (once) ...", flush=True)
        write_log(path, records, countries)
    return path


def first_lines(source: Path, count: int) -> Path:
    path = OUT / f"{source.stem}-first{count}.jsonl"
    if not path.exists():
        with open(source, "rb") as src, open(path, "wb") as dst:
            for i, line in enumerate(src):
                if i >= count:
                    break
                dst.write(line)
    return path


def draft(folder: Path) -> Path:
    """The shipped rulesets with the GB rules starting a month later."""
    target = folder / "draft"
    shutil.copytree(ROOT / "rulesets", target, ignore=shutil.ignore_patterns("tests", "__init__.py", "__pycache__"))
    gb = target / "gb.policy"
    gb.write_text(gb.read_text().replace("from 2026-02-01", "from 2026-03-01"))
    return target


def run(log: Path, candidate: Path, *more: str) -> dict[str, float | str | int]:
    """One `jurist backtest` in a fresh process: its report's figures, wall time and peak RSS."""
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        argv = ["/usr/bin/time", "-f", "%e %M %U %S", str(ROOT / ".venv" / "bin" / "jurist"), "backtest", "--log",
                str(log), "--baseline", str(ROOT / "rulesets"), "--candidate", str(candidate), "--json", out.name,
                *more]
        env = {**os.environ, "RAY_ENABLE_UV_RUN_RUNTIME_ENV": "0"}
        done = subprocess.run(argv, capture_output=True, text=True, env=env, cwd=ROOT)
        if done.returncode != 0:
            raise SystemExit(f"jurist backtest {' '.join(more)} failed:\n{done.stderr[-3000:]}")
        wall, rss_kb, user, system = done.stderr.strip().splitlines()[-1].split()
        report = json.loads(Path(out.name).read_text())
    seconds = float(report["run"]["seconds"])
    return {"records": report["records"], "seconds": seconds, "rate": report["records"] / seconds,
            "wall": float(wall), "rss_mb": int(rss_kb) / 1024, "cpu": float(user) + float(system), "flips": report["flips"]["total"],
            "rescan": report["needs_rescan"]["count"], "workers": report["run"]["workers"]}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--countries", type=int, default=250)
    parser.add_argument("--skip-ray", action="store_true")
    args = parser.parse_args()
    log = the_log(args.records, args.countries)
    small = first_lines(log, min(100_000, args.records))
    with tempfile.TemporaryDirectory() as folder:
        candidate = draft(Path(folder))
        print(f"log: {log.name} ({log.stat().st_size / 1e9:.2f} GB); candidate: GB rules from 2026-03-01", flush=True)
        results = {"1 process": run(log, candidate)}
        print(f"  1 process: {results['1 process']['rate']:,.0f}/s", flush=True)
        results["--jobs 2"] = run(log, candidate, "--jobs", "2")
        print(f"  --jobs 2: {results['--jobs 2']['rate']:,.0f}/s", flush=True)
        if not args.skip_ray:
            results["Ray, 2 CPUs"] = run(log, candidate, "--ray", "local", "--jobs", "2")
        memory = {"100k": run(small, candidate), "whole log": results["1 process"]}
    print(f"\n{'':<14}{'decisions/s':>12}{'seconds':>9}{'wall s':>8}{'CPU s':>8}{'peak RSS':>10}")
    for name, r in results.items():
        print(f"{name:<14}{r['rate']:>12,.0f}{r['seconds']:>9.1f}{r['wall']:>8.1f}{r['cpu']:>8.1f}"
              f"{r['rss_mb']:>8.0f}MB")
    load = os.getloadavg()[0]
    print(f"(load average {load:.1f} on {os.cpu_count()} CPUs at the end: CPU s counts this process and the "
          "workers it waited for; Ray's workers are not its children)")
    one, jobs = results["1 process"]["rate"], results["--jobs 2"]["rate"]
    print(f"\nflips {results['1 process']['flips']:,}, needing a re-scan {results['1 process']['rescan']:,} "
          f"(every run counts the same: {len({(r['flips'], r['rescan']) for r in results.values()}) == 1})")
    print(f"peak RSS, one process: {memory['100k']['rss_mb']:.0f} MB at {memory['100k']['records']:,} decisions, "
          f"{memory['whole log']['rss_mb']:.0f} MB at {memory['whole log']['records']:,}")
    checks = [(f"one process >= 15,000/s: {one:,.0f}/s", one >= 15_000),
              (f"--jobs 2 >= 1.6x one process: {jobs / one:.2f}x", jobs >= 1.6 * one)]
    if "Ray, 2 CPUs" in results:
        ray = results["Ray, 2 CPUs"]["rate"]
        checks.append((f"Ray within 1.5x of --jobs 2: {jobs / ray:.2f}x slower", jobs <= 1.5 * ray))
    for text, ok in checks:
        print(f"{'met' if ok else 'MISSED'}  {text}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
