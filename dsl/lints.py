"""Lints: whether a ruleset that means something means something sensible.

The checker decides what each statement means; these passes judge the result:
rules that can never fire or match every request, tests that always hold,
empty texts, a rule written twice, a `jurisdiction` header replaced by another,
and, once the evaluation graph is built, rules shadowed by broader ones.  Most
are warnings; a rule that can never fire is an error, since it is certainly
not what its author meant.
"""
from __future__ import annotations

import datetime as dt
from typing import Iterator, Mapping, Sequence, assert_never

from . import ir
from . import nodes as n
from .checker import Checked, CheckedRule
from .diagnostics import Diagnostic
from .graph import Graph, places_of, rule_implies
from .languages import ENGLISH, language_name, official_languages, primary
from .places import country_of, is_country, is_subdivision
from .schema import LabelSchema


def lint(files: Sequence[n.SourceFile], checked: Checked, schema: LabelSchema) -> list[Diagnostic]:
    """Every lint that needs only the statements and what the checker made of them."""
    out: list[Diagnostic] = []
    for f in files:
        out.extend(_header_lints(f.statements))
        out.extend(_header_place_lints(f, checked.headers))
        for st in f.statements:
            match st:
                case n.Rule():
                    out.extend(_clause_lints(st))
                    out.extend(_zero_threshold(label) for label in _labels(st) if label.threshold == 0)
                case n.ThresholdDef() if st.value == 0:
                    out.append(Diagnostic.at(
                        st.span, "warning", f"threshold 0 for `{st.pattern}` always holds: every score is at least 0",
                        "rules using the label then match whenever its detector runs; give a threshold above 0",
                        "always-holds"))
    for rule in checked.rules:
        out.extend(_rule_lints(rule, schema))
    for span, first in checked.repeated:
        out.append(Diagnostic.at(span, "warning", "this rule repeats an identical rule",
                                 f"first written at {first.file}:{first.line}", "duplicate-rule"))
    return out


def shadow_warnings(graph: Graph) -> list[Diagnostic]:
    """Rules that can never change a decision because a broader rule of the same effect covers them."""
    out = []
    for narrow, broad in sorted(graph.shadowed_by.items()):
        r, b = graph.rules[narrow].rule, graph.rules[broad].rule
        if "~" in r.id:
            continue  # an identical copy, already reported as such
        if rule_implies(b.condition, r.condition):
            message = f"rule `{r.id}` repeats rule `{b.id}` at {b.source}"
            help = "both have the same effect and condition; remove one of them"
        else:
            message = (f"rule `{r.id}` is shadowed by `{b.id}` ({b.source}), which has the same effect and a "
                       "broader condition")
            help = "it can never change a decision; remove it or narrow the other rule"
        own = [k for k, mine, theirs in (("cite", r.cite, b.cite), ("message", r.message, b.message))
               if mine and mine != theirs]
        if own and not r.always:
            # The engine skips a shadowed rule, so what it alone says would be lost from decisions.
            help = (f"its own {' and '.join(f'`{k}`' for k in own)} is only reported by exhaustive decisions; "
                    f"merge it into `{b.id}`, or mark this rule `always` to record it whenever it matches")
        out.append(Diagnostic("warning", message, r.file, r.line, r.column, help, None, "shadowed"))
    return out


# --- statements as written --------------------------------------------------------

def _header_lints(statements: Sequence[n.Statement]) -> Iterator[Diagnostic]:
    """A second `jurisdiction` header in a file replaces the first for the rules below it."""
    before: n.JurisdictionDef | None = None
    for st in statements:
        if not isinstance(st, n.JurisdictionDef):
            continue
        if before is not None:
            yield Diagnostic.at(
                st.span, "warning", f"this `jurisdiction` header replaces `jurisdiction {n.written(before.place)}` "
                f"(line {before.span.line}) for the rules below it",
                f"rules below it are limited to {n.written(st.place)} only; to cover both write "
                f"`jurisdiction {_union(before.place, st.place)}`, or put each in its own file",
                "jurisdiction-replaced")
        before = st


