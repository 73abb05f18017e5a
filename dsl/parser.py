"""Text to AST: a file cut into statements, parsed, with every syntax error reported.

A file is cut at each line that starts a statement; the pieces are parsed
many at a time, and a piece with a syntax error on its own, so one typo does
not hide the rest: each syntax error is wrapped into a `Diagnostic`
(`syntax_help`) and the statement it broke is kept as `nodes.Unparsed`.
`jurisdiction` headers are attached to the rules below them here, so the
checker sees each rule with the header in force there.

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
    skipped: bool = False  # left unparsed after too many syntax errors above it

    def moved_to(self, line: int) -> "ParsedPiece":
        """The same parse for the same text starting at another line."""
        if line == self.line:
            return self
        delta = line - self.line
        return ParsedPiece(line, shift(self.statements, delta),
                           tuple(replace(d, line=d.line + delta) for d in self.diagnostics), self.skipped)


MAX_SYNTAX_ERRORS = 100
"""Syntax errors reported in one file; past them the rest of the file is not parsed.  Each
error is parsed and explained on its own, and a generated file may break every line."""

RUN = 256
"""Pieces parsed together in one go: one parse of many statements is much faster than many
parses, and a syntax error costs a second parse of at most this many."""


def parse(text: str, file: str = "<input>") -> tuple[n.SourceFile, list[Diagnostic]]:
    """Parse one file; returns its statements and every syntax error found (up to `MAX_SYNTAX_ERRORS`)."""
    text = strip_bom(text)
    pieces = statement_pieces(text)
    return source_file(file, text, parse_pieces(pieces, file, [None] * len(pieces)))


def parse_pieces(pieces: Sequence[Piece], file: str, known: Sequence[ParsedPiece | None]) -> list[ParsedPiece]:
    """Every piece's parse: taken from `known` (already at its line) where given, else parsed.

    Consecutive pieces to parse are parsed together, up to `RUN` at a time.  A
    run with a syntax error is parsed again up to the piece the error is in,
    and that piece on its own, so its error is reported as if it stood alone.
    After `MAX_SYNTAX_ERRORS` errors the pieces left are kept unparsed, with one
    error saying so.
    """
    out: list[ParsedPiece] = []
    errors = 0
    i = 0
    limit = len(pieces)  # where the current run must end: before a piece with an error
    while i < len(pieces):
        if errors >= MAX_SYNTAX_ERRORS:
            out.extend(_skipped(pieces[i:], file, errors))
            break
        done = known[i]
        if done is not None:
            out.append(done)
            i += 1
            continue
        end = i + 1
        while end < min(limit, len(pieces)) and end - i < RUN and known[end] is None:
            end += 1
        run = _parse_run(pieces[i:end], file) if end - i > 1 else 0
        if isinstance(run, list):
            out.extend(run)
            i, limit = end, len(pieces)
        elif run > 0:
            limit = i + run  # the pieces before the one with the error parse together
        else:
            parsed = parse_piece(pieces[i], file)
            errors += len(parsed.diagnostics)
            out.append(parsed)
            i, limit = i + 1, len(pieces)
    return out


def _parse_run(run: Sequence[Piece], file: str) -> list[ParsedPiece] | int:
    """The pieces' parses from one parse of their text, or the index of the piece with the first error."""
    lines = [p.line for p in run]
    try:
        statements = parse_statements("".join(p.text for p in run), file, lines[0])
    except UnexpectedInput as err:
        line = lines[0] - 1 + (getattr(err, "line", None) or 1)
        return max(0, min(bisect_right(lines, line) - 1, len(run) - 1))
    except (VisitError, NodeError) as err:
        inner = getattr(err, "orig_exc", err)
        line = inner.span.line if isinstance(inner, NodeError) else lines[0]
        return max(0, min(bisect_right(lines, line) - 1, len(run) - 1))
    grouped: list[list[n.Statement]] = [[] for _ in run]
    for st in statements:
        grouped[bisect_right(lines, st.span.line) - 1].append(st)
    return [ParsedPiece(p.line, tuple(group), ()) for p, group in zip(run, grouped)]


def _skipped(pieces: Sequence[Piece], file: str, errors: int) -> list[ParsedPiece]:
    first = pieces[0].line
    stop = Diagnostic("error", f"too many syntax errors ({errors}); the rest of the file, from line {first}, "
                      "is not checked", file, first, 1, "correct the errors above and check again", None,
                      "too-many-errors")
    return [ParsedPiece(p.line, (_unparsed(p, file, ()),), (stop,) if k == 0 else (), True)
            for k, p in enumerate(pieces)]


def count_statement_starts(text: str) -> int:
    """The lines that start a statement: a cheap lower bound of a file's statements, before parsing it."""
    return sum(1 for _ in _STATEMENT_START.finditer(text))


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


def parse_piece(piece: Piece, file: str) -> ParsedPiece:
    """One statement parsed on its own, its syntax error (if any) reported.

    A piece starts a line, so its columns are those of the file; Lark counts
    its lines from 1, so its syntax error is moved to the piece's line.
    """
    text = piece.text
    try:
        return ParsedPiece(piece.line, parse_statements(text, file, piece.line), ())
    except UnexpectedInput as err:
        kept = _parse_before_line(err, piece, file)
        diagnostic = syntax_diagnostic(err, file, text, grammar_parser(), piece.last)
        return ParsedPiece(piece.line, kept + (_unparsed(piece, file, kept),),
                           (replace(diagnostic, line=diagnostic.line + piece.line - 1),))
    except (VisitError, NodeError) as err:
        return ParsedPiece(piece.line, (_unparsed(piece, file, ()),), (node_error_diagnostic(err, file),))


def _parse_before_line(err: UnexpectedInput, piece: Piece, file: str) -> tuple[n.Statement, ...]:
    """The statement before an error that starts a later line (`deny attire:bikinni⏎defualt deny`).

    Such a line is usually a misspelt statement keyword, so the statement above
    it is complete; keeping it lets the checker still report its own mistakes.
    """
    pos = err.token.start_pos if isinstance(err, UnexpectedToken) else getattr(err, "pos_in_stream", None)
    if pos is None or (isinstance(err, UnexpectedToken) and err.token.type == "$END"):
        return ()
    line_start = piece.text.rfind("\n", 0, pos) + 1
    if line_start == 0 or piece.text[line_start:pos].strip():
        return ()
    try:
        return parse_statements(piece.text[:line_start], file, piece.line)
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
