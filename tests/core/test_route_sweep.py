"""No input gives a 500: a hypothesis sweep over every route of ``app.url_map``.

For each endpoint, a user who may use it sends GET with odd values for every query-string
parameter the views read, and POST with odd values for every field of the forms the route
accepts (names taken from the form classes), mixed with valid values so that some requests
get past validation into the services and the database. Odd path values (huge ids, NUL in
a plan id) get a sweep of their own. The status must stay below 500.
"""

from __future__ import annotations

import datetime as dt
import itertools
import logging
import re
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from werkzeug.datastructures import ImmutableMultiDict, MultiDict
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    IntegerField,
    PasswordField,
    SelectFieldBase,
    TimeField,
)
from wtforms.fields.core import UnboundField

from samenplan import create_app
from samenplan.accounts import forms as account_forms
from samenplan.accounts.models import Role, User, UserSession
from samenplan.agenda.forms import AgendaForm
from samenplan.agenda.models import AgendaKind, CalendarFeed
from samenplan.agreements.forms import AnswerForm
from samenplan.agreements.models import PlanVersion
from samenplan.agreements.services import create_version
from samenplan.clock import local_today
from samenplan.core import forms as core_forms
from samenplan.core.forms import Form
from samenplan.core.tokens import token_hash
from samenplan.domains import life_domains
from samenplan.evaluations.forms import CycleForm, ReportForm
from samenplan.extensions import db
from samenplan.monitoring.forms import survey_form_class
from samenplan.monitoring.models import SurveyGroup
from samenplan.monitoring.surveys import surveys
from samenplan.plans import forms as plan_forms
from samenplan.plans.guard import load_plan_access
from samenplan.reminders.forms import RemindersForm
from samenplan.reports import jobs, summary
from samenplan.reports.forms import SummaryForm
from samenplan.screening import forms as screening_forms
from samenplan.screening import steps as screening_steps
from samenplan.screening.queries import scores_of
from samenplan.screening.services import start_own_view
from tests.conftest import PASSWORD, TEST_CONFIG
from tests.scenario import Scenario

PACKAGE = Path(__file__).resolve().parents[2] / "samenplan"


def _names_read_from(source: str) -> set[str]:
    found: set[str] = set()
    for path in PACKAGE.rglob("*.py"):
        pattern = rf"request\.(?:{source})\.get(?:list)?\(\s*\"([\w-]+)\""
        found.update(re.findall(pattern, path.read_text(encoding="utf-8")))
    return found


#: Query-string names: every one a view reads, found by scanning, and a few more.
QUERY_NAMES = sorted(
    _names_read_from("args|values")
    | {"page", "since", "until", "sections", "domain", "person", "next", "month", "a", "b", "q"}
)
#: Form values that views read by hand, outside a form class.
RAW_FORM_NAMES = sorted(_names_read_from("form|values"))

F = tuple[type[Form], str | None]  # a form class and its prefix
DOMAIN_FORMS: list[F] = [(screening_forms.DomainForm, f"d-{d}") for d in sorted(life_domains())]

