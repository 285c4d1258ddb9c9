"""The bounds on user input: dates, whole numbers, page numbers, ids and text."""

from __future__ import annotations

import datetime as dt

import pytest
from flask import Flask
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import NotFound
from werkzeug.routing import Map, Rule
from wtforms import HiddenField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length

from samenplan.core import inputs
from samenplan.core.forms import Form, PlainDateField, PlainIntegerField
from samenplan.plans.forms import ProgressForm


class _Dates(Form):
    class Meta(Form.Meta):
        csrf = False

    day = PlainDateField()
    number = PlainIntegerField()


def _form(app: Flask, cls: type[Form], **data: str) -> Form:
    with app.test_request_context(method="POST", data=data):
        form = cls()
        form.validate()
        return form


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("1900-01-01", True),
        ("2200-12-31", True),
        ("2026-06-01", True),
        ("1899-12-31", False),
        ("2201-01-01", False),
        ("0001-01-01", False),
        ("9999-12-31", False),
    ],
)
def test_a_date_field_accepts_only_sensible_years(app: Flask, value: str, ok: bool) -> None:
    form = _form(app, _Dates, day=value)
    if ok:
        assert form.day.errors == [] and form.day.data == dt.date.fromisoformat(value)
    else:
        assert form.day.data is None
        assert form.day.errors == ["Kies een datum tussen 1900 en 2200."]


@pytest.mark.parametrize(
    ("typed", "day"),
    [
        ("31-12-2026", dt.date(2026, 12, 31)),  # as the message says
        ("1-2-2027", dt.date(2027, 2, 1)),
        ("01/02/2027", dt.date(2027, 2, 1)),
        ("1.2.2027", dt.date(2027, 2, 1)),
        (" 29-2-2028 ", dt.date(2028, 2, 29)),
        ("2026-12-31", dt.date(2026, 12, 31)),  # the date picker's value
    ],
)
def test_a_date_is_read_the_dutch_way_and_as_the_date_picker_sends_it(
    app: Flask, typed: str, day: dt.date
) -> None:
    form = _form(app, _Dates, day=typed)
    assert form.day.errors == [] and form.day.data == day
    # shown again as the date picker needs it
    assert 'value="' + day.isoformat() + '"' in str(form.day())


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("31-12-26", "Schrijf het jaar helemaal, zoals 31-12-2026."),
        ("31-02-2026", "Deze datum bestaat niet. Kijk de dag en de maand na."),
        ("29-2-2027", "Deze datum bestaat niet. Kijk de dag en de maand na."),
        ("1-1-0001", "Kies een datum tussen 1900 en 2200."),
        ("31-12-9999", "Kies een datum tussen 1900 en 2200."),
        ("31-12/2026", "Vul een datum in als dag-maand-jaar, zoals 31-12-2026."),
        ("morgen", "Vul een datum in als dag-maand-jaar, zoals 31-12-2026."),
        ("٣١-١٢-٢٠٢٦", "Vul een datum in als dag-maand-jaar, zoals 31-12-2026."),
        ("1" * 5000, "Vul een datum in als dag-maand-jaar, zoals 31-12-2026."),
    ],
)
def test_an_unreadable_date_says_why_and_is_kept(app: Flask, typed: str, message: str) -> None:
    form = _form(app, _Dates, day=typed)
    assert form.day.data is None
    assert form.day.errors == [message]
    if typed.isascii() and len(typed) < 50 and "9999" not in typed and "0001" not in typed:
        assert f'value="{typed}"' in str(form.day())


def test_a_required_date_that_was_typed_gets_the_reason_not_enter_a_date(app: Flask) -> None:
    from samenplan.agenda.forms import AgendaForm

    with app.test_request_context(
        method="POST", data={"date": "31-02-2026", "start_time": "14:30", "kind": "appointment"}
    ):
        form = AgendaForm()
        form.expected.choices = []
        form.validate()
        assert form.date.errors == ["Deze datum bestaat niet. Kijk de dag en de maand na."]


def test_the_english_date_message_gives_an_example_that_is_accepted(app: Flask) -> None:
    with app.test_request_context(method="POST", data={"day": "Dec 31, 2026"}):
        from flask_babel import force_locale

        with force_locale("en"):
            form = _Dates()
            form.validate()
            message = form.day.errors[0]
    assert message == "Enter a date as day-month-year, like 31-12-2026."
    assert _form(app, _Dates, day="31-12-2026").day.data == dt.date(2026, 12, 31)


