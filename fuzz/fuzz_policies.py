"""Grammar-aware fuzzing of the compiler: policy text shaped like `dsl/jurist.lark`, then broken.

Statements are drawn from the grammar's own productions (sets, defaults,
jurisdiction headers, thresholds, rules with label terms, persons, `where`
expressions and clauses), with tokens from the real vocabulary and places
beside wrong ones (misspelt labels, unknown or lower-case codes, bad dates,
unterminated strings, huge numbers).  A share of them is then mutated token by
token: dropped, repeated, swapped for another token, or interleaved with odd
characters (form feed, `\\x1c`–`\\x1e`, `\\x85`, U+2028/2029, bidi overrides,
ANSI escapes, NUL, lone surrogates) and comments, and deep nesting is drawn
now and then past the language's nesting limit.

`check_compile` is the property: the compiler never raises, reports every
problem as a diagnostic pointing into the text, renders them printable, and
what compiles decides; the editor's incremental compiler agrees with a fresh
compile.  The suite runs a bounded number of examples (tests/fuzz/); `fuzz/run.py`
runs it for as long as you like.
"""
from __future__ import annotations

import time
from typing import Mapping

from hypothesis import strategies as st

import jurist
from jurist.dsl.incremental import IncrementalCompiler
from jurist.engine.vocabulary import SCHEMA

LABELS = sorted(SCHEMA.labels)
BAD_LABELS = ["attire:bikinii", "nudity:*", "subject:", "x:y", "Attire:bikini", "attire:{bikini,", "intent:{}"]
PLACES = ["GB", "FR", "US", "US-CA", "GB-SCT", "GB-GLG", "FR-75C", "IN", "NO", "IS", "NA", "DE", "EU"]
BAD_PLACES = ["XX", "gb", "US-ZZ", "GBR", "G", "ZZ-9", "Gb"]
FIELDS = ["country", "region", "action", "surface", "date", "tier", "user.tier"]
WORDS = ["generate", "edit", "app", "web", "api", "free", "paid", "x"]
DATES = ["2026-01-01", "2026-12-31", "2024-02-29", "2026-02-30", "0000-00-00", "9999-99-99"]
NUMBERS = ["0.5", "0.3", "1", "0", ".7", "1.5", "0.", "1" + "0" * 400, "-0.5"]
STRINGS = ['"Protection of Children Act 1978"', '"a \\"quoted\\" cite"', '"unterminated', '""', '"tab\there"',
           '"\\x1b[31mred"']
KEYWORDS = ["set", "default", "jurisdiction", "threshold", "rule", "deny", "review", "allow", "where", "person",
            "not", "and", "or", "in", "not in", "cite", "message", "from", "until", "always", "=", "==", "!=", "<",
            "<=", ">", ">=", "(", ")", "{", "}", ",", ":", "#"]
ODD = ["\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029", "\u202e", "\x1b[2J", "\x00", "\ud800", "\ufeff",
       "\t", "\r\n", "\r", "\u00a0", "é", "𝔡𝔢𝔫𝔶"]
SEPARATORS = ["\n", "\n\n", " ", "\r\n", "\n# a comment\n", "\u2028", "\x0c\n", "\t\n"]
SET_NAMES = ["ZONE", "EUROPE", "S0", "ILLEGAL"]

VALUES = {"country": PLACES[:-1], "region": ["US-CA", "GB-SCT", "GB-GLG", "FR-75C"], "action": ["generate", "edit"],
          "surface": ["app", "web", "api"], "tier": ["free", "paid"], "user.tier": ["free", "paid"],
          "date": DATES[:3]}
mostly_valid = st.integers(0, 9).map(lambda n: n < 8)  # in a broken statement, eight tokens in ten are still valid


def _pick(good: list[str], bad: list[str], ok: bool) -> st.SearchStrategy[str]:
    """A valid token when `ok`, else mostly valid ones with wrong ones among them."""
    if ok:
        return st.sampled_from(good)
    return mostly_valid.flatmap(lambda valid: st.sampled_from(good if valid else bad))


def labels(ok: bool) -> st.SearchStrategy[str]:
    return _pick(LABELS + ["attire:*", "attire:{bikini, underwear}", "nudity:{exposed, partial,}"], BAD_LABELS, ok)


