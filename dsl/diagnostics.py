"""Diagnostics: one error type with a span, rendered GCC-style with a caret.

Message style follows cedar's guide: lower case, no final period, user input
in backticks, extra explanation on a `help` line.
"""
from __future__ import annotations

import difflib
import json
from dataclasses import dataclass
from typing import Any, Iterable, Mapping, Sequence

from .nodes import Span


@dataclass(frozen=True, slots=True)
class Diagnostic:
    severity: str  # "error" or "warning"
    message: str
    file: str
    line: int
    column: int
    help: str | None = None
    end_column: int | None = None
    code: str = ""  # a stable short name such as "unknown-label", for tools and tests

    @classmethod
    def at(cls, span: Span, severity: str, message: str, help: str | None = None, code: str = "") -> "Diagnostic":
        """A diagnostic pointing at a node's span (underlined when it stays on one line)."""
        return cls(severity, message, span.file, span.line, span.column, help,
                   span.end_column if span.end_line == span.line else None, code)

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def location(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"

    def render(self, sources: Mapping[str, str] | None = None) -> str:
        out = [f"{self.location()}: {self.severity}: {self.message}"]
        text = (sources or {}).get(self.file)
        if text is not None:
            lines = text.removeprefix("\ufeff").splitlines()  # the parser drops a byte-order mark too
            if 1 <= self.line <= len(lines):
                src = lines[self.line - 1].expandtabs(1)
                width = max(1, (self.end_column or self.column + 1) - self.column)
                width = min(width, max(1, len(src) - self.column + 1))
                src, column = _clip(src, self.column)
                width = min(width, max(1, len(src) - column + 1))
                out.append(f"    {src}")
                out.append("    " + " " * (column - 1) + "^" + "~" * (width - 1))
        if self.help:
            out.append(f"  help: {self.help}")
        return "\n".join(out)

    def to_json(self) -> dict[str, Any]:
        return {"severity": self.severity, "code": self.code, "message": self.message, "file": self.file,
                "line": self.line, "column": self.column, "end_column": self.end_column, "help": self.help}


SHOWN_WIDTH = 100  # characters of a long source line shown around the error


def _clip(src: str, column: int) -> tuple[str, int]:
    """A window of a long line around `column`, marked with `…`, and the column within it.

    A generated or minified file may have lines of thousands of characters;
    echoing them whole buries the caret.
    """
    if len(src) <= SHOWN_WIDTH:
        return src, column
    start = max(0, min(column - 1 - SHOWN_WIDTH // 3, len(src) - SHOWN_WIDTH))
    end = start + SHOWN_WIDTH
    head, tail = ("…" if start > 0 else ""), ("…" if end < len(src) else "")
    return head + src[start:end] + tail, column - start + len(head)


def render_all(diagnostics: Iterable[Diagnostic], sources: Mapping[str, str] | None = None) -> str:
    return "\n".join(d.render(sources) for d in diagnostics)


def to_json(diagnostics: Iterable[Diagnostic]) -> str:
    return json.dumps([d.to_json() for d in diagnostics], indent=2)


def close_matches(word: str, candidates: Iterable[str], n: int = 1, cutoff: float = 0.6) -> list[str]:
    """The candidates closest to a misspelt `word`, as written; case is ignored when nothing else is close."""
    pool = list(candidates)
    matches = difflib.get_close_matches(word, pool, n=n, cutoff=cutoff)
    if not matches:
        lowered = {c.lower(): c for c in pool}
        matches = [lowered[m] for m in difflib.get_close_matches(word.lower(), list(lowered), n=n, cutoff=cutoff)]
    return matches


def did_you_mean(word: str, candidates: Iterable[str], n: int = 1) -> str | None:
    """A `did you mean` help line for a misspelt name, or None when nothing is close."""
    return suggestion(close_matches(word, candidates, n))


def suggestion(matches: Sequence[str]) -> str | None:
    """`did you mean `a` or `b`?` for the given matches, or None when there are none."""
    if not matches:
        return None
    return "did you mean " + " or ".join(f"`{m}`" for m in matches) + "?"


class CompileError(Exception):
    """Raised by APIs that need a clean ruleset; carries every diagnostic."""

    def __init__(self, diagnostics: Sequence[Diagnostic], sources: Mapping[str, str] | None = None):
        self.diagnostics = tuple(diagnostics)
        self.sources = dict(sources or {})
        errors = [d for d in self.diagnostics if d.is_error]
        first = errors[0] if errors else (self.diagnostics[0] if self.diagnostics else None)
        summary = f"{first.location()}: {first.message}" if first else "compile failed"
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        super().__init__(summary + more)

    def render(self) -> str:
        return render_all(self.diagnostics, self.sources)
