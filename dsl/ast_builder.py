"""The grammar's LALR parser and the transformer that builds our AST while it parses.

Lark's tree is not our AST: `_Builder` runs inline during the parse and returns
frozen nodes (`nodes.py`) with a span each, so nothing after the parser sees a
`lark.Tree`.  Values that parse but make no sense (a threshold of 1.5, the 30th
of February, conditions nested too deep) raise `NodeError` with their span.
"""
from __future__ import annotations

import calendar
import datetime as dt
import re
import threading
from functools import lru_cache
from typing import Any, Protocol, Sequence, cast

from lark import Lark, Token, Transformer

from . import nodes as n
from .keywords import grammar_text

# The checker, the graph and the engine walk conditions recursively; deeper nesting would exhaust the stack.
MAX_NESTING = 100


class NodeError(Exception):
    """A construct that parsed but is invalid as written; reported at its span."""

    def __init__(self, message: str, span: n.Span, help: str | None = None):
        super().__init__(message)
        self.message, self.span, self.help = message, span, help


class _Spanned(Protocol):
    @property
    def span(self) -> n.Span: ...


_Bounds = tuple[int, int, int, int, int, int]  # line, column, end line, end column, start and end offsets


def _bounds(item: Token | n.Span | _Spanned, lines_above: int) -> _Bounds:
    if isinstance(item, Token):
        # The lexer sets every position; the zeros only satisfy Lark's optional types.
        return ((item.line or 0) + lines_above, item.column or 0, (item.end_line or 0) + lines_above,
                item.end_column or 0, item.start_pos or 0, item.end_pos or 0)
    s = item if isinstance(item, n.Span) else item.span  # built already, so already moved
    return s.line, s.column, s.end_line, s.end_column, s.start_pos, s.end_pos


def _unquote(token: str) -> str:
    body = token[1:-1]
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), body)


_UPPER_TEXT = re.compile(r"[A-Z][A-Z0-9_]*(-[A-Z0-9]+)?")
_DATE_TEXT = re.compile(r"\d{4}-\d{2}-\d{2}")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")


def _date(text: str, span: n.Span) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise NodeError(f"`{text}` is not a valid date", span, _date_help(text)) from None


def _date_help(text: str) -> str:
    """Why a well-formed `YYYY-MM-DD` is not a day: the month or the day is out of range."""
    year, month, day = (int(x) for x in text.split("-"))
    if not 1 <= month <= 12:
        return f"there is no month {month:02d}; dates are written YYYY-MM-DD"
    if day == 0:
        return "days are numbered from 01; dates are written YYYY-MM-DD"
    if month == 2 and day == 29:
        return f"{year} is not a leap year: February {year} has 28 days"
    days = calendar.monthrange(year, month)[1]
    name = f"February {year}" if month == 2 else _MONTHS[month - 1]
    return f"{name} has {days} days" if day > days else "dates are written YYYY-MM-DD"


def nesting(expr: n.Expr) -> int:
    """How deeply `and`/`or`/`not` nest in a condition, counted without recursion."""
    deepest, stack = 0, [(expr, 1)]
    while stack:
        e, depth = stack.pop()
        deepest = max(deepest, depth)
        if isinstance(e, (n.And, n.Or)):
            stack.extend((item, depth + 1) for item in e.items)
        elif isinstance(e, n.Not):
            stack.append((e.item, depth + 1))
    return deepest


_Field = tuple[str, "Token | None"]  # a field's name and the token it was written with (None for `user.tier`)
_Term = n.Label | n.NotLabel | n.PersonScope


