"""Each version keeps the test cases it was submitted with: `version_case_sets` (one per submission, with the
`case_set_hash` its audit event records), `version_cases` (each case's document and `case_hash`) and
`version_case_images` (each case's images by blob, so a blob a kept case uses is never dropped).  A test run
records the `case_set_hash` of the cases it ran (`simulation_runs.cases_hash`), so the publish gate reads the
runs of the cases a version kept, not of the working set.

The three tables are append-only on both backends, as `audit_events` is: a kept set is what a review saw.
Versions submitted before this revision keep none and are tested with the ruleset's working set, as before.

Revision ID: 0009_version_cases
Revises: 0008_case_obligations
Create Date: 2026-12-05
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa

revision = '0009_version_cases'
down_revision = '0008_case_obligations'
branch_labels = None
depends_on = None

TABLES = ("version_case_sets", "version_cases", "version_case_images")


def upgrade() -> None:
    op.create_table('version_case_sets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('kept_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('cases_hash', sa.String(length=71), nullable=False),
    sa.ForeignKeyConstraint(['version_id'], ['versions.id'], name=op.f('fk_version_case_sets_version_id_versions'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_version_case_sets'))
    )
    with op.batch_alter_table('version_case_sets', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_version_case_sets_version_id'), ['version_id'], unique=False)
    op.create_table('version_cases',
    sa.Column('set_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('document', sa.Text(), nullable=False),
    sa.Column('case_hash', sa.String(length=71), nullable=False),
    sa.ForeignKeyConstraint(['set_id'], ['version_case_sets.id'],
                            name=op.f('fk_version_cases_set_id_version_case_sets'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('set_id', 'name', name=op.f('pk_version_cases'))
    )
    op.create_table('version_case_images',
    sa.Column('set_id', sa.Integer(), nullable=False),
    sa.Column('case_name', sa.String(length=200), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=512), nullable=False),
    sa.Column('blob_sha256', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['blob_sha256'], ['blobs.sha256'],
                            name=op.f('fk_version_case_images_blob_sha256_blobs')),
    sa.ForeignKeyConstraint(['set_id'], ['version_case_sets.id'],
                            name=op.f('fk_version_case_images_set_id_version_case_sets'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('set_id', 'case_name', 'position', name=op.f('pk_version_case_images'))
    )
    with op.batch_alter_table('version_case_images', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_version_case_images_blob_sha256'), ['blob_sha256'], unique=False)
    with op.batch_alter_table('simulation_runs', schema=None, recreate="never") as batch_op:
        batch_op.add_column(sa.Column('cases_hash', sa.String(length=71), nullable=True))
    _create_append_only_guard()


def downgrade() -> None:
    _drop_append_only_guard()
    # In place (SQLite 3.35+): copying the table would cascade to simulation_results.
    with op.batch_alter_table('simulation_runs', schema=None, recreate="never") as batch_op:
        batch_op.drop_column('cases_hash')
    with op.batch_alter_table('version_case_images', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_version_case_images_blob_sha256'))
    op.drop_table('version_case_images')
    op.drop_table('version_cases')
    with op.batch_alter_table('version_case_sets', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_version_case_sets_version_id'))
    op.drop_table('version_case_sets')


def _create_append_only_guard() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("""
            CREATE FUNCTION jurist_kept_cases_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION 'the test cases a version was submitted with are append-only';
            END $$""")
        for table in TABLES:
            op.execute(f"""
                CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table}
                FOR EACH ROW EXECUTE FUNCTION jurist_kept_cases_append_only()""")
            op.execute(f"""
                CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table}
                FOR EACH STATEMENT EXECUTE FUNCTION jurist_kept_cases_append_only()""")
    else:
        for table in TABLES:
            for verb in ("UPDATE", "DELETE"):
                op.execute(f"""
                    CREATE TRIGGER {table}_no_{verb.lower()} BEFORE {verb} ON {table}
                    BEGIN SELECT RAISE(ABORT, 'the test cases a version was submitted with are append-only'); END""")


def _drop_append_only_guard() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in TABLES:
            op.execute(f"DROP TRIGGER {table}_no_truncate ON {table}")
            op.execute(f"DROP TRIGGER {table}_append_only ON {table}")
        op.execute("DROP FUNCTION jurist_kept_cases_append_only()")
    else:
        for table in TABLES:
            op.execute(f"DROP TRIGGER {table}_no_update")
            op.execute(f"DROP TRIGGER {table}_no_delete")
