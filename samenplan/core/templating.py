"""What every template may use: the policy's can(), the forms behind header buttons, and
the labels each feature offers (``add_globals``, called when the app is wired)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Flask, has_request_context, request
from flask_wtf import FlaskForm
from markupsafe import Markup

from samenplan.core import once
from samenplan.core.forms import ConfirmForm, LanguageForm
from samenplan.core.i18n import current_locale
from samenplan.domains import domain_label
from samenplan.policy import Permission, can

GLOBALS_KEY = "samenplan_template_globals"


def add_globals(app: Flask, **values: Any) -> None:
    """A feature offers names to every template (its labels, helpers). The core knows none
    of them by itself, so it imports no feature."""
    app.extensions.setdefault(GLOBALS_KEY, {}).update(values)


def csrf_field(form: FlaskForm) -> Markup:
    """The form's hidden CSRF input, and a create form's one-time token (``OnceForm``),
    without ids (pages hold several forms)."""
    hidden = [getattr(form, name, None) for name in ("csrf_token", once.FIELD)]
    # WTForms renders and escapes the inputs itself.
    return Markup("").join(Markup(field(id=False)) for field in hidden if field is not None)  # noqa: S704  # nosec B704


def init_app(app: Flask) -> None:
    app.jinja_env.add_extension("jinja2.ext.i18n")
    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    # a date kept as text (a plan version's content) read back, to format with dateformat
    app.jinja_env.filters["fromiso"] = dt.date.fromisoformat

    @app.context_processor
    def _globals() -> dict[str, Any]:
        locale = current_locale()
        labels: dict[str, Any] = {
            **app.extensions.get(GLOBALS_KEY, {}),
            "current_locale": locale,
            "domain_label": lambda domain_id: domain_label(domain_id, locale),
        }
        if not has_request_context():  # a report rendered by a background job
            return labels
        return {
            **labels,
            "can": can,
            "Permission": Permission,
            "csrf_field": csrf_field,
            "button_form": ConfirmForm(formdata=None),
            "logout_form": ConfirmForm(formdata=None),
            "language_form": LanguageForm(prefix="lang", formdata=None),
            "current_path": request.full_path.rstrip("?"),
        }
