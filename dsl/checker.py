"""AST to checked IR: resolve names, check types, report every problem found.

The checker never stops at the first error: each statement is checked on its
own and all diagnostics are returned, errors and warnings apart.  What it
checks is whether a ruleset means something (names, codes, labels, types);
whether it means something sensible (rules that never fire or always match,
shadowed rules) is judged afterwards by `lints`, from what the checker returns.
"""
from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from typing import Callable, Collection, Iterable, Mapping, Sequence, assert_never

from . import ir
from . import nodes as n
from .diagnostics import Diagnostic, close_matches, suggestion
from .languages import canonical_tag, is_known
from .places import countries, is_country, is_subdivision, subdivisions, subdivisions_of
from .schema import LabelSchema

PLACE_FIELDS = ("country", "region")
ORDER_OPS = ("<", "<=", ">", ">=")

MAX_SET_MEMBERS = 2_000_000
"""Codes and values copied out of sets in one compile, at most: each set and each test holds its
own copy of its members (a set used alone is shared, not copied), so twenty thousand rules each
naming every subdivision plus one code would hold a hundred million."""

SUGGESTION_BUDGET = 300_000
"""Candidates compared for `did you mean` hints in one compile, at most.  A thousand misspelt
region codes, each compared with all 5,046 ISO subdivisions, took ten seconds; past the
budget, errors are still reported, without a hint."""


@dataclass(frozen=True, slots=True)
class CheckedRule:
    """A rule whose every part checked, with its condition and where each conjunct came from."""

    syntax: n.Rule
    condition: ir.Cond
    # conjuncts that come from the file's header or the rule's clauses, named as written
    origins: Mapping[ir.Cond, str]


@dataclass(frozen=True)
class Checked:
    """What the checker found: the IR, its diagnostics, and what the lints judge."""

    ruleset: ir.Ruleset
    diagnostics: tuple[Diagnostic, ...]
    rules: tuple[CheckedRule, ...]                 # in the order written, repeats and duplicates included
    repeated: tuple[tuple[n.Span, n.Span], ...]   # (an unnamed rule, the identical rule written first)
    headers: Mapping[n.Span, frozenset[str] | None]  # each `jurisdiction` header's codes (None: invalid)


class _Invalid(Exception):
    """A sub-expression could not be checked; its diagnostic is already recorded."""


@dataclass
class _Context:
    schema: LabelSchema
    diagnostics: list[Diagnostic] = field(default_factory=list)
    set_defs: dict[str, n.SetDef] = field(default_factory=dict)
    set_values: dict[str, tuple[str, frozenset[str]] | None] = field(default_factory=dict)
    used_sets: set[str] = field(default_factory=set)
    thresholds: dict[str, float] = field(default_factory=dict)
    set_words: dict[str, tuple[n.Word, ...]] = field(default_factory=dict)  # the values written in each set
    set_children: dict[str, tuple[str, ...]] = field(default_factory=dict)  # the sets each set includes
    words_fit: dict[tuple[str, str], bool] = field(default_factory=dict)  # (set, field): all its values fit
    checked_words: set[tuple[n.Span, str]] = field(default_factory=set)  # (item, field) pairs already checked
    members_left: int = MAX_SET_MEMBERS
    broken_sets: set[str] = field(default_factory=set)  # sets whose definition did not parse
    jurisdictions: dict[n.Span, frozenset[str] | None] = field(default_factory=dict)
    checked_rules: list[CheckedRule] = field(default_factory=list)
    repeated: list[tuple[n.Span, n.Span]] = field(default_factory=list)
    suggestion_budget: int = SUGGESTION_BUDGET

    def error(self, message: str, span: n.Span, help: str | None = None, code: str = "") -> None:
        self.diagnostics.append(Diagnostic.at(span, "error", message, help, code))

    def warning(self, message: str, span: n.Span, help: str | None = None, code: str = "") -> None:
        self.diagnostics.append(Diagnostic.at(span, "warning", message, help, code))

    def close_matches(self, word: str, candidates: Collection[str]) -> list[str]:
        """`diagnostics.close_matches`, within the compile's `SUGGESTION_BUDGET`."""
        if len(candidates) > self.suggestion_budget:
            return []
        self.suggestion_budget -= len(candidates)
        return close_matches(word, candidates)

    def did_you_mean(self, word: str, candidates: Collection[str]) -> str | None:
        return suggestion(self.close_matches(word, candidates))


