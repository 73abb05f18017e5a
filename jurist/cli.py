"""The `jurist` command: one entry point whose sub-commands live beside their packages.

Bad input never ends in a traceback: known errors print one readable message
and exit 2 (1 is reserved for "the rules or cases have problems").
"""
from __future__ import annotations

import argparse
import importlib
import sys

# (module, required): optional parts register only when importable.
COMMAND_MODULES = (
    ("jurist.engine.cli.rules", True),
    ("jurist.engine.cli.detect", False),
    ("jurist.engine.cli.report", False),
    ("jurist.engine.cli.vocabulary", True),
    ("jurist.db.commands", False),
    ("jurist.gui.commands", False),
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="jurist", description="Jurist: policies for AI image generation.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for name, required in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if required or exc.name != name:
                raise
            continue
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # noqa: BLE001 - the one place that turns errors into messages
        return _report(exc)


def _report(exc: Exception) -> int:
    from jurist.dsl import CompileError

    if isinstance(exc, CompileError):
        print(exc.render(), file=sys.stderr)
        return 1
    known: tuple[type[BaseException], ...] = (OSError, ValueError, LookupError)
    try:
        from jurist.db.errors import StoreError  # optional part
        known = known + (StoreError,)
    except ImportError:
        pass
    if isinstance(exc, known):
        message = str(exc) or type(exc).__name__
        if isinstance(exc, FileNotFoundError) and exc.filename:
            message = f"{exc.filename}: no such file or directory"
        elif isinstance(exc, OSError) and exc.filename and exc.strerror:
            message = f"{exc.filename}: {exc.strerror[0].lower()}{exc.strerror[1:]}"
        print(f"jurist: error: {message}", file=sys.stderr)
        return 2
    print(f"jurist: internal error: {type(exc).__name__}: {exc}", file=sys.stderr)
    return 3


if __name__ == "__main__":
    sys.exit(main())
