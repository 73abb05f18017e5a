"""`jurist backtest`: what a ruleset would have decided on logged traffic, beside another ruleset.

Replays the decision log's observations (never images) under both rulesets
and prints the headline; `--json`, `--markdown` and `--html` write the full
report (`-` for standard output).  The work is `jurist.workbench.backtest`.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from .errors import Refused, UsageError


def positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"`{text}` is not a positive whole number")
    return int(text)


def moment(text: str) -> str:
    """A day (`2026-03-01`) or a UTC time (`2026-03-01T12:00:00Z`), as the log's `decided_at` is compared with."""
    import datetime as dt

    try:
        if len(text) == 10:
            dt.date.fromisoformat(text)
        else:
            parsed = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
            if parsed.utcoffset() != dt.timedelta(0):
                raise ValueError
    except ValueError:
        raise argparse.ArgumentTypeError(f"`{text}` is not a day (2026-03-01) or a UTC time "
                                         "(2026-03-01T12:00:00Z)") from None
    return text.replace("+00:00", "Z")


def add_log_arguments(p: argparse.ArgumentParser) -> None:
    """--log and --db, shared with `jurist transparency`."""
    p.add_argument("--log", action="append", required=True, metavar="LOG",
                   help="decision log: a JSON Lines file (.jsonl, .jsonl.gz), a Parquet file, a folder of them "
                        "(repeatable), `store` for the decision table of the --db store, or a store URL")
    p.add_argument("--db", metavar="URL", default=None,
                   help="the store `store` names in --log and in store#NAME@vN (default: $JURIST_DB, else the "
                        "per-user store)")


def register(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    p = sub.add_parser("backtest", help="replay logged decisions under two rulesets and report what changes",
                       description="Replay the logged observations (never images) of a decision log under a "
                                   "baseline and a candidate ruleset: flips per country, region and rule "
                                   "(DENY→ALLOW first), rules whose hits change, fail-closed counts.")
    add_log_arguments(p)
    p.add_argument("--baseline", required=True, metavar="RULES",
                   help="ruleset directory or file, or URL#NAME (published) / URL#NAME@vN, or store#NAME@vN")
    p.add_argument("--candidate", required=True, metavar="RULES", help="the ruleset to compare, as --baseline")
    p.add_argument("--since", type=moment, metavar="WHEN", help="only decisions made from this day or UTC time")
    p.add_argument("--until", type=moment, metavar="WHEN", help="only decisions made before this day or UTC time")
    p.add_argument("--newest", type=positive, metavar="N", help="with a store log: its newest N decisions")
    p.add_argument("--jobs", type=positive, default=1, metavar="N", help="worker processes (default 1)")
    p.add_argument("--ray", metavar="ADDRESS",
                   help="run on a Ray cluster (`auto`, `ray://HOST:PORT`), or `local` for a local Ray with --jobs "
                        "CPUs; needs jurist[backtest]")
    p.add_argument("--rescan", metavar="IMAGES",
                   help="re-run the detectors for labels the log lacks, on an image corpus: a folder, or a Parquet "
                        "file with a `path` column; images are matched by SHA-256")
    p.add_argument("--json", metavar="FILE", help="write the report as JSON (`-`: standard output)")
    p.add_argument("--markdown", metavar="FILE", help="write the report as Markdown")
    p.add_argument("--html", metavar="FILE", help="write the report as one HTML page with charts")
    p.add_argument("--fail-on-loosening", action="store_true",
                   help="exit 1 when any decision becomes weaker (DENY→ALLOW, REVIEW→ALLOW, DENY→REVIEW): for CI")
    p.set_defaults(func=cmd_backtest)


def open_log(args: argparse.Namespace) -> Any:
    """The DecisionLog --log names (a store's table, or files)."""
    from jurist.workbench.decision_logs import DecisionLog

    stores = [spec for spec in args.log if spec == "store" or "://" in spec]
    if stores:
        if len(args.log) > 1:
            raise UsageError("a store log cannot be combined with other --log values")
        from jurist.db.service import Store

        store = Store.open(args.db if stores[0] == "store" else stores[0])
        return store, DecisionLog.of_store(store, since=getattr(args, "since", None),
                                           until=getattr(args, "until", None), newest=getattr(args, "newest", None))
    if getattr(args, "newest", None) is not None:
        raise UsageError("--newest reads the store's log; give --since/--until for files")
    return None, DecisionLog.of_paths(args.log)


def cmd_backtest(args: argparse.Namespace) -> int:
    import tempfile

    from jurist.workbench.backtest_render import headline
    from jurist.workbench.rule_sources import load_rules

    baseline, candidate = load_rules(args.baseline, args.db), load_rules(args.candidate, args.db)
    store, log = open_log(args)
    scratch = tempfile.TemporaryDirectory(prefix="jurist-rescan-") if args.rescan else None
    try:
        if scratch is not None:
            from jurist.workbench.rescan import rescan_log

            log = rescan_log(log, args.rescan, candidate, baseline, Path(scratch.name), ray_address=args.ray,
                             jobs=args.jobs, since=args.since, until=args.until)
        if args.ray:
            from jurist.workbench.backtest_ray import run_backtest_ray

            report = run_backtest_ray(log, baseline, candidate, args.ray, cpus=args.jobs if args.jobs > 1 else None,
                                      since=args.since, until=args.until)
        else:
            from jurist.workbench.backtest import run_backtest

            report = run_backtest(log, baseline, candidate, jobs=args.jobs, since=args.since, until=args.until)
    finally:
        if store is not None:
            store.close()
        if scratch is not None:
            scratch.cleanup()  # the re-scanned copy of the log
    doc = report.to_json()
    to_stdout = write_outputs(args, doc)
    if not to_stdout:
        print("\n".join(headline(doc)))
    if args.fail_on_loosening and doc["flips"]["loosening"]:
        raise Refused(f"{doc['flips']['loosening']:,} decision(s) become weaker under {candidate.name}")
    return 0


def write_outputs(args: argparse.Namespace, doc: dict[str, Any]) -> bool:
    """Write each format asked for; True when one went to standard output."""
    import json

    from jurist.workbench import backtest_render

    to_stdout = False
    for option, render in (("json", lambda d: json.dumps(d, indent=2, ensure_ascii=False) + "\n"),
                           ("markdown", backtest_render.markdown), ("html", backtest_render.html)):
        target = getattr(args, option)
        if target is None:
            continue
        text = render(doc)
        if target == "-":
            sys.stdout.write(text)
            to_stdout = True
        else:
            Path(target).write_text(text, encoding="utf-8")
    return to_stdout