def check(files: Sequence[n.SourceFile], schema: LabelSchema) -> Checked:
    ctx = _Context(schema)
    statements = [st for f in files for st in f.statements]
    for st in statements:
        if isinstance(st, n.Unparsed):
            # A statement lost to a syntax error: its set is not "undefined" and the sets it uses are not unused.
            ctx.used_sets.update(st.names)
            if st.defines:
                ctx.broken_sets.add(st.defines)
    _collect_sets(ctx, statements)
    default = _collect_default(ctx, statements)
    _collect_thresholds(ctx, statements)
    _collect_jurisdictions(ctx, statements)
    rules = _check_rules(ctx, statements)
    for name, sd in ctx.set_defs.items():
        if name not in ctx.used_sets:
            ctx.warning(f"set `{name}` is never used", sd.span, code="unused-set")
    sets = {k: v[1] for k, v in ctx.set_values.items() if v is not None}
    headers = tuple(ir.Jurisdiction(st.span.file, n.written(st.place), codes) for st in statements
                    if isinstance(st, n.JurisdictionDef) and (codes := ctx.jurisdictions.get(st.span)) is not None)
    ruleset = ir.Ruleset(tuple(rules), sets, default, dict(ctx.thresholds), tuple(f.name for f in files), headers)
    return Checked(ruleset, tuple(ctx.diagnostics), tuple(ctx.checked_rules), tuple(ctx.repeated),
                   dict(ctx.jurisdictions))


# --- sets -------------------------------------------------------------------

def _collect_sets(ctx: _Context, statements: Iterable[n.Statement]) -> None:
    for st in statements:
        if not isinstance(st, n.SetDef):
            continue
        if st.name in ctx.set_defs:
            first = ctx.set_defs[st.name].span
            ctx.error(f"set `{st.name}` is defined twice", st.span, f"first defined at {first.file}:{first.line}",
                      "duplicate-set")
            continue
        if is_country(st.name) or is_subdivision(st.name):
            ctx.error(f"set name `{st.name}` is an ISO code", st.span,
                      f"choose a name that is not a country or region code, such as `{st.name}_SET`", "set-name-is-code")
            continue
        ctx.set_defs[st.name] = st
    for name in list(ctx.set_defs):
        _resolve_set(ctx, name)


@dataclass
class _Resolving:
    """A set being resolved: how far through its items, and what they hold so far."""

    name: str
    next: int = 0
    places: set[str] = field(default_factory=set)
    words: set[str] = field(default_factory=set)
    included: list[tuple[str, frozenset[str]]] = field(default_factory=list)  # resolved sets it includes
    ok: bool = True


def _resolve_set(ctx: _Context, root: str) -> None:
    """Each set's kind ("places" or "words") and members, nested sets expanded.

    Depth first, with a stack of its own rather than recursion: a chain of
    thousands of sets, each including the next, must not exhaust Python's stack.
    """
    if root in ctx.set_values:
        return
    stack = [_Resolving(root)]
    on_stack = {root}
    ctx.set_values[root] = None  # placeholder while resolving
    while stack:
        top = stack[-1]
        items = ctx.set_defs[top.name].items.items
        if top.next == len(items):
            stack.pop()
            on_stack.discard(top.name)
            result = _resolved(ctx, top)
            if stack:
                _include(stack[-1], result)
            continue
        item = items[top.next]
        top.next += 1
        if isinstance(item, n.Word):
            top.words.add(item.text)
        elif item.name in ctx.set_defs:
            ctx.used_sets.add(item.name)
            if item.name in on_stack:
                path = [f.name for f in stack] + [item.name]
                cycle = path[path.index(item.name):]
                ctx.error(f"set `{item.name}` includes itself", ctx.set_defs[item.name].span, " → ".join(cycle),
                          "set-cycle")
                top.ok = False
            elif item.name in ctx.set_values:
                _include(top, ctx.set_values[item.name])
            else:
                ctx.set_values[item.name] = None
                stack.append(_Resolving(item.name))
                on_stack.add(item.name)
        elif is_country(item.name) or is_subdivision(item.name):
            top.places.add(item.name)
        elif item.name in ctx.broken_sets:
            top.ok = False  # its definition has a syntax error, already reported
        else:
            _unknown_code(ctx, item)
            top.ok = False


def _include(into: _Resolving, inner: tuple[str, frozenset[str]] | None) -> None:
    if inner is None:
        into.ok = False
    else:
        into.included.append(inner)


