"""Every page of the foundation, in Dutch and English, on a 360 px wide screen: axe finds
nothing, nothing scrolls sideways, and the journeys work with the real login form."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_accessible, log_in

pytestmark = pytest.mark.browser

TEXT = {
    "nl": {
        "login": "Inloggen bij Samenplan",
        "plans": "Mijn plannen",
        "wrong": "klopt niet",
        "check": "Kijk dit na",
        "not_found": "Pagina niet gevonden",
        "forbidden": "Je mag deze pagina niet openen",
    },
    "en": {
        "login": "Log in to Samenplan",
        "plans": "My plans",
        "wrong": "not right",
        "check": "Please check the following",
        "not_found": "Page not found",
        "forbidden": "You may not open this page",
    },
}


def test_login_page_and_its_errors(page: Page, live_server: str, language: str) -> None:
    page.goto(f"{live_server}/login")
    expect(page.locator("h1")).to_have_text(TEXT[language]["login"])
    assert page.locator("html").get_attribute("lang") == language
    assert_accessible(page)
    # The skip link is the first thing the keyboard reaches.
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.getAttribute('href')") == "#main"

    page.fill("#email", "ouder@demo.test")
    page.fill("#password", "helemaal-niet-goed")
    page.click("main button[type=submit]")
    summary = page.locator("[data-error-summary]")
    expect(summary).to_contain_text(TEXT[language]["wrong"])
    expect(summary).to_be_focused()
    assert page.input_value("#email") == "ouder@demo.test"
    assert_accessible(page)

    page.goto(f"{live_server}/does-not-exist")
    expect(page.locator("h1")).to_have_text(TEXT[language]["not_found"])
    assert_accessible(page)


def test_family_member_pages(page: Page, live_server: str, language: str) -> None:
    log_in(page, live_server, "ouder@demo.test")
    expect(page.locator("h1")).to_have_text(TEXT[language]["plans"])
    assert_accessible(page)
    for path in ("/account/", "/account/password", "/account/sessions", "/account/two-factor"):
        page.goto(f"{live_server}{path}")
        assert_accessible(page)
    # A form with errors keeps its accessibility: summary, messages, linked fields.
    page.goto(f"{live_server}/account/password")
    page.click("main button[type=submit]")
    expect(page.locator("[data-error-summary]")).to_contain_text(TEXT[language]["check"])
    assert_accessible(page)
    page.goto(f"{live_server}/admin/")
    expect(page.locator("h1")).to_have_text(TEXT[language]["forbidden"])
    assert_accessible(page)
    page.click("header button[type=submit]")  # log out
    expect(page.locator("h1")).to_have_text(TEXT[language]["login"])


def test_administration_pages(page: Page, live_server: str, language: str) -> None:
    log_in(page, live_server, "beheer@demo.test")
    assert page.url.endswith("/admin/")
    assert_accessible(page)
    for path in ("/admin/organisations", "/admin/teams", "/admin/users", "/admin/users/new"):
        page.goto(f"{live_server}{path}")
        assert_accessible(page)
    # the demo's synthetic region has thousands of accounts: search, as an administrator would
    page.goto(f"{live_server}/admin/users")
    page.fill("#q", "Ingrid")
    page.locator("form.sp-search button").click()
    page.get_by_role("link", name="Ingrid Smit").click()
    expect(page.locator("h1")).to_have_text("Ingrid Smit")
    assert_accessible(page)
    page.goto(f"{live_server}/admin/users/new")
    page.fill("#name", "Nieuwe Collega")
    page.click("main form button[type=submit]")
    expect(page.locator("[data-error-summary]")).to_be_visible()
    assert page.input_value("#name") == "Nieuwe Collega"
    assert_accessible(page)


def test_admin_creates_a_professional_who_then_logs_in(
    page: Page, live_server: str, language: str
) -> None:
    email = f"collega-{language}@demo.test"
    log_in(page, live_server, "beheer@demo.test")
    page.goto(f"{live_server}/admin/users/new")
    page.fill("#name", f"Collega {language.upper()}")
    page.fill("#email", email)
    page.select_option("#role", "professional")
    page.select_option("#organisation", label="Wijkteam Demostad")
    page.select_option("#team", label="Wijkteam Demostad – Team Noord")
    page.fill("#password", "eerste-wachtwoord-van-collega")
    page.click("main form button[type=submit]")
    expect(page.locator("h1")).to_have_text(f"Collega {language.upper()}")
    page.click("header button[type=submit]")

    log_in(page, live_server, email, "eerste-wachtwoord-van-collega")
    assert page.url.endswith("/account/password")
    assert_accessible(page)
    page.fill("#current_password", "eerste-wachtwoord-van-collega")
    page.fill("#password", "mijn-eigen-sterke-zin")
    page.fill("#password_confirm", "mijn-eigen-sterke-zin")
    page.click("main form button[type=submit]")
    expect(page.locator("h1")).to_have_text(TEXT[language]["plans"])


def test_language_switch_in_the_footer(page: Page, live_server: str, language: str) -> None:
    other = "en" if language == "nl" else "nl"
    page.goto(f"{live_server}/login")
    page.click(f"footer button[value={other}]")
    expect(page.locator("h1")).to_have_text(TEXT[other]["login"])
    assert page.url.endswith("/login")