#: endpoint -> (who uses it, the forms it accepts). A route missing here fails
#: test_every_route_is_swept, so a new route cannot slip past the sweep.
ROUTES: dict[str, tuple[str, list[F]]] = {
    "accounts.login": ("anonymous", [(account_forms.LoginForm, None)]),
    "accounts.logout": ("coordinator", [(core_forms.ConfirmForm, None)]),
    "accounts.password_change": ("coordinator", [(account_forms.PasswordChangeForm, None)]),
    "accounts.profile": ("coordinator", [(account_forms.ProfileForm, None)]),
    "accounts.session_end": ("coordinator", [(core_forms.ConfirmForm, None)]),
    "accounts.sessions": ("coordinator", []),
    "accounts.sessions_end_others": ("coordinator", [(core_forms.ConfirmForm, None)]),
    "accounts.totp_disable": ("coordinator", [(account_forms.TotpDisableForm, None)]),
    "accounts.totp_setup": ("coordinator", [(account_forms.TotpEnableForm, None)]),
    "admin.index": ("admin", []),
    "admin.organisations": ("admin", [(account_forms.OrganisationForm, None)]),
    "admin.teams": ("admin", [(account_forms.TeamForm, None)]),
    "admin.user_create": ("admin", [(account_forms.UserCreateForm, None)]),
    "admin.user_edit": ("admin", [(account_forms.UserEditForm, None)]),
    "admin.user_password_reset": ("admin", [(account_forms.PasswordResetForm, "reset")]),
    "admin.user_monitored": ("admin", [(account_forms.MonitoredForm, "monitored")]),
    "admin.users": ("admin", []),
    "agenda.create": ("coordinator", [(AgendaForm, None)]),
    "agenda.edit": ("coordinator", [(AgendaForm, None)]),
    "agenda.index": ("coordinator", []),
    "agenda.cancel": ("coordinator", [(core_forms.ConfirmForm, None)]),
    "calendar.feed_ics": ("anonymous", []),
    "evaluations.show": ("coordinator", []),
    "agreements.index": ("coordinator", []),
    "agreements.create": ("coordinator", [(core_forms.CreateButtonForm, None)]),
    "agreements.show": ("client", [(AnswerForm, None)]),
    "reminders.settings": ("client", [(RemindersForm, None)]),
    "reminders.one_click": ("anonymous", [(core_forms.ConfirmForm, None)]),
    "evaluations.report": ("coordinator", [(ReportForm, None)]),
    "evaluations.cycle": ("coordinator", [(CycleForm, None)]),
    "calendar.settings": ("client", []),
    "calendar.new_link": ("client", [(core_forms.ConfirmForm, None)]),
    "calendar.stop": ("client", [(core_forms.ConfirmForm, None)]),
    "core.health": ("anonymous", []),
    "core.favicon": ("anonymous", []),
    "core.index": ("coordinator", []),
    "core.language_set": ("coordinator", [(core_forms.LanguageForm, "lang")]),
    "invitations.show": ("anonymous", [(plan_forms.InvitedAccountForm, None)]),
    "plans.action_create": ("coordinator", [(plan_forms.ActionForm, None)]),
    "plans.actions": ("coordinator", []),
    "plans.action_edit": ("coordinator", [(plan_forms.ActionForm, None)]),
    "plans.action_status": ("coordinator", [(plan_forms.ActionStatusForm, None)]),
    "plans.audit": ("coordinator", []),
    "plans.close": ("coordinator", [(plan_forms.CloseForm, None)]),
    "plans.municipality": ("coordinator", [(plan_forms.MunicipalityForm, None)]),
    "plans.consent_network": ("client", [(plan_forms.ConsentForm, None)]),
    "plans.network_default": ("client", [(plan_forms.NetworkDefaultForm, None)]),
    "plans.consent_parents": ("coordinator", [(plan_forms.ConsentForm, None)]),
    "plans.coordinator_set": ("coordinator", [(plan_forms.HandOverForm, None)]),
    "plans.create": ("coordinator", [(plan_forms.PlanCreateForm, None)]),
    "plans.goal": ("coordinator", []),
    "plans.goal_create": ("coordinator", [(plan_forms.GoalForm, None)]),
    "plans.goal_edit": ("coordinator", [(plan_forms.GoalForm, None)]),
    "plans.household": ("coordinator", [(plan_forms.PersonForm, None)]),
    "plans.index": ("coordinator", []),
    "plans.invitation_revoke": ("coordinator", [(core_forms.ConfirmForm, None)]),
    "plans.logbook": ("coordinator", [(plan_forms.LogForm, None)]),
    "plans.my_actions": ("client", []),
    "plans.overview": ("coordinator", []),
    "plans.participant_remove": ("coordinator", [(core_forms.ConfirmForm, None)]),
    "plans.participants": ("coordinator", [(plan_forms.InviteForm, None)]),
    "plans.person_edit": ("coordinator", [(plan_forms.PersonForm, None)]),
    "plans.progress_add": ("coordinator", [(plan_forms.ProgressForm, None)]),
    "plans.reopen": ("coordinator", [(core_forms.ConfirmForm, None)]),
    "plans.team": ("team_lead", []),
    "monitoring.index": ("team_lead", []),
    "monitoring.export": ("team_lead", []),
    "monitoring.survey": (
        "coordinator",
        [(survey_form_class(surveys().groups[SurveyGroup.PROFESSIONAL], "nl"), None)],
    ),
    "print_runs.choose": ("team_lead", [(core_forms.CreateButtonForm, None)]),
    "print_runs.download": ("team_lead", []),
    "print_runs.status": ("team_lead", []),
    "print_runs.status_json": ("team_lead", []),
    "reports.export": ("coordinator", []),
    "reports.options": ("coordinator", [(SummaryForm, None)]),
    "reports.pdf": ("coordinator", [(SummaryForm, None)]),
    "screening.compare_two": ("coordinator", []),
    "screening.correct": ("coordinator", [(screening_forms.CorrectionForm, None)]),
    "screening.edit": ("coordinator", [(screening_forms.ScreeningForm, None), *DOMAIN_FORMS]),
    "screening.index": ("coordinator", []),
    "screening.own_view": ("client", [(screening_forms.ScreeningForm, None)]),
    "screening.show": ("coordinator", []),
    "screening.start": ("coordinator", [(screening_forms.StartForm, "start")]),
    "screening.timeline": ("coordinator", []),
    "screening_steps.done": ("client", [(screening_steps.DoneForm, None)]),
    "screening_steps.resume": ("client", []),
    "screening_steps.step": ("client", [(screening_steps.StepForm, None)]),
}
#: Not swept: static files are served by Werkzeug from disk, with no view code of ours.
SKIPPED = {"static"}
#: Pages that render a PDF (or a print run of them) take a second each: fewer examples.
SLOW = {"reports.pdf", "print_runs.choose", "print_runs.download"}

