"""Two versions of a file aligned line by line, for the side-by-side diff view."""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Row:
    left_no: int | None
    left: str
    right_no: int | None
    right: str
    kind: str  # "same", "changed", "removed", "added"


def align(old: str, new: str) -> list[Row]:
    """Rows pairing equal and replaced lines; pure insertions or deletions leave the other side blank."""
    a, b = old.splitlines(), new.splitlines()
    rows: list[Row] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            rows += [Row(i1 + k + 1, a[i1 + k], j1 + k + 1, b[j1 + k], "same") for k in range(i2 - i1)]
            continue
        span = max(i2 - i1, j2 - j1)
        for k in range(span):
            li, rj = i1 + k, j1 + k
            left = (li + 1, a[li]) if li < i2 else (None, "")
            right = (rj + 1, b[rj]) if rj < j2 else (None, "")
            kind = "changed" if left[0] and right[0] else ("removed" if left[0] else "added")
            rows.append(Row(left[0], left[1], right[0], right[1], kind))
    return rows


def align_sources(old: dict[str, str], new: dict[str, str]) -> dict[str, list[Row]]:
    """Per file (union of both versions), the aligned rows; unchanged files are left out."""
    out = {}
    for path in sorted(set(old) | set(new)):
        a, b = old.get(path, ""), new.get(path, "")
        if a != b:
            out[path] = align(a, b)
    return out


_TOKEN = re.compile(r"\s+|[A-Za-z0-9_:.\-*]+|.")


def words_changed(old: str, new: str) -> tuple[list[tuple[str, bool]], list[tuple[str, bool]]]:
    """Each side of a changed line as (text, changed) pieces: the words that differ, and the rest.

    Words are the language's own (`attire:bikini`, `2026-02-01`, `US-CA`), so a
    changed code or threshold is marked whole, never half a word.
    """
    a, b = _TOKEN.findall(old), _TOKEN.findall(new)
    left: list[tuple[str, bool]] = []
    right: list[tuple[str, bool]] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        left.append(("".join(a[i1:i2]), tag != "equal"))
        right.append(("".join(b[j1:j2]), tag != "equal"))
    return [p for p in left if p[0]], [p for p in right if p[0]]
