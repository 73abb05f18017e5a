"""Importing a directory: its `*.policy` files as a new draft, its `tests/*.json` cases beside it.

Everything is validated before the store is touched, cases included (by the
engine's case reader, as `jurist test` reads them), so a bad import writes nothing.
"""
from __future__ import annotations

from pathlib import Path
from typing import Sequence

from jurist.db import rulesets as data
from jurist.db.errors import InvalidInput
from jurist.db.hashing import sources_hash
from jurist.db.records import ImportResult, SourcesCheck
from jurist.db.service.acting import Actor
from jurist.db.service.inputs import (
    check_jurisdictions,
    validate_jurisdictions,
    validate_ruleset_name,
    validate_sources,
)
from jurist.db.service.testcases import store_case, stored_hash, validate_case
from jurist.db.service.versions import add_writers, new_ruleset, version_infos
from jurist.db.sourcedir import CaseOnDisk, read_cases, read_sources


def read_import(directory: str | Path, ruleset: str, jurisdictions: Sequence[str] = (),
                check: SourcesCheck | None = None) -> tuple[dict[str, str], list[str], list[CaseOnDisk]]:
    """Validate an import without a store: the name, the codes, the sources (with `check`, that no rule
    applies outside `jurisdictions`) and the cases."""
    validate_ruleset_name(ruleset)
    codes = validate_jurisdictions(jurisdictions)
    sources = validate_sources(read_sources(Path(directory)))
    check_jurisdictions(ruleset, sources, codes, check)
    cases = read_cases(Path(directory))
    for item in cases:
        validate_case(item.case, dict(item.images))
    return sources, codes, cases


def _declared(actor: Actor, ruleset: str, codes: list[str]) -> list[str]:
    """The jurisdictions the import is checked against: the existing ruleset's, else those given for it."""
    with actor.read() as session:
        existing = data.get_ruleset(session, ruleset)
        if existing is None:
            return codes
        declared = list(data.jurisdictions_of(existing))
    if codes and set(codes) != set(declared):
        raise InvalidInput(f"ruleset `{ruleset}` exists for {', '.join(declared) or 'every place'}; "
                           f"--jurisdiction sets a new ruleset's jurisdictions and cannot change them "
                           f"to {', '.join(codes)}")
    return declared


def import_directory(actor: Actor, directory: str | Path, ruleset: str,
                     jurisdictions: Sequence[str] = ()) -> ImportResult:
    """Load a directory as a new draft, creating the ruleset if needed.

    Makes no version when the sources equal the newest version's, unless that
    one is retired (then there would be no way back to these sources).
    """
    sources, codes, cases = read_import(directory, ruleset, jurisdictions)
    check_jurisdictions(ruleset, sources, _declared(actor, ruleset, codes), actor.check)
    root = Path(directory)
    with actor.write() as session:
        user = actor.require(session, "editor", "importing a ruleset")
        rs = data.get_ruleset(session, ruleset, lock=True)
        if rs is None:
            rs = new_ruleset(actor, session, ruleset, codes, user)
        latest = data.latest_version(session, rs)
        info = None
        if latest is None or latest.content_hash != sources_hash(sources) or latest.state == "retired":
            base = data.published_version(session, rs) or latest
            version = data.create_version(session, rs, sources, user, base)
            add_writers(actor, session, version, user)
            actor.audit(session, "version.import", f"ruleset:{ruleset}@{version.number}",
                        {"hash": version.content_hash, "from": str(root.resolve()), "files": len(sources)})
            info = version_infos(session, rs, [version])[0]
        hashes: dict[str, str] = {}
        for item in cases:
            valid = validate_case(item.case, dict(item.images))
            hashes[valid.name] = stored_hash(store_case(session, rs, valid, user), valid.images)
        if hashes:
            actor.audit(session, "testcase.import", f"ruleset:{ruleset}", {"cases": len(hashes), "hashes": hashes})
        return ImportResult(ruleset, info, len(hashes))
