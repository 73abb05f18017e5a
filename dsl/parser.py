"""Text to AST: the Lark LALR parser and the transformer that builds our nodes.

Syntax errors are wrapped at this edge into `Diagnostic`s that say what was
found and what was expected.  After an error the parser resynchronises at the
next line that starts a statement, so one typo does not hide the rest.
"""
from __future__ import annotations

import calendar
import datetime as dt
import re
import threading
from bisect import bisect_right
from collections import OrderedDict
from dataclasses import dataclass, fields, replace
from functools import lru_cache
from typing import Any

from lark import Lark, Token, Transformer
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken, VisitError

from . import nodes as n
from .diagnostics import Diagnostic
from .keywords import STATEMENT_KEYWORDS, grammar_text

_STATEMENT_START = re.compile(r"^[ \t]*(?:%s)\b" % "|".join(STATEMENT_KEYWORDS), re.M)

# How each terminal is named to an author in "expected ..." messages.
TERMINAL_NAMES = {
    "EFFECT": "`deny`, `review` or `allow`", "UPPER": "a country code or set name", "NAME": "a value",
    "RULE_ID": "a rule name", "LABEL": "a label such as `attire:bikini`", "LABEL_GROUP": "a label group such as `attire:{bikini, underwear}`",
    "DATE": "a date such as `2026-01-31`", "NUMBER": "a number such as `0.7`", "STRING": 'a quoted text such as `"..."`',
    "FIELD": "a field (`country`, `region`, `action`, `user.tier`, `surface`, `date`)", "CMP": "a comparison (`=`, `!=`, `<`, `>=` ...)",
    "NOT_IN": "`not in`", "WHERE": "`where`", "LPAR": "`(`", "RPAR": "`)`", "LBRACE": "`{`", "RBRACE": "`}`",
    "COMMA": "`,`", "COLON": "`:`", "EQUAL": "`=`", "MORETHAN": "`>=`", "DOT": "`.`", "$END": "the end of the file",
}


def _describe_terminal(name: str, parser: Lark) -> str:
    if name in TERMINAL_NAMES:
        return TERMINAL_NAMES[name]
    try:
        pattern = parser.get_terminal(name).pattern
        if pattern.type == "str":
            return f"`{pattern.value}`"
    except KeyError:
        pass
    return name.lower()


def _span(file: str, first: Any, last: Any | None = None) -> n.Span:
    """A span from the first to the last token or node of a construct."""
    a = first if isinstance(first, (Token, n.Span)) else first.span
    if last is None:
        b = a
    else:
        b = last if isinstance(last, (Token, n.Span)) else last.span
    return n.Span(file, a.line, a.column, b.end_line, b.end_column, a.start_pos, b.end_pos)


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
        raise _NodeError(f"`{text}` is not a valid date", span, _date_help(text)) from None


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


# The checker, the graph and the engine walk conditions recursively; deeper nesting would exhaust the stack.
MAX_NESTING = 100


def _nesting(expr: n.Expr) -> int:
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


