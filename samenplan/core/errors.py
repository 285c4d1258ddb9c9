"""Friendly error pages in the user's language, with the request id; never a stack trace."""

from __future__ import annotations

from flask import Flask, Response, current_app, g, make_response, render_template, request, session
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException, InternalServerError

from samenplan.core.i18n import lazy_gettext as _l
from samenplan.core.web import READING_METHODS
from samenplan.db import is_contention, is_unique_violation
from samenplan.extensions import db

MESSAGES = {
    400: (
        _l("Something in the request was not right"),
        _l("Go back, check what you filled in and try again."),
    ),
    403: (
        _l("You may not open this page"),
        _l(
            "Your account does not have the rights for this page. Ask your coordinator or "
            "administrator if you think you should."
        ),
    ),
    404: (_l("Page not found"), _l("This page does not exist, or you do not have access to it.")),
    405: (_l("This cannot be done this way"), _l("Go back and use the buttons on the page.")),
    413: (_l("What you sent is too large"), _l("Make the text or file smaller and try again.")),
    429: (_l("Too many tries"), _l("Wait a few minutes and try again.")),
    500: (
        _l("Something went wrong on our side"),
        _l(
            "Your last change may not have been saved. Try again in a moment. If it keeps "
            "happening, tell your administrator the code below."
        ),
    ),
}
CSRF_MESSAGE = (
    _l("This form has expired"),
    _l(
        "You were away for a while, or logged out. Go back with the back button of your browser "
        "(what you typed is usually still there), reload the page and send it again."
    ),
)


CONFLICT_MESSAGE = (
    _l("Someone else was saving at the same moment"),
    _l(
        "What you sent is not saved yet. Nothing is lost: what you typed is below. "
        "Press 'Send again' to save it now, or go back to the page."
    ),
)
NO_RESEND_MESSAGE = _l(
    "What you sent is not saved yet. What you typed is below: go back to the page and try again."
)
BUSY_MESSAGE = (
    _l("It is very busy right now"),
    _l("Wait a moment and open the page again."),
)
#: form fields that are never written back into a page: passwords and one-time codes
_SECRET_FIELDS = ("password", "otp", "code", "secret")
#: fields that are sent along again but are not the person's own text
_HIDDEN_FIELDS = frozenset({"csrf_token", "version", "next", "next_url"})


def is_conflict(error: BaseException) -> bool:
    """A write that lost a race, or a unique constraint that a concurrent write broke."""
    return is_contention(error) or is_unique_violation(error)


def undo_request() -> None:
    """Nothing of a failed request stays: not its database changes, and not what it put in
    the session cookie (a login, a "saved" message, a cleared form secret)."""
    db.rollback()
    before = g.get("session_before")
    if before is not None:
        session.clear()
        session.update(before)
    else:
        session.pop("_flashes", None)


def conflict_response(error: BaseException) -> Response:
    """The request's writes lost a race: nothing of it is stored. A form post gets the
    conflict page (409) with what the person typed and a button that sends it again; a
    page that only reads gets "busy, try again" (503)."""
    undo_request()
    current_app.logger.info(
        "conflict on %s %s: %s", request.method, request.path, type(error).__name__
    )
    if request.method in READING_METHODS:
        title, text = BUSY_MESSAGE
        response = make_response(render_error(503, title, text))
        response.headers["Retry-After"] = "2"
        return response
    posted = list(request.form.items(multi=True))
    # (name, value, shown as the person's own text?)
    fields = [
        (name, value, name not in _HIDDEN_FIELDS and len(value.strip()) > 1 and not value.isdigit())
        for name, value in posted
        if not any(secret in name.lower() for secret in _SECRET_FIELDS)
    ]
    # without its password the form cannot be sent again as it was
    resend = len(fields) == len(posted)
    title, text = CONFLICT_MESSAGE
    with db.read_only():  # the lock it could not get is not needed to show this page
        page = render_template(
            "core/conflict.html",
            status=409,
            title=title,
            text=text if resend else NO_RESEND_MESSAGE,
            fields=fields,
            resend=resend,
            action=request.full_path if request.query_string else request.path,
            back=request.referrer if _same_site(request.referrer) else request.path,
            request_id=g.get("request_id"),
        )
    return make_response(page, 409)


def _same_site(url: str | None) -> bool:
    return bool(url) and str(url).startswith(request.host_url)


def render_error(
    status: int, title: object | None = None, text: object | None = None
) -> tuple[str, int]:
    default_title, default_text = MESSAGES.get(status, MESSAGES[500])
    with db.read_only():  # the page around the message only reads (who is logged in)
        page = render_template(
            "core/error.html",
            status=status,
            title=title or default_title,
            text=text or default_text,
            request_id=g.get("request_id"),
        )
    return page, status


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def _csrf(error: CSRFError) -> tuple[str, int]:
        current_app.logger.info("CSRF check failed on %s: %s", request.path, error.description)
        return render_error(400, *CSRF_MESSAGE)

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException) -> HTTPException | tuple[str, int]:
        if error.code is None or error.code < 400:
            return error
        if error.code >= 500:
            return _server_error(error)
        db.rollback()  # an aborted request keeps none of its changes
        return render_error(error.code)

    @app.errorhandler(StaleDataError)
    @app.errorhandler(DBAPIError)
    def _database(error: Exception) -> Response | tuple[str, int]:
        if is_conflict(error):
            return conflict_response(error)
        return _server_error(error)

    @app.errorhandler(Exception)
    def _server_error(error: Exception) -> tuple[str, int]:
        original = getattr(error, "original_exception", None) or error
        if not isinstance(original, InternalServerError):
            current_app.logger.exception(
                "unhandled error on %s %s", request.method, request.path, exc_info=original
            )
        undo_request()
        return render_error(500)
