"""Compile time of the hostile and careless inputs issue 15's probe found (target: < 2 s each, or a refusal).

    .venv/bin/python bench/pathological_compile.py

Each file is generated here, compiled cold with `jurist.compile_sources` (as
`jurist check`, a submit and `jurist.load` do), then its diagnostics rendered
(as `jurist check` prints them).  A refused file reports the refusal's code.
"""
from __future__ import annotations

import itertools
import time

import jurist
from jurist.dsl.places import countries, subdivisions

TARGET_S = 2.0


def _unknown_region(i: int) -> str:
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    return f"{letters[i % 26]}{letters[i // 26 % 26]}-{letters[i // 676 % 26]}Q{i}"


def cases() -> dict[str, str]:
    every_subdivision = ", ".join(list(subdivisions())[:5000])
    distinct = "".join(f"deny attire:bikini >= 0.{i % 90 + 10} where country = {code}\n"
                       for i, code in zip(range(10_000), itertools.cycle(sorted(countries()))))
    return {
        "16,000 `deny x` lines (112 KB)": "deny x\n" * 16_000,
        "14,000 `deny x` lines (just under the budget)": "deny x\n" * 14_000,
        "1 MB of `deny x` lines": "deny x\n" * 150_000,
        "8,000 identical rules": "deny attire:bikini where country = GB\n" * 8_000,
        "`deny` x10,000 on one line": "deny " * 10_000 + "\n",
        "1,000 unknown region codes": "".join(f"deny where region = {_unknown_region(i)}\n" for i in range(1_000)),
        "chain of 2,000 sets, defined in reverse": "".join(f"set S{i} = {{S{i + 1}, GB}}\n" for i in range(2_000))
        + "set S2000 = {FR}\ndeny where country in S0\n",
        "3,000 `not` with comments": "deny where " + "not#c\n" * 3_000 + "country = GB\n",
        "12,000 rules naming 5,000 subdivisions each": f"set ALL = {{{every_subdivision}}}\n"
        + "".join(f"deny where country in {{ALL, GB}} and date >= 2026-01-{i % 28 + 1:02d}\n" for i in range(12_000)),
        "10,000 distinct rules (the peers benchmark's shape)": distinct,
        "the same with a syntax error every 100 rules": distinct.replace("0.33 where", "0.33 were"),
        "20,000 statements": "deny where country = GB\n" * 20_000,
    }


def measure() -> list[tuple[str, int, float, float, str]]:
    """(input, bytes, compile s, render s, outcome) for every case: compiled cold, then rendered as
    `jurist check` prints it."""
    rows = []
    for name, text in cases().items():
        started = time.perf_counter()
        result = jurist.compile_sources({"bench.policy": text})
        compiled = time.perf_counter()
        result.render()
        rendered = time.perf_counter()
        codes = sorted({d.code for d in result.errors})
        outcome = "ok" if result.ok else f"{len(result.errors)} error(s): {', '.join(codes[:3])}"
        rows.append((name, len(text.encode()), compiled - started, rendered - compiled, outcome))
    return rows


def main() -> None:
    print(f"{'input':<52} {'KB':>6} {'compile s':>10} {'render s':>9}  result")
    slowest = 0.0
    for name, size, compile_s, render_s, outcome in measure():
        total = compile_s + render_s
        slowest = max(slowest, total)
        flag = "" if total < TARGET_S else "  <-- over target"
        print(f"{name:<52} {size / 1024:>6.0f} {compile_s:>10.3f} {render_s:>9.3f}  {outcome}{flag}")
    print(f"slowest: {slowest:.3f} s (target < {TARGET_S:g} s)")

if __name__ == "__main__":
    main()
