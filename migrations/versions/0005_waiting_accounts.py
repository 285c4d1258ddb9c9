"""waiting accounts and pending participations (for imported plans)

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23 06:30:52.854636
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ADD COLUMN on both databases: no table is rebuilt, so nothing refers to a copy.
    op.add_column(
        "participations",
        sa.Column("pending", sa.Boolean(), server_default=sa.false(), nullable=False),
    )
    op.add_column(
        "users",
        sa.Column("awaiting_invitation", sa.Boolean(), server_default=sa.false(), nullable=False),
    )


def downgrade() -> None:
    op.drop_column("users", "awaiting_invitation")
    op.drop_column("participations", "pending")
