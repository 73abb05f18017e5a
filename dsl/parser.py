"""Text to AST: a file cut into statements, parsed, with every syntax error reported.

A file is parsed in one go.  When that fails, it is cut at each line that
starts a statement and each piece is parsed on its own, so one typo does not
hide the rest: each syntax error is wrapped into a `Diagnostic` (`syntax_help`)
and the statement it broke is kept as `nodes.Unparsed`.  `jurisdiction`
headers are attached to the rules below them here, so the checker sees each
rule with the header in force there.

The same pieces are what `incremental.IncrementalCompiler` remembers between
two versions of a file; this module keeps nothing between calls.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, fields, is_dataclass, replace
from typing import Sequence, cast

from lark.exceptions import UnexpectedInput, UnexpectedToken, VisitError

from . import nodes as n
from .ast_builder import NodeError, grammar_parser, parse_statements
from .diagnostics import Diagnostic
from .keywords import STATEMENT_KEYWORDS
from .syntax_help import node_error_diagnostic, syntax_diagnostic

_STATEMENT_START = re.compile(r"^[ \t]*(?:%s)\b" % "|".join(STATEMENT_KEYWORDS), re.M)


@dataclass(frozen=True, slots=True)
class Piece:
    """One statement's text (a line that starts a statement, up to the next one) and its first line."""

    text: str
    line: int
    last: bool  # whether it ends the file: a statement cut short there ends at "the end of the file"


@dataclass(frozen=True, slots=True)
class ParsedPiece:
    """The parse of one piece, as it stood at `line`."""

    line: int
    statements: tuple[n.Statement, ...]
    diagnostics: tuple[Diagnostic, ...]

    def moved_to(self, line: int) -> "ParsedPiece":
        """The same parse for the same text starting at another line."""
        if line == self.line:
            return self
        delta = line - self.line
        return ParsedPiece(line, shift(self.statements, delta),
                           tuple(replace(d, line=d.line + delta) for d in self.diagnostics))


def parse(text: str, file: str = "<input>") -> tuple[n.SourceFile, list[Diagnostic]]:
    """Parse one file; returns its statements and every syntax error found."""
    text = strip_bom(text)
    pieces = statement_pieces(text)
    parsed = parse_whole(text, file, pieces) or [parse_piece(p, file) for p in pieces]
    return source_file(file, text, parsed)


def strip_bom(text: str) -> str:
    """A byte-order mark some editors write is not part of the policy."""
    return text.removeprefix("\ufeff")


def source_file(file: str, text: str, parsed: Sequence[ParsedPiece]) -> tuple[n.SourceFile, list[Diagnostic]]:
    statements = [st for p in parsed for st in p.statements]
    diagnostics = [d for p in parsed for d in p.diagnostics]
    return n.SourceFile(file, text, tuple(_attach_jurisdictions(statements))), diagnostics


def statement_pieces(text: str) -> list[Piece]:
    """The text cut at every line that starts a statement."""
    starts = [m.start() for m in _STATEMENT_START.finditer(text)]
    if not starts or starts[0] != 0:
        starts.insert(0, 0)
    pieces, line, previous = [], 1, 0
    for i, start in enumerate(starts):
        line += text.count("\n", previous, start)
        previous = start
        end = starts[i + 1] if i + 1 < len(starts) else len(text)
        pieces.append(Piece(text[start:end], line, i == len(starts) - 1))
    return pieces


def parse_whole(text: str, file: str, pieces: Sequence[Piece]) -> list[ParsedPiece] | None:
    """One parse of the whole file, split into per-piece parses; None on a syntax error."""
    try:
        statements = parse_statements(text, file)
    except (UnexpectedInput, VisitError, NodeError):
        return None
    lines = [p.line for p in pieces]
    grouped: list[list[n.Statement]] = [[] for _ in pieces]
    for st in statements:
        grouped[bisect_right(lines, st.span.line) - 1].append(st)
    return [ParsedPiece(p.line, tuple(group), ()) for p, group in zip(pieces, grouped)]


