"""Test cases and simulation results keep `not_rules`: rule ids that must not fire.

Existing rows get "[]" from the server default, which is what a case without
`not_rules` always meant.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-03
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

TABLES = ("test_cases", "simulation_results")


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('expected_not_rules', sa.Text(), server_default='[]', nullable=False))


def downgrade() -> None:
    # Never copy-and-rename the table on SQLite: with foreign keys on, dropping the old
    # test_cases would cascade to test_case_images and unlink simulation results.
    # SQLite 3.35+ drops a plain column in place.
    for table in TABLES:
        with op.batch_alter_table(table, schema=None, recreate="never") as batch_op:
            batch_op.drop_column('expected_not_rules')
