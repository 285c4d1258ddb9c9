"""the audit trail becomes one hash chain; indexes for the per-plan history, a person's
list views of a day, and the failed logins on an account

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 17:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import samenplan.db
from samenplan.audit import chain

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

events = sa.table(
    "audit_events",
    sa.column("id", sa.Integer()),
    sa.column("created_at", samenplan.db.UTCDateTime()),
    sa.column("actor_id", sa.Integer()),
    sa.column("plan_id", sa.Integer()),
    sa.column("action", sa.String()),
    sa.column("object_type", sa.String()),
    sa.column("object_id", sa.String()),
    sa.column("ip", sa.String()),
    sa.column("details", sa.JSON()),
    sa.column("prev_hash", sa.String()),
    sa.column("hash", sa.String()),
)


def upgrade() -> None:
    op.add_column("audit_events", sa.Column("prev_hash", sa.String(length=64), nullable=True))
    op.add_column("audit_events", sa.Column("hash", sa.String(length=64), nullable=True))
    op.drop_index("ix_audit_events_plan_id_created_at", table_name="audit_events")
    op.drop_index("ix_audit_events_actor_id", table_name="audit_events")
    op.create_index("ix_audit_events_plan_id_id", "audit_events", ["plan_id", "id"])
    op.create_index(
        "ix_audit_events_actor_id_created_at", "audit_events", ["actor_id", "created_at"]
    )
    op.create_index("ix_audit_events_object", "audit_events", ["object_type", "object_id"])
    _seal_existing()


def _seal_existing() -> None:
    """Link the events written before the chain existed, oldest first. The append-only
    triggers are lifted for this one migration step only."""
    bind = op.get_bind()
    postgres = bind.dialect.name == "postgresql"
    if postgres:
        op.execute("ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only")
    else:
        op.execute("DROP TRIGGER audit_events_no_update")
    prev = chain.GENESIS
    rows = bind.execute(
        sa.select(events.c.id, *[events.c[name] for name in chain.FIELDS]).order_by(events.c.id)
    ).all()
    for row in rows:
        fields = dict(zip(chain.FIELDS, row[1:], strict=True))
        fields["details"] = chain.normalised_details(fields["details"])
        digest = chain.content_hash(prev, fields)
        bind.execute(
            events.update()
            .where(events.c.id == row.id)
            .values(prev_hash=prev, hash=digest, details=fields["details"])
        )
        prev = digest
    if postgres:
        op.execute("ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only")
    else:
        op.execute(
            "CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events "
            "BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END"
        )


def downgrade() -> None:
    op.drop_index("ix_audit_events_object", table_name="audit_events")
    op.drop_index("ix_audit_events_actor_id_created_at", table_name="audit_events")
    op.drop_index("ix_audit_events_plan_id_id", table_name="audit_events")
    op.create_index("ix_audit_events_actor_id", "audit_events", ["actor_id"])
    op.create_index("ix_audit_events_plan_id_created_at", "audit_events", ["plan_id", "created_at"])
    op.drop_column("audit_events", "hash")
    op.drop_column("audit_events", "prev_hash")
