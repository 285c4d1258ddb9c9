"""The base form of every Samenplan form."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from flask import request
from flask_wtf import FlaskForm
from flask_wtf.form import _Auto, _is_submitted
from werkzeug.datastructures import CombinedMultiDict
from wtforms import (
    DateField,
    HiddenField,
    IntegerField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TimeField,
)
from wtforms.validators import (
    DataRequired,
    Length,
    NumberRange,
    Optional,
    StopValidation,
    ValidationError,
)
from wtforms.widgets import CheckboxInput, ListWidget

from samenplan.core import inputs, once
from samenplan.core.i18n import lazy_gettext as _l

CONTROL_MESSAGE = _l(
    "This text contained an invisible character that is not allowed. We took it out: "
    "check the text and send it again."
)


TOO_LONG_MESSAGE = _l("Make this shorter: at most %(max)d characters (now %(length)d).")
TOO_SHORT_MESSAGE = _l("Make this longer: at least %(min)d characters (now %(length)d).")


class TextLength(Length):
    """A text's length, checked on the server, with our plain message (how many characters
    it may have and has now). It gives the input no ``maxlength``: a browser cuts a pasted
    text at that length without a word, and the rest is lost before anyone sees it."""

    def __init__(self, min: int = -1, max: int = -1, message: Any = None) -> None:
        super().__init__(min, max, message)
        self.field_flags: dict[str, Any] = {}

    def __call__(self, form: Any, field: Any) -> None:
        length = len(field.data) if isinstance(field.data, str) else 0
        if length >= self.min and (self.max == -1 or length <= self.max):
            return
        if self.message is not None:
            message = self.message
        elif self.max != -1 and length > self.max:
            message = TOO_LONG_MESSAGE
        else:
            message = TOO_SHORT_MESSAGE
        raise ValidationError(str(message) % {"min": self.min, "max": self.max, "length": length})


def _own_length(validator: Any) -> Any:
    if type(validator) is Length:
        return TextLength(validator.min, validator.max, validator.message)
    return validator


class Form(FlaskForm):
    """Reads only HTML form posts. Flask-WTF would also read a JSON body, where a field
    could arrive as a list or object instead of text; our pages never send JSON.

    A value with a control character (tabs and line breaks are fine) is refused with a
    message on its field: nobody types them, and PostgreSQL refuses a NUL in text. The
    fields hold the value without them, so the page shows the text again without the
    character and a view that reads a field without validating stores nothing harmful.

    Every ``Length`` of every form becomes a ``TextLength`` when the field is bound: a text
    that is too long is refused with our message and kept whole in its field, and no input
    carries a ``maxlength`` that would cut a paste short."""

    #: names of the posted values that had a control character, set by ``wrap_formdata``
    control_names: frozenset[str] = frozenset()

    class Meta(FlaskForm.Meta):
        def bind_field(self, form: Any, unbound_field: Any, options: Any) -> Any:
            field = super().bind_field(form, unbound_field, options)
            field.validators = [_own_length(v) for v in field.validators]
            for flag in ("maxlength", "minlength"):
                vars(field.flags).pop(flag, None)
            return field

        def wrap_formdata(self, form: Any, formdata: Any) -> Any:
            if formdata is _Auto:
                if not _is_submitted():
                    return None
                formdata = (
                    CombinedMultiDict((request.files, request.form))
                    if request.files
                    else request.form
                )
            cleaned, form.control_names = inputs.clean_formdata(formdata)
            return cleaned

    def validate(self, extra_validators: Mapping[str, Sequence[Any]] | None = None) -> bool:
        valid: bool = super().validate(extra_validators)
        for field in self:
            if field.name in self.control_names:
                # one message, in place of whatever the cleaned value was found to miss
                message = str(CONTROL_MESSAGE)
                field.errors = [message]
                # a hidden field shows no message of its own (the CSRF token shows "expired")
                hidden = isinstance(field, HiddenField) and field.type != "CSRFTokenField"
                if hidden and message not in self.form_errors:
                    self.form_errors.append(message)
                valid = False
        return valid


DATE_RANGE_MESSAGE = _l(
    "Choose a date between %(first)s and %(last)s.", first=inputs.YEAR_MIN, last=inputs.YEAR_MAX
)
NUMBER_RANGE_MESSAGE = _l("This number is too large.")
DATE_MESSAGES = {
    inputs.DateProblem.UNREADABLE: _l("Enter a date as day-month-year, like 31-12-2026."),
    inputs.DateProblem.SHORT_YEAR: _l("Write the year in full, like 31-12-2026."),
    inputs.DateProblem.NO_SUCH_DAY: _l("This date does not exist. Check the day and the month."),
    inputs.DateProblem.OUT_OF_RANGE: DATE_RANGE_MESSAGE,
}


class PlainDateField(DateField):
    """A date typed the Dutch way (31-12-2026, 1/2/2027, 1.2.2027) or sent by the browser's
    date picker (2026-12-31); see ``inputs.parse_date``. When it cannot be read, the message
    says why, in plain words. Only years from ``inputs.YEAR_MIN`` to ``inputs.YEAR_MAX``."""

    data: Any  # a date or None; Any like every other WTForms field, for the views' sake

    def process_formdata(self, valuelist: list[str]) -> None:
        if not valuelist:
            return
        self.data = None
        try:
            self.data = inputs.parse_date(" ".join(valuelist))
        except inputs.DateNotRead as error:
            raise ValueError(str(DATE_MESSAGES[error.problem])) from None

    def _value(self) -> str:
        # the date picker shows only an ISO value; what was typed is shown when unreadable
        if self.data is not None:
            return str(self.data.isoformat())
        return " ".join(self.raw_data) if self.raw_data else ""

    def validate(self, form: Any, extra_validators: Sequence[Any] = ()) -> bool:
        if self.process_errors and self.raw_data and " ".join(self.raw_data).strip():
            # a date was typed but not read: say why, not "enter a date" (DataRequired's)
            self.errors = list(self.process_errors)
            return False
        valid: bool = super().validate(form, extra_validators)
        return valid

    def pre_validate(self, form: Any) -> None:
        if self.data is not None and not inputs.date_in_range(self.data):
            self.data = None
            raise StopValidation(str(DATE_RANGE_MESSAGE))


class PlainTimeField(TimeField):
    """A time as 14:30 (the time picker) or 14.30 (as it is often written in Dutch)."""

    data: Any  # a time or None

    def process_formdata(self, valuelist: list[str]) -> None:
        if not valuelist:
            return
        self.data = None
        try:
            self.data = inputs.parse_time(" ".join(valuelist))
        except ValueError:
            raise ValueError(str(_l("Enter a time like 14:30."))) from None


class PlainIntegerField(IntegerField):
    """A whole number that fits in the database. Beyond that the message of the field's
    ``NumberRange`` is shown, if it has one."""

    data: Any  # an int or None

    def process_formdata(self, valuelist: list[str]) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(str(_l("Enter a whole number."))) from None

    def pre_validate(self, form: Any) -> None:
        if self.data is not None and not inputs.int_in_range(self.data):
            self.data = None
            message = next(
                (v.message for v in self.validators if isinstance(v, NumberRange) and v.message),
                NUMBER_RANGE_MESSAGE,
            )
            raise StopValidation(str(message))


class CheckboxesField(SelectMultipleField):
    """A multiple choice shown as a list of checkboxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def options(pairs: Iterable[tuple[Any, Any]]) -> list[SelectChoice]:
    """Select options from (value, label) pairs."""
    return [SelectChoice(value, label) for value, label in pairs]


class ConfirmForm(Form):
    """A button that changes something: only the CSRF token."""


class OnceForm(Form):
    """A form that makes something (a goal, an invitation, a progress entry): sent twice,
    it makes one (``core.once``). The token is issued when the form is made without a
    readable one posted, and ``csrf_field`` renders it beside the CSRF token."""

    form_token = HiddenField()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not once.readable(self.form_token.data):
            self.form_token.data = once.new_token()

    @property
    def token(self) -> str:
        return str(self.form_token.data)


class CreateButtonForm(OnceForm):
    """A button that makes something (a version of the plan): the CSRF token and a token
    for this one press."""


LANGUAGE_CHOICES = [SelectChoice("nl", "Nederlands"), SelectChoice("en", "English")]


class LanguageForm(Form):
    locale = SelectField(choices=LANGUAGE_CHOICES, validators=[DataRequired()])
    next = StringField(validators=[Optional(), Length(max=2000)])
