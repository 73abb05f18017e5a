"""AST to checked IR: resolve names, check types, report every problem found.

The checker never stops at the first error: each statement is checked on its
own and all diagnostics are returned, errors and warnings apart.
"""
from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from typing import Iterable, Sequence

from . import ir
from . import nodes as n
from .diagnostics import Diagnostic, close_matches, did_you_mean, suggestion
from .places import countries, country_of, is_country, is_subdivision, subdivisions
from .schema import LabelSchema

PLACE_FIELDS = ("country", "region")
ORDER_OPS = ("<", "<=", ">", ">=")


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
    # the value items written in each value set, nested sets expanded, with the set that holds each
    set_words: dict[str, tuple[tuple[n.Word, str], ...]] = field(default_factory=dict)
    checked_words: set[tuple[n.Span, str]] = field(default_factory=set)  # (item, field) pairs already checked
    broken_sets: set[str] = field(default_factory=set)  # sets whose definition did not parse
    jurisdictions: dict[n.Span, frozenset[str] | None] = field(default_factory=dict)

    def error(self, message: str, span: n.Span, help: str | None = None, code: str = "") -> None:
        self.diagnostics.append(Diagnostic("error", message, span.file, span.line, span.column, help,
                                           span.end_column if span.end_line == span.line else None, code))

    def warning(self, message: str, span: n.Span, help: str | None = None, code: str = "") -> None:
        self.diagnostics.append(Diagnostic("warning", message, span.file, span.line, span.column, help,
                                           span.end_column if span.end_line == span.line else None, code))


def check(files: Sequence[n.SourceFile], schema: LabelSchema) -> tuple[ir.Ruleset, list[Diagnostic]]:
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
    ruleset = ir.Ruleset(tuple(rules), sets, default, dict(ctx.thresholds), tuple(f.name for f in files))
    return ruleset, ctx.diagnostics


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
        _resolve_set(ctx, name, ())


def _resolve_set(ctx: _Context, name: str, stack: tuple[str, ...]) -> tuple[str, frozenset[str]] | None:
    """A set's kind ("places" or "words") and members, nested sets expanded."""
    sd = ctx.set_defs[name]
    if name in stack:
        ctx.error(f"set `{name}` includes itself", sd.span, " → ".join(stack + (name,)), "set-cycle")
        return None
    if name in ctx.set_values:
        return ctx.set_values[name]
    ctx.set_values[name] = None  # placeholder while resolving
    places: set[str] = set()
    words: set[str] = set()
    word_items: list[tuple[n.Word, str]] = []
    ok = True
    for item in sd.items.items:
        if isinstance(item, n.Word):
            words.add(item.text)
            word_items.append((item, name))
        elif item.name in ctx.set_defs:
            ctx.used_sets.add(item.name)
            inner = _resolve_set(ctx, item.name, stack + (name,))
            if inner is None:
                ok = False
                continue
            (places if inner[0] == "places" else words).update(inner[1])
            word_items.extend(ctx.set_words.get(item.name, ()))
        elif is_country(item.name) or is_subdivision(item.name):
            places.add(item.name)
        elif item.name in ctx.broken_sets:
            ok = False  # its definition has a syntax error, already reported
        else:
            _unknown_code(ctx, item)
            ok = False
    if places and words:
        ctx.error(f"set `{name}` mixes place codes and values", sd.span,
                  "a set holds either country/region codes or values such as `edit`", "mixed-set")
        ok = False
    if not sd.items.items:
        ctx.error(f"set `{name}` is empty, so a rule using it can never fire", sd.span, code="empty-set")
        ok = False
    result = ("places" if places else "words", frozenset(places or words)) if ok else None
    ctx.set_values[name] = result
    ctx.set_words[name] = tuple(word_items)
    return result


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
    pool = list(countries())
    if dash:
        pool = [c for c in subdivisions() if c.startswith(prefix + "-")] or list(subdivisions())
    if dash and is_country(prefix):
        msg = f"unknown region code `{ref.name}`"
    elif len(ref.name) == 2:
        msg = f"unknown country code `{ref.name}`"
    else:
        msg = f"`{ref.name}` is neither a defined set nor an ISO 3166 code"
    ctx.error(msg, ref.span, did_you_mean(ref.name, pool), "unknown-code")


def _suggest_set(ctx: _Context, name: str) -> str | None:
    """`did you mean` a defined set; that set then counts as used, so no spurious `never used` follows."""
    matches = close_matches(name, ctx.set_defs)
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
        if st.value == 0:
            ctx.warning(f"threshold 0 for `{st.pattern}` always holds: every score is at least 0", st.span,
                        "rules using the label then match whenever its detector runs; give a threshold above 0",
                        "always-holds")


