"""Migrations are real: they build the schema the models describe, and step back down."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, make_url, text

from samenplan import migrate
from samenplan.db import make_engine
from samenplan.extensions import db
from samenplan.models import metadata


def test_models_and_migrations_agree() -> None:
    with db.engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "render_as_batch": conn.dialect.name == "sqlite"}
        )
        assert compare_metadata(context, metadata) == []


@pytest.fixture
def scratch_url(database_url: str, tmp_path: Path) -> Iterator[str]:
    """An empty database of the same kind as the test database."""
    if database_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'scratch.db'}"
        return
    name = f"scratch_{uuid.uuid4().hex[:10]}"
    admin = make_engine(str(make_url(database_url).set(database="postgres"))).execution_options(
        isolation_level="AUTOCOMMIT"
    )
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield str(make_url(database_url).set(database=name).render_as_string(hide_password=False))
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


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
