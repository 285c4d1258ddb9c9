"""family answers: a life area answered step by step (when, and "I don't know")

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06 19:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import samenplan.db

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("domain_scores") as batch_op:
        batch_op.add_column(sa.Column("answered_at", samenplan.db.UTCDateTime(), nullable=True))
        batch_op.add_column(
            sa.Column("dont_know", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.create_check_constraint(
            op.f("ck_domain_scores_dont_know_has_no_score"), "NOT (dont_know AND score IS NOT NULL)"
        )


def downgrade() -> None:
    with op.batch_alter_table("domain_scores") as batch_op:
        batch_op.drop_constraint(op.f("ck_domain_scores_dont_know_has_no_score"), type_="check")
        batch_op.drop_column("dont_know")
        batch_op.drop_column("answered_at")
