"""First run: seeding an empty store from the shipped rulesets directory."""
from __future__ import annotations

import json
from pathlib import Path

from jurist.db.loader import published_sources
from jurist.db.seed import seed_if_empty

from store_support import BROKEN_POLICY, GOOD_POLICY, Team


def test_seed_publishes_shipped_rules_once(open_store, url: str, tmp_path: Path) -> None:
    (tmp_path / "global").mkdir()
    (tmp_path / "global" / "minors.policy").write_text(GOOD_POLICY)
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "cases.json").write_text(json.dumps({"cases": [
        {"name": "c", "request": {"country": "GB"}, "expect": {"effect": "allow", "rules": []}}]}))
    owner = open_store("owner")
    result = seed_if_empty(owner, tmp_path)
    assert result is not None and result.version is not None and result.version.state == "published"
    assert result.cases_saved == 1
    assert published_sources(f"{url}#global")[0] == {"global/minors.policy": GOOD_POLICY}
    assert [e.action for e in owner.audit_log(limit=1)] == ["ruleset.seed"]
    assert seed_if_empty(owner, tmp_path) is None
    assert owner.verify_audit().ok


def test_seeded_cases_keep_not_rules(open_store, tmp_path: Path) -> None:
    (tmp_path / "global").mkdir()
    (tmp_path / "global" / "minors.policy").write_text(GOOD_POLICY)
    (tmp_path / "tests").mkdir()
    adult = {"name": "adult", "request": {"country": "GB"},
             "expect": {"effect": "allow", "rules": [], "not_rules": ["minors_nudity"]}}
    (tmp_path / "tests" / "cases.json").write_text(json.dumps({"cases": [adult]}))
    owner = open_store("owner")
    assert seed_if_empty(owner, tmp_path) is not None
    [stored] = owner.list_test_cases("global")
    assert stored.expected_not_rules == ("minors_nudity",)
    assert owner.runnable_test_cases("global") == [adult]


def test_seed_that_does_not_compile_stays_a_draft(open_store, tmp_path: Path) -> None:
    (tmp_path / "bad.policy").write_text(BROKEN_POLICY)
    result = seed_if_empty(open_store("owner"), tmp_path)
    assert result is not None and result.version is not None and result.version.state == "draft"


def test_seed_without_rulesets_does_nothing(open_store, tmp_path: Path) -> None:
    store = open_store("owner")
    assert seed_if_empty(store, tmp_path / "absent") is None
    assert seed_if_empty(store, tmp_path) is None  # exists but holds no *.policy
    assert store.list_rulesets() == ()


def test_only_an_admin_seeds(team: Team, tmp_path: Path) -> None:
    (tmp_path / "a.policy").write_text(GOOD_POLICY)
    assert seed_if_empty(team.erin, tmp_path) is None
    assert team.vic.list_rulesets() == ()
