"""Password hashing (argon2id) and the password rules.

Rules follow NIST SP 800-63B: a minimum length, a generous maximum, no composition rules,
and a check against guessable passwords (zxcvbn) instead of a home-made list.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from zxcvbn import zxcvbn

from samenplan.core.i18n import lazy_gettext as _l

#: Words from our own context that zxcvbn's English dictionaries do not know; zxcvbn takes
#: them as "user inputs", so a password built on them counts as guessable.
CONTEXT_WORDS = ("samenplan", "wachtwoord", "welkom", "geheim", "gemeente", "jeugdzorg", "wijkteam")

#: zxcvbn scores 0–4; 3 is "safely unguessable: moderate protection from offline attacks".
MIN_ZXCVBN_SCORE = 3


def _hasher() -> PasswordHasher:
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    hasher = app.extensions.get("samenplan_argon2")
    if hasher is None:
        cfg = app.config
        hasher = PasswordHasher(
            time_cost=cfg["ARGON2_TIME_COST"],
            memory_cost=cfg["ARGON2_MEMORY_COST"],
            parallelism=cfg["ARGON2_PARALLELISM"],
        )
        app.extensions["samenplan_argon2"] = hasher
    assert isinstance(hasher, PasswordHasher)
    return hasher


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when ``password`` matches. With no hash, still spend the time of one check."""
    hasher = _hasher()
    if password_hash is None:
        # Same work for unknown accounts, so timing does not tell which emails exist.
        password_hash = _dummy_hash()
        with contextlib.suppress(VerificationError, InvalidHashError):
            hasher.verify(password_hash, password + "\x00unknown")
        return False
    try:
        return hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher().check_needs_rehash(password_hash)


def _dummy_hash() -> str:
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    dummy = app.extensions.get("samenplan_dummy_hash")
    if dummy is None:
        dummy = _hasher().hash("samenplan-dummy-password")
        app.extensions["samenplan_dummy_hash"] = dummy
    return str(dummy)


def password_problem(password: str, user_inputs: Iterable[str] = ()) -> str | None:
    """Why ``password`` cannot be used, in the user's language; None when it is fine."""
    cfg = current_app.config
    if len(password) < cfg["PASSWORD_MIN_LENGTH"]:
        return str(
            _l(
                "Use at least %(n)d characters. A few words in a row is easy to remember.",
                n=cfg["PASSWORD_MIN_LENGTH"],
            )
        )
    if len(password) > cfg["PASSWORD_MAX_LENGTH"]:
        return str(_l("Use at most %(n)d characters.", n=cfg["PASSWORD_MAX_LENGTH"]))
    # zxcvbn refuses input over 72 characters; a longer password is at least as strong as
    # its first 72 characters.
    inputs = [*CONTEXT_WORDS, *(part for value in user_inputs for part in _split_inputs(value))]
    result = zxcvbn(password[:72], user_inputs=inputs)
    if result["score"] < MIN_ZXCVBN_SCORE:
        return str(
            _l(
                "This password is too easy to guess. Use a few words that do not belong "
                "together, and not your name or email address."
            )
        )
    return None


def _split_inputs(value: str) -> list[str]:
    value = value.strip().lower()
    if not value:
        return []
    parts = [value]
    if "@" in value:
        local = value.split("@", 1)[0]
        parts.append(local)
        parts.extend(value.replace("@", " ").replace(".", " ").split())
    parts.extend(value.split())
    return parts
