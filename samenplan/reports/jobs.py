"""Running a team lead's print run without holding a request: a background thread renders
the summaries while the browser shows progress. Rendering is CPU work in the same process;
a job that was running when the process stopped is marked failed the next time it is opened."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path

from flask import Flask, current_app
from flask_babel import force_locale
from sqlalchemy import select

from samenplan.accounts.models import User
from samenplan.audit.services import AuditAction, record
from samenplan.db import utcnow
from samenplan.extensions import db
from samenplan.plans import queries as plan_queries
from samenplan.plans.models import Plan
from samenplan.policy import load_plan_access
from samenplan.reports import summary
from samenplan.reports.models import JobStatus, PrintJob

#: a job that has not moved for this long was lost with its process
STALE_AFTER = dt.timedelta(minutes=15)


def job_file(job: PrintJob) -> Path:
    return Path(current_app.config["PRINT_JOBS_DIR"]) / f"{job.public_id}.pdf"


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


def start(job: PrintJob) -> None:
    """Render now (tests, PRINT_JOBS_INLINE) or in a background thread."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if app.config.get("PRINT_JOBS_INLINE"):
        run(app, job.id)
    else:
        threading.Thread(
            target=run, args=(app, job.id), name=f"print-{job.public_id}", daemon=True
        ).start()


def run(app: Flask, job_id: int) -> None:
    with app.app_context():
        job = db.session.get(PrintJob, job_id)
        if job is None:
            return
        try:
            _render(job)
        except Exception as error:  # the user sees "failed" and the log has the details
            db.session.rollback()
            job = db.session.get(PrintJob, job_id)
            if job is not None:
                job.status, job.error, job.finished_at = (
                    JobStatus.FAILED,
                    type(error).__name__,
                    utcnow(),
                )
                db.session.commit()
            app.logger.exception("print job %s failed", job_id)
        finally:
            db.session.remove()


def _render(job: PrintJob) -> None:
    lead = db.session.get(User, job.requested_by_id)
    assert lead is not None
    job.status = JobStatus.RUNNING
    db.session.commit()
    options = summary.Options(
        sections=frozenset(summary.Section(s) for s in job.options.get("sections", []))
    )
    items = []
    with force_locale(job.locale):
        for plan_id in job.plan_ids:
            plan = db.session.get(Plan, plan_id)
            access = load_plan_access(lead, plan.public_id) if plan else None
            if access is not None:
                items.append(summary.build(access, options, job.locale))
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
            job.done += 1
            db.session.commit()
        content = summary.render_pdf(summary.summary_html(items, cover=True), lead.name)
    path = job_file(job)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    job.status, job.finished_at = JobStatus.DONE, utcnow()
    db.session.commit()


def job_for(user: User, public_id: str) -> PrintJob | None:
    job = db.session.scalar(select(PrintJob).where(PrintJob.public_id == public_id))
    if job is None or job.requested_by_id != user.id:
        return None
    if (
        job.status in (JobStatus.QUEUED, JobStatus.RUNNING)
        and utcnow() - job.updated_at > STALE_AFTER
    ):
        job.status, job.error = JobStatus.FAILED, "stale"
        db.session.commit()
    return job