_APP = create_app({**TEST_CONFIG, "DATABASE_URL": "sqlite://"})
ENDPOINTS = sorted({r.endpoint for r in _APP.url_map.iter_rules()} - SKIPPED)
METHODS = {
    e: sorted(
        set().union(*(r.methods or set() for r in _APP.url_map.iter_rules(e))) & {"GET", "POST"}
    )
    for e in ENDPOINTS
}

# --- values ---------------------------------------------------------------------------------

ODD_TEXT = [
    "",
    " ",
    "0",
    "-1",
    "1.5",
    "1e9",
    "NaN",
    "None",
    "null",
    "2147483648",
    "-2147483649",
    "9223372036854775808",
    "9" * 100,
    "-" + "9" * 100,
    "\u0663",  # Arabic-Indic three: str.isdigit() says yes
    "\u00b2",  # superscript two: isdigit() yes, int() no
    "1_000",
    "0001-01-01",
    "9999-12-31",
    "1899-12-31",
    "2201-01-01",
    "2026-02-30",
    "31-12-2026",
    "24:00",
    "23:59:59",
    "\x00",
    "a\x00b",
    "\x1b[31m\x07",
    "line\r\nbreak",
    "x" * 5000,
    "é" * 300,
    "😀",
    "\u202e",
    "<script>alert(1)</script>",
    "//evil.example",
    "https://evil.example/",
    "javascript:alert(1)",
    "\r\nSet-Cookie: x=1",
    "%00",
    "../../etc/passwd",
    "housing:own",
    "nope:own",
    "household",
    "complete",
    "draft",
    "mine",
]
#: Per kind of field, the values most likely to break something, drawn more often.
ODD_DATES = ["0001-01-01", "9999-12-31", "1899-12-31", "2201-01-01", "2026-02-30", "31-12-2026"]
ODD_NUMBERS = ["9223372036854775808", "9" * 100, "-" + "9" * 100, "2147483648", "-1", "\u00b2"]
ODD_STRINGS = ["a\x00b", "\x00", "x" * 5000, "\x1b[31m\x07", "é😀\u202e"]
#: What every query-string name the view reads gets, one at a time.
PROBES = [*ODD_DATES[:2], *ODD_NUMBERS[:3], "\u00b2", "a\x00b", "x" * 5000, ""]

