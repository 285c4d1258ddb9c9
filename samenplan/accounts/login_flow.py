"""The login form's decisions: the throttle, the password, the second factor and the step
between them. The view parses the form, calls ``attempt`` and renders what it decided.

The browser holds only a random token for the step between password and second factor;
the step itself (whose password was right, and when) is a record on the server.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from flask import request, session

from samenplan.accounts import queries, services, sessions, throttle, totp
from samenplan.accounts.models import User
from samenplan.core.web import client_ip
from samenplan.extensions import db

PENDING_KEY = "pending_login"
PENDING_SECONDS = 300


@dataclass(frozen=True)
class Outcome:
    """What a login attempt came to. ``user`` is set when it succeeded; otherwise the page
    is shown again, refused by the throttle, with a failure, or asking for the code."""

    user: User | None = None
    devices: list[throttle.Device] = field(default_factory=list)
    refused: throttle.Verdict | None = None
    #: throttle.CREDENTIALS or throttle.OTP when the attempt failed
    failed: str | None = None
    #: whose code step the page shows (None: the plain email and password page)
    pending: User | None = None


def attempt(*, email: str, password: str, otp: str, pending: User | None) -> Outcome:
    """Try to log in with what the form sent; ``pending`` is the user from ``pending_login``."""
    ip = client_ip()
    # A browser that logged in to this account before has a limit of its own (throttle.py).
    devices = throttle.read_device_cookie(request.cookies.get(throttle.device_cookie_name()))
    device = throttle.device_for(devices, queries.user_id_by_email(email))
    verdict = throttle.check(email, ip, device)
    if not verdict.allowed:
        if throttle.note_refused(email, ip, device):
            services.record_login_throttled(email)
        return Outcome(refused=verdict, pending=pending)

    second_step = (
        pending is not None
        and pending.email == email
        and not password
        and totp.totp_required(pending, required_for_staff=False)
    )
    if second_step and pending is not None:
        user = pending  # the password was right a moment ago; now only the code
    else:
        _forget_pending()
        pending = None
        # argon2 takes a while: not while holding SQLite's write lock
        with db.reading():
            checked = services.check_credentials(email, password)
        if checked is None:
            return _fail(email, device, None, throttle.CREDENTIALS)
        services.upgrade_password_hash(checked, password)
        user = checked

    if totp.totp_required(user, required_for_staff=False):
        code = otp.strip()
        if not code and not second_step:
            _remember_pending(user, pending)
            return Outcome(pending=user)
        if not code or not totp.verify_totp(user, code):
            # a code sent empty on the code step counts like a wrong one
            _remember_pending(user, pending)
            return _fail(email, device, user, throttle.OTP)

    _forget_pending()
    return Outcome(user=user, devices=devices)


def _fail(email: str, device: str | None, user: User | None, reason: str) -> Outcome:
    throttle.record_failure(email, client_ip(), device, reason=reason)
    services.record_login_failure(email, user, reason=reason)
    return Outcome(failed=reason, pending=user)


def pending_login() -> User | None:
    """The user whose password was right a moment ago in this browser, from the server's
    record of that step (the cookie only names it)."""
    token = session.get(PENDING_KEY)
    if not isinstance(token, str):
        session.pop(PENDING_KEY, None)
        return None
    return sessions.find_pending_login(token, max_age=dt.timedelta(seconds=PENDING_SECONDS))


def _remember_pending(user: User, pending: User | None) -> None:
    if pending is not None and pending.id == user.id:
        return
    session[PENDING_KEY] = sessions.start_pending_login(
        user, ip=client_ip(), user_agent=request.headers.get("User-Agent")
    )


def _forget_pending() -> None:
    token = session.pop(PENDING_KEY, None)
    if isinstance(token, str):
        sessions.end_pending_login(token)
