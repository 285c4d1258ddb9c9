"""Friendly error pages in the user's language, with the request id; never a stack trace."""

from __future__ import annotations

from flask import Flask, current_app, g, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

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


def render_error(
    status: int, title: object | None = None, text: object | None = None
) -> tuple[str, int]:
    default_title, default_text = MESSAGES.get(status, MESSAGES[500])
    return (
        render_template(
            "core/error.html",
            status=status,
            title=title or default_title,
            text=text or default_text,
            request_id=g.get("request_id"),
        ),
        status,
    )


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
        return render_error(error.code)

    @app.errorhandler(Exception)
    def _server_error(error: Exception) -> tuple[str, int]:
        original = getattr(error, "original_exception", None) or error
        if not isinstance(original, InternalServerError):
            current_app.logger.exception(
                "unhandled error on %s %s", request.method, request.path, exc_info=original
            )
        db.session.rollback()
        return render_error(500)