def _resolved(ctx: _Context, done: _Resolving) -> tuple[str, frozenset[str]] | None:
    sd = ctx.set_defs[done.name]
    ctx.set_words[done.name] = tuple(item for item in sd.items.items if isinstance(item, n.Word))
    ctx.set_children[done.name] = tuple(item.name for item in sd.items.items
                                        if isinstance(item, n.Ref) and item.name in ctx.set_defs)
    ok = done.ok
    kinds = {kind for kind, _ in done.included}
    if done.places:
        kinds.add("places")
    if done.words:
        kinds.add("words")
    if kinds == {"places", "words"}:
        ctx.error(f"set `{done.name}` mixes place codes and values", sd.span,
                  "a set holds either country/region codes or values such as `edit`", "mixed-set")
        ok = False
    if not sd.items.items:
        ctx.error(f"set `{done.name}` is empty, so a rule using it can never fire", sd.span, code="empty-set")
        ok = False
    members = _union(ctx, [done.places, done.words] + [m for _, m in done.included], sd.span) if ok else None
    result = ("places" if "places" in kinds else "words", members) if members is not None else None
    ctx.set_values[done.name] = result
    return result


def _union(ctx: _Context, parts: Sequence[Collection[str]], span: n.Span) -> frozenset[str] | None:
    """The members of all `parts`; one part alone is shared, not copied.  None past `MAX_SET_MEMBERS`."""
    given = [p for p in parts if p]
    if len(given) == 1 and isinstance(given[0], frozenset):
        return given[0]
    if not _take_members(ctx, sum(len(p) for p in given), span):
        return None
    return frozenset().union(*given)


def _take_members(ctx: _Context, count: int, span: n.Span) -> bool:
    """Whether `count` more members may be copied out of sets (`MAX_SET_MEMBERS`); says so once when not."""
    if count <= ctx.members_left:
        ctx.members_left -= count
        return True
    if ctx.members_left >= 0:
        ctx.error(f"sets expand to more than {MAX_SET_MEMBERS:,} codes and values in all", span,
                  "each use of a set copies its members; use fewer, smaller sets, or name one set per test",
                  "too-large")
        ctx.members_left = -1
    return False


# Codes people write that ISO 3166 does not have, and what they mean.
_ALIASES = {"UK": "GB", "EL": "GR"}
_NOT_COUNTRIES = {
    "EU": "`EU` is not a country code; name the member states in a set: `set EU = {AT, BE, BG, ...}`",
    "EEA": "`EEA` is not a country code; name its members in a set: `set EEA = {EU, IS, LI, NO}`",
}


def _unknown_code(ctx: _Context, ref: n.Ref) -> None:
    if ref.name in _NOT_COUNTRIES:
        ctx.error(f"`{ref.name}` is neither a defined set nor an ISO 3166 code", ref.span,
                  _NOT_COUNTRIES[ref.name], "unknown-code")
        return
    prefix, dash, rest = ref.name.partition("-")
    if prefix in _ALIASES:
        code = _ALIASES[prefix] + dash + rest
        if is_country(code) or is_subdivision(code):
            ctx.error(f"unknown {'region' if dash else 'country'} code `{ref.name}`", ref.span,
                      f"the ISO 3166 code is `{code}` ({countries().get(code) or subdivisions()[code]})", "unknown-code")
            return
        prefix = _ALIASES[prefix]
    set_hint = _suggest_set(ctx, ref.name)
    if set_hint:
        ctx.error(f"`{ref.name}` is neither a defined set nor an ISO 3166 code", ref.span, set_hint, "unknown-code")
        return
    pool: Collection[str] = countries()
    if dash:
        pool = subdivisions_of(prefix) or subdivisions()
    if dash and is_country(prefix):
        msg = f"unknown region code `{ref.name}`"
    elif len(ref.name) == 2:
        msg = f"unknown country code `{ref.name}`"
    else:
        msg = f"`{ref.name}` is neither a defined set nor an ISO 3166 code"
    ctx.error(msg, ref.span, ctx.did_you_mean(ref.name, pool), "unknown-code")


def _suggest_set(ctx: _Context, name: str) -> str | None:
    """`did you mean` a defined set; that set then counts as used, so no spurious `never used` follows."""
    matches = ctx.close_matches(name, ctx.set_defs)
    ctx.used_sets.update(matches)
    return suggestion(matches)


# --- ruleset-wide statements --------------------------------------------------

