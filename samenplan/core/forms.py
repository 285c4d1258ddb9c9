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
from wtforms.validators import DataRequired, Length, NumberRange, Optional, StopValidation
from wtforms.widgets import CheckboxInput, ListWidget

from samenplan.core import inputs
from samenplan.core.i18n import lazy_gettext as _l

CONTROL_MESSAGE = _l(
    "This text contained an invisible character that is not allowed. We took it out: "
    "check the text and send it again."
)


class Form(FlaskForm):
    """Reads only HTML form posts. Flask-WTF would also read a JSON body, where a field
    could arrive as a list or object instead of text; our pages never send JSON.

    A value with a control character (tabs and line breaks are fine) is refused with a
    message on its field: nobody types them, and PostgreSQL refuses a NUL in text. The
    fields hold the value without them, so the page shows the text again without the
    character and a view that reads a field without validating stores nothing harmful."""

    #: names of the posted values that had a control character, set by ``wrap_formdata``
    control_names: frozenset[str] = frozenset()

    class Meta(FlaskForm.Meta):
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


class PlainDateField(DateField):
    """A date field whose message, when the date cannot be read, is ours and plain. Only
    years from ``inputs.YEAR_MIN`` to ``inputs.YEAR_MAX`` are accepted."""

    data: Any  # a date or None; Any like every other WTForms field, for the views' sake

    def process_formdata(self, valuelist: list[str]) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(str(_l("Enter a date like 31-12-2026."))) from None

    def pre_validate(self, form: Any) -> None:
        if self.data is not None and not inputs.date_in_range(self.data):
            self.data = None
            raise StopValidation(str(DATE_RANGE_MESSAGE))


class PlainTimeField(TimeField):
    def process_formdata(self, valuelist: list[str]) -> None:
        try:
            super().process_formdata(valuelist)
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


LANGUAGE_CHOICES = [SelectChoice("nl", "Nederlands"), SelectChoice("en", "English")]


class LanguageForm(Form):
    locale = SelectField(choices=LANGUAGE_CHOICES, validators=[DataRequired()])
    next = StringField(validators=[Optional(), Length(max=2000)])
