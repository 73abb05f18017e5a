"""The one place where an exception becomes a message and an exit status.

Every command raises; `jurist.cli.main` hands what escapes to `classify`, so
the same failure reads and exits the same from every command:

| status | meaning |
|---|---|
| 0 | done |
| 1 | the rules, a test, a verification or the store's own rules said no: compile errors, failing cases, a tampered version or audit log, a refused review step |
| 2 | usage or input error: bad arguments, unreadable or malformed files and requests, a name that does not exist, an unusable database |
| 3 | internal error: a bug in Jurist, not in the input; the message says how to see the traceback |

Exceptions are recognised by type, never by base classes as broad as
`ValueError` or `LookupError`: a `KeyError` raised by a bug must read as a bug.
The store and detector types are looked up by name, so classifying an error
imports nothing the command did not already load.
"""
from __future__ import annotations

import os
import sys
import traceback
from dataclasses import dataclass

OK, REFUSED, USAGE, INTERNAL = 0, 1, 2, 3
PREFIX = "jurist: error: "
TRACEBACK_ENV = "JURIST_TRACEBACK"


class UsageError(Exception):
    """A command was given arguments it cannot work with (checked after argparse's own checks)."""


class Refused(Exception):
    """A check the command ran said no (a broken audit chain); what it found is already printed."""


def warn(text: str) -> None:
    """A warning line, with the same prefix style as errors."""
    print(f"jurist: warning: {_clean(text)}", file=sys.stderr)


@dataclass(frozen=True, slots=True)
class Failure:
    status: int
    message: str            # one line, already safe to print
    details: str = ""       # more lines after it (rendered diagnostics), may be empty


# Exception types by (module, name) -> exit status; the first match along the MRO wins.
_STATUS_BY_TYPE: dict[tuple[str, str], int] = {
    ("jurist.dsl.diagnostics", "CompileError"): REFUSED,
    ("jurist.cli.errors", "UsageError"): USAGE,
    ("jurist.cli.errors", "Refused"): REFUSED,
    ("jurist.dsl.sources", "SourceError"): USAGE,
    ("jurist.engine.request", "RequestError"): USAGE,
    ("jurist.engine.cases", "CaseError"): USAGE,
    ("jurist.engine.report_coverage", "CatalogueError"): USAGE,
    ("jurist.engine.detectors.intake", "ImageRejected"): USAGE,
    ("jurist.workbench.calibration", "CalibrationError"): USAGE,
    ("jurist.gui.app", "StartupError"): USAGE,
    ("jurist.workbench.decision_logs", "LogError"): USAGE,
    ("jurist.db.errors", "StoreUnavailable"): USAGE,
    ("jurist.db.errors", "NotFound"): USAGE,
    ("jurist.db.errors", "InvalidInput"): USAGE,
    ("jurist.db.errors", "StoreError"): REFUSED,   # refused steps, conflicts, tampering
    ("sqlalchemy.exc", "SQLAlchemyError"): USAGE,  # the database itself failed under us
    ("builtins", "OSError"): USAGE,
}


def classify(exc: BaseException) -> Failure:
    """The exit status and the text for `exc`, whichever command raised it."""
    status = _status(exc)
    if status is None:
        hint = (f"this is a bug in Jurist, not in your input; run again with {TRACEBACK_ENV}=1 to see where it "
                "happened, and report it")
        return Failure(INTERNAL, f"internal error: {type(exc).__name__}: {_clean(str(exc))}", hint)
    return Failure(status, _message(exc), _details(exc))


def report(failure: Failure, exc: BaseException) -> None:
    """Print `failure` on stderr: one line with the prefix, then any details, then the traceback if asked for."""
    print(PREFIX + failure.message, file=sys.stderr)
    if failure.details:
        print(failure.details.rstrip("\n"), file=sys.stderr)
    if failure.status == INTERNAL and os.environ.get(TRACEBACK_ENV):
        traceback.print_exception(exc, file=sys.stderr)


def _status(exc: BaseException) -> int | None:
    for cls in type(exc).__mro__:
        status = _STATUS_BY_TYPE.get((cls.__module__, cls.__qualname__))
        if status is not None:
            return status
    return None


def _message(exc: BaseException) -> str:
    if _is(exc, "jurist.dsl.diagnostics", "CompileError"):
        errors = [d for d in getattr(exc, "diagnostics", ()) if getattr(d, "is_error", False)]
        return f"the rules have {len(errors)} error(s)"
    if _is(exc, "sqlalchemy.exc", "SQLAlchemyError"):
        lines = str(getattr(exc, "orig", None) or exc).strip().splitlines()
        return "database error: " + _clean(lines[0] if lines else type(exc).__name__)
    if isinstance(exc, OSError) and exc.filename is not None:
        if isinstance(exc, FileNotFoundError):
            return _clean(f"{exc.filename}: no such file or directory")
        reason = exc.strerror or str(exc)
        return _clean(f"{exc.filename}: {reason[:1].lower()}{reason[1:]}")
    return _clean(str(exc) or type(exc).__name__)


def _details(exc: BaseException) -> str:
    """The rendered diagnostics behind a compile failure, wherever it surfaced."""
    if _is(exc, "jurist.dsl.diagnostics", "CompileError"):
        render = getattr(exc, "render", None)
        return _clean(render(), keep="\n\t") if callable(render) else ""
    rendered = getattr(exc, "rendered", "")
    return _clean(rendered, keep="\n\t") if isinstance(rendered, str) else ""


def _is(exc: BaseException, module: str, name: str) -> bool:
    return any((cls.__module__, cls.__qualname__) == (module, name) for cls in type(exc).__mro__)


def _clean(text: str, keep: str = "") -> str:
    """Control characters escaped (`\\x1b`, `\\n`), so an error quoting hostile input cannot forge terminal output."""
    from jurist.dsl.diagnostics import visible

    return visible(text, keep)