odd_values = st.one_of(
    st.sampled_from(ODD_DATES + ODD_NUMBERS + ODD_STRINGS),
    st.sampled_from(ODD_TEXT),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.dates().map(dt.date.isoformat),
    st.text(max_size=40),
)


def _odd(unbound: UnboundField | None) -> st.SearchStrategy[str]:
    """Odd values, most of them of the kind that could break this field."""
    cls = unbound.field_class if unbound is not None else None
    if cls is not None and issubclass(cls, DateField):
        likely = ODD_DATES
    elif cls is not None and issubclass(cls, IntegerField | SelectFieldBase):
        likely = ODD_NUMBERS
    else:
        likely = ODD_STRINGS + ODD_NUMBERS[:2] + ODD_DATES[:2]
    return st.one_of(st.sampled_from(likely), st.sampled_from(likely), odd_values)


def _choices(unbound: UnboundField) -> list[str]:
    choices = unbound.kwargs.get("choices") or []
    return [str(c[0]) if isinstance(c, tuple) else str(c.value) for c in choices]


def _valid(unbound: UnboundField, pool: list[str]) -> st.SearchStrategy[str]:
    """A value this field would accept, so some requests pass validation."""
    cls = unbound.field_class
    if issubclass(cls, DateField):
        return st.sampled_from(["2026-06-01", "2019-01-01", dt.date.today().isoformat()])
    if issubclass(cls, TimeField):
        return st.sampled_from(["10:00", "23:30", "00:15"])
    if issubclass(cls, IntegerField):
        return st.integers(0, 100).map(str)
    if issubclass(cls, BooleanField):
        return st.just("y")
    if issubclass(cls, EmailField):
        return st.sampled_from(["nieuw@example.test", "regie@example.test"])
    if issubclass(cls, PasswordField):
        return st.sampled_from([PASSWORD, "een-heel-ander-lang-wachtwoord-7"])
    if issubclass(cls, SelectFieldBase):
        return st.sampled_from(_choices(unbound) or pool)
    return st.sampled_from(["Tekst", "1", "Een zin met\ttab en\nregel."])


def _fields(forms: list[F]) -> dict[str, UnboundField]:
    """Every field name a form posts, with its prefix, taken from the form classes."""
    fields: dict[str, UnboundField] = {}
    for form, prefix in forms:
        for attr in dir(form):
            unbound = getattr(form, attr, None)
            if isinstance(unbound, UnboundField):
                fields[f"{prefix}-{attr}" if prefix else attr] = unbound
    return fields


@st.composite
def field_values(
    draw: st.DrawFn,
    names: dict[str, UnboundField | None],
    pool: list[str],
    *,
    often: frozenset[str] = frozenset(),
    absent: bool = False,
) -> list[tuple[str, str]]:
    """Values for ``names``: mostly valid, some odd, some left out, some twice. With
    ``absent`` a name is mostly left out, except the names in ``often``."""
    data: list[tuple[str, str]] = []
    for name, unbound in names.items():
        if absent and name not in often:
            hows = ["leave out"] * 8 + ["odd", "valid"]
        elif absent:
            hows = ["leave out", "odd", "odd", "odd", "valid", "twice"]
        else:
            hows = ["valid"] * 6 + ["odd", "odd", "leave out", "twice"]
        how = draw(st.sampled_from(hows))
        if how == "leave out":
            continue
        valid = _valid(unbound, pool) if unbound is not None else st.sampled_from(pool)
        for _ in range(2 if how == "twice" else 1):
            value = draw(valid if how == "valid" else _odd(unbound))
            data.append((name, value))
    return data


# --- the scenario's ids ------------------------------------------------------------------------


@dataclass
class Target:
    path_args: dict[str, Any]
    pool: list[str] = field(default_factory=list)


