"""The monitor's figures, worked out by hand on a small region and compared with the page's
tables (SQL aggregation on SQLite and PostgreSQL alike), then the suppression of small cells."""

from __future__ import annotations

import datetime as dt

import pytest
from flask import Flask

from samenplan.accounts.models import Role
from samenplan.clock import AMSTERDAM
from samenplan.extensions import db
from samenplan.monitoring import pages
from samenplan.monitoring.cells import Cell, Row, Table, suppress_table
from samenplan.monitoring.models import SurveyAnswer, SurveyGroup, SurveyResponse
from samenplan.monitoring.scope import Period, Scope, quarter_period, year_period
from samenplan.plans.models import (
    Goal,
    GoalStatus,
    Participation,
    Person,
    Plan,
    PlanClosure,
    PlanRole,
    PlanStatus,
    ProgressEntry,
    Relation,
)
from samenplan.screening.models import DomainScore, Perspective, Screening, ScreeningStatus
from tests.scenario import new_user

LEEUWARDEN = Scope("GM0080", "Leeuwarden", codes=("GM0080",))
YEAR = year_period(2026)


def _at(day: str) -> dt.datetime:
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(12), tzinfo=AMSTERDAM)


class Region:
    """Three households in Leeuwarden, one elsewhere (never counted)."""

    def __init__(self) -> None:
        self.pro = new_user("pro@example.test", Role.PROFESSIONAL)
        self.client = new_user("gezin@example.test", Role.CLIENT)
        db.session.flush()
        self.p1 = self.plan("2026-02-01")  # open, started this year
        self.p2 = self.plan("2025-06-01", closed="2026-03-01", why=PlanClosure.DROPPED_OUT)
        self.p3 = self.plan("2025-01-01", closed="2025-12-01", why=PlanClosure.GOALS_REACHED)
        self.elsewhere = self.plan("2026-02-01", code="GM0090")

    def plan(
        self,
        created: str,
        *,
        closed: str | None = None,
        why: PlanClosure | None = None,
        code: str = "GM0080",
    ) -> Plan:
        plan = Plan(
            title="Plan",
            municipality_code=code,
            created_at=_at(created),
            status=PlanStatus.CLOSED if closed else PlanStatus.OPEN,
            closed_at=_at(closed) if closed else None,
            closure_reason=why,
        )
        db.session.add(plan)
        db.session.flush()
        person = Person(plan_id=plan.id, name="Ouder", relation=Relation.PARENT)
        db.session.add(person)
        db.session.add(
            Participation(
                plan_id=plan.id,
                user_id=self.pro.id,
                role=PlanRole.PROFESSIONAL,
                is_coordinator=True,
            )
        )
        db.session.flush()
        plan.person = person  # type: ignore[attr-defined]
        return plan

    def check(self, plan: Plan, day: str, values: tuple[int, int, int, int]) -> None:
        s = Screening(
            plan_id=plan.id,
            person_id=plan.person.id,
            instrument_id="zrm-2017",  # type: ignore[attr-defined]
            instrument_version="2017.1",
            perspective=Perspective.PROFESSIONAL,
            moment=dt.date.fromisoformat(day),
            author_id=self.pro.id,
            status=ScreeningStatus.COMPLETED,
            completed_at=_at(day),
        )
        db.session.add(s)
        db.session.flush()
        for position, domain in enumerate(("finances", "housing")):
            score, own, network, professional = values
            db.session.add(
                DomainScore(
                    screening_id=s.id,
                    domain_id=domain,
                    position=position,
                    score=score,
                    own_share=own,
                    network_share=network,
                    professional_share=professional,
                )
            )
        db.session.flush()

    def goal(
        self,
        plan: Plan,
        domain: str,
        status: GoalStatus,
        closed: str | None,
        progress: list[tuple[str, int]],
    ) -> None:
        goal = Goal(
            plan_id=plan.id,
            domain=domain,
            title="Doel",
            status=status,
            closed_at=_at(closed) if closed else None,
            version=1,
        )
        db.session.add(goal)
        db.session.flush()
        for day, value in progress:
            db.session.add(
                ProgressEntry(
                    plan_id=plan.id,
                    goal_id=goal.id,
                    recorded_on=dt.date.fromisoformat(day),
                    value=value,
                    author_id=self.pro.id,
                )
            )
        db.session.flush()


