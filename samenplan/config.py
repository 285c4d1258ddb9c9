"""Configuration from the environment, with safe defaults for development."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import secrets
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any, NamedTuple

INSTANCE_DIR = Path(__file__).resolve().parent.parent / "instance"
ENVIRONMENTS = ("development", "production")
#: where an installation without SECRET_KEY keeps the random key it made on first start
SECRET_KEY_FILE = "secret_key"  # noqa: S105  # nosec B105  # a file name, not a key


class ConfigError(RuntimeError):
    """The configuration cannot be used; the message says what to change."""


def _bool(value: str | None, default: bool) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name)
    if raw in (None, ""):
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ConfigError(f"{name} must be a whole number, got {raw!r}") from exc


#: units of a rate such as "10 per 15 minutes", in seconds
_RATE_UNITS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}
_RATE = re.compile(r"^\s*(\d+)\s*(?:per|/)\s*(\d+)?\s*(second|minute|hour|day)s?\s*$")


class Rate(NamedTuple):
    """At most ``limit`` events in any ``window`` (a moving window)."""

    limit: int
    window: dt.timedelta


def parse_rate(text: str) -> Rate:
    """``"10 per 15 minutes"``, ``"20 per hour"``, ``"100/hour"`` as a Rate."""
    match = _RATE.match(text.lower())
    if match is None or int(match[1]) < 1 or match[2] == "0":
        raise ValueError(f"not a rate like '10 per 15 minutes': {text!r}")
    seconds = int(match[2] or 1) * _RATE_UNITS[match[3]]
    return Rate(int(match[1]), dt.timedelta(seconds=seconds))


def _rate(env: Mapping[str, str], name: str, default: str) -> str:
    raw = env.get(name) or default
    try:
        parse_rate(raw)
    except ValueError as exc:
        raise ConfigError(f"{name} must be a rate like '10 per 15 minutes', got {raw!r}") from exc
    return raw.strip()


def load_config(env: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Read the settings of DESIGN.md §8 from the environment."""
    env = os.environ if env is None else env
    environment = env.get("SAMENPLAN_ENV", "development").strip().lower()
    if environment not in ENVIRONMENTS:
        raise ConfigError(
            f"SAMENPLAN_ENV must be one of {', '.join(ENVIRONMENTS)}, got {environment!r}"
        )
    production = environment == "production"
    database_url = env.get("DATABASE_URL") or f"sqlite:///{INSTANCE_DIR / 'samenplan.db'}"
    if database_url.startswith("postgresql://") or database_url.startswith("postgres://"):
        # SQLAlchemy 2.0 and 2.1 read a bare postgresql:// differently; be explicit.
        database_url = "postgresql+psycopg://" + database_url.split("://", 1)[1]
    return {
        "SAMENPLAN_ENV": environment,
        # No default: without SECRET_KEY the app makes a random key of its own on first start
        # (instance_secret_key); production requires one from the environment.
        "SECRET_KEY": env.get("SECRET_KEY") or None,
        # Older keys that still open sessions signed before a key change (comma-separated)
        "SECRET_KEY_FALLBACKS": [k for k in env.get("SECRET_KEY_FALLBACKS", "").split(",") if k],
        "INSTANCE_DIR": env.get("INSTANCE_DIR", str(INSTANCE_DIR)),
        "DATABASE_URL": database_url,
        "SQL_ECHO": _bool(env.get("SQL_ECHO"), False),
        # How long a write waits for a lock before the person gets the conflict page
        "DATABASE_LOCK_TIMEOUT_MS": _int(env, "DATABASE_LOCK_TIMEOUT_MS", 5000),
        # Sessions
        "SESSION_IDLE_MINUTES": _int(env, "SESSION_IDLE_MINUTES", 30),
        "SESSION_ABSOLUTE_HOURS": _int(env, "SESSION_ABSOLUTE_HOURS", 12),
        "SESSION_COOKIE_NAME": "__Host-samenplan" if production else "samenplan",
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": production,
        "PREFERRED_URL_SCHEME": "https" if production else "http",
        # Second factor: required for staff roles; only development may switch it off.
        "TOTP_REQUIRED": True if production else _bool(env.get("TOTP_REQUIRED"), False),
        "TOTP_ISSUER": env.get("TOTP_ISSUER", "Samenplan"),
        # Login throttling (accounts/throttle.py): failed logins only, counted in the database.
        # A browser that logged in to the account before (device cookie) has its own limit;
        # unknown clients are limited per address and account, per account, and per address.
        "LOGIN_LIMIT_KNOWN_DEVICE": _rate(env, "LOGIN_LIMIT_KNOWN_DEVICE", "10 per 15 minutes"),
        "LOGIN_LIMIT_ADDRESS_ACCOUNT": _rate(
            env, "LOGIN_LIMIT_ADDRESS_ACCOUNT", "5 per 15 minutes"
        ),
        "LOGIN_LIMIT_ACCOUNT": _rate(env, "LOGIN_LIMIT_ACCOUNT", "20 per hour"),
        "LOGIN_LIMIT_ADDRESS": _rate(env, "LOGIN_LIMIT_ADDRESS", "100 per hour"),
        # Password hashing (argon2id); tests lower the cost
        "ARGON2_TIME_COST": _int(env, "ARGON2_TIME_COST", 3),
        "ARGON2_MEMORY_COST": _int(env, "ARGON2_MEMORY_COST", 65536),
        "ARGON2_PARALLELISM": _int(env, "ARGON2_PARALLELISM", 4),
        "PASSWORD_MIN_LENGTH": 10,  # nosec B105  # a length
        "PASSWORD_MAX_LENGTH": 128,  # nosec B105  # a length
        # Requests and forms
        "MAX_CONTENT_LENGTH": _int(env, "MAX_CONTENT_LENGTH", 1024 * 1024),
        "MAX_FORM_MEMORY_SIZE": _int(env, "MAX_FORM_MEMORY_SIZE", 512 * 1024),
        "WTF_CSRF_TIME_LIMIT": None,  # the token lives as long as the session
        "WTF_CSRF_ENABLED": True,
        # Language
        "LANGUAGES": ("nl", "en"),
        "BABEL_DEFAULT_LOCALE": "nl",
        "BABEL_DEFAULT_TIMEZONE": "Europe/Amsterdam",
        "HSTS": production,
        # Mail: SMTP when MAIL_SERVER is set, otherwise files in instance/outbox/
        "MAIL_SERVER": env.get("MAIL_SERVER", ""),
        "MAIL_PORT": _int(env, "MAIL_PORT", 587),
        "MAIL_USE_TLS": _bool(env.get("MAIL_USE_TLS"), True),
        "MAIL_USERNAME": env.get("MAIL_USERNAME", ""),
        "MAIL_PASSWORD": env.get("MAIL_PASSWORD", ""),
        "MAIL_FROM": env.get("MAIL_FROM", "Samenplan <noreply@samenplan.invalid>"),
        "MAIL_OUTBOX": env.get("MAIL_OUTBOX", str(INSTANCE_DIR / "outbox")),
        # The address people open Samenplan at, for links in mail sent from the shell
        "PUBLIC_URL": env.get("PUBLIC_URL", "" if production else "http://127.0.0.1:5000"),
        # Plans
        "INVITATION_DAYS": _int(env, "INVITATION_DAYS", 14),
        # Screening: extra instrument folders (os.pathsep-separated), and signal thresholds
        "SCREENING_INSTRUMENTS_DIRS": [
            p for p in env.get("SCREENING_INSTRUMENTS_DIR", "").split(os.pathsep) if p
        ],
        "SIGNAL_HIDDEN_DEPENDENCY_MIN_SCORE": _int(env, "SIGNAL_HIDDEN_DEPENDENCY_MIN_SCORE", 4),
        "SIGNAL_HIDDEN_DEPENDENCY_MAX_OWN": _int(env, "SIGNAL_HIDDEN_DEPENDENCY_MAX_OWN", 50),
        "SIGNAL_SCALE_DOWN_MIN_PROFESSIONAL": _int(env, "SIGNAL_SCALE_DOWN_MIN_PROFESSIONAL", 50),
        "SIGNAL_SCALE_DOWN_MIN_SCORE": _int(env, "SIGNAL_SCALE_DOWN_MIN_SCORE", 4),
        "SIGNAL_SCALE_UP_DROP": _int(env, "SIGNAL_SCALE_UP_DROP", 1),
        "SIGNAL_ACUTE_SCORE": _int(env, "SIGNAL_ACUTE_SCORE", 1),
        "VIEW_DIFFERENCE": _int(env, "VIEW_DIFFERENCE", 2),
        # Monitoring: a figure built on fewer households than this is not shown
        "MONITOR_MIN_HOUSEHOLDS": _int(env, "MONITOR_MIN_HOUSEHOLDS", 10),
        # ... and keeps counted figures this many seconds (0: count on every view)
        "MONITOR_CACHE_SECONDS": _int(env, "MONITOR_CACHE_SECONDS", 600),
        # Reports: where print runs are kept
        "PRINT_JOBS_DIR": env.get("PRINT_JOBS_DIR", str(INSTANCE_DIR / "print-jobs")),
        # A print run whose row has not moved for this long lost its worker and is queued again,
        # at most PRINT_JOBS_ATTEMPTS times in all
        "PRINT_JOBS_STALE_SECONDS": _int(env, "PRINT_JOBS_STALE_SECONDS", 15 * 60),
        "PRINT_JOBS_ATTEMPTS": _int(env, "PRINT_JOBS_ATTEMPTS", 3),
        # Tests only: a run waits after its first plan until this file exists
        "PRINT_JOBS_TEST_GATE": env.get("PRINT_JOBS_TEST_GATE", ""),
        # Background work (samenplan/tasks.py): redis://… in production, a SQLite file of its
        # own otherwise; QUEUE_IMMEDIATE runs tasks inside the request (tests, make dev)
        "QUEUE_URL": env.get("QUEUE_URL")
        or ("redis://127.0.0.1:6379/0" if production else f"sqlite:///{INSTANCE_DIR / 'queue.db'}"),
        "QUEUE_IMMEDIATE": _bool(env.get("QUEUE_IMMEDIATE"), False),
        "QUEUE_WORKERS": _int(env, "QUEUE_WORKERS", 2),
        # Number of reverse proxies in front of the app whose X-Forwarded-* headers we trust
        "TRUSTED_PROXIES": _int(env, "TRUSTED_PROXIES", 0),
    }


