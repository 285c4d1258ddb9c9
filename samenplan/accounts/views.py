"""Login, logout and the user's own account pages."""

from __future__ import annotations

import datetime as dt

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user
from werkzeug.wrappers import Response

from samenplan.accounts import login_flow, queries, services, throttle, totp
from samenplan.accounts import sessions as account_sessions
from samenplan.accounts.auth import current_session, log_in, log_out
from samenplan.accounts.devices import device_label
from samenplan.accounts.forms import (
    LoginForm,
    PasswordChangeForm,
    ProfileForm,
    TotpDisableForm,
    TotpEnableForm,
)
from samenplan.accounts.models import STAFF_ROLES, User
from samenplan.accounts.qr import qr_svg
from samenplan.core.forms import ConfirmForm
from samenplan.core.i18n import lazy_gettext as _l
from samenplan.core.i18n import ngettext
from samenplan.core.views import landing_url
from samenplan.core.web import safe_next, saving
from samenplan.guard import public, require
from samenplan.policy import Permission

bp = Blueprint("accounts", __name__)

TOTP_SETUP_KEY = "totp_setup_secret"

LOGIN_FAILED = _l("The email address or password is not right. Check them and try again.")
OTP_FAILED = _l("This code is not right. Use the newest code from your app.")
OTP_MISSING = _l("Type the code from your app.")

#: the login page as a view returns it: body, status and headers
LoginPage = tuple[str, int, dict[str, str]]


# --- login and logout -------------------------------------------------------------------


@bp.route("/login", methods=["GET", "POST"])
@public
def login() -> Response | LoginPage:
    next_url = safe_next(request.values.get("next"))
    if current_user.is_authenticated:
        return redirect(next_url or landing_url())
    form = LoginForm()
    pending = login_flow.pending_login()
    if request.method == "GET" or not form.validate_on_submit():
        return _render_login(form, pending, next_url)
    outcome = login_flow.attempt(
        email=(form.email.data or "").strip().lower(),
        password=form.password.data or "",
        otp=form.otp.data or "",
        pending=pending,
    )
    if outcome.user is None:
        return _login_refused(form, outcome, next_url)
    log_in(outcome.user)
    response = redirect(next_url or landing_url(outcome.user))
    _remember_device(response, outcome.devices, outcome.user)
    return response


def _login_refused(form: LoginForm, outcome: login_flow.Outcome, next_url: str | None) -> LoginPage:
    """The login page again, with what kept the attempt from succeeding."""
    if outcome.refused is not None:
        form.form_errors.append(
            ngettext(
                "Too many tries. Wait %(num)d minute and try again.",
                "Too many tries. Wait %(num)d minutes and try again.",
                outcome.refused.minutes,
            )
        )
        headers = {"Retry-After": str(outcome.refused.retry_after)}
        return _render_login(form, outcome.pending, next_url, status=429, headers=headers)
    if outcome.failed == throttle.OTP:
        form.otp.errors = [str(OTP_FAILED if form.otp.data else OTP_MISSING)]
    elif outcome.failed is not None:
        form.form_errors.append(str(LOGIN_FAILED))
    return _render_login(form, outcome.pending, next_url)


def _remember_device(response: Response, devices: list[throttle.Device], user: User) -> None:
    """After a successful login: this browser becomes a known device for the account."""
    response.set_cookie(
        throttle.device_cookie_name(),
        throttle.device_cookie_value(devices, user.id),
        max_age=dt.timedelta(days=throttle.DEVICE_COOKIE_DAYS),
        path="/",
        secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")),
        httponly=True,
        samesite="Lax",
    )


def _render_login(
    form: LoginForm,
    pending: User | None,
    next_url: str | None,
    status: int = 200,
    headers: dict[str, str] | None = None,
) -> LoginPage:
    if pending is not None and not form.email.data:
        form.email.data = pending.email
    page = render_template(
        "accounts/login.html", form=form, ask_otp=pending is not None, next_url=next_url
    )
    return page, status, headers or {}


@bp.post("/logout")
@require(Permission.USE_OWN_ACCOUNT)
def logout() -> Response:
    form = ConfirmForm()
    if form.validate_on_submit():
        user_session = current_session()
        if user_session is not None:
            account_sessions.logout(user_session)
        log_out()
        flash(_l("You are logged out."), "success")
    return redirect(url_for("accounts.login"), code=303)


# --- own account ------------------------------------------------------------------------