def _header_place_lints(file: n.SourceFile, headers: Mapping[n.Span, frozenset[str] | None]) -> Iterator[Diagnostic]:
    """A header that does not cover the place its file is named for, and rules written above the header.

    A rule above a file's first `jurisdiction` header is not limited by it: it
    applies in every country, which a reader of the file does not expect.
    """
    first = next((st for st in file.statements if isinstance(st, n.JurisdictionDef)), None)
    if first is None:
        return
    named = _place_named(file.name)
    if named is not None:
        for header in (st for st in file.statements if isinstance(st, n.JurisdictionDef)):
            codes = headers.get(header.span)
            if codes is not None and named not in codes and country_of(named) not in codes:
                within = any(country_of(code) == named for code in codes)
                yield Diagnostic.at(
                    header.span, "warning", f"`{file.name}` is named for `{named}`, but its `jurisdiction "
                    f"{n.written(header.place)}` header limits the rules below it to {_codes(codes)}",
                    f"rules under this header {'apply in only part of' if within else 'never apply in'} "
                    f"`{named}`; check the header, or name the file for the place it covers", "jurisdiction-file-name")
    for st in file.statements:
        if isinstance(st, n.JurisdictionDef):
            break
        if isinstance(st, n.Rule):
            yield Diagnostic.at(
                st.span, "warning", f"this rule is above the file's `jurisdiction {n.written(first.place)}` header "
                f"(line {first.span.line}), so it applies in every country",
                f"move it below the header to limit it to {n.written(first.place)}, or into a file without a "
                "header if it is meant for every country", "rule-above-jurisdiction")


def _place_named(file: str) -> str | None:
    """The ISO code a file is named for: `gb.policy` → GB, `us-ca.policy` and `us/ca.policy` → US-CA."""
    parts = file.replace("\\", "/").upper().split("/")
    stem = parts[-1].removesuffix(".POLICY")
    folder = parts[-2] if len(parts) > 1 else ""
    if is_country(folder) and is_subdivision(f"{folder}-{stem}"):
        return f"{folder}-{stem}"
    return stem if is_country(stem) or is_subdivision(stem) else None


def _union(a: n.Ref | n.SetLit, b: n.Ref | n.SetLit) -> str:
    items = [n.written(x) for p in (a, b) for x in (p.items if isinstance(p, n.SetLit) else (p,))]
    return "{" + ", ".join(dict.fromkeys(items)) + "}"


def _clause_lints(rule: n.Rule) -> Iterator[Diagnostic]:
    for clause in rule.clauses:
        if clause.kind in ("cite", "message") and not str(clause.value).strip():
            yield Diagnostic.at(clause.span, "warning", f"empty `{clause.kind}`",
                                "name the law or policy the rule implements, or leave the clause out"
                                if clause.kind == "cite" else "write what the user is told, or leave the clause out",
                                "empty-text")


def _zero_threshold(label: n.Label) -> Diagnostic:
    return Diagnostic.at(label.span, "warning", f"`{label.pattern} >= 0` always holds: every score is at least 0",
                         "the test passes whenever the detector runs; give a threshold above 0", "always-holds")


def _labels(rule: n.Rule) -> Iterator[n.Label]:
    """Every label test a rule writes, in its terms and its `where`, in the order written."""
    pending: list[n.Expr] = list(rule.terms) + ([rule.where] if rule.where is not None else [])
    pending.reverse()
    while pending:
        e = pending.pop()
        match e:
            case n.Label():
                yield e
            case n.NotLabel():
                yield e.label
            case n.PersonScope():
                pending.extend(reversed(e.terms))
            case n.And() | n.Or():
                pending.extend(reversed(e.items))
            case n.Not():
                pending.append(e.item)
            case n.Compare() | n.Member():
                pass
            case _:
                assert_never(e)


# --- checked rules ---------------------------------------------------------------

def _rule_lints(rule: CheckedRule, schema: LabelSchema) -> Iterator[Diagnostic]:
    syntax = rule.syntax
    if not syntax.terms and syntax.where is None and syntax.jurisdiction is None:
        yield Diagnostic.at(syntax.span, "warning", "this rule has no labels and no `where`, so it matches every request",
                            f"to make `{syntax.effect}` the effect when no rule matches write `default {syntax.effect}`; "
                            "otherwise add labels or a `where` condition", "matches-everything")
    reason = _never_fires(rule.condition, rule.origins, schema)
    if reason is not None:
        yield Diagnostic.at(syntax.span, "error", "rule can never fire: " + reason[0], reason[1], "never-fires")
    untranslated = _missing_languages(rule)
    if untranslated is not None:
        yield untranslated


def _missing_languages(rule: CheckedRule) -> Diagnostic | None:
    """A rule that tells users something, in places whose official languages (CLDR) it has no message in.

    A rule applying everywhere is not judged (it has no territory); an untagged message counts as
    English.  `message pt-BR` covers Portuguese wherever it is official.
    """
    tags = [c.tag for c in rule.syntax.clauses if c.kind == "message"]
    places = places_of(rule.condition)
    if not tags or places is None:
        return None
    have = primary(ENGLISH if tag is None else tag for tag in tags)
    missing: dict[str, list[str]] = {}
    for country in sorted({country_of(code) for code in places}):
        for language in official_languages(country):
            if language not in have:
                missing.setdefault(language, []).append(country)
    if not missing:
        return None
    named = [f"{language_name(lang)} (`{lang}`: {', '.join(where)})" for lang, where in sorted(missing.items())]
    first = sorted(missing)[0]
    syntax = rule.syntax
    return Diagnostic.at(syntax.name_span or syntax.span, "warning",
                         f"rule has no message in {len(missing)} official language(s) of the places it applies in: "
                         + "; ".join(named),
                         f"add `message {first} \"...\"` (and one for each language listed); users whose locale "
                         "has no message are told the untagged one", "missing-translation")


