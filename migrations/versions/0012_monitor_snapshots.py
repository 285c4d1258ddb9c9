"""monitor snapshots: counted figures per scope and period, kept for a while

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06 01:40:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import samenplan.db

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "monitor_snapshots",
        sa.Column("key", sa.String(length=300), nullable=False),
        sa.Column("computed_at", samenplan.db.UTCDateTime(), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_monitor_snapshots")),
    )


def downgrade() -> None:
    op.drop_table("monitor_snapshots")