def _collect_default(ctx: _Context, statements: Iterable[n.Statement]) -> str:
    first: n.DefaultDef | None = None
    in_file: dict[str, n.DefaultDef] = {}  # the same default in several files is consistent, so allowed
    for st in statements:
        if not isinstance(st, n.DefaultDef):
            continue
        earlier = in_file.setdefault(st.span.file, st)
        if first is None:
            first = st
        elif st.effect != first.effect:
            ctx.error(f"conflicting default: `default {st.effect}` here but `default {first.effect}` at "
                      f"{first.span.file}:{first.span.line}", st.span, "a ruleset has one default", "conflicting-default")
        elif earlier is not st:
            ctx.error(f"`default {st.effect}` is given twice", st.span,
                      f"first given at {earlier.span.file}:{earlier.span.line}; a file states the default once",
                      "duplicate-default")
    return first.effect if first else "allow"


def _collect_thresholds(ctx: _Context, statements: Iterable[n.Statement]) -> None:
    where: dict[str, n.Span] = {}
    for st in statements:
        if not isinstance(st, n.ThresholdDef):
            continue
        try:
            keys = _label_keys(ctx, st.pattern)
        except _Invalid:
            continue
        for key in keys:
            if key in where:
                ctx.error(f"threshold for `{key}` is set twice", st.span,
                          f"first set at {where[key].file}:{where[key].line}", "duplicate-threshold")
                continue
            where[key] = st.span
            ctx.thresholds[key] = st.value


def _collect_jurisdictions(ctx: _Context, statements: Iterable[n.Statement]) -> None:
    """Check each header once, not once per rule below it."""
    for st in statements:
        if not isinstance(st, n.JurisdictionDef):
            continue
        try:
            ctx.jurisdictions[st.span] = _place_codes(ctx, st.place, "country")
        except _Invalid:
            ctx.jurisdictions[st.span] = None


# --- labels -------------------------------------------------------------------

def _label_keys(ctx: _Context, pattern: n.LabelPattern) -> tuple[str, ...]:
    cats = ctx.schema.categories
    if pattern.category not in cats:
        ctx.error(f"unknown label category `{pattern.category}`", pattern.span,
                  ctx.did_you_mean(pattern.category, cats) or "known categories: " + ", ".join(sorted(cats)), "unknown-label")
        raise _Invalid
    if pattern.values is None:
        return tuple(f"{pattern.category}:{v}" for v in cats[pattern.category])
    keys = []
    bad = False
    for value in pattern.values:
        key = f"{pattern.category}:{value}"
        if key not in ctx.schema.labels:
            choices = [f"{pattern.category}:{v}" for v in cats[pattern.category]]
            ctx.error(f"unknown label `{key}`", pattern.span,
                      ctx.did_you_mean(key, choices) or "known: " + ", ".join(choices), "unknown-label")
            bad = True
        keys.append(key)
    if bad:
        raise _Invalid
    return tuple(dict.fromkeys(keys))


def _label_test(ctx: _Context, label: n.Label) -> ir.LabelTest:
    keys = _label_keys(ctx, label.pattern)
    default = ctx.schema.default_threshold
    return ir.LabelTest(tuple((k, label.threshold if label.threshold is not None else ctx.thresholds.get(k, default))
                              for k in keys))


def _person_test(ctx: _Context, scope: n.PersonScope) -> ir.PersonTest:
    parts: list[tuple[ir.LabelTest, bool]] = []
    for t in scope.terms:
        match t:
            case n.NotLabel():
                parts.append((_label_test(ctx, t.label), True))
            case n.Label():
                parts.append((_label_test(ctx, t), False))
            case _:
                assert_never(t)
    for key in {k for test, _ in parts for k, _ in test.thresholds}:
        if not ctx.schema.labels[key].person_level:
            ctx.warning(f"label `{key}` is never attributed to a single person, so `person(...)` only sees it "
                        "when the caller gives it per person", scope.span, code="not-person-level")
    return ir.PersonTest(tuple(parts))


# --- request conditions ---------------------------------------------------------

def _expr(ctx: _Context, e: n.Expr) -> ir.Cond:
    match e:
        case n.And():
            return ir.All(tuple(_collect(ctx, e.items)))
        case n.Or():
            return ir.AnyOf(tuple(_collect(ctx, e.items)))
        case n.Not():
            return ir.Not(_expr(ctx, e.item))
        case n.Compare():
            return _compare(ctx, e)
        case n.Member():
            return _member(ctx, e)
        case n.Label():
            return _label_test(ctx, e)
        case n.NotLabel():
            return ir.Not(_label_test(ctx, e.label))
        case n.PersonScope():
            return _person_test(ctx, e)
        case _:
            assert_never(e)


def _collect(ctx: _Context, items: Iterable[n.Expr]) -> list[ir.Cond]:
    """Check every operand even when one fails, so all errors are reported."""
    out: list[ir.Cond] = []
    failed = False
    for item in items:
        try:
            out.append(_expr(ctx, item))
        except _Invalid:
            failed = True
    if failed:
        raise _Invalid
    return out


