"""Random secret tokens (sessions, invitations, calendar feeds) and how they are stored:
only a SHA-256 hash, so that a copy of the database opens nothing."""

from __future__ import annotations

import hashlib
import secrets


def new_token() -> str:
    """A random token for a link or a cookie (256 bits)."""
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
