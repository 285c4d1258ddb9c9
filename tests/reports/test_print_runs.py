"""A team lead prints several plans of the team as one PDF, made in the background."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, update

from samenplan.audit.services import AuditAction
from samenplan.clock import utcnow
from samenplan.reports.models import JobStatus, PrintJob
from tests.reports.test_summary_pdf import pdf_text
from tests.scenario import Scenario, build_plan, new_user


def test_three_plans_arrive_as_one_pdf_with_a_cover(
    scenario: Scenario, as_persona: Callable[[str], FlaskClient]
) -> None:
    from samenplan.accounts.models import Role
    from samenplan.extensions import db

    plans = [scenario.a.plan]
    for n in (2, 3):
        client = new_user(f"gezin{n}@example.test", Role.CLIENT)
        db.session.flush()
        plans.append(
            build_plan(f"Plan {n} van het team", client, scenario.users["coordinator"]).plan
        )
    db.session.commit()
    lead = as_persona("team_lead")
    choose = lead.get("/plans/team/print")
    assert choose.status_code == 200
    response = lead.post(
        "/plans/team/print", data={"plan": [str(p.id) for p in plans] + [str(scenario.b.plan.id)]}
    )
    assert response.status_code == 303
    status_url = response.headers["Location"]
    status = lead.get(status_url + "/status.json").json
    assert (
        status["status"] == "done" and status["total"] == 3 and status["done"] == 3
    )  # plan B is not theirs
    page = lead.get(status_url).get_data(as_text=True)
    assert "Klaar: 3 plannen in één PDF." in page
    pdf = lead.get(status["download"])
    text = pdf_text(pdf.data)
    assert "Planoverzichten" in text
    for title in ("Plan A", "Plan 2 van het team", "Plan 3 van het team"):
        assert text.count(title) >= 2, title  # on the cover and as a heading
    assert "Plan B" not in text
    # a cover page listing the plans with their coordinator, team and first page; then each
    # plan from a new page, its own cover first (its title in the running header)
    pages = text.split("\f")
    assert "Planoverzichten" in pages[0] and "Gedeeld doel" not in pages[0]
    assert "VERTROUWELIJK" in pages[0] and "Afgedrukt op" in pages[0]
    for title in ("Plan A", "Plan 2 van het team", "Plan 3 van het team"):
        [line] = [line for line in pages[0].splitlines() if title in line]
        listed = re.search(r"Regie\s+Noord \(Wijkteam\)\s+(\d+)$", line)
        assert listed, line
        first = next(i for i, page in enumerate(pages) if i > 0 and title in page)
        assert int(listed.group(1)) == first + 1, title
        assert pages[first].lstrip().startswith(title), title
        assert "Planoverzicht" in pages[first] and "Regisseur" in pages[first], title
        assert title not in pages[first - 1] or first - 1 == 0


def test_a_print_run_belongs_to_whoever_asked(
    scenario: Scenario, as_persona: Callable[[str], FlaskClient]
) -> None:
    lead = as_persona("team_lead")
    location = lead.post("/plans/team/print", data={"plan": [str(scenario.a.plan.id)]}).headers[
        "Location"
    ]
    assert as_persona("other_team_lead").get(location).status_code == 404
    assert as_persona("other_team_lead").get(location + "/download").status_code == 404
    assert as_persona("client").get("/plans/team/print").status_code == 403
    nothing = lead.post("/plans/team/print", data={"plan": [str(scenario.b.plan.id)]})
    assert nothing.status_code == 303 and nothing.headers["Location"] == "/plans/team/print"


def _queued_job(scenario: Scenario) -> PrintJob:
    from samenplan.extensions import db
    from samenplan.reports import jobs, summary

    job = jobs.create_job(
        scenario.users["team_lead"], [scenario.a.plan.id], summary.Options(), "nl"
    )
    db.session.commit()
    return job


def test_a_run_is_rendered_once_however_often_it_is_queued(app: Flask, scenario: Scenario) -> None:
    from samenplan.audit.models import AuditEvent
    from samenplan.extensions import db
    from samenplan.reports import jobs

    job = _queued_job(scenario)
    for _ in range(3):  # a retry, a requeue by the stale check, a duplicate message
        jobs.run(app, job.public_id)
    db.session.expire_all()
    assert job.status == JobStatus.DONE and job.done == 1 and job.attempts == 1
    printed = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == AuditAction.SUMMARY_PRINTED)
    ).all()
    assert len(printed) == 1
    jobs.run(app, "no-such-job")  # a message from another installation's queue: dropped


def test_a_lost_run_is_queued_again_and_fails_after_its_attempts(
    app: Flask, scenario: Scenario, monkeypatch: pytest.MonkeyPatch
) -> None:
    from samenplan.extensions import db
    from samenplan.reports import jobs

    monkeypatch.setitem(app.config, "PRINT_JOBS_ATTEMPTS", 2)
    job = _queued_job(scenario)
    long_ago = utcnow() - dt.timedelta(hours=1)

    def lose(attempts: int) -> None:  # a worker took the run and died after one plan
        db.session.execute(
            update(PrintJob)
            .where(PrintJob.id == job.id)
            .values(status=JobStatus.RUNNING, attempts=attempts, done=1, updated_at=long_ago)
        )
        db.session.commit()

    lose(1)
    assert jobs.requeue_stale() == [job.public_id]
    db.session.expire_all()
    assert job.status == JobStatus.QUEUED and job.done == 0 and job.attempts == 1
    assert jobs.requeue_stale() == []  # only lost runs: this one is waiting, and fresh
    lose(2)
    assert jobs.requeue_stale() == []
    db.session.expire_all()
    assert job.status == JobStatus.FAILED and job.error == "stale"


def test_a_worker_that_was_given_up_for_dead_cannot_overwrite_its_successor(
    app: Flask, scenario: Scenario
) -> None:
    from samenplan.extensions import db
    from samenplan.reports import jobs

    job = _queued_job(scenario)
    db.session.execute(
        update(PrintJob).where(PrintJob.id == job.id).values(status=JobStatus.RUNNING, attempts=2)
    )
    db.session.commit()
    with pytest.raises(jobs.Superseded):
        jobs._beat(job.id, 1, done=1)  # attempt 1 wakes up: attempt 2 has the run now
    db.session.rollback()
    jobs.run(app, job.public_id)  # attempt 2 is alive (fresh heartbeat): nothing to do
    db.session.expire_all()
    assert job.status == JobStatus.RUNNING and job.done == 0
