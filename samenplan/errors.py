"""Domain errors raised by services; views turn them into messages for the user."""

from __future__ import annotations


class DomainError(Exception):
    """A rule of ours was broken. ``field`` names the form field it belongs to, if any."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class ValidationFailed(DomainError):
    """Input that looks fine to the form but breaks a business rule."""


class Conflict(DomainError):
    """The thing already exists or was changed by someone else."""


class NotAllowed(DomainError):
    """The acting user may not do this."""
