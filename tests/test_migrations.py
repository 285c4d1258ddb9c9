"""Migrations are real: they build the schema the models describe, and step back down."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from samenplan import migrate
from samenplan.audit import chain
from samenplan.db import UTCDateTime, make_engine
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


def test_the_chain_migration_seals_the_events_written_before_it(scratch_url: str) -> None:
    events = sa.table(
        "audit_events",
        sa.column("created_at", UTCDateTime()),
        sa.column("action", sa.String()),
        sa.column("ip", sa.String()),
        sa.column("details", sa.JSON()),
    )
    engine = make_engine(scratch_url)
    try:
        migrate.upgrade(scratch_url, "0008")
        with engine.begin() as conn:
            conn.execute(
                events.insert(),
                [
                    {
                        "created_at": dt.datetime(2026, 11, n, 10, 0, 0, 123456, tzinfo=dt.UTC),
                        "action": "login.succeeded",
                        "ip": "10.0.0.1",
                        "details": {"n": n},
                    }
                    for n in (1, 2, 3)
                ],
            )
        migrate.upgrade(scratch_url)
        with Session(engine) as session:
            verdict = chain.verify(session)
        assert verdict.events == 3 and verdict.broken is None
        with engine.connect() as conn, pytest.raises(DBAPIError, match="append-only"):
            conn.execute(sa.text("UPDATE audit_events SET ip = 'x'"))  # still append-only
    finally:
        engine.dispose()
