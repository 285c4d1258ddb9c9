"""Reminder mails: found as each person may see their plans, sent by their choice per kind,
never twice (two runs over a frozen clock), with no care content, and a link in every mail
that turns them off without logging in."""

from __future__ import annotations

import datetime as dt
import email
import re
from collections.abc import Callable
from pathlib import Path

import pytest
import time_machine
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from samenplan.accounts.models import UserSession
from samenplan.agenda.models import AgendaItem, AgendaKind
from samenplan.clock import AMSTERDAM
from samenplan.extensions import db
from samenplan.plans.models import LogEntry
from samenplan.reminders.models import Frequency, Reminder, ReminderKind, ReminderSetting
from samenplan.reminders.send import run
from tests.scenario import Scenario

#: a Tuesday morning, after the digest hour
MORNING = dt.datetime(2026, 12, 8, 8, 0, tzinfo=AMSTERDAM)


def _mails(outbox: Path) -> dict[str, list[str]]:
    """Recipient -> the mail bodies in the outbox."""
    found: dict[str, list[str]] = {}
    for path in sorted(outbox.glob("*.eml")):
        message = email.message_from_bytes(path.read_bytes())
        body = message.get_payload(decode=True).decode()  # type: ignore[union-attr]
        found.setdefault(str(message["To"]), []).append(body)
    return found


def _tomorrow(scenario: Scenario, title: str, *, shared: bool) -> None:
    db.session.add(
        AgendaItem(
            plan_id=scenario.a.plan.id,
            title=title,
            kind=AgendaKind.APPOINTMENT,
            starts_at=MORNING + dt.timedelta(days=1, hours=2),
            shared_with_network=shared,
            expected=[],
        )
    )


@pytest.fixture
def region(scenario: Scenario, app: Flask, monkeypatch: pytest.MonkeyPatch) -> Scenario:
    monkeypatch.setitem(app.config, "PUBLIC_URL", "https://samenplan.example")
    with time_machine.travel(MORNING - dt.timedelta(hours=1), tick=False):
        _tomorrow(scenario, "Afspraak bij de schuldhulp", shared=False)
        db.session.add(
            LogEntry(
                plan_id=scenario.a.plan.id,
                author_id=scenario.users["coordinator"].id,
                text="Bericht voor iedereen",
                shared_with_network=True,
            )
        )
        for part in scenario.a.participations.values():
            part.created_at = MORNING - dt.timedelta(days=30)
        db.session.commit()
    return scenario


def test_two_runs_send_each_reminder_once_without_care_content(
    app: Flask, region: Scenario, outbox: Path
) -> None:
    with time_machine.travel(MORNING, tick=False):
        found, sent = run(app, MORNING)
        again = run(app, MORNING)
    assert found > 0 and sent >= 2
    assert again == (0, 0)
    mails = _mails(outbox)
    parent = mails["ouder@example.test"]
    assert len(parent) == 1  # one digest for everything of this morning
    body = parent[0]
    # the scenario's two appointments in three days (tomorrow here) and the one added
    assert "3 afspraken morgen" in body and "1 nieuw bericht in het logboek" in body
    # the network is reminded only of what it may see: not the two kept from it
    [network] = mails["oma@example.test"]
    assert "1 afspraak morgen" in network and "2 nieuwe berichten" in network
    assert "1 actie van jou" in network  # the scenario's overdue action is grandma's
    # no care content: no goal, no appointment, no household name, no message text
    for text in (body, network):
        for secret in (
            "Gedeeld doel",
            "Prive doel",
            "schuldhulp",
            "Kind",
            "Plan A",
            "Bericht voor",
        ):
            assert secret not in text
    assert "https://samenplan.example/plans/" in body
    # the next morning the same reminders are not sent again
    next_day = MORNING + dt.timedelta(days=1)
    with time_machine.travel(next_day, tick=False):
        run(app, next_day)
    assert len(_mails(outbox)["oma@example.test"]) == 1


