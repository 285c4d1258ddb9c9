"""Migrations are real: they build the schema the models describe, and step back down."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from samenplan import migrate
from samenplan.db import make_engine
from samenplan.extensions import db
from samenplan.models import metadata


def test_models_and_migrations_agree() -> None:
    # read-only: on SQLite the test's own transaction holds the write lock
    with db.read_only(), db.engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "render_as_batch": conn.dialect.name == "sqlite"}
        )
        assert compare_metadata(context, metadata) == []


def test_upgrade_downgrade_upgrade(scratch_url: str) -> None:
    engine = make_engine(scratch_url)
    try:
        migrate.upgrade(scratch_url)
        assert "audit_events" in inspect(engine).get_table_names()
        migrate.downgrade(scratch_url, "base")
        assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
        migrate.upgrade(scratch_url)
        assert {"users", "user_sessions", "audit_events"} <= set(inspect(engine).get_table_names())
    finally:
        engine.dispose()
