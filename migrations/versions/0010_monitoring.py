"""monitoring: a plan's municipality and closure reason, goal outcomes, policy officers'
municipalities, satisfaction surveys

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04 23:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import samenplan.db

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD_GOAL_STATUS = ("open", "achieved", "stopped")
NEW_GOAL_STATUS = ("open", "achieved", "partly_achieved", "not_achieved", "stopped")


def _enum(name: str, *values: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=20)


def _goal_status(old: tuple[str, ...], new: tuple[str, ...]) -> None:
    if op.get_bind().dialect.name == "sqlite":
        with op.batch_alter_table("goals") as batch_op:
            batch_op.alter_column(
                "status",
                existing_type=_enum("goal_status", *old),
                type_=_enum("goal_status", *new),
                existing_nullable=False,
            )
    else:
        op.drop_constraint(op.f("ck_goals_goal_status"), "goals", type_="check")
        op.create_check_constraint(
            op.f("ck_goals_goal_status"), "goals", sa.column("status").in_(new)
        )


def upgrade() -> None:
    with op.batch_alter_table("plans") as batch_op:
        batch_op.add_column(
            sa.Column(
                "closure_reason",
                _enum(
                    "plan_closure", "goals_reached", "moved", "dropped_out", "handed_over", "other"
                ),
                nullable=True,
            )
        )
        batch_op.add_column(sa.Column("municipality_code", sa.String(length=6), nullable=True))
        batch_op.create_index(batch_op.f("ix_plans_municipality_code"), ["municipality_code"])
    _goal_status(OLD_GOAL_STATUS, NEW_GOAL_STATUS)
    with op.batch_alter_table("goals") as batch_op:
        batch_op.add_column(
            sa.Column(
                "end_reason",
                _enum(
                    "goal_end_reason",
                    "situation_changed",
                    "other_goal",
                    "family_stopped",
                    "help_ended",
                    "other",
                ),
                nullable=True,
            )
        )
        batch_op.add_column(sa.Column("closed_at", samenplan.db.UTCDateTime(), nullable=True))
    # goals closed before this revision: closed when last changed
    op.execute("UPDATE goals SET closed_at = updated_at WHERE status <> 'open'")
    op.create_table(
        "user_municipalities",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=6), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_user_municipalities_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", "code", name=op.f("pk_user_municipalities")),
    )
    op.create_table(
        "survey_responses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column(
            "group", _enum("survey_group", "family", "network", "professional"), nullable=False
        ),
        sa.Column("occasion", sa.String(length=40), nullable=False),
        sa.Column("survey_version", sa.String(length=20), nullable=False),
        sa.Column("remark", sa.Text(), nullable=False),
        sa.Column("created_at", samenplan.db.UTCDateTime(), nullable=False),
        sa.Column("updated_at", samenplan.db.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["plans.id"], name=op.f("fk_survey_responses_plan_id_plans")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_survey_responses_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey_responses")),
        sa.UniqueConstraint(
            "plan_id",
            "user_id",
            "occasion",
            name=op.f("uq_survey_responses_plan_id_user_id_occasion"),
        ),
    )
    op.create_index(op.f("ix_survey_responses_plan_id"), "survey_responses", ["plan_id"])
    op.create_index(op.f("ix_survey_responses_user_id"), "survey_responses", ["user_id"])
    op.create_table(
        "survey_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("response_id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.String(length=40), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["response_id"],
            ["survey_responses.id"],
            name=op.f("fk_survey_answers_response_id_survey_responses"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey_answers")),
    )
    op.create_index(op.f("ix_survey_answers_response_id"), "survey_answers", ["response_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_survey_answers_response_id"), table_name="survey_answers")
    op.drop_table("survey_answers")
    op.drop_index(op.f("ix_survey_responses_user_id"), table_name="survey_responses")
    op.drop_index(op.f("ix_survey_responses_plan_id"), table_name="survey_responses")
    op.drop_table("survey_responses")
    op.drop_table("user_municipalities")
    with op.batch_alter_table("goals") as batch_op:
        batch_op.drop_column("closed_at")
        batch_op.drop_constraint(op.f("ck_goals_goal_end_reason"), type_="check")
        batch_op.drop_column("end_reason")
    # the older revision knew only "achieved" and "stopped" for a goal that ended
    op.execute("UPDATE goals SET status = 'achieved' WHERE status = 'partly_achieved'")
    op.execute("UPDATE goals SET status = 'stopped' WHERE status = 'not_achieved'")
    _goal_status(NEW_GOAL_STATUS, OLD_GOAL_STATUS)
    with op.batch_alter_table("plans") as batch_op:
        batch_op.drop_index(batch_op.f("ix_plans_municipality_code"))
        batch_op.drop_column("municipality_code")
        batch_op.drop_constraint(op.f("ck_plans_plan_closure"), type_="check")
        batch_op.drop_column("closure_reason")
