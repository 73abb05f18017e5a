"""Test cases kept per ruleset: a request, the decision it must get, and its images.

Editors save and delete cases; everyone reads them.  A case is validated in
full (with the bytes of every image its request names) before it is stored.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Mapping, Sequence

from sqlalchemy.orm import Session

from jurist.db import history, provenance
from jurist.db import rulesets as data
from jurist.db import testcases as case_data
from jurist.db.errors import InvalidInput, NotFound
from jurist.db.hashing import blob_hash
from jurist.db.models import Ruleset, TestCase, User
from jurist.db.records import CaseChanges, ImageRef, RunnableCases, TestCaseInfo, frozen_mapping
from jurist.db.service.acting import Actor
from jurist.db.service.versions import find_ruleset, find_version
from jurist.engine.cases import Case, CaseError


def _case_infos(session: Session, cases: Sequence[TestCase]) -> list[TestCaseInfo]:
    images = case_data.images_of(session, [c.id for c in cases])
    names = data.user_names(session, [c.updated_by_id for c in cases])
    out = []
    for c in cases:
        obligations = case_data.expected_obligations(c)
        out.append(TestCaseInfo(name=c.name, request=frozen_mapping(json.loads(c.request_json)),
                                expected_effect=c.expected_effect, expected_rules=tuple(json.loads(c.expected_rules)),
                                expected_not_rules=tuple(json.loads(c.expected_not_rules)),
                                images=tuple(ImageRef(n, h, s) for n, h, s in images[c.id]),
                                updated_by=names[c.updated_by_id], updated_at=c.updated_at,
                                expected_obligations=None if obligations is None else tuple(obligations),
                                policy=c.policy))
    return out


def list_test_cases(actor: Actor, ruleset: str) -> tuple[TestCaseInfo, ...]:
    with actor.read() as session:
        actor.require(session, "viewer", "listing test cases")
        rs = find_ruleset(session, ruleset)
        return tuple(_case_infos(session, case_data.list_cases(session, rs)))


def save_test_case(actor: Actor, ruleset: str, case: Mapping[str, Any],
                   images: Mapping[str, bytes] | None = None) -> TestCaseInfo:
    """Insert or replace a case (`{"name", "request", "expect"}`); every image the
    request names must come with its bytes in `images`."""
    valid = validate_case(case, dict(images or {}))
    with actor.write() as session:
        user = actor.require(session, "editor", "saving test cases")
        rs = find_ruleset(session, ruleset)
        stored = store_case(session, rs, valid, user)
        actor.audit(session, "testcase.save", f"ruleset:{ruleset}",
                    {"case": valid.name, "effect": valid.effect, "images": [n for n, _ in valid.images],
                     "hash": stored_hash(stored, valid.images)})
        return _case_infos(session, [stored])[0]


def stored_hash(case: TestCase, images: Sequence[tuple[str, bytes]]) -> str:
    """What the audit log records of a saved case: its `case_hash`, so an edit behind the store shows."""
    return case_data.row_hash(case, [(name, blob_hash(data)) for name, data in images])


def delete_test_case(actor: Actor, ruleset: str, name: str) -> None:
    with actor.write() as session:
        actor.require(session, "editor", "deleting test cases")
        rs = find_ruleset(session, ruleset)
        case = case_data.get_case(session, rs, name)
        if case is None:
            raise NotFound(f"ruleset `{ruleset}` has no test case `{name}`")
        case_data.delete_case(session, case)
        actor.audit(session, "testcase.delete", f"ruleset:{ruleset}", {"case": name})


def image_bytes(actor: Actor, sha256: str) -> bytes:
    with actor.read() as session:
        actor.require(session, "viewer", "reading images")
        blob = case_data.get_blob(session, sha256)
        if blob is None:
            raise NotFound(f"no stored image {sha256[:12]}…")
        return blob


def runnable_test_cases(actor: Actor, ruleset: str, number: int | None = None) -> list[dict[str, Any]]:
    """The cases as `jurist test` reads them, their images inline as data URLs (nothing written to disk):
    version `number`'s (see `case_set`), or without a number the working set editors edit.

    Refused (TamperedVersion) when they differ from what the audit log recorded: a case weakened in the
    database must not pass a review.
    """
    return list(case_set(actor, ruleset, number).documents)


def case_set(actor: Actor, ruleset: str, number: int | None = None) -> RunnableCases:
    """The cases version `number` is tested with: those it kept when it was submitted (a version submitted
    before versions kept their cases, or a draft, is tested with the working set); without a number, the
    working set, which the next submission keeps."""
    with actor.read() as session:
        actor.require(session, "viewer", "listing test cases")
        rs = find_ruleset(session, ruleset)
        if number is None:
            return provenance.working_set(session, rs)
        return provenance.cases_of_version(session, rs, find_version(session, rs, number))


def case_changes(actor: Actor, ruleset: str, number: int | None = None) -> CaseChanges:
    """How the ruleset's working set differs from the cases version `number` (default: the published, else the
    newest) keeps, or else was last approved, or else submitted, with."""
    with actor.read() as session:
        actor.require(session, "viewer", "listing test cases")
        rs = find_ruleset(session, ruleset)
        version = find_version(session, rs, number) if number is not None else (
            data.published_version(session, rs) or find_version(session, rs, None))
        proven = history.replay(session)
        return history.changes_since_review(proven, rs.name, version.number, case_data.stored_case_hashes(session, rs),
                                            provenance.kept_hashes(session, rs, version, proven))


@dataclass(frozen=True, slots=True)
class ValidCase:
    """A case the engine's reader accepted, with the bytes of its images in request order."""

    case: Case
    request: dict[str, Any]               # as written (image names, not paths)
    images: list[tuple[str, bytes]]

    @property
    def name(self) -> str:
        return self.case.name

    @property
    def effect(self) -> str:
        return self.case.effect


def store_case(session: Session, ruleset: Ruleset, valid: ValidCase, editor: User) -> TestCase:
    case = valid.case
    return case_data.save_case(session, ruleset, case.name, valid.request, case.effect, case.rules, case.not_rules,
                               valid.images, editor, case.obligations, case.policy)


def validate_case(case: Mapping[str, Any], images: Mapping[str, bytes]) -> ValidCase:
    """Check a case with the engine's one reader (what `jurist test` reads); every image its request names
    must come with its bytes."""
    try:
        parsed = Case.from_json(case)
    except CaseError as exc:
        raise InvalidInput(str(exc)) from None
    request = dict(case["request"])
    names = list(parsed.request.images)
    missing = [n for n in names if n not in images]
    if missing:
        raise InvalidInput(f"test case `{parsed.name}`: no bytes given for image(s) {', '.join(missing)}")
    try:
        json.dumps(request)
    except (TypeError, ValueError) as exc:
        raise InvalidInput(f"test case `{parsed.name}`: `request` is not plain JSON ({exc})") from None
    return ValidCase(parsed, request, [(n, images[n]) for n in names])
