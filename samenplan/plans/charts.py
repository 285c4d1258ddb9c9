"""The small progress chart on a goal: server-rendered SVG with a text alternative."""

from __future__ import annotations

from flask_babel import format_date
from markupsafe import Markup, escape

from samenplan.core.i18n import gettext as _
from samenplan.plans.models import ProgressEntry

WIDTH, HEIGHT = 320, 130
LEFT, RIGHT, TOP, BOTTOM = 28, 10, 10, 24


def _n(value: float) -> str:
    """A coordinate with at most one decimal, without a trailing ".0"."""
    return f"{value:.1f}".removesuffix(".0")


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
            f'<text x="{LEFT - 6}" y="{_n(y(value) + 4)}" text-anchor="end" font-size="11" '
            f'fill="#505a5f">{value}</text>'
        )
    if entries:
        first_day = entries[0].recorded_on.toordinal()
        span = max(1, entries[-1].recorded_on.toordinal() - first_day)

        def x(entry: ProgressEntry) -> float:
            if len(entries) == 1:
                return LEFT + plot_w / 2
            return LEFT + plot_w * (entry.recorded_on.toordinal() - first_day) / span

        points = [f"{_n(x(e))} {_n(y(e.value))}" for e in entries]
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
        dates = (
            [(entries[0], "middle")]
            if len(entries) == 1
            else [(entries[0], "start"), (entries[-1], "end")]
        )
        for entry, anchor in dates:
            parts.append(
                f'<text x="{_n(x(entry))}" y="{HEIGHT - 6}" text-anchor="{anchor}" font-size="11" '
                f'fill="#505a5f">{escape(format_date(entry.recorded_on, "d MMM yy"))}</text>'
            )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704  # nosec B704  # built here; texts escaped
