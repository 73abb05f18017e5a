"""Data access for test cases and the image blobs they reference.

An image is stored once however many cases use it: cases point at blobs by
SHA-256, and a blob is dropped when its last case goes (and no version keeps a
case that uses it: `jurist.db.version_cases`).
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Mapping, Sequence

from sqlalchemy import delete, exists, select
from sqlalchemy.orm import Session

from jurist.db.errors import NotFound
from jurist.db.hashing import blob_hash, canonical_json, case_hash
from jurist.db.models import Blob, Ruleset, TestCase, TestCaseImage, User, VersionCaseImage
from jurist.db.rulesets import now
from jurist.engine import data_urls


def put_blob(session: Session, data: bytes) -> str:
    digest = blob_hash(data)
    if session.get(Blob, digest) is None:
        session.add(Blob(sha256=digest, size=len(data), data=data))
        session.flush()
    return digest


def get_blob(session: Session, digest: str) -> bytes | None:
    return session.scalar(select(Blob.data).where(Blob.sha256 == digest))


def get_case(session: Session, ruleset: Ruleset, name: str) -> TestCase | None:
    return session.scalar(select(TestCase).where(TestCase.ruleset_id == ruleset.id, TestCase.name == name))


def list_cases(session: Session, ruleset: Ruleset) -> list[TestCase]:
    return list(session.scalars(select(TestCase).where(TestCase.ruleset_id == ruleset.id).order_by(TestCase.name)))


def images_of(session: Session, case_ids: Sequence[int]) -> dict[int, list[tuple[str, str, int]]]:
    """(name, sha256, size) of each case's images, in request order."""
    out: dict[int, list[tuple[str, str, int]]] = {i: [] for i in case_ids}
    if case_ids:
        rows = session.execute(select(TestCaseImage.test_case_id, TestCaseImage.name, Blob.sha256, Blob.size)
                               .join(Blob, Blob.sha256 == TestCaseImage.blob_sha256)
                               .where(TestCaseImage.test_case_id.in_(list(case_ids)))
                               .order_by(TestCaseImage.test_case_id, TestCaseImage.position))
        for cid, name, digest, size in rows:
            out[cid].append((name, digest, size))
    return out


def save_case(session: Session, ruleset: Ruleset, name: str, request: Mapping[str, Any], effect: str,
              rules: Sequence[str], not_rules: Sequence[str], images: Sequence[tuple[str, bytes]],
              editor: User, obligations: Sequence[tuple[str, str]] | None = None,
              policy: str | None = None) -> TestCase:
    """Insert or replace the case called `name`, storing any new image bytes.

    `rules` must fire and `not_rules` must not, as in `jurist test`'s case files; `obligations`, when
    given, are exactly the decision's; `policy` is the seed policy the case proves.
    """
    case = get_case(session, ruleset, name)
    if case is None:
        case = TestCase(ruleset_id=ruleset.id, name=name)
        session.add(case)
    case.request_json = canonical_json(dict(request))
    case.expected_effect = effect
    case.expected_rules = json.dumps(list(rules))
    case.expected_not_rules = json.dumps(list(not_rules))
    case.expected_obligations = None if obligations is None else json.dumps([list(o) for o in obligations])
    case.policy = policy
    case.updated_by_id = editor.id
    case.updated_at = now()
    session.flush()
    session.execute(delete(TestCaseImage).where(TestCaseImage.test_case_id == case.id))
    for position, (image_name, data) in enumerate(images):
        session.add(TestCaseImage(test_case_id=case.id, position=position, name=image_name,
                                  blob_sha256=put_blob(session, data)))
    session.flush()
    drop_unused_blobs(session)
    return case


def delete_case(session: Session, case: TestCase) -> None:
    session.delete(case)
    session.flush()
    drop_unused_blobs(session)


def drop_unused_blobs(session: Session) -> None:
    used = exists().where(TestCaseImage.blob_sha256 == Blob.sha256)
    kept = exists().where(VersionCaseImage.blob_sha256 == Blob.sha256)
    session.execute(delete(Blob).where(~used, ~kept))


def stored_case_hashes(session: Session, ruleset: Ruleset) -> dict[str, str]:
    """Each stored case's `case_hash`, by name: what the audit log recorded when it was saved."""
    cases = list_cases(session, ruleset)
    images = images_of(session, [c.id for c in cases])
    return {c.name: row_hash(c, [(name, digest) for name, digest, _ in images[c.id]]) for c in cases}


def row_hash(case: TestCase, images: Sequence[tuple[str, str]]) -> str:
    """The `case_hash` of a stored case, given its images as (name, blob hash) in request order."""
    return document_hash(case_document(case), images)


def document_hash(doc: Mapping[str, Any], images: Sequence[tuple[str, str]]) -> str:
    """The `case_hash` of a case document (`case_document`'s shape), given its images as (name, blob hash)."""
    expect = doc["expect"]
    obligations = expect.get("obligations")
    return case_hash(doc["name"], doc["request"], expect["effect"], expect["rules"], expect.get("not_rules", []),
                     images, None if obligations is None else [(o["kind"], o["value"]) for o in obligations],
                     doc.get("policy"))


def expected_obligations(case: TestCase) -> list[tuple[str, str]] | None:
    """The (kind, value) pairs a stored case expects, or None when it does not check obligations."""
    if case.expected_obligations is None:
        return None
    return [(str(k), str(v)) for k, v in json.loads(case.expected_obligations)]


def case_document(case: TestCase) -> dict[str, Any]:
    """The case in `jurist test`'s JSON shape; `not_rules` only when there are some, as case files write it."""
    expect: dict[str, Any] = {"effect": case.expected_effect, "rules": json.loads(case.expected_rules)}
    not_rules = json.loads(case.expected_not_rules)
    if not_rules:
        expect["not_rules"] = not_rules
    obligations = expected_obligations(case)
    if obligations is not None:
        expect["obligations"] = [{"kind": k, "value": v} for k, v in obligations]
    doc: dict[str, Any] = {"name": case.name, "request": json.loads(case.request_json), "expect": expect}
    if case.policy is not None:
        doc["policy"] = case.policy
    return doc


def inline_documents(session: Session, ruleset: Ruleset) -> list[dict[str, Any]]:
    """Every case in `jurist test`'s JSON shape, its images inline as data URLs, ready for the engine."""
    cases = list_cases(session, ruleset)
    images = images_of(session, [c.id for c in cases])
    return [inline(session, case_document(case), [(name, digest) for name, digest, _ in images[case.id]])
            for case in cases]


def inline(session: Session, doc: dict[str, Any], images: Sequence[tuple[str, str]]) -> dict[str, Any]:
    """A case document with its images, given as (name, blob hash), inline as data URLs in its request."""
    found = []
    for name, digest in images:
        blob = get_blob(session, digest)
        if blob is None:
            raise NotFound(f"test case `{doc['name']}`: stored image {digest[:12]}… is missing")
        found.append(data_urls.encode(blob, name))
    if found:
        doc["request"]["images"] = found
    return doc
