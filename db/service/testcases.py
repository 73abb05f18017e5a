"""Test cases kept per ruleset: a request, the decision it must get, and its images.

Editors save and delete cases; everyone reads them.  A case is validated in
full (with the bytes of every image its request names) before it is stored.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Mapping, Sequence

from sqlalchemy.orm import Session

from jurist.db import rulesets as data, testcases as case_data
from jurist.db.errors import InvalidInput, NotFound
from jurist.db.models import TestCase
from jurist.db.workflow import EFFECTS
from jurist.db.records import ImageRef, TestCaseInfo, frozen_mapping
from jurist.db.safetext import require_plain
from jurist.db.service.acting import Actor
from jurist.db.service.versions import find_ruleset


def _case_infos(session: Session, cases: Sequence[TestCase]) -> list[TestCaseInfo]:
    images = case_data.images_of(session, [c.id for c in cases])
    names = data.user_names(session, [c.updated_by_id for c in cases])
    return [TestCaseInfo(name=c.name, request=frozen_mapping(json.loads(c.request_json)),
                         expected_effect=c.expected_effect, expected_rules=tuple(json.loads(c.expected_rules)),
                         expected_not_rules=tuple(json.loads(c.expected_not_rules)),
                         images=tuple(ImageRef(n, h, s) for n, h, s in images[c.id]),
                         updated_by=names[c.updated_by_id], updated_at=c.updated_at) for c in cases]


def list_test_cases(actor: Actor, ruleset: str) -> tuple[TestCaseInfo, ...]:
    with actor.read() as session:
        actor.require(session, "viewer", "listing test cases")
        rs = find_ruleset(session, ruleset)
        return tuple(_case_infos(session, case_data.list_cases(session, rs)))


def save_test_case(actor: Actor, ruleset: str, case: Mapping[str, Any],
                   images: Mapping[str, bytes] | None = None) -> TestCaseInfo:
    """Insert or replace a case (`{"name", "request", "expect"}`); every image the
    request names must come with its bytes in `images`."""
    name, request, effect, rules, not_rules, image_list = validate_case(case, dict(images or {}))
    with actor.write() as session:
        user = actor.require(session, "editor", "saving test cases")
        rs = find_ruleset(session, ruleset)
        stored = case_data.save_case(session, rs, name, request, effect, rules, not_rules, image_list, user)
        actor.audit(session, "testcase.save", f"ruleset:{ruleset}",
                    {"case": name, "effect": effect, "images": [n for n, _ in image_list]})
        return _case_infos(session, [stored])[0]


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


def export_test_cases(actor: Actor, ruleset: str, directory: str | Path) -> list[dict[str, Any]]:
    """Write each case's images under `directory` and return the cases with the
    request's image names pointing at those files, ready for the engine."""
    with actor.read() as session:
        actor.require(session, "viewer", "listing test cases")
        return case_data.export_cases(session, find_ruleset(session, ruleset), Path(directory))


def validate_case(case: Mapping[str, Any], images: Mapping[str, bytes]
                  ) -> tuple[str, dict[str, Any], str, list[str], list[str], list[tuple[str, bytes]]]:
    """Check a case's shape; return name, request, effect, rules, not_rules and the images in request order."""
    if not isinstance(case, Mapping):
        raise InvalidInput("a test case must be an object with `name`, `request` and `expect`")
    name = case.get("name")
    if not isinstance(name, str) or not name.strip() or len(name) > 200:
        raise InvalidInput("a test case needs a `name` (text, at most 200 characters)")
    require_plain(name, f"the test case name `{name}`")
    request = case.get("request")
    if not isinstance(request, Mapping):
        raise InvalidInput(f"test case `{name}`: `request` must be an object")
    expect = case.get("expect")
    if not isinstance(expect, Mapping):
        raise InvalidInput(f"test case `{name}`: `expect` must be an object with `effect` and `rules`")
    effect = expect.get("effect")
    if effect not in EFFECTS:
        raise InvalidInput(f"test case `{name}`: `expect.effect` must be one of {', '.join(EFFECTS)}, got `{effect}`")
    rules = expect.get("rules", [])
    if not isinstance(rules, list) or not all(isinstance(r, str) for r in rules):
        raise InvalidInput(f"test case `{name}`: `expect.rules` must be a list of rule ids")
    not_rules = expect.get("not_rules", [])
    if not isinstance(not_rules, list) or not all(isinstance(r, str) for r in not_rules):
        raise InvalidInput(f"test case `{name}`: `expect.not_rules` must be a list of rule ids")
    names = request.get("images", [])
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        raise InvalidInput(f"test case `{name}`: `request.images` must be a list of file names")
    missing = [n for n in names if n not in images]
    if missing:
        raise InvalidInput(f"test case `{name}`: no bytes given for image(s) {', '.join(missing)}")
    try:
        json.dumps(dict(request))
    except (TypeError, ValueError) as exc:
        raise InvalidInput(f"test case `{name}`: `request` is not plain JSON ({exc})") from None
    return name, dict(request), effect, list(rules), list(not_rules), [(n, images[n]) for n in names]