class _Builder(Transformer):
    """Builds frozen AST nodes inline, during the LALR parse (no intermediate tree)."""

    def __init__(self) -> None:
        super().__init__()
        self.file = "<input>"
        self.text = ""

    # values
    def ref(self, c):
        return n.Ref(str(c[0]), _span(self.file, c[0]))

    def word(self, c):
        return n.Word(str(c[0]), _span(self.file, c[0]))

    def string(self, c):
        """Values may be quoted: `"GB"` is the code GB and `"2026-01-01"` a date, as if written bare."""
        span = _span(self.file, c[0])
        text = _unquote(str(c[0]))
        if _DATE_TEXT.fullmatch(text):
            return n.DateLit(_date(text, span), span)
        return self.set_string(c)

    def set_string(self, c):
        text = _unquote(str(c[0]))
        if _UPPER_TEXT.fullmatch(text):
            return n.Ref(text, _span(self.file, c[0]))
        return n.Word(text, _span(self.file, c[0]), quoted=True)

    def date(self, c):
        return n.DateLit(_date(str(c[0]), _span(self.file, c[0])), _span(self.file, c[0]))

    def set_literal(self, c):
        items = tuple(x for x in c[1:-1] if x is not None)
        return n.SetLit(items, _span(self.file, c[0], c[-1]))

    # labels
    def label_one(self, c):
        tok = c[0]
        cat, _, value = str(tok).partition(":")
        return n.LabelPattern(cat, None if value == "*" else (value,), _span(self.file, tok))

    def label_group(self, c):
        head, names = c[0], c[1:]
        return n.LabelPattern(str(head)[:-2], tuple(str(x) for x in names), _span(self.file, head, names[-1]))

    def label(self, c):
        pattern = c[0]
        threshold = float(c[1]) if len(c) > 1 and c[1] is not None else None
        if threshold is not None and not 0.0 <= threshold <= 1.0:
            raise _NodeError(f"threshold `{c[1]}` is out of range", _span(self.file, c[1]), "scores and thresholds are between 0 and 1")
        return n.Label(pattern, threshold, _span(self.file, pattern, c[1] if threshold is not None else pattern))

    def not_label(self, c):
        return n.NotLabel(c[0], c[0].span)

    def person(self, c):
        return n.PersonScope(tuple(c), _span(self.file, c[0], c[-1]))

    # expressions
    def field(self, c):
        return (str(c[0]), _span(self.file, c[0]))

    def user_tier(self, c):
        return ("user.tier", None)

    def _field_span(self, fld, value):
        return _span(self.file, fld[1], value) if fld[1] is not None else value.span

    def compare(self, c):
        fld, op, value = c
        return n.Compare(fld[0], "=" if str(op) == "==" else str(op), value, self._field_span(fld, value))

    def member(self, c):
        if len(c) == 3:
            fld, _, value = c
            return n.Member(fld[0], True, value, self._field_span(fld, value))
        fld, value = c
        return n.Member(fld[0], False, value, self._field_span(fld, value))

    def or_(self, c):
        # The grammar reduces every operand through or_/and_; one operand is not a junction.
        return c[0] if len(c) == 1 else n.Or(tuple(c), _span(self.file, c[0], c[-1]))

    def and_(self, c):
        return c[0] if len(c) == 1 else n.And(tuple(c), _span(self.file, c[0], c[-1]))

    def not_(self, c):
        return n.Not(c[0], c[0].span)

    def where(self, c):
        return c[0]

    # clauses
    def cite(self, c):
        return n.Clause("cite", _unquote(str(c[0])), _span(self.file, c[0]))

    def message(self, c):
        return n.Clause("message", _unquote(str(c[0])), _span(self.file, c[0]))

    def valid_from(self, c):
        return n.Clause("from", _date(str(c[0]), _span(self.file, c[0])), _span(self.file, c[0]))

    def always(self, c):
        return n.Clause("always", True, _span(self.file, c[0]))

    def valid_until(self, c):
        return n.Clause("until", _date(str(c[0]), _span(self.file, c[0])), _span(self.file, c[0]))

    # statements
    def rule_name(self, c):
        return c[0]

    def rule(self, c):
        name_tok = c[0] if isinstance(c[0], Token) and c[0].type == "RULE_ID" else None
        rest = c[1:] if name_tok is not None else c
        effect_tok = rest[0]
        terms, where, clauses = [], None, []
        for item in rest[1:]:
            if isinstance(item, n.Clause):
                clauses.append(item)
            elif isinstance(item, (n.Label, n.NotLabel, n.PersonScope)) and where is None and not clauses:
                terms.append(item)
            else:
                where = item
        first = name_tok or effect_tok
        last = rest[-1]
        span = _span(self.file, first, last)
        text = " ".join(self.text[span.start_pos:span.end_pos].split())
        if where is not None and text.count("(") + text.count("not ") > MAX_NESTING and _nesting(where) > MAX_NESTING:
            raise _NodeError("conditions nested too deep", span,
                             f"at most {MAX_NESTING} levels of parentheses and `not`; split the rule into several")
        return n.Rule(str(name_tok) if name_tok else None, _span(self.file, name_tok) if name_tok else None,
                      str(effect_tok), tuple(terms), where, tuple(clauses), span, text)

    def set_def(self, c):
        name, items = c
        return n.SetDef(str(name), items, _span(self.file, name, items))

    def default_def(self, c):
        return n.DefaultDef(str(c[0]), _span(self.file, c[0]))

    def jurisdiction_def(self, c):
        return n.JurisdictionDef(c[0], c[0].span)

    def threshold_def(self, c):
        pattern, value = c
        if not 0.0 <= float(value) <= 1.0:
            raise _NodeError(f"threshold `{value}` is out of range", _span(self.file, value), "scores and thresholds are between 0 and 1")
        return n.ThresholdDef(pattern, float(value), _span(self.file, pattern, value))

    def start(self, c):
        return tuple(c)


