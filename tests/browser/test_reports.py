"""A team lead prints a plan summary and a print run; the run renders in the background while
the page shows progress. axe checks every page on the way."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_accessible, log_in

pytestmark = pytest.mark.browser


def test_team_lead_prints_a_summary_and_a_print_run(
    page: Page, live_server: str, language: str
) -> None:
    log_in(page, live_server, "teamleider@demo.test")
    page.goto(f"{live_server}/plans/team")
    page.get_by_role("link", name="Plan van de familie Jansen").click()
    page.wait_for_load_state("networkidle")
    page.get_by_role(
        "link",
        name="Planoverzicht afdrukken (PDF)" if language == "nl" else "Print a plan summary (PDF)",
    ).click()
    page.wait_for_load_state("networkidle")
    assert_accessible(page)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    assert_accessible(page)
    link = page.locator(".sp-notice a").get_attribute("href")
    pdf = page.request.get(f"{live_server}{link}")
    assert (
        pdf.ok
        and pdf.body().startswith(b"%PDF-")
        and pdf.headers["content-type"] == "application/pdf"
    )

    page.goto(f"{live_server}/plans/team/print")
    assert_accessible(page)
    # the demo families' plans (other tests may have added some), not the synthetic region's
    boxes = page.locator("li.sp-checkbox", has_text="Plan van de").locator("input[name=plan]").all()
    assert boxes
    for box in boxes:
        box.check()
    page.locator("main form button[type=submit]").click()
    download = page.locator("[data-job-download] a")
    expect(download).to_be_visible(timeout=30_000)  # the page polls until the PDF is ready
    expect(page.locator("[data-job-message]")).to_contain_text(str(len(boxes)))
    assert_accessible(page)
    run = page.request.get(f"{live_server}{download.get_attribute('href')}")
    assert run.ok and run.body().startswith(b"%PDF-")
