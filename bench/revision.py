"""An earlier revision of Jurist, importable beside this checkout, for side-by-side benchmarks.

`checked_out(rev)` checks the revision out into a temporary git worktree and
builds a symlinked view of its `jurist` package there (as `.ci/package-view`
does for this checkout); run a script with `PYTHONPATH=<view>` from a folder
outside this checkout (`python -m` and `-c` put the working folder first on
the path, and this checkout's `jurist/` would shadow the view).  Same machine,
same virtual environment, same libraries: only Jurist's code differs.
"""
from __future__ import annotations

import subprocess
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

ROOT = Path(__file__).resolve().parent.parent
FOLDERS = ("dsl", "engine", "db", "gui", "rulesets")


@contextmanager
def checked_out(revision: str) -> Iterator[tuple[Path, Path]]:
    """(view, scratch): PYTHONPATH=view imports `revision`'s jurist; run from `scratch`."""
    with tempfile.TemporaryDirectory(prefix="jurist-bench-") as tmp:
        tree, view = Path(tmp) / "tree", Path(tmp) / "view"
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "--quiet", str(tree), revision],
                       check=True)
        try:
            package = view / "jurist"
            package.mkdir(parents=True)
            for entry in (tree / "jurist").iterdir():
                (package / entry.name).symlink_to(entry)
            for folder in FOLDERS:
                (package / folder).symlink_to(tree / folder)
            check = [sys.executable, "-c", "import jurist, sys; print(jurist.__file__)"]
            where = subprocess.run(check, capture_output=True, text=True, cwd=tmp,
                                   env={"PYTHONPATH": str(view), "PATH": "/usr/bin:/bin"}).stdout.strip()
            if not where.startswith(str(view)):
                raise SystemExit(f"the baseline would import {where or 'nothing'}, not {revision}")
            yield view, Path(tmp)
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)], check=False)
