"""The survey form, built from the survey's questions for the respondent's group."""

from __future__ import annotations

from typing import Any

from wtforms import RadioField, TextAreaField
from wtforms.validators import Length, Optional

from samenplan.core.forms import OnceForm, options
from samenplan.core.i18n import lazy_gettext as _l
from samenplan.monitoring.surveys import REMARK_MAX, Question


def survey_form_class(questions: tuple[Question, ...], locale: str) -> Any:
    """A form class with one radio group per question (each may stay open) and a remark."""

    class SurveyForm(OnceForm):
        remark = TextAreaField(
            _l("Anything else you want to say? (optional)"),
            validators=[Optional(), Length(max=REMARK_MAX)],
        )

    for q in questions:
        field = RadioField(
            q.text(locale),
            choices=options((str(c.value), c.label(locale)) for c in q.choices),
            validators=[Optional()],
            validate_choice=True,
        )
        setattr(SurveyForm, f"q_{q.id}", field)
    return SurveyForm


def survey_form(questions: tuple[Question, ...], locale: str) -> Any:
    return survey_form_class(questions, locale)()


def answers_of(form: Any, questions: tuple[Question, ...]) -> dict[str, int | None]:
    given: dict[str, int | None] = {}
    for q in questions:
        raw = form[f"q_{q.id}"].data
        given[q.id] = int(raw) if raw not in (None, "", "None") else None
    return given