def _target(scenario: Scenario, endpoint: str, user: User | None) -> Target:
    a = scenario.a
    assert a.goal and a.action and a.item and a.invitation and a.screening and a.draft_screening
    a.invitation.token_hash = token_hash("sweep-token")
    session_id = 0
    if user is not None:
        session_id = (
            db.session.scalar(
                select(UserSession.id)
                .where(UserSession.user_id == user.id)
                .order_by(UserSession.id.desc())
            )
            or 0
        )
    job_id = "none"
    if endpoint.startswith("evaluations."):
        a.item.kind = AgendaKind.EVALUATION
    if endpoint == "agreements.show" and not db.session.scalar(select(PlanVersion.id)):
        coordinator = scenario.users["coordinator"]
        access = load_plan_access(coordinator, a.plan.public_id)
        assert access is not None
        create_version(access, coordinator, local_today())
    if endpoint == "calendar.feed_ics" and not db.session.scalar(select(CalendarFeed.id)):
        db.session.add(
            CalendarFeed(user_id=scenario.users["network"].id, token_hash=token_hash("sweep-token"))
        )
    screening_id = (a.draft_screening if endpoint == "screening.edit" else a.screening).id
    if endpoint.startswith("screening_steps."):
        client = scenario.users["client"]
        access = load_plan_access(client, a.plan.public_id)
        assert access is not None
        domains = [s.domain_id for s in scores_of([a.screening.id])[a.screening.id]]
        screening_id = start_own_view(access, client, a.screening, domains).id
    if endpoint.startswith("print_runs.") and endpoint != "print_runs.choose":
        job = jobs.create_job(scenario.users["team_lead"], [a.plan.id], summary.Options(), "nl")
        job_id = job.public_id
    db.session.commit()
    args = {
        "plan_id": a.plan.public_id,
        "goal_id": a.goal.id,
        "action_id": a.action.id,
        "item_id": a.item.id,
        "person_id": a.persons["child" if endpoint != "plans.consent_network" else "parent"].id,
        "participation_id": a.participations["network"].id,
        "invitation_id": a.invitation.id,
        "screening_id": screening_id,
        "session_id": session_id,
        "user_id": scenario.users["client"].id,
        "job_id": job_id,
        "token": "sweep-token",
        "table_id": "closures",
        "number": 1,
        "subject": str(a.persons["parent"].id),
    }
    ids = {
        *(str(p.id) for p in a.persons.values()),
        *(str(p.id) for p in a.participations.values()),
        *(str(u.id) for u in scenario.users.values()),
        str(a.plan.id),
        str(scenario.b.plan.id),
        str(a.screening.id),
        str(a.earlier_screening.id if a.earlier_screening else 0),
    }
    pool = [
        *sorted(ids),
        "household",
        "finances",
        "housing",
        "zrm-2017",
        "zrm-huishouden",
        *(r.value for r in Role),
        "parent",
        "child",
        "network",
        "appointment",
        "open",
        "done",
        "2026-05",
    ]
    return Target(path_args=args, pool=pool)


def _path(endpoint: str, args: dict[str, Any]) -> str:
    rule = next(_APP.url_map.iter_rules(endpoint))
    path = str(rule.rule)
    for name, value in args.items():
        path = re.sub(rf"<(?:int:)?{name}>", quote(str(value), safe=""), path)
    assert "<" not in path, path
    return path


# --- the sweep ---------------------------------------------------------------------------------


_READ: set[str] = set()


class _RecordingArgs(ImmutableMultiDict[str, str]):
    """Query string and form data that note which names a view reads."""

    def get(self, key: str, default: Any = None, type: Any = None) -> Any:
        _READ.add(key)
        return super().get(key, default, type)

    def getlist(self, key: str, type: Any = None) -> Any:
        _READ.add(key)
        return super().getlist(key, type)

    def __getitem__(self, key: str) -> Any:
        _READ.add(key)
        return super().__getitem__(key)

    def __contains__(self, key: object) -> bool:
        _READ.add(str(key))
        return super().__contains__(key)


@pytest.fixture
def names_read(app: Flask, monkeypatch: pytest.MonkeyPatch) -> set[str]:
    monkeypatch.setattr(app.request_class, "parameter_storage_class", _RecordingArgs)
    _READ.clear()
    return _READ


