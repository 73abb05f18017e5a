"""Test cases keep what `jurist test`'s case files say beyond the effect and rules: the obligations the
decision must carry (`expect.obligations`; NULL: not checked) and the seed policy the case proves.

Existing rows get NULL for both, which is what they meant: no obligations checked, no policy named. Their
recorded hashes stay valid (a case's hash covers these only when it has them).

Revision ID: 0008_case_obligations
Revises: 0007_impact
Create Date: 2026-12-05
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa

revision = '0008_case_obligations'
down_revision = '0007_impact'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('test_cases', schema=None, recreate="never") as batch_op:
        batch_op.add_column(sa.Column('expected_obligations', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('policy', sa.String(length=64), nullable=True))


def downgrade() -> None:
    # In place (SQLite 3.35+): copying the table would cascade to test_case_images (see 0002).
    with op.batch_alter_table('test_cases', schema=None, recreate="never") as batch_op:
        batch_op.drop_column('policy')
        batch_op.drop_column('expected_obligations')