class _NodeError(Exception):
    def __init__(self, message: str, span: n.Span, help: str | None = None):
        super().__init__(message)
        self.message, self.span, self.help = message, span, help


_LOCK = threading.Lock()


@lru_cache(maxsize=1)
def _parser() -> tuple[Lark, _Builder]:
    builder = _Builder()
    return Lark(grammar_text(), parser="lalr", transformer=builder, maybe_placeholders=True), builder


def grammar_parser() -> Lark:
    """The shared Lark parser, also used by the GUI's highlighter for its lexer."""
    return _parser()[0]


def _syntax_diagnostic(err: UnexpectedInput, file: str, text: str, lark: Lark, last: bool = True) -> Diagnostic:
    """The error as the author should read it; `last` says whether the statement ends the file."""
    line, column = getattr(err, "line", 1) or 1, getattr(err, "column", 1) or 1
    source_line = text.splitlines()[line - 1] if 0 < line <= len(text.splitlines()) else ""
    if isinstance(err, UnexpectedToken):
        tok = err.token
        described = _summarise({_describe_terminal(t, lark) for t in err.expected})
        help = _syntax_help(str(tok), tok.type, err.expected, described, source_line, column)
        expected = sorted(described, key=lambda d: (help is None or d not in help, d))
        if tok.type == "$END":
            return _end_diagnostic(text, file, tok.line or line, tok.column or column, expected, last)
        msg = f"unexpected `{tok}`, expected " + _join_or(expected)
        return Diagnostic("error", msg, file, line, column, help, column + len(str(tok)), "syntax")
    if isinstance(err, UnexpectedCharacters):
        char = text[err.pos_in_stream] if err.pos_in_stream < len(text) else "?"
        allowed = set(err.allowed or ())
        rest = text[err.pos_in_stream:].split("\n", 1)[0]
        negative = re.match(r"-(\d+(\.\d+)?|\.\d+)", rest)
        if negative and re.search(r"(>=|:[a-z0-9_*]+|})\s*$", source_line[:column - 1]):
            return Diagnostic("error", f"threshold `{negative.group()}` is out of range", file, line, column,
                              "scores and thresholds are between 0 and 1", column + len(negative.group()), "syntax")
        described = _summarise({_describe_terminal(t, lark) for t in allowed})
        help = _character_help(char, allowed, source_line, column)
        msg = f"unexpected character `{char}`"
        if described:
            msg += ", expected " + _join_or(sorted(described))
        return Diagnostic("error", msg, file, line, column, help, column + 1, "syntax")
    if isinstance(err, UnexpectedEOF):
        return Diagnostic("error", "unexpected end of file", file, line, column, None, None, "syntax")
    return Diagnostic("error", str(err).splitlines()[0], file, line, column, None, None, "syntax")


def _end_diagnostic(text: str, file: str, line: int, column: int, expected: list[str], last: bool) -> Diagnostic:
    """A statement cut short.  An unclosed bracket is the usual cause, so point at it.

    A statement ends where a line starts the next one, so "end of file" is only
    said of the last statement.
    """
    where = "the end of the file" if last else "the next statement"
    opened = _unclosed(text)
    if opened is not None:
        bracket, b_line, b_column = opened
        return Diagnostic("error", f"`{bracket}` is never closed", file, b_line, b_column,
                          f"expected {_join_or(expected)} before {where}", b_column + 1, "syntax")
    found = "end of file" if last else "end of statement"
    help = None if last else "a line that starts with `deny`, `rule`, `set` ... begins a new statement"
    return Diagnostic("error", f"unexpected {found}, expected " + _join_or(expected), file, line, column, help,
                      None, "syntax")


