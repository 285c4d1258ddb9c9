"""Bringing a plan exported by another installation in ("the plan follows the client").

The file is checked completely before anything is written: against docs/export-schema.json,
then for references inside the file, life areas and screening instruments. The import runs in
one transaction. Everyone in the plan keeps their place and their history; people without an
account here get an account that waits for them. Everyone who still took part is invited
again, and the plan stays closed to them until they accept (``Participation.pending``)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker
from sqlalchemy import update

from samenplan.accounts.models import Organisation, Role, User
from samenplan.accounts.services import (
    create_waiting_account,
    get_user_by_email,
    normalise_email,
)
from samenplan.agenda.models import AgendaItem, AgendaKind
from samenplan.agreements.transfer import import_versions, version_problems
from samenplan.audit.services import AuditAction, record
from samenplan.core.transfer import ImportRefused, read_date, read_required_time, read_time
from samenplan.domains import life_domains
from samenplan.extensions import db
from samenplan.plans.models import (
    Action,
    ActionStatus,
    Goal,
    GoalStatus,
    Invitation,
    LogEntry,
    Participation,
    Person,
    Plan,
    PlanRole,
    PlanStatus,
    ProgressEntry,
    Relation,
)
from samenplan.plans.participation import account_role_for, issue_invitation
from samenplan.reports.export import FORMAT, READS
from samenplan.screening.instruments import registry
from samenplan.screening.transfer import import_screenings

#: docs/export-schema.json, linked into the package so that an installed copy carries it
SCHEMA_PATH = Path(__file__).with_name("export-schema.json")


@cache
def _validator() -> Draft202012Validator:
    return Draft202012Validator(json.loads(SCHEMA_PATH.read_text()), format_checker=FormatChecker())


@dataclass
class ImportResult:
    plan: Plan
    #: each invitation with the token for its link, to mail after the commit
    invitations: list[tuple[Invitation, str]] = field(default_factory=list)
    new_accounts: int = 0
    counts: dict[str, int] = field(default_factory=dict)


def read_export(raw: bytes | str) -> dict[str, Any]:
    """The parsed file, or ImportRefused saying where it breaks the schema."""
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as error:
        raise ImportRefused(f"This is not a JSON file: {error}") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ImportRefused(f"This is not a Samenplan plan export (format {FORMAT!r}).")
    if data.get("version") not in READS:
        raise ImportRefused(
            f"This export has version {data.get('version')!r}; this installation reads "
            f"versions {', '.join(map(str, READS))}."
        )
    errors = sorted(_validator().iter_errors(data), key=lambda e: list(e.absolute_path))
    if errors:
        shown = "; ".join(
            f"{'/'.join(str(p) for p in e.absolute_path) or '(top)'}: {e.message}"
            for e in errors[:5]
        )
        more = f" (and {len(errors) - 5} more)" if len(errors) > 5 else ""
        raise ImportRefused(f"The file does not match the export schema: {shown}{more}")
    return data


def _check(data: dict[str, Any]) -> None:
    """References inside the file, life areas and instruments: all known before writing."""
    problems: list[str] = []
    ids: dict[str, set[str]] = {}
    for part in ("persons", "participants", "goals", "actions", "screenings"):
        seen = [item["id"] for item in data[part]]
        ids[part] = set(seen)
        if len(seen) != len(ids[part]):
            problems.append(f"{part}: an id is used twice")

    def ref(where: str, value: str | None, part: str) -> None:
        if value is not None and value not in ids[part]:
            problems.append(f"{where}: {value} is not in the file")

    for p in data["participants"]:
        ref(f"participant {p['id']}", p["invited_by"], "participants")
    domains = life_domains()
    for g in data["goals"]:
        ref(f"goal {g['id']}", g["person"], "persons")
        if g["domain"] not in domains:
            problems.append(f"goal {g['id']}: life area {g['domain']!r} is not known here")
    for a in data["actions"]:
        ref(f"action {a['id']}", a["goal"], "goals")
        ref(f"action {a['id']}", a["assignee"], "participants")
    for e in data["progress"]:
        ref(f"progress {e['id']}", e["goal"], "goals")
    for i in data["agenda"]:
        for expected in i["expected"]:
            ref(f"appointment {i['id']}", expected, "participants")
    instruments = registry()
    for s in data["screenings"]:
        ref(f"screening {s['id']}", s["person"], "persons")
        ref(f"screening {s['id']}", s["view_of"], "screenings")
        ref(f"screening {s['id']}", s["corrects"], "screenings")
        instrument = instruments.get(s["instrument"]["id"])
        if instrument is None:
            problems.append(
                f"screening {s['id']}: instrument {s['instrument']['id']!r} is not installed "
                "here (add its file through SCREENING_INSTRUMENTS_DIR)"
            )
            continue
        for score in s["scores"]:
            if instrument.domain(score["domain"]) is None:
                problems.append(
                    f"screening {s['id']}: {instrument.id} has no life area {score['domain']!r}"
                )
    problems += version_problems(data.get("versions", []), ids)
    if not any(p["removed_at"] is None for p in data["participants"]):
        problems.append("participants: nobody takes part in this plan any more")
    if problems:
        raise ImportRefused("The file cannot be imported: " + "; ".join(problems[:8]))


class _People:
    """Accounts by email: an existing account here, or one that waits for its owner."""

    def __init__(self, data: dict[str, Any], organisation: Organisation) -> None:
        self.organisation = organisation
        self.created = 0
        self._users: dict[str, User] = {}
        # The role someone had last decides the kind of account that waits for them.
        self._roles = {
            normalise_email(p["email"]): PlanRole(p["role"]) for p in data["participants"]
        }

    def user(self, who: dict[str, str]) -> User:
        email = normalise_email(who["email"])
        if email not in self._users:
            found = get_user_by_email(email)
            if found is None:
                role = account_role_for(self._roles.get(email, PlanRole.NETWORK))
                found = create_waiting_account(
                    email=email,
                    name=who["name"],
                    role=role,
                    organisation=self.organisation if role == Role.PROFESSIONAL else None,
                )
                self.created += 1
            self._users[email] = found
        return self._users[email]

    def id(self, who: dict[str, str] | None) -> int | None:
        return self.user(who).id if who is not None else None


def import_plan(
    data: dict[str, Any], organisation: Organisation, *, invitation_days: int
) -> ImportResult:
    """Recreate the plan of a checked export file (see read_export) and invite everyone who
    still took part. The caller commits, then sends the invitations."""
    _check(data)
    people = _People(data, organisation)
    source = data["plan"]
    created = read_required_time(source["created_at"])
    first = next((p for p in data["participants"] if p["invited_by"] is None), None)
    plan = Plan(
        title=source["title"],
        status=PlanStatus(source["status"]),
        closed_at=read_time(source["closed_at"]),
        evaluation_months=source.get("evaluation_months", 3),
        network_default=source.get("network_default"),
        created_by_id=people.id(first) if first else None,
        created_at=created,
        updated_at=created,
    )
    db.session.add(plan)
    db.session.flush()

    persons: dict[str, Person] = {}
    for p in data["persons"]:
        consent = p["network_consent"]
        persons[p["id"]] = person = Person(
            plan_id=plan.id,
            name=p["name"],
            relation=Relation(p["relation"]),
            date_of_birth=read_date(p["date_of_birth"]),
            parental_authority=p["parental_authority"],
            parents_consent=p["parents_consent"],
            user_id=people.id(p["account"]),
            network_consent_by_id=people.id(consent["by"]) if consent else None,
            network_consent_at=read_time(consent["at"]) if consent else None,
            created_at=read_required_time(p["created_at"]),
            updated_at=read_required_time(p["created_at"]),
        )
        db.session.add(person)

    parts: dict[str, Participation] = {}
    for p in data["participants"]:
        removed = read_time(p["removed_at"])
        parts[p["id"]] = participation = Participation(
            plan_id=plan.id,
            user_id=people.id(p),
            role=PlanRole(p["role"]),
            is_coordinator=p["coordinator"],
            accepted_at=read_time(p["joined_at"]),
            removed_at=removed,
            pending=removed is None,
        )
        db.session.add(participation)
    db.session.flush()
    for p in data["participants"]:
        if p["invited_by"] is not None:
            parts[p["id"]].invited_by_id = parts[p["invited_by"]].id

    goals: dict[str, Goal] = {}
    for g in data["goals"]:
        goals[g["id"]] = goal = Goal(
            plan_id=plan.id,
            person_id=persons[g["person"]].id if g["person"] else None,
            domain=g["domain"],
            title=g["title"],
            why=g["why"],
            desired_situation=g["desired_situation"],
            target_date=read_date(g["target_date"]),
            status=GoalStatus(g["status"]),
            shared_with_network=g["shared_with_network"],
            created_by_id=people.id(g["created_by"]),
            created_at=read_required_time(g["created_at"]),
            updated_at=read_required_time(g["updated_at"]),
        )
        db.session.add(goal)
    db.session.flush()
    actions: dict[str, tuple[Action, dict[str, Any]]] = {}
    for a in data["actions"]:
        action = Action(
            plan_id=plan.id,
            goal_id=goals[a["goal"]].id,
            description=a["description"],
            assignee_id=parts[a["assignee"]].id,
            due_date=read_date(a["due_date"]),
            status=ActionStatus(a["status"]),
            done_at=read_time(a["done_at"]),
            done_by_id=people.id(a["done_by"]),
            created_by_id=people.id(a["created_by"]),
            created_at=read_required_time(a["created_at"]),
            updated_at=read_required_time(a["updated_at"]),
        )
        db.session.add(action)
        actions[a["id"]] = (action, a)
    db.session.flush()
    # The ORM numbers versions from 1 on insert; keep the versions the plan had.
    for model, rows in (
        (Goal, [(goals[g["id"]], g) for g in data["goals"]]),
        (Action, list(actions.values())),
    ):
        for obj, item in rows:
            if item["version"] != 1:
                db.session.execute(
                    update(model.__table__)  # type: ignore[arg-type]
                    .where(model.__table__.c.id == obj.id)
                    .values(
                        version=item["version"], updated_at=read_required_time(item["updated_at"])
                    )
                )

    for e in data["progress"]:
        db.session.add(
            ProgressEntry(
                plan_id=plan.id,
                goal_id=goals[e["goal"]].id,
                recorded_on=read_date(e["recorded_on"]),
                value=e["value"],
                note=e["note"],
                author_id=people.id(e["author"]),
                created_at=read_required_time(e["created_at"]),
                updated_at=read_required_time(e["created_at"]),
            )
        )
    for i in data["agenda"]:
        db.session.add(
            AgendaItem(
                plan_id=plan.id,
                title=i["title"],
                kind=AgendaKind(i["kind"]),
                starts_at=read_required_time(i["starts_at"]),
                ends_at=read_time(i["ends_at"]),
                location=i["location"],
                notes=i["notes"],
                shared_with_network=i["shared_with_network"],
                expected=[parts[p] for p in i["expected"]],
                created_by_id=people.id(i["created_by"]),
                created_at=read_required_time(i["created_at"]),
                updated_at=read_required_time(i["updated_at"]),
            )
        )
    for e in data["logbook"]:
        db.session.add(
            LogEntry(
                plan_id=plan.id,
                author_id=people.id(e["author"]),
                text=e["text"],
                shared_with_network=e["shared_with_network"],
                created_at=read_required_time(e["created_at"]),
                updated_at=read_required_time(e["created_at"]),
            )
        )
    import_screenings(
        data["screenings"],
        plan_id=plan.id,
        person_ids={key: p.id for key, p in persons.items()},
        user_id=people.id,
    )
    import_versions(
        data.get("versions", []),
        plan_id=plan.id,
        ids={
            "goal": {key: g.id for key, g in goals.items()},
            "action": {key: a.id for key, (a, _) in actions.items()},
            "person": {key: p.id for key, p in persons.items()},
        },
        user_id=people.id,
    )
    db.session.flush()

    result = ImportResult(plan=plan)
    result.invitations = _invite_again(data, plan, parts, invitation_days)
    result.new_accounts = people.created
    result.counts = {
        part: len(data[part])
        for part in ("persons", "participants", "goals", "actions", "progress", "agenda")
    } | {part: len(data.get(part, [])) for part in ("logbook", "screenings", "versions")}
    record(
        AuditAction.PLAN_IMPORTED,
        actor=None,
        plan_id=plan.id,
        obj=plan,
        details={
            "organisation": organisation.name,
            "exported_at": data["exported_at"],
            "counts": result.counts,
            "new_accounts": result.new_accounts,
        },
    )
    return result


def _invite_again(
    data: dict[str, Any], plan: Plan, parts: dict[str, Participation], days: int
) -> list[tuple[Invitation, str]]:
    """One single-use invitation for everyone who still took part, in the name of the plan's
    coordinator (the mail says the plan moved)."""
    active = [(p, parts[p["id"]]) for p in data["participants"] if p["removed_at"] is None]
    inviter = next((part for p, part in active if p["coordinator"]), active[0][1])
    invitations = []
    for p, part in active:
        professional_coordinator = p["coordinator"] and part.role == PlanRole.PROFESSIONAL
        invitations.append(
            issue_invitation(
                plan.id,
                actor=None,
                email=normalise_email(p["email"]),
                role=PlanRole.COORDINATOR if professional_coordinator else part.role,
                invited_by=inviter,
                valid_days=days,
                details={"via": "import"},
            )
        )
    return invitations
