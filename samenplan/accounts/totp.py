"""The second login factor (TOTP): whether it is required, enrolment and code checks.

Plain functions; they flush and record audit events, and never commit.
"""

from __future__ import annotations

import datetime as dt
import secrets

import pyotp

from samenplan.accounts.models import STAFF_ROLES, User
from samenplan.accounts.passwords import verify_password
from samenplan.audit.services import AuditAction, record
from samenplan.clock import utcnow
from samenplan.core.i18n import lazy_gettext as _l
from samenplan.errors import NotAllowed, ValidationFailed
from samenplan.extensions import db


def totp_required(user: User, *, required_for_staff: bool) -> bool:
    """Must this user use a second factor? Always once enabled; staff when configured."""
    return user.totp_enabled or (required_for_staff and user.role in STAFF_ROLES)


def verify_totp(user: User, code: str, *, now: dt.datetime | None = None) -> bool:
    """Check a 6-digit code against the user's secret; each time step is accepted once."""
    if not user.totp_secret:
        return False
    code = "".join(code.split())
    if not (len(code) == 6 and code.isdigit()):
        return False
    now = now or utcnow()
    totp = pyotp.TOTP(user.totp_secret)
    current_step = totp.timecode(now)
    for step in (current_step - 1, current_step, current_step + 1):  # allow 30 s clock drift
        if user.totp_last_step is not None and step <= user.totp_last_step:
            continue
        if secrets.compare_digest(totp.generate_otp(step), code):
            user.totp_last_step = step
            return True
    return False


def new_totp_secret() -> str:
    return pyotp.random_base32()


def totp_uri(user: User, secret: str, issuer: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=issuer)


def enable_totp(user: User, *, secret: str, code: str) -> None:
    """Switch on the second factor once the user proves their app shows the right code."""
    user.totp_secret = secret
    user.totp_last_step = None
    if not verify_totp(user, code):
        user.totp_secret = None
        raise ValidationFailed(
            str(_l("This code is not right. Check the time on your phone and try the new code.")),
            field="code",
        )
    user.totp_enabled_at = utcnow()
    db.session.flush()
    record(AuditAction.TOTP_ENABLED, actor=user, obj=user)


def disable_totp(user: User, *, password: str, required_for_staff: bool) -> None:
    if required_for_staff and user.role in STAFF_ROLES:
        raise NotAllowed(
            str(_l("Your role needs a second step at login; you cannot switch it off."))
        )
    if not verify_password(user.password_hash, password):
        raise ValidationFailed(str(_l("This is not your current password.")), field="password")
    user.totp_secret = None
    user.totp_enabled_at = None
    user.totp_last_step = None
    db.session.flush()
    record(AuditAction.TOTP_DISABLED, actor=user, obj=user)
