"""The whole flow for new users, in Chromium at phone width, with axe on every page on the way:
a professional starts a plan and invites the parent (link from the outbox), the parent joins,
adds a goal in their own words and invites a grandparent, the grandparent joins and completes
an action, and the professional records progress (and, going back, sends it once more: it is
saved once)."""

from __future__ import annotations

import email
import re
import uuid
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import assert_accessible, log_in, phone

pytestmark = pytest.mark.browser


def _invitation_link(outbox: Path, to: str) -> str:
    for path in sorted(outbox.glob("*.eml"), reverse=True):
        message = email.message_from_bytes(path.read_bytes())
        if message["To"] == to:
            body = message.get_payload(decode=True).decode()
            match = re.search(r"(https?://\S+/invitations/\S+)", body)
            assert match
            return match.group(1)
    raise AssertionError(f"no invitation for {to}")


def _submit(page: Page, form_selector: str = "main form") -> None:
    page.locator(f"{form_selector} button[type=submit]").last.click()
    page.wait_for_load_state("networkidle")


def _join_through_link(page: Page, link: str, name: str) -> None:
    page.goto(link)
    assert_accessible(page)
    page.fill("#name", name)
    page.fill("#password", "een-eigen-lange-zin-voor-mij")
    page.fill("#password_confirm", "een-eigen-lange-zin-voor-mij")
    _submit(page)


def test_new_family_joins_and_works_on_a_plan(
    browser: Browser, live_server: str, server_outbox: Path
) -> None:
    run = uuid.uuid4().hex[:6]
    parent_email, grandma_email = f"moeder-{run}@demo.test", f"oma-{run}@demo.test"
    with phone(browser) as pro, phone(browser) as parent, phone(browser) as grandma:
        # 1. The professional starts a plan for the household.
        log_in(pro, live_server, "regisseur@demo.test")
        pro.goto(f"{live_server}/plans/new")
        assert_accessible(pro)
        pro.fill("#title", f"Plan van gezin {run}")
        pro.fill("#name", "Lotte de Boer")
        pro.select_option("#relation", "parent")
        pro.fill("#date_of_birth", "1991-04-12")
        _submit(pro)
        expect(pro.locator("h1")).to_have_text(f"Plan van gezin {run}")
        assert_accessible(pro)
        plan_url = pro.url.rsplit("/household", 1)[0]

        # 2. … and invites the parent as family.
        pro.goto(f"{plan_url}/participants")
        assert_accessible(pro)
        pro.fill("#email", parent_email)
        pro.select_option("#role", "client")
        _submit(pro)
        expect(pro.locator(".sp-flash--success")).to_contain_text(parent_email)
        assert_accessible(pro)

        # 3. The parent opens the link from the mail and makes an account.
        _join_through_link(parent, _invitation_link(server_outbox, parent_email), "Lotte de Boer")
        expect(parent.locator("h1")).to_have_text(f"Plan van gezin {run}")
        assert_accessible(parent)

        # 4. The parent adds a goal in her own words.
        parent.get_by_role("link", name="Doel toevoegen").click()
        assert_accessible(parent)
        parent.select_option("#domain", "finances")
        parent.fill("#title", "Ik wil weer rustig slapen zonder geldzorgen")
        parent.fill("#why", "Dan heb ik meer geduld met de kinderen.")
        _submit(parent)
        expect(parent.locator("h1")).to_have_text("Ik wil weer rustig slapen zonder geldzorgen")
        assert_accessible(parent)
        goal_url = parent.url

        # 5. … and invites the grandmother into the network.
        parent.goto(f"{plan_url}/participants")
        parent.fill("#email", grandma_email)
        parent.select_option("#role", "network")
        # the first network member: the family says what the network sees of new items
        parent.get_by_label("Gedeeld met het netwerk, behalve als je het vinkje weghaalt").check()
        _submit(parent)
        expect(parent.locator(".sp-flash--success")).to_be_visible()
        _join_through_link(grandma, _invitation_link(server_outbox, grandma_email), "Oma Riet")
        expect(grandma.locator("h1")).to_have_text(f"Plan van gezin {run}")
        assert_accessible(grandma)

        # 6. The parent asks grandma to do something; grandma ticks it off.
        parent.goto(goal_url)
        parent.fill("#description", "Woensdag de kinderen van school halen")
        grandma_option = parent.locator("#assignee option", has_text="Oma Riet").get_attribute(
            "value"
        )
        parent.select_option("#assignee", grandma_option)
        _submit(parent, "form[action$='/actions']")
        expect(parent.locator("#actions")).to_be_visible()
        grandma.goto(f"{live_server}/plans/actions")
        assert_accessible(grandma)
        grandma.get_by_role("button", name="Klaar").click()
        grandma.wait_for_load_state("networkidle")
        expect(grandma.locator(".sp-flash--success")).to_be_visible()
        grandma.goto(goal_url)
        expect(grandma.locator("#actions ~ ul, #actions + ul").first).to_contain_text("klaar")
        assert_accessible(grandma)

        # 7. The professional records progress on the goal.
        pro.goto(goal_url)
        pro.fill("#value", "4")
        pro.fill("#note", "Eerste gesprek met de budgetcoach gehad.")
        _submit(pro, "form[action$='/progress']")
        expect(pro.locator(".sp-chart desc")).to_contain_text("4 van de 10")
        assert_accessible(pro)
        scores = pro.locator("details summary", has_text="Alle scores").inner_text()

        # 8. … goes back and sends the same form again: it is saved once.
        pro.go_back()
        pro.wait_for_load_state("networkidle")
        if pro.input_value("#value") != "4":  # a browser that forgot what was typed
            pro.fill("#value", "4")
        _submit(pro, "form[action$='/progress']")
        expect(pro.locator(".sp-flash--info")).to_contain_text("Het is één keer opgeslagen")
        expect(pro.locator("details summary", has_text="Alle scores")).to_have_text(scores)
