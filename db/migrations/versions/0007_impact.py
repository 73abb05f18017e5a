"""A version's impact, computed when it is submitted: its backtest on logged decisions and its test cases.

Revision ID: 0007_impact
Revises: 0006_review_notes
Create Date: 2026-12-05
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa

revision = '0007_impact'
down_revision = '0006_review_notes'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('version_impacts',
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('computed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('content_hash', sa.String(length=71), nullable=False),
    sa.Column('against_number', sa.Integer(), nullable=True),
    sa.Column('against_hash', sa.String(length=71), nullable=True),
    sa.Column('decisions', sa.Integer(), nullable=False),
    sa.Column('flips', sa.Integer(), nullable=False),
    sa.Column('loosening', sa.Integer(), nullable=False),
    sa.Column('cases_run', sa.Integer(), nullable=False),
    sa.Column('cases_failing', sa.Integer(), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['version_id'], ['versions.id'], name=op.f('fk_version_impacts_version_id_versions'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('version_id', name=op.f('pk_version_impacts'))
    )


def downgrade() -> None:
    op.drop_table('version_impacts')
