"""screenings

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 05:12:48.038039
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import samenplan.db

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "screenings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("instrument_id", sa.String(length=40), nullable=False),
        sa.Column("instrument_version", sa.String(length=20), nullable=False),
        sa.Column(
            "perspective",
            sa.Enum(
                "professional",
                "client",
                name="screening_perspective",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("moment", sa.Date(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "draft",
                "completed",
                name="screening_status",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("completed_at", samenplan.db.UTCDateTime(), nullable=True),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("general_picture", sa.Text(), nullable=False),
        sa.Column("shared_with_network", sa.Boolean(), nullable=False),
        sa.Column("view_of_id", sa.Integer(), nullable=True),
        sa.Column("corrects_id", sa.Integer(), nullable=True),
        sa.Column("correction_reason", sa.Text(), nullable=False),
        sa.Column("superseded_at", samenplan.db.UTCDateTime(), nullable=True),
        sa.Column("created_at", samenplan.db.UTCDateTime(), nullable=False),
        sa.Column("updated_at", samenplan.db.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"], ["users.id"], name=op.f("fk_screenings_author_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["corrects_id"], ["screenings.id"], name=op.f("fk_screenings_corrects_id_screenings")
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["persons.id"], name=op.f("fk_screenings_person_id_persons")
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["plans.id"], name=op.f("fk_screenings_plan_id_plans")
        ),
        sa.ForeignKeyConstraint(
            ["view_of_id"], ["screenings.id"], name=op.f("fk_screenings_view_of_id_screenings")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_screenings")),
    )
    with op.batch_alter_table("screenings", schema=None) as batch_op:
        batch_op.create_index(
            "ix_screenings_plan_id_person_id_moment",
            ["plan_id", "person_id", "moment"],
            unique=False,
        )

    op.create_table(
        "domain_scores",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("screening_id", sa.Integer(), nullable=False),
        sa.Column("domain_id", sa.String(length=40), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("score", sa.Integer(), nullable=True),
        sa.Column("not_applicable", sa.Boolean(), nullable=False),
        sa.Column("own_share", sa.Integer(), nullable=True),
        sa.Column("network_share", sa.Integer(), nullable=True),
        sa.Column("professional_share", sa.Integer(), nullable=True),
        sa.Column("situation", sa.Text(), nullable=False),
        sa.Column("own_text", sa.Text(), nullable=False),
        sa.Column("network_text", sa.Text(), nullable=False),
        sa.Column("professional_text", sa.Text(), nullable=False),
        sa.Column("created_at", samenplan.db.UTCDateTime(), nullable=False),
        sa.Column("updated_at", samenplan.db.UTCDateTime(), nullable=False),
        sa.CheckConstraint(
            "(own_share IS NULL AND network_share IS NULL AND professional_share IS NULL) OR (own_share >= 0 AND network_share >= 0 AND professional_share >= 0 AND own_share + network_share + professional_share = 100)",
            name=op.f("ck_domain_scores_shares_100"),
        ),
        sa.CheckConstraint(
            "NOT (not_applicable AND score IS NOT NULL)",
            name=op.f("ck_domain_scores_na_has_no_score"),
        ),
        sa.CheckConstraint(
            "score IS NULL OR (score >= 1 AND score <= 5)", name=op.f("ck_domain_scores_score_1_5")
        ),
        sa.ForeignKeyConstraint(
            ["screening_id"],
            ["screenings.id"],
            name=op.f("fk_domain_scores_screening_id_screenings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_domain_scores")),
        sa.UniqueConstraint(
            "screening_id", "domain_id", name=op.f("uq_domain_scores_screening_id_domain_id")
        ),
    )
    with op.batch_alter_table("domain_scores", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_domain_scores_screening_id"), ["screening_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("domain_scores", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_domain_scores_screening_id"))

    op.drop_table("domain_scores")
    with op.batch_alter_table("screenings", schema=None) as batch_op:
        batch_op.drop_index("ix_screenings_plan_id_person_id_moment")

    op.drop_table("screenings")
