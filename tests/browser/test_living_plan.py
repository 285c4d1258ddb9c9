"""A plan that stays alive between meetings, in Chromium at phone width with axe on the way:
the coordinator plans an evaluation, the parent gets the reminder mail over real SMTP (no
care content in it), opens the evaluation and records progress, the plan version is agreed
by the parent and the coordinator, and the report is in the logbook."""

from __future__ import annotations

import datetime as dt
import email
import os
import re
import subprocess
import uuid
from email.message import Message
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from playwright.sync_api import Browser, Page, expect

from tests import live
from tests.browser.conftest import assert_accessible, log_in, phone

pytestmark = pytest.mark.browser


class _Inbox:
    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, _server: Any, _session: Any, envelope: Any) -> str:
        self.messages.append(email.message_from_bytes(envelope.content))
        return "250 OK"


def _submit(page: Page, form_selector: str = "main form") -> None:
    page.locator(f"{form_selector} button[type=submit]").last.click()
    page.wait_for_load_state("networkidle")


def _reminder_for(to: str, inbox: _Inbox, outbox: Path) -> str:
    """The reminder mail to ``to``: over SMTP, or (when the server's own worker happened to
    send it first, on its quarter-hour round) from the server's outbox."""
    for message in inbox.messages:
        if message["To"] == to:
            return str(message.get_payload(decode=True).decode())  # type: ignore[union-attr]
    for path in sorted(outbox.glob("*.eml"), reverse=True):
        message = email.message_from_bytes(path.read_bytes())
        if message["To"] == to and "nieuws" in str(message["Subject"]):
            return str(message.get_payload(decode=True).decode())  # type: ignore[union-attr]
    raise AssertionError(f"no reminder for {to}")


def test_evaluation_reminder_progress_agreement_and_report(
    browser: Browser, live_server: str, server_database: str, server_outbox: Path
) -> None:
    run = uuid.uuid4().hex[:6]
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    with phone(browser) as pro, phone(browser) as parent:
        # 1. The coordinator plans an evaluation for tomorrow from the overview.
        log_in(pro, live_server, "regisseur@demo.test")
        pro.get_by_role("link", name="Plan van de familie Jansen").first.click()
        plan_url = pro.url.rstrip("/")
        pro.goto(f"{plan_url}/agenda/new?kind=evaluation")
        pro.fill("#title", f"Evaluatie {run}")
        pro.fill("#date", tomorrow.isoformat())
        pro.fill("#start_time", "10:00")
        _submit(pro)
        expect(pro.locator("main")).to_contain_text(f"Evaluatie {run}")

        # 2. The parent wants such reminders right away, and gets one over SMTP.
        log_in(parent, live_server, "ouder@demo.test")
        parent.goto(f"{live_server}/account/reminders")
        assert_accessible(parent)
        parent.select_option("#evaluations", "immediate")
        _submit(parent)
        inbox = _Inbox()
        port = live.free_port()
        controller = Controller(inbox, hostname="127.0.0.1", port=port)
        controller.start()
        try:
            env = {
                **os.environ,
                "DATABASE_URL": server_database,
                "SAMENPLAN_ENV": "development",
                "MAIL_SERVER": "127.0.0.1",
                "MAIL_PORT": str(port),
                "MAIL_USE_TLS": "0",
                "MAIL_OUTBOX": str(server_outbox),
                "PUBLIC_URL": live_server,
            }
            done = subprocess.run(
                [*live.FLASK, "send-reminders"],
                env=env,
                cwd=live.ROOT,
                capture_output=True,
                text=True,
                check=False,
            )
            assert done.returncode == 0, done.stderr
        finally:
            controller.stop()
        body = _reminder_for("ouder@demo.test", inbox, server_outbox)
        assert re.search(r"\d+ evaluaties? deze week", body)
        for secret in ("Jansen", "Daan", f"Evaluatie {run}", "geld"):
            assert secret not in body
        plans_link = re.search(r"(https?://\S+/plans/)\s", body)
        assert plans_link

        # 3. The parent follows the link, opens the evaluation and records progress.
        parent.goto(plans_link.group(1))
        parent.get_by_role("link", name="Plan van de familie Jansen").first.click()
        parent.locator("#evaluation-title ~ p a[href*='/evaluations/']").first.click()
        parent.wait_for_load_state("networkidle")
        assert_accessible(parent)
        evaluation_url = parent.url
        parent.locator("main a:has-text('Schrijf op hoe het nu gaat')").first.click()
        parent.wait_for_load_state("networkidle")
        parent.fill("#value", "7")
        parent.fill("#note", f"Het gaat beter {run}")
        _submit(parent, "form[action$='/progress']")
        expect(parent.locator(".sp-flash--success")).to_be_visible()

        # 4. The coordinator fixes the plan as a version; both agree.
        pro.goto(f"{plan_url}/")
        pro.locator("form[action$='/versions/new'] button").first.click()
        pro.wait_for_load_state("networkidle")
        version_url = pro.url
        assert_accessible(pro)
        pro.check("input[name=answer][value=agree]")
        _submit(pro, "form:has(input[name=answer])")
        parent.goto(f"{plan_url}/")
        expect(parent.locator("#agreement-title ~ p").first).to_contain_text("Versie")
        parent.goto(version_url)
        parent.check("input[name=answer][value=agree_remark]")
        parent.fill("#remark", f"Graag meer tijd voor werk {run}")
        _submit(parent, "form:has(input[name=answer])")
        who = parent.locator("#answers-title ~ ul")
        expect(who).to_contain_text("Marieke Jansen")
        expect(who).to_contain_text(f"Graag meer tijd voor werk {run}")
        assert_accessible(parent)

        # 5. The coordinator writes the report; it is in the logbook.
        pro.goto(evaluation_url)
        pro.fill("#text", f"Samen teruggekeken {run}. Volgende keer over werk.")
        _submit(pro, "form[action$='/report']")
        pro.goto(f"{plan_url}/logbook")
        expect(pro.locator("main")).to_contain_text(f"Samen teruggekeken {run}")
        expect(pro.locator("main")).to_contain_text("Verslag van de evaluatie")