_BRACKETS = re.compile(r'"(?:\\.|[^"\\\n])*"?|#[^\n]*|[(){}]')


def _unclosed(text: str) -> tuple[str, int, int] | None:
    """The innermost `(` or `{` left open in a statement, with its line and column."""
    stack: list[int] = []
    for m in _BRACKETS.finditer(text):
        ch = m.group()
        if ch in "({":
            stack.append(m.start())
        elif ch in ")}" and stack:
            stack.pop()
    if not stack:
        return None
    pos = stack[-1]
    line_start = text.rfind("\n", 0, pos) + 1
    return text[pos], text.count("\n", 0, pos) + 1, pos - line_start + 1


_STARTERS = {"`deny`, `review` or `allow`", "`rule`", "`set`", "`default`", "`jurisdiction`", "`threshold`"}
_CLAUSES = {"`cite`", "`message`", "`from`", "`until`", "`always`"}
_LABELS = {TERMINAL_NAMES["LABEL"], TERMINAL_NAMES["LABEL_GROUP"]}


def _summarise(described: set[str]) -> set[str]:
    """Groups of alternatives said once, so the likely one is not cut off the end of the list."""
    if _STARTERS <= described:
        described = (described - _STARTERS) | {"a new statement (`deny`, `rule`, `set` ...)"}
    if _CLAUSES <= described:
        described = (described - _CLAUSES) | {"a clause (`cite`, `message`, `from`, `until`, `always`)"}
    if _LABELS <= described:
        described = (described - _LABELS) | {TERMINAL_NAMES["LABEL"]}
    return described


_FIELDS = ("country", "region", "action", "surface", "date", "user.tier", "tier", "user")
_KEYWORDS_UPPER = {"AND", "OR", "NOT", "IN", "WHERE", "DENY", "ALLOW", "REVIEW", "RULE", "SET"}
_WORDS = set(STATEMENT_KEYWORDS) | set(_FIELDS) | {"where", "and", "or", "not", "in", "cite", "message", "from",
                                                   "until", "always", "person"}
# Words people write for a clause keyword.
_SYNONYMS = {"msg": "message", "since": "from", "till": "until", "to": "until", "reason": "message",
             "law": "cite", "citation": "cite", "source": "cite", "text": "message", "starting": "from",
             "ending": "until", "expires": "until", "start": "from", "end": "until",
             "block": "deny", "forbid": "deny", "reject": "deny", "permit": "allow", "flag": "review"}


def _syntax_help(value: str, kind: str, expected: set[str], described: set[str], line: str, column: int) -> str | None:
    """A hint for the mistakes people really make, judged from the token and what was expected."""
    if kind == "UPPER" and value in _KEYWORDS_UPPER:
        return f"keywords are lower case; upper-case `{value}` is read as a country code or set name"
    if value in {"and", "or"} and "WHERE" in expected:
        return "labels after the effect all have to hold, with no `and` between them: " \
               "`deny attire:bikini subject:real_person`; conditions go after `where`"
    if value in _FIELDS and "WHERE" in expected:
        return f"conditions on the request start with `where`: `... where {value} ...`"
    if value in {"if", "when", "unless"}:
        return "conditions start with `where`"
    if "COLON" in expected:
        return _rule_name_help(line)
    if kind in {"NAME", "RULE_ID"} and line[column - 1 + len(value):column + len(value)] == ":" and \
            TERMINAL_NAMES["LABEL"] in described:
        after = line[column + len(value):].split()
        return f"a label is written without spaces: `{value}:{after[0] if after else '...'}`"
    if "STRING" in expected and kind in {"UPPER", "NAME", "RULE_ID", "NUMBER"}:
        return f'texts are written in double quotes: "{line[column - 1:].split("#")[0].strip()}"'
    case = _case_help(_written_at(line, column))
    if case:
        return case
    if "`>=`" in described and value in {">", "<", "<=", "="} and \
            "a comparison (`=`, `!=`, `<`, `>=` ...)" not in described:
        return "a label threshold is written `label >= 0.7`"
    if value == "(" and "LBRACE" in expected:
        return "sets are written with braces: `{GB, FR}`"
    if kind in {"NAME", "RULE_ID"} and "UPPER" in expected and len(value) == 2:
        return f"country codes are upper case: `{value.upper()}`"
    word = _word_at(line, column)
    if word and word[:1].isupper() and " " in _phrase_at(line, column):
        country = _country_named(_phrase_at(line, column))
        if country:
            return f"countries are written as ISO codes: `{country[0]}` for {country[1]}"
    if kind in {"NAME", "RULE_ID"}:
        return _keyword_help(value, described, column == _first_column(line))
    return None


