"""How a monitor figure reads, on the page and in CSV: Dutch or English numbers, and
"fewer than 10 households" for a hidden figure."""

from __future__ import annotations

from flask import current_app
from flask_babel import format_decimal

from samenplan.core.i18n import gettext as _
from samenplan.monitoring.cells import Cell


def hidden_text() -> str:
    return _("fewer than %(k)d households", k=int(current_app.config["MONITOR_MIN_HOUSEHOLDS"]))


def cell_text(cell: Cell) -> str:
    if cell.shown is None:
        return hidden_text()
    value = float(cell.shown)
    if cell.kind == "count":
        return str(format_decimal(value, format="#,##0"))
    if cell.kind == "percent":
        return f"{format_decimal(value, format='0')} %"
    if cell.kind == "delta":
        if abs(value) < 0.05:  # no "+0,0" or "-0,0"
            return str(format_decimal(0, format="0.0"))
        return str(format_decimal(value, format="+0.0;-0.0"))
    return str(format_decimal(value, format="0.0"))
