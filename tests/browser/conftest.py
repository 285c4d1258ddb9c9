"""A real server (the CLI's db upgrade, demo and run) and Debian's Chromium via Playwright.

The server gets a database of its own: a temporary SQLite file, or a new PostgreSQL database
next to TEST_DATABASE_URL when that is set.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from tests import live

CHROMIUM = "/usr/bin/chromium"
DEMO_PASSWORD = live.DEMO_PASSWORD
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def server_database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with live.fresh_database(
        os.environ.get("TEST_DATABASE_URL"), tmp_path_factory.mktemp("browser"), "browser"
    ) as url:
        yield url


@pytest.fixture(scope="session")
def server_outbox(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("outbox")


@pytest.fixture(scope="session")
def live_server(
    server_database: str, server_outbox: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    logs = tmp_path_factory.mktemp("server")
    env = {
        "MAIL_OUTBOX": str(server_outbox),
        "PRINT_JOBS_DIR": str(tmp_path_factory.mktemp("print-jobs")),
        "MAIL_SERVER": "",
        **os.environ,
        "DATABASE_URL": server_database,
        "QUEUE_URL": f"sqlite:///{logs / 'queue.db'}",
        "SAMENPLAN_ENV": "development",
        "TOTP_REQUIRED": "0",
        **live.CHEAP_ARGON2,
        "LOGIN_LIMIT_ADDRESS": "1000 per 15 minutes",
    }
    live.prepare(env, DEMO_PASSWORD)
    port = live.free_port()
    # as make run serves it: gunicorn with the queue worker beside it
    with (
        live.queue_worker(env, logs / "worker.log"),
        live.serve(live.gunicorn_command(port), env, logs / "server.log", port=port) as server,
    ):
        yield server.url


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(params=["nl", "en"])
def language(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def page(browser: Browser, language: str) -> Iterator[Page]:
    """A phone-sized page (360 px wide) whose browser asks for ``language``."""
    with phone(browser, language) as page:
        yield page


@contextlib.contextmanager
def phone(browser: Browser, language: str = "nl") -> Iterator[Page]:
    """A fresh browser profile on a 360 px wide screen, failing on script or CSP errors."""
    context = browser.new_context(
        viewport={"width": 360, "height": 740},
        locale="nl-NL" if language == "nl" else "en-GB",
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    problems: list[str] = []
    # Script errors, CSP violations and missing CSS/scripts; error pages themselves are fine.
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on(
        "console",
        lambda m: (
            problems.append(m.text)
            if m.type == "error" and not m.text.startswith("Failed to load resource")
            else None
        ),
    )
    page.on(
        "response",
        lambda r: (
            problems.append(f"{r.status} {r.url}")
            if r.status >= 400 and r.request.resource_type != "document"
            else None
        ),
    )
    try:
        yield page
    finally:
        context.close()
    # A CSP violation or a script error shows up here.
    assert problems == []


def log_in(page: Page, base: str, email: str, password: str = DEMO_PASSWORD) -> None:
    """Log in through the real form, as a user would."""
    page.goto(f"{base}/login")
    page.fill("#email", email)
    page.fill("#password", password)
    page.click("main button[type=submit]")
    page.wait_for_load_state("networkidle")


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """Run axe-core in the page; every rule it has, WCAG 2.1 AA and best practices.

    axe is loaded from our own origin (the Makefile puts it beside the NL Design System CSS),
    so the page's strict Content-Security-Policy stays on while it runs."""
    base = page.url.split("/", 3)
    page.add_script_tag(url=f"{base[0]}//{base[2]}/static/vendor/axe/axe.min.js")
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return list(result["violations"])


def assert_accessible(page: Page) -> None:
    violations = axe_violations(page)
    summary = [
        {"rule": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in violations
    ]
    assert violations == [], f"{page.url}: {json.dumps(summary, indent=1)}"
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{page.url} scrolls sideways by {overflow}px at 360 px wide"
