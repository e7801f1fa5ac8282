"""The safeguarding list carries, per person, the records a lead needs to find them in
their own force's systems (`record_ids`, force:record_id) and how strongly the data
supports the entry (`support`: strong or weak).

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("safeguarding", schema=None) as batch_op:
        batch_op.add_column(sa.Column("record_ids", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("support", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("safeguarding", schema=None) as batch_op:
        batch_op.drop_column("support")
        batch_op.drop_column("record_ids")
