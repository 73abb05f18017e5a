"""A draft's source files: add one for a place (its `jurisdiction` header written for it), rename, delete.

Pure functions over a version's sources (path -> text): the editor applies
them to the text it holds and saves as usual, so a new or renamed file goes
through the same draft, review and audit as any edit.  File names follow the
language's convention, so no `jurisdiction-file-name` warning greets a file
made here: `gb.policy` for a country, `us-ca.policy` for a region, files for
every country under `global/`.
"""
from __future__ import annotations

import re
from typing import Mapping

from jurist.dsl.places import name_of

SUFFIX = ".policy"
_PATH = re.compile(r"^(?:[a-z0-9][a-z0-9_-]*/)*[a-z0-9][a-z0-9_.-]*\.policy$")
_HEADER = re.compile(r"^\s*jurisdiction\s+(\S+)\s*(?:#.*)?$")


class FileError(ValueError):
    """A file operation that cannot be done; the message says why and what would do."""


def suggested_path(place: str | None, sources: Mapping[str, str]) -> str:
    """`gb.policy` for GB, `us-ca.policy` for US-CA, `global/rules.policy` for every country; numbered when taken."""
    stem = place.lower() if place else "global/rules"
    path, n = f"{stem}{SUFFIX}", 2
    while path in sources:
        path, n = f"{stem}-{n}{SUFFIX}", n + 1
    return path


def path_problem(path: str, sources: Mapping[str, str], renaming: str | None = None) -> str | None:
    """Why `path` cannot name a new (or renamed) file among `sources`; None when it can."""
    if not path.strip():
        return "the file needs a name, such as `gb.policy`"
    if not path.endswith(SUFFIX):
        return f"`{path}` does not end in `{SUFFIX}`; only policy files are compiled"
    if not _PATH.fullmatch(path):
        return (f"`{path}` is not a plain file name: use lower-case letters, digits, `-`, `_` and `/` for folders "
                "(like `gb.policy` or `us/ca.policy`)")
    if path in sources and path != renaming:
        return f"`{path}` already exists"
    return None


def header_for(place: str | None) -> str:
    """The opening of a new file: the place's name as a comment and its `jurisdiction` header."""
    if place is None:
        return "# Rules for every country.\n\n"
    name = name_of(place) or place
    return f"# {name}.\njurisdiction {place}\n\n"


def with_new_file(sources: Mapping[str, str], path: str, place: str | None) -> dict[str, str]:
    """`sources` with a new file for `place` (None: every country), opening with its header."""
    problem = path_problem(path, sources)
    if problem:
        raise FileError(problem)
    return {**sources, path: header_for(place)}


def with_renamed_file(sources: Mapping[str, str], old: str, new: str) -> dict[str, str]:
    if old not in sources:
        raise FileError(f"there is no file `{old}` to rename")
    if new == old:
        return dict(sources)
    problem = path_problem(new, sources, renaming=old)
    if problem:
        raise FileError(problem)
    return {(new if path == old else path): text for path, text in sources.items()}


def without_file(sources: Mapping[str, str], path: str) -> dict[str, str]:
    if path not in sources:
        raise FileError(f"there is no file `{path}` to delete")
    if len(sources) == 1:
        raise FileError(f"`{path}` is the ruleset's only file; a version needs at least one")
    return {p: t for p, t in sources.items() if p != path}


def header_place(text: str) -> str | None:
    """The place a file's first `jurisdiction` header names (as written), or None without one."""
    for line in text.splitlines():
        found = _HEADER.match(line)
        if found:
            return found.group(1)
    return None


def file_for(sources: Mapping[str, str], place: str) -> str | None:
    """The file whose header names exactly `place` (the first by name), or None."""
    return next((p for p in sorted(sources) if header_place(sources[p]) == place), None)


def rule_template(place: str, sources: Mapping[str, str]) -> tuple[str, str]:
    """(rule id, text) of a new rule for `place` to be filled in: it compiles, and its id is not taken."""
    stem = re.sub(r"[^a-z0-9]+", "_", place.lower()).strip("_") or "new"
    taken = set(re.findall(r"\brule\s+([A-Za-z_][A-Za-z0-9_]*)", "\n".join(sources.values())))
    rule_id, n = f"{stem}_new_rule", 2
    while rule_id in taken:
        rule_id, n = f"{stem}_new_rule_{n}", n + 1
    text = (f"rule {rule_id}: review intent:sexualize subject:real_person\n"
            f"    cite \"the law or policy this rule implements\"\n"
            f"    message \"what the user is told\"\n")
    return rule_id, text


def with_rule_for(sources: Mapping[str, str], place: str) -> tuple[dict[str, str], str, int, str]:
    """`sources` with a rule template at the end of `place`'s file (made when there is none).

    Returns the new sources, the file, the 1-based line the rule starts on and its id.
    """
    path = file_for(sources, place)
    out = dict(sources)
    if path is None:
        path = suggested_path(place, sources)
        out[path] = header_for(place)
    rule_id, rule = rule_template(place, sources)
    text = out[path]
    if text and not text.endswith("\n"):
        text += "\n"
    if text.strip() and not text.endswith("\n\n"):
        text += "\n"  # one blank line before the new rule
    line = text.count("\n") + 1
    out[path] = text + rule
    return out, path, line, rule_id
