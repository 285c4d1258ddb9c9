"""The monitor as the demo's team lead and policy officer, on a phone and at a desk, in Dutch
and English: axe finds nothing, nothing scrolls sideways, a hidden figure reads as such, and
a CSV download opens with headings in the page's language."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_accessible, log_in

pytestmark = pytest.mark.browser

TEXT = {
    "nl": {
        "title": "Monitor",
        "hidden": "minder dan 10 huishoudens",
        "heading": "Afgesloten plannen per reden",
    },
    "en": {
        "title": "Monitor",
        "hidden": "fewer than 10 households",
        "heading": "Closed plans by reason",
    },
}


@pytest.mark.parametrize("email", ["beleid@demo.test", "teamleider@demo.test"])
def test_monitor_on_a_phone_and_at_a_desk(
    page: Page, live_server: str, language: str, email: str
) -> None:
    log_in(page, live_server, email)
    if email.startswith("teamleider"):
        page.click("nav >> text=Monitor")
    expect(page.locator("h1")).to_have_text(TEXT[language]["title"])
    main = page.locator("main")
    expect(main).to_contain_text(TEXT[language]["heading"])
    expect(main).to_contain_text(TEXT[language]["hidden"])
    assert page.locator("svg.sp-bar").count() > 0  # the shift bars, first against latest
    assert_accessible(page)
    page.set_viewport_size({"width": 1280, "height": 900})
    assert_accessible(page)

    with page.expect_download() as download:
        page.click("#t-closures ~ p a[download]")
    body = Path(download.value.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(body), delimiter=";"))
    assert rows[0][0] == TEXT[language]["heading"]
    assert len(rows) >= 7


def test_policy_officer_starts_in_the_monitor_and_never_sees_plans(
    page: Page, live_server: str, language: str
) -> None:
    log_in(page, live_server, "beleid@demo.test")
    assert page.url.endswith("/monitoring/")
    assert page.locator("nav >> text=/Mijn plannen|My plans/").count() == 0
    page.select_option("#scope", "GM0090")
    page.select_option("#period", index=1)
    page.click("main form button[type=submit]")
    expect(page.locator("main")).to_contain_text("Smallingerland")
    assert_accessible(page)
