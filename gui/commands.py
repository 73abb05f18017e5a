"""`jurist gui`: the desktop admin application.

Imports nothing from Qt at registration, so the CLI works where PySide6 is
not installed; `jurist gui` then says how to install it.
"""
from __future__ import annotations

import argparse
import sys


def register(subparsers: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    parser = subparsers.add_parser("gui", help="open the desktop admin application",
                                   description="Edit, check, simulate, test, review and publish rulesets. "
                                               "Opens the default SQLite store (seeded on first run) unless --db "
                                               "or $JURIST_DB names another.")
    parser.add_argument("--db", metavar="URL", help="store URL or SQLite file (default: $JURIST_DB or the user store)")
    parser.add_argument("--as", dest="as_user", metavar="USER", help="act as USER (admins only)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from jurist.db.errors import StoreError

    from .app import StartupError, run as run_app

    try:
        return run_app(args.db, args.as_user)
    except (StartupError, StoreError) as exc:
        print(f"jurist gui: {exc}", file=sys.stderr)
        return 2
