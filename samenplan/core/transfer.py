"""How the plan export file writes times and dates, for every feature's serializer
(``reports.export`` coordinates, ``screening.transfer`` and others write their part)."""

from __future__ import annotations

import datetime as dt

from samenplan.errors import ValidationFailed


class ImportRefused(ValidationFailed):
    """The file cannot be imported; the message says why, nothing was written."""


def when(value: dt.datetime | dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def read_time(value: str | None) -> dt.datetime | None:
    """A moment from the file; one without a time zone is refused (it would be misread)."""
    if value is None:
        return None
    parsed = dt.datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        raise ImportRefused(f"A time without a time zone: {value}")
    return parsed.astimezone(dt.UTC)


def read_required_time(value: str) -> dt.datetime:
    parsed = read_time(value)
    assert parsed is not None
    return parsed


def read_date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value is not None else None