class _Errors(logging.Handler):
    """Keeps the tracebacks the error handler logs, to show them with a failing case."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.seen: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.exc_info:
            self.seen.append("".join(traceback.format_exception(*record.exc_info)))


@pytest.fixture
def server_errors(app: Flask) -> Iterator[_Errors]:
    handler = _Errors()
    app.logger.addHandler(handler)
    try:
        yield handler
    finally:
        app.logger.removeHandler(handler)


def _user_for(scenario: Scenario, persona: str) -> User | None:
    return None if persona == "anonymous" else scenario.users[persona]


def _check(response: Any, errors: _Errors, what: object) -> None:
    assert response.status_code < 500, (what, response.status_code, errors.seen[-1:])
    # nothing here runs at the same time: a conflict page would hide a bug (an integrity error)
    assert response.status_code != 409, (what, response.get_data(as_text=True)[-800:])


SETTINGS = {
    "deadline": None,
    "suppress_health_check": [HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    "database": None,
}


def test_every_route_is_swept() -> None:
    assert set(ENDPOINTS) == set(ROUTES), set(ENDPOINTS) ^ set(ROUTES)


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_no_input_gives_a_server_error(
    endpoint: str,
    scenario: Scenario,
    as_persona: Callable[[str], FlaskClient],
    server_errors: _Errors,
    names_read: set[str],
) -> None:
    persona, forms = ROUTES[endpoint]
    fields = _fields(forms)
    form_names: dict[str, UnboundField | None] = {**dict.fromkeys(RAW_FORM_NAMES), **fields}
    query_names: dict[str, UnboundField | None] = dict.fromkeys(QUERY_NAMES)
    if endpoint.startswith("reports."):  # the summary form is read from the query string
        query_names.update(fields)
    methods = METHODS[endpoint]

    # a plain visit first, to learn which query-string names the view reads
    target = _target(scenario, endpoint, _user_for(scenario, persona))
    for method in methods:
        response = as_persona(persona).open(_path(endpoint, target.path_args), method=method)
        _check(response, server_errors, (method, "plain visit"))
    read = frozenset(names_read) | (frozenset(fields) if endpoint.startswith("reports.") else set())
    query_names.update(dict.fromkeys(read - set(query_names)))
    # then each of those names with each odd value, one at a time
    client = as_persona(persona)
    for method, name, value in itertools.product(methods, sorted(read), PROBES):
        sent = {name: value}
        response = client.open(
            _path(endpoint, target.path_args),
            method=method,
            query_string=sent,
            data=sent if method == "POST" else None,
        )
        _check(response, server_errors, (method, name, value[:100]))

    inputs = len(fields) if "POST" in methods else 0
    examples = 4 if endpoint in SLOW else min(30, 4 + 2 * inputs + 2 * len(read))

    @settings(max_examples=examples, **SETTINGS)
    @given(data=st.data())
    def sweep(data: st.DataObject) -> None:
        client = as_persona(persona)
        target = _target(scenario, endpoint, _user_for(scenario, persona))
        method = data.draw(st.sampled_from(methods), label="method")
        query = data.draw(
            field_values(query_names, target.pool, often=read, absent=True), label="query"
        )
        form = (
            data.draw(field_values(form_names, target.pool), label="form")
            if method == "POST"
            else []
        )
        url = _path(endpoint, target.path_args)
        response = client.open(
            url, method=method, query_string=MultiDict(query), data=MultiDict(form)
        )
        _check(response, server_errors, (method, url, query, form))

    sweep()


#: Odd values for the variable parts of a URL.
PATH_INTS = ["0", "2147483648", "9223372036854775808", "9" * 5000]
PATH_STRINGS = ["\x00", "x" * 1000, "é😀", " "]


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_no_path_value_gives_a_server_error(
    endpoint: str,
    scenario: Scenario,
    as_persona: Callable[[str], FlaskClient],
    server_errors: _Errors,
) -> None:
    persona = ROUTES[endpoint][0]
    target = _target(scenario, endpoint, _user_for(scenario, persona))
    rule = next(_APP.url_map.iter_rules(endpoint))
    client = as_persona(persona)
    for name, converter in rule._converters.items():
        values = PATH_INTS if "Integer" in type(converter).__name__ else PATH_STRINGS
        for value in values:
            url = _path(endpoint, {**target.path_args, name: value})
            response = client.open(url, method=METHODS[endpoint][0])
            _check(response, server_errors, (url[:200],))
