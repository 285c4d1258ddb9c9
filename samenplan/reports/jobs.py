"""A team lead's print run, rendered by a queue worker (``samenplan/tasks.py``) while the
browser shows progress.

The ``print_jobs`` row is the run's whole state; the queue only carries its public id. So a
run outlives a restart of the web process, and any worker can take it up again:

- a worker *claims* the run by raising ``attempts`` with a compare-and-set, and from then on
  writes only while ``attempts`` is still its own number (a fencing token), so a worker that
  was given up for dead cannot overwrite the one that took over;
- ``updated_at`` is the heartbeat: touched per plan rendered. A run whose heartbeat stops for
  ``PRINT_JOBS_STALE_SECONDS`` lost its worker (killed, machine gone) and is queued again by
  the worker's periodic check, until ``PRINT_JOBS_ATTEMPTS`` attempts have been made;
- a retried run starts from its first plan; a run that is done is never rendered again.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from pathlib import Path
from typing import Any, cast

from flask import Flask, current_app
from flask_babel import force_locale
from sqlalchemy import CursorResult, select, update

from samenplan.accounts.models import User
from samenplan.audit.services import AuditAction, record
from samenplan.clock import utcnow
from samenplan.extensions import db
from samenplan.plans import queries as plan_queries
from samenplan.plans.guard import load_plan_access
from samenplan.plans.models import Plan
from samenplan.reports import summary
from samenplan.reports.models import JobStatus, PrintJob

WAITING = (JobStatus.QUEUED, JobStatus.RUNNING)


class Superseded(Exception):
    """Another worker took this run over; this attempt stops without writing."""


def job_file(job: PrintJob) -> Path:
    return Path(current_app.config["PRINT_JOBS_DIR"]) / f"{job.public_id}.pdf"


def stale_after() -> dt.timedelta:
    """How long a run's heartbeat may stop before its worker is taken for lost."""
    return dt.timedelta(seconds=int(current_app.config["PRINT_JOBS_STALE_SECONDS"]))


def max_attempts() -> int:
    return max(1, int(current_app.config["PRINT_JOBS_ATTEMPTS"]))


def create_job(lead: User, plan_ids: list[int], options: summary.Options, locale: str) -> PrintJob:
    """A print run of plans the lead may read; others are dropped silently (404 rule)."""
    allowed = {plan.id for plan, _members in plan_queries.team_plans(lead)}
    chosen = [pid for pid in dict.fromkeys(plan_ids) if pid in allowed]
    job = PrintJob(
        requested_by_id=lead.id,
        plan_ids=chosen,
        locale=locale,
        total=len(chosen),
        options={"sections": sorted(s.value for s in options.sections)},
    )
    db.session.add(job)
    db.session.flush()
    return job


#: the app's way to put a print run on the queue; the queue wiring (``tasks``, above the
#: features) registers it when the app is made
ENQUEUE_KEY = "samenplan_enqueue_print_run"


def start(job: PrintJob) -> None:
    """Put the run on the queue. Only once the transaction that made the job is committed:
    a worker may look for the row at once."""
    current_app.extensions[ENQUEUE_KEY](job.public_id)


def run(app: Flask, public_id: str) -> None:
    """Render one print run: the queue task's body. Safe to repeat: a run that is done, or
    that another worker is rendering, is left alone. Raises when this attempt failed and
    another one is allowed, so that the queue retries it."""
    with app.app_context():
        try:
            attempt = _claim(public_id)
            if attempt is None:
                return
            try:
                _render(public_id, attempt)
            except Superseded:
                db.session.rollback()
                app.logger.warning("print job %s: attempt %d was taken over", public_id, attempt)
            except Exception as error:  # the user sees "failed" and the log has the details
                db.session.rollback()
                app.logger.exception("print job %s: attempt %d failed", public_id, attempt)
                if _fail(public_id, attempt, error):
                    raise
        finally:
            db.session.remove()


def _job(public_id: str) -> PrintJob | None:
    return db.session.scalar(select(PrintJob).where(PrintJob.public_id == public_id))


def _claim(public_id: str) -> int | None:
    """Take the run for this worker; its attempt number, or None when there is nothing to do."""
    job = _job(public_id)
    if job is None:  # not in this database: a queue shared by mistake, or a deleted job
        current_app.logger.warning("print job %s: no such job, task dropped", public_id)
        return None
    if job.status not in WAITING:
        return None
    if job.status == JobStatus.RUNNING and utcnow() - job.updated_at < stale_after():
        return None  # another worker is on it, and alive
    if job.attempts >= max_attempts():
        job.status, job.finished_at = JobStatus.FAILED, utcnow()
        job.error = job.error or "stale"
        db.session.commit()
        return None
    attempt = job.attempts + 1
    claimed = _set(
        job.id,
        {"status": job.status, "attempts": job.attempts},
        status=JobStatus.RUNNING,
        attempts=attempt,
        done=0,
        error="",
    )
    db.session.commit()
    return attempt if claimed else None