def _collect_jurisdictions(ctx: _Context, statements: Iterable[n.Statement]) -> None:
    """Check each header once (not once per rule below it) and warn when a file has two."""
    last: dict[str, n.JurisdictionDef] = {}
    for st in statements:
        if not isinstance(st, n.JurisdictionDef):
            continue
        try:
            ctx.jurisdictions[st.span] = _place_codes(ctx, st.place, "country")
        except _Invalid:
            ctx.jurisdictions[st.span] = None
        before = last.get(st.span.file)
        if before is not None:
            ctx.warning(f"this `jurisdiction` header replaces `jurisdiction {_show(before.place)}` "
                        f"(line {before.span.line}) for the rules below it", st.span,
                        f"rules below it are limited to {_show(st.place)} only; to cover both write "
                        f"`jurisdiction {_union(before.place, st.place)}`, or put each in its own file",
                        "jurisdiction-replaced")
        last[st.span.file] = st


def _union(a: n.Ref | n.SetLit, b: n.Ref | n.SetLit) -> str:
    items = [_show(x) for p in (a, b) for x in (p.items if isinstance(p, n.SetLit) else (p,))]
    return "{" + ", ".join(dict.fromkeys(items)) + "}"


# --- labels -------------------------------------------------------------------

def _label_keys(ctx: _Context, pattern: n.LabelPattern) -> tuple[str, ...]:
    cats = ctx.schema.categories
    if pattern.category not in cats:
        ctx.error(f"unknown label category `{pattern.category}`", pattern.span,
                  did_you_mean(pattern.category, cats) or "known categories: " + ", ".join(sorted(cats)), "unknown-label")
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
                      did_you_mean(key, choices) or "known: " + ", ".join(choices), "unknown-label")
            bad = True
        keys.append(key)
    if bad:
        raise _Invalid
    return tuple(dict.fromkeys(keys))


def _label_test(ctx: _Context, label: n.Label) -> ir.LabelTest:
    keys = _label_keys(ctx, label.pattern)
    if label.threshold == 0:
        ctx.warning(f"`{label.pattern} >= 0` always holds: every score is at least 0", label.span,
                    "the test passes whenever the detector runs; give a threshold above 0", "always-holds")
    default = ctx.schema.default_threshold
    return ir.LabelTest(tuple((k, label.threshold if label.threshold is not None else ctx.thresholds.get(k, default))
                              for k in keys))


def _term(ctx: _Context, term) -> ir.Cond:
    if isinstance(term, n.Label):
        return _label_test(ctx, term)
    if isinstance(term, n.NotLabel):
        return ir.Not(_label_test(ctx, term.label))
    if isinstance(term, n.PersonScope):
        parts = []
        for t in term.terms:
            if isinstance(t, n.NotLabel):
                parts.append((_label_test(ctx, t.label), True))
            else:
                parts.append((_label_test(ctx, t), False))
        for key in {k for t, _ in parts for k, _ in t.thresholds}:
            if not ctx.schema.labels[key].person_level:
                ctx.warning(f"label `{key}` is never attributed to a single person, so `person(...)` only sees it "
                            "when the caller gives it per person", term.span, code="not-person-level")
        return ir.PersonTest(tuple(parts))
    return _expr(ctx, term)


# --- request conditions ---------------------------------------------------------

def _expr(ctx: _Context, e) -> ir.Cond:
    if isinstance(e, n.And):
        return ir.All(tuple(_collect(ctx, e.items)))
    if isinstance(e, n.Or):
        return ir.AnyOf(tuple(_collect(ctx, e.items)))
    if isinstance(e, n.Not):
        return ir.Not(_expr(ctx, e.item))
    if isinstance(e, n.Compare):
        return _compare(ctx, e)
    if isinstance(e, n.Member):
        return _member(ctx, e)
    return _term(ctx, e)


