"""A parent puts the agenda in their own calendar on a phone: the page explains it in the
page's language, the link is shown once and opens as a calendar, axe finds nothing."""

from __future__ import annotations

import re
import urllib.request

import icalendar
import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_accessible, log_in

pytestmark = pytest.mark.browser

TEXT = {
    "nl": {"nav": "Mijn eigen agenda", "make": "Agendalink maken", "again": "Nieuwe link maken"},
    "en": {"nav": "My own calendar", "make": "Make a calendar link", "again": "Make a new link"},
}


def test_a_parent_makes_a_calendar_link_on_a_phone(
    page: Page, live_server: str, language: str
) -> None:
    log_in(page, live_server, "ouder@demo.test")
    page.goto(f"{live_server}/account/")
    page.click(f"nav >> text={TEXT[language]['nav']}")
    assert_accessible(page)
    make = page.locator("form[action$='/account/calendar/new'] button")
    # the other language's run on this server may have made one already
    expect(make).to_have_text(re.compile(f"{TEXT[language]['make']}|{TEXT[language]['again']}"))
    make.click()
    link = page.locator("#feed-link").input_value()
    assert link.startswith(live_server) and link.endswith(".ics")
    assert_accessible(page)
    with urllib.request.urlopen(link, timeout=10) as response:  # noqa: S310  # nosec B310  # loopback
        assert response.headers["Content-Type"].startswith("text/calendar")
        calendar = icalendar.Calendar.from_ical(response.read())
    titles = [str(e["SUMMARY"]) for e in calendar.walk("VEVENT")]
    assert titles  # the demo family's appointments
    page.goto(f"{live_server}/account/calendar")  # later: the state, never the link again
    expect(page.locator("#feed-link")).to_have_count(0)
    expect(page.locator("main")).to_contain_text(TEXT[language]["again"])
