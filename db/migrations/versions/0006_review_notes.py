"""Review threads: the submitter's note, comments and approvers' remarks on each version.

Revision ID: 0006_review_notes
Revises: 0004_history
Create Date: 2026-12-10
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa

revision = '0006_review_notes'
down_revision = '0004_history'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('version_comments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.CheckConstraint("kind IN ('note', 'comment', 'approve', 'reject')",
                       name=op.f('ck_version_comments_kind_known')),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_version_comments_author_id_users')),
    sa.ForeignKeyConstraint(['version_id'], ['versions.id'], name=op.f('fk_version_comments_version_id_versions'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_version_comments'))
    )
    with op.batch_alter_table('version_comments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_version_comments_version_id'), ['version_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('version_comments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_version_comments_version_id'))
    op.drop_table('version_comments')
