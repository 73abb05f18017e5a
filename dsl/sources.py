"""Reading a ruleset from disk: the language package's only I/O."""
from __future__ import annotations

import os
from pathlib import Path

from .diagnostics import visible


class SourceError(ValueError):
    """A policy file that cannot be read as text; the message names the file and the place."""


def read_sources(path: str | os.PathLike[str]) -> dict[str, str]:
    """{name: text} for a `.policy` file or every `*.policy` file under a directory.

    Names are relative to the directory (`global/minors.policy`), so rule ids
    and diagnostics do not depend on where the ruleset is checked out.  A file
    in the directory that is a link to somewhere outside it is refused: checking
    or importing a ruleset must not read (and echo, and store) `/etc/passwd`.
    """
    p = Path(path)
    if p.is_dir():
        files = sorted(f for f in p.rglob("*.policy") if f.is_file())  # rglob does not enter linked folders
        if not files:
            raise FileNotFoundError(f"{visible(str(p))}: no *.policy files in this directory")
        root = p.resolve()
        for f in files:
            _refuse_outside(f, p, root)
        return {f.relative_to(p).as_posix(): _read_text(f) for f in files}
    if not p.exists():
        raise FileNotFoundError(f"{visible(str(p))}: no such file or directory")
    return {p.name: _read_text(p)}


def _refuse_outside(file: Path, directory: Path, root: Path) -> None:
    try:
        target = file.resolve(strict=True)
    except (OSError, RuntimeError) as exc:  # a loop of links, or one that vanished
        raise SourceError(f"{visible(str(file))}: cannot follow this link ({exc.__class__.__name__})") from None
    if not target.is_relative_to(root):
        raise SourceError(f"{visible(str(file))}: a link to {visible(str(target))}, outside {visible(str(directory))}; "
                          "a ruleset's files must lie inside its directory")


def _read_text(file: Path) -> str:
    """A policy file's text; one that is not UTF-8 is named, with the place of its first bad byte."""
    data = file.read_bytes()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise SourceError(f"{visible(str(file))}:{line}:{column}: not UTF-8 text (byte 0x{data[exc.start]:02x}); "
                         "save the file as UTF-8") from None