@pytest.fixture
def region(app: Flask, monkeypatch: pytest.MonkeyPatch) -> Region:
    # every figure shown: compared by hand below (monkeypatch puts the setting back)
    monkeypatch.setitem(app.config, "MONITOR_MIN_HOUSEHOLDS", 1)
    return Region()


def _monitor(period: Period) -> pages.Monitor:
    return pages.monitor(LEEUWARDEN, period, "nl")


def _values(table: Table) -> dict[str, list[float | None]]:
    return {row.label: [c.shown for c in row.cells] for row in table.rows}


def test_plans_started_active_closed_and_drop_out(region: Region) -> None:
    counts, closures = _monitor(YEAR).plans, _monitor(YEAR).closures
    # 2026: P1 (started) and P2 (closed in March) were active; 2025: P2 and P3, both started
    assert _values(counts) == {"Actief in de periode": [2, 2], "Gestart": [1, 2]}
    by_reason = _values(closures)
    assert by_reason["Het gezin is eerder gestopt"] == [1, 0]
    assert by_reason["De doelen zijn bereikt"] == [0, 1]
    assert by_reason["Alle afgesloten plannen"] == [1, 1]
    assert by_reason["Uitval"] == [100.0, 0.0]


def test_goal_outcomes_and_progress_change(region: Region) -> None:
    region.goal(
        region.p1,
        "finances",
        GoalStatus.ACHIEVED,
        "2026-08-01",
        [("2025-12-01", 1), ("2026-02-10", 3), ("2026-05-01", 5), ("2026-08-01", 8)],
    )
    region.goal(
        region.p2,
        "housing",
        GoalStatus.STOPPED,
        "2026-03-01",
        [("2026-01-10", 4), ("2026-02-10", 2)],
    )
    region.goal(region.p3, "housing", GoalStatus.ACHIEVED, "2025-12-01", [])  # last year
    region.goal(region.p1, "housing", GoalStatus.OPEN, None, [("2026-03-01", 6)])  # one entry
    goals = _values(_monitor(YEAR).goals)
    # columns: achieved, partly, not achieved, stopped, all
    assert goals["Financiën"] == [1, 0, 0, 0, 1]
    assert goals["Huisvesting"] == [0, 0, 0, 1, 1]
    assert goals["Alle levensgebieden"] == [1, 0, 0, 1, 2]
    progress = _values(_monitor(YEAR).progress)
    # finances: 3 → 8 within 2026 (the 2025 entry is outside); housing: 4 → 2
    assert progress["Financiën"] == [5.0, 1]
    assert progress["Huisvesting"] == [-2.0, 1]
    assert progress["Alle levensgebieden"] == [1.5, 2]


def test_shifts_direction_and_signals_from_first_to_latest_check(region: Region) -> None:
    region.check(region.p1, "2026-03-01", (2, 20, 20, 60))
    region.check(region.p1, "2026-09-01", (4, 30, 30, 40))
    region.check(region.p2, "2026-01-05", (4, 30, 10, 60))
    region.check(region.p2, "2026-02-20", (2, 40, 10, 50))
    region.check(region.elsewhere, "2026-03-01", (1, 0, 0, 100))
    region.check(region.elsewhere, "2026-04-01", (5, 100, 0, 0))
    shifts = _values(_monitor(YEAR).shifts.table)
    # P1: +2 score, +10 own, +10 network, -20 professional; P2: -2, +10, 0, -10
    assert shifts["Financiën"] == [0.0, 10.0, 5.0, -15.0, 2]
    assert shifts["Huisvesting"] == shifts["Financiën"]
    direction = _values(_monitor(YEAR).direction)
    assert direction["Beter"][0] == 1 and direction["Slechter"][0] == 1
    assert direction["Gelijk"][0] == 0 and direction["Alle huishoudens met twee metingen"][0] == 2
    signals = _values(_monitor(YEAR).signals)
    # leans on others: P1 at 4 with 30 % own, P2's first; less help possible: P1's latest
    # (score up, professional down) and P2's first (60 % professional at a 4), followed by
    # less professional help only in P2 (60 → 50); more help needed: P2 fell from 4 to 2
    assert signals["Financiën"] == [2, 2, 1, 1]