def _set(job_id: int, expected: dict[str, Any], **values: Any) -> bool:
    """Compare-and-set on the job row; True when the row still matched ``expected``."""
    statement = (
        update(PrintJob)
        .where(PrintJob.id == job_id, *(getattr(PrintJob, k) == v for k, v in expected.items()))
        .values(updated_at=utcnow(), **values)
        .execution_options(synchronize_session=False)
    )
    result = cast(CursorResult[Any], db.session.execute(statement))
    return result.rowcount == 1


def _beat(job_id: int, attempt: int, **values: Any) -> None:
    """The heartbeat: progress written only while the run is still this attempt's."""
    if not _set(job_id, {"attempts": attempt, "status": JobStatus.RUNNING}, **values):
        raise Superseded
    db.session.commit()


def _render(public_id: str, attempt: int) -> None:
    job = _job(public_id)
    assert job is not None
    lead = db.session.get(User, job.requested_by_id)
    assert lead is not None
    options = summary.Options(
        sections=frozenset(summary.Section(s) for s in job.options.get("sections", []))
    )
    gate = current_app.config.get("PRINT_JOBS_TEST_GATE")
    items = []
    with force_locale(job.locale):
        for done, plan_id in enumerate(job.plan_ids, start=1):
            # Collecting a plan takes a while: not while holding SQLite's write lock, which
            # the people at work in the web pages need.
            with db.reading():
                plan = db.session.get(Plan, plan_id)
                access = load_plan_access(lead, plan.public_id) if plan else None
                if access is not None:
                    items.append(summary.build(access, options, job.locale))
            if access is not None:
                record(
                    AuditAction.SUMMARY_PRINTED,
                    actor=lead,
                    plan_id=plan_id,
                    obj=plan,
                    details={
                        "sections": job.options.get("sections", []),
                        "print_run": job.public_id,
                    },
                )
            _beat(job.id, attempt, done=done)
            if gate and done == 1:
                _wait_for(Path(gate))
        html = summary.summary_html(items, lead.name, batch=True)
        content = summary.render_pdf(html, lead.name)
    path = job_file(job)
    path.parent.mkdir(parents=True, exist_ok=True)
    # Written aside and moved into place, so a download never sees half a file.
    partial = path.with_name(f"{path.name}.{attempt}.{os.getpid()}.part")
    partial.write_bytes(content)
    partial.replace(path)
    _beat(job.id, attempt, status=JobStatus.DONE, finished_at=utcnow())


def _wait_for(gate: Path) -> None:
    """Tests only: hold the run after its first plan, so a test can kill the worker in the
    middle of it without racing the clock."""
    while not gate.exists():
        time.sleep(0.05)


def _fail(public_id: str, attempt: int, error: Exception) -> bool:
    """Record a failed attempt; True when the run goes back in the queue for another."""
    job = _job(public_id)
    if job is None or job.attempts != attempt or job.status != JobStatus.RUNNING:
        return False
    retry = attempt < max_attempts()
    job.status = JobStatus.QUEUED if retry else JobStatus.FAILED
    job.error = type(error).__name__
    job.finished_at = None if retry else utcnow()
    db.session.commit()
    return retry


def release(public_id: str) -> None:
    """A worker that was stopped in the middle of a run hands it back, without counting the
    attempt: the run waits in the queue for the next worker."""
    job = _job(public_id)
    if job is not None and job.status == JobStatus.RUNNING:
        _set(
            job.id,
            {"status": JobStatus.RUNNING, "attempts": job.attempts},
            status=JobStatus.QUEUED,
            attempts=max(0, job.attempts - 1),
            done=0,
        )
        db.session.commit()


def requeue_stale() -> list[str]:
    """The runs whose worker was lost (no heartbeat for ``PRINT_JOBS_STALE_SECONDS``), put back
    to waiting, or failed once they used up their attempts. Returns the public ids to queue
    again, after this function's commit."""
    before = utcnow() - stale_after()
    stale = db.session.scalars(
        select(PrintJob)
        .where(PrintJob.status.in_(WAITING), PrintJob.updated_at < before)
        .order_by(PrintJob.id)
    ).all()
    again = []
    for job in stale:
        expected = {"status": job.status, "attempts": job.attempts, "updated_at": job.updated_at}
        if job.attempts >= max_attempts():
            _set(
                job.id,
                expected,
                status=JobStatus.FAILED,
                error=job.error or "stale",
                finished_at=utcnow(),
            )
        elif _set(job.id, expected, status=JobStatus.QUEUED, done=0):
            again.append(job.public_id)
    db.session.commit()
    return again


def job_for(user: User, public_id: str) -> PrintJob | None:
    """The run, for whoever asked for it. Reads only: a lost worker's run is the worker's
    business (it queues the run again), so a waiting run simply shows as waiting."""
    job = _job(public_id)
    if job is None or job.requested_by_id != user.id:
        return None
    return job
