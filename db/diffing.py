"""Unified diffs between two versions' sources, file by file."""
from __future__ import annotations

import difflib
from typing import Mapping

from jurist.db.records import FileDiff


def diff_sources(old: Mapping[str, str], new: Mapping[str, str], old_label: str, new_label: str) -> tuple[FileDiff, ...]:
    """One entry per file that was added, removed or changed, in path order."""
    out: list[FileDiff] = []
    for path in sorted(set(old) | set(new)):
        before, after = old.get(path), new.get(path)
        if before == after:
            continue
        status = "added" if before is None else "removed" if after is None else "changed"
        lines = difflib.unified_diff(
            (before or "").splitlines(keepends=True), (after or "").splitlines(keepends=True),
            fromfile=f"{old_label}/{path}" if before is not None else "/dev/null",
            tofile=f"{new_label}/{path}" if after is not None else "/dev/null")
        text = "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines)
        out.append(FileDiff(path=path, status=status, unified=text))
    return tuple(out)
