"""reminders: each person's choice per kind, and the ledger of reminders found and sent

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06 02:10:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import samenplan.db

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KINDS = ("actions", "appointments", "logbook", "evaluations", "versions", "invitations")
FREQUENCIES = ("immediate", "daily", "weekly", "off")


def _enum(name: str, *values: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=20)


def upgrade() -> None:
    op.create_table(
        "reminder_settings",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", _enum("reminder_kind", *KINDS), nullable=False),
        sa.Column("frequency", _enum("reminder_frequency", *FREQUENCIES), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_reminder_settings_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", "kind", name=op.f("pk_reminder_settings")),
    )
    op.create_table(
        "reminders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("kind", _enum("reminder_kind", *KINDS), nullable=False),
        sa.Column("subject", sa.String(length=100), nullable=False),
        sa.Column("found_at", samenplan.db.UTCDateTime(), nullable=False),
        sa.Column("sent_at", samenplan.db.UTCDateTime(), nullable=True),
        sa.Column("skipped", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["plans.id"], name=op.f("fk_reminders_plan_id_plans"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_reminders_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reminders")),
        sa.UniqueConstraint(
            "user_id", "kind", "subject", name=op.f("uq_reminders_user_id_kind_subject")
        ),
    )
    op.create_index("ix_reminders_user_id_sent_at", "reminders", ["user_id", "sent_at"])


def downgrade() -> None:
    op.drop_index("ix_reminders_user_id_sent_at", table_name="reminders")
    op.drop_table("reminders")
    op.drop_table("reminder_settings")