@bp.route("/account/", methods=["GET", "POST"])
@require(Permission.USE_OWN_ACCOUNT)
def profile() -> Response | str:
    form = ProfileForm(obj=current_user if request.method == "GET" else None)
    if request.method == "GET":
        form.locale.data = current_user.locale or session.get("locale") or "nl"
    if form.validate_on_submit():
        current_user.name = (form.name.data or "").strip()
        services.set_locale(current_user, form.locale.data)
        session["locale"] = form.locale.data
        flash(_l("Your details are saved."), "success")
        return redirect(url_for("accounts.profile"), code=303)
    return render_template("accounts/profile.html", form=form)


@bp.route("/account/password", methods=["GET", "POST"])
@require(Permission.USE_OWN_ACCOUNT)
def password_change() -> Response | str:
    form = PasswordChangeForm()
    if form.validate_on_submit():
        with saving(form) as saved:
            services.change_password(
                current_user,
                current_password=form.current_password.data or "",
                new_password=form.password.data or "",
                keep_session=current_session(),
            )
        if saved:
            flash(_l("Your password is changed. You are logged out everywhere else."), "success")
            return redirect(landing_url(), code=303)
    return render_template("accounts/password.html", form=form)


@bp.get("/account/sessions")
@require(Permission.USE_OWN_ACCOUNT)
def sessions() -> str:
    this = current_session()
    sessions = queries.active_sessions(current_user)
    return render_template(
        "accounts/sessions.html",
        sessions=sessions,
        devices={s.id: device_label(s.user_agent) for s in sessions},
        current_id=this.id if this else None,
        failed_logins=queries.failed_logins(current_user),
        form=ConfirmForm(),
    )


@bp.post("/account/sessions/<int:session_id>/end")
@require(Permission.USE_OWN_ACCOUNT)
def session_end(session_id: int) -> Response:
    form = ConfirmForm()
    this = current_session()
    if form.validate_on_submit():
        if this is not None and this.id == session_id:
            return logout()
        if account_sessions.end_own_session(current_user, session_id):
            flash(_l("That session is ended."), "success")
    return redirect(url_for("accounts.sessions"), code=303)


@bp.post("/account/sessions/end-others")
@require(Permission.USE_OWN_ACCOUNT)
def sessions_end_others() -> Response:
    form = ConfirmForm()
    this = current_session()
    if form.validate_on_submit():
        account_sessions.end_all_sessions(
            current_user, reason="ended_by_user", except_id=this.id if this else None
        )
        flash(_l("You are logged out everywhere else."), "success")
    return redirect(url_for("accounts.sessions"), code=303)


# --- second factor ----------------------------------------------------------------------


@bp.route("/account/two-factor", methods=["GET", "POST"])
@require(Permission.USE_OWN_ACCOUNT)
def totp_setup() -> Response | str:
    user: User = current_user
    required = current_app.config["TOTP_REQUIRED"] and user.role in STAFF_ROLES
    if user.totp_enabled:
        return render_template(
            "accounts/totp_status.html", form=TotpDisableForm(), can_disable=not required
        )
    secret = _setup_secret()
    form = TotpEnableForm()
    if form.validate_on_submit():
        with saving(form) as saved:
            totp.enable_totp(user, secret=secret, code=form.code.data or "")
        if saved:
            session.pop(TOTP_SETUP_KEY, None)
            flash(
                _l("The second step is on. From now on you also enter a code at login."), "success"
            )
            return redirect(landing_url(), code=303)
    uri = totp.totp_uri(user, secret, current_app.config["TOTP_ISSUER"])
    return render_template(
        "accounts/totp_setup.html", form=form, qr=qr_svg(uri), secret=secret, required=required
    )


def _setup_secret() -> str:
    """The secret being enrolled, kept in the browser session until the first code is right."""
    secret = session.get(TOTP_SETUP_KEY)
    if not isinstance(secret, str) or len(secret) != 32:
        secret = totp.new_totp_secret()
        session[TOTP_SETUP_KEY] = secret
    return secret


@bp.post("/account/two-factor/disable")
@require(Permission.USE_OWN_ACCOUNT)
def totp_disable() -> Response | str:
    form = TotpDisableForm()
    required = current_app.config["TOTP_REQUIRED"] and current_user.role in STAFF_ROLES
    if form.validate_on_submit():
        with saving(form) as saved:
            totp.disable_totp(
                current_user,
                password=form.password.data or "",
                required_for_staff=current_app.config["TOTP_REQUIRED"],
            )
        if saved:
            flash(_l("The second step is off."), "success")
            return redirect(url_for("accounts.profile"), code=303)
    return render_template("accounts/totp_status.html", form=form, can_disable=not required)
