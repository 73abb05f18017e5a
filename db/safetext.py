"""Text that cannot forge a line: control characters refused on input, escaped on output.

A comment such as "LGTM\\n 99 2026-… carol version.approve …" would otherwise
print as a second, fake audit event.  Names, comments and paths are checked
when they come in; everything the CLI prints from the store goes through
`shown`, so rows written before the check (or by hand) cannot forge one either.
"""
from __future__ import annotations

import unicodedata

from jurist.db.errors import InvalidInput

# Control, format (bidi overrides, zero-width), surrogate, line and paragraph separators.
_CONTROL = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})


def is_control(ch: str) -> bool:
    return unicodedata.category(ch) in _CONTROL


def escape(ch: str) -> str:
    """`\\n`, `\\x1b`, `\\u202e`: how Python's repr writes the character."""
    return ch.encode("unicode_escape", "backslashreplace").decode("ascii")


def shown(text: object, keep: str = "") -> str:
    """`text` with every control character but those in `keep` written as its escape."""
    value = str(text)
    if not any(is_control(ch) and ch not in keep for ch in value):
        return value
    return "".join(escape(ch) if is_control(ch) and ch not in keep else ch for ch in value)


def require_plain(text: str, what: str) -> str:
    """`text` unchanged, or InvalidInput naming the first control character in it."""
    for ch in text:
        if is_control(ch):
            raise InvalidInput(f"{shown(what)} contains the control character `{escape(ch)}`; line breaks, tabs and "
                               "other control characters are not allowed")
    return text
