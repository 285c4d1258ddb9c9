"""A professional fills in a strengths check for the 14-year-old on a 360 px wide page, the
youth adds their own view, and the comparison shows; axe finds nothing on each page."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import assert_accessible, log_in, phone

pytestmark = pytest.mark.browser


def _open_plan(page: Page, live_server: str) -> str:
    page.goto(f"{live_server}/plans/")
    page.get_by_role("link", name="Plan van de familie Jansen").click()
    page.wait_for_load_state("networkidle")
    return page.url.rstrip("/")


def _fill_all(
    page: Page,
    score: str,
    shares: tuple[str, str, str],
    special: dict[str, tuple[str, tuple[str, str, str]]],
) -> None:
    for select in page.locator("select[id$='-score']").all():
        domain = (select.get_attribute("id") or "")[2:-6]
        value, split = special.get(domain, (score, shares))
        select.select_option(value)
        for part, number in zip(("own", "network", "professional"), split, strict=True):
            page.fill(f"#d-{domain}-{part}", number)


def test_screening_for_a_youth_with_their_own_view(browser: Browser, live_server: str) -> None:
    with phone(browser) as pro, phone(browser) as youth:
        log_in(pro, live_server, "hulpverlener@demo.test")
        plan = _open_plan(pro, live_server)
        pro.goto(f"{plan}/screenings")
        assert_accessible(pro)
        section = pro.locator("section", has=pro.get_by_role("heading", name="Daan Jansen"))
        section.locator("summary").click()
        assert section.locator("select").input_value() == "zrm-j"  # chosen from his age
        section.get_by_role("button", name="Beginnen").click()
        pro.wait_for_load_state("networkidle")
        expect(pro.locator("h1")).to_contain_text("Daan Jansen")
        assert_accessible(pro)

        # A wrong split is refused with a clear message, and nothing typed is lost.
        pro.select_option("#d-finances-score", "3")
        pro.fill("#d-finances-own", "60")
        pro.fill("#d-finances-network", "30")
        pro.fill("#d-finances-professional", "30")
        pro.locator("#d-finances summary").click()  # the descriptions fold open
        pro.fill("#d-finances-situation", "Zakgeld is op voor het weekend.")
        pro.get_by_role("button", name="Tussendoor opslaan").click()
        pro.wait_for_load_state("networkidle")
        expect(pro.locator("[data-error-summary]")).to_contain_text("samen 100")
        assert pro.input_value("#d-finances-own") == "60"
        assert pro.input_value("#d-finances-situation") == "Zakgeld is op voor het weekend."
        assert_accessible(pro)

        _fill_all(
            pro,
            "4",
            ("60", "30", "10"),
            {"finances": ("3", ("50", "20", "30")), "mental_health": ("4", ("30", "30", "40"))},
        )
        pro.get_by_role("button", name="Afronden").click()
        pro.wait_for_load_state("networkidle")
        expect(pro.locator(".sp-flash--success")).to_be_visible()
        assert_accessible(pro)
        screening_url = pro.url
        expect(pro.locator("svg.sp-bar").first).to_have_attribute(
            "aria-label", "Financiën: 3 van 5; 50% eigen kracht, 20% netwerk, 30% hulpverlening"
        )
        expect(
            pro.get_by_text("let op: leunt op anderen").first
        ).to_be_visible()  # mental health: 4, 30% own

        # Daan adds his own view of the same moment.
        log_in(youth, live_server, "jongere@demo.test")
        youth.goto(screening_url)
        assert_accessible(youth)
        youth.get_by_role("button", name="Mijn eigen kijk toevoegen").click()
        youth.wait_for_load_state("networkidle")
        assert_accessible(youth)
        _fill_all(youth, "4", ("70", "20", "10"), {"finances": ("5", ("100", "0", "0"))})
        youth.get_by_role("button", name="Afronden").click()
        youth.wait_for_load_state("networkidle")
        expect(youth.locator(".sp-flash--success")).to_be_visible()

        # The professional sees both views side by side; finances differ by 2.
        pro.goto(screening_url)
        expect(pro.locator(".sp-domain-row--differs")).to_have_count(1)
        expect(pro.locator("#domain-finances")).to_contain_text(
            "De kijk verschilt 2 punten of meer."
        )
        assert_accessible(pro)
        pro.goto(f"{plan}/screenings")
        pro.get_by_role("link", name="Vergelijk de eerste met de laatste").first.click()
        pro.wait_for_load_state("networkidle")
        expect(pro.locator("h1")).to_have_text("Wat is er verschoven?")
        assert_accessible(pro)