def _field(ctx: _Context, name: str, span: n.Span) -> str:
    if name == "tier":
        ctx.error("unknown field `tier`", span, "did you mean `user.tier`?", "unknown-field")
        raise _Invalid
    return name


def _compare(ctx: _Context, e: n.Compare) -> ir.Cond:
    fld = _field(ctx, e.field, e.span)
    if fld == "date":
        if not isinstance(e.value, n.DateLit):
            ctx.error(f"type mismatch: `date` is compared with a date such as `2026-01-31`, not `{n.written(e.value)}`",
                      e.value.span, code="type-mismatch")
            raise _Invalid
        return ir.DateCmp(e.op, e.value.value)
    if e.op in ORDER_OPS:
        ctx.error(f"`{e.op}` only compares dates; `{fld}` is compared with `=`, `!=`, `in` or `not in`", e.span,
                  code="type-mismatch")
        raise _Invalid
    if isinstance(e.value, n.SetLit) or (isinstance(e.value, n.Ref) and e.value.name in ctx.set_defs):
        if isinstance(e.value, n.Ref):
            ctx.used_sets.add(e.value.name)  # misused, and reported so; "never used" would mislead
        ctx.error(f"`{fld} {e.op}` compares with one value, but `{n.written(e.value)}` is a set", e.value.span,
                  f"write `{fld} {'not in' if e.op == '!=' else 'in'} {n.written(e.value)}`", "type-mismatch")
        raise _Invalid
    cond = _value_test(ctx, fld, e.value)
    return ir.Not(cond) if e.op == "!=" else cond


def _member(ctx: _Context, e: n.Member) -> ir.Cond:
    fld = _field(ctx, e.field, e.span)
    if fld == "date":
        ctx.error("`in` does not apply to `date`; compare it with `<`, `>=` ...", e.span, code="type-mismatch")
        raise _Invalid
    cond = _value_test(ctx, fld, e.value)
    return ir.Not(cond) if e.negated else cond


def _value_test(ctx: _Context, fld: str, value: n.Value) -> ir.Cond:
    if fld in PLACE_FIELDS:
        return ir.Location(fld, _place_codes(ctx, value, fld))
    return ir.Equals(fld, _words(ctx, fld, value))


def _members(ctx: _Context, value: n.Value, fld: str, kind: str, literal: Callable[[n.Ref | n.Word], set[str] | None],
             date_message: str) -> frozenset[str]:
    """The members of a value or set of values, with named sets of `kind` expanded.

    `literal(item)` checks one written item that is not a set name and returns
    its members, or None after reporting why it is wrong.  Every item is
    checked, so all mistakes in a set are reported together.
    """
    if isinstance(value, n.DateLit):
        ctx.error(f"type mismatch: {date_message}", value.span, code="type-mismatch")
        raise _Invalid
    items: tuple[n.Ref | n.Word, ...] = value.items if isinstance(value, n.SetLit) else (value,)
    if isinstance(value, n.SetLit) and not items:
        ctx.error("empty set: this test can never match", value.span, code="empty-set")
        raise _Invalid
    parts: list[Collection[str]] = []
    bad = False
    for item in items:
        if isinstance(item, n.Ref) and item.name in ctx.broken_sets and item.name not in ctx.set_defs:
            bad = True  # its definition has a syntax error, already reported
            continue
        if isinstance(item, n.Ref) and item.name in ctx.set_defs:
            ctx.used_sets.add(item.name)
            resolved = ctx.set_values.get(item.name)
            if resolved is None:
                bad = True
            elif kind == "words" and not _set_words_fit(ctx, item, fld):
                bad = True
            elif resolved[0] != kind:
                message = (f"set `{item.name}` holds values, not country or region codes" if kind == "places" else
                           f"type mismatch: set `{item.name}` holds place codes, but `{fld}` takes values")
                ctx.error(message, item.span, _lower_case_codes_hint(resolved[1]) if kind == "places" else None,
                          "type-mismatch")
                bad = True
            else:
                parts.append(resolved[1])
            continue
        found = literal(item)
        if found is None:
            bad = True
        else:
            parts.append(found)
    members = None if bad else _union(ctx, parts, value.span)
    if members is None:
        raise _Invalid
    return members


def _lower_case_codes_hint(words: frozenset[str]) -> str | None:
    codes = sorted(w.upper() for w in words if is_country(w.upper()) or is_subdivision(w.upper()))
    if not codes:
        return None
    return "country and region codes are upper case: `{" + ", ".join(codes) + "}`"