class _Builder(Transformer[Token, Any]):
    """Builds frozen AST nodes inline, during the LALR parse (no intermediate tree).

    Each method receives the children of one grammar rule: tokens, and the nodes
    the methods below built for its sub-rules.
    """

    def __init__(self) -> None:
        super().__init__()
        self.file = "<input>"
        self.text = ""
        self.lines_above = 0  # the text parsed starts this many lines into its file

    def _span(self, first: Token | n.Span | _Spanned, last: Token | n.Span | _Spanned | None = None) -> n.Span:
        """A span from the first to the last token or node of a construct."""
        a = _bounds(first, self.lines_above)
        b = a if last is None else _bounds(last, self.lines_above)
        return n.Span(self.file, a[0], a[1], b[2], b[3], a[4], b[5])

    # values
    def ref(self, c: Sequence[Token]) -> n.Ref:
        return n.Ref(str(c[0]), self._span(c[0]))

    def word(self, c: Sequence[Token]) -> n.Word:
        return n.Word(str(c[0]), self._span(c[0]))

    def string(self, c: Sequence[Token]) -> n.Ref | n.Word | n.DateLit:
        """Values may be quoted: `"GB"` is the code GB and `"2026-01-01"` a date, as if written bare."""
        span = self._span(c[0])
        text = _unquote(str(c[0]))
        if _DATE_TEXT.fullmatch(text):
            return n.DateLit(_date(text, span), span)
        return self.set_string(c)

    def set_string(self, c: Sequence[Token]) -> n.Ref | n.Word:
        text = _unquote(str(c[0]))
        if _UPPER_TEXT.fullmatch(text):
            return n.Ref(text, self._span(c[0]))
        return n.Word(text, self._span(c[0]), quoted=True)

    def date(self, c: Sequence[Token]) -> n.DateLit:
        return n.DateLit(_date(str(c[0]), self._span(c[0])), self._span(c[0]))

    def set_literal(self, c: Sequence[Any]) -> n.SetLit:
        items = tuple(cast(n.Ref | n.Word, x) for x in c[1:-1] if x is not None)
        return n.SetLit(items, self._span(c[0], c[-1]))

    # labels
    def label_one(self, c: Sequence[Token]) -> n.LabelPattern:
        tok = c[0]
        cat, _, value = str(tok).partition(":")
        return n.LabelPattern(cat, None if value == "*" else (value,), self._span(tok))

    def label_group(self, c: Sequence[Token]) -> n.LabelPattern:
        head, names = c[0], c[1:]
        return n.LabelPattern(str(head)[:-2], tuple(str(x) for x in names), self._span(head, names[-1]))

    def label(self, c: Sequence[Any]) -> n.Label:
        pattern: n.LabelPattern = c[0]
        written: Token | None = c[1] if len(c) > 1 else None
        threshold = float(written) if written is not None else None
        if written is not None and threshold is not None and not 0.0 <= threshold <= 1.0:
            raise NodeError(f"threshold `{written}` is out of range", self._span(written),
                            "scores and thresholds are between 0 and 1")
        return n.Label(pattern, threshold, self._span(pattern, written if written is not None else pattern))

    def not_label(self, c: Sequence[n.Label]) -> n.NotLabel:
        return n.NotLabel(c[0], c[0].span)

    def person(self, c: Sequence[n.Label | n.NotLabel]) -> n.PersonScope:
        return n.PersonScope(tuple(c), self._span(c[0], c[-1]))

    # expressions
    def field(self, c: Sequence[Token]) -> _Field:
        return (str(c[0]), c[0])

    def user_tier(self, c: Sequence[Token]) -> _Field:
        return ("user.tier", None)

    def _field_span(self, fld: _Field, value: n.Value) -> n.Span:
        return self._span(fld[1], value) if fld[1] is not None else value.span

    def compare(self, c: Sequence[Any]) -> n.Compare:
        fld: _Field = c[0]
        op, value = str(c[1]), cast(n.Value, c[2])
        return n.Compare(fld[0], "=" if op == "==" else op, value, self._field_span(fld, value))

    def member(self, c: Sequence[Any]) -> n.Member:
        fld: _Field = c[0]
        value = cast(n.Value, c[-1])
        return n.Member(fld[0], len(c) == 3, value, self._field_span(fld, value))

    def or_(self, c: Sequence[n.Expr]) -> n.Expr:
        # The grammar reduces every operand through or_/and_; one operand is not a junction.
        return c[0] if len(c) == 1 else n.Or(tuple(c), self._span(c[0], c[-1]))

    def and_(self, c: Sequence[n.Expr]) -> n.Expr:
        return c[0] if len(c) == 1 else n.And(tuple(c), self._span(c[0], c[-1]))

    def not_(self, c: Sequence[n.Expr]) -> n.Not:
        return n.Not(c[0], c[0].span)

    def where(self, c: Sequence[n.Expr]) -> n.Expr:
        return c[0]

    # clauses
    def cite(self, c: Sequence[Token]) -> n.Clause:
        return n.Clause("cite", _unquote(str(c[0])), self._span(c[0]))

    def message(self, c: Sequence[Token]) -> n.Clause:
        tag, text = (c[0] if len(c) > 1 else None), c[-1]
        return n.Clause("message", _unquote(str(text)), self._span(text), None if tag is None else str(tag),
                        None if tag is None else self._span(tag))

    def obligation(self, c: Sequence[Token]) -> n.Clause:
        kind, value = c[0], (c[1] if len(c) > 1 else None)
        return n.Clause("obligate", "" if value is None else _unquote(str(value)), self._span(kind, value or kind),
                        str(kind), self._span(kind))

    def valid_from(self, c: Sequence[Token]) -> n.Clause:
        return n.Clause("from", _date(str(c[0]), self._span(c[0])), self._span(c[0]))

    def always(self, c: Sequence[Token]) -> n.Clause:
        return n.Clause("always", True, self._span(c[0]))

    def valid_until(self, c: Sequence[Token]) -> n.Clause:
        return n.Clause("until", _date(str(c[0]), self._span(c[0])), self._span(c[0]))

    # statements
    def rule_name(self, c: Sequence[Token]) -> Token:
        return c[0]

    def rule(self, c: Sequence[Any]) -> n.Rule:
        name_tok: Token | None = c[0] if isinstance(c[0], Token) and c[0].type == "RULE_ID" else None
        rest = c[1:] if name_tok is not None else c
        effect_tok: Token = rest[0]
        terms: list[_Term] = []
        where: n.Expr | None = None
        clauses: list[n.Clause] = []
        for item in rest[1:]:
            if isinstance(item, n.Clause):
                clauses.append(item)
            elif isinstance(item, (n.Label, n.NotLabel, n.PersonScope)) and where is None and not clauses:
                terms.append(item)
            else:
                where = item
        span = self._span(name_tok or effect_tok, rest[-1])
        text = " ".join(self.text[span.start_pos:span.end_pos].split())
        if where is not None and nesting(where) > MAX_NESTING:
            raise NodeError("conditions nested too deep", span,
                            f"at most {MAX_NESTING} levels of parentheses and `not`; split the rule into several")
        return n.Rule(str(name_tok) if name_tok else None, self._span(name_tok) if name_tok else None,
                      str(effect_tok), tuple(terms), where, tuple(clauses), span, text)

    def set_def(self, c: Sequence[Any]) -> n.SetDef:
        name: Token = c[0]
        items: n.SetLit = c[1]
        return n.SetDef(str(name), items, self._span(name, items))

    def default_def(self, c: Sequence[Token]) -> n.DefaultDef:
        return n.DefaultDef(str(c[0]), self._span(c[0]))

    def jurisdiction_def(self, c: Sequence[n.Ref | n.SetLit]) -> n.JurisdictionDef:
        return n.JurisdictionDef(c[0], c[0].span)

    def threshold_def(self, c: Sequence[Any]) -> n.ThresholdDef:
        pattern: n.LabelPattern = c[0]
        value: Token = c[1]
        if not 0.0 <= float(value) <= 1.0:
            raise NodeError(f"threshold `{value}` is out of range", self._span(value),
                            "scores and thresholds are between 0 and 1")
        return n.ThresholdDef(pattern, float(value), self._span(pattern, value))

    def start(self, c: Sequence[n.Statement]) -> tuple[n.Statement, ...]:
        return tuple(c)


# The parser and its builder are shared: building the LALR tables takes a fifth of a second.
# The builder holds the file being parsed, so one parse runs at a time.
_LOCK = threading.Lock()


@lru_cache(maxsize=1)
def _parser() -> tuple[Lark, _Builder]:
    builder = _Builder()
    return Lark(grammar_text(), parser="lalr", transformer=builder, maybe_placeholders=True), builder


def grammar_parser() -> Lark:
    """The shared Lark parser, also used by the lexer the editor highlights with."""
    return _parser()[0]


def parse_statements(text: str, file: str, first_line: int = 1) -> tuple[n.Statement, ...]:
    """The statements of `text`, which starts a line of `file`: at `first_line`.

    Raises Lark's `UnexpectedInput` on a syntax error (its lines count from the
    start of `text`), and `NodeError` (or Lark's `VisitError` around one) on an
    invalid construct (its span is in the file's lines).
    """
    lark, builder = _parser()
    with _LOCK:
        builder.file, builder.text, builder.lines_above = file, text, first_line - 1
        return cast("tuple[n.Statement, ...]", lark.parse(text))  # `_Builder.start` returns the tuple
