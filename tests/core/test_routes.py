"""Every route is either explicitly public or protected by the one policy."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient

from samenplan import guard

#: The complete allow-list of pages reachable without logging in. Adding a public route
#: means adding it here, on purpose.
PUBLIC_ENDPOINTS = {
    "static",
    "core.index",
    "core.language_set",
    "core.health",
    "core.favicon",  # browsers ask for it on every page
    "accounts.login",
    "invitations.show",
    "calendar.feed_ics",  # the secret link is the key (a calendar app cannot log in)
    "reminders.one_click",  # the signed link in a reminder mail
}


def _sample_url(rule: object) -> str:
    """A URL for ``rule`` with harmless sample values for its arguments."""
    path = str(rule)
    path = re.sub(r"<int:[^>]+>", "1", path)
    path = re.sub(r"<path:[^>]+>", "x/y.css", path)
    return re.sub(r"<(?:string:)?[^>]+>", "x", path)


def test_every_route_is_public_or_protected(app: Flask) -> None:
    assert guard.unmarked_endpoints(app) == []
    public = {
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if guard.route_policy(app, rule.endpoint) == guard.PUBLIC
    }
    assert public == PUBLIC_ENDPOINTS


def test_start_up_check_names_an_unmarked_route() -> None:
    bare = Flask("bare")

    @bare.get("/marked")
    @guard.public
    def marked() -> str:
        return "ok"

    @bare.get("/naked")
    def naked() -> str:
        return "no policy"

    with pytest.raises(RuntimeError, match="naked") as error:
        guard.check_routes(bare)
    assert "marked" not in str(error.value).replace("unmarked", "")


def _protected_rules(app: Flask) -> list[tuple[str, str]]:
    cases = []
    for rule in app.url_map.iter_rules():
        if guard.route_policy(app, rule.endpoint) == guard.PUBLIC:
            continue
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            cases.append((_sample_url(rule), method))
    return cases


def test_anonymous_requests_to_protected_routes_go_to_login(
    app: Flask, client: FlaskClient
) -> None:
    cases = _protected_rules(app)
    assert len(cases) > 10
    for url, method in cases:
        response = client.open(url, method=method)
        assert response.status_code == 302, (method, url, response.status_code)
        location = response.headers["Location"]
        assert location.startswith("/login"), (method, url, location)
        if method == "GET":
            assert "next=" in location, (url, location)


def test_the_favicon_answers_instead_of_a_404(client: FlaskClient) -> None:
    with client.get("/favicon.ico") as icon:
        assert icon.status_code == 200 and icon.mimetype == "image/svg+xml"
        assert icon.data.startswith(b"<svg")
    page = client.get("/login").get_data(as_text=True)
    linked = re.search(r'<link rel="icon" href="([^"]+)"', page)
    assert linked
    with client.get(linked.group(1)) as static:
        assert static.status_code == 200
