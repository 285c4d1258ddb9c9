"""The base form of every Samenplan form."""

from __future__ import annotations

from typing import Any

from flask import request
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.form import _Auto, _is_submitted
from werkzeug.datastructures import CombinedMultiDict
from wtforms import DateField, IntegerField, SelectMultipleField, TimeField
from wtforms.validators import NumberRange, StopValidation
from wtforms.widgets import CheckboxInput, ListWidget

from samenplan.core import inputs


class Form(FlaskForm):
    """Reads only HTML form posts. Flask-WTF would also read a JSON body, where a field
    could arrive as a list or object instead of text; our pages never send JSON.

    Control characters are taken out of every value first (tabs and line breaks stay):
    nobody types them, and PostgreSQL refuses a NUL in text."""

    class Meta(FlaskForm.Meta):
        def wrap_formdata(self, form: Any, formdata: Any) -> Any:
            if formdata is not _Auto:
                return inputs.clean_formdata(formdata)
            if not _is_submitted():
                return None
            if request.files:
                return inputs.clean_formdata(CombinedMultiDict((request.files, request.form)))
            return inputs.clean_formdata(request.form)


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
