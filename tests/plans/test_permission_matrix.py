"""The permission matrix: every route inside a plan × every persona × GET and POST.

The route list comes from ``app.url_map``: a new plan route without a row in ROUTES fails
``test_every_plan_route_has_an_expectation``. What each persona may do in plan A is written
out by hand in ALLOWED, independently of the policy code it checks."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient

from samenplan import create_app, guard
from samenplan.agenda.models import AgendaKind
from samenplan.agreements.services import create_version
from samenplan.clock import local_today
from samenplan.extensions import db
from samenplan.plans.guard import load_plan_access
from samenplan.screening.queries import scores_of
from samenplan.screening.services import start_own_view
from tests.conftest import TEST_CONFIG
from tests.scenario import PERSONAS, Scenario

VIEW, EDIT, PROGRESS, LOG, COMPLETE = "view", "edit", "progress", "log", "complete"
INVITE, HOUSEHOLD, REMOVE, CLOSE, REOPEN = "invite", "household", "remove", "close", "reopen"
HANDOVER, AUDIT, CONSENT, NETCONSENT = "handover", "audit", "consent", "netconsent"
RUN, OWN_VIEW, EXPORT, SURVEY = "run_screening", "own_view", "export", "survey"
CYCLE, ASK, ANSWER = "evaluation_cycle", "ask_agreement", "answer_agreement"
NETDEFAULT = "network_default"

#: (endpoint) -> {method: the right it needs}; a method not listed answers 405.
ROUTES: dict[str, dict[str, str]] = {
    "plans.overview": {"GET": VIEW},
    "plans.household": {"GET": VIEW, "POST": HOUSEHOLD},
    "plans.person_edit": {"GET": HOUSEHOLD, "POST": HOUSEHOLD},
    "plans.close": {"GET": CLOSE, "POST": CLOSE},
    "plans.municipality": {"POST": HOUSEHOLD},
    "plans.reopen": {"POST": REOPEN},
    "plans.participants": {"GET": VIEW, "POST": INVITE},
    "plans.participant_remove": {"POST": REMOVE},
    "plans.invitation_revoke": {"POST": INVITE},
    "plans.coordinator_set": {"POST": HANDOVER},
    "plans.consent_parents": {"POST": CONSENT},
    "plans.consent_network": {"POST": NETCONSENT},
    "plans.network_default": {"GET": VIEW, "POST": NETDEFAULT},
    "plans.goal_create": {"GET": EDIT, "POST": EDIT},
    "plans.goal": {"GET": VIEW},
    "plans.actions": {"GET": VIEW},
    "plans.goal_edit": {"GET": EDIT, "POST": EDIT},
    "plans.action_create": {"POST": EDIT},
    "plans.action_edit": {"GET": EDIT, "POST": EDIT},
    "plans.action_status": {"POST": COMPLETE},
    "plans.progress_add": {"POST": PROGRESS},
    "plans.logbook": {"GET": VIEW, "POST": LOG},
    "plans.audit": {"GET": AUDIT},
    "agenda.index": {"GET": VIEW},
    "agenda.create": {"GET": EDIT, "POST": EDIT},
    "agenda.edit": {"GET": EDIT, "POST": EDIT},
    "agenda.cancel": {"POST": EDIT},
    "screening.index": {"GET": VIEW},
    "screening.start": {"POST": RUN},
    "screening.show": {"GET": VIEW},
    "screening.edit": {"GET": RUN, "POST": RUN},  # a professional's draft
    "screening.own_view": {"POST": OWN_VIEW},
    "screening.correct": {"GET": RUN, "POST": RUN},  # a completed professional screening
    "screening.compare_two": {"GET": VIEW},
    "screening.timeline": {"GET": VIEW},
    # the parent's own view, a draft: only its author fills it in, one area at a time
    "screening_steps.resume": {"GET": OWN_VIEW},
    "screening_steps.step": {"GET": OWN_VIEW, "POST": OWN_VIEW},
    "screening_steps.done": {"GET": OWN_VIEW, "POST": OWN_VIEW},
    "reports.options": {"GET": VIEW},
    "reports.pdf": {"GET": VIEW},  # what is printed follows what the viewer may see
    "reports.export": {"GET": EXPORT},
    "monitoring.survey": {"GET": SURVEY, "POST": SURVEY},
    "evaluations.show": {"GET": VIEW},  # the plan's item is made an evaluation moment
    "evaluations.report": {"POST": LOG},
    "evaluations.cycle": {"POST": CYCLE},
    "agreements.index": {"GET": VIEW},
    "agreements.create": {"POST": ASK},
    # a version exists; only those asked answer it (the parent and the coordinator)
    "agreements.show": {"GET": VIEW, "POST": ANSWER},
}

#: What each persona may do in plan A (open, the child is under 12).
# fmt: off
ALLOWED: dict[str, set[str]] = {
    "client": {VIEW, EDIT, PROGRESS, LOG, COMPLETE, INVITE, HOUSEHOLD, REMOVE, AUDIT, NETCONSENT,
               OWN_VIEW, EXPORT, SURVEY, ANSWER, NETDEFAULT},
    "network": {VIEW, PROGRESS, LOG, COMPLETE, SURVEY},
    "professional": {VIEW, EDIT, PROGRESS, LOG, COMPLETE, RUN, SURVEY},
    "coordinator": {VIEW, EDIT, PROGRESS, LOG, COMPLETE, INVITE, HOUSEHOLD, REMOVE, CLOSE,
                    HANDOVER, AUDIT, RUN, EXPORT, SURVEY, CYCLE, ASK, ANSWER},
    "team_lead": {VIEW},
}
# fmt: on
#: Personas for whom plan A does not exist.
STRANGERS = {"other_client", "outsider", "other_team_lead", "policy", "admin"}

_APP = create_app({**TEST_CONFIG, "DATABASE_URL": "sqlite://"})
PLAN_ENDPOINTS = sorted(
    r.endpoint for r in _APP.url_map.iter_rules() if guard.is_plan_route(_APP, r.endpoint)
)
CASES = [(e, persona, m) for e in PLAN_ENDPOINTS for persona in PERSONAS for m in ("GET", "POST")]


def expected(endpoint: str, persona: str, method: str) -> str:
    needed = ROUTES[endpoint].get(method)
    if needed is None:
        return "405"
    if persona == "anonymous":
        return "login"
    if persona in STRANGERS:
        return "404"
    return "ok" if needed in ALLOWED[persona] else "403"


def url_for_case(app: Flask, endpoint: str, scenario: Scenario) -> str:
    a = scenario.a
    if endpoint.startswith("evaluations.") and a.item is not None:
        a.item.kind = AgendaKind.EVALUATION
        db.session.commit()
    if endpoint == "agreements.show":
        access = load_plan_access(scenario.users["coordinator"], a.plan.public_id)
        assert access is not None
        create_version(access, scenario.users["coordinator"], local_today())
        db.session.commit()
    screening_id = a.screening.id if a.screening else 0
    if endpoint == "screening.edit" and a.draft_screening:
        screening_id = a.draft_screening.id
    if endpoint.startswith("screening_steps.") and a.screening is not None:
        access = load_plan_access(scenario.users["client"], a.plan.public_id)
        assert access is not None
        domains = [s.domain_id for s in scores_of([a.screening.id])[a.screening.id]]
        screening_id = start_own_view(access, scenario.users["client"], a.screening, domains).id
        db.session.commit()
    rule = next(app.url_map.iter_rules(endpoint))
    args = {
        "plan_id": a.plan.public_id,
        "goal_id": a.goal.id if a.goal else 0,
        "action_id": a.action.id if a.action else 0,
        "item_id": a.item.id if a.item else 0,
        "person_id": a.persons["child"].id,
        "participation_id": a.participations["network"].id,
        "invitation_id": a.invitation.id if a.invitation else 0,
        "screening_id": screening_id,
        "number": 1,
        "subject": "household",
    }
    path = str(rule.rule)
    for name, value in args.items():
        path = re.sub(rf"<(?:int:)?{name}>", str(value), path)
    assert "<" not in path, path
    if endpoint == "screening.compare_two":
        path += f"?a={a.earlier_screening.id}&b={a.screening.id}"  # type: ignore[union-attr]
    return path


def outcome(status: int, location: str | None) -> str:
    if status in (301, 302, 303) and location and location.startswith("/login"):
        return "login"
    if status in (200, 302, 303):
        return "ok"
    return str(status)


def test_every_plan_route_has_an_expectation() -> None:
    assert PLAN_ENDPOINTS, "no plan routes found"
    assert set(PLAN_ENDPOINTS) == set(ROUTES), set(PLAN_ENDPOINTS) ^ set(ROUTES)


@pytest.mark.parametrize(("endpoint", "persona", "method"), CASES)
def test_permission_matrix(
    app: Flask,
    scenario: Scenario,
    as_persona: Callable[[str], FlaskClient],
    endpoint: str,
    persona: str,
    method: str,
) -> None:
    if endpoint not in ROUTES:
        pytest.fail(f"no expectation for {endpoint}")
    response = as_persona(persona).open(url_for_case(app, endpoint, scenario), method=method)
    got = outcome(response.status_code, response.headers.get("Location"))
    assert got == expected(endpoint, persona, method), (
        endpoint,
        persona,
        method,
        response.status_code,
    )


def test_matrix_size_is_reported(capsys: pytest.CaptureFixture[str]) -> None:
    with capsys.disabled():
        print(
            f"\npermission matrix: {len(CASES)} cases "
            f"({len(PLAN_ENDPOINTS)} routes × {len(PERSONAS)} personas × 2 methods)"
        )
    assert len(CASES) == len(PLAN_ENDPOINTS) * len(PERSONAS) * 2