@pytest.mark.parametrize(("typed", "hour", "minute"), [("14:30", 14, 30), ("9.05", 9, 5)])
def test_a_time_is_read_with_a_colon_or_a_dot(
    app: Flask, typed: str, hour: int, minute: int
) -> None:
    from samenplan.core.forms import PlainTimeField

    class _Time(Form):
        class Meta(Form.Meta):
            csrf = False

        at = PlainTimeField()

    form = _form(app, _Time, at=typed)
    assert form.errors == {} and form.at.data == dt.time(hour, minute)
    assert _form(app, _Time, at="25:00").errors == {"at": ["Vul een tijd in, zoals 14:30."]}


@pytest.mark.parametrize("value", ["2147483648", "-2147483649", "9" * 100, "-" + "9" * 100])
def test_a_number_beyond_the_database_is_refused(app: Flask, value: str) -> None:
    form = _form(app, _Dates, number=value)
    assert form.number.data is None
    assert form.number.errors == ["Dit getal is te groot."]


def test_a_number_beyond_the_database_gets_the_fields_own_range_message(app: Flask) -> None:
    form = _form(app, ProgressForm, value="9" * 100)
    assert form.errors == {"value": ["Kies een getal van 0 tot 10."]}


CONTROL_MESSAGE = (
    "Er stond een onzichtbaar teken in deze tekst dat niet mag. We hebben het weggehaald: "
    "kijk de tekst na en verstuur hem opnieuw."
)


class _Texts(Form):
    class Meta(Form.Meta):
        csrf = False

    text = StringField()
    long = TextAreaField()
    secret = HiddenField()
    choice = SelectField(choices=[SelectChoice("housing", "Housing")])


@pytest.mark.parametrize("value", ["a\x00b", "\x1b[0m", "x\x7f", "x\x85", "\x0b", "\x0c"])
def test_a_control_character_in_form_text_is_refused_with_a_message(app: Flask, value: str) -> None:
    form = _form(app, _Texts, text=value, long="fine", choice="housing")
    assert form.errors == {"text": [CONTROL_MESSAGE]}
    # the field holds the text without it: shown again, and harmless if a view stores it
    assert form.text.data == inputs.clean_text(value)
    assert form.long.data == "fine"


def test_tabs_and_line_breaks_are_fine(app: Flask) -> None:
    form = _form(app, _Texts, text="a\tb", long="c\r\nd\ne\rf", choice="housing")
    assert form.errors == {}
    assert form.long.data == "c\r\nd\ne\rf"


def test_other_fields_with_a_control_character_are_refused_too(app: Flask) -> None:
    form = _form(app, _Texts, choice="hous\x00ing", secret="1\x00")
    assert set(form.errors) == {"choice", "secret", ""}  # "": the form as a whole
    assert form.choice.errors == [CONTROL_MESSAGE]
    # a hidden field has no place for its message: it is shown at the top of the form
    assert form.form_errors == [CONTROL_MESSAGE]
    assert form.choice.data == "housing" and form.secret.data == "1"


def test_a_control_character_in_a_field_name_is_refused(app: Flask) -> None:
    form = _form(app, _Texts, choice="housing", **{"te\x00xt": "hallo"})
    assert form.errors == {"text": [CONTROL_MESSAGE]}


def test_validating_twice_gives_one_message(app: Flask) -> None:
    with app.test_request_context(method="POST", data={"secret": "\x00", "choice": "housing"}):
        form = _Texts()
        assert not form.validate()
        assert not form.validate()
        assert form.form_errors == [CONTROL_MESSAGE]


def test_a_form_without_posted_data_has_nothing_to_refuse(app: Flask) -> None:
    with app.test_request_context(method="GET"):
        form = _Texts(data={"text": "a"})
        assert form.control_names == frozenset()


def test_clean_formdata_keeps_repeated_names_and_names_the_dirty_ones() -> None:
    cleaned, dirty = inputs.clean_formdata(
        MultiDict([("a\x00", "1\x00"), ("a", "2"), ("b", "3"), ("c", "4\x07")])
    )
    assert cleaned.getlist("a") == ["1", "2"]
    assert cleaned.getlist("c") == ["4"]
    assert dirty == {"a", "c"}
    assert inputs.clean_formdata(None) == (None, frozenset())


