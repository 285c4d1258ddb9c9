"""Wiring of login sessions into Flask-Login, and the forced steps after login.

The browser's signed cookie holds only a random token (``sid``); the session itself lives in
the ``user_sessions`` table, so logout, deactivation and a password change end it at once.
"""

from __future__ import annotations

import datetime as dt

from flask import Flask, current_app, flash, g, redirect, request, session, url_for
from flask_login import current_user
from sqlalchemy.exc import DBAPIError
from werkzeug.wrappers import Response

from samenplan.accounts.models import STAFF_ROLES, User, UserSession
from samenplan.accounts.sessions import (
    TOUCH,
    SessionLimits,
    apply_session_check,
    check_session,
    start_session,
)
from samenplan.core.i18n import lazy_gettext as _l
from samenplan.db import is_contention
from samenplan.extensions import db, login_manager

SESSION_KEY = "sid"

#: Endpoints a user may reach while a forced step (new password, second factor) is open.
FORCED_STEP_ALLOWED = frozenset(
    {
        "accounts.logout",
        "accounts.password_change",
        "accounts.totp_setup",
        "core.language_set",
        "core.health",
        "static",
    }
)


def session_limits() -> SessionLimits:
    cfg = current_app.config
    return SessionLimits(
        idle=dt.timedelta(minutes=cfg["SESSION_IDLE_MINUTES"]),
        absolute=dt.timedelta(hours=cfg["SESSION_ABSOLUTE_HOURS"]),
    )


def current_session() -> UserSession | None:
    user_session = g.get("user_session")
    return user_session if isinstance(user_session, UserSession) else None


def log_in(user: User) -> None:
    """Start a fresh server-side session; nothing from before login is carried over."""
    locale = session.get("locale")
    session.clear()
    user_session, token = start_session(
        user, ip=request.remote_addr, user_agent=request.headers.get("User-Agent")
    )
    session[SESSION_KEY] = token
    if user.locale or locale:
        session["locale"] = user.locale or locale
    g.user_session = user_session


def log_out() -> None:
    locale = session.get("locale")
    session.clear()
    if locale:
        session["locale"] = locale
    g.pop("user_session", None)


def _load_user_from_session(_request: object) -> User | None:
    token = session.get(SESSION_KEY)
    if not token or not isinstance(token, str):
        return None
    user_session, verdict = check_session(token, session_limits())
    if user_session is not None and verdict is not None:
        # Ending a timed-out session or noting activity (at most once a minute) is a short
        # write of its own, so that a page that only reads stays read-only.
        try:
            with db.writing():
                user_session = apply_session_check(user_session, verdict)
        except DBAPIError as error:
            if not is_contention(error):
                raise
            # Very busy: the activity is noted on a next request; an ending session ends now
            # for this request and is written down next time.
            user_session = user_session if verdict == TOUCH else None
    if user_session is None:
        session.pop(SESSION_KEY, None)
        g.session_expired = True
        return None
    g.user_session = user_session
    return user_session.user


def _unauthorized() -> Response:
    if g.get("session_expired"):
        flash(_l("You were logged out because you were away for a while. Log in again."), "info")
    else:
        flash(_l("Log in to open this page."), "info")
    target = request.full_path if request.query_string else request.path
    return redirect(url_for("accounts.login", next=target if request.method == "GET" else None))


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.request_loader(_load_user_from_session)
    login_manager.unauthorized_handler(_unauthorized)
    # We never store _user_id in the cookie; the request loader is the only way in.
    login_manager.session_protection = None

    @app.before_request
    def _forced_steps() -> Response | None:
        if not current_user.is_authenticated or request.endpoint in FORCED_STEP_ALLOWED:
            return None
        if current_user.must_change_password:
            return redirect(url_for("accounts.password_change"))
        if (
            app.config["TOTP_REQUIRED"]
            and current_user.role in STAFF_ROLES
            and not current_user.totp_enabled
        ):
            return redirect(url_for("accounts.totp_setup"))
        return None
