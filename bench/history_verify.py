"""What proving the history costs: `audit verify`, the loader and stored cases on a store with many events.

    .venv/bin/python bench/history_verify.py                 # about 5,000 events, SQLite in a temp folder
    .venv/bin/python bench/history_verify.py --events 20000

Every event is written through the service (the review cycle of many
versions, draft saves, test-case saves, signed approvals), so the log is one
the replay must accept in full.  Then it times the three readers that replay
the whole log: `Store.verify_audit` (chain, replay, tables against history),
`jurist.db.loader.published_sources` (what `jurist.load` does before serving)
and `Store.runnable_test_cases` (what a case run and a submit preview read).
"""
from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from jurist.db.loader import published_sources
from jurist.db.service import Store
from jurist.db.signing import SigningKey
from jurist.workbench.checks import compile_check

POLICY = "jurisdiction GB\ndefault allow\nrule minors_nudity: deny person(subject:minor nudity:exposed)\n"
CASE = {"name": "minor", "request": {"country": "GB", "observations": {"persons": [{"labels": {
    "subject:minor": 0.9, "nudity:exposed": 0.9}}]}}, "expect": {"effect": "deny", "rules": ["minors_nudity"]}}


def build(url: str, events: int) -> int:
    """Write about `events` events through the service; return how many the log holds."""
    admin = Store.open(url, login="admin", create=True, check=compile_check)
    for name, role in (("erin", "editor"), ("alice", "approver"), ("bob", "approver")):
        admin.add_user(name, role)
    erin, alice, bob = (Store.open(url, login=n, check=compile_check) for n in ("erin", "alice", "bob"))
    key = SigningKey.generate()
    alice.register_key(key.public)
    erin.create_ruleset("global", ["GB"])
    written, cycle = len(admin.audit_log(limit=1_000_000)), 0
    while written < events:
        cycle += 1
        draft = erin.create_draft("global", {"gb.policy": POLICY + f"# cycle {cycle}\n"})
        for edit in range(5):
            draft = erin.save_draft("global", draft.number, {"gb.policy": POLICY + f"# cycle {cycle}.{edit}\n"},
                                    draft.revision)
        for n in range(3):
            erin.save_test_case("global", {**CASE, "name": f"case {n}"})
        erin.submit("global", draft.number)
        alice.approve("global", draft.number, key=key)
        bob.publish("global", draft.number)
        written += 12
    for store in (admin, erin, alice, bob):
        store.close()
    return written


def timed(runs: int, action) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=5_000, help="about how many events to write (default 5000)")
    parser.add_argument("--runs", type=int, default=5, help="timed runs of each reader; the median is shown")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'bench.db'}"
        started = time.perf_counter()
        count = build(url, args.events)
        print(f"built {count} events through the service in {time.perf_counter() - started:.1f} s")
        with Store.open(url, login="admin") as store:
            report = store.verify_audit()
            assert report.ok, report
            verify = timed(args.runs, store.verify_audit)
            cases = timed(args.runs, lambda: store.runnable_test_cases("global"))
        load = timed(args.runs, lambda: published_sources(f"{url}#global"))
        print(f"{'reader':<40} {'median s':>9} {'us/event':>9}")
        for name, seconds in (("audit verify (chain, replay, tables)", verify),
                              ("loader: published_sources (jurist.load)", load),
                              ("runnable_test_cases (case runs)", cases)):
            print(f"{name:<40} {seconds:>9.3f} {seconds / count * 1e6:>9.1f}")


if __name__ == "__main__":
    main()
