"""History that proves itself: the two-person rule in the database, database logins, a case baseline.

* Triggers on both backends refuse an approval (an `approvals` row, or a
  `version.approve` audit event) by anyone the audit log records writing the
  version (the actor, or the admin behind `--as`, of an import, create or
  save), or whom `version_authors` lists: the two-person rule holds even for a
  caller that bypasses the service.
* `jurist_logins` maps PostgreSQL logins to Jurist users.  Once the owner
  fills it, a trigger lets each login record audit events only as its own
  Jurist user (or as `via`, behind an admin's `--as`).  Migrations that append
  events after it is filled must run as a mapped login.
* An index on `audit_events.subject`, which the trigger and the service's
  author lookup use.
* A `history.baseline` event recording every stored test case's hash: events
  from before this revision did not record them, so from here on a case
  edited in the database shows in `audit verify`.  Written only when the
  store has rulesets; the replay accepts it only where it changes nothing the
  log already recorded.

Revision ID: 0004_history
Revises: 0003_serving
Create Date: 2027-01-10
"""
from __future__ import annotations

import json
from datetime import datetime, timezone

import sqlalchemy as sa
from alembic import op

revision = '0004_history'
down_revision = '0003_serving'
branch_labels = None
depends_on = None

WRITES = "('version.import', 'version.create', 'version.save')"  # jurist.db.workflow.WRITES
REFUSAL = "two-person rule: an author of this version cannot approve it"


def upgrade() -> None:
    op.create_table('jurist_logins',
                    sa.Column('db_login', sa.String(length=63), nullable=False),
                    sa.Column('jurist_user', sa.String(length=64), nullable=False),
                    sa.PrimaryKeyConstraint('db_login', name=op.f('pk_jurist_logins')))
    op.create_index(op.f('ix_audit_events_subject'), 'audit_events', ['subject'], unique=False)
    _record_case_baseline()
    if op.get_bind().dialect.name == "postgresql":
        _postgres_triggers()
    else:
        _sqlite_triggers()


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER approvals_two_person ON approvals")
        op.execute("DROP TRIGGER audit_events_rules ON audit_events")
        op.execute("DROP FUNCTION jurist_approval_rules()")
        op.execute("DROP FUNCTION jurist_audit_event_rules()")
        op.execute("DROP FUNCTION jurist_wrote(text, text[])")
    else:
        op.execute("DROP TRIGGER approvals_two_person")
        op.execute("DROP TRIGGER audit_events_two_person")
    op.drop_index(op.f('ix_audit_events_subject'), table_name='audit_events')
    op.drop_table('jurist_logins')
    # The baseline event stays: audit events are append-only.  Upgrading again records another, which
    # the replay accepts as long as it agrees with what the log already holds.


def _record_case_baseline() -> None:
    from jurist.db.hashing import canonical_json, case_hash, event_hash
    from jurist.db.history import BASELINE_ACTOR

    conn = op.get_bind()
    rulesets = {rid: name for rid, name in conn.execute(sa.text("SELECT id, name FROM rulesets"))}
    head = conn.execute(sa.text("SELECT seq, hash FROM audit_head WHERE id = 1")).first()
    if not rulesets or head is None:
        return
    images: dict[int, list[tuple[str, str]]] = {}
    for case_id, name, digest in conn.execute(sa.text(
            "SELECT test_case_id, name, blob_sha256 FROM test_case_images ORDER BY test_case_id, position")):
        images.setdefault(case_id, []).append((name, digest))
    cases: dict[str, dict[str, str]] = {name: {} for name in rulesets.values()}
    for row in conn.execute(sa.text("SELECT id, ruleset_id, name, request_json, expected_effect, expected_rules, "
                                    "expected_not_rules FROM test_cases")):
        cases[rulesets[row.ruleset_id]][row.name] = case_hash(
            row.name, json.loads(row.request_json), row.expected_effect, json.loads(row.expected_rules),
            json.loads(row.expected_not_rules), images.get(row.id, []))
    seq = head.seq + 1
    at = datetime.now(timezone.utc).isoformat(timespec="microseconds")
    details = canonical_json({"cases": cases, "schema": revision})
    digest = event_hash(seq, at, BASELINE_ACTOR, "history.baseline", "store", details, head.hash)
    conn.execute(sa.text("INSERT INTO audit_events (seq, at, actor, action, subject, details, prev_hash, hash) "
                         "VALUES (:seq, :at, :actor, 'history.baseline', 'store', :details, :prev, :hash)"),
                 {"seq": seq, "at": at, "actor": BASELINE_ACTOR, "details": details, "prev": head.hash,
                  "hash": digest})
    conn.execute(sa.text("UPDATE audit_head SET seq = :seq, hash = :hash WHERE id = 1"), {"seq": seq, "hash": digest})


