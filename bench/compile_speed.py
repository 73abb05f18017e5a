"""Compile time of the peers workload's rulesets in Jurist's language (target: 10,000 rules < 2 s)."""
from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run_all import peers_dir  # noqa: E402

sys.path.insert(0, str(peers_dir()))
from bench_peers import jurist_policy_text, make_rules  # noqa: E402

import jurist  # noqa: E402


def main() -> None:
    print(f"{'rules':>6} {'parse+check+graph s':>20} {'+ engine program s':>19} {'nodes':>7} {'shadowed':>9}")
    for n in (10, 100, 1000, 10000):
        text = jurist_policy_text(make_rules(n))
        compile_times, total_times = [], []
        for _ in range(3):
            t0 = time.perf_counter()
            result = jurist.compile_sources({f"bench_{n}.policy": text})
            t1 = time.perf_counter()
            jurist.Policy(result)
            t2 = time.perf_counter()
            compile_times.append(t1 - t0)
            total_times.append(t2 - t0)
        g = result.graph
        print(f"{n:>6} {statistics.median(compile_times):>20.3f} {statistics.median(total_times):>19.3f} "
              f"{len(g.nodes):>7} {len(g.shadowed_by):>9}")


if __name__ == "__main__":
    main()
