"""Colours with a meaning: one place, so the matrix, the simulator and the lists agree."""
from __future__ import annotations

EFFECT_COLOURS = {"deny": "#e06666", "review": "#f6b26b", "allow": "#93c47d"}
EFFECT_TEXT = {"deny": "DENY", "review": "REVIEW", "allow": "ALLOW"}
STATE_COLOURS = {"draft": "#9fc5e8", "in_review": "#f6b26b", "approved": "#b6d7a8", "published": "#6aa84f",
                 "retired": "#cccccc"}
DIFF_COLOURS = {"removed": "#f4cccc", "added": "#d9ead3", "changed": "#fff2cc", "same": None}
PASS_COLOURS = {True: "#d9ead3", False: "#f4cccc"}


def state_text(state: str | None) -> str:
    return (state or "empty").replace("_", " ")
