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
from jurist.engine.cases import Case, CaseError, case_files, read_case_file, require_unique


@dataclass(frozen=True, slots=True)
class CaseOnDisk:
    """A test case document read from JSON, with its images' bytes keyed by the name its request uses."""

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
