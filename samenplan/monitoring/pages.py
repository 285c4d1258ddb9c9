"""The monitor page: the queries' rows as labelled tables, suppressed, with the period before
beside the figures that compare (DESIGN.md §6). Tables are the same for the page and CSV."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from flask import current_app

from samenplan.core.i18n import gettext as _
from samenplan.core.i18n import lazy_gettext as _l
from samenplan.domains import life_domains
from samenplan.monitoring.cells import Cell, Row, Table, suppress_primary, suppress_table
from samenplan.monitoring.models import SurveyGroup
from samenplan.monitoring.scope import Period, Scope
from samenplan.monitoring.snapshots import Figures, figures
from samenplan.monitoring.surveys import surveys
from samenplan.plans.forms import GOAL_STATUS_LABELS, PLAN_CLOSURE_LABELS
from samenplan.plans.models import GoalStatus, PlanClosure

OUTCOMES = [s for s in GoalStatus if s != GoalStatus.OPEN]
GROUP_LABELS = {
    SurveyGroup.FAMILY: _l("the family"),
    SurveyGroup.NETWORK: _l("the network"),
    SurveyGroup.PROFESSIONAL: _l("the professionals"),
}


def min_households() -> int:
    return int(current_app.config["MONITOR_MIN_HOUSEHOLDS"])


def _domain_label(domain_id: str | None, locale: str) -> str:
    if domain_id is None:
        return _("All life areas")
    found = life_domains().get(domain_id)
    return found.label(locale) if found else domain_id


def _domain_order(domain_id: str) -> int:
    order = list(life_domains())
    return order.index(domain_id) if domain_id in order else len(order)


def plans_table(now: Figures, then: Figures, period: Period, before: Period) -> tuple[Table, Table]:
    """Active, started and closed plans, and the closed ones by reason with the drop-out
    rate, this period against the one before."""
    k = min_households()
    columns = [period.label, before.label]
    counts = Table(
        "plans",
        _("Plans"),
        columns,
        [
            Row(
                _("Active in the period"),
                [Cell(f.counts["active"], f.counts["active"]) for f in (now, then)],
            ),
            Row(
                _("Started"),
                [Cell(f.counts["started"], f.counts["started"]) for f in (now, then)],
            ),
        ],
    )
    suppress_table(counts, k)
    by_reason = [dict(f.closures) for f in (now, then)]
    reasons = Table(
        "closures",
        _("Closed plans by reason"),
        columns,
        column_totals=True,
        note=_("A drop-out is a family that stopped early: one of the national indicators."),
    )
    keys: list[str | None] = [c.value for c in PlanClosure]
    if any(None in counts_ for counts_ in by_reason):
        keys.append(None)
    for key in keys:
        label = str(PLAN_CLOSURE_LABELS[PlanClosure(key)]) if key else _("No reason given")
        reasons.rows.append(Row(label, [Cell(c.get(key, 0), c.get(key, 0)) for c in by_reason]))
    totals = [sum(c.values()) for c in by_reason]
    reasons.rows.append(Row(_("All closed plans"), [Cell(t, t) for t in totals], total=True))
    suppress_table(reasons, k)
    dropped = reasons.rows[keys.index(PlanClosure.DROPPED_OUT.value)].cells
    rate = []
    for i, total in enumerate(totals):
        count = dropped[i].value
        value = 100 * count / total if total and count is not None else None
        cell = Cell(value, total, "percent")
        cell.suppressed = dropped[i].suppressed or reasons.rows[-1].cells[i].suppressed or total < k
        rate.append(cell)
    reasons.rows.append(Row(_("Drop-out rate"), rate))
    return counts, reasons


def goals_table(f: Figures, locale: str) -> Table:
    """Goals closed in the period per life area and outcome, with totals both ways."""
    found = {(d, s): (n, h) for d, s, n, h in f.goals}
    domains = sorted({d for d, _s in found if d is not None}, key=_domain_order)
    table = Table(
        "goals",
        _("Goals closed, by outcome"),
        [*(str(GOAL_STATUS_LABELS[s]) for s in OUTCOMES), _("All")],
        row_totals=True,
        column_totals=True,
        note=_(
            "Counted in goals; a figure is shown when at least %(k)d households are behind it.",
            k=min_households(),
        ),
    )
    for domain in [*domains, None]:
        cells = [Cell(*found.get((domain, s.value), (0, 0))) for s in OUTCOMES]
        cells.append(Cell(*found.get((domain, None), (0, 0))))
        table.rows.append(Row(_domain_label(domain, locale), cells, total=domain is None))
    suppress_table(table, min_households())
    return table


def progress_table(f: Figures, locale: str) -> Table:
    rows = f.progress
    table = Table(
        "progress",
        _("Progress on goals (0 to 10), from the first to the latest entry in the period"),
        [_("Average change"), _("Goals")],
    )
    for domain, change, goals, households in sorted(
        rows, key=lambda r: (r[0] is None, _domain_order(r[0] or ""))
    ):
        table.rows.append(
            Row(
                _domain_label(domain, locale),
                [Cell(change, households, "delta"), Cell(goals, households)],
                total=domain is None,
            )
        )
    suppress_primary([c for r in table.rows for c in r.cells], min_households())
    return table


@dataclass
class Shifts:
    table: Table
    #: per life area shown: (label, first averages, latest averages) for the bars
    bars: list[tuple[str, dict[str, float], dict[str, float]]] = field(default_factory=list)


def shifts_table(f: Figures, locale: str) -> Shifts:
    """Per life area: the change in score and in each share, in points, from each household's
    first to its latest professional check in the period."""
    k = min_households()
    table = Table(
        "shifts",
        _("Strengths checks: change from the first to the latest check"),
        [_("Score"), _("Own strength"), _("Network"), _("Professional help"), _("Households")],
        note=_("Only completed checks by professionals count. Shares change in percentage points."),
    )
    result = Shifts(table)
    for row in sorted(f.shifts, key=lambda r: _domain_order(r["domain"])):
        n = row["households"]
        cells = [
            Cell(row[f"{part}_last"] - row[f"{part}_first"], n, "delta")
            for part in ("score", "own", "network", "professional")
        ]
        label = _domain_label(row["domain"], locale)
        table.rows.append(Row(label, [*cells, Cell(n, n)]))
        if n >= k:
            result.bars.append(
                (
                    label,
                    {p: row[f"{p}_first"] for p in ("score", "own", "network", "professional")},
                    {p: row[f"{p}_last"] for p in ("score", "own", "network", "professional")},
                )
            )
    suppress_primary([c for r in table.rows for c in r.cells], k)
    return result


def direction_table(now: Figures, then: Figures, period: Period, before: Period) -> Table:
    table = Table(
        "direction",
        _("Households whose scores went up, stayed level or went down"),
        [period.label, before.label],
        column_totals=True,
        note=_("The sum of the score changes over all life areas of the household."),
    )
    counts = [now.direction, then.direction]
    for key, label in (("better", _("Better")), ("same", _("The same")), ("worse", _("Worse"))):
        table.rows.append(Row(label, [Cell(c.get(key, 0), c.get(key, 0)) for c in counts]))
    totals = [sum(c.values()) for c in counts]
    table.rows.append(
        Row(_("All households with two checks"), [Cell(t, t) for t in totals], total=True)
    )
    suppress_table(table, min_households())
    return table


def signals_table(f: Figures, locale: str) -> Table:
    table = Table(
        "signals",
        _("Signals in the strengths checks (households)"),
        [
            _("Leans on others"),
            _("Less help possible"),
            _("… and less professional help at the next check"),
            _("More help needed"),
        ],
    )
    rows = f.signals
    for row in sorted(rows, key=lambda r: _domain_order(r["domain"])):
        table.rows.append(
            Row(
                _domain_label(row["domain"], locale),
                [Cell(row[key], row[key]) for key in ("hidden", "down", "followed", "up")],
            )
        )
    suppress_primary([c for r in table.rows for c in r.cells], min_households())
    return table


def satisfaction_tables(
    now: Figures, then: Figures, period: Period, before: Period, locale: str
) -> list[Table]:
    """Per respondent group: per question the share that agrees (4 or 5 of 5), or the average
    mark (1 to 10), this period against the one before."""
    k = min_households()
    found = [{(r["group"], r["question"]): r for r in f.satisfaction} for f in (now, then)]
    tables = []
    for group, questions in surveys().groups.items():
        table = Table(
            f"satisfaction-{group.value}",
            _("Satisfaction of %(group)s", group=GROUP_LABELS[group]),
            [period.label, before.label],
            note=_(
                "Agree: the share that answered true or completely true. "
                "Mark: the average from 1 to 10."
            ),
        )
        for q in questions:
            cells = []
            for answers in found:
                r = answers.get((group.value, q.id))
                if r is None:
                    cells.append(Cell(None, 0))
                elif q.scale == "grade":
                    cells.append(Cell(float(r["mean"]), r["households"], "mean"))
                else:
                    cells.append(
                        Cell(100 * r["four_or_more"] / r["answers"], r["households"], "percent")
                    )
            table.rows.append(Row(q.text(locale), cells))
        suppress_primary([c for r in table.rows for c in r.cells], k)
        tables.append(table)
    return tables


@dataclass
class Monitor:
    scope: Scope
    period: Period
    before: Period
    plans: Table
    closures: Table
    goals: Table
    progress: Table
    shifts: Shifts
    direction: Table
    signals: Table
    satisfaction: list[Table]
    #: when the oldest of the figures shown were counted (they may come from a snapshot)
    counted_at: dt.datetime

    def tables(self) -> list[Table]:
        return [
            self.plans,
            self.closures,
            self.goals,
            self.progress,
            self.shifts.table,
            self.direction,
            self.signals,
            *self.satisfaction,
        ]


def monitor(scope: Scope, period: Period, locale: str) -> Monitor:
    before = period.previous()
    now, then = figures(scope, period), figures(scope, before)
    plans, closures = plans_table(now, then, period, before)
    return Monitor(
        scope=scope,
        period=period,
        before=before,
        plans=plans,
        closures=closures,
        goals=goals_table(now, locale),
        progress=progress_table(now, locale),
        shifts=shifts_table(now, locale),
        direction=direction_table(now, then, period, before),
        signals=signals_table(now, locale),
        satisfaction=satisfaction_tables(now, then, period, before, locale),
        counted_at=min(now.computed_at, then.computed_at),
    )