def _place_codes(ctx: _Context, value: n.Value, fld: str) -> frozenset[str]:
    if isinstance(value, n.Word) and not value.quoted:
        hint = f"country and region codes are upper case: `{value.text.upper()}`" if len(value.text) <= 6 else None
        ctx.error(f"`{value.text}` is not a country or region code", value.span, hint, "type-mismatch")
        raise _Invalid

    def code(item: n.Ref | n.Word) -> set[str] | None:
        if isinstance(item, n.Word):
            ctx.error(f"`{item.text}` is not a country or region code", item.span,
                      f"country and region codes are upper case: `{item.text.upper()}`", "type-mismatch")
            return None
        if is_country(item.name) or is_subdivision(item.name):
            return {item.name}
        _unknown_code(ctx, item)
        return None

    codes = _members(ctx, value, fld, "places", code,
                     f"`{fld}` is compared with country or region codes, not a date")
    if fld == "region":
        whole = sorted(c for c in codes if is_country(c))
        if whole and len(whole) == len(codes):
            ctx.error(f"`{whole[0]}` is a country; `region` takes subdivision codes such as `US-CA`",
                      value.span, f"to match the whole country write `country = {whole[0]}`", "region-is-country")
            raise _Invalid
        if whole:
            ctx.warning(f"`region` never equals a country code: {', '.join(whole)} will not match", value.span,
                        "use `country` to cover a whole country", "region-is-country")
    return codes


def _words(ctx: _Context, fld: str, value: n.Value) -> frozenset[str]:
    allowed = ctx.schema.fields.get(fld)
    example = (allowed or ("...",))[0]

    def word(item: n.Ref | n.Word) -> set[str] | None:
        if isinstance(item, n.Ref):
            _not_a_value(ctx, fld, item, allowed or ())
            return None
        if allowed is not None and item.text not in allowed:
            ctx.error(f"unknown {fld} `{item.text}`", item.span,
                      ctx.did_you_mean(item.text, allowed) or "known: " + ", ".join(allowed), "unknown-value")
            return None
        return {item.text}

    return _members(ctx, value, fld, "words", word, f"`{fld}` takes values such as `{example}`, not a date")


def _not_a_value(ctx: _Context, fld: str, ref: n.Ref, allowed: Sequence[str]) -> None:
    """An upper-case name where `fld` wants a value: a misspelt set, a value in capitals, or a code."""
    example = (tuple(allowed) or ("...",))[0]
    set_hint = _suggest_set(ctx, ref.name)
    if set_hint:
        ctx.error(f"`{ref.name}` is not a defined set", ref.span, set_hint, "unknown-set")
    elif ref.name.lower() in allowed or is_country(ref.name) or is_subdivision(ref.name) or not allowed:
        ctx.error(f"type mismatch: `{fld}` takes values such as `{example}`, not `{ref.name}`",
                  ref.span, ctx.did_you_mean(ref.name.lower(), allowed), "type-mismatch")
    else:
        ctx.error(f"`{ref.name}` is neither a defined set nor a value of `{fld}`", ref.span,
                  ctx.did_you_mean(ref.name.lower(), allowed) or f"`{fld}` takes " + ", ".join(f"`{v}`" for v in allowed),
                  "unknown-set")


def _set_words_fit(ctx: _Context, ref: n.Ref, fld: str) -> bool:
    """Check a value set's members against the field it is used with, once per set and field.

    A set is written apart from its uses, so `set PAID = {edti}` is only known to be wrong when
    `action in PAID` is seen; the error points at the member and names the use.  The sets it
    includes are checked too, each once (depth first, without recursion).
    """
    allowed = ctx.schema.fields.get(fld)
    if allowed is None:
        return True
    pending = [(ref.name, False)]  # (set, whether the sets it includes are done)
    entered: set[str] = set()  # a cycle is reported where the sets are resolved; never loop on one here
    while pending:
        name, children_done = pending.pop()
        if (name, fld) in ctx.words_fit:
            continue
        children = ctx.set_children.get(name, ())
        if not children_done:
            entered.add(name)
            pending.append((name, True))
            pending.extend((child, False) for child in children if child not in entered)
            continue
        ok = all(ctx.words_fit.get((child, fld), True) for child in children)
        for item in ctx.set_words.get(name, ()):
            if item.text not in allowed:
                ok = False
                _unknown_set_word(ctx, item, name, ref, fld, allowed)
        ctx.words_fit[(name, fld)] = ok
    return ctx.words_fit[(ref.name, fld)]


