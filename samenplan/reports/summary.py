"""The plan summary: a plain context of data, a print template, and WeasyPrint.

WeasyPrint fetches nothing from the network: the URL fetcher only serves our own static files
(fonts come from the system, Debian's DejaVu), so the PDF is the same on every machine."""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask import render_template
from flask_babel import format_date

from samenplan.accounts.models import User
from samenplan.agenda import queries as agenda_queries
from samenplan.agreements import services as agreements
from samenplan.audit.services import AuditAction, record
from samenplan.clock import AMSTERDAM, local_today, utcnow
from samenplan.core.i18n import gettext as _
from samenplan.extensions import db
from samenplan.plans import pages
from samenplan.plans import queries as plan_queries
from samenplan.plans.access import PlanAccess
from samenplan.plans.charts import describe, progress_chart
from samenplan.plans.models import Action, ActionStatus, LogEntry
from samenplan.screening.bars import legend
from samenplan.screening.panel import latest_items

STATIC = Path(__file__).resolve().parent.parent / "static"


class Section(enum.StrEnum):
    HOUSEHOLD = "household"
    GOALS = "goals"
    ACTIONS = "actions"
    AGENDA = "agenda"
    SCREENING = "screening"
    LOGBOOK = "logbook"


@dataclass(frozen=True)
class Options:
    sections: frozenset[Section] = frozenset(Section)
    since: dt.date | None = None  # the period: progress, done actions and messages from this day
    until: dt.date | None = None

    def within(self, day: dt.date) -> bool:
        return (self.since is None or day >= self.since) and (
            self.until is None or day <= self.until
        )

    def bounds(self) -> tuple[dt.datetime | None, dt.datetime | None]:
        """The period as UTC times: from the start of ``since`` to the end of ``until``, in
        Dutch days (for filtering stored times in the database)."""

        def start_of(day: dt.date) -> dt.datetime:
            return dt.datetime.combine(day, dt.time(), tzinfo=AMSTERDAM).astimezone(dt.UTC)

        return (
            start_of(self.since) if self.since else None,
            start_of(self.until + dt.timedelta(days=1)) if self.until else None,
        )


@dataclass
class SummaryData:
    access: PlanAccess
    options: Options
    locale: str
    parts: dict[str, Any] = field(default_factory=dict)


def build(access: PlanAccess, options: Options, locale: str) -> SummaryData:
    """Everything the summary shows, read through the viewer's access (network rules apply)."""
    data = SummaryData(access, options, locale)
    wanted = options.sections
    if Section.HOUSEHOLD in wanted:
        data.parts["persons"] = plan_queries.persons(access)
        data.parts["participants"] = plan_queries.participants(access)
    if Section.GOALS in wanted:
        summaries = pages.goal_summaries(access)
        progress = plan_queries.progress_by_goal(access, [s.goal.id for s in summaries])
        goals = []
        for summary in summaries:
            entries = [e for e in progress[summary.goal.id] if options.within(e.recorded_on)]
            goals.append(
                (
                    summary,
                    progress_chart(entries, locale, chart_id=f"goal-{summary.goal.id}"),
                    describe(entries),
                )
            )
        data.parts["goals"] = goals
        data.parts["versions"] = agreement_lines(access)
    start, end = options.bounds()
    if Section.ACTIONS in wanted:
        # Open actions, and those done in the period (without one: the last 30 days).
        done = (Action.status == ActionStatus.DONE) & (
            Action.done_at >= (start or utcnow() - dt.timedelta(days=30))
        )
        if end is not None:
            done &= Action.done_at < end
        data.parts["actions"] = list(
            db.session.scalars(
                plan_queries.visible_actions(access)
                .where((Action.status == ActionStatus.OPEN) | done)
                .order_by(Action.status, Action.due_date.is_(None), Action.due_date, Action.id)
            ).unique()
        )
    if Section.AGENDA in wanted:
        data.parts["agenda"] = agenda_queries.upcoming(access, now=utcnow(), limit=15)
    if Section.SCREENING in wanted:
        data.parts["screenings"] = latest_items(access, locale, with_changes=True)
        data.parts["legend"] = legend()
    if Section.LOGBOOK in wanted:
        log = plan_queries.visible_log(access)
        if start is not None:
            log = log.where(LogEntry.created_at >= start)
        if end is not None:
            log = log.where(LogEntry.created_at < end)
        data.parts["log"] = list(
            db.session.scalars(
                log.order_by(LogEntry.created_at.desc(), LogEntry.id.desc()).limit(15)
            )
        )
    return data


