"""Screening forms: shape only; the share rules live in rules.py and are applied by services."""

from __future__ import annotations

import datetime as dt

from werkzeug.datastructures import MultiDict
from wtforms import BooleanField, SelectField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from samenplan.core.forms import Form, OnceForm, PlainDateField, PlainIntegerField, options
from samenplan.core.i18n import current_locale
from samenplan.core.i18n import lazy_gettext as _l
from samenplan.plans.models import Person
from samenplan.screening.instruments import Domain, Instrument, registry, today_age
from samenplan.screening.models import DOMAIN_FIELDS, DOMAIN_TEXTS, DomainScore
from samenplan.screening.rules import PRESETS, Entry
from samenplan.screening.services import DomainInput

TEXT = [Optional(), Length(max=2000)]


class StartForm(OnceForm):
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

    def to_input(self) -> DomainInput:
        score = self.score.data
        return DomainInput(
            entry=Entry(
                score=int(score) if score and str(score).isdigit() else None,
                not_applicable=bool(self.not_applicable.data),
                own=self.own.data,
                network=self.network.data,
                professional=self.professional.data,
            ),
            **{name: getattr(self, name).data or "" for name in DOMAIN_TEXTS},
        )


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


# --- builders: a form with its choices and its data from the database -------------------------


def start_form(
    person: Person | None, today: dt.date, formdata: MultiDict[str, str] | None = None
) -> StartForm:
    """The instruments that fit the subject (the household, or a person of this age), the
    fitting one chosen, today's date."""
    form = StartForm(formdata=formdata, prefix="start")
    age = today_age(person.date_of_birth, today) if person else None
    choices = (
        registry().for_household()
        if person is None
        else registry().for_person(age) or list(registry())
    )
    form.instrument.choices = options((i.id, i.name(current_locale())) for i in choices)
    default = registry().default(household=person is None, age=age)
    if formdata is None:
        form.instrument.data = default.id if default else None
        form.moment.data = today
    return form


def domain_forms(
    instrument: Instrument, scores: list[DomainScore], formdata: MultiDict[str, str] | None
) -> list[tuple[Domain, DomainForm]]:
    """One form per life area of the check, from what was posted or what is stored."""
    locale = current_locale()
    scale = [("", str(_l("Choose…")))] + [
        (str(v), f"{v} – {t(locale)}") for v, t in sorted(instrument.scale.items())
    ]
    pairs = []
    for score in scores:
        domain = instrument.domain(score.domain_id)
        if domain is None:
            continue
        stored = {key: getattr(score, attr) for attr, key in DOMAIN_FIELDS}
        stored["score"] = str(score.score) if score.score else ""
        form = DomainForm(
            formdata=formdata,
            prefix=f"d-{score.domain_id}",
            data=None if formdata is not None else stored,
        )
        form.score.choices = options(scale)
        pairs.append((domain, form))
    return pairs


def domain_inputs(pairs: list[tuple[Domain, DomainForm]]) -> dict[str, DomainInput]:
    return {domain.id: form.to_input() for domain, form in pairs}


def apply_preset(pairs: list[tuple[Domain, DomainForm]], preset: str) -> None:
    """ "Quick choice": one life area's shares set to a preset ("finances:network")."""
    domain_id, _sep, name = preset.partition(":")
    shares = PRESETS.get(name)
    for domain, form in pairs:
        if domain.id == domain_id and shares is not None:
            form.own.data, form.network.data, form.professional.data = shares
            form.own.raw_data = form.network.raw_data = form.professional.raw_data = None