def instance_secret_key(instance_dir: str | Path) -> str:
    """This installation's own random key, made on first start and kept in ``instance/``
    (readable by its owner only). Several processes may start at once: the first to create
    the file wins, the others read it."""
    folder = Path(instance_dir)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / SECRET_KEY_FILE
    if not path.exists():
        draft = folder / f".{SECRET_KEY_FILE}.{os.getpid()}.{secrets.token_hex(4)}"
        fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as out:
            out.write(secrets.token_urlsafe(48))
        try:
            os.link(draft, path)  # atomic: fails when another process was first
        except FileExistsError:
            pass
        finally:
            with contextlib.suppress(FileNotFoundError):
                draft.unlink()
    for _ in range(50):
        key = path.read_text().strip()
        if len(key) >= 32:
            return key
        time.sleep(0.02)
    raise ConfigError(f"{path} does not hold a usable key; remove it to have a new one made")


def validate_config(config: Mapping[str, Any]) -> None:
    """Refuse to run production on development defaults."""
    if config["SAMENPLAN_ENV"] != "production":
        return
    key = config.get("SECRET_KEY")
    if not key or len(str(key)) < 32:
        raise ConfigError(
            "SAMENPLAN_ENV=production needs a SECRET_KEY of at least 32 random characters, "
            "for example from: python -c 'import secrets; print(secrets.token_urlsafe(48))'"
        )
    if not config.get("TOTP_REQUIRED"):
        raise ConfigError("TOTP_REQUIRED cannot be switched off in production")
    if not config.get("MAIL_SERVER"):
        raise ConfigError("production needs MAIL_SERVER (invitations are sent by mail)")
