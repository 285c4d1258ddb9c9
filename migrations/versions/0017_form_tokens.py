"""form tokens: a create form sent twice makes one thing; the plan's network default

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-06 21:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import samenplan.db

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "form_tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("made_url", sa.String(length=2000), nullable=True),
        sa.Column("created_at", samenplan.db.UTCDateTime(), nullable=False),
        sa.Column("updated_at", samenplan.db.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_form_tokens")),
        sa.UniqueConstraint("token", name=op.f("uq_form_tokens_token")),
    )
    with op.batch_alter_table("plans") as batch_op:
        batch_op.add_column(sa.Column("network_default", sa.Boolean(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("plans") as batch_op:
        batch_op.drop_column("network_default")
    op.drop_table("form_tokens")
