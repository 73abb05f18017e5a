"""The abstract syntax tree: what the author wrote, with a span on every node.

Nothing after the parser sees a `lark.Tree`.  The checker turns these nodes
into the resolved IR (`jurist.dsl.ir`), so the AST stays close to the text and
every diagnostic can point back at it.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import NamedTuple, Union, assert_never


class Span(NamedTuple):
    """Where a node sits in its source file (1-based line and column).

    A named tuple rather than a dataclass: one is made for every token, and
    tuple construction keeps parsing 10,000 rules well under two seconds.
    """

    file: str
    line: int
    column: int
    end_line: int
    end_column: int
    start_pos: int = 0  # character offsets, for slicing a statement's own text
    end_pos: int = 0

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


# --- values ---------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Ref:
    """An upper-case name: an ISO code or a set name, resolved by the checker."""

    name: str
    span: Span


@dataclass(frozen=True, slots=True)
class Word:
    """A bare lower-case or quoted value such as `edit` or `"paid"`."""

    text: str
    span: Span
    quoted: bool = False


@dataclass(frozen=True, slots=True)
class DateLit:
    value: dt.date
    span: Span


@dataclass(frozen=True, slots=True)
class SetLit:
    items: tuple[Union[Ref, Word], ...]
    span: Span


Value = Union[Ref, Word, DateLit, SetLit]


def written(value: Value) -> str:
    """A value as the author wrote it, for messages (`GB`, `edit`, `2026-01-31`, `{GB, FR}`)."""
    match value:
        case Ref():
            return value.name
        case Word():
            return value.text
        case DateLit():
            return value.value.isoformat()
        case SetLit():
            return "{" + ", ".join(written(v) for v in value.items) + "}"
        case _:
            assert_never(value)


# --- label terms ----------------------------------------------------------

@dataclass(frozen=True, slots=True)
class LabelPattern:
    """`cat:value`, `cat:*` (values is None) or `cat:{a, b}`."""

    category: str
    values: tuple[str, ...] | None
    span: Span

    def __str__(self) -> str:
        if self.values is None:
            return f"{self.category}:*"
        if len(self.values) == 1:
            return f"{self.category}:{self.values[0]}"
        return f"{self.category}:{{{', '.join(self.values)}}}"


@dataclass(frozen=True, slots=True)
class Label:
    pattern: LabelPattern
    threshold: float | None
    span: Span


@dataclass(frozen=True, slots=True)
class NotLabel:
    label: Label
    span: Span


@dataclass(frozen=True, slots=True)
class PersonScope:
    """`person(...)`: every term must hold for one and the same detected person."""

    terms: tuple[Union[Label, NotLabel], ...]
    span: Span


# --- request conditions -----------------------------------------------------

@dataclass(frozen=True, slots=True)
class Compare:
    field: str   # country, region, action, surface, stage, date, user.tier
    op: str      # = != < <= > >=
    value: Value
    span: Span


@dataclass(frozen=True, slots=True)
class Member:
    field: str
    negated: bool
    value: Value
    span: Span


@dataclass(frozen=True, slots=True)
class And:
    items: tuple["Expr", ...]
    span: Span


@dataclass(frozen=True, slots=True)
class Or:
    items: tuple["Expr", ...]
    span: Span


@dataclass(frozen=True, slots=True)
class Not:
    item: "Expr"
    span: Span


Expr = Union[Compare, Member, And, Or, Not, Label, NotLabel, PersonScope]


# --- statements -------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class SetDef:
    name: str
    items: SetLit
    span: Span


@dataclass(frozen=True, slots=True)
class DefaultDef:
    effect: str
    span: Span


@dataclass(frozen=True, slots=True)
class JurisdictionDef:
    place: Union[Ref, SetLit]
    span: Span


@dataclass(frozen=True, slots=True)
class ThresholdDef:
    pattern: LabelPattern
    value: float
    span: Span


@dataclass(frozen=True, slots=True)
class Clause:
    kind: str  # cite, message, obligate, from, until, always
    value: Union[str, dt.date, bool]
    span: Span
    tag: str | None = None  # a message's language (`pt-BR`), an obligation's kind (`disclose`)
    tag_span: Span | None = None


@dataclass(frozen=True, slots=True)
class Rule:
    name: str | None
    name_span: Span | None
    effect: str
    terms: tuple[Union[Label, NotLabel, PersonScope], ...]
    where: Expr | None
    clauses: tuple[Clause, ...]
    span: Span
    text: str  # the rule's own source, whitespace-normalised, for its stable id
    jurisdiction: JurisdictionDef | None = None  # the file header in force above it


@dataclass(frozen=True, slots=True)
class Unparsed:
    """A statement lost to a syntax error, kept so the checker does not pile more errors on it.

    Without it a broken `set X = {GB` would make every use of `X` "undefined", and
    the sets a broken rule uses would be reported as never used.
    """

    defines: str | None      # the set a broken `set NAME = ...` would have defined
    names: tuple[str, ...]   # the upper-case names it mentions
    span: Span


Statement = Union[SetDef, DefaultDef, JurisdictionDef, ThresholdDef, Rule, Unparsed]


@dataclass(frozen=True, slots=True)
class SourceFile:
    """One parsed `.policy` file."""

    name: str
    text: str
    statements: tuple[Statement, ...]
