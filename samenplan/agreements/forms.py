"""Answering a version of the plan."""

from __future__ import annotations

from wtforms import RadioField, TextAreaField
from wtforms.validators import DataRequired, Length

from samenplan.agreements.models import Answer
from samenplan.core.forms import Form, options
from samenplan.core.i18n import lazy_gettext as _l

ANSWER_LABELS = {
    Answer.AGREE: _l("I agree"),
    Answer.AGREE_WITH_REMARK: _l("I agree, with a remark"),
    Answer.DISAGREE: _l("I do not agree"),
}


class AnswerForm(Form):
    answer = RadioField(
        _l("Do you agree with this plan?"),
        choices=options((a.value, label) for a, label in ANSWER_LABELS.items()),
        validators=[DataRequired(_l("Choose an answer."))],
    )
    remark = TextAreaField(
        _l("Remark, or why you do not agree"),
        validators=[Length(max=2000)],
        description=_l("Needed when you have a remark or do not agree."),
    )
