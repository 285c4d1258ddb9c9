"""The monitor's figures are kept as a snapshot for MONITOR_CACHE_SECONDS: a view within that
time shows the kept figures and says when they were counted, a later view counts again, and
the worker's round counts every scope in use ahead of time."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from flask import Flask
from sqlalchemy import func, select

from samenplan.accounts.models import Organisation, Role, Team, UserMunicipality
from samenplan.clock import AMSTERDAM
from samenplan.extensions import db
from samenplan.monitoring import pages, snapshots
from samenplan.monitoring.models import MonitorSnapshot
from samenplan.monitoring.scope import Scope, year_period
from samenplan.plans.models import Plan
from tests.scenario import new_user

LEEUWARDEN = Scope("GM0080", "Leeuwarden", codes=("GM0080",))
NOW = dt.datetime(2026, 11, 2, 9, 0, tzinfo=AMSTERDAM)


def _plan() -> None:
    db.session.add(Plan(title="Plan", municipality_code="GM0080", created_at=NOW))
    db.session.flush()


def _active() -> int | None:
    return pages.monitor(LEEUWARDEN, year_period(2026), "nl").plans.rows[0].cells[0].value


def test_a_view_within_the_age_shows_the_kept_figures_then_counts_again(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(app.config, "MONITOR_CACHE_SECONDS", 600)
    monkeypatch.setitem(app.config, "MONITOR_MIN_HOUSEHOLDS", 1)
    with time_machine.travel(NOW, tick=False):
        _plan()
        assert _active() == 1
        _plan()
        assert _active() == 1  # the snapshot of a moment ago
    with time_machine.travel(NOW + dt.timedelta(minutes=11), tick=False):
        monitor = pages.monitor(LEEUWARDEN, year_period(2026), "nl")
        assert monitor.plans.rows[0].cells[0].value == 2
        assert monitor.counted_at == NOW + dt.timedelta(minutes=11)
    # Both periods of the page (this year and the one before) are kept, once each.
    assert db.session.scalar(select(func.count()).select_from(MonitorSnapshot)) == 2


def test_no_age_counts_on_every_view(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(app.config, "MONITOR_CACHE_SECONDS", 0)
    monkeypatch.setitem(app.config, "MONITOR_MIN_HOUSEHOLDS", 1)
    _plan()
    assert _active() == 1
    _plan()
    assert _active() == 2
    assert db.session.scalar(select(func.count()).select_from(MonitorSnapshot)) == 0


def test_the_worker_counts_every_scope_in_use_ahead(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(app.config, "MONITOR_CACHE_SECONDS", 600)
    team = Team(organisation=Organisation(name="Wijkteam"), name="Noord")
    lead = new_user("lead@example.test", Role.TEAM_LEAD, team=team)
    officer = new_user("beleid@example.test", Role.POLICY)
    db.session.flush()
    db.session.add_all(
        UserMunicipality(user_id=officer.id, code=code) for code in ("GM0080", "GM0090")
    )
    db.session.flush()
    assert lead.team_id is not None
    with time_machine.travel(NOW, tick=False):
        done = snapshots.refresh_current()
        # a team; two municipalities and the two together: 4 scopes × 4 periods
        assert done == 16
        # a view now reads the snapshot the worker made (nothing new is counted)
        pages.monitor(LEEUWARDEN, year_period(2026), "nl")
        assert db.session.scalar(select(func.count()).select_from(MonitorSnapshot)) == 16
        # counting twice at once (two views, or a view and the worker) both succeed
        snapshots.refresh_current()
