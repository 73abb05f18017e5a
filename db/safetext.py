"""Text that cannot forge a line: control characters refused on input, escaped on output.

A comment such as "LGTM\\n 99 2026-… carol version.approve …" would otherwise
print as a second, fake audit event.  Names, comments and paths are checked
when they come in; everything the CLI prints from the store goes through
`shown`, so rows written before the check (or by hand) cannot forge one either.
"Printable" has one definition, the language's (`jurist.dsl.diagnostics.visible`).
"""
from __future__ import annotations

from jurist.db.errors import InvalidInput
from jurist.dsl.diagnostics import escaped, visible


def shown(text: object, keep: str = "") -> str:
    """`text` with every character that is not printable, but those in `keep`, written as its escape."""
    return visible(str(text), keep)


def require_plain(text: str, what: str) -> str:
    """`text` unchanged, or InvalidInput naming the first character in it that is not printable."""
    for ch in text:
        if not ch.isprintable():
            raise InvalidInput(f"{shown(what)} contains the control character `{escaped(ch)}`; line breaks, tabs and "
                               "other control characters are not allowed")
    return text
