"""The checked intermediate representation: names resolved, types checked.

Conditions are small frozen trees (hashable, so the graph builder can share
identical sub-expressions by interning them).  A rule's `from`/`until` window
and its file's `jurisdiction` header are already folded into its condition.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Iterator, Mapping, Union, assert_never


@dataclass(frozen=True, slots=True)
class Location:
    """The request's place is within one of `codes`.

    For `country` the request's country or region may be listed (a set holding
    `US-CA` covers California); for `region` only the region counts.
    """

    field: str  # "country" or "region"
    codes: frozenset[str]


@dataclass(frozen=True, slots=True)
class Equals:
    """A closed-vocabulary field (action, surface, stage, user.tier) has one of `values`."""

    field: str
    values: frozenset[str]


@dataclass(frozen=True, slots=True)
class DateCmp:
    op: str  # = != < <= > >=
    value: dt.date


@dataclass(frozen=True, slots=True)
class LabelTest:
    """Some label in `thresholds` scores at or above its threshold (image level)."""

    thresholds: tuple[tuple[str, float], ...]


@dataclass(frozen=True, slots=True)
class PersonTest:
    """One and the same detected person satisfies every term (negated where flagged)."""

    terms: tuple[tuple[LabelTest, bool], ...]  # (test, negated)


@dataclass(frozen=True, slots=True)
class Not:
    item: "Cond"


@dataclass(frozen=True, slots=True)
class All:
    items: tuple["Cond", ...]


@dataclass(frozen=True, slots=True)
class AnyOf:
    items: tuple["Cond", ...]


Cond = Union[Location, Equals, DateCmp, LabelTest, PersonTest, Not, All, AnyOf]


def obligation_text(kind: str, value: str) -> str:
    """An obligation as the language writes it after `obligate`: `disclose "deepfake"`, or the kind alone."""
    return f'{kind} "{value}"' if value else kind


@dataclass(frozen=True, slots=True)
class Obligation:
    """What the caller must do with a decision's output: `obligate disclose "deepfake"`."""

    kind: str   # one of the schema's obligation kinds: mark, disclose, report, retain ...
    value: str  # what to mark, disclose or report; "" when the kind says it all

    def __str__(self) -> str:
        return f"{self.kind} {self.value!r}" if self.value else self.kind


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    effect: str
    condition: Cond
    cite: str | None
    message: str | None
    valid_from: dt.date | None
    valid_until: dt.date | None  # exclusive: not in force on this day
    file: str
    line: int
    column: int
    named: bool
    always: bool = False  # evaluated even once the decision is settled, so its matches are always recorded
    messages: tuple[tuple[str, str], ...] = ()  # (BCP 47 tag, text) of each `message TAG "..."`, as written
    obligations: tuple[Obligation, ...] = ()

    @property
    def source(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass(frozen=True, slots=True)
class Jurisdiction:
    """A file's `jurisdiction` header: the place as written (`EU`, `US-CA`) and the codes it stands for."""

    file: str
    written: str
    codes: frozenset[str]


@dataclass(frozen=True)
class Ruleset:
    rules: tuple[Rule, ...]
    sets: Mapping[str, frozenset[str]]
    default: str
    thresholds: Mapping[str, float]
    files: tuple[str, ...]
    jurisdictions: tuple[Jurisdiction, ...] = ()  # each valid header, in the order written

    def rule(self, rule_id: str) -> Rule:
        for r in self.rules:
            if r.id == rule_id:
                return r
        raise KeyError(rule_id)


def default_message(messages: tuple[tuple[str | None, str], ...]) -> str | None:
    """The message shown when no language the request asks for is written: the untagged one,
    else the English one, else the first written."""
    by_tag = dict(messages)
    if None in by_tag:
        return by_tag[None]
    if "en" in by_tag:
        return by_tag["en"]
    return messages[0][1] if messages else None


def describe(cond: Cond) -> str:
    """The condition in the policy language's own words, for traces and graph dumps."""
    match cond:
        case Location():
            codes = sorted(cond.codes)
            return f"{cond.field} = {codes[0]}" if len(codes) == 1 else f"{cond.field} in {{{', '.join(codes)}}}"
        case Equals():
            vals = sorted(cond.values)
            return f"{cond.field} = {vals[0]}" if len(vals) == 1 else f"{cond.field} in {{{', '.join(vals)}}}"
        case DateCmp():
            return f"date {cond.op} {cond.value.isoformat()}"
        case LabelTest():
            return " or ".join(f"{k} >= {t:g}" for k, t in cond.thresholds)
        case PersonTest():
            inner = " and ".join(("not " if neg else "") + f"({describe(t)})" for t, neg in cond.terms)
            return f"person({inner})"
        case Not():
            return f"not ({describe(cond.item)})"
        case All():
            return " and ".join(f"({describe(c)})" for c in cond.items) or "true"
        case AnyOf():
            return " or ".join(f"({describe(c)})" for c in cond.items) or "false"
        case _:
            assert_never(cond)


def tests_in(cond: Cond) -> Iterator[Cond]:
    """Every test inside a condition, through `not`, `and` and `or` (a `person(...)` test as one)."""
    match cond:
        case Not():
            yield from tests_in(cond.item)
        case All() | AnyOf():
            for item in cond.items:
                yield from tests_in(item)
        case LabelTest() | PersonTest() | Location() | Equals() | DateCmp():
            yield cond
        case _:
            assert_never(cond)


def label_thresholds(cond: Cond) -> Iterator[tuple[str, float]]:
    """Every (label, threshold) comparison a condition makes, those inside `person(...)` included."""
    for test in tests_in(cond):
        if isinstance(test, LabelTest):
            yield from test.thresholds
        elif isinstance(test, PersonTest):
            for term, _ in test.terms:
                yield from term.thresholds


def labels_of(cond: Cond) -> set[str]:
    """Every label key a condition may consult."""
    return {key for key, _ in label_thresholds(cond)}
