"""The PostgreSQL privilege recipe in docs/store.md works and protects the audit log."""
from __future__ import annotations

import uuid

import pytest
from sqlalchemy.exc import DBAPIError

from jurist.db.service import Store

from store_support import GOOD_POLICY, compile_check, raw_sql

GRANTS = """
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {app};
GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {app};
REVOKE UPDATE, DELETE, TRUNCATE ON audit_events FROM {app};
REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON jurist_schema_version FROM {app}
"""


def test_app_role_works_but_cannot_touch_the_audit_log(pg_cluster, pg_database) -> None:
    # pg_database has already required the cluster (skipped outside CI and `make test`, failed inside).
    owner_url = pg_database(True)
    app = f"app_{uuid.uuid4().hex[:8]}"
    pg_cluster.admin_sql(f"CREATE ROLE {app} LOGIN")
    raw_sql(owner_url, *[s.format(app=app) for s in GRANTS.split(";")])
    app_url = owner_url.replace("jurist@", f"{app}@")
    # The role outlives this test's database; the cluster is thrown away at the end of the run.
    Store.open(owner_url, login="admin").close()
    with Store.open(app_url, login="admin", check=compile_check) as store:
        store.add_user("alice", "approver")
        store.create_ruleset("global")
        store.create_draft("global", {"a.policy": GOOD_POLICY})
        store.submit("global")
    with Store.open(app_url, login="alice") as alice:
        alice.approve("global")
        alice.publish("global")
        assert alice.verify_audit().ok
    for statement in ("UPDATE audit_events SET actor = 'x'", "DELETE FROM audit_events",
                      "ALTER TABLE audit_events DISABLE TRIGGER USER", "TRUNCATE audit_events"):
        with pytest.raises(DBAPIError, match="permission denied|must be owner"):
            raw_sql(app_url, statement)
