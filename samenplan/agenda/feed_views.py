"""The personal calendar feed: the secret link a phone calendar reads, and the account page
where a user makes, replaces or stops it."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from samenplan.agenda import feed
from samenplan.core.forms import ConfirmForm
from samenplan.core.i18n import lazy_gettext as _l
from samenplan.guard import public, require
from samenplan.policy import Permission

bp = Blueprint("calendar", __name__)


@bp.get("/calendar/<token>.ics")
@public  # the secret link is the key: calendar apps cannot log in
def feed_ics(token: str) -> Response:
    found = feed.feed_for_token(token)
    if found is None:
        abort(404)
    body = feed.read_feed(
        found,
        host=urlsplit(request.host_url).hostname or "samenplan",
        base_url=request.host_url.rstrip("/"),
    )
    return Response(
        body,
        mimetype="text/calendar",
        headers={"Content-Disposition": 'inline; filename="samenplan.ics"'},
    )


def _page(link: str | None = None) -> str:
    return render_template(
        "accounts/calendar.html",
        live=feed.live_feed(current_user),
        link=link,
        webcal=link and "webcal://" + link.split("://", 1)[1],
        form=ConfirmForm(),
    )


@bp.get("/account/calendar")
@require(Permission.LIST_PLANS)
def settings() -> str:
    return _page()


@bp.post("/account/calendar/new")
@require(Permission.LIST_PLANS)
def new_link() -> Response | str:
    if not ConfirmForm().validate_on_submit():
        return redirect(url_for("calendar.settings"), code=303)
    token = feed.new_feed(current_user)
    # shown once, on this page only: only its hash is kept
    return _page(url_for("calendar.feed_ics", token=token, _external=True))


@bp.post("/account/calendar/stop")
@require(Permission.LIST_PLANS)
def stop() -> Response:
    if ConfirmForm().validate_on_submit():
        feed.stop_feed(current_user)
        flash(
            _l("The calendar link is stopped. Calendars that used it get nothing more."), "success"
        )
    return redirect(url_for("calendar.settings"), code=303)
