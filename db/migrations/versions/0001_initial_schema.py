"""Initial schema: users, rulesets, versions, approvals, test cases, simulations, audit log.

The audit table is made append-only by triggers on both backends (a guard
against accidents and casual edits; see docs/store.md for what it does not
stop), and the audit head starts at the genesis hash.

Revision ID: 0001
Revises:
Create Date: 2026-11-27
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa

GENESIS = "0" * 64

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('audit_events',
    sa.Column('seq', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('at', sa.String(length=40), nullable=False),
    sa.Column('actor', sa.String(length=64), nullable=False),
    sa.Column('action', sa.String(length=64), nullable=False),
    sa.Column('subject', sa.String(length=256), nullable=False),
    sa.Column('details', sa.Text(), nullable=False),
    sa.Column('prev_hash', sa.String(length=64), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('seq', name=op.f('pk_audit_events'))
    )
    op.create_table('audit_head',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.CheckConstraint('id = 1', name=op.f('ck_audit_head_single_row')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_head'))
    )
    op.create_table('blobs',
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.PrimaryKeyConstraint('sha256', name=op.f('pk_blobs'))
    )
    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("role IN ('viewer', 'editor', 'approver', 'admin')", name=op.f('ck_users_role_known')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('name', name=op.f('uq_users_name'))
    )
    op.create_table('rulesets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('jurisdictions', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_rulesets_created_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rulesets')),
    sa.UniqueConstraint('name', name=op.f('uq_rulesets_name'))
    )
    op.create_table('test_cases',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ruleset_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('request_json', sa.Text(), nullable=False),
    sa.Column('expected_effect', sa.String(length=8), nullable=False),
    sa.Column('expected_rules', sa.Text(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("expected_effect IN ('deny', 'review', 'allow')", name=op.f('ck_test_cases_effect_known')),
    sa.ForeignKeyConstraint(['ruleset_id'], ['rulesets.id'], name=op.f('fk_test_cases_ruleset_id_rulesets'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_test_cases_updated_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_test_cases')),
    sa.UniqueConstraint('ruleset_id', 'name', name='uq_test_cases_ruleset_name')
    )
    with op.batch_alter_table('test_cases', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_test_cases_ruleset_id'), ['ruleset_id'], unique=False)

    op.create_table('versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ruleset_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('content_hash', sa.String(length=71), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.CheckConstraint("state IN ('draft', 'in_review', 'approved', 'published', 'retired')", name=op.f('ck_versions_state_known')),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_versions_author_id_users')),
    sa.ForeignKeyConstraint(['parent_id'], ['versions.id'], name=op.f('fk_versions_parent_id_versions')),
    sa.ForeignKeyConstraint(['ruleset_id'], ['rulesets.id'], name=op.f('fk_versions_ruleset_id_rulesets'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_versions')),
    sa.UniqueConstraint('ruleset_id', 'number', name='uq_versions_ruleset_number')
    )
    with op.batch_alter_table('versions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_versions_ruleset_id'), ['ruleset_id'], unique=False)
        batch_op.create_index('uq_versions_one_published', ['ruleset_id'], unique=True, sqlite_where=sa.text("state = 'published'"), postgresql_where=sa.text("state = 'published'"))

    op.create_table('approvals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('approver_id', sa.Integer(), nullable=False),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['approver_id'], ['users.id'], name=op.f('fk_approvals_approver_id_users')),
    sa.ForeignKeyConstraint(['version_id'], ['versions.id'], name=op.f('fk_approvals_version_id_versions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_approvals')),
    sa.UniqueConstraint('version_id', 'approver_id', name='uq_approvals_version_approver')
    )
    with op.batch_alter_table('approvals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_approvals_version_id'), ['version_id'], unique=False)

    op.create_table('simulation_runs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('started_by_id', sa.Integer(), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('passed', sa.Integer(), nullable=False),
    sa.Column('failed', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['started_by_id'], ['users.id'], name=op.f('fk_simulation_runs_started_by_id_users')),
    sa.ForeignKeyConstraint(['version_id'], ['versions.id'], name=op.f('fk_simulation_runs_version_id_versions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_simulation_runs'))
    )
    with op.batch_alter_table('simulation_runs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_simulation_runs_version_id'), ['version_id'], unique=False)

    op.create_table('test_case_images',
    sa.Column('test_case_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=512), nullable=False),
    sa.Column('blob_sha256', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['blob_sha256'], ['blobs.sha256'], name=op.f('fk_test_case_images_blob_sha256_blobs')),
    sa.ForeignKeyConstraint(['test_case_id'], ['test_cases.id'], name=op.f('fk_test_case_images_test_case_id_test_cases'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('test_case_id', 'position', name=op.f('pk_test_case_images'))
    )
    with op.batch_alter_table('test_case_images', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_test_case_images_blob_sha256'), ['blob_sha256'], unique=False)

    op.create_table('version_authors',
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_version_authors_user_id_users')),
    sa.ForeignKeyConstraint(['version_id'], ['versions.id'], name=op.f('fk_version_authors_version_id_versions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('version_id', 'user_id', name=op.f('pk_version_authors'))
    )
    op.create_table('version_files',
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('path', sa.String(length=512), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['version_id'], ['versions.id'], name=op.f('fk_version_files_version_id_versions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('version_id', 'path', name=op.f('pk_version_files'))
    )
    op.create_table('simulation_results',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('run_id', sa.Integer(), nullable=False),
    sa.Column('test_case_id', sa.Integer(), nullable=True),
    sa.Column('case_name', sa.String(length=200), nullable=False),
    sa.Column('expected_effect', sa.String(length=8), nullable=False),
    sa.Column('expected_rules', sa.Text(), nullable=False),
    sa.Column('actual_effect', sa.String(length=8), nullable=True),
    sa.Column('actual_rules', sa.Text(), nullable=False),
    sa.Column('passed', sa.Boolean(), nullable=False),
    sa.Column('error', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['run_id'], ['simulation_runs.id'], name=op.f('fk_simulation_results_run_id_simulation_runs'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['test_case_id'], ['test_cases.id'], name=op.f('fk_simulation_results_test_case_id_test_cases'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_simulation_results'))
    )
    with op.batch_alter_table('simulation_results', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_simulation_results_run_id'), ['run_id'], unique=False)

    op.bulk_insert(sa.table("audit_head", sa.column("id", sa.Integer), sa.column("seq", sa.Integer),
                            sa.column("hash", sa.String)),
                   [{"id": 1, "seq": 0, "hash": GENESIS}])
    _create_append_only_guard()



def downgrade() -> None:
    _drop_append_only_guard()
    with op.batch_alter_table('simulation_results', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_simulation_results_run_id'))

    op.drop_table('simulation_results')
    op.drop_table('version_files')
    op.drop_table('version_authors')
    with op.batch_alter_table('test_case_images', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_test_case_images_blob_sha256'))

    op.drop_table('test_case_images')
    with op.batch_alter_table('simulation_runs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_simulation_runs_version_id'))

    op.drop_table('simulation_runs')
    with op.batch_alter_table('approvals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_approvals_version_id'))

    op.drop_table('approvals')
    with op.batch_alter_table('versions', schema=None) as batch_op:
        batch_op.drop_index('uq_versions_one_published', sqlite_where=sa.text("state = 'published'"), postgresql_where=sa.text("state = 'published'"))
        batch_op.drop_index(batch_op.f('ix_versions_ruleset_id'))

    op.drop_table('versions')
    with op.batch_alter_table('test_cases', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_test_cases_ruleset_id'))

    op.drop_table('test_cases')
    op.drop_table('rulesets')
    op.drop_table('users')
    op.drop_table('blobs')
    op.drop_table('audit_head')
    op.drop_table('audit_events')


def _create_append_only_guard() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("""
            CREATE FUNCTION jurist_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION 'audit events are append-only';
            END $$""")
        op.execute("""
            CREATE TRIGGER audit_events_append_only
            BEFORE UPDATE OR DELETE ON audit_events
            FOR EACH ROW EXECUTE FUNCTION jurist_audit_append_only()""")
        op.execute("""
            CREATE TRIGGER audit_events_no_truncate
            BEFORE TRUNCATE ON audit_events
            FOR EACH STATEMENT EXECUTE FUNCTION jurist_audit_append_only()""")
    else:
        for verb in ("UPDATE", "DELETE"):
            op.execute(f"""
                CREATE TRIGGER audit_events_no_{verb.lower()}
                BEFORE {verb} ON audit_events
                BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END""")


def _drop_append_only_guard() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER audit_events_no_truncate ON audit_events")
        op.execute("DROP TRIGGER audit_events_append_only ON audit_events")
        op.execute("DROP FUNCTION jurist_audit_append_only()")
    else:
        op.execute("DROP TRIGGER audit_events_no_update")
        op.execute("DROP TRIGGER audit_events_no_delete")