def test_has_control() -> None:
    assert inputs.has_control("\x00") and inputs.has_control("\x9f")
    assert not inputs.has_control("tab\tline\nreturn\r é😀")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("12", 12),
        (" 7 ", 7),
        ("-3", -3),
        ("+4", 4),
        (5, 5),
        ("2147483647", 2147483647),
        ("2147483648", None),
        ("9" * 100, None),
        ("\u00b2", None),
        ("\u0663", None),
        ("1_000", None),
        ("1.5", None),
        ("", None),
        (None, None),
        (True, None),
    ],
)
def test_parse_int(value: object, expected: int | None) -> None:
    assert inputs.parse_int(value) == expected


def test_coercions_for_select_fields() -> None:
    assert inputs.bounded_int("42") == 42
    assert inputs.optional_int("") is None and inputs.optional_int("None") is None
    for bad in ("9" * 100, "\u00b2", "x"):
        with pytest.raises(ValueError):
            inputs.bounded_int(bad)
        with pytest.raises(ValueError):
            inputs.optional_int(bad)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", 1),
        ("page=3", 3),
        ("page=0", 1),
        ("page=-5", 1),
        ("page=abc", 1),
        ("page=9223372036854775808", 1),
        ("page=99999", inputs.PAGE_MAX),
    ],
)
def test_page_arg(app: Flask, query: str, expected: int) -> None:
    with app.test_request_context(f"/?{query}"):
        assert inputs.page_arg() == expected


def test_int_arg_and_text_arg(app: Flask) -> None:
    with app.test_request_context("/?a=5&b=99999999999&c=x&q=%20zo%00ek%20"):
        assert inputs.int_arg("a") == 5
        assert inputs.int_arg("b") is None
        assert inputs.int_arg("c", default=-1) == -1
        assert inputs.int_arg("missing") is None
        assert inputs.text_arg("q") == "zoek"
        assert inputs.text_arg("q", max_length=2) == "zo"


def test_int_list() -> None:
    assert inputs.int_list(["3", "\u00b2", "9" * 100, "3", "0", "x", "7"]) == [3, 7]


def test_url_converters_turn_odd_path_values_into_404s() -> None:
    urls = Map(
        [Rule("/plans/<plan_id>/goals/<int:goal_id>", endpoint="goal")],
        converters={"default": inputs.TextConverter, "int": inputs.BoundedIntConverter},
    ).bind("localhost")
    assert urls.match("/plans/abc/goals/5") == ("goal", {"plan_id": "abc", "goal_id": 5})
    for path in (
        "/plans/a\x00b/goals/5",
        "/plans/abc/goals/2147483648",
        "/plans/abc/goals/" + "9" * 5000,
    ):
        with pytest.raises(NotFound):
            urls.match(path)


class _Lengths(Form):
    class Meta(Form.Meta):
        csrf = False

    title = StringField(validators=[Length(max=300)])
    note = TextAreaField(validators=[Length(max=20)])
    code = StringField(validators=[Length(min=4, max=8, message="Four to eight, please.")])


def test_a_text_that_is_too_long_is_refused_with_our_message_and_kept_whole(app: Flask) -> None:
    pasted = "Ik wil weer rustig slapen. " * 200  # 5 400 characters
    form = _form(app, _Lengths, title=pasted, note="kort", code="abcd")
    assert form.errors == {"title": [f"Maak dit korter: maximaal 300 tekens (nu {len(pasted)})."]}
    assert form.title.data == pasted
    assert f'value="{pasted}"' in str(form.title())


def test_no_input_carries_a_maxlength_that_would_cut_a_paste(app: Flask) -> None:
    form = _form(app, _Lengths, title="a", note="b", code="c")
    rendered = str(form.title()) + str(form.note()) + str(form.code())
    assert "maxlength" not in rendered and "minlength" not in rendered
    assert form.code.errors == ["Four to eight, please."]  # a form's own message stays


def test_every_form_of_the_app_renders_without_maxlength(app: Flask) -> None:
    """Every field of every form class in the package: none tells the browser to cut."""
    import importlib
    import pkgutil

    import samenplan

    classes: set[type[Form]] = set()
    for module in pkgutil.walk_packages(samenplan.__path__, "samenplan."):
        if module.name.endswith(".forms"):
            found = importlib.import_module(module.name)
            classes.update(
                c for c in vars(found).values() if isinstance(c, type) and issubclass(c, Form)
            )
    assert len(classes) > 20
    with app.test_request_context(method="GET"):
        for cls in classes:
            form = cls(formdata=None)
            for field in form:
                assert field.flags.maxlength is None, (cls.__name__, field.name)
                assert not any(type(v) is Length for v in field.validators), cls.__name__