def places(ok: bool) -> st.SearchStrategy[str]:
    return _pick(PLACES[:-1], BAD_PLACES + SET_NAMES + ["EU"], ok)


@st.composite
def set_literals(draw: st.DrawFn, ok: bool, field: str = "country") -> str:
    pool = st.sampled_from(VALUES[field]) if ok else st.one_of(places(ok), st.sampled_from(WORDS + STRINGS))
    items = draw(st.lists(pool, min_size=1 if ok else 0, max_size=4))
    return "{" + ", ".join(items) + (draw(st.sampled_from(["}", ",}"])) if ok else
                                     draw(st.sampled_from(["}", ",}", ""])))


@st.composite
def label_terms(draw: st.DrawFn, ok: bool) -> str:
    term = draw(labels(ok))
    if draw(st.booleans()):
        term += f" >= {draw(st.sampled_from(NUMBERS[:5] if ok else NUMBERS))}"
    return f"not {term}" if draw(st.integers(0, 4)) == 0 else term


@st.composite
def persons(draw: st.DrawFn, ok: bool) -> str:
    return "person(" + " ".join(draw(st.lists(label_terms(ok), min_size=1 if ok else 0, max_size=3))) + ")"


@st.composite
def atoms(draw: st.DrawFn, ok: bool) -> str:
    field = draw(st.sampled_from(FIELDS))
    kind = draw(st.sampled_from(["compare", "member", "label", "person"]))
    if kind == "label":
        return draw(label_terms(ok))
    if kind == "person":
        return draw(persons(ok))
    if ok:
        if kind == "member" and field != "date":
            return f"{field} {draw(st.sampled_from(['in', 'not in', 'not  in']))} {draw(set_literals(True, field))}"
        ops = ["=", "!=", "<", "<=", ">", ">="] if field == "date" else ["=", "!="]
        return f"{field} {draw(st.sampled_from(ops))} {draw(st.sampled_from(VALUES[field]))}"
    value = draw(st.one_of(places(ok), st.sampled_from(WORDS + DATES + STRINGS), set_literals(ok)))
    if kind == "member":
        return f"{field} {draw(st.sampled_from(['in', 'not in', 'notin']))} {value}"
    return f"{field} {draw(st.sampled_from(['=', '==', '!=', '<', '<=', '>', '>=', '=>']))} {value}"


def expressions(ok: bool, depth: int = 3) -> st.SearchStrategy[str]:
    if depth == 0:
        return atoms(ok)
    inner = expressions(ok, depth - 1)
    shapes = [
        atoms(ok),
        st.tuples(inner, st.sampled_from(["and", "or"] if ok else ["and", "or", "and not", "or or"]),
                  inner).map(lambda t: " ".join(t)),
        inner.map(lambda e: f"({e})"),
        inner.map(lambda e: f"not {e}"),
    ]
    if not ok:
        shapes += [
            st.tuples(st.integers(90, 140), atoms(ok)).map(lambda t: "not " * t[0] + t[1]),  # past the nesting limit
            st.tuples(st.integers(90, 140), atoms(ok)).map(lambda t: "(" * t[0] + t[1] + ")" * t[0]),
            st.tuples(st.integers(20, 60), atoms(ok)).map(lambda t: "not#c\n" * t[0] + t[1]),  # comments in `not`s
        ]
    return st.one_of(*shapes)


@st.composite
def rules(draw: st.DrawFn, ok: bool) -> str:
    parts = []
    if draw(st.booleans()):
        names = ["r1", "r2", "minors", "r.1", "R-2", "x"]
        parts.append(f"rule {draw(_pick(names, ['1bad', 'a b', ''], ok))}:")
    parts.append(draw(_pick(["deny", "review", "allow"], ["denied", "Deny", "block"], ok)))
    parts.extend(draw(st.lists(st.one_of(label_terms(ok), persons(ok)), max_size=3)))
    if draw(st.booleans()):
        parts.append("where " + draw(expressions(ok)))
    for clause in draw(st.lists(st.sampled_from(["cite", "message", "from", "until", "always"]), max_size=3)):
        if clause in ("cite", "message"):
            parts.append(f"{clause} {draw(_pick(STRINGS[:2], STRINGS[2:], ok))}")
        elif clause in ("from", "until"):
            parts.append(f"{clause} {draw(_pick(DATES[:3], DATES[3:], ok))}")
        else:
            parts.append(clause)
    return " ".join(parts)


