"""Syntax errors as an author should read them: what was found, what was expected, and why.

Lark reports a token and the terminals it expected; these functions turn that
into one `Diagnostic` with a span, name the terminals in the author's words,
point at an unclosed bracket, and add a `help` line for the mistakes people
really make (upper-case keywords, `and` between labels, a misspelt keyword,
`United Kingdom` for `GB` ...).
"""
from __future__ import annotations

import re

from lark import Lark
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken

from .ast_builder import NodeError
from .diagnostics import Diagnostic, close_matches, did_you_mean, source_lines
from .keywords import EFFECTS, KEYWORDS, STATEMENT_KEYWORDS
from .places import countries, is_country, is_subdivision

# How each terminal is named to an author in "expected ..." messages.
TERMINAL_NAMES = {
    "EFFECT": "`deny`, `review` or `allow`", "UPPER": "a country code or set name", "NAME": "a value",
    "RULE_ID": "a rule name", "LABEL": "a label such as `attire:bikini`", "LABEL_GROUP": "a label group such as `attire:{bikini, underwear}`",
    "DATE": "a date such as `2026-01-31`", "NUMBER": "a number such as `0.7`", "STRING": 'a quoted text such as `"..."`',
    "FIELD": "a field (`country`, `region`, `action`, `user.tier`, `surface`, `stage`, `date`)", "CMP": "a comparison (`=`, `!=`, `<`, `>=` ...)",
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


def syntax_diagnostic(err: UnexpectedInput, file: str, text: str, lark: Lark, last: bool = True) -> Diagnostic:
    """The error as the author should read it; `last` says whether the statement ends the file."""
    line, column = getattr(err, "line", 1) or 1, getattr(err, "column", 1) or 1
    lines = source_lines(text)
    source_line = lines[line - 1] if 0 < line <= len(lines) else ""
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
        at = err.pos_in_stream or 0  # always set by the lexer
        char = text[at] if at < len(text) else "?"
        allowed = set(err.allowed or ())
        rest = text[at:].split("\n", 1)[0]
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


_FIELDS = ("country", "region", "action", "surface", "stage", "date", "user.tier", "tier", "user")
_KEYWORDS_UPPER = {"AND", "OR", "NOT", "IN", "WHERE", "DENY", "ALLOW", "REVIEW", "RULE", "SET"}
_WORDS = frozenset(KEYWORDS) | {"user.tier"}
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
            if w in EFFECTS:
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
    if low in _WORDS:
        return f"keywords are lower case: `{low}`"
    if re.fullmatch(r"[a-z][a-z0-9_]*:(\*|[a-z][a-z0-9_]*)", low):
        return f"labels are lower case: `{low}`"
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
    names = {name.lower(): code for code, name in countries().items()}
    hit = names.get(phrase.lower())
    if hit:
        return hit, countries()[hit]
    close = close_matches(phrase.lower(), names, cutoff=0.75)
    return (names[close[0]], countries()[names[close[0]]]) if close else None


def _join_or(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items) or "something else"
    if len(items) > 12:
        items = items[:12] + ["..."]
    return ", ".join(items[:-1]) + " or " + items[-1]


def node_error_diagnostic(err: Exception, file: str) -> Diagnostic:
    """A `NodeError` (raised directly, or wrapped by Lark in a `VisitError`) as a diagnostic."""
    inner = getattr(err, "orig_exc", err)
    if isinstance(inner, NodeError):
        s = inner.span
        return Diagnostic("error", inner.message, file, s.line, s.column, inner.help, s.end_column, "invalid-literal")
    return Diagnostic("error", f"cannot read this statement: {inner}", file, 1, 1, None, None, "syntax")


