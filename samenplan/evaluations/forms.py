"""The evaluation cycle and the report of an evaluation moment."""

from __future__ import annotations

from flask_babel.speaklater import LazyString
from wtforms import BooleanField, SelectField, TextAreaField
from wtforms.validators import DataRequired, Length

from samenplan.core import inputs
from samenplan.core.forms import Form, OnceForm, options
from samenplan.core.i18n import lazy_gettext as _l
from samenplan.evaluations.due import CYCLE_CHOICES


def cycle_label(months: int) -> LazyString:
    return _l("Every month") if months == 1 else _l("Every %(n)d months", n=months)


class CycleForm(Form):
    months = SelectField(
        _l("How often do you look back at the plan together?"),
        coerce=inputs.bounded_int,
        choices=options((m, cycle_label(m)) for m in CYCLE_CHOICES),
        validate_choice=True,
    )


class ReportForm(OnceForm):
    text = TextAreaField(
        _l("Report of the evaluation"),
        validators=[DataRequired(_l("Write what you agreed.")), Length(max=4000)],
        description=_l(
            "What went well, what you agreed for the next period. It goes into the logbook."
        ),
    )
    shared_with_network = BooleanField(_l("Visible to network"), default=True)
