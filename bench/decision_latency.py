"""Per-decision latency with the requests real clients send, against the shipped rulesets.

    .venv/bin/python bench/decision_latency.py              # 20,000 decisions per row
    .venv/bin/python bench/decision_latency.py --against e0fb407   # that revision first, in the same run

The peers benchmark times a request holding only a country and label scores.
An image service sends more: action, country, region, user tier, surface, date,
the prompt, and (having run its own detectors, or replaying) observations.
Each row decides a seeded mix of such requests in-process, end to end from a
plain dict, and prints the median and p99 in microseconds.  The prompt row
includes the prompt detector's own work (the engine runs it when a rule needs
an intent label and the request carries no observation for it).
"""
from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parent.parent
PLACES = (("GB", "GB-ENG"), ("GB", "GB-SCT"), ("US", "US-CA"), ("US", "US-TX"), ("FR", None), ("DE", None),
          ("ID", None), ("MY", None), ("AU", None), ("BR", None), ("JP", None), ("IN", None))
PROMPTS = ("a watercolour of a lighthouse at dusk", "put her in a bikini", "make him wear a suit",
           "remove her clothes", "a cat in a tiny hat", "show them at the beach in swimwear")
LABELS = ("attire:bikini", "attire:underwear", "nudity:exposed", "subject:minor", "subject:real_person")


def full_request(rng: random.Random, with_prompt: bool) -> dict[str, Any]:
    country, region = rng.choice(PLACES)
    request: dict[str, Any] = {
        "action": rng.choice(("generate", "edit")), "country": country,
        "user": {"tier": rng.choice(("free", "paid"))}, "surface": rng.choice(("app", "web", "x", "api")),
        "date": rng.choice(("2025-12-01", "2026-01-15", "2026-03-01", "2026-09-01")),
        "observations": {"labels": {k: round(rng.random(), 2) for k in LABELS},
                         "persons": [{"labels": {"subject:minor": round(rng.random() * 0.5, 2),
                                                 "attire:bikini": round(rng.random(), 2)}}]},
    }
    if region:
        request["region"] = region
    if with_prompt:
        request["prompt"] = rng.choice(PROMPTS)
    else:  # the caller already scored the prompt
        request["observations"]["labels"].update({"intent:undress": 0.0, "intent:sexualize": 0.0,
                                                  "intent:evasion": 0.0})
    return request


def time_each(decide: Callable[[dict[str, Any]], Any], requests: list[dict[str, Any]]) -> list[float]:
    out = []
    for request in requests:
        started = time.perf_counter()
        decide(request)
        out.append((time.perf_counter() - started) * 1e6)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-n", type=int, default=20_000, help="decisions per row (default 20,000)")
    parser.add_argument("--against", metavar="REV", help="first run the same rows with this git revision's code")
    args = parser.parse_args()
    if args.against:
        import os
        import subprocess

        sys.path.insert(0, str(Path(__file__).resolve().parent))
        from revision import checked_out

        with checked_out(args.against) as (view, scratch):
            print(f"== {args.against} ==", flush=True)
            subprocess.run([sys.executable, __file__, "-n", str(args.n)], cwd=scratch, check=True,
                           env=dict(os.environ, PYTHONPATH=str(view)))
        print("== this checkout ==", flush=True)
    import jurist

    policy = jurist.load(ROOT / "rulesets")
    rng = random.Random(2026)
    rows = (("country + observations only", lambda: {"country": rng.choice(PLACES)[0],
                                                     "observations": {"labels": {"attire:bikini": 0.9}}}),
            ("every field, observations for every label", lambda: full_request(rng, with_prompt=False)),
            ("every field, prompt scored by the engine", lambda: full_request(rng, with_prompt=True)))
    print(f"shipped rulesets, {args.n:,} decisions per row, policy.decide(dict) in-process")
    print(f"{'request':<44} {'median us':>10} {'p99 us':>10}")
    for name, make in rows:
        requests = [make() for _ in range(args.n)]
        time_each(policy.decide, requests[:500])  # warm-up: closures are built on first use
        timings = sorted(time_each(policy.decide, requests))
        p99 = timings[int(len(timings) * 0.99) - 1]
        print(f"{name:<44} {statistics.median(timings):>10.1f} {p99:>10.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
