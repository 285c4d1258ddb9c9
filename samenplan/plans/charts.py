"""The small progress chart on a goal: server-rendered SVG with a text alternative."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from flask_babel import format_date
from markupsafe import Markup, escape

from samenplan.core.i18n import gettext as _
from samenplan.plans.models import ProgressEntry

WIDTH, HEIGHT = 320, 130
LEFT, RIGHT, TOP, BOTTOM = 28, 10, 10, 24
FONT_SIZE = 11
#: a generous width per character of a date label (DejaVu Sans averages about 0.6 em), and
#: the least room between two labels: labels that would come closer are left out
CHAR_WIDTH, LABEL_GAP = 0.65 * FONT_SIZE, 10


def _n(value: float) -> str:
    """A coordinate with at most one decimal, without a trailing ".0"."""
    return f"{value:.1f}".removesuffix(".0")


@dataclass(frozen=True)
class DateLabel:
    text: str
    x: float
    anchor: str  # SVG text-anchor: start, middle or end

    @property
    def extent(self) -> tuple[float, float]:
        width = len(self.text) * CHAR_WIDTH
        left = {"start": self.x, "middle": self.x - width / 2, "end": self.x - width}[self.anchor]
        return left, left + width


def date_labels(days: list[dt.date], x: Callable[[dt.date], float]) -> list[DateLabel]:
    """The dates to write under the chart: the first and the last, and between them as many
    as fit without coming closer than LABEL_GAP to another (so they never run together, as
    "2 dec 262 dec 26" did when all scores were of one day)."""
    distinct = sorted(set(days))

    def label(day: dt.date, anchor: str) -> DateLabel:
        return DateLabel(format_date(day, "d MMM yy"), x(day), anchor)

    if len(distinct) == 1:
        return [label(distinct[0], "middle")]
    chosen = [label(distinct[0], "start"), label(distinct[-1], "end")]
    for day in distinct[1:-1]:
        candidate = label(day, "middle")
        left, right = candidate.extent
        if all(
            right + LABEL_GAP <= other[0] or left - LABEL_GAP >= other[1]
            for other in (c.extent for c in chosen)
        ):
            chosen.append(candidate)
    return sorted(chosen, key=lambda c: c.x)


def describe(entries: list[ProgressEntry]) -> str:
    """The chart as a sentence, for screen readers and for print."""
    if not entries:
        return str(_("No progress recorded yet."))
    first, last = entries[0], entries[-1]
    if len(entries) == 1:
        return str(
            _(
                "One score so far: %(value)d out of 10 on %(date)s.",
                value=last.value,
                date=format_date(last.recorded_on, "long"),
            )
        )
    return str(
        _(
            "%(count)d scores. From %(first)d on %(first_date)s to %(last)d on %(last_date)s "
            "(lowest %(low)d, highest %(high)d).",
            count=len(entries),
            first=first.value,
            first_date=format_date(first.recorded_on, "long"),
            last=last.value,
            last_date=format_date(last.recorded_on, "long"),
            low=min(e.value for e in entries),
            high=max(e.value for e in entries),
        )
    )


def progress_chart(
    entries: list[ProgressEntry], locale: str, *, chart_id: str = "progress-chart"
) -> Markup:
    """A line of 0–10 scores over time. Presentation attributes only (the CSP forbids inline
    styles), so it looks the same on screen and in a PDF."""
    text = describe(entries)
    title = _("Progress over time, 0 to 10")
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def y(value: int) -> float:
        return TOP + plot_h * (1 - value / 10)

    parts = [
        f'<svg class="sp-chart" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" '
        f'role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(text)}</desc>',
    ]
    # Few elements on purpose: the summary PDF draws one chart per goal, and WeasyPrint's cost
    # grows with every SVG element. The grid is one path, the points one path of round-capped
    # zero-length strokes (a dot each, on screen and in print).
    grid = "".join(f"M{LEFT} {_n(y(v))}H{WIDTH - RIGHT}" for v in (0, 5, 10))
    parts.append(f'<path d="{grid}" stroke="#b1b4b6" stroke-width="1"/>')
    for value in (0, 5, 10):
        parts.append(
            f'<text x="{LEFT - 6}" y="{_n(y(value) + 4)}" text-anchor="end" '
            f'font-size="{FONT_SIZE}" fill="#505a5f">{value}</text>'
        )
    if entries:
        first_day = entries[0].recorded_on.toordinal()
        span = entries[-1].recorded_on.toordinal() - first_day

        def x(day: dt.date) -> float:
            if span == 0:  # one day only: in the middle, as a single score
                return LEFT + plot_w / 2
            return LEFT + plot_w * (day.toordinal() - first_day) / span

        points = [f"{_n(x(e.recorded_on))} {_n(y(e.value))}" for e in entries]
        if len(entries) > 1:
            parts.append(
                f'<polyline points="{" ".join(points)}" fill="none" stroke="#3b0fb0" '
                'stroke-width="2.5" stroke-linejoin="round"/>'
            )
        dots = "".join(f"M{point}h0" for point in points)
        parts.append(
            f'<path d="{dots}" fill="none" stroke="#3b0fb0" stroke-width="7" '
            'stroke-linecap="round"/>'
        )
        for label in date_labels([e.recorded_on for e in entries], x):
            parts.append(
                f'<text x="{_n(label.x)}" y="{HEIGHT - 6}" text-anchor="{label.anchor}" '
                f'font-size="{FONT_SIZE}" fill="#505a5f">{escape(label.text)}</text>'
            )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704  # nosec B704  # built here; texts escaped
