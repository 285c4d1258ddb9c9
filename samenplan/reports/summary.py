"""The plan summary: a plain context of data, a print template, and WeasyPrint.

WeasyPrint fetches nothing from the network: the URL fetcher only serves our own static files
(fonts come from the system: Debian's DejaVu, and Noto Color Emoji for the emoji in families'
own words), so the PDF is the same on every machine. The PDF is tagged (PDF/UA-1): a screen
reader reads it in order, in the document's language."""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from flask import render_template
from flask_babel import format_date
from markupsafe import Markup

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
from samenplan.plans.charts import describe as chart_text
from samenplan.plans.charts import progress_chart
from samenplan.plans.models import (
    Action,
    ActionStatus,
    LogEntry,
    Participation,
    Person,
    PlanStatus,
    ProgressEntry,
    Relation,
)
from samenplan.plans.pages import GoalSummary
from samenplan.plans.rules import age_on
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


#: the progress notes printed under a goal, newest first
NOTES_PER_GOAL = 3
#: a plan whose summary is estimated at more lines than this gets a table of contents on its
#: cover (about two A4 pages of table rows; a goal with its chart counts as ten)
LONG_PLAN_LINES = 90


@dataclass(frozen=True)
class Member:
    """A household member as printed: the network reads an age, never a date of birth."""

    name: str
    relation: Relation
    date_of_birth: dt.date | None
    age: int | None


@dataclass(frozen=True)
class Cover:
    coordinators: list[Participation]
    started: dt.date
    closed: dt.date | None


@dataclass(frozen=True)
class GoalPart:
    summary: GoalSummary
    chart: Markup | None  # None when no progress is written down in the period: no empty frame
    text: str
    notes: list[ProgressEntry]


@dataclass
class SummaryData:
    access: PlanAccess
    options: Options
    locale: str
    parts: dict[str, Any] = field(default_factory=dict)
    cover: Cover | None = None

    @property
    def long(self) -> bool:
        """Long enough for a table of contents on its cover (an estimate before layout)."""
        p = self.parts
        lines = (
            sum(10 if g.chart is not None else 4 for g in p.get("goals", []))
            + 2 * len(p.get("actions", []))
            + len(p.get("agenda", []))
            + 3 * len(p.get("log", []))
            + 18 * len(p.get("screenings", []))
        )
        return lines > LONG_PLAN_LINES


def _local_day(moment: dt.datetime) -> dt.date:
    return moment.astimezone(AMSTERDAM).date()


def member(person: Person, today: dt.date, *, network: bool) -> Member:
    born = person.date_of_birth
    age = age_on(born, today) if born else None
    return Member(person.name, person.relation, None if network else born, age)


def _goal_parts(
    access: PlanAccess, options: Options, locale: str, summaries: list[GoalSummary]
) -> list[GoalPart]:
    progress = plan_queries.progress_by_goal(access, [s.goal.id for s in summaries])
    goals = []
    for summary in summaries:
        written = progress[summary.goal.id]
        entries = [e for e in written if options.within(e.recorded_on)]
        if entries:
            chart = progress_chart(entries, locale, chart_id=f"goal-{summary.goal.id}")
            text = str(chart_text(entries))
        elif written:
            chart, text = None, _("No progress written down in this period.")
        else:
            chart, text = None, _("No progress written down yet.")
        notes = [e for e in reversed(entries) if e.note.strip()][:NOTES_PER_GOAL]
        goals.append(GoalPart(summary, chart, text, notes))
    return goals


def build(access: PlanAccess, options: Options, locale: str) -> SummaryData:
    """Everything the summary shows, read through the viewer's access (network rules apply)."""
    data = SummaryData(access, options, locale)
    wanted = options.sections
    plan, today = access.plan, local_today()
    participants = plan_queries.participants(access)
    data.cover = Cover(
        coordinators=[p for p in participants if p.is_coordinator],
        started=_local_day(plan.created_at),
        closed=_local_day(plan.closed_at)
        if plan.status == PlanStatus.CLOSED and plan.closed_at
        else None,
    )
    if Section.HOUSEHOLD in wanted:
        data.parts["persons"] = [
            member(p, today, network=access.shared_only) for p in plan_queries.persons(access)
        ]
        data.parts["participants"] = participants
    if Section.GOALS in wanted:
        data.parts["goals"] = _goal_parts(access, options, locale, pages.goal_summaries(access))
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