def _postgres_triggers() -> None:
    op.execute(f"""
        CREATE FUNCTION jurist_wrote(version_subject text, names text[]) RETURNS boolean LANGUAGE sql STABLE AS $$
            SELECT EXISTS (SELECT 1 FROM audit_events e
                           WHERE e.subject = version_subject AND e.action IN {WRITES}
                             AND (e.actor = ANY(names) OR (e.details::jsonb ->> 'via') = ANY(names)))
        $$""")
    op.execute(f"""
        CREATE FUNCTION jurist_audit_event_rules() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE
            via text := NEW.details::jsonb ->> 'via';
            mapped text;
        BEGIN
            IF EXISTS (SELECT 1 FROM jurist_logins) THEN
                SELECT jurist_user INTO mapped FROM jurist_logins WHERE db_login = session_user;
                IF mapped IS NULL THEN
                    RAISE EXCEPTION 'database login % is not mapped to a Jurist user, so it cannot record '
                                    'audit events', session_user;
                END IF;
                IF coalesce(via, NEW.actor) <> mapped THEN
                    RAISE EXCEPTION 'database login % is Jurist user %, and cannot record an event as %',
                                    session_user, mapped, coalesce(via, NEW.actor);
                END IF;
            END IF;
            IF NEW.action = 'version.approve' AND jurist_wrote(NEW.subject, ARRAY[NEW.actor, via]) THEN
                RAISE EXCEPTION '{REFUSAL} (%)', NEW.subject;
            END IF;
            RETURN NEW;
        END $$""")
    op.execute("""
        CREATE TRIGGER audit_events_rules BEFORE INSERT ON audit_events
        FOR EACH ROW EXECUTE FUNCTION jurist_audit_event_rules()""")
    op.execute(f"""
        CREATE FUNCTION jurist_approval_rules() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE
            approver text;
            version_subject text;
        BEGIN
            SELECT name INTO approver FROM users WHERE id = NEW.approver_id;
            SELECT 'ruleset:' || r.name || '@' || v.number INTO version_subject
              FROM versions v JOIN rulesets r ON r.id = v.ruleset_id WHERE v.id = NEW.version_id;
            IF EXISTS (SELECT 1 FROM version_authors a
                       WHERE a.version_id = NEW.version_id AND a.user_id = NEW.approver_id)
               OR jurist_wrote(version_subject, ARRAY[approver]) THEN
                RAISE EXCEPTION '{REFUSAL} (%)', version_subject;
            END IF;
            RETURN NEW;
        END $$""")
    op.execute("""
        CREATE TRIGGER approvals_two_person BEFORE INSERT OR UPDATE ON approvals
        FOR EACH ROW EXECUTE FUNCTION jurist_approval_rules()""")


def _sqlite_triggers() -> None:
    op.execute(f"""
        CREATE TRIGGER audit_events_two_person BEFORE INSERT ON audit_events
        WHEN NEW.action = 'version.approve' AND EXISTS (
            SELECT 1 FROM audit_events e
            WHERE e.subject = NEW.subject AND e.action IN {WRITES}
              AND (e.actor IN (NEW.actor, json_extract(NEW.details, '$.via'))
                   OR json_extract(e.details, '$.via') IN (NEW.actor, json_extract(NEW.details, '$.via'))))
        BEGIN SELECT RAISE(ABORT, '{REFUSAL}'); END""")
    op.execute(f"""
        CREATE TRIGGER approvals_two_person BEFORE INSERT ON approvals
        WHEN EXISTS (SELECT 1 FROM version_authors a WHERE a.version_id = NEW.version_id AND a.user_id = NEW.approver_id)
          OR EXISTS (SELECT 1 FROM audit_events e, versions v, rulesets r, users u
                     WHERE v.id = NEW.version_id AND r.id = v.ruleset_id AND u.id = NEW.approver_id
                       AND e.subject = 'ruleset:' || r.name || '@' || v.number AND e.action IN {WRITES}
                       AND (e.actor = u.name OR json_extract(e.details, '$.via') = u.name))
        BEGIN SELECT RAISE(ABORT, '{REFUSAL}'); END""")
