"""Home, language switch, health check and the favicon."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from flask import (
    Blueprint,
    current_app,
    jsonify,
    redirect,
    request,
    session,
    url_for,
)
from flask_login import current_user
from sqlalchemy import text
from werkzeug.wrappers import Response

from samenplan.core.forms import LanguageForm
from samenplan.core.web import safe_next
from samenplan.extensions import db
from samenplan.guard import public
from samenplan.policy import Role

bp = Blueprint("core", __name__)


def landing_url(user: Any = None) -> str:
    """Where a user starts: administrators in administration, policy officers in the monitor,
    everyone else in their plans."""
    user = user or current_user
    if user.is_authenticated and user.role == Role.ADMIN:
        return url_for("admin.index")
    if user.is_authenticated and user.role == Role.POLICY:
        return url_for("monitoring.index")
    return url_for("plans.index")


@bp.get("/")
@public
def index() -> Response:
    if not current_user.is_authenticated:
        return redirect(url_for("accounts.login"))
    return redirect(landing_url())


@bp.post("/language")
@public
def language_set() -> Response:
    form = LanguageForm(prefix="lang")
    target = safe_next(form.next.data) or safe_next(request.referrer and _path_of(request.referrer))
    if form.validate_on_submit():
        session["locale"] = form.locale.data
        if current_user.is_authenticated:
            current_user.locale = form.locale.data  # remembered on the account
    return redirect(target or url_for("core.index"), code=303)


def _path_of(url: str) -> str:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


@bp.get("/health")
@public
def health() -> tuple[Response, int]:
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # the point of a health check is to say so, not to raise
        return jsonify(status="error", database="unreachable"), 503
    return jsonify(status="ok"), 200


@bp.get("/favicon.ico")
@public
def favicon() -> Response:
    """Browsers ask for /favicon.ico on every page they have no icon link for (a PDF, the
    JSON export): the same small picture as the pages' icon link, instead of a 404."""
    return Response(_icon(current_app.static_folder or ""), mimetype="image/svg+xml")


@functools.cache
def _icon(static_folder: str) -> bytes:
    # read into memory once: a few hundred bytes, and no file left open per request
    return (Path(static_folder) / "img" / "favicon.svg").read_bytes()


__all__ = ["bp", "landing_url"]
