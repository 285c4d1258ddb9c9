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


#: a step of the family's own view is at most two phone screens high (740 px each)
MAX_STEP_HEIGHT = 2 * 740


def _step(page: Page, answer: str | None, split: str | None) -> None:
    """One life area: choose (or skip) and send; the page stays within two screens."""
    height = page.evaluate("() => document.documentElement.scrollHeight")
    assert height <= MAX_STEP_HEIGHT, f"{page.url} is {height}px high"
    if answer is None:
        page.locator("button[value=skip]").click()
    else:
        page.locator(f'input[name=answer][value="{answer}"]').check()
        if split:
            page.locator(f'input[name=split][value="{split}"]').check()
        page.locator("button[value=next]").click()
    page.wait_for_load_state("networkidle")


def test_screening_for_a_youth_with_their_own_view(browser: Browser, live_server: str) -> None:
    with phone(browser) as pro, phone(browser) as youth:
        log_in(pro, live_server, "hulpverlener@demo.test")
        plan = _open_plan(pro, live_server)
        pro.goto(f"{plan}/screenings")
        assert_accessible(pro)
        section = pro.locator("section", has=pro.get_by_role("heading", name="Daan Jansen"))
        section.locator("summary").click()
        assert section.locator("select[name=start-instrument]").input_value() == "zrm-j"  # his age
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

        # Daan adds his own view of the same moment, one life area per step on his phone.
        log_in(youth, live_server, "jongere@demo.test")
        youth.goto(screening_url)
        assert_accessible(youth)
        youth.get_by_role("button", name="Mijn eigen kijk toevoegen").click()
        youth.wait_for_load_state("networkidle")
        expect(youth.locator(".sp-step-count")).to_have_text("Deel 1 van 13")
        expect(youth.locator("h1")).to_have_text("Geld")
        assert_accessible(youth)
        _step(youth, "5", "alone")  # money: he does it himself
        _step(youth, None, None)  # school and work: skipped
        expect(youth.locator(".sp-step-count")).to_have_text("Deel 3 van 13")
        _step(youth, "unknown", None)  # free time: he does not know
        _step(youth, "4", "mostly_own")
        expect(youth.locator(".sp-step-count")).to_have_text("Deel 5 van 13")
    # The phone locks halfway; later he goes on, in English, and lands where he was.
    with phone(browser, "en") as youth, phone(browser) as pro:
        log_in(youth, live_server, "jongere@demo.test")
        youth.goto(screening_url)
        youth.get_by_role("button", name="See or change my own view").click()
        youth.wait_for_load_state("networkidle")
        expect(youth.locator(".sp-step-count")).to_have_text("Part 5 of 13")
        assert_accessible(youth)
        for _area in range(5, 14):
            _step(youth, "4", "mostly_own")
        expect(youth.locator("h1")).to_have_text("Check your answers")
        expect(youth.locator("main")).to_contain_text("Skipped")
        expect(youth.locator("main")).to_contain_text("I don't know")
        assert_accessible(youth)
        youth.get_by_role("button", name="Ready").click()
        youth.wait_for_load_state("networkidle")
        expect(youth.locator(".sp-flash--success")).to_be_visible()

        log_in(pro, live_server, "hulpverlener@demo.test")
        # The professional sees both views side by side; finances differ by 2.
        pro.goto(screening_url)
        expect(pro.locator(".sp-domain-row--differs")).to_have_count(1)
        expect(pro.locator("#domain-finances")).to_contain_text(
            "De kijk verschilt 2 punten of meer."
        )
        assert_accessible(pro)
        pro.goto(f"{plan}/screenings")
        pro.get_by_role("button", name="Vergelijken").first.click()
        pro.wait_for_load_state("networkidle")
        expect(pro.locator("h1")).to_have_text("Wat is er verschoven?")
        assert_accessible(pro)