def _unknown_set_word(ctx: _Context, item: n.Word, owner: str, ref: n.Ref, fld: str, allowed: Sequence[str]) -> None:
    if (item.span, fld) in ctx.checked_words:
        return
    ctx.checked_words.add((item.span, fld))
    via = f"`{ref.name}`" + (f", which includes `{owner}`," if owner != ref.name else "")
    hint = ctx.did_you_mean(item.text, allowed)
    ctx.error(f"unknown {fld} `{item.text}` in set `{owner}`", item.span,
              (hint or f"`{fld}` takes " + ", ".join(f"`{v}`" for v in allowed)) +
              f" (set {via} is used with `{fld}` at {ref.span.file}:{ref.span.line})", "unknown-value")


# --- rules --------------------------------------------------------------------

def _check_rules(ctx: _Context, statements: Sequence[n.Statement]) -> list[ir.Rule]:
    rules: list[ir.Rule] = []
    seen: dict[str, n.Span] = {}
    copies: dict[str, int] = {}  # the last `~N` given to each repeated id
    for st in statements:
        if not isinstance(st, n.Rule):
            continue
        try:
            rule = _check_rule(ctx, st)
        except RecursionError:  # the parser refuses deeper nesting; this guards hand-built syntax trees
            ctx.error("conditions nested too deep", st.span, code="too-deep")
            rule = None
        rule_id = st.name or _derived_id(st)
        span = st.name_span or st.span
        if rule_id in seen:
            first = seen[rule_id]
            if st.name:
                ctx.error(f"rule `{rule_id}` is defined twice", span, f"first defined at {first.file}:{first.line}",
                          "duplicate-rule")
                continue
            # An unnamed rule written twice: harmless but pointless, so keep both with distinct ids.
            ctx.repeated.append((span, first))
            copy = copies.get(rule_id, 1) + 1
            while f"{rule_id}~{copy}" in seen:
                copy += 1
            copies[rule_id] = copy
            rule_id = f"{rule_id}~{copy}"
        seen[rule_id] = span
        if rule is not None:
            clauses = rule.clauses
            rules.append(ir.Rule(rule_id, st.effect, rule.condition, _text(clauses.get("cite")),
                                 ir.default_message(rule.messages), _day(clauses.get("from")),
                                 _day(clauses.get("until")), st.span.file, st.span.line, st.span.column,
                                 st.name is not None, bool(clauses.get("always")),
                                 tuple((tag, text) for tag, text in rule.messages if tag is not None),
                                 rule.obligations))
    return rules


def _text(value: str | dt.date | bool | None) -> str | None:
    return value if isinstance(value, str) else None


def _day(value: str | dt.date | bool | None) -> dt.date | None:
    return value if isinstance(value, dt.date) else None


def _derived_id(rule: n.Rule) -> str:
    """A stable id from the file and the rule's own text: moving a rule keeps its id."""
    stem = rule.span.file.rsplit(".policy", 1)[0].replace("\\", "/").strip("/").replace("/", ".")
    digest = hashlib.sha1(f"{rule.span.file}\0{rule.text}".encode()).hexdigest()[:8]
    return f"{stem}-{digest}"


@dataclass(frozen=True, slots=True)
class _RuleParts:
    condition: ir.Cond
    clauses: Mapping[str, str | dt.date | bool]
    messages: tuple[tuple[str | None, str], ...]  # (language tag or None for the untagged one, text), as written
    obligations: tuple[ir.Obligation, ...]


def _check_clauses(ctx: _Context, rule: n.Rule) -> tuple[dict[str, str | dt.date | bool],
                                                          list[tuple[str | None, str]], list[ir.Obligation], bool]:
    """A rule's clauses: each at most once, except messages (once per language) and obligations."""
    clauses: dict[str, str | dt.date | bool] = {}
    messages: dict[str | None, tuple[str, n.Span]] = {}
    obligations: list[ir.Obligation] = []
    ok = True
    for clause in rule.clauses:
        if clause.kind == "message":
            tag = None if clause.tag is None else _language_tag(ctx, clause.tag, clause.tag_span or clause.span)
            if tag is None and clause.tag is not None:
                ok = False
            elif tag in messages:
                first = messages[tag][1]
                ctx.error(f"`message{' ' + tag if tag else ''}` is given twice for this rule", clause.span,
                          f"first given at line {first.line}", "duplicate-clause")
                ok = False
            else:
                messages[tag] = (str(clause.value), clause.span)
            continue
        if clause.kind == "obligate":
            obligation = _obligation(ctx, clause)
            if obligation is None:
                ok = False
            elif obligation in obligations:
                ctx.warning(f"`obligate {obligation.kind}` {obligation.value!r} is given twice for this rule",
                            clause.span, code="duplicate-clause")
            else:
                obligations.append(obligation)
            continue
        if clause.kind in clauses:
            ctx.error(f"`{clause.kind}` is given twice for this rule", clause.span, code="duplicate-clause")
            ok = False
        clauses[clause.kind] = clause.value
    return clauses, [(tag, text) for tag, (text, _) in messages.items()], obligations, ok


