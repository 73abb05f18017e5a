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
        text = (sources or {}).get(self.file)
        return self._render(source_lines(text) if text is not None else None)

    def _render(self, lines: Sequence[str] | None) -> str:
        """The diagnostic with its source line and a caret; what the author wrote is shown escaped
        where it is not printable (`\\x1b`, `\\u202e`), so a file cannot drive the terminal."""
        out = [f"{visible(self.location())}: {self.severity}: {visible(self.message)}"]
        if lines is not None and 1 <= self.line <= len(lines):
            out.extend(self._excerpt(lines[self.line - 1]))
        if self.help:
            out.append(f"  help: {visible(self.help)}")
        return "\n".join(out)

    def _excerpt(self, line: str) -> list[str]:
        """The source line (a window of it when long) and the caret under the span."""
        length = len(line) - 1 if line.endswith("\r") else len(line)
        width = max(1, (self.end_column or self.column + 1) - self.column)
        width = min(width, max(1, length - self.column + 1))
        lo, hi = _window(length, self.column)
        raw = line[lo:hi].expandtabs(1)  # one space a tab keeps the columns
        head, tail = ("…" if lo > 0 else ""), ("…" if hi < length else "")
        at = min(max(self.column - 1 - lo, 0), len(raw))
        column = len(head) + len(visible(raw[:at])) + 1
        shown = head + visible(raw) + tail
        width = min(len(visible(raw[at:at + width])) or 1, max(1, len(shown) - column + 1))
        return [f"    {shown}", "    " + " " * (column - 1) + "^" + "~" * (width - 1)]

    def to_json(self) -> dict[str, Any]:
        return {"severity": self.severity, "code": self.code, "message": self.message, "file": self.file,
                "line": self.line, "column": self.column, "end_column": self.end_column, "help": self.help}


SHOWN_WIDTH = 100  # characters of a long source line shown around the error


def _window(length: int, column: int) -> tuple[int, int]:
    """The part of a long line shown around `column`, as [start, end) offsets.

    A generated or minified file may have lines of thousands of characters;
    echoing them whole buries the caret.
    """
    if length <= SHOWN_WIDTH:
        return 0, length
    start = max(0, min(column - 1 - SHOWN_WIDTH // 3, length - SHOWN_WIDTH))
    return start, start + SHOWN_WIDTH


def render_all(diagnostics: Iterable[Diagnostic], sources: Mapping[str, str] | None = None) -> str:
    lines: dict[str, list[str]] = {}  # each file cut into lines once, however many diagnostics it has

    def lines_of(file: str) -> list[str] | None:
        if file not in lines:
            text = (sources or {}).get(file)
            if text is None:
                return None
            lines[file] = source_lines(text)
        return lines[file]

    return "\n".join(d._render(lines_of(d.file)) for d in diagnostics)


def source_lines(text: str) -> list[str]:
    """A source's lines as the parser numbers them: only `\\n` ends a line, not a form feed,
    `\\x85` or U+2028 as `str.splitlines` would have it."""
    return text.removeprefix("\ufeff").split("\n")  # the parser drops a byte-order mark too


def visible(text: str, keep: str = "") -> str:
    """`text` with each character that is not printable (controls such as ESC, bidirectional
    overrides, line separators) written as its Python escape, so printing it shows it and cannot
    forge a line or move the cursor.  Characters in `keep` (a diff's line breaks) stay as they are.

    The one rule for showing untrusted text: diagnostics, the store's output and the CLI's errors use it.
    """
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() or c in keep else escaped(c) for c in text)


def escaped(ch: str) -> str:
    """`\\n`, `\\x1b`, `\\u202e`: how Python's repr writes the character."""
    return ch.encode("unicode_escape", "backslashreplace").decode("ascii")


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
        summary = visible(f"{first.location()}: {first.message}") if first else "compile failed"
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        super().__init__(summary + more)

    def render(self) -> str:
        return render_all(self.diagnostics, self.sources)
