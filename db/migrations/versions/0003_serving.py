"""Serving: API tokens for `jurist serve`, the decision log's table, and version notifications.

On PostgreSQL a trigger on `versions` sends `NOTIFY jurist_versions` (payload:
the ruleset id) on every insert and update, so a running server hears of a
publication at once; on SQLite servers poll.

Revision ID: 0003_serving
Revises: 0002
Create Date: 2026-12-05
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa

revision = '0003_serving'
down_revision = '0002'
branch_labels = None
depends_on = None

NOTIFY_FUNCTION = """
CREATE OR REPLACE FUNCTION jurist_notify_versions() RETURNS trigger AS $$
BEGIN
    PERFORM pg_notify('jurist_versions', NEW.ruleset_id::text);
    RETURN NULL;
END
$$ LANGUAGE plpgsql
"""


def upgrade() -> None:
    op.create_table('api_tokens',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('token_sha256', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_api_tokens_created_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_tokens')),
    sa.UniqueConstraint('name', name=op.f('uq_api_tokens_name')),
    sa.UniqueConstraint('token_sha256', name=op.f('uq_api_tokens_token_sha256'))
    )
    op.create_table('decision_records',
    sa.Column('decision_id', sa.String(length=36), nullable=False),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('role', sa.String(length=8), nullable=False),
    sa.Column('policy_name', sa.String(length=512), nullable=False),
    sa.Column('policy_hash', sa.String(length=71), nullable=False),
    sa.Column('request_sha256', sa.String(length=64), nullable=False),
    sa.Column('effect', sa.String(length=8), nullable=False),
    sa.Column('record', sa.Text(), nullable=False),
    sa.CheckConstraint("role IN ('served', 'canary', 'shadow')", name=op.f('ck_decision_records_role_known')),
    sa.CheckConstraint("effect IN ('deny', 'review', 'allow')", name=op.f('ck_decision_records_effect_known')),
    sa.PrimaryKeyConstraint('decision_id', name=op.f('pk_decision_records'))
    )
    with op.batch_alter_table('decision_records', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_decision_records_decided_at'), ['decided_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_decision_records_request_sha256'), ['request_sha256'], unique=False)
    if op.get_bind().dialect.name == "postgresql":
        op.execute(NOTIFY_FUNCTION)
        op.execute("CREATE TRIGGER versions_notify AFTER INSERT OR UPDATE ON versions "
                   "FOR EACH ROW EXECUTE FUNCTION jurist_notify_versions()")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS versions_notify ON versions")
        op.execute("DROP FUNCTION IF EXISTS jurist_notify_versions()")
    with op.batch_alter_table('decision_records', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_decision_records_request_sha256'))
        batch_op.drop_index(batch_op.f('ix_decision_records_decided_at'))
    op.drop_table('decision_records')
    op.drop_table('api_tokens')
