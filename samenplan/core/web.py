"""Small helpers shared by views: client address, safe redirects, domain errors on forms."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import request
from flask_wtf import FlaskForm

from samenplan.errors import DomainError


def client_ip() -> str:
    return request.remote_addr or "unknown"


def safe_next(target: str | None) -> str | None:
    """Only same-site paths ("/plans/…"), never another host or scheme."""
    if not target:
        return None
    target = target.strip()
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target or any(ord(c) < 32 for c in target):
        return None
    return target


def add_domain_error(form: FlaskForm, error: DomainError) -> None:
    """Show a service's error beside the field it names, or at the top of the form."""
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        # WTForms makes errors a tuple after validate(); we append to a list copy.
        field.errors = [*field.errors, error.message]
    else:
        form.form_errors.append(error.message)
