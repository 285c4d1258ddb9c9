"""The clock: times are stored in UTC and shown, and days counted, in Dutch time."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

#: Dutch time: times are stored in UTC and shown, and days counted, in this zone
AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def local_today() -> dt.date:
    """Today in the Netherlands (not on the server's clock, which may run on UTC)."""
    return dt.datetime.now(AMSTERDAM).date()


def start_of_local_day(day: dt.date) -> dt.datetime:
    """Midnight at the start of ``day`` in Dutch time, as an aware datetime."""
    return dt.datetime.combine(day, dt.time(), tzinfo=AMSTERDAM)