def _collect(ctx: _Context, items) -> list[ir.Cond]:
    """Check every operand even when one fails, so all errors are reported."""
    out, failed = [], False
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
            ctx.error(f"type mismatch: `date` is compared with a date such as `2026-01-31`, not `{_show(e.value)}`",
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
        ctx.error(f"`{fld} {e.op}` compares with one value, but `{_show(e.value)}` is a set", e.value.span,
                  f"write `{fld} {'not in' if e.op == '!=' else 'in'} {_show(e.value)}`", "type-mismatch")
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


def _value_test(ctx: _Context, fld: str, value) -> ir.Cond:
    if fld in PLACE_FIELDS:
        return ir.Location(fld, _place_codes(ctx, value, fld))
    return ir.Equals(fld, _words(ctx, fld, value))


def _members(ctx: _Context, value, fld: str, kind: str, literal, date_message: str) -> frozenset[str]:
    """The members of a value or set of values, with named sets of `kind` expanded.

    `literal(item)` checks one written item that is not a set name and returns
    its members, or None after reporting why it is wrong.  Every item is
    checked, so all mistakes in a set are reported together.
    """
    if isinstance(value, n.DateLit):
        ctx.error(f"type mismatch: {date_message}", value.span, code="type-mismatch")
        raise _Invalid
    items = value.items if isinstance(value, n.SetLit) else (value,)
    if isinstance(value, n.SetLit) and not items:
        ctx.error("empty set: this test can never match", value.span, code="empty-set")
        raise _Invalid
    members: set[str] = set()
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
                members |= resolved[1]
            continue
        found = literal(item)
        if found is None:
            bad = True
        else:
            members |= found
    if bad:
        raise _Invalid
    return frozenset(members)


def _lower_case_codes_hint(words: frozenset[str]) -> str | None:
    codes = sorted(w.upper() for w in words if is_country(w.upper()) or is_subdivision(w.upper()))
    if not codes:
        return None
    return "country and region codes are upper case: `{" + ", ".join(codes) + "}`"


def _place_codes(ctx: _Context, value, fld: str) -> frozenset[str]:
    if isinstance(value, n.Word) and not value.quoted:
        hint = f"country and region codes are upper case: `{value.text.upper()}`" if len(value.text) <= 6 else None
        ctx.error(f"`{value.text}` is not a country or region code", value.span, hint, "type-mismatch")
        raise _Invalid

    def code(item) -> set[str] | None:
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


def _words(ctx: _Context, fld: str, value) -> frozenset[str]:
    allowed = ctx.schema.fields.get(fld)
    example = (allowed or ("...",))[0]

    def word(item) -> set[str] | None:
        if isinstance(item, n.Ref):
            _not_a_value(ctx, fld, item, allowed or ())
            return None
        if allowed is not None and item.text not in allowed:
            ctx.error(f"unknown {fld} `{item.text}`", item.span,
                      did_you_mean(item.text, allowed) or "known: " + ", ".join(allowed), "unknown-value")
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
                  ref.span, did_you_mean(ref.name.lower(), allowed), "type-mismatch")
    else:
        ctx.error(f"`{ref.name}` is neither a defined set nor a value of `{fld}`", ref.span,
                  did_you_mean(ref.name.lower(), allowed) or f"`{fld}` takes " + ", ".join(f"`{v}`" for v in allowed),
                  "unknown-set")


def _set_words_fit(ctx: _Context, ref: n.Ref, fld: str) -> bool:
    """Check a value set's members against the field it is used with, once per member and field.

    A set is written apart from its uses, so `set PAID = {edti}` is only known to be wrong when
    `action in PAID` is seen; the error points at the member and names the use.
    """
    allowed = ctx.schema.fields.get(fld)
    if allowed is None:
        return True
    ok = True
    for item, owner in ctx.set_words.get(ref.name, ()):
        if item.text in allowed:
            continue
        ok = False
        if (item.span, fld) in ctx.checked_words:
            continue
        ctx.checked_words.add((item.span, fld))
        via = f"`{ref.name}`" + (f", which includes `{owner}`," if owner != ref.name else "")
        hint = did_you_mean(item.text, allowed)
        ctx.error(f"unknown {fld} `{item.text}` in set `{owner}`", item.span,
                  (hint or f"`{fld}` takes " + ", ".join(f"`{v}`" for v in allowed)) +
                  f" (set {via} is used with `{fld}` at {ref.span.file}:{ref.span.line})", "unknown-value")
    return ok


def _show(value) -> str:
    if isinstance(value, n.Ref):
        return value.name
    if isinstance(value, n.Word):
        return value.text
    if isinstance(value, n.DateLit):
        return value.value.isoformat()
    return "{" + ", ".join(_show(v) for v in value.items) + "}"


# --- rules --------------------------------------------------------------------

