"""The monitor's charts as server-rendered SVG, each beside its table: horizontal bars for
counts and shares, and the Krachtenwijzer bars (first against latest check) for the shifts.
A hidden figure is drawn as no bar with the words "fewer than N households"."""

from __future__ import annotations

from markupsafe import Markup, escape

from samenplan.core.i18n import gettext as _
from samenplan.monitoring.cells import Table
from samenplan.monitoring.format import cell_text
from samenplan.screening.bars import bar
from samenplan.screening.rules import Entry

WIDTH, ROW = 320, 26


def hbars(table: Table, column: int = 0, *, skip_totals: bool = True) -> Markup:
    """One bar per row of ``table`` for the figures in ``column``."""
    rows = [r for r in table.rows if not (skip_totals and r.total)]
    values = [r.cells[column].shown or 0 for r in rows]
    top = max([v for v in values if v > 0], default=1)
    height = ROW * len(rows) * 2
    parts = [
        f'<svg class="sp-hbars" viewBox="0 0 {WIDTH} {height}" width="100%" '
        f'preserveAspectRatio="xMinYMin meet" role="img" aria-label="{escape(table.title)}" '
        'xmlns="http://www.w3.org/2000/svg">'
    ]
    for i, row in enumerate(rows):
        cell = row.cells[column]
        y = i * ROW * 2
        parts.append(
            f'<text x="0" y="{y + 14}" font-size="12" fill="#0b0c0c">{escape(row.label)}</text>'
        )
        if cell.shown is None:
            hidden = escape(cell_text(cell))
            parts.append(f'<text x="0" y="{y + 34}" font-size="12" fill="#505a5f">{hidden}</text>')
            continue
        length = max(0.0, (WIDTH - 70) * float(cell.shown) / top)
        parts.append(
            f'<rect x="0" y="{y + 20}" width="{length:.1f}" height="16" fill="#0072B2"/>'
            f'<text x="{length + 6:.1f}" y="{y + 33}" font-size="12" font-weight="bold" '
            f'fill="#0b0c0c">{escape(cell_text(cell))}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704  # nosec B704  # built here; texts escaped


def _entry(averages: dict[str, float]) -> Entry:
    own, network = round(averages["own"]), round(averages["network"])
    return Entry(
        score=max(1, min(5, round(averages["score"]))),
        own=own,
        network=network,
        professional=max(0, 100 - own - network),
    )


def shift_bars(label: str, first: dict[str, float], last: dict[str, float]) -> Markup:
    """A life area's average at the first and at the latest check, one bar each."""
    return Markup("").join(
        [
            Markup('<p class="sp-bar-label">{}</p>').format(label),
            Markup('<p class="sp-muted">{}</p>').format(_("First check")),
            bar(label, _entry(first), average=first["score"]),
            Markup('<p class="sp-muted">{}</p>').format(_("Latest check")),
            bar(label, _entry(last), average=last["score"]),
        ]
    )
