"""Options for printing a summary."""

from __future__ import annotations

from wtforms.validators import Optional

from samenplan.core.forms import CheckboxesField, Form, PlainDateField, options
from samenplan.core.i18n import lazy_gettext as _l
from samenplan.reports.summary import Section

SECTION_LABELS = {
    Section.HOUSEHOLD: _l("Household and participants"),
    Section.GOALS: _l("Goals with progress"),
    Section.ACTIONS: _l("Actions"),
    Section.AGENDA: _l("Agenda"),
    Section.SCREENING: _l("Strengths checks"),
    Section.LOGBOOK: _l("Logbook"),
}


class SummaryForm(Form):
    """Read from the query string: the PDF link is a plain GET that changes nothing."""

    class Meta(Form.Meta):
        csrf = False

    sections = CheckboxesField(
        _l("What to print"), choices=options(SECTION_LABELS.items()), validate_choice=True
    )
    since = PlainDateField(_l("From (date, optional)"), validators=[Optional()])
    until = PlainDateField(_l("Until (date, optional)"), validators=[Optional()])
