"""Run the fuzzers for a while: the suite's properties with as many examples as time allows.

    .venv/bin/python fuzz/run.py --minutes 10              # compiler and requests, half the time each
    .venv/bin/python fuzz/run.py --minutes 2 --target compiler

`make test` runs a few hundred examples of each (tests/fuzz/); this runs
batches of fresh random examples until the time is up and prints, per
target, how many examples ran, the throughput, and for the compiler the
slowest compile (target: under 2 s).  The first failure stops the run with
Hypothesis's shrunk example and exit status 1.  Nothing here opens a socket:
HTTP endpoint fuzzing belongs to the server's own suite.
"""
from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

sys.path.insert(0, str(Path(__file__).resolve().parent))

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

import fuzz_policies  # noqa: E402
import fuzz_requests  # noqa: E402

BATCH = 100  # examples between looks at the clock
SLOW_COMPILE_S = 2.0


@dataclass
class Tally:
    examples: int = 0
    seconds: float = 0.0
    slowest: float = 0.0
    outcomes: Counter[str] = field(default_factory=Counter)


def _compile(tally: Tally) -> Callable[[Any], None]:
    def run(sources: dict[str, str]) -> None:
        elapsed, compiled = fuzz_policies.check_compile(sources)
        tally.examples += 1
        tally.slowest = max(tally.slowest, elapsed)
        tally.outcomes["compiled" if compiled else "refused with diagnostics"] += 1
    return run


def _decide(tally: Tally) -> Callable[[Any], None]:
    def run(value: tuple[str, Any]) -> None:
        kind, raw = value
        decision = fuzz_requests.check_text(raw) if kind == "text" else fuzz_requests.check_decision(raw)
        tally.examples += 1
        tally.outcomes["denied with a reason" if decision.errors else decision.effect] += 1
    return run


TARGETS: dict[str, tuple[st.SearchStrategy[Any], Callable[[Tally], Callable[[Any], None]]]] = {
    "compiler": (fuzz_policies.rulesets(), _compile),
    "requests": (st.one_of(st.tuples(st.just("value"), fuzz_requests.requests),
                           st.tuples(st.just("text"), fuzz_requests.request_texts())), _decide),
}


def fuzz(name: str, seconds: float) -> Tally:
    """Batches of fresh examples of one target until `seconds` have passed; raises on the first failure."""
    strategy, make = TARGETS[name]
    tally = Tally()
    prop = given(strategy)(make(tally))
    batch = settings(max_examples=BATCH, deadline=None, database=None, suppress_health_check=list(HealthCheck))(prop)
    started = time.perf_counter()
    while time.perf_counter() - started < seconds:
        batch()
    tally.seconds = time.perf_counter() - started
    return tally


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=1.0, help="total time, shared by the targets (default 1)")
    parser.add_argument("--target", choices=[*TARGETS, "all"], default="all")
    args = parser.parse_args()
    names = list(TARGETS) if args.target == "all" else [args.target]
    failed = False
    for name in names:
        try:
            tally = fuzz(name, args.minutes * 60 / len(names))
        except Exception as exc:  # noqa: BLE001 - Hypothesis has printed the shrunk example
            print(f"{name}: FAILED: {type(exc).__name__}: {exc}", file=sys.stderr)
            failed = True
            continue
        rate = tally.examples / tally.seconds if tally.seconds else 0.0
        outcomes = ", ".join(f"{count} {what}" for what, count in tally.outcomes.most_common())
        print(f"{name}: {tally.examples} examples in {tally.seconds:.0f} s ({rate:.0f}/s), no failure; {outcomes}")
        if name == "compiler":
            flag = "" if tally.slowest < SLOW_COMPILE_S else f"  <-- over the {SLOW_COMPILE_S:g} s target"
            print(f"compiler: slowest compile {tally.slowest:.3f} s{flag}")
            failed |= tally.slowest >= SLOW_COMPILE_S
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
