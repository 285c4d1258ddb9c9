"""Audit events in words, for the "who viewed or changed our plan?" page."""

from __future__ import annotations

from samenplan.audit.models import AuditEvent
from samenplan.core.i18n import lazy_gettext as _l
from samenplan.core.i18n import ngettext

LABELS = {
    "plan.viewed": _l("opened the plan"),
    "plan.listed": _l("saw the plan in a list"),
    "plan.created": _l("started the plan"),
    "plan.closed": _l("closed the plan"),
    "plan.reopened": _l("opened the plan again"),
    "person.added": _l("added a household member"),
    "person.changed": _l("changed a household member"),
    "participant.invited": _l("invited someone"),
    "participant.joined": _l("joined the plan"),
    "participant.removed": _l("removed a participant"),
    "invitation.revoked": _l("withdrew an invitation"),
    "coordination.handed_over": _l("handed over coordination"),
    "consent.changed": _l("changed a consent"),
    "plan.network_default_set": _l("chose what the network sees of new items"),
    "goal.created": _l("added a goal"),
    "goal.changed": _l("changed a goal"),
    "action.created": _l("added an action"),
    "action.changed": _l("changed an action"),
    "progress.added": _l("recorded progress"),
    "log.added": _l("wrote in the logbook"),
    "agenda.created": _l("added an appointment"),
    "agenda.changed": _l("changed an appointment"),
    "agenda.cancelled": _l("cancelled an appointment"),
    "plan.evaluation_cycle_set": _l("changed how often the plan is evaluated"),
    "plan.version_created": _l("fixed a version of the plan"),
    "plan.version_answered": _l("answered a version of the plan"),
    "screening.created": _l("started a strengths check"),
    "screening.saved": _l("saved a strengths check"),
    "screening.completed": _l("completed a strengths check"),
    "summary.printed": _l("printed a plan summary"),
    "plan.exported": _l("downloaded the whole plan"),
    "plan.imported": _l("brought the plan in from another Samenplan"),
}

PAGES = {
    "plans.overview": _l("overview"),
    "plans.index": _l("My plans"),
    "plans.my_actions": _l("the list of actions"),
    "plans.team": _l("the plans of the team"),
    "plans.goal": _l("a goal"),
    "plans.goal_edit": _l("a goal"),
    "plans.logbook": _l("the logbook"),
    "plans.participants": _l("the participants"),
    "plans.household": _l("the household"),
    "agenda.index": _l("the agenda"),
    "evaluations.show": _l("an evaluation"),
    "agreements.index": _l("the versions of the plan"),
    "agreements.show": _l("a version of the plan"),
    "calendar.feed": _l("the agenda in their own calendar"),
    "screening.index": _l("the strengths checks"),
    "screening.show": _l("a strengths check"),
    "screening.compare_two": _l("a comparison of strengths checks"),
}


def audit_label(event: AuditEvent, *, count: int = 1, pages: list[str] | None = None) -> str:
    """What happened, in words; for one person's looks on one day, how often and where."""
    label = str(LABELS.get(event.action, event.action))
    if event.action == "plan.viewed" and count > 1:
        label = ngettext("opened the plan %(num)d time", "opened the plan %(num)d times", count)
    if pages is None:
        page = (event.details or {}).get("page")
        pages = [page] if isinstance(page, str) else []
    places = [str(PAGES[page]) for page in pages if page in PAGES]
    if event.action in ("plan.viewed", "plan.listed") and places:
        return f"{label}: {', '.join(places)}"
    return label
