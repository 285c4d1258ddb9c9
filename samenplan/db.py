"""Database wiring: the typed declarative base, the engine and one session per app context.

We use plain SQLAlchemy 2 rather than Flask-SQLAlchemy so that models are fully typed,
tests can bind the session to an outer transaction, and nothing hides ``Model.query``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import enum
import logging
import threading
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from typing import Any

from flask import Flask
from flask.globals import _cv_app, _cv_request
from sqlalchemy import DateTime, Engine, Enum, MetaData, create_engine, event
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import (
    DeclarativeBase,
    Mapped,
    Session,
    UOWTransaction,
    mapped_column,
    scoped_session,
    sessionmaker,
)
from sqlalchemy.orm.exc import StaleDataError
from sqlalchemy.pool import StaticPool
from sqlalchemy.types import TypeDecorator

from samenplan.clock import utcnow

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[dt.datetime]):
    """Stores naive UTC, returns aware UTC, on SQLite and PostgreSQL alike."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use an aware UTC datetime")
        return value.astimezone(dt.UTC).replace(tzinfo=None)

    def process_result_value(self, value: Any, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        assert isinstance(value, dt.datetime)
        return value.replace(tzinfo=dt.UTC)


def enum_column(cls: type[enum.Enum], name: str) -> Enum:
    """An enum stored as its values in a short string column with a CHECK constraint (no
    native PostgreSQL enum type, so adding a member is a plain migration)."""
    return Enum(
        cls,
        name=name,
        native_enum=False,
        length=20,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
        create_constraint=True,
    )


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Timestamped:
    """Every table carries created/updated timestamps (DESIGN.md §3)."""

    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


def _session_scope() -> int:
    """One session per request; outside a request, one per app context (CLI commands)."""
    ctx = _cv_request.get(None) or _cv_app.get(None)
    return id(ctx) if ctx is not None else threading.get_ident()


#: How long a write waits for a lock (SQLite's write lock, a PostgreSQL row lock) before the
#: request gets the conflict page
LOCK_TIMEOUT_MS = 5000


def make_engine(url: str, *, echo: bool = False, lock_timeout_ms: int = LOCK_TIMEOUT_MS) -> Engine:
    kwargs: dict[str, Any] = {"echo": echo, "future": True}
    if url.startswith("sqlite"):
        kwargs["connect_args"] = {"check_same_thread": False}
        if url in ("sqlite://", "sqlite:///:memory:"):
            kwargs["poolclass"] = StaticPool
    else:
        kwargs["pool_pre_ping"] = True
        if url.startswith("postgresql"):
            kwargs["connect_args"] = {"options": f"-c lock_timeout={int(lock_timeout_ms)}"}
    engine = create_engine(url, **kwargs)
    if engine.dialect.name == "sqlite":
        _configure_sqlite(engine, lock_timeout_ms)
    return engine


#: False while a request that only reads runs (GET, HEAD): its transactions begin deferred,
#: so readers never wait for writers. Everything else (form posts, CLI commands, queue tasks)
#: takes SQLite's write lock when its transaction begins.
_writes: ContextVar[bool] = ContextVar("samenplan_db_writes", default=True)

log = logging.getLogger(__name__)


def _configure_sqlite(engine: Engine, lock_timeout_ms: int) -> None:
    # pysqlite's own transaction handling breaks SAVEPOINT; we emit BEGIN ourselves
    # (the recipe from the SQLAlchemy SQLite dialect documentation).
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={int(lock_timeout_ms)}")
        # WAL is safe against corruption with NORMAL; a power cut may lose the last commit.
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # A deferred transaction that reads and then writes cannot wait for the write lock:
        # SQLite answers "database is locked" at once when another writer committed since its
        # read began. So a transaction that may write takes the lock up front; the busy timeout
        # then queues writers instead of failing them.
        conn.exec_driver_sql("BEGIN IMMEDIATE" if _writes.get() else "BEGIN")


def is_contention(error: BaseException) -> bool:
    """Did a write lose a race (a lock wait that timed out, a deadlock, a serialization
    failure, or an optimistic version check)? Such a request can simply be tried again."""
    if isinstance(error, StaleDataError):
        return True
    if not isinstance(error, DBAPIError):
        return False
    message = str(error.orig).lower()
    if "database is locked" in message or "database table is locked" in message:
        return True
    sqlstate = getattr(error.orig, "sqlstate", None) or ""
    # 40001 serialization_failure, 40P01 deadlock_detected, 55P03 lock_not_available,
    # 57014 query_canceled (statement_timeout)
    return sqlstate in {"40001", "40P01", "55P03", "57014"}


def is_unique_violation(error: BaseException) -> bool:
    """A unique constraint that a concurrent write got to first (a double submit, two people
    accepting the same invitation). Other integrity errors are bugs, not races."""
    if not isinstance(error, IntegrityError):
        return False
    if getattr(error.orig, "sqlstate", None) == "23505":
        return True
    return "unique constraint failed" in str(error.orig).lower()


class ReadOnlyViolation(RuntimeError):
    """A read-only request changed the database outside ``Database.writing()``."""


class Database:
    """Holds the engine and the request-scoped session for one app."""

    def __init__(self) -> None:
        self._engine: Engine | None = None
        self.session: scoped_session[Session] = scoped_session(
            sessionmaker(expire_on_commit=False), scopefunc=_session_scope
        )
        #: raise (tests, development) instead of logging when a read-only request writes
        self.strict = False
        event.listen(self.session, "before_flush", self._read_only_guard)

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            raise RuntimeError("database not initialised; call init_app first")
        return self._engine

    def insert(self, model: Any) -> Any:
        """An INSERT for ``model`` in this database's dialect, for ``on_conflict_do_…``
        (upserts and inserts that skip what is there; SQLite and PostgreSQL alike)."""
        if self.engine.dialect.name == "postgresql":
            return pg_insert(model)
        return sqlite_insert(model)

    def init_app(self, app: Flask) -> None:
        self._engine = make_engine(
            app.config["DATABASE_URL"],
            echo=app.config.get("SQL_ECHO", False),
            lock_timeout_ms=app.config.get("DATABASE_LOCK_TIMEOUT_MS", LOCK_TIMEOUT_MS),
        )
        self.session.configure(bind=self._engine)
        self.strict = bool(app.testing or app.debug)
        app.extensions["samenplan_db"] = self

        @app.teardown_request
        @app.teardown_appcontext
        def _remove_session(_exc: BaseException | None) -> None:
            self.session.remove()

    # --- transactions -----------------------------------------------------------------

    @contextlib.contextmanager
    def read_only(self) -> Iterator[None]:
        """Mark the work inside as reading only (a GET request): its transactions begin
        deferred. Writes belong in ``writing()``."""
        token = _writes.set(False)
        try:
            yield
        finally:
            _writes.reset(token)

    @property
    def reading_only(self) -> bool:
        """Is the work at hand read-only (a GET request, a ``reading()`` block)?"""
        return not _writes.get()

    @contextlib.contextmanager
    def writing(self) -> Iterator[Session]:
        """A short write transaction of its own, committed at the end of the block.

        For the few writes a reading request makes (noting a session's activity, the audit
        event of a professional's read): the read transaction so far ends first, so that
        SQLite's write lock is taken up front and held only for these statements."""
        session = self.session()
        if session.new or session.dirty or session.deleted:
            raise ReadOnlyViolation("changes were made before writing() began")
        self.commit()
        token = _writes.set(True)
        try:
            yield session
            self.commit()
        except BaseException:
            self.rollback()
            raise
        finally:
            _writes.reset(token)

    @contextlib.contextmanager
    def reading(self) -> Iterator[Session]:
        """Slow reading work inside a request that writes (checking a password hash): the
        transaction so far is committed first and the block runs read-only, so that SQLite's
        write lock is not held meanwhile. Writes after the block take the lock afresh."""
        session = self.session()
        self.commit()
        with self.read_only():
            try:
                yield session
            except BaseException:
                self.rollback()
                raise
            self.commit()

    def after_commit(self, callback: Callable[[], None]) -> None:
        """Run ``callback`` once the current transaction is committed (send a mail, put a
        job on the queue); dropped when the transaction is rolled back."""
        self.session().info.setdefault("after_commit", []).append(callback)

    def commit(self) -> None:
        """Commit, then run what was waiting for the commit. What is committed stays
        committed: a callback that fails (a mail server that is down) is logged, and the
        others still run."""
        session = self.session()
        session.commit()
        for callback in session.info.pop("after_commit", []):
            try:
                callback()
            except Exception:
                log.exception("after-commit step %r failed", callback)

    def rollback(self) -> None:
        session = self.session()
        session.rollback()
        session.info.pop("after_commit", None)

    def _read_only_guard(self, session: Session, _flush: UOWTransaction, _objs: object) -> None:
        if _writes.get() or not (session.new or session.dirty or session.deleted):
            return
        changed = sorted(
            {type(o).__name__ for o in (*session.new, *session.dirty, *session.deleted)}
        )
        if self.strict:
            raise ReadOnlyViolation(f"a read-only request changed {changed} outside writing()")
        log.warning("a read-only request changed %s outside writing()", changed)