def _keyword_help(value: str, described: set[str], starts_line: bool) -> str | None:
    """`did you mean` one of the keywords the parser would have taken here."""
    from .diagnostics import did_you_mean

    keywords = [k for d in described for k in re.findall(r"`([a-z]+)`", d)]
    if starts_line:
        keywords += STATEMENT_KEYWORDS
    if value in _SYNONYMS and _SYNONYMS[value] in keywords:
        return f"did you mean `{_SYNONYMS[value]}`?"
    return did_you_mean(value, dict.fromkeys(keywords))


def _rule_name_help(line: str) -> str:
    """`rule uk law: deny ...` and `rule uk_law deny ...`: the words of the name, then the effect."""
    words = line.split("#")[0].split()
    if words[:1] == ["rule"]:
        name: list[str] = []
        for w in words[1:]:
            if w in ("deny", "review", "allow"):
                return f"a rule name is one word followed by `:`: `rule {'_'.join(name) or 'NAME'}: {w} ...`"
            if w.endswith(":"):
                name.append(w[:-1])
                if ":" not in w[:-1] and len(name) > 1:
                    return f"a rule name is one word: `rule {'_'.join(name)}:`"
                break
            name.append(w)
    return "a rule is named `rule NAME: deny ...`, with a one-word name (letters, digits, `_`)"


def _written_at(line: str, column: int) -> str:
    """The whole word the error falls in, `:`, `-` and `.` included (`Attire:Bikini`, `US-Ca`)."""
    start = end = column - 1
    while start > 0 and (line[start - 1].isalnum() or line[start - 1] in "_:-.*"):
        start -= 1
    while end < len(line) and (line[end].isalnum() or line[end] in "_:-.*"):
        end += 1
    return line[start:end]


def _case_help(word: str) -> str | None:
    """Keywords and labels are lower case, codes upper case: say so when only the case is wrong."""
    if not word or word in (word.lower(), word.upper()):
        return None
    low, up = word.lower(), word.upper()
    if low in _WORDS or low in ("deny", "review", "allow"):
        return f"keywords are lower case: `{low}`"
    if re.fullmatch(r"[a-z][a-z0-9_]*:(\*|[a-z][a-z0-9_]*)", low):
        return f"labels are lower case: `{low}`"
    from .places import is_country, is_subdivision

    if is_country(up) or is_subdivision(up):
        return f"country and region codes are upper case: `{up}`"
    return None


def _character_help(char: str, allowed: set[str], line: str, column: int) -> str | None:
    if char == "'":
        return 'texts are written in double quotes: "..."'
    if char in "\u201c\u201d\u201e\u2018\u2019":
        return 'texts are written in straight double quotes: "...", not curly ones'
    if char == '"':
        return "a text must end with `\"` on the same line"
    if char == "%":
        return "scores and thresholds are between 0 and 1: write `0.5`, not `50%`"
    if "STRING" in allowed and (char.isalpha() or char.isdigit()):
        return f'texts are written in double quotes: "{line[column - 1:].split("#")[0].strip()}"'
    return None


def _first_column(line: str) -> int:
    return len(line) - len(line.lstrip()) + 1


