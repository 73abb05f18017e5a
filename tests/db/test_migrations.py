"""Migrations: one head, a full down/up cycle with data present, refusal of foreign databases."""
from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from jurist.db.connection import create_store_engine
from jurist.db.errors import StoreUnavailable
from jurist.db.migrate import alembic_config, downgrade, ensure_schema, head_revision, upgrade
from jurist.db.models import Base
from jurist.engine.cases import CaseResult
from jurist.db.service import Store

from store_support import GOOD_POLICY, forge_event, raw_sql

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
NOT_RULES_CASE = {"name": "adult at the beach", "request": {"country": "GB", "images": ["beach.png"]},
                  "expect": {"effect": "allow", "rules": [], "not_rules": ["minors_nudity"]}}


def revisions() -> list[str]:
    """Every revision, oldest first."""
    return [r.revision for r in reversed(list(ScriptDirectory.from_config(alembic_config()).walk_revisions()))]


def columns(engine, table: str) -> set[str]:
    return {c["name"] for c in inspect(engine).get_columns(table)}


def test_single_head() -> None:
    assert len(ScriptDirectory.from_config(alembic_config()).get_heads()) == 1


@pytest.fixture
def empty_url(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'empty.db'}"
    return request.getfixturevalue("pg_database")(False)


def test_up_down_up_on_empty_database_with_data(empty_url: str) -> None:
    engine = create_store_engine(empty_url, create=True)
    try:
        assert ensure_schema(engine, create=True) == head_revision()
        tables = set(inspect(engine).get_table_names())
        assert set(Base.metadata.tables) <= tables

        store = Store.open(empty_url, login="admin")
        store.create_ruleset("global")
        store.create_draft("global", {"a.policy": GOOD_POLICY})
        store.close()

        downgrade(engine, "base")
        assert set(inspect(engine).get_table_names()) == {"jurist_schema_version"}

        assert ensure_schema(engine, create=True) == head_revision()
        store = Store.open(empty_url, login="admin")
        assert store.list_rulesets() == ()
        assert store.verify_audit().ok
        store.close()
    finally:
        engine.dispose()


def test_each_revision_steps_up_and_down_on_an_empty_database(empty_url: str) -> None:
    engine = create_store_engine(empty_url, create=True)
    try:
        seen: list[set[str]] = []
        for revision in revisions():
            upgrade(engine, revision)
            seen.append(set(inspect(engine).get_table_names()))
        assert revisions()[-1] == head_revision()
        assert set(Base.metadata.tables) <= seen[-1]
        for revision, below in zip(reversed(revisions()), reversed(["base", *revisions()[:-1]])):
            downgrade(engine, below)
            if below != "base":
                assert set(inspect(engine).get_table_names()) == seen[revisions().index(below)]
        assert set(inspect(engine).get_table_names()) == {"jurist_schema_version"}
    finally:
        engine.dispose()


def test_not_rules_column_goes_down_and_up_with_data_present(empty_url: str) -> None:
    """0002 drops only its column: cases, their images and recorded runs survive a down/up cycle."""
    store = Store.open(empty_url, login="admin", create=True)
    store.create_ruleset("global")
    number = store.create_draft("global", {"a.policy": GOOD_POLICY}).number
    store.save_test_case("global", NOT_RULES_CASE, {"beach.png": PNG})
    store.record_simulation("global", number, [CaseResult("adult at the beach", "allow", (), ("minors_nudity",),
                                                          None, None, ())])
    logged = store.audit_log(limit=2)[1].details["hash"]  # the testcase.save event, before the run's
    store.close()
    engine = create_store_engine(empty_url, create=True)
    try:
        downgrade(engine, "0001")
        assert "expected_not_rules" not in columns(engine, "test_cases")
        assert "expected_not_rules" not in columns(engine, "simulation_results")
        with engine.connect() as conn:
            counts = [conn.exec_driver_sql(f"SELECT count(*) FROM {t}").scalar()
                      for t in ("test_cases", "test_case_images", "blobs", "simulation_results")]
            linked = conn.exec_driver_sql("SELECT count(*) FROM simulation_results "
                                          "WHERE test_case_id IS NOT NULL").scalar()
        assert counts == [1, 1, 1, 1] and linked == 1
    finally:
        engine.dispose()

    store = Store.open(empty_url, login="admin")  # an old database is brought to head on open
    try:
        [case] = store.list_test_cases("global")
        assert case.expected_not_rules == ()  # the server default: nothing forbidden
        assert [i.name for i in case.images] == ["beach.png"] and store.image_bytes(case.images[0].sha256) == PNG
        [run] = store.list_simulation_runs("global")
        assert [(r.case_name, r.expected_not_rules, r.passed) for r in run.results] == [
            ("adult at the beach", (), True)]
        # Going down to 0001 dropped the case's `not_rules`: the case was weakened outside the service, and
        # the audit log, which recorded it with them, says so until someone saves it again.
        report = store.verify_audit()
        assert not report.ok and report.problems == () and report.violations == ()
        assert report.mismatches == (f"test case `adult at the beach` of `global` was edited in the database (it "
                                     f"no longer matches {logged[:19]}… in the audit log)",)
        store.save_test_case("global", {**NOT_RULES_CASE, "expect": {"effect": "allow", "rules": []}},
                             {"beach.png": PNG})
        assert store.verify_audit().ok
    finally:
        store.close()


