"""Agenda forms."""

from __future__ import annotations

from wtforms import (
    BooleanField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional

from samenplan.agenda.models import AgendaKind
from samenplan.core import inputs
from samenplan.core.forms import (
    CheckboxesField,
    OnceForm,
    PlainDateField,
    PlainTimeField,
    options,
)
from samenplan.core.i18n import lazy_gettext as _l

KIND_LABELS = {
    AgendaKind.APPOINTMENT: _l("Appointment"),
    AgendaKind.EVALUATION: _l("Review together"),
    AgendaKind.DEADLINE: _l("Deadline"),
}


class AgendaForm(OnceForm):
    title = StringField(
        _l("What is it?"),
        validators=[DataRequired(_l("Write what the appointment is about.")), Length(max=200)],
    )
    kind = SelectField(
        _l("Kind"),
        choices=options((k.value, label) for k, label in KIND_LABELS.items()),
        validators=[DataRequired()],
    )
    date = PlainDateField(
        _l("Date"), validators=[DataRequired(_l("Enter a date like 31-12-2026."))]
    )
    start_time = PlainTimeField(
        _l("Start time"), validators=[DataRequired(_l("Enter a time like 14:30."))]
    )
    end_time = PlainTimeField(_l("End time (optional)"), validators=[Optional()])
    location = StringField(_l("Where?"), validators=[Optional(), Length(max=300)])
    notes = TextAreaField(_l("Notes (optional)"), validators=[Optional(), Length(max=2000)])
    expected = CheckboxesField(
        _l("Who is expected?"), coerce=inputs.bounded_int, validate_choice=True
    )
    shared_with_network = BooleanField(_l("Visible to network"), default=True)
