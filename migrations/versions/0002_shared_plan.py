"""shared plan

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 04:45:43.997542
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import samenplan.db

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "plans",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("public_id", sa.String(length=24), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "open",
                "closed",
                name="plan_status",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("closed_at", samenplan.db.UTCDateTime(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", samenplan.db.UTCDateTime(), nullable=False),
        sa.Column("updated_at", samenplan.db.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_plans_created_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plans")),
        sa.UniqueConstraint("public_id", name=op.f("uq_plans_public_id")),
    )
    op.create_table(
        "agenda_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "appointment",
                "evaluation",
                "deadline",
                name="agenda_kind",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("starts_at", samenplan.db.UTCDateTime(), nullable=False),
        sa.Column("ends_at", samenplan.db.UTCDateTime(), nullable=True),
        sa.Column("location", sa.String(length=300), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("shared_with_network", sa.Boolean(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", samenplan.db.UTCDateTime(), nullable=False),
        sa.Column("updated_at", samenplan.db.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_agenda_items_created_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["plans.id"], name=op.f("fk_agenda_items_plan_id_plans")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agenda_items")),
    )
    with op.batch_alter_table("agenda_items", schema=None) as batch_op:
        batch_op.create_index(
            "ix_agenda_items_plan_id_starts_at", ["plan_id", "starts_at"], unique=False
        )

    op.create_table(
        "log_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("shared_with_network", sa.Boolean(), nullable=False),
        sa.Column("created_at", samenplan.db.UTCDateTime(), nullable=False),
        sa.Column("updated_at", samenplan.db.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"], ["users.id"], name=op.f("fk_log_entries_author_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["plans.id"], name=op.f("fk_log_entries_plan_id_plans")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_log_entries")),
    )
    with op.batch_alter_table("log_entries", schema=None) as batch_op:
        batch_op.create_index(
            "ix_log_entries_plan_id_created_at", ["plan_id", "created_at"], unique=False
        )

    op.create_table(
        "participations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column(
            "role",
            sa.Enum(
                "client",
                "network",
                "professional",
                "coordinator",
                name="plan_role",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("is_coordinator", sa.Boolean(), nullable=False),
        sa.Column("invited_by_id", sa.Integer(), nullable=True),
        sa.Column("accepted_at", samenplan.db.UTCDateTime(), nullable=True),
        sa.Column("removed_at", samenplan.db.UTCDateTime(), nullable=True),
        sa.Column("created_at", samenplan.db.UTCDateTime(), nullable=False),
        sa.Column("updated_at", samenplan.db.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["invited_by_id"],
            ["participations.id"],
            name=op.f("fk_participations_invited_by_id_participations"),
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["plans.id"], name=op.f("fk_participations_plan_id_plans")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_participations_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_participations")),
    )
    with op.batch_alter_table("participations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_participations_plan_id"), ["plan_id"], unique=False)
        batch_op.create_index(
            "ix_participations_user_id_plan_id", ["user_id", "plan_id"], unique=False
        )

    op.create_table(
        "persons",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("date_of_birth", sa.Date(), nullable=True),
        sa.Column(
            "relation",
            sa.Enum(
                "parent",
                "child",
                "partner",
                "other",
                name="person_relation",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("parental_authority", sa.Boolean(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("parents_consent", sa.Boolean(), nullable=False),
        sa.Column("network_consent_by_id", sa.Integer(), nullable=True),
        sa.Column("network_consent_at", samenplan.db.UTCDateTime(), nullable=True),
        sa.Column("created_at", samenplan.db.UTCDateTime(), nullable=False),
        sa.Column("updated_at", samenplan.db.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["network_consent_by_id"],
            ["users.id"],
            name=op.f("fk_persons_network_consent_by_id_users"),
        ),
        sa.ForeignKeyConstraint(["plan_id"], ["plans.id"], name=op.f("fk_persons_plan_id_plans")),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_persons_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_persons")),
    )
    with op.batch_alter_table("persons", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_persons_plan_id"), ["plan_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_persons_user_id"), ["user_id"], unique=False)

    op.create_table(
        "agenda_expected",
        sa.Column("agenda_item_id", sa.Integer(), nullable=False),
        sa.Column("participation_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["agenda_item_id"],
            ["agenda_items.id"],
            name=op.f("fk_agenda_expected_agenda_item_id_agenda_items"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["participation_id"],
            ["participations.id"],
            name=op.f("fk_agenda_expected_participation_id_participations"),
        ),
        sa.PrimaryKeyConstraint(
            "agenda_item_id", "participation_id", name=op.f("pk_agenda_expected")
        ),
    )
    op.create_table(
        "goals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("domain", sa.String(length=40), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("why", sa.Text(), nullable=False),
        sa.Column("desired_situation", sa.Text(), nullable=False),
        sa.Column("target_date", sa.Date(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "open",
                "achieved",
                "stopped",
                name="goal_status",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("shared_with_network", sa.Boolean(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", samenplan.db.UTCDateTime(), nullable=False),
        sa.Column("updated_at", samenplan.db.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_goals_created_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["persons.id"], name=op.f("fk_goals_person_id_persons")
        ),
        sa.ForeignKeyConstraint(["plan_id"], ["plans.id"], name=op.f("fk_goals_plan_id_plans")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_goals")),
    )
    with op.batch_alter_table("goals", schema=None) as batch_op:
        batch_op.create_index("ix_goals_plan_id_domain", ["plan_id", "domain"], unique=False)

    op.create_table(
        "invitations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column(
            "role",
            sa.Enum(
                "client",
                "network",
                "professional",
                "coordinator",
                name="invitation_role",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("expires_at", samenplan.db.UTCDateTime(), nullable=False),
        sa.Column("used_at", samenplan.db.UTCDateTime(), nullable=True),
        sa.Column("revoked_at", samenplan.db.UTCDateTime(), nullable=True),
        sa.Column("invited_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", samenplan.db.UTCDateTime(), nullable=False),
        sa.Column("updated_at", samenplan.db.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["invited_by_id"],
            ["participations.id"],
            name=op.f("fk_invitations_invited_by_id_participations"),
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["persons.id"], name=op.f("fk_invitations_person_id_persons")
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["plans.id"], name=op.f("fk_invitations_plan_id_plans")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invitations")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_invitations_token_hash")),
    )
    with op.batch_alter_table("invitations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_invitations_email"), ["email"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_invitations_invited_by_id"), ["invited_by_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_invitations_plan_id"), ["plan_id"], unique=False)

    op.create_table(
        "actions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("goal_id", sa.Integer(), nullable=False),
        sa.Column("description", sa.String(length=500), nullable=False),
        sa.Column("assignee_id", sa.Integer(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "open",
                "done",
                "cancelled",
                name="action_status",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("done_at", samenplan.db.UTCDateTime(), nullable=True),
        sa.Column("done_by_id", sa.Integer(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", samenplan.db.UTCDateTime(), nullable=False),
        sa.Column("updated_at", samenplan.db.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["assignee_id"],
            ["participations.id"],
            name=op.f("fk_actions_assignee_id_participations"),
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_actions_created_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["done_by_id"], ["users.id"], name=op.f("fk_actions_done_by_id_users")
        ),
        sa.ForeignKeyConstraint(["goal_id"], ["goals.id"], name=op.f("fk_actions_goal_id_goals")),
        sa.ForeignKeyConstraint(["plan_id"], ["plans.id"], name=op.f("fk_actions_plan_id_plans")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_actions")),
    )
    with op.batch_alter_table("actions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_actions_assignee_id"), ["assignee_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_actions_goal_id"), ["goal_id"], unique=False)
        batch_op.create_index("ix_actions_plan_id_status", ["plan_id", "status"], unique=False)

    op.create_table(
        "progress_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("goal_id", sa.Integer(), nullable=False),
        sa.Column("recorded_on", sa.Date(), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("created_at", samenplan.db.UTCDateTime(), nullable=False),
        sa.Column("updated_at", samenplan.db.UTCDateTime(), nullable=False),
        sa.CheckConstraint(
            "value >= 0 AND value <= 10", name=op.f("ck_progress_entries_value_0_10")
        ),
        sa.ForeignKeyConstraint(
            ["author_id"], ["users.id"], name=op.f("fk_progress_entries_author_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["goal_id"], ["goals.id"], name=op.f("fk_progress_entries_goal_id_goals")
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["plans.id"], name=op.f("fk_progress_entries_plan_id_plans")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_progress_entries")),
    )
    with op.batch_alter_table("progress_entries", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_progress_entries_goal_id"), ["goal_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_progress_entries_plan_id"), ["plan_id"], unique=False)

    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.create_foreign_key(
            batch_op.f("fk_audit_events_plan_id_plans"), "plans", ["plan_id"], ["id"]
        )
    _restore_sqlite_audit_triggers()


def downgrade() -> None:
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_audit_events_plan_id_plans"), type_="foreignkey")
    _restore_sqlite_audit_triggers()

    with op.batch_alter_table("progress_entries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_progress_entries_plan_id"))
        batch_op.drop_index(batch_op.f("ix_progress_entries_goal_id"))

    op.drop_table("progress_entries")
    with op.batch_alter_table("actions", schema=None) as batch_op:
        batch_op.drop_index("ix_actions_plan_id_status")
        batch_op.drop_index(batch_op.f("ix_actions_goal_id"))
        batch_op.drop_index(batch_op.f("ix_actions_assignee_id"))

    op.drop_table("actions")
    with op.batch_alter_table("invitations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_invitations_plan_id"))
        batch_op.drop_index(batch_op.f("ix_invitations_invited_by_id"))
        batch_op.drop_index(batch_op.f("ix_invitations_email"))

    op.drop_table("invitations")
    with op.batch_alter_table("goals", schema=None) as batch_op:
        batch_op.drop_index("ix_goals_plan_id_domain")

    op.drop_table("goals")
    op.drop_table("agenda_expected")
    with op.batch_alter_table("persons", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_persons_user_id"))
        batch_op.drop_index(batch_op.f("ix_persons_plan_id"))

    op.drop_table("persons")
    with op.batch_alter_table("participations", schema=None) as batch_op:
        batch_op.drop_index("ix_participations_user_id_plan_id")
        batch_op.drop_index(batch_op.f("ix_participations_plan_id"))

    op.drop_table("participations")
    with op.batch_alter_table("log_entries", schema=None) as batch_op:
        batch_op.drop_index("ix_log_entries_plan_id_created_at")

    op.drop_table("log_entries")
    with op.batch_alter_table("agenda_items", schema=None) as batch_op:
        batch_op.drop_index("ix_agenda_items_plan_id_starts_at")

    op.drop_table("agenda_items")
    op.drop_table("plans")


def _restore_sqlite_audit_triggers() -> None:
    """SQLite's batch mode rebuilds audit_events as a new table, which drops its triggers."""
    if op.get_bind().dialect.name != "sqlite":
        return
    for verb in ("UPDATE", "DELETE"):
        op.execute(f"DROP TRIGGER IF EXISTS audit_events_no_{verb.lower()}")
        op.execute(
            f"CREATE TRIGGER audit_events_no_{verb.lower()} BEFORE {verb} ON audit_events "
            "BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END"
        )
