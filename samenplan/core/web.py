"""Small helpers shared by views: client address, safe redirects, domain errors on forms."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import urlsplit

from flask import abort, flash, redirect, request, url_for
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from samenplan.errors import DomainError
from samenplan.extensions import db

#: The client address of the current request; set by the web layer (core.security), read
#: by the audit trail, so that services record where an action came from without ``request``.
origin_ip: ContextVar[str | None] = ContextVar("origin_ip", default=None)

#: requests that only read: they run read-only, and are never sent again by a conflict page
READING_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


T = TypeVar("T")


def found(value: T | None) -> T:
    """What the URL names, or 404 when it is not there (or not for this viewer)."""
    if value is None:
        abort(404)
    return value


def done(message: object, endpoint: str, **values: Any) -> Response:
    """After a post that went through: say so, and go on with a 303, so that a reload does
    not post again."""
    flash(str(message), "success")
    return redirect(url_for(endpoint, **values), code=303)


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


@dataclass
class Outcome:
    """How a ``saving()`` block went: truthy when the service call went through."""

    error: DomainError | None = None

    def __bool__(self) -> bool:
        return self.error is None


@contextlib.contextmanager
def saving(form: FlaskForm | None = None) -> Iterator[Outcome]:
    """Run the service calls of one form post. A broken rule (``DomainError``) undoes what
    the request changed and is shown beside its field (or flashed when there is no form);
    the view then renders the form again. The request commits at the edge, not here.

        with saving(form) as saved:
            services.add_person(...)
        if saved:
            return redirect(...)
    """
    outcome = Outcome()
    try:
        yield outcome
    except DomainError as error:
        db.rollback()
        outcome.error = error
        if form is not None:
            add_domain_error(form, error)
        else:
            flash(error.message, "error")
