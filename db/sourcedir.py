"""Reading a ruleset from a directory: `*.policy` files and `tests/*.json` cases.

Paths become POSIX names relative to the directory ("global/minors.policy"),
the same names diagnostics and the store use.  Problems with individual test
files are returned, not raised, so one bad file does not block an import.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jurist.db.errors import InvalidInput


@dataclass(frozen=True, slots=True)
class CaseOnDisk:
    """A test case read from JSON, with its images' bytes keyed by request name."""

    case: dict[str, Any]
    images: tuple[tuple[str, bytes], ...]
    origin: str


def read_sources(directory: Path) -> dict[str, str]:
    """Every `*.policy` file under `directory`, recursively, by relative POSIX path."""
    if not directory.is_dir():
        raise InvalidInput(f"`{directory}` is not a directory")
    sources: dict[str, str] = {}
    for path in sorted(directory.rglob("*.policy")):
        if not path.is_file():
            continue
        name = path.relative_to(directory).as_posix()
        try:
            sources[name] = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            raise InvalidInput(f"`{path}` is not UTF-8 text") from None
    if not sources:
        raise InvalidInput(f"`{directory}` holds no `*.policy` files")
    return sources


def read_cases(directory: Path) -> tuple[list[CaseOnDisk], list[str]]:
    """Cases from `directory/tests/*.json` (`{"cases": [...]}`), and a line per problem."""
    found: list[CaseOnDisk] = []
    problems: list[str] = []
    tests = directory / "tests"
    if not tests.is_dir():
        return found, problems
    for path in sorted(tests.glob("*.json")):
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            problems.append(f"{path}: not readable JSON ({exc})")
            continue
        cases = document.get("cases") if isinstance(document, dict) else None
        if not isinstance(cases, list):
            problems.append(f"{path}: expected an object with a `cases` list")
            continue
        for index, case in enumerate(cases):
            where = f"{path}: case {index + 1}"
            if not isinstance(case, dict):
                problems.append(f"{where}: not an object")
                continue
            request = case.get("request")
            names = request.get("images", []) if isinstance(request, dict) else []
            images: list[tuple[str, bytes]] = []
            missing = []
            for name in names if isinstance(names, list) else []:
                image = (path.parent / str(name))
                if not image.is_file():
                    image = directory / str(name)
                try:
                    images.append((str(name), image.read_bytes()))
                except OSError:
                    missing.append(str(name))
            if missing:
                problems.append(f"{where} (`{case.get('name')}`): image file(s) not found: {', '.join(missing)}")
                continue
            found.append(CaseOnDisk(case=case, images=tuple(images), origin=where))
    return found, problems