def test_a_quarter_counts_only_its_own_checks(region: Region) -> None:
    region.check(region.p1, "2026-03-01", (2, 20, 20, 60))
    region.check(region.p1, "2026-09-01", (4, 30, 30, 40))
    assert _monitor(quarter_period(2026, 1)).shifts.table.rows == []


def test_satisfaction_per_group(region: Region) -> None:
    for plan, value, grade in ((region.p1, 5, 8), (region.p2, 2, 6)):
        response = SurveyResponse(
            plan_id=plan.id,
            user_id=region.client.id,
            group=SurveyGroup.FAMILY,
            occasion="closure",
            survey_version="2026.1",
            remark="",
            created_at=_at("2026-04-01"),
        )
        db.session.add(response)
        db.session.flush()
        db.session.add_all(
            [
                SurveyAnswer(response_id=response.id, question_id="helps", value=value),
                SurveyAnswer(response_id=response.id, question_id="grade", value=grade),
            ]
        )
    db.session.flush()
    family = next(t for t in _monitor(YEAR).satisfaction if t.id == "satisfaction-family")
    figures = _values(family)
    assert figures["De hulp helpt ons verder."][0] == 50.0  # one of two says true (5)
    assert figures["Welk cijfer geef je de hulp?"][0] == 7.0
    assert figures["Er wordt goed naar ons geluisterd."] == [None, None]  # nobody answered


def test_small_cells_are_hidden_on_the_page(
    app: Flask, region: Region, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(app.config, "MONITOR_MIN_HOUSEHOLDS", 2)
    counts, closures = _monitor(YEAR).plans, _monitor(YEAR).closures
    assert _values(counts)["Actief in de periode"] == [2, 2]
    assert _values(counts)["Gestart"] == [None, 2]
    # one closed plan a year: its reason, the total and the drop-out rate are hidden; the
    # reasons nobody had show their 0
    by_reason = _values(closures)
    assert by_reason["Het gezin is eerder gestopt"] == [None, 0]
    assert by_reason["De doelen zijn bereikt"] == [0, None]
    assert by_reason["Alle afgesloten plannen"] == by_reason["Uitval"] == [None, None]


def _line(values: list[int], total: int) -> Table:
    table = Table("t", "t", ["a"], column_totals=True)
    table.rows = [Row(str(i), [Cell(v, v)]) for i, v in enumerate(values)]
    table.rows.append(Row("total", [Cell(total, total)], total=True))
    return table


def test_one_hidden_cell_beside_a_shown_total_hides_the_smallest_other() -> None:
    table = _line([25, 4, 12, 30], 71)
    suppress_table(table, 10)
    # 4 alone would follow from 71 - 25 - 12 - 30: the smallest other (12) goes too
    assert [r.cells[0].shown for r in table.rows] == [25, None, None, 30, 71]


def test_two_hidden_cells_need_nothing_more() -> None:
    table = _line([25, 4, 3, 30], 62)
    suppress_table(table, 10)
    assert [r.cells[0].shown for r in table.rows] == [25, None, None, 30, 62]


def test_a_hidden_cell_with_no_other_part_hides_the_total() -> None:
    table = _line([4], 4)
    suppress_table(table, 3)
    assert [r.cells[0].shown for r in table.rows] == [4, 4]
    table = _line([2, 0], 2)
    suppress_table(table, 3)
    assert [r.cells[0].shown for r in table.rows] == [None, 0, None]


def test_complementary_suppression_in_both_directions() -> None:
    """A table with row and column totals: hiding one cell hides one more in its row and in
    its column, and the changes ripple until no hidden cell can be worked out."""
    rows = [[20, 3, 15], [12, 14, 11], [30, 16, 40]]
    table = Table("t", "t", ["a", "b", "c", "all"], row_totals=True, column_totals=True)
    for i, values in enumerate(rows):
        cells = [Cell(v, v) for v in values] + [Cell(sum(values), sum(values))]
        table.rows.append(Row(str(i), cells))
    totals = [sum(col) for col in zip(*rows, strict=True)]
    table.rows.append(Row("all", [Cell(t, t) for t in [*totals, sum(totals)]], total=True))
    suppress_table(table, 10)
    for line in [r.cells for r in table.rows] + [
        [r.cells[i] for r in table.rows] for i in range(4)
    ]:
        hidden = [c for c in line if c.suppressed]
        assert len(hidden) != 1, "a single hidden cell beside a shown total can be worked out"
    assert table.rows[0].cells[1].suppressed