def _check_rules(ctx: _Context, statements: Sequence[n.Statement]) -> list[ir.Rule]:
    rules: list[ir.Rule] = []
    seen: dict[str, n.Span] = {}
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
            ctx.warning("this rule repeats an identical rule", span, f"first written at {first.file}:{first.line}",
                        "duplicate-rule")
            copy = 2
            while f"{rule_id}~{copy}" in seen:
                copy += 1
            rule_id = f"{rule_id}~{copy}"
        seen[rule_id] = span
        if rule is not None:
            rules.append(ir.Rule(rule_id, st.effect, rule[0], rule[1].get("cite"), rule[1].get("message"),
                                 rule[1].get("from"), rule[1].get("until"), st.span.file, st.span.line,
                                 st.span.column, st.name is not None, bool(rule[1].get("always"))))
    return rules


def _derived_id(rule: n.Rule) -> str:
    """A stable id from the file and the rule's own text: moving a rule keeps its id."""
    stem = rule.span.file.rsplit(".policy", 1)[0].replace("\\", "/").strip("/").replace("/", ".")
    digest = hashlib.sha1(f"{rule.span.file}\0{rule.text}".encode()).hexdigest()[:8]
    return f"{stem}-{digest}"


def _check_rule(ctx: _Context, rule: n.Rule) -> tuple[ir.Cond, dict] | None:
    clauses: dict[str, object] = {}
    ok = True
    for clause in rule.clauses:
        if clause.kind in clauses:
            ctx.error(f"`{clause.kind}` is given twice for this rule", clause.span, code="duplicate-clause")
            ok = False
        clauses[clause.kind] = clause.value
        if clause.kind in ("cite", "message") and not str(clause.value).strip():
            ctx.warning(f"empty `{clause.kind}`", clause.span,
                        "name the law or policy the rule implements, or leave the clause out" if clause.kind == "cite"
                        else "write what the user is told, or leave the clause out", "empty-text")
    parts: list[ir.Cond] = []
    origins: dict[ir.Cond, str] = {}  # conjuncts that come from the header or clauses, named as written
    if rule.jurisdiction is not None:
        codes = ctx.jurisdictions.get(rule.jurisdiction.span)
        if codes is None:
            ok = False  # the header's own error is reported once, at the header
        else:
            parts.append(ir.Location("country", codes))
            origins[parts[-1]] = f"the file's `jurisdiction {_show(rule.jurisdiction.place)}` " \
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
    if not rule.terms and rule.where is None and rule.jurisdiction is None:
        ctx.warning("this rule has no labels and no `where`, so it matches every request", rule.span,
                    f"to make `{rule.effect}` the effect when no rule matches write `default {rule.effect}`; "
                    "otherwise add labels or a `where` condition", "matches-everything")
    cond = _flatten(ir.All(tuple(parts)))
    reason = _never_fires(ctx, cond, origins)
    if reason is not None:
        ctx.error("rule can never fire: " + reason[0], rule.span, reason[1], "never-fires")
    return cond, clauses


def _flatten(cond: ir.Cond) -> ir.Cond:
    if isinstance(cond, ir.All):
        items: list[ir.Cond] = []
        for c in cond.items:
            c = _flatten(c)
            items.extend(c.items if isinstance(c, ir.All) else (c,))
        return items[0] if len(items) == 1 else ir.All(tuple(items))  # repeats are merged by the graph
    if isinstance(cond, ir.AnyOf):
        items = []
        for c in cond.items:
            c = _flatten(c)
            items.extend(c.items if isinstance(c, ir.AnyOf) else (c,))
        return items[0] if len(items) == 1 else ir.AnyOf(tuple(items))
    if isinstance(cond, ir.Not):
        inner = _flatten(cond.item)
        return inner.item if isinstance(inner, ir.Not) else ir.Not(inner)
    return cond


def _never_fires(ctx: _Context, cond: ir.Cond, origins: dict[ir.Cond, str]) -> tuple[str, str | None] | None:
    """Why the conjuncts of a rule's condition exclude each other (message, help), or None.

    Only top-level conjuncts are compared, so this is sound but not complete: a
    rule reported here can never match a request whose place, values and date are known.
    """
    if not isinstance(cond, ir.All):
        return None  # one test alone is checked where it is written
    conjuncts = cond.items
    return (_place_conflict(conjuncts, origins) or _value_conflict(ctx, conjuncts)
            or _date_conflict(conjuncts, origins))


def _place_tests(conjuncts: Sequence[ir.Cond]) -> list[tuple[ir.Cond, ir.Location, bool]]:
    out = []
    for c in conjuncts:
        if isinstance(c, ir.Location):
            out.append((c, c, False))
        elif isinstance(c, ir.Not) and isinstance(c.item, ir.Location):
            out.append((c, c.item, True))
    return out


