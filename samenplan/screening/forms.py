"""Screening forms: shape only; the share rules live in rules.py and are applied by services."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from samenplan.core.forms import Form, PlainDateField, PlainIntegerField

TEXT = [Optional(), Length(max=2000)]


class StartForm(Form):
    """Who it is about comes from the hidden ``start-subject`` input; the view checks it."""

    instrument = SelectField(
        _l("Instrument"), validators=[DataRequired(_l("Choose an instrument."))]
    )
    moment = PlainDateField(
        _l("Date of the strengths check"),
        validators=[DataRequired(_l("Enter a date like 31-12-2026."))],
    )


class DomainForm(Form):
    """One life area. Rendered once per domain with the prefix ``d-<domain id>``."""

    class Meta(Form.Meta):
        csrf = False

    score = SelectField(_l("How is this life area going? (1–5)"), validators=[Optional()])
    not_applicable = BooleanField(_l("Not applicable"))
    own = PlainIntegerField(_l("Own strength %"), validators=[Optional()])
    network = PlainIntegerField(_l("Network %"), validators=[Optional()])
    professional = PlainIntegerField(_l("Professional help %"), validators=[Optional()])
    situation = TextAreaField(_l("The situation in short"), validators=TEXT)
    own_text = TextAreaField(_l("What the person does themselves"), validators=TEXT)
    network_text = TextAreaField(_l("What the network does"), validators=TEXT)
    professional_text = TextAreaField(_l("What professionals do"), validators=TEXT)


class ScreeningForm(Form):
    general_picture = TextAreaField(
        _l("The overall picture"), validators=[Optional(), Length(max=5000)]
    )
    shared_with_network = BooleanField(_l("Visible to network"))


class CorrectionForm(Form):
    reason = TextAreaField(
        _l("Why does this need a correction?"),
        validators=[DataRequired(_l("Write why this needs a correction.")), Length(max=2000)],
    )
