"""Dutch first, English second: complete catalogues and the language choice."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from babel.messages.pofile import read_po
from flask import Flask, render_template_string
from flask.testing import FlaskClient
from flask_babel import force_locale

from samenplan.accounts.models import Role, User
from samenplan.core.i18n import gettext, lazy_gettext

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "samenplan" / "translations"


def _catalog(locale: str):  # type: ignore[no-untyped-def]
    with open(TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po", "rb") as handle:
        return read_po(handle, locale=locale)


def _extracted_ids(tmp_path: Path) -> set[str]:
    pot = tmp_path / "messages.pot"
    subprocess.run(
        [
            str(Path(sys.executable).parent / "pybabel"),
            "-q",
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "_l",
            "-k",
            "lazy_gettext",
            "--no-location",
            "-o",
            str(pot),
            ".",
        ],
        cwd=ROOT,
        check=True,
    )
    with open(pot, "rb") as handle:
        return {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle) if m.id}


def test_every_text_in_the_code_is_translated_in_dutch_and_english(tmp_path: Path) -> None:
    in_code = _extracted_ids(tmp_path)
    assert len(in_code) > 100
    for locale in ("nl", "en"):
        catalog = _catalog(locale)
        translated = {
            (m.id if isinstance(m.id, str) else m.id[0])
            for m in catalog
            if m.id
            and "fuzzy" not in m.flags
            and (all(m.string) if isinstance(m.string, tuple) else m.string)
        }
        missing = sorted(in_code - translated)
        assert missing == [], f"{locale}: untranslated {missing[:10]}"


def test_browser_language_is_used_when_nothing_is_chosen(client: FlaskClient) -> None:
    assert "Inloggen bij Samenplan" in client.get("/login").get_data(as_text=True)
    english = client.get("/login", headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert "Log in to Samenplan" in english.get_data(as_text=True)
    assert 'lang="en"' in english.get_data(as_text=True)
    unsupported = client.get("/login", headers={"Accept-Language": "fr"})
    assert "Inloggen bij Samenplan" in unsupported.get_data(as_text=True)


def test_footer_switch_changes_the_language_and_returns(client: FlaskClient) -> None:
    response = client.post("/language", data={"lang-locale": "en", "lang-next": "/login?x=1"})
    assert response.status_code == 303 and response.headers["Location"] == "/login?x=1"
    assert "Log in to Samenplan" in client.get("/login").get_data(as_text=True)
    evil = client.post("/language", data={"lang-locale": "nl", "lang-next": "https://evil.example"})
    assert evil.headers["Location"] == "/"


def test_account_language_beats_the_browser(
    client_as: Callable[[User], FlaskClient], make_user: Callable[..., User]
) -> None:
    user = make_user(Role.NETWORK, locale="en")
    page = client_as(user).get("/plans/", headers={"Accept-Language": "nl"})
    assert "My plans" in page.get_data(as_text=True)


def test_no_translated_text_hides_inside_an_f_string() -> None:
    """Babel's extractor cannot see _("…") inside an f-string; such text would stay English."""
    import re

    pattern = re.compile(r"""f(["'])[^"'\n]*\{[^}\n]*\b_l?\(""")
    offenders = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in (ROOT / "samenplan").rglob("*.py")
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if pattern.search(line)
    ]
    assert offenders == []


def test_translations_follow_each_request_and_a_forced_language(app: Flask) -> None:
    """Templates and code look the translations up once per request; a mail rendered in the
    recipient's language (force_locale) in the middle of it still gets its own."""
    label = lazy_gettext("Household")
    with app.test_request_context("/", headers={"Accept-Language": "nl"}):
        app.preprocess_request()
        assert gettext("Household") == "Gezin"
        assert render_template_string('{{ _("Household") }}') == "Gezin"
        with force_locale("en"):
            assert str(label) == "Household"
            assert render_template_string('{{ _("Household") }}') == "Household"
        assert str(label) == "Gezin"


def test_each_request_speaks_its_own_language(client: FlaskClient) -> None:
    """The translations looked up once per request do not carry over to the next one (the
    server's threads serve many people in turn)."""
    for language, text in [("nl", "Inloggen"), ("en", "Log in"), ("nl", "Inloggen")]:
        page = client.get("/login", headers={"Accept-Language": language}).get_data(as_text=True)
        assert text in page


def test_code_translates_through_the_request_cache() -> None:
    """Text in code uses samenplan.core.i18n's gettext, which looks the request's translations
    up once; Flask-Babel's own does it for every string (hundreds per page)."""
    root = Path(__file__).resolve().parents[2] / "samenplan"
    direct = [
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if path.name != "i18n.py"
        and any(
            line.startswith("from flask_babel import")
            and any(name in line for name in ("gettext", "ngettext"))
            for line in path.read_text(encoding="utf-8").splitlines()
        )
    ]
    assert direct == []