def statements(ok: bool) -> st.SearchStrategy[str]:
    return st.one_of(
        rules(ok), rules(ok), rules(ok),
        st.tuples(_pick(SET_NAMES, ["lower", "X-1"], ok), set_literals(ok)).map(lambda t: f"set {t[0]} = {t[1]}"),
        _pick(["deny", "review", "allow"], ["maybe", ""], ok).map(lambda e: f"default {e}"),
        st.one_of(places(ok), set_literals(ok)).map(lambda p: f"jurisdiction {p}"),
        st.tuples(labels(ok), st.sampled_from(NUMBERS[:5] if ok else NUMBERS)).map(lambda t: f"threshold {t[0]} {t[1]}"),
    )


@st.composite
def mutated(draw: st.DrawFn, statement: str) -> str:
    """`statement` with one token dropped, repeated, replaced, or odd characters and comments put in."""
    tokens = statement.split(" ")
    edit = draw(st.sampled_from(["drop", "repeat", "replace", "odd", "comment", "none"]))
    if edit == "none" or not tokens:
        return statement
    at = draw(st.integers(0, len(tokens) - 1))
    if edit == "drop":
        del tokens[at]
    elif edit == "repeat":
        tokens.insert(at, tokens[at] * draw(st.integers(1, 3)))
    elif edit == "replace":
        tokens[at] = draw(st.sampled_from(KEYWORDS + LABELS + BAD_LABELS + PLACES + BAD_PLACES + NUMBERS + DATES))
    elif edit == "odd":
        tokens[at] = draw(st.sampled_from(ODD)).join([tokens[at][:1], tokens[at][1:]])
    else:
        tokens.insert(at, "#" + draw(st.text(max_size=8)) + "\n")
    return " ".join(tokens)


@st.composite
def policy_texts(draw: st.DrawFn) -> str:
    """One file's text: grammar-shaped statements, in half the files some broken and oddly separated."""
    ok = draw(st.booleans())
    out = []
    for statement in draw(st.lists(statements(ok), min_size=0, max_size=8)):
        out.append(statement if ok or draw(st.integers(0, 2)) else draw(mutated(statement)))
        out.append(draw(st.sampled_from(SEPARATORS[:5] if ok else SEPARATORS)))
    return "".join(out)


@st.composite
def rulesets(draw: st.DrawFn) -> dict[str, str]:
    """One to three files, named as rulesets name them (places, folders), some oddly."""
    names = draw(st.lists(st.sampled_from(["gb.policy", "fr.policy", "us/ca.policy", "common.policy",
                                           "evil\x1b[31m.policy", "a b.policy", "ünï.policy"]),
                          min_size=1, max_size=3, unique=True))
    return {name: draw(policy_texts()) for name in names}


def check_compile(sources: Mapping[str, str]) -> tuple[float, bool]:
    """The compiler's contract on any text; returns the compile's seconds and whether it compiled, to report."""
    started = time.perf_counter()
    result = jurist.compile_sources(dict(sources))
    elapsed = time.perf_counter() - started
    for d in result.diagnostics:
        assert d.severity in ("error", "warning") and d.message, d
        assert d.file in sources and d.line >= 1 and d.column >= 1, d
    rendered = result.render()
    assert all(ch.isprintable() or ch in "\n\t" for ch in rendered), "a diagnostic printed a control character"
    if result.ok:
        assert result.graph is not None and result.ruleset is not None
        assert len(result.graph.rules) == len(result.ruleset.rules)
        policy = jurist.Policy.from_sources(dict(sources))
        assert policy.decide({"country": "GB"}).effect in ("deny", "review", "allow")
    editor = IncrementalCompiler(SCHEMA)
    editor.compile({name: "deny x\n" + text for name, text in sources.items()})  # the edit before this text
    again = editor.compile(sources)
    assert [d.to_json() for d in again.diagnostics] == [d.to_json() for d in result.diagnostics]
    return elapsed, result.ok
