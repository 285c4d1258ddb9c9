"""The plans a user takes part in."""

from __future__ import annotations

from flask import Blueprint, render_template

from samenplan.policy import Permission, require

bp = Blueprint("plans", __name__, url_prefix="/plans")


@bp.get("/")
@require(Permission.LIST_PLANS)
def index() -> str:
    return render_template("plans/index.html", plans=[])
