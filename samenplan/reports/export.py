"""The client's full export of a plan as JSON ("the plan follows the client").

The format is versioned and documented in docs/export-schema.json. Objects carry ids that
are local to the file (``goal-1``, ``action-3``), in creation order, so that an imported plan
exports to the same content again; database ids never leave the installation."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from samenplan.accounts.models import User
from samenplan.agenda.models import AgendaItem
from samenplan.agreements.services import history
from samenplan.agreements.transfer import export_versions, people_in
from samenplan.clock import utcnow
from samenplan.core.transfer import when
from samenplan.extensions import db
from samenplan.plans.access import PlanAccess
from samenplan.plans.models import Action, Goal, LogEntry, Participation, Person, ProgressEntry
from samenplan.screening.models import Screening
from samenplan.screening.transfer import export_screenings

FORMAT = "samenplan-plan-export"
#: 2 added the plan's evaluation cycle and its agreed versions; files of version 1 are read
VERSION = 2
READS = (1, 2)


def _who(user: User | None) -> dict[str, str] | None:
    return {"name": user.name, "email": user.email} if user is not None else None


def _ids(prefix: str, rows: list[Any]) -> dict[int, str]:
    return {row.id: f"{prefix}-{n}" for n, row in enumerate(rows, 1)}


def _ordered(model: Any, plan_id: int, *options: Any) -> list[Any]:
    stmt = select(model).where(model.plan_id == plan_id).order_by(model.created_at, model.id)
    return list(db.session.scalars(stmt.options(*options)).unique())


def export_plan(access: PlanAccess) -> dict[str, Any]:
    """Everything in the plan, for the family or the coordinator (who see all of it)."""
    plan = access.plan
    persons = _ordered(Person, plan.id)
    participations = _ordered(Participation, plan.id)  # removed ones too: they wrote history
    goals = _ordered(Goal, plan.id)
    actions = _ordered(Action, plan.id)
    progress = _ordered(ProgressEntry, plan.id)
    agenda = _ordered(AgendaItem, plan.id, joinedload(AgendaItem.expected))
    log = _ordered(LogEntry, plan.id)
    screenings = _ordered(Screening, plan.id)
    versions = history(plan.id)
    # Everyone the file names, in one query.
    users = {
        u.id: u
        for u in db.session.scalars(
            select(User).where(
                User.id.in_(
                    {p.user_id for p in participations}
                    | {p.user_id for p in persons if p.user_id}
                    | {e.author_id for e in progress}
                    | {e.author_id for e in log}
                    | {s.author_id for s in screenings}
                    | {a.done_by_id for a in actions if a.done_by_id}
                    | {a.created_by_id for a in actions if a.created_by_id}
                    | {i.created_by_id for i in agenda if i.created_by_id}
                    | {g.created_by_id for g in goals if g.created_by_id}
                    | {p.network_consent_by_id for p in persons if p.network_consent_by_id}
                    | people_in(versions)
                )
            )
        )
    }
    person_ids, part_ids, goal_ids, action_ids = (
        _ids("person", persons),
        _ids("participant", participations),
        _ids("goal", goals),
        _ids("action", actions),
    )
    return {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": utcnow().isoformat(),
        "plan": {
            "title": plan.title,
            "status": plan.status.value,
            "created_at": when(plan.created_at),
            "closed_at": when(plan.closed_at),
            "evaluation_months": plan.evaluation_months,
            "network_default": plan.network_default,
        },
        "persons": [
            {
                "id": person_ids[p.id],
                "name": p.name,
                "relation": p.relation.value,
                "date_of_birth": when(p.date_of_birth),
                "parental_authority": p.parental_authority,
                "parents_consent": p.parents_consent,
                "created_at": when(p.created_at),
                "account": _who(users.get(p.user_id)) if p.user_id else None,
                "network_consent": {
                    "by": _who(users.get(p.network_consent_by_id)),
                    "at": when(p.network_consent_at),
                }
                if p.network_consent_by_id
                else None,
            }
            for p in persons
        ],
        "participants": [
            {
                "id": part_ids[p.id],
                "name": users[p.user_id].name,
                "email": users[p.user_id].email,
                "role": p.role.value,
                "coordinator": p.is_coordinator,
                "invited_by": part_ids.get(p.invited_by_id) if p.invited_by_id else None,
                "joined_at": when(p.accepted_at),
                "removed_at": when(p.removed_at),
            }
            for p in participations
        ],
        "goals": [
            {
                "id": goal_ids[g.id],
                "person": person_ids.get(g.person_id) if g.person_id else None,
                "domain": g.domain,
                "title": g.title,
                "why": g.why,
                "desired_situation": g.desired_situation,
                "target_date": when(g.target_date),
                "status": g.status.value,
                "shared_with_network": g.shared_with_network,
                "version": g.version,
                "created_by": _who(users.get(g.created_by_id)) if g.created_by_id else None,
                "created_at": when(g.created_at),
                "updated_at": when(g.updated_at),
            }
            for g in goals
        ],
        "actions": [
            {
                "id": action_ids[a.id],
                "goal": goal_ids[a.goal_id],
                "description": a.description,
                "assignee": part_ids.get(a.assignee_id),
                "due_date": when(a.due_date),
                "status": a.status.value,
                "done_at": when(a.done_at),
                "done_by": _who(users.get(a.done_by_id)) if a.done_by_id else None,
                "version": a.version,
                "created_by": _who(users.get(a.created_by_id)) if a.created_by_id else None,
                "created_at": when(a.created_at),
                "updated_at": when(a.updated_at),
            }
            for a in actions
        ],
        "progress": [
            {
                "id": f"progress-{n}",
                "goal": goal_ids[e.goal_id],
                "recorded_on": when(e.recorded_on),
                "value": e.value,
                "note": e.note,
                "author": _who(users.get(e.author_id)),
                "created_at": when(e.created_at),
            }
            for n, e in enumerate(progress, 1)
        ],
        "agenda": [
            {
                "id": f"agenda-{n}",
                "title": i.title,
                "kind": i.kind.value,
                "starts_at": when(i.starts_at),
                "ends_at": when(i.ends_at),
                "location": i.location,
                "notes": i.notes,
                "shared_with_network": i.shared_with_network,
                "expected": sorted(
                    (part_ids[p.id] for p in i.expected), key=lambda ref: int(ref.split("-")[1])
                ),
                "created_by": _who(users.get(i.created_by_id)) if i.created_by_id else None,
                "created_at": when(i.created_at),
                "updated_at": when(i.updated_at),
            }
            for n, i in enumerate(agenda, 1)
        ],
        "logbook": [
            {
                "id": f"log-{n}",
                "author": _who(users.get(e.author_id)),
                "text": e.text,
                "shared_with_network": e.shared_with_network,
                "created_at": when(e.created_at),
            }
            for n, e in enumerate(log, 1)
        ],
        "screenings": export_screenings(
            screenings, person_ids=person_ids, who=lambda uid: _who(users.get(uid))
        ),
        "versions": export_versions(
            versions,
            ids={"goal": goal_ids, "action": action_ids, "person": person_ids},
            who=lambda uid: _who(users.get(uid)),
        ),
    }