def test_a_run_that_dies_after_its_findings_resumes_without_duplicates(
    app: Flask, region: Scenario, outbox: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from samenplan.reminders import send

    calls = {"n": 0}
    real = send.send_mail

    def flaky(to: str, subject: str, body: str) -> Path | None:
        calls["n"] += 1
        if calls["n"] == 2:
            raise ConnectionError("SMTP went away")
        return real(to, subject, body)

    monkeypatch.setattr(send, "send_mail", flaky)
    with time_machine.travel(MORNING, tick=False):
        run(app, MORNING)  # the second mail fails: its reminders are handed back
        run(app, MORNING)  # and go out now, the first person's not again
    mails = _mails(outbox)
    assert all(len(bodies) == 1 for bodies in mails.values()), mails
    assert not db.session.scalars(select(Reminder).where(Reminder.sent_at.is_(None))).all()


def test_choices_per_kind_off_weekly_and_the_one_click_link(
    app: Flask,
    region: Scenario,
    outbox: Path,
    client: FlaskClient,
    as_persona: Callable[[str], FlaskClient],
) -> None:
    parent = region.users["client"]
    settings = as_persona("client")
    response = settings.post(
        "/account/reminders",
        data={
            "actions": "off",
            "appointments": "weekly",
            "evaluations": "off",
            "versions": "off",
            "invitations": "off",
            "logbook": "weekly",
        },
    )
    assert response.status_code == 303
    with time_machine.travel(MORNING, tick=False):  # a Tuesday: no weekly mail
        run(app, MORNING)
    assert "ouder@example.test" not in _mails(outbox)
    monday = MORNING + dt.timedelta(days=6)
    with time_machine.travel(monday, tick=False):
        run(app, monday)
    [body] = _mails(outbox)["ouder@example.test"]
    # last week's "tomorrow" is gone by: only the message is left to tell
    assert "1 nieuw bericht" in body and "afspra" not in body
    # The link in the mail turns everything off, without logging in.
    link = re.search(r"https://samenplan.example(/reminders/\S+)", body)
    assert link
    assert "Stop de herinneringsmails" in client.get(link.group(1)).get_data(as_text=True)
    assert client.post(link.group(1)).status_code == 200
    chosen = {
        s.kind: s.frequency
        for s in db.session.scalars(
            select(ReminderSetting).where(ReminderSetting.user_id == parent.id)
        )
    }
    assert chosen == dict.fromkeys(ReminderKind, Frequency.OFF)
    assert client.get("/reminders/not-a-real-token").status_code == 404


def test_flask_send_reminders_mails_over_real_smtp(
    app: Flask, region: Scenario, smtp_inbox: list[email.message.Message]
) -> None:
    with time_machine.travel(MORNING, tick=False):
        result = app.test_cli_runner().invoke(args=["send-reminders"])
    assert result.exit_code == 0, result.output
    assert "mails sent" in result.output
    received = {str(m["To"]): m for m in smtp_inbox}
    parent = received["ouder@example.test"]
    assert parent["Subject"] == "Er is iets nieuws in je plan in Samenplan"
    assert "afspraken morgen" in parent.get_payload(decode=True).decode()  # type: ignore[union-attr]


def test_a_version_to_agree_to_is_reminded_until_answered(
    app: Flask, region: Scenario, outbox: Path, as_persona: Callable[[str], FlaskClient]
) -> None:
    pid = region.a.plan.public_id
    made = as_persona("coordinator").post(f"/plans/{pid}/versions/new")
    assert made.status_code == 303, made.get_data(as_text=True)[-3000:]
    with time_machine.travel(MORNING, tick=False):
        run(app, MORNING)
    [body] = _mails(outbox)["ouder@example.test"]
    assert "een nieuwe versie van het plan" in body
    assert "nieuwe versie" not in _mails(outbox)["oma@example.test"][0]  # not asked


def test_my_plans_shows_what_is_new_since_the_last_visit(
    app: Flask, region: Scenario, as_persona: Callable[[str], FlaskClient]
) -> None:
    parent = region.users["client"]
    db.session.add(
        UserSession(
            user_id=parent.id,
            token_hash="x" * 64,
            created_at=MORNING - dt.timedelta(days=3),
            last_seen_at=MORNING - dt.timedelta(days=2),
            ip="127.0.0.1",
            user_agent="oude telefoon",
        )
    )
    db.session.commit()
    page = as_persona("client").get("/plans/").get_data(as_text=True)
    assert "Nieuw sinds je vorige bezoek" not in page  # nothing found yet
    with time_machine.travel(MORNING, tick=False):
        run(app, MORNING)
    page = as_persona("client").get("/plans/").get_data(as_text=True)
    assert "Nieuw sinds je vorige bezoek" in page and "3 afspraken morgen" in page
    # the network sees only what it may see
    page = as_persona("network").get("/plans/").get_data(as_text=True)
    assert "3 afspraken" not in page


def test_whoever_sent_an_invitation_hears_when_it_is_not_accepted_after_three_days(
    app: Flask, region: Scenario, outbox: Path
) -> None:
    invitation = region.a.invitation
    assert invitation is not None
    invitation.created_at = MORNING - dt.timedelta(days=4)
    db.session.commit()
    with time_machine.travel(MORNING, tick=False):
        run(app, MORNING)
    [body] = _mails(outbox)["ouder@example.test"]  # the parent sent it
    assert "1 uitnodiging die je stuurde is nog niet aangenomen" in body
    assert invitation.email not in body
    assert all("uitnodiging" not in b for b in _mails(outbox)["regie@example.test"])
