"""Slowing down password guessing without letting strangers lock the owner out.

The OWASP "device cookies" pattern. After a successful login the browser gets a signed
cookie naming the account and a random nonce. A login attempt for an account whose device
cookie this browser holds (a *known device*) only counts against that cookie's own limit,
so failures elsewhere never block the owner's own browser. Every other attempt (an *unknown
client*) is limited per address and account, per account over all addresses, and per address
over all accounts, at volumes no family or office behind one address reaches.

Only failures count, and an email address without an account counts exactly like one with
an account, so the limits tell nobody which accounts exist. Failures are rows in the
database (``login_failures``), so every process and web server sees the same counts; rows
older than the longest window are purged as new ones arrive.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import math
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import ColumnElement, and_, delete, func, select

from samenplan.accounts.models import LoginFailure
from samenplan.clock import utcnow
from samenplan.config import Rate, parse_rate
from samenplan.extensions import db

#: the failure reasons: a wrong password (or an unknown email), a wrong or missing code
CREDENTIALS = "credentials"
OTP = "otp"
#: a refused attempt; kept only to write the audit event once a minute, never counted
THROTTLED = "throttled"
#: one login.throttled audit event per (email, address) in this time, not one per request
THROTTLED_NOTE_INTERVAL = dt.timedelta(minutes=1)

#: where the limits live in the configuration
KNOWN_DEVICE = "LOGIN_LIMIT_KNOWN_DEVICE"
ADDRESS_ACCOUNT = "LOGIN_LIMIT_ADDRESS_ACCOUNT"
ACCOUNT = "LOGIN_LIMIT_ACCOUNT"
ADDRESS = "LOGIN_LIMIT_ADDRESS"
LIMITS = (KNOWN_DEVICE, ADDRESS_ACCOUNT, ACCOUNT, ADDRESS)

DEVICE_COOKIE_SALT = "samenplan.device-cookie"
DEVICE_COOKIE_DAYS = 180
#: accounts one browser remembers (a family computer), newest first
DEVICE_COOKIE_ACCOUNTS = 5
#: old rows purged per recorded failure: enough to keep up, small enough to stay cheap
PURGE_BATCH = 500

_NONCE = re.compile(r"^[0-9a-f]{32}$")


# --- the device cookie --------------------------------------------------------------------


@dataclass(frozen=True)
class Device:
    """One account this browser logged in to: its user id, a random nonce, and when."""

    user_id: int
    nonce: str
    issued: int  # seconds since the epoch


def device_cookie_name() -> str:
    # The __Host- prefix needs Secure; it follows the session cookie's setting.
    secure = current_app.config.get("SESSION_COOKIE_SECURE")
    return "__Host-samenplan-device" if secure else "samenplan-device"


def _serializer() -> URLSafeSerializer:
    # The current key signs; SECRET_KEY_FALLBACKS still verify (as for the session cookie).
    keys: list[str | bytes] = [*(current_app.config.get("SECRET_KEY_FALLBACKS") or [])]
    keys.append(current_app.secret_key)  # type: ignore[arg-type]
    return URLSafeSerializer(keys, salt=DEVICE_COOKIE_SALT)  # type: ignore[arg-type]


def read_device_cookie(value: str | None, *, now: dt.datetime | None = None) -> list[Device]:
    """The accounts a validly signed cookie names and that are not older than 180 days;
    nothing for a missing, forged, tampered or malformed cookie."""
    if not value:
        return []
    try:
        payload: Any = _serializer().loads(value)
    except BadSignature:
        return []
    if not isinstance(payload, list):
        return []
    oldest = (now or utcnow()).timestamp() - DEVICE_COOKIE_DAYS * 86400
    devices = []
    for entry in payload[:DEVICE_COOKIE_ACCOUNTS]:
        if not (isinstance(entry, list) and len(entry) == 3):
            continue
        user_id, nonce, issued = entry
        if (
            isinstance(user_id, int)
            and isinstance(nonce, str)
            and _NONCE.match(nonce)
            and isinstance(issued, int)
            and issued > oldest
        ):
            devices.append(Device(user_id, nonce, issued))
    return devices


def device_for(devices: Sequence[Device], user_id: int | None) -> str | None:
    """The nonce when this browser is a known device for the account, else None."""
    if user_id is None:
        return None
    return next((d.nonce for d in devices if d.user_id == user_id), None)


def device_cookie_value(
    devices: Sequence[Device], user_id: int, *, now: dt.datetime | None = None
) -> str:
    """The cookie after a successful login: a fresh nonce for this account in front, the
    other accounts this browser knows behind it, at most DEVICE_COOKIE_ACCOUNTS."""
    issued = int((now or utcnow()).timestamp())
    entries = [[user_id, secrets.token_hex(16), issued]]
    entries += [[d.user_id, d.nonce, d.issued] for d in devices if d.user_id != user_id]
    return str(_serializer().dumps(entries[:DEVICE_COOKIE_ACCOUNTS]))


# --- counting failures --------------------------------------------------------------------


@dataclass(frozen=True)
class Verdict:
    """May this attempt go ahead, and if not, how long until it may."""

    allowed: bool
    retry_after: int = 0  # seconds

    @property
    def minutes(self) -> int:
        return max(1, math.ceil(self.retry_after / 60))


def address_key(ip: str) -> str:
    """The address that limits count per: an IPv6 address as its /64 network (one
    connection usually has a whole /64), an IPv4-mapped address as plain IPv4."""
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return ip[:45]
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network(f"{address}/64", strict=False))
    return str(address)


def _rate(name: str) -> Rate:
    return parse_rate(str(current_app.config[name]))


def _limits(email: str, ip: str, device: str | None) -> list[tuple[Rate, ColumnElement[bool]]]:
    counted = LoginFailure.reason != THROTTLED
    if device is not None:
        return [(_rate(KNOWN_DEVICE), and_(LoginFailure.device == device, counted))]
    unknown = and_(LoginFailure.device.is_(None), counted)
    return [
        (_rate(ADDRESS_ACCOUNT), and_(LoginFailure.email == email, LoginFailure.ip == ip, unknown)),
        (_rate(ACCOUNT), and_(LoginFailure.email == email, unknown)),
        (_rate(ADDRESS), and_(LoginFailure.ip == ip, unknown)),
    ]


def _normalised(email: str, ip: str) -> tuple[str, str]:
    return email.strip().lower()[:254], address_key(ip)


def check(email: str, ip: str, device: str | None, *, now: dt.datetime | None = None) -> Verdict:
    """Is a login attempt for ``email`` from ``ip`` allowed? ``device`` is the nonce when
    the browser is a known device for this account (``device_for``), else None."""
    now = now or utcnow()
    email, ip = _normalised(email, ip)
    wait = 0.0
    for rate, condition in _limits(email, ip, device):
        in_window = and_(condition, LoginFailure.at > now - rate.window)
        count = db.session.scalar(select(func.count()).select_from(LoginFailure).where(in_window))
        if (count or 0) < rate.limit:
            continue
        # Allowed again once only limit - 1 remain: when the limit-th newest one leaves.
        leaving = db.session.scalar(
            select(LoginFailure.at)
            .where(in_window)
            .order_by(LoginFailure.at.desc())
            .offset(rate.limit - 1)
            .limit(1)
        )
        if leaving is not None:
            wait = max(wait, (leaving + rate.window - now).total_seconds())
    if wait <= 0:
        return Verdict(allowed=True)
    return Verdict(allowed=False, retry_after=max(1, math.ceil(wait)))


def record_failure(
    email: str, ip: str, device: str | None, *, reason: str, now: dt.datetime | None = None
) -> None:
    """Count one failed attempt (and purge what no window looks at any more)."""
    _insert(email, ip, device, reason=reason, now=now or utcnow())


def note_refused(
    email: str, ip: str, device: str | None, *, now: dt.datetime | None = None
) -> bool:
    """Note a refused attempt; True when it is the first for (email, address) in
    THROTTLED_NOTE_INTERVAL, so that a flood of refused requests writes one audit event a
    minute rather than one per request. Refused attempts are not counted as failures:
    the owner who tries again too early does not make the wait longer."""
    now = now or utcnow()
    key_email, key_ip = _normalised(email, ip)
    noted = db.session.scalar(
        select(LoginFailure.id)
        .where(
            LoginFailure.email == key_email,
            LoginFailure.ip == key_ip,
            LoginFailure.reason == THROTTLED,
            LoginFailure.at > now - THROTTLED_NOTE_INTERVAL,
        )
        .limit(1)
    )
    if noted is not None:
        return False
    _insert(email, ip, device, reason=THROTTLED, now=now)
    return True


def _insert(email: str, ip: str, device: str | None, *, reason: str, now: dt.datetime) -> None:
    email, ip = _normalised(email, ip)
    db.session.add(LoginFailure(at=now, email=email, ip=ip, device=device, reason=reason))
    longest = max([_rate(name).window for name in LIMITS] + [THROTTLED_NOTE_INTERVAL])
    # Indexed on ``at``; SKIP LOCKED (PostgreSQL) so that two purges never wait for each
    # other or deadlock. SQLite has one writer at a time and ignores the clause.
    old = (
        select(LoginFailure.id)
        .where(LoginFailure.at <= now - longest)
        .limit(PURGE_BATCH)
        .with_for_update(skip_locked=True)
    )
    db.session.execute(
        delete(LoginFailure)
        .where(LoginFailure.id.in_(old.scalar_subquery()))
        .execution_options(synchronize_session=False)
    )
    db.session.flush()
