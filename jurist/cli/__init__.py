"""The `jurist` command: every sub-command lives in this package, one module per group.

Command modules import only `argparse` at the top; what a command needs
(the compiler, the store's SQLAlchemy, OpenCV, Qt) is imported when it runs,
so `jurist decide` starts as fast as a three-line script.  Handlers raise;
`main` turns what escapes into one message and an exit status through
`errors.classify` (the table of statuses is in `jurist/cli/errors.py`).
"""
from __future__ import annotations

import argparse
import sys
from typing import Callable

from . import backtest, calibrate, detect, gui, report, rules, store, tokens, transparency, vocabulary
from .errors import Failure, classify
from .errors import report as report_failure

COMMAND_GROUPS = (rules, detect, calibrate, report, vocabulary, store, tokens, backtest, transparency, gui)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="jurist", description="Jurist: policies for AI image generation.",
        epilog="exit status: 0 ok, 1 the rules, a test or a verification failed (or the store refused), "
               "2 usage or input error, 3 internal error (JURIST_TRACEBACK=1 prints the traceback)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for group in COMMAND_GROUPS:
        group.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # noqa: BLE001 - the one place that turns errors into messages
        failure = classify(exc)
        report_failure(failure, exc)
        on_failure: Callable[[Failure], None] | None = getattr(args, "on_failure", None)
        if on_failure is not None:
            on_failure(failure)
        return failure.status


if __name__ == "__main__":
    sys.exit(main())
