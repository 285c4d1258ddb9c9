"""Every plan page of the demo household, in Dutch and English, at 360 px: axe-clean (the
plan's pages, its evaluation and agreed version, and the account pages that belong to it)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from tests.browser.conftest import assert_accessible, log_in

pytestmark = pytest.mark.browser


def _plan_url(page: Page, live_server: str) -> str:
    page.goto(f"{live_server}/plans/")
    page.get_by_role("link", name="Plan van de familie Jansen").click()
    page.wait_for_load_state("networkidle")
    return page.url.rstrip("/")


@pytest.mark.parametrize("email", ["ouder@demo.test", "regisseur@demo.test", "netwerk@demo.test"])
def test_plan_pages_are_accessible(page: Page, live_server: str, language: str, email: str) -> None:
    log_in(page, live_server, email)
    assert_accessible(page)  # My plans
    plan = _plan_url(page, live_server)
    assert_accessible(page)  # overview
    for suffix in (
        "/agenda",
        "/logbook",
        "/participants",
        "/household",
        "/screenings",
        "/versions",
        "/versions/1",
    ):
        page.goto(plan + suffix)
        assert_accessible(page)
    page.goto(plan + "/agenda")
    page.locator("main a[href*='/evaluations/']").first.click()
    page.wait_for_load_state("networkidle")
    assert_accessible(page)  # the evaluation: goals to look back on, the report form
    for path in ("/account/reminders", "/account/calendar"):
        page.goto(live_server + path)
        assert_accessible(page)
    if email != "netwerk@demo.test":  # the demo's strengths checks are not shared with the network
        page.goto(plan + "/screenings")
        page.locator("main .sp-card__title a").first.click()
        page.wait_for_load_state("networkidle")
        assert_accessible(page)  # bars, legend, signals, shifts
    page.goto(plan + "/")
    page.locator("main .sp-card__title a").first.click()
    page.wait_for_load_state("networkidle")
    assert_accessible(page)  # a goal page with its chart
    page.goto(f"{live_server}/plans/actions")
    assert_accessible(page)
    if email != "netwerk@demo.test":
        for suffix in ("/goals/new", "/agenda/new", "/audit"):
            page.goto(plan + suffix)
            assert_accessible(page)


def test_team_lead_pages_are_accessible(page: Page, live_server: str, language: str) -> None:
    log_in(page, live_server, "teamleider@demo.test")
    page.goto(f"{live_server}/plans/team")
    assert_accessible(page)
    page.get_by_role("link", name="Plan van de familie Jansen").click()
    page.wait_for_load_state("networkidle")
    assert_accessible(page)
