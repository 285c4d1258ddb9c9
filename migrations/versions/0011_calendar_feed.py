"""calendar feed: personal feed links, and cancelled appointments with a revision number

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06 01:10:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import samenplan.db

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("agenda_items") as batch_op:
        batch_op.add_column(sa.Column("cancelled_at", samenplan.db.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column("sequence", sa.Integer(), server_default="0", nullable=False))
    op.create_table(
        "calendar_feeds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("revoked_at", samenplan.db.UTCDateTime(), nullable=True),
        sa.Column("last_read_at", samenplan.db.UTCDateTime(), nullable=True),
        sa.Column("created_at", samenplan.db.UTCDateTime(), nullable=False),
        sa.Column("updated_at", samenplan.db.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_calendar_feeds_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_calendar_feeds")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_calendar_feeds_token_hash")),
    )
    op.create_index(op.f("ix_calendar_feeds_user_id"), "calendar_feeds", ["user_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_calendar_feeds_user_id"), table_name="calendar_feeds")
    op.drop_table("calendar_feeds")
    with op.batch_alter_table("agenda_items") as batch_op:
        batch_op.drop_column("sequence")
        batch_op.drop_column("cancelled_at")