def parse_piece(piece: Piece, file: str) -> ParsedPiece:
    """One statement parsed on its own, its syntax error (if any) reported."""
    # Leading newlines put the piece on its own lines, so positions are those of the whole file.
    padded = "\n" * (piece.line - 1) + piece.text
    try:
        return ParsedPiece(piece.line, parse_statements(padded, file), ())
    except UnexpectedInput as err:
        kept = _parse_before_line(err, padded, piece.line, file)
        return ParsedPiece(piece.line, kept + (_unparsed(piece, file, kept),),
                           (syntax_diagnostic(err, file, padded, grammar_parser(), piece.last),))
    except (VisitError, NodeError) as err:
        return ParsedPiece(piece.line, (_unparsed(piece, file, ()),), (node_error_diagnostic(err, file),))


def _parse_before_line(err: UnexpectedInput, padded: str, line: int, file: str) -> tuple[n.Statement, ...]:
    """The statement before an error that starts a later line (`deny attire:bikinni⏎defualt deny`).

    Such a line is usually a misspelt statement keyword, so the statement above
    it is complete; keeping it lets the checker still report its own mistakes.
    """
    pos = err.token.start_pos if isinstance(err, UnexpectedToken) else getattr(err, "pos_in_stream", None)
    if pos is None or (isinstance(err, UnexpectedToken) and err.token.type == "$END"):
        return ()
    line_start = padded.rfind("\n", 0, pos) + 1
    if padded.count("\n", 0, line_start) < line or padded[line_start:pos].strip():
        return ()
    try:
        return parse_statements(padded[:line_start], file)
    except (UnexpectedInput, VisitError, NodeError):
        return ()


_SET_HEAD = re.compile(r"\s*set\s+([A-Z][A-Z0-9_]*)")
_UPPER_WORD = re.compile(r'"(?:\\.|[^"\\\n])*"|#[^\n]*|\b([A-Z][A-Z0-9_]*)\b')


def _unparsed(piece: Piece, file: str, kept: tuple[n.Statement, ...]) -> n.Unparsed:
    """What the checker should know of a statement that did not parse (see `nodes.Unparsed`)."""
    head = _SET_HEAD.match(piece.text)
    defines = head.group(1) if head and not any(isinstance(st, n.SetDef) for st in kept) else None
    names = tuple(sorted({m.group(1) for m in _UPPER_WORD.finditer(piece.text) if m.group(1)} - {defines}))
    return n.Unparsed(defines, names, n.Span(file, piece.line, 1, piece.line, 1))


def shift(statements: tuple[n.Statement, ...], delta: int) -> tuple[n.Statement, ...]:
    """Statements moved `delta` lines down (or up): every span's lines change, nothing else."""
    return cast("tuple[n.Statement, ...]", _shifted(statements, delta))


_FIELDS_OF: dict[type, tuple[str, ...]] = {}


def _shifted(value: object, delta: int) -> object:
    if isinstance(value, n.Span):
        return value._replace(line=value.line + delta, end_line=value.end_line + delta)
    if isinstance(value, tuple):
        return tuple(_shifted(v, delta) for v in value)
    if not is_dataclass(value) or isinstance(value, type):
        return value  # a leaf: text, number, date
    cls = type(value)
    names = _FIELDS_OF.get(cls)
    if names is None:
        names = _FIELDS_OF[cls] = tuple(f.name for f in fields(value))
    return cls(*(_shifted(getattr(value, name), delta) for name in names))


def _attach_jurisdictions(statements: list[n.Statement]) -> list[n.Statement]:
    current: n.JurisdictionDef | None = None
    out: list[n.Statement] = []
    for st in statements:
        if isinstance(st, n.JurisdictionDef):
            current = st
        elif isinstance(st, n.Rule) and current is not None:
            st = n.Rule(st.name, st.name_span, st.effect, st.terms, st.where, st.clauses, st.span, st.text, current)
        out.append(st)
    return out
