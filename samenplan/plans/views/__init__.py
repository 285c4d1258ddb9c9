"""Plan pages, one module per sub-area on one blueprint. Thin: parse, load through the guard
(plans.guard), call one service or page builder, render or redirect. The request commits
once at the edge (core.transactions)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("plans", __name__, url_prefix="/plans")

# The sub-areas add their routes to bp when imported.
from samenplan.plans.views import goals, logbook, participants, plan  # noqa: E402, F401
