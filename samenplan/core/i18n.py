"""Language: the user's setting, else the footer switch, else the browser; Dutch by default."""

from __future__ import annotations

from contextvars import ContextVar
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from babel.support import NullTranslations
from flask import Flask, current_app, g, has_request_context, request, session
from flask_babel import get_locale, get_translations
from flask_babel.speaklater import LazyString
from flask_login import current_user

from samenplan.extensions import babel

TRANSLATIONS = Path(__file__).resolve().parent.parent / "translations"


def select_locale() -> str:
    languages: tuple[str, ...] = current_app.config["LANGUAGES"]
    if not has_request_context():  # CLI commands and background work speak the default
        return str(current_app.config["BABEL_DEFAULT_LOCALE"])
    if current_user.is_authenticated and current_user.locale in languages:
        return str(current_user.locale)
    chosen = session.get("locale")
    if chosen in languages:
        return str(chosen)
    return request.accept_languages.best_match(languages) or languages[0]


def current_locale() -> str:
    """The language of this request ("nl" or "en")."""
    return str(get_locale() or "nl")


#: this request's translations with the Flask-Babel state and locale they were found for.
#: Flask-Babel looks them up through several context proxies for every string a template
#: translates (hundreds per page); templates use this instead. Reset at each request's start
#: and end; ``force_locale`` (mails in the recipient's language) changes the locale in that
#: state, which the check below notices.
_memo: ContextVar[tuple[SimpleNamespace, Any, NullTranslations] | None] = ContextVar(
    "samenplan_translations", default=None
)


def request_translations() -> NullTranslations:
    memo = _memo.get()
    if memo is not None and getattr(memo[0], "babel_locale", None) is memo[1]:
        return memo[2]
    translations: NullTranslations = get_translations()
    if has_request_context():
        state = getattr(g, "_flask_babel", None)  # set by the look-up just made
        if state is not None:
            _memo.set((state, getattr(state, "babel_locale", None), translations))
    return translations


def gettext(string: str, **variables: Any) -> str:
    """Flask-Babel's ``gettext``, with this request's translations looked up once."""
    text: str = request_translations().ugettext(string)
    return text % variables if variables else text


def ngettext(singular: str, plural: str, num: int, **variables: Any) -> str:
    variables.setdefault("num", num)
    text: str = request_translations().ungettext(singular, plural, num)
    return text % variables


def lazy_gettext(string: str, **variables: Any) -> LazyString:
    """Translated when shown (labels defined at import time), in the reader's language."""
    return LazyString(gettext, string, **variables)


def _forget_translations(*_args: object) -> None:
    _memo.set(None)


def init_app(app: Flask) -> None:
    babel.init_app(
        app,
        locale_selector=select_locale,
        default_translation_directories=str(TRANSLATIONS),
    )
    app.before_request(_forget_translations)
    app.teardown_request(_forget_translations)
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=lambda s: request_translations().ugettext(s),
        ngettext=lambda s, p, n: request_translations().ungettext(s, p, n),
        pgettext=lambda c, s: request_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: request_translations().unpgettext(c, s, p, n),
        newstyle=True,
    )