def _word_at(line: str, column: int) -> str:
    """The word the error column falls in, or the one just before it."""
    i = column - 1
    start = i
    while start > 0 and line[start - 1].isalnum():
        start -= 1
    end = i
    while end < len(line) and line[end].isalnum():
        end += 1
    return line[start:end]


def _phrase_at(line: str, column: int) -> str:
    """Capitalised words around the error, e.g. `United Kingdom` in `country = United Kingdom`."""
    i = column - 1
    while i > 0 and (line[i - 1].isalpha() or line[i - 1] == " ") and not line[i - 2:i] in {"= ", "n "}:
        i -= 1
    rest = line[i:].split("#")[0]
    words = []
    for w in rest.split():
        if not w[:1].isupper():
            break
        words.append(w.strip(",}"))
    return " ".join(words)


def _country_named(phrase: str) -> tuple[str, str] | None:
    from .places import countries

    names = {name.lower(): code for code, name in countries().items()}
    hit = names.get(phrase.lower())
    if hit:
        return hit, countries()[hit]
    import difflib

    close = difflib.get_close_matches(phrase.lower(), list(names), n=1, cutoff=0.75)
    return (names[close[0]], countries()[names[close[0]]]) if close else None


def _join_or(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items) or "something else"
    if len(items) > 12:
        items = items[:12] + ["..."]
    return ", ".join(items[:-1]) + " or " + items[-1]


@dataclass(frozen=True, slots=True)
class _Chunk:
    """The parse of one statement's text, as it stood at `line`."""

    line: int
    statements: tuple
    diagnostics: tuple


_CHUNKS: OrderedDict[tuple[str, str, bool], _Chunk] = OrderedDict()  # (file, text, last in file) → parse
_CHUNK_CACHE_SIZE = 50_000