#: the font stack of the PDF; margin boxes do not inherit it, so page_css() names it again.
#: "Samenplan Emoji" is Noto Color Emoji for emoji only (print.css): families write 🏠 and 🚲
#: in their own words, which printed as empty boxes without it
FONTS = '"DejaVu Sans", "Samenplan Emoji", sans-serif'
#: where the system's fonts are (print.css takes the emoji font from there by name)
FONT_DIRS = (Path("/usr/share/fonts"), Path("/usr/local/share/fonts"))


def page_css(printed_by: str) -> str:
    """Running header and footer, "confidential" on every page; margin boxes need their own
    font (they do not inherit)."""
    printed = _(
        "Printed on %(date)s by %(name)s",
        date=format_date(local_today(), "d MMMM yyyy"),
        name=printed_by,
    )
    page, of = _css_string(_("Page")), _css_string(_("of"))
    confidential = _css_string(_("Confidential"))  # not inside the f-string: Babel misses it
    font = f"font: 8.5pt {FONTS}; color: #505a5f;"
    return f"""
    @page {{
      size: A4;
      margin: 20mm 15mm 18mm 15mm;
      @top-left {{ content: string(plantitle); width: 70%; {font} }}
      @top-right {{
        content: {confidential}; width: 30%; {font}
        font-weight: bold; color: #a4000f; text-transform: uppercase; letter-spacing: 0.5pt;
      }}
      @bottom-left {{ content: "Samenplan · " {_css_string(printed)}; width: 75%; {font} }}
      @bottom-right {{
        content: {page} " " counter(page) " " {of} " " counter(pages); width: 25%; {font}
      }}
    }}
    """


def fetch_local_only(url: str, timeout: int = 10, ssl_context: object = None) -> dict[str, Any]:
    """WeasyPrint's URL fetcher, restricted to our static folder and the system's fonts;
    anything else is refused."""
    from weasyprint.urls import default_url_fetcher

    if url.startswith("file://"):
        path = Path(unquote(url.removeprefix("file://"))).resolve()
        if path.is_relative_to(STATIC) or any(path.is_relative_to(d) for d in FONT_DIRS):
            return dict(default_url_fetcher(url, timeout=timeout))
    raise ValueError(f"not fetched: {url}")


def render_pdf(html: str, printed_by: str) -> bytes:
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration()  # one per document: it holds print.css's @font-face
    local = {"font_config": fonts, "url_fetcher": fetch_local_only}
    stylesheets = [
        CSS(filename=str(STATIC / "css" / "print.css"), **local),
        CSS(string=page_css(printed_by), **local),
    ]
    document = HTML(string=html, base_url=str(STATIC), url_fetcher=fetch_local_only)
    # PDF/UA-1: tagged (headings, tables, lists and their reading order), with the title
    # and language from <title> and <html lang>
    return bytes(
        document.write_pdf(stylesheets=stylesheets, font_config=fonts, pdf_variant="pdf/ua-1")
    )


def summary_html(items: list[SummaryData], printed_by: str, *, batch: bool = False) -> str:
    """The print template for one plan, or for a team lead's print run (``batch``: a cover
    listing the plans, then each plan from its own cover)."""
    return render_template(
        "reports/summary.html",
        items=items,
        batch=batch,
        printed_by=printed_by,
        printed_at=utcnow(),
        today=local_today(),
        Section=Section,
    )


def summary_pdf(data: SummaryData, printed_by: str) -> bytes:
    return render_pdf(summary_html([data], printed_by), printed_by)


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