def test_upgrading_to_0004_records_the_cases_older_events_did_not(empty_url: str) -> None:
    """Before 0004 a case's content was not in the log; the upgrade records a baseline, so from then on a case
    edited in the database shows, and going down and up again changes nothing."""
    with Store.open(empty_url, login="admin", create=True) as store:
        store.create_ruleset("global")
        store.create_draft("global", {"a.policy": GOOD_POLICY})
    engine = create_store_engine(empty_url, create=True)
    try:
        downgrade(engine, "0002")
        # what Jurist before 0004 wrote: a case row, and an import event that did not name its cases
        raw_sql(empty_url, "INSERT INTO test_cases (ruleset_id, name, request_json, expected_effect, expected_rules, "
                           "expected_not_rules, updated_by_id, updated_at) SELECT r.id, 'legacy', '{\"country\":\"GB\"}', "
                           "'deny', '[]', '[]', u.id, CURRENT_TIMESTAMP FROM rulesets r, users u")
        forge_event(empty_url, "admin", "testcase.import", "ruleset:global", {"cases": 1})
        with Store.open(empty_url, login="admin") as store:  # upgraded on open
            [baseline] = [e for e in store.audit_log() if e.action == "history.baseline"]
            assert baseline.actor == "(upgrade)" and list(baseline.details["cases"]["global"]) == ["legacy"]
            assert store.verify_audit().ok
        downgrade(engine, "0002")
        upgrade(engine, "head")
        with Store.open(empty_url, login="admin") as store:
            assert [e.action for e in store.audit_log(limit=2)] == ["history.baseline", "history.baseline"]
            assert store.verify_audit().ok
        raw_sql(empty_url, "UPDATE test_cases SET expected_effect = 'allow'")
        with Store.open(empty_url, login="admin") as store:
            [mismatch] = store.verify_audit().mismatches
            assert mismatch.startswith("test case `legacy` of `global` was edited in the database")
    finally:
        engine.dispose()


def test_schema_matches_models(empty_url: str) -> None:
    """Autogenerate finds nothing to do: the migration and the ORM agree."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    engine = create_store_engine(empty_url, create=True)
    try:
        ensure_schema(engine, create=True)
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"version_table": "jurist_schema_version"})
            assert compare_metadata(context, Base.metadata) == []
    finally:
        engine.dispose()


def test_foreign_sqlite_database_is_refused_and_untouched(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY)")
    with pytest.raises(StoreUnavailable, match=r"is not a Jurist store: it holds other tables \(`invoices`\)"):
        Store.open(f"sqlite:///{path}", login="admin")
    with sqlite3.connect(path) as conn:
        names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert names == {"invoices"}


def test_database_from_a_newer_jurist_is_refused(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'new.db'}"
    Store.open(url, login="admin", create=True).close()
    with sqlite3.connect(tmp_path / "new.db") as conn:
        conn.execute("UPDATE jurist_schema_version SET version_num = 'ffff9999'")
    with pytest.raises(StoreUnavailable, match="schema revision `ffff9999`, unknown to this version of Jurist"):
        Store.open(url, login="admin")