def parse(text: str, file: str = "<input>") -> tuple[n.SourceFile, list[Diagnostic]]:
    """Parse one file; returns its statements and every syntax error found.

    The file is cut into statements at each line that starts one.  Each
    statement's parse is remembered by its text, so re-parsing a file after an
    edit (as the editor does on every pause in typing) only parses the
    statements that changed; the others are reused, moved to their new lines.
    A file seen for the first time is parsed in one go, which is faster.
    After a syntax error the next statement is parsed afresh, so one typo does
    not hide the rest.  `jurisdiction` headers are attached to the rules below
    them here, so the checker sees each rule with the header in force there.
    """
    lark, builder = _parser()
    text = text.removeprefix("\ufeff")  # a byte-order mark some editors write; not part of the policy
    pieces = _statement_pieces(text)
    keys = [(file, piece, i == len(pieces) - 1) for i, (piece, _) in enumerate(pieces)]
    with _LOCK:
        found = [_CHUNKS.get(key) for key in keys]
        missing = sum(chunk is None for chunk in found)
        if missing > max(8, len(pieces) // 4):
            whole = _parse_whole(text, file, pieces, lark, builder)
            if whole is not None:
                found = whole
        statements: list[n.Statement] = []
        diagnostics: list[Diagnostic] = []
        for key, (piece, line), chunk in zip(keys, pieces, found):
            if chunk is None:
                chunk = _parse_piece(piece, line, file, lark, builder, key[2])
            elif chunk.line != line:
                chunk = _Chunk(line, _shift(chunk.statements, line - chunk.line),
                               tuple(replace(d, line=d.line + line - chunk.line) for d in chunk.diagnostics))
            _remember(key, chunk)
            statements.extend(chunk.statements)
            diagnostics.extend(chunk.diagnostics)
    return n.SourceFile(file, text, tuple(_attach_jurisdictions(statements))), diagnostics


def _statement_pieces(text: str) -> list[tuple[str, int]]:
    """The text cut at every line that starts a statement, with each piece's first line number."""
    starts = [m.start() for m in _STATEMENT_START.finditer(text)]
    if not starts or starts[0] != 0:
        starts.insert(0, 0)
    pieces, line, previous = [], 1, 0
    for i, start in enumerate(starts):
        line += text.count("\n", previous, start)
        previous = start
        end = starts[i + 1] if i + 1 < len(starts) else len(text)
        pieces.append((text[start:end], line))
    return pieces


def _parse_whole(text: str, file: str, pieces, lark: Lark, builder: _Builder) -> list[_Chunk] | None:
    """One parse of the whole file, split into per-statement chunks; None on a syntax error."""
    builder.file, builder.text = file, text
    try:
        statements = list(lark.parse(text))
    except (UnexpectedInput, VisitError, _NodeError):
        return None
    lines = [line for _, line in pieces]
    grouped: list[list[n.Statement]] = [[] for _ in pieces]
    for st in statements:
        grouped[bisect_right(lines, st.span.line) - 1].append(st)
    return [_Chunk(line, tuple(group), ()) for (_, line), group in zip(pieces, grouped)]


def _parse_piece(piece: str, line: int, file: str, lark: Lark, builder: _Builder, last: bool) -> _Chunk:
    # Leading newlines put the piece on its own lines, so positions are those of the whole file.
    padded = "\n" * (line - 1) + piece
    builder.file, builder.text = file, padded
    try:
        return _Chunk(line, tuple(lark.parse(padded)), ())
    except UnexpectedInput as err:
        kept = _parse_before_line(err, padded, line, lark, builder)
        return _Chunk(line, kept + (_unparsed(piece, line, file, kept),),
                      (_syntax_diagnostic(err, file, padded, lark, last),))
    except (VisitError, _NodeError) as err:
        return _Chunk(line, (_unparsed(piece, line, file, ()),), (_visit_diagnostic(err, file),))


def _parse_before_line(err: UnexpectedInput, padded: str, line: int, lark: Lark, builder: _Builder) -> tuple:
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
    builder.text = padded[:line_start]
    try:
        return tuple(lark.parse(builder.text))
    except (UnexpectedInput, VisitError, _NodeError):
        return ()


_SET_HEAD = re.compile(r"\s*set\s+([A-Z][A-Z0-9_]*)")
_UPPER_WORD = re.compile(r'"(?:\\.|[^"\\\n])*"|#[^\n]*|\b([A-Z][A-Z0-9_]*)\b')


def _unparsed(piece: str, line: int, file: str, kept: tuple) -> n.Unparsed:
    """What the checker should know of a statement that did not parse (see `nodes.Unparsed`)."""
    head = _SET_HEAD.match(piece)
    defines = head.group(1) if head and not any(isinstance(st, n.SetDef) for st in kept) else None
    names = tuple(sorted({m.group(1) for m in _UPPER_WORD.finditer(piece) if m.group(1)} - {defines}))
    return n.Unparsed(defines, names, n.Span(file, line, 1, line, 1))


def _remember(key: tuple[str, str, bool], chunk: _Chunk) -> None:
    _CHUNKS[key] = chunk
    _CHUNKS.move_to_end(key)
    while len(_CHUNKS) > _CHUNK_CACHE_SIZE:
        _CHUNKS.popitem(last=False)


_FIELDS_OF: dict[type, tuple[str, ...]] = {}


def _shift(value, delta: int):
    """A node tree moved `delta` lines down (or up): every span's lines change, nothing else."""
    if isinstance(value, n.Span):
        return value._replace(line=value.line + delta, end_line=value.end_line + delta)
    if isinstance(value, tuple):
        return tuple(_shift(v, delta) for v in value)
    cls = type(value)
    if not hasattr(cls, "__dataclass_fields__"):
        return value
    names = _FIELDS_OF.get(cls)
    if names is None:
        names = _FIELDS_OF[cls] = tuple(f.name for f in fields(cls))
    return cls(*(_shift(getattr(value, name), delta) for name in names))


def _visit_diagnostic(err: Exception, file: str) -> Diagnostic:
    inner = getattr(err, "orig_exc", err)
    if isinstance(inner, _NodeError):
        s = inner.span
        return Diagnostic("error", inner.message, file, s.line, s.column, inner.help, s.end_column, "invalid-literal")
    return Diagnostic("error", f"cannot read this statement: {inner}", file, 1, 1, None, None, "syntax")


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
