"""The audit trail as one hash chain: each event stores the hash of the event before it and
a hash over its own content and that link. Changing, deleting or inserting a row behind the
app's back breaks the chain at that row; ``flask audit verify`` finds the first broken link.

One chain for the whole trail, not one per plan: a single latest hash to anchor outside the
database covers every event, also those without a plan (logins, accounts), and deleting the
newest events of one plan cannot hide behind a shorter chain of its own. The price is one
point where appends queue: events wait beside the transaction (``pending``) and are linked
and inserted when it commits, under a lock held only for that insert and the commit
(PostgreSQL: a transaction-level advisory lock; SQLite: its write lock, which a writing
transaction holds already).

Version 1 of the content hash is frozen: migration 0009 sealed the older events with it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from samenplan.audit.models import AuditEvent

#: the "previous hash" of the first event
GENESIS = "0" * 64
VERSION = 1
#: the advisory lock that orders appends on PostgreSQL ("7513", the Dutch logging standard)
PG_LOCK_KEY = 7513_0001


def normalised_details(details: dict[str, Any] | None) -> dict[str, Any]:
    """The details as the database gives them back (JSON: string keys, lists), so that the
    hash computed now matches the one computed from the stored row later."""
    value = json.loads(json.dumps(details or {}, ensure_ascii=False, default=str))
    assert isinstance(value, dict)
    return value


def content_hash(prev_hash: str, fields: dict[str, Any]) -> str:
    """SHA-256 over the previous hash and the event's fields as canonical JSON (sorted keys,
    no spaces, UTF-8, the time in UTC to the microsecond)."""
    created_at = fields["created_at"]
    assert isinstance(created_at, dt.datetime)
    payload = {
        "v": VERSION,
        "prev": prev_hash,
        "created_at": created_at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
        "actor_id": fields["actor_id"],
        "plan_id": fields["plan_id"],
        "action": fields["action"],
        "object_type": fields["object_type"],
        "object_id": fields["object_id"],
        "ip": fields["ip"],
        "details": fields["details"],
    }
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


FIELDS = (
    "created_at",
    "actor_id",
    "plan_id",
    "action",
    "object_type",
    "object_id",
    "ip",
    "details",
)


def lock_and_head(session: Session) -> str:
    """Take the append lock (PostgreSQL) and return the latest event's hash."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": PG_LOCK_KEY})
    latest = head(session)
    return latest[1] if latest else GENESIS


def head(session: Session) -> tuple[int, str] | None:
    """The latest event's id and hash, to note outside the database."""
    row = session.execute(
        select(AuditEvent.id, AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1)
    ).first()
    return (row.id, row.hash or "") if row else None


@dataclass(frozen=True)
class Break:
    """The first place where the stored trail no longer matches its chain."""

    event_id: int
    created_at: dt.datetime | None
    reason: str  # "changed": the row's content or hash; "link": the row before it is gone

    def id_text(self) -> str:
        when = f" ({self.created_at:%Y-%m-%d %H:%M:%S} UTC)" if self.created_at else ""
        return f"{self.event_id}{when}"


@dataclass(frozen=True)
class Verdict:
    events: int
    head_id: int | None
    head_hash: str | None
    broken: Break | None
    anchor_ok: bool | None = None


def walk(rows: Iterator[Any], *, anchor: tuple[int, str] | None = None) -> Verdict:
    """Check rows (id, prev_hash, hash, *FIELDS) in id order."""
    expected_prev = GENESIS
    count = 0
    last_id: int | None = None
    last_hash: str | None = None
    anchor_ok: bool | None = None if anchor is None else False
    for row in rows:
        count += 1
        fields = dict(zip(FIELDS, row[3:], strict=True))
        if row.prev_hash != expected_prev:
            return Verdict(count, last_id, last_hash, Break(row.id, row.created_at, "link"))
        if row.hash is None or content_hash(row.prev_hash, fields) != row.hash:
            return Verdict(count, last_id, last_hash, Break(row.id, row.created_at, "changed"))
        if anchor is not None and row.id == anchor[0]:
            anchor_ok = row.hash == anchor[1]
        expected_prev = row.hash
        last_id, last_hash = row.id, row.hash
    return Verdict(count, last_id, last_hash, None, anchor_ok)


def verify(session: Session, *, anchor: tuple[int, str] | None = None) -> Verdict:
    """Walk the whole trail, streaming (a server-side cursor on PostgreSQL)."""
    columns = [getattr(AuditEvent, name) for name in FIELDS]
    stmt = select(AuditEvent.id, AuditEvent.prev_hash, AuditEvent.hash, *columns).order_by(
        AuditEvent.id
    )
    result = session.execute(stmt, execution_options={"yield_per": 5000})
    try:
        return walk(iter(result), anchor=anchor)
    finally:
        result.close()  # the server-side cursor, also when a break ends the walk early
