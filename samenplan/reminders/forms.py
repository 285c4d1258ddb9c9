"""A person's reminder choices, one per kind."""

from __future__ import annotations

from wtforms import SelectField

from samenplan.core.forms import Form, options
from samenplan.core.i18n import lazy_gettext as _l
from samenplan.reminders.models import Frequency, ReminderKind

FREQUENCY_LABELS = {
    Frequency.IMMEDIATE: _l("Right away"),
    Frequency.DAILY: _l("Once a day, in the morning"),
    Frequency.WEEKLY: _l("Once a week, on Monday"),
    Frequency.OFF: _l("No mail"),
}
KIND_LABELS = {
    ReminderKind.ACTIONS: _l("My actions that are due soon or overdue"),
    ReminderKind.APPOINTMENTS: _l("Appointments tomorrow"),
    ReminderKind.EVALUATIONS: _l("An evaluation in the coming week"),
    ReminderKind.LOGBOOK: _l("New messages in the logbook"),
    ReminderKind.VERSIONS: _l("A version of the plan to agree to"),
    ReminderKind.INVITATIONS: _l("An invitation of mine that is not accepted yet"),
}


def _field(kind: ReminderKind) -> SelectField:
    return SelectField(
        KIND_LABELS[kind],
        choices=options((f.value, label) for f, label in FREQUENCY_LABELS.items()),
        validate_choice=True,
    )


class RemindersForm(Form):
    actions = _field(ReminderKind.ACTIONS)
    appointments = _field(ReminderKind.APPOINTMENTS)
    evaluations = _field(ReminderKind.EVALUATIONS)
    logbook = _field(ReminderKind.LOGBOOK)
    versions = _field(ReminderKind.VERSIONS)
    invitations = _field(ReminderKind.INVITATIONS)
