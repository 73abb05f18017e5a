"""Reading a ruleset from a directory: `*.policy` files and `tests/*.json` cases.

Paths become POSIX names relative to the directory ("global/minors.policy"),
the same names diagnostics and the store use.  Cases are read by the engine's
one case reader, so a directory imports exactly when `jurist test` accepts it.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jurist.db.errors import InvalidInput
from jurist.db.safetext import shown
from jurist.dsl import sources as dsl_sources
from jurist.engine.cases import Case, CaseError, case_files, read_case_file, require_unique


@dataclass(frozen=True, slots=True)
class CaseOnDisk:
    """A test case document read from JSON, with its images' bytes keyed by the name its request uses."""

    case: dict[str, Any]
    images: tuple[tuple[str, bytes], ...]
    origin: str


def read_sources(directory: Path) -> dict[str, str]:
    """Every `*.policy` file under `directory`, read as `jurist check` reads them (links out refused)."""
    if not directory.is_dir():
        raise InvalidInput(f"`{shown(directory)}` is not a directory")
    try:
        return dsl_sources.read_sources(directory)
    except (dsl_sources.SourceError, FileNotFoundError) as exc:
        raise InvalidInput(str(exc)) from None


def read_cases(directory: Path) -> list[CaseOnDisk]:
    """Every case under `directory/tests/`, read as `jurist test` reads them, with its images' bytes.

    All or nothing: a case `jurist test` would refuse (a misspelt key, a bad
    request, a repeated name) or an image that cannot be read stops the import
    with InvalidInput naming the file and the case, before anything is written.
    """
    tests = directory / "tests"
    if not tests.is_dir():
        return []
    found: list[CaseOnDisk] = []
    try:
        for path in case_files([tests]):
            for case, document in read_case_file(path):
                found.append(CaseOnDisk(document, _image_bytes(path, case, document), f"{path}: case `{case.name}`"))
        require_unique(item.case["name"] for item in found)
    except CaseError as exc:
        raise InvalidInput(str(exc)) from None
    return found


def _image_bytes(path: Path, case: Case, document: dict[str, Any]) -> tuple[tuple[str, bytes], ...]:
    """The bytes of each image the case names, keyed by the name as written (relative to the case file)."""
    out = []
    for name, resolved in zip(document["request"].get("images", []), case.request.images):
        try:
            out.append((str(name), Path(resolved).read_bytes()))
        except OSError as exc:
            raise InvalidInput(f"{path}: case `{case.name}`: image `{name}` cannot be read "
                               f"({exc.strerror or exc})") from None
    return tuple(out)