def _places_possible(tests: Sequence[tuple[ir.Cond, ir.Location, bool]]) -> bool:
    """Whether one request place (country, region) passes every test.

    It is enough to try the places the positive tests name: any place that
    passes can be swapped for one of them (a region no test names for its
    country alone) and still pass.
    """
    candidates = {(country_of(code), code) if "-" in code else (code, None)
                  for _, loc, negated in tests if not negated for code in loc.codes}
    if not candidates:
        return True

    def passes(country: str, region: str | None) -> bool:
        for _, loc, negated in tests:
            inside = region in loc.codes if loc.field == "region" else (country in loc.codes or region in loc.codes)
            if inside == negated:
                return False
        return True

    return any(passes(c, r) for c, r in candidates)


def _place_conflict(conjuncts, origins) -> tuple[str, str | None] | None:
    tests = _place_tests(conjuncts)
    if len(tests) < 2 or _places_possible(tests):
        return None
    pair = next(((a, b) for i, a in enumerate(tests) for b in tests[i + 1:] if not _places_possible((a, b))), None)
    if pair is None:
        return "its place tests exclude each other: " + " and ".join(f"`{_written(c)}`" for c, _, _ in tests), None
    (ca, a, na), (cb, b, nb) = pair
    if a.field == b.field and na == nb:
        text = f"it requires the {a.field} {'not ' if na else ''}to be in {_codes(a.codes)} and in {_codes(b.codes)} at once"
    else:
        text = f"it requires the {a.field} {'not ' if na else ''}to be in {_codes(a.codes)} and " \
               f"the {b.field} {'not ' if nb else ''}to be in {_codes(b.codes)} at once"
    header = origins.get(ca) or origins.get(cb)
    if header:
        return text, f"{header} applies to every rule below it in the file"
    region = next((code for loc in (a, b) for code in sorted(loc.codes) if "-" in code), None)
    if region is not None and a.field != b.field:
        return text, f"a region lies within its own country: `{region}` is in `{country_of(region)}`"
    return text, None


def _value_conflict(ctx: _Context, conjuncts) -> tuple[str, str | None] | None:
    """`action = edit and action = generate`: no value of a closed field passes every test."""
    tests: dict[str, list[ir.Cond]] = {}
    for c in conjuncts:
        eq = c.item if isinstance(c, ir.Not) else c
        if isinstance(eq, ir.Equals):
            tests.setdefault(eq.field, []).append(c)
    for fld, found in tests.items():
        allowed = ctx.schema.fields.get(fld)
        left: set[str] | None = set(allowed) if allowed is not None else None
        for c in found:
            if isinstance(c, ir.Not):
                left = None if left is None else left - c.item.values
            else:
                left = set(c.values) if left is None else left & c.values
        if left is not None and not left and len(found) > 1:
            return f"no `{fld}` passes " + " and ".join(f"`{_written(c)}`" for c in found), None
    return None


def _written(c: ir.Cond) -> str:
    """A test as the author would write it: `action != edit` rather than `not (action = edit)`."""
    if isinstance(c, ir.Not) and isinstance(c.item, (ir.Equals, ir.Location)):
        return ir.describe(c.item).replace(" = ", " != ", 1).replace(" in {", " not in {", 1)
    return ir.describe(c)


_DAY = dt.timedelta(days=1)


def _date_conflict(conjuncts, origins) -> tuple[str, str | None] | None:
    """Date tests whose days do not overlap; `until`, `<` and `>` exclude the day they name."""
    low = high = None
    low_c = high_c = None
    for c in conjuncts:
        if not isinstance(c, ir.DateCmp):
            continue
        first = c.value + _DAY if c.op == ">" else c.value if c.op in (">=", "=") else None
        last = c.value - _DAY if c.op == "<" else c.value if c.op in ("<=", "=") else None
        if first is not None and (low is None or first > low):
            low, low_c = first, c
        if last is not None and (high is None or last < high):
            high, high_c = last, c
    if low is None or high is None or low <= high:
        return None
    named = [origins.get(c) or f"`{ir.describe(c)}`" for c in (low_c, high_c)]
    exclusive = any(c.op in ("<", ">") for c in (low_c, high_c))
    help = None
    if exclusive:
        help = "`until` is exclusive: the rule stops applying on that day" if high_c in origins \
            else "`<` and `>` exclude the day they name"
    return f"its dates exclude each other ({named[0]} and {named[1]})", help


def _codes(codes: frozenset[str]) -> str:
    items = sorted(codes)
    return f"`{items[0]}`" if len(items) == 1 else "{" + ", ".join(items) + "}"
