"""Run every benchmark in one go: Jurist against the peer engines, then the detectors.

    .venv/bin/python bench/run_all.py               # everything (about 10 minutes on 2 cores)
    .venv/bin/python bench/run_all.py --peers-only --sizes 10,100

The peers harness lives in ../shared/peers (set PEERS_DIR to move it); each
(engine, N) cell runs in its own subprocess with this interpreter, so the peer
engines must be installed here too (`pip install -e .[bench]`, which `make
bench` does).
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def peers_dir() -> Path:
    return Path(os.environ.get("PEERS_DIR", ROOT.parent / "shared" / "peers")).resolve()


def run_peers(sizes: str, engines: str | None, json_out: str | None) -> int:
    harness = peers_dir() / "bench_peers.py"
    if not harness.exists():
        print(f"peers harness not found at {harness}; set PEERS_DIR", file=sys.stderr)
        return 2
    cmd = [sys.executable, str(harness), "--plugin", str(HERE / "jurist_peers_plugin.py"), "--sizes", sizes]
    if engines:
        cmd += ["--engines", engines]
    if json_out:
        cmd += ["--json", str(Path(json_out).resolve())]  # the harness runs in its own folder
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(harness.parent), os.environ.get("PYTHONPATH")])))
    return subprocess.call(cmd, cwd=harness.parent, env=env)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10,100,1000,10000")
    parser.add_argument("--engines", help="comma-separated peer engines (default: all)")
    parser.add_argument("--json", help="also write raw peer results here")
    parser.add_argument("--peers-only", action="store_true")
    args = parser.parse_args()
    rc = run_peers(args.sizes, args.engines, args.json)
    if args.peers_only:
        return rc
    for script in ("compile_speed.py", "pathological_compile.py", "decision_latency.py", "cli_startup.py",
                   "case_runs.py", "detectors.py", "hostile_images.py", "lazy_vs_eager.py", "serve.py",
                   "typing_stall.py"):
        path = HERE / script
        if path.exists():
            print(f"\n==== {script} ====", flush=True)
            rc |= subprocess.call([sys.executable, str(path)], cwd=ROOT)
    return rc


if __name__ == "__main__":
    sys.exit(main())