def agreement_lines(access: PlanAccess) -> list[dict[str, Any]]:
    """Every version of the plan, newest first, with each answer (a remark only for those
    who are not network: a remark may be about what the network does not see)."""
    standings = agreements.history(access.plan.id)
    names = agreements.names(sorted({u for s in standings for u in s.asked}))
    lines = []
    for standing in standings:
        lines.append(
            {
                "version": standing.version,
                "answers": [
                    (names.get(u, ""), standing.answers.get(u), not access.shared_only)
                    for u in standing.asked
                ],
            }
        )
    return lines


# --- rendering ----------------------------------------------------------------------------------


def _css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def page_css(printed_by: str) -> str:
    """Running header and footer; margin boxes need their own font (they do not inherit)."""
    printed = _(
        "Printed on %(date)s by %(name)s",
        date=format_date(local_today(), "d MMMM yyyy"),
        name=printed_by,
    )
    page, of = _css_string(_("Page")), _css_string(_("of"))
    font = 'font: 8.5pt "DejaVu Sans", sans-serif; color: #505a5f;'
    return f"""
    @page {{
      size: A4;
      margin: 20mm 15mm 18mm 15mm;
      @top-left {{ content: string(plantitle); {font} }}
      @top-right {{ content: {page} " " counter(page) " " {of} " " counter(pages); {font} }}
      @bottom-left {{ content: {_css_string(printed)}; {font} }}
      @bottom-right {{ content: "Samenplan"; {font} }}
    }}
    """


def fetch_local_only(url: str, timeout: int = 10, ssl_context: object = None) -> dict[str, Any]:
    """WeasyPrint's URL fetcher, restricted to our static folder; anything else is refused."""
    from weasyprint.urls import default_url_fetcher

    if url.startswith("file://"):
        path = Path(url.removeprefix("file://")).resolve()
        if path.is_relative_to(STATIC):
            return dict(default_url_fetcher(url, timeout=timeout))
    raise ValueError(f"not fetched: {url}")


def render_pdf(html: str, printed_by: str) -> bytes:
    from weasyprint import CSS, HTML

    stylesheets = [
        CSS(filename=str(STATIC / "css" / "print.css")),
        CSS(string=page_css(printed_by)),
    ]
    document = HTML(string=html, base_url=str(STATIC), url_fetcher=fetch_local_only)
    return bytes(document.write_pdf(stylesheets=stylesheets))


def summary_html(items: list[SummaryData], *, cover: bool = False) -> str:
    return render_template(
        "reports/summary.html",
        items=items,
        cover=cover,
        printed_at=utcnow(),
        today=local_today(),
        Section=Section,
    )


def summary_pdf(data: SummaryData, printed_by: str) -> bytes:
    return render_pdf(summary_html([data]), printed_by)


def printed_summary(access: PlanAccess, actor: User, options: Options, locale: str) -> bytes:
    """One plan's summary PDF for the person printing it, audit-logged with what they chose."""
    content = summary_pdf(build(access, options, locale), actor.name)
    record(
        AuditAction.SUMMARY_PRINTED,
        actor=actor,
        plan_id=access.plan.id,
        obj=access.plan,
        details={
            "sections": sorted(s.value for s in options.sections),
            "since": str(options.since or ""),
            "until": str(options.until or ""),
        },
    )
    return content
