"""Counting failed logins per account and per IP, in the rate limiter's storage.

Only failures count, so a user who logs in and out all day is never locked out, while a
guesser gets at most N tries per window on one account and from one address.
"""

from __future__ import annotations

from flask import current_app
from limits import RateLimitItem, parse

from samenplan.extensions import limiter

NAMESPACE = "login-failures"


def _items() -> tuple[RateLimitItem, RateLimitItem]:
    cfg = current_app.config
    return parse(cfg["LOGIN_FAILURES_PER_ACCOUNT"]), parse(cfg["LOGIN_FAILURES_PER_IP"])


def login_allowed(email: str, ip: str) -> bool:
    """False once either the account or the address has used up its failures."""
    per_account, per_ip = _items()
    strategy = limiter.limiter
    return bool(
        strategy.test(per_account, NAMESPACE, "account", email.lower())
        and strategy.test(per_ip, NAMESPACE, "ip", ip)
    )


def record_failure(email: str, ip: str) -> None:
    per_account, per_ip = _items()
    strategy = limiter.limiter
    strategy.hit(per_account, NAMESPACE, "account", email.lower())
    strategy.hit(per_ip, NAMESPACE, "ip", ip)


def retry_after_minutes(email: str, ip: str) -> int:
    """Whole minutes until the next attempt is allowed (at least 1)."""
    import time

    per_account, per_ip = _items()
    strategy = limiter.limiter
    reset = max(
        strategy.get_window_stats(per_account, NAMESPACE, "account", email.lower()).reset_time,
        strategy.get_window_stats(per_ip, NAMESPACE, "ip", ip).reset_time,
    )
    return max(1, int((reset - time.time() + 59) // 60))
