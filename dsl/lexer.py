"""Tokens of the policy language, for editors: the grammar's own lexer, not a copy.

The GUI's highlighter colours each line from these tokens, so a change to the
grammar changes the highlighting with it.  Lexing never fails: characters the
grammar does not know come back as `ERROR` tokens.
"""
from __future__ import annotations

from dataclasses import dataclass

from lark.exceptions import UnexpectedCharacters

from .ast_builder import grammar_parser
from .keywords import EFFECTS, KEYWORDS

# Token kinds an editor styles, by grammar terminal.
KINDS = {
    "EFFECT": "effect", "LABEL": "label", "LABEL_GROUP": "label", "UPPER": "place", "DATE": "date",
    "NUMBER": "number", "STRING": "string", "COMMENT": "comment", "FIELD": "field", "CMP": "operator",
    "NOT_IN": "keyword", "LBRACE": "punctuation", "RBRACE": "punctuation",
}
EFFECT_WORDS = frozenset(EFFECTS)
FIELD_WORDS = frozenset({"country", "region", "action", "surface", "stage", "date", "tier", "user.tier"})
OPERATORS = frozenset({"=", "==", "!=", "<", "<=", ">", ">="})


@dataclass(frozen=True, slots=True)
class Token:
    kind: str    # effect, keyword, label, place, date, number, string, comment, field, operator, value, name, error ...
    text: str
    start: int   # offset in the lexed text
    end: int


def tokens(text: str) -> list[Token]:
    """Every token of `text`, comments included, with a kind an editor can style."""
    lark = grammar_parser()
    out: list[Token] = []
    pos = 0
    keywords = frozenset(KEYWORDS)
    previous = ""
    while pos < len(text):
        try:
            for tok in lark.lex(text[pos:], dont_ignore=True):
                if tok.type == "WS":
                    continue
                value = str(tok)
                kind = KINDS.get(tok.type) or _word_kind(value, keywords, previous)
                out.append(Token(kind, value, pos + (tok.start_pos or 0), pos + (tok.end_pos or 0)))
                previous = value
            break
        except UnexpectedCharacters as err:
            bad = pos + (err.pos_in_stream or 0)  # always set by the lexer
            out.append(Token("error", text[bad], bad, bad + 1))
            pos = bad + 1
    return out


def _word_kind(value: str, keywords: frozenset[str], previous: str) -> str:
    """Name-like tokens: the context-free lexer cannot tell a keyword from a name, so decide by value."""
    if previous == "rule":
        return "name"
    if value in EFFECT_WORDS:
        return "effect"
    if value in FIELD_WORDS:
        return "field"
    if value in keywords:
        return "keyword"
    if value in OPERATORS:
        return "operator"
    if value[:1].isalpha() or value[:1] == "_":
        return "value"
    return "punctuation"
