"""Nothing but static files may be kept by a browser or proxy: every route of
``app.url_map`` answers with ``Cache-Control: no-store``, whatever the status.

Each endpoint is visited by the persona of the route sweep with the scenario's real ids:
GET, and POST for the routes that take one (with empty data: a refused form, a redirect, a
403 must not be cached either). A few answers that the sweep meets only by chance are asked
for on purpose: a 404, a 405, the login redirect and a static file.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.core.test_route_sweep import ENDPOINTS, METHODS, ROUTES, _path, _target, _user_for
from tests.scenario import Scenario

CASES = [(e, m) for e in ENDPOINTS for m in METHODS[e]]


def _assert_no_store(response: object, what: object) -> None:
    headers = response.headers  # type: ignore[attr-defined]
    assert "no-store" in headers.get("Cache-Control", ""), (what, headers.get("Cache-Control"))


def test_every_route_is_covered() -> None:
    # the sweep's table is the list of routes: a new route without a row fails there and here
    assert set(ENDPOINTS) == set(ROUTES), set(ENDPOINTS) ^ set(ROUTES)
    assert all(METHODS[e] for e in ENDPOINTS)


def test_number_of_routes_is_reported(capsys: pytest.CaptureFixture[str]) -> None:
    with capsys.disabled():
        print(f"\nno-store: {len(ENDPOINTS)} endpoints, {len(CASES)} endpoint × method cases")
    assert len(ENDPOINTS) >= 60


@pytest.mark.parametrize(("endpoint", "method"), CASES)
def test_no_store(
    endpoint: str,
    method: str,
    scenario: Scenario,
    as_persona: Callable[[str], FlaskClient],
) -> None:
    persona = ROUTES[endpoint][0]
    target = _target(scenario, endpoint, _user_for(scenario, persona))
    response = as_persona(persona).open(_path(endpoint, target.path_args), method=method, data={})
    _assert_no_store(response, (endpoint, method, response.status_code))


def test_answers_outside_the_routes_are_not_kept_either(
    as_persona: Callable[[str], FlaskClient],
) -> None:
    anonymous, coordinator = as_persona("anonymous"), as_persona("coordinator")
    login = anonymous.get("/plans/")
    assert login.status_code in (302, 303)
    _assert_no_store(login, "login redirect")
    missing = coordinator.get("/no-such-page")
    assert missing.status_code == 404
    _assert_no_store(missing, "404")
    wrong_method = coordinator.delete("/plans/")
    assert wrong_method.status_code == 405
    _assert_no_store(wrong_method, "405")


def test_static_files_may_be_cached(app: Flask, as_persona: Callable[[str], FlaskClient]) -> None:
    assert app.static_folder
    folder = Path(app.static_folder)
    name = next(p.relative_to(folder).as_posix() for p in sorted(folder.rglob("*.css")))
    response = as_persona("anonymous").get(f"/static/{name}")
    assert response.status_code == 200
    assert "no-store" not in response.headers.get("Cache-Control", "")
    assert "Pragma" not in response.headers
    response.close()
