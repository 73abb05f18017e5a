"""Data access for the test cases a version keeps: the ruleset's cases as they were when it was submitted.

Editors edit one working set of cases per ruleset; submitting a version copies
it into a kept set (`VersionCaseSet`), in the submission's transaction, so the
version is reviewed, tested and published with the cases it was submitted
with, whatever is edited later.  Kept sets are append-only (the migration's
triggers): a resubmission keeps a new one, and the newest is the version's.
Each kept case's hash is recomputed from its document and images when read,
so an edit behind the store shows against the hash the audit log recorded.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from jurist.db import testcases as case_data
from jurist.db.hashing import canonical_json, case_set_hash
from jurist.db.models import Ruleset, Version, VersionCase, VersionCaseImage, VersionCaseSet
from jurist.db.rulesets import now

UNREADABLE = "unreadable"  # the hash of a kept document that is no longer a case (it matches no recorded hash)


@dataclass(frozen=True, slots=True)
class KeptCases:
    """A version's kept set as stored: each case's document and images, and the hashes they give now."""

    set_id: int
    recorded_hash: str                                   # the set's `cases_hash` column
    documents: dict[str, dict[str, Any]]                 # name -> document (images by name)
    images: dict[str, list[tuple[str, str]]]             # name -> (image name, blob hash), in request order
    hashes: dict[str, str]                               # name -> `case_hash` recomputed from the rows

    @property
    def cases_hash(self) -> str:
        """The `case_set_hash` of the cases as they are stored now: what the submission must have recorded."""
        return case_set_hash(self.hashes)


def keep(session: Session, ruleset: Ruleset, version: Version) -> str:
    """Copy the ruleset's working set of cases into a new kept set of `version`; returns its `case_set_hash`."""
    cases = case_data.list_cases(session, ruleset)
    images = case_data.images_of(session, [c.id for c in cases])
    hashes = {c.name: case_data.row_hash(c, [(n, d) for n, d, _ in images[c.id]]) for c in cases}
    kept = VersionCaseSet(version_id=version.id, kept_at=now(), cases_hash=case_set_hash(hashes))
    session.add(kept)
    session.flush()
    for case in cases:
        session.add(VersionCase(set_id=kept.id, name=case.name, document=canonical_json(case_data.case_document(case)),
                                case_hash=hashes[case.name]))
        session.add_all(VersionCaseImage(set_id=kept.id, case_name=case.name, position=position, name=name,
                                         blob_sha256=digest)
                        for position, (name, digest, _) in enumerate(images[case.id]))
    session.flush()
    return kept.cases_hash


def newest(session: Session, version: Version) -> KeptCases | None:
    """The version's newest kept set (None: it kept none, e.g. submitted before cases were kept)."""
    found = session.scalar(select(VersionCaseSet).where(VersionCaseSet.version_id == version.id)
                           .order_by(VersionCaseSet.id.desc()).limit(1))
    if found is None:
        return None
    rows = {row.name: row.document for row in session.scalars(
        select(VersionCase).where(VersionCase.set_id == found.id).order_by(VersionCase.name))}
    images: dict[str, list[tuple[str, str]]] = {name: [] for name in rows}
    for row in session.scalars(select(VersionCaseImage).where(VersionCaseImage.set_id == found.id)
                               .order_by(VersionCaseImage.case_name, VersionCaseImage.position)):
        images.setdefault(row.case_name, []).append((row.name, row.blob_sha256))
    documents: dict[str, dict[str, Any]] = {}
    hashes: dict[str, str] = {}
    for name, text in rows.items():
        try:
            documents[name] = json.loads(text)
            hashes[name] = case_data.document_hash(documents[name], images[name])
        except (ValueError, TypeError, KeyError, AttributeError):  # edited into something no case is
            documents[name], hashes[name] = {"name": name}, UNREADABLE
    return KeptCases(found.id, found.cases_hash, documents, images, hashes)


def inline_documents(session: Session, kept: KeptCases) -> list[dict[str, Any]]:
    """The kept cases in `jurist test`'s JSON shape, images inline as data URLs, by name."""
    return [case_data.inline(session, json.loads(json.dumps(kept.documents[name])), kept.images.get(name, []))
            for name in sorted(kept.documents)]