def _language_tag(ctx: _Context, written: str, span: n.Span) -> str | None:
    """A message's BCP 47 tag, its case made canonical (`pt-br` → `pt-BR`), or None after reporting why not.

    The language must be one the CLDR knows (through Babel), so a typo such as `pr` for `pt`
    cannot leave a message that no request ever chooses.
    """
    tag = canonical_tag(written)
    if not is_known(tag):
        ctx.error(f"`{written}` is not a known language tag", span,
                  "write a BCP 47 tag such as `pt`, `pt-BR` or `zh-Hant`", "unknown-language")
        return None
    return tag


def _obligation(ctx: _Context, clause: n.Clause) -> ir.Obligation | None:
    kind = clause.tag or ""
    known = ctx.schema.obligations
    if kind not in known:
        ctx.error(f"unknown obligation `{kind}`", clause.tag_span or clause.span,
                  ctx.did_you_mean(kind, known) or "known: " + ", ".join(f"`{k}`" for k in known), "unknown-obligation")
        return None
    return ir.Obligation(kind, str(clause.value))


def _check_rule(ctx: _Context, rule: n.Rule) -> _RuleParts | None:
    clauses, messages, obligations, ok = _check_clauses(ctx, rule)
    parts: list[ir.Cond] = []
    origins: dict[ir.Cond, str] = {}
    if rule.jurisdiction is not None:
        codes = ctx.jurisdictions.get(rule.jurisdiction.span)
        if codes is None:
            ok = False  # the header's own error is reported once, at the header
        else:
            parts.append(ir.Location("country", codes))
            origins[parts[-1]] = f"the file's `jurisdiction {n.written(rule.jurisdiction.place)}` " \
                                 f"(line {rule.jurisdiction.span.line})"
    try:
        parts.extend(_collect(ctx, rule.terms))
    except _Invalid:
        ok = False
    if rule.where is not None:
        try:
            parts.append(_expr(ctx, rule.where))
        except _Invalid:
            ok = False
    start, end = clauses.get("from"), clauses.get("until")
    if isinstance(start, dt.date) and isinstance(end, dt.date) and start >= end:
        span = next(c.span for c in rule.clauses if c.kind == "until")
        ctx.error(f"rule can never be in force: `from {start}` is not before `until {end}`", span,
                  "`until` is exclusive: the rule stops applying on that day", "never-in-force")
        ok = False
    if isinstance(start, dt.date):
        parts.append(ir.DateCmp(">=", start))
        origins[parts[-1]] = f"`from {start}`"
    if isinstance(end, dt.date):
        parts.append(ir.DateCmp("<", end))
        origins[parts[-1]] = f"`until {end}`"
    if not ok:
        return None
    cond = _flatten(ir.All(tuple(parts)))
    ctx.checked_rules.append(CheckedRule(rule, cond, origins))
    return _RuleParts(cond, clauses, tuple(messages), tuple(obligations))


def _flatten(cond: ir.Cond) -> ir.Cond:
    """Nested `and`s (and `or`s) as one, double negations dropped; repeats are merged by the graph."""
    match cond:
        case ir.All():
            items: list[ir.Cond] = []
            for c in cond.items:
                c = _flatten(c)
                items.extend(c.items if isinstance(c, ir.All) else (c,))
            return items[0] if len(items) == 1 else ir.All(tuple(items))
        case ir.AnyOf():
            alternatives: list[ir.Cond] = []
            for c in cond.items:
                c = _flatten(c)
                alternatives.extend(c.items if isinstance(c, ir.AnyOf) else (c,))
            return alternatives[0] if len(alternatives) == 1 else ir.AnyOf(tuple(alternatives))
        case ir.Not():
            inner = _flatten(cond.item)
            return inner.item if isinstance(inner, ir.Not) else ir.Not(inner)
        case ir.Location() | ir.Equals() | ir.DateCmp() | ir.LabelTest() | ir.PersonTest():
            return cond
        case _:
            assert_never(cond)
