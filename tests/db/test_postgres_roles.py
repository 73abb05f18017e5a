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


def test_database_logins_are_jurist_users(pg_cluster, pg_database) -> None:
    """With `jurist_logins` filled by the owner, a login acts only as its Jurist user, even in raw SQL."""
    from jurist.db.errors import PermissionDenied

    from store_support import forge_event

    owner_url = pg_database(True)
    suffix = uuid.uuid4().hex[:8]
    erin, alice, stranger = f"erin_{suffix}", f"alice_{suffix}", f"stranger_{suffix}"
    for app in (erin, alice, stranger):
        pg_cluster.admin_sql(f"CREATE ROLE {app} LOGIN")
        raw_sql(owner_url, *[s.format(app=app) for s in GRANTS.split(";")],
                f"REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON jurist_logins FROM {app}")
    with Store.open(owner_url, login="admin") as owner:
        owner.add_user("erin", "editor")
        owner.add_user("alice", "approver")
    raw_sql(owner_url, f"INSERT INTO jurist_logins VALUES ('jurist', 'admin'), ('{erin}', 'erin'), "
                       f"('{alice}', 'alice')")
    as_login = {name: owner_url.replace("jurist@", f"{name}@") for name in (erin, alice, stranger)}

    with pytest.raises(PermissionDenied, match=f"the database login `{erin}` is Jurist user `erin`; it cannot act "
                                               "as `alice`"):
        Store.open(as_login[erin], login="alice")
    with pytest.raises(PermissionDenied, match=f"the database login `{stranger}` is not mapped to a Jurist user"):
        Store.open(as_login[stranger])
    with Store.open(as_login[erin], check=compile_check) as store:  # the OS login (LOGNAME=admin) is ignored
        assert store.actor == "erin"
        store.create_ruleset("global")
        store.create_draft("global", {"a.policy": GOOD_POLICY})
        store.submit("global")
    with pytest.raises(DBAPIError, match=f"database login {erin} is Jurist user erin, and cannot record an event "
                                         "as alice"):
        forge_event(as_login[erin], "alice", "version.approve", "ruleset:global@1", {"hash": "x"})
    with pytest.raises(DBAPIError, match=f"database login {stranger} is not mapped to a Jurist user"):
        forge_event(as_login[stranger], "stranger", "user.add", "user:stranger", {"role": "admin"})
    with pytest.raises(DBAPIError, match="permission denied"):
        raw_sql(as_login[erin], f"UPDATE jurist_logins SET jurist_user = 'admin' WHERE db_login = '{erin}'")
    with Store.open(as_login[alice]) as store:
        assert store.approve("global").state == "approved"
        assert store.verify_audit().ok
