"""`jurist transparency`: the figures regulators ask for, from the decision log.

Decisions by effect, country, legal or contractual ground and deciding rule,
automated detection and human review, failing closed and why: Markdown
(default, on standard output) and CSV; `--statements` writes the EU
transparency database's statement-of-reasons fields for every denial.  The
work is `jurist.workbench.transparency`; docs/transparency.md explains each field.
"""
from __future__ import annotations

import argparse
from pathlib import Path

from .backtest import add_log_arguments, moment


def register(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    p = sub.add_parser("transparency", help="decision figures for transparency reports and statements of reasons",
                       description="Figures of the decisions logged in a period (as served), for transparency "
                                   "reports, and statements of reasons for the denials (docs/transparency.md).")
    add_log_arguments(p)
    p.add_argument("--from", dest="since", type=moment, metavar="DATE",
                   help="first day (or UTC time) of the period; default: the log's start")
    p.add_argument("--until", type=moment, metavar="DATE", help="the day (or UTC time) after the period; "
                                                                "default: the log's end")
    p.add_argument("--csv", metavar="FILE", help="write the figures as CSV (`-`: standard output)")
    p.add_argument("--markdown", metavar="FILE", help="write the figures as Markdown (default: standard output)")
    p.add_argument("--statements", metavar="FILE",
                   help="write a statement of reasons per denial (CSV, EU transparency database fields)")
    p.set_defaults(func=cmd_transparency, newest=None)


def cmd_transparency(args: argparse.Namespace) -> int:
    import sys

    from jurist.workbench.transparency import figures, to_csv, to_markdown

    from .backtest import open_log

    store, log = open_log(args)
    try:
        if args.statements:
            with open(args.statements, "w", encoding="utf-8", newline="") as statements:
                found = figures(log, args.since, args.until, statements)
        else:
            found = figures(log, args.since, args.until)
    finally:
        if store is not None:
            store.close()
    outputs = [(args.csv, to_csv), (args.markdown or (None if args.csv else "-"), to_markdown)]
    for target, render in outputs:
        if target is None:
            continue
        text = render(found)
        if target == "-":
            sys.stdout.write(text)
        else:
            Path(target).write_text(text, encoding="utf-8", newline="" if render is to_csv else None)
    return 0
