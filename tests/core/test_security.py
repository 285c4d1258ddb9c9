"""Security headers and templates without inline scripts or styles (strict CSP)."""

from __future__ import annotations

import re
from pathlib import Path

from flask.testing import FlaskClient

TEMPLATES = Path(__file__).resolve().parents[2] / "samenplan" / "templates"


def test_every_page_gets_strict_headers(client: FlaskClient) -> None:
    response = client.get("/login")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Cache-Control"] == "no-store"
    assert "Strict-Transport-Security" not in response.headers  # development: no HSTS


def test_templates_have_no_inline_scripts_handlers_or_styles() -> None:
    offenders = []
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text()
        for pattern in (
            r"<script(?![^>]*\bsrc=)[^>]*>",
            r"\son[a-z]+\s*=",
            r"\sstyle\s*=",
            r"<style",
        ):
            if re.search(pattern, text, flags=re.IGNORECASE):
                offenders.append(f"{path.name}: {pattern}")
    assert offenders == []


def test_health_check(client: FlaskClient) -> None:
    response = client.get("/health")
    assert response.status_code == 200 and response.json == {"status": "ok"}
