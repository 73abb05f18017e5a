"""`jurist gui`: the desktop admin application.

Imports nothing from Qt or the store until it runs, so the CLI works where
PySide6 is not installed; `jurist gui` then says how to install it.
"""
from __future__ import annotations

import argparse


def register(subparsers: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    parser = subparsers.add_parser("gui", help="open the desktop admin application",
                                   description="Edit, check, simulate, test, review and publish rulesets. "
                                               "Opens the default SQLite store (seeded on first run) unless --db "
                                               "or $JURIST_DB names another.")
    parser.add_argument("--db", metavar="URL", help="store URL or SQLite file (default: $JURIST_DB or the user store)")
    parser.add_argument("--as", dest="as_user", metavar="USER", help="act as USER (admins only)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from jurist.gui.app import run as run_app

    return run_app(args.db, args.as_user)
