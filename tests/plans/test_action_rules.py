"""When an action counts as overdue: the one rule every page, the PDF and My plans use."""

from __future__ import annotations

import datetime as dt

import pytest

from samenplan.plans.models import Action, ActionStatus

TODAY = dt.date(2026, 12, 4)


@pytest.mark.parametrize(
    ("status", "due", "overdue"),
    [
        (ActionStatus.OPEN, TODAY - dt.timedelta(days=1), True),
        (ActionStatus.OPEN, TODAY, False),  # due today is not late yet
        (ActionStatus.OPEN, TODAY + dt.timedelta(days=1), False),
        (ActionStatus.OPEN, None, False),
        (ActionStatus.OPEN, dt.date(1, 1, 1), True),
        (ActionStatus.DONE, TODAY - dt.timedelta(days=30), False),
        (ActionStatus.CANCELLED, TODAY - dt.timedelta(days=30), False),
    ],
)
def test_is_overdue(status: ActionStatus, due: dt.date | None, overdue: bool) -> None:
    action = Action(description="Bel de school", status=status, due_date=due)
    assert action.is_overdue(TODAY) is overdue