_Reason = tuple[str, str | None]  # message, help


def _never_fires(cond: ir.Cond, origins: Mapping[ir.Cond, str], schema: LabelSchema) -> _Reason | None:
    """Why the conjuncts of a rule's condition exclude each other, or None.

    Only top-level conjuncts are compared, so this is sound but not complete: a
    rule reported here can never match a request whose place, values and date are known.
    """
    if not isinstance(cond, ir.All):
        return None  # one test alone is checked where it is written
    conjuncts = cond.items
    return (_place_conflict(conjuncts, origins) or _value_conflict(conjuncts, schema)
            or _date_conflict(conjuncts, origins))


_PlaceTest = tuple[ir.Cond, ir.Location, bool]  # the conjunct, its place test, whether negated


def _place_tests(conjuncts: Sequence[ir.Cond]) -> list[_PlaceTest]:
    out: list[_PlaceTest] = []
    for c in conjuncts:
        if isinstance(c, ir.Location):
            out.append((c, c, False))
        elif isinstance(c, ir.Not) and isinstance(c.item, ir.Location):
            out.append((c, c.item, True))
    return out


def _places_possible(tests: Sequence[_PlaceTest]) -> bool:
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


def _place_conflict(conjuncts: Sequence[ir.Cond], origins: Mapping[ir.Cond, str]) -> _Reason | None:
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


def _value_conflict(conjuncts: Sequence[ir.Cond], schema: LabelSchema) -> _Reason | None:
    """`action = edit and action = generate`: no value of a closed field passes every test."""
    tests: dict[str, list[tuple[ir.Cond, ir.Equals, bool]]] = {}
    for c in conjuncts:
        negated = isinstance(c, ir.Not)
        eq = c.item if isinstance(c, ir.Not) else c
        if isinstance(eq, ir.Equals):
            tests.setdefault(eq.field, []).append((c, eq, negated))
    for fld, found in tests.items():
        allowed = schema.fields.get(fld)
        left: set[str] | None = set(allowed) if allowed is not None else None
        for _, eq, negated in found:
            if negated:
                left = None if left is None else left - eq.values
            else:
                left = set(eq.values) if left is None else left & eq.values
        if left is not None and not left and len(found) > 1:
            return f"no `{fld}` passes " + " and ".join(f"`{_written(c)}`" for c, _, _ in found), None
    return None


def _written(c: ir.Cond) -> str:
    """A test as the author would write it: `action != edit` rather than `not (action = edit)`."""
    if isinstance(c, ir.Not) and isinstance(c.item, (ir.Equals, ir.Location)):
        return ir.describe(c.item).replace(" = ", " != ", 1).replace(" in {", " not in {", 1)
    return ir.describe(c)


_DAY = dt.timedelta(days=1)


def _date_conflict(conjuncts: Sequence[ir.Cond], origins: Mapping[ir.Cond, str]) -> _Reason | None:
    """Date tests whose days do not overlap; `until`, `<` and `>` exclude the day they name."""
    low: tuple[dt.date, ir.DateCmp] | None = None   # the latest first day, and the test that sets it
    high: tuple[dt.date, ir.DateCmp] | None = None  # the earliest last day
    for c in conjuncts:
        if not isinstance(c, ir.DateCmp):
            continue
        first = c.value + _DAY if c.op == ">" else c.value if c.op in (">=", "=") else None
        last = c.value - _DAY if c.op == "<" else c.value if c.op in ("<=", "=") else None
        if first is not None and (low is None or first > low[0]):
            low = (first, c)
        if last is not None and (high is None or last < high[0]):
            high = (last, c)
    if low is None or high is None or low[0] <= high[0]:
        return None
    low_c, high_c = low[1], high[1]
    named = [origins.get(c) or f"`{ir.describe(c)}`" for c in (low_c, high_c)]
    help = None
    if any(c.op in ("<", ">") for c in (low_c, high_c)):
        help = "`until` is exclusive: the rule stops applying on that day" if high_c in origins \
            else "`<` and `>` exclude the day they name"
    return f"its dates exclude each other ({named[0]} and {named[1]})", help


def _codes(codes: frozenset[str]) -> str:
    items = sorted(codes)
    return f"`{items[0]}`" if len(items) == 1 else "{" + ", ".join(items) + "}"
