"""Colours with a meaning, in one place, so the matrix, the simulator and the lists agree.

Every colour text is drawn in, or drawn on, is here, and `TEXT_PAIRS` lists
each foreground with the backgrounds it is shown on: the tests hold every pair
to WCAG AA (a contrast ratio of at least 4.5:1), comments and line numbers
included.
"""
from __future__ import annotations

from typing import Iterator

EFFECT_COLOURS = {"deny": "#e06666", "review": "#f6b26b", "allow": "#93c47d"}
STATE_COLOURS = {"draft": "#9fc5e8", "in_review": "#f6b26b", "approved": "#b6d7a8", "published": "#6aa84f",
                 "retired": "#cccccc"}
DIFF_COLOURS = {"removed": "#f4cccc", "added": "#d9ead3", "changed": "#fff2cc", "same": None}
DIFF_WORD_COLOURS = {"removed": "#e8a6a6", "added": "#a9d18e"}  # the words that changed, inside a changed line
PASS_COLOURS = {True: "#d9ead3", False: "#f4cccc"}

TEXT = "#000000"                 # ordinary text, on every background above
WINDOW = "#efefef"               # the window's own background (set on the window's palette)
BASE = "#ffffff"                 # fields, lists, the editor
PLACEHOLDER = "#5f6368"          # hints in empty fields (Qt's default grey is under 4.5:1)
WARNING_TEXT = "#b00000"         # problems said in words next to a field or a button
NOTE_TEXT = "#424242"            # secondary text: reasons a button is off, hints
GUTTER = "#f3f3f3"               # the editor's line-number margin
GUTTER_TEXT = "#555555"
GUTTER_MARKS = {"error": "#f4cccc", "warning": "#fff2cc"}  # a line with a problem, behind its number
BOX_OUTLINE = "#ff1744"          # detector boxes (a line, not text)
BOX_CAPTION = ("#ffffff", "#b0002a")  # their caption: text on its band
IMAGE_PANE = "#fafafa"

# The highlighter's colours, by token kind (see widgets/highlighter.py); all on BASE.
SYNTAX = {
    "effect": "#b00020", "keyword": "#1a4fa0", "label": "#7b1fa2", "place": "#00796b", "date": "#8a4f00",
    "number": "#8a4f00", "string": "#2e7d32", "comment": "#5f6368", "field": "#1565c0", "operator": "#444444",
    "name": "#000000", "value": "#37474f", "error": "#c00000",
}


def state_text(state: str | None) -> str:
    return (state or "empty").replace("_", " ")


def TEXT_PAIRS() -> Iterator[tuple[str, str, str]]:  # noqa: N802 - a table, read like a constant
    """(what, foreground, background) for every text the GUI colours."""
    for name, colour in {**EFFECT_COLOURS, **{f"state {k}": v for k, v in STATE_COLOURS.items()}}.items():
        yield name, TEXT, colour
    for name, shade in {**DIFF_COLOURS, **{f"changed words {k}": v for k, v in DIFF_WORD_COLOURS.items()}}.items():
        if shade:
            yield f"diff {name}", TEXT, shade
    for passed, colour in PASS_COLOURS.items():
        yield f"case passed={passed}", TEXT, colour
    for kind, colour in SYNTAX.items():
        yield f"syntax {kind}", colour, BASE
    yield "gutter line number", GUTTER_TEXT, GUTTER
    for kind, colour in GUTTER_MARKS.items():
        yield f"gutter line number on a {kind}", GUTTER_TEXT, colour
    for background in (WINDOW, BASE):
        yield "text", TEXT, background
        yield "warning", WARNING_TEXT, background
        yield "note", NOTE_TEXT, background
    yield "placeholder", PLACEHOLDER, BASE
    yield "image pane message", NOTE_TEXT, IMAGE_PANE
    yield "image pane error", WARNING_TEXT, IMAGE_PANE
    yield "detector box caption", *BOX_CAPTION


def luminance(colour: str) -> float:
    """WCAG 2's relative luminance of `#rrggbb`."""
    value = colour.lstrip("#")
    channels = [int(value[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(foreground: str, background: str) -> float:
    """WCAG 2's contrast ratio, 1 to 21; AA needs 4.5 for ordinary text."""
    light, dark = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)
