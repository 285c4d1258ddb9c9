"""Bounds on what users send: dates, whole numbers, page numbers, ids and text.

Anything outside these bounds is refused before it reaches the database or a time zone
conversion. PostgreSQL refuses integers beyond 32 bits and NUL characters in text; SQLite
refuses integers beyond 64 bits; a date in year 1 cannot be moved to UTC from Amsterdam.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from collections.abc import Iterable
from typing import Any

from flask import request
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.routing import IntegerConverter, UnicodeConverter, ValidationError

#: The years a date field accepts: wide enough for any date of birth and any plan.
YEAR_MIN = 1900
YEAR_MAX = 2200
DATE_MIN = dt.date(YEAR_MIN, 1, 1)
DATE_MAX = dt.date(YEAR_MAX, 12, 31)

#: A PostgreSQL ``integer`` column; ids and every stored whole number fit in it.
INT_MIN = -(2**31)
INT_MAX = 2**31 - 1

#: No list is longer than this many pages; a higher page number shows the last (empty) page.
PAGE_MAX = 10_000

_WHOLE_NUMBER = re.compile(r"[+-]?[0-9]{1,12}")
# 31-12-2026, 1/2/2027, 1.2.2027 (one separator throughout), or the date picker's 2026-12-31
_DAY_MONTH_YEAR = re.compile(r"([0-9]{1,2}) ?([-/.]) ?([0-9]{1,2}) ?\2 ?([0-9]{1,4})")
_ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")
_TIME = re.compile(r"([0-9]{1,2})[:.]([0-9]{2})(?:[:.]([0-9]{2}))?")
# C0 controls except tab, line feed and carriage return; DEL; the C1 controls.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def date_in_range(value: dt.date) -> bool:
    return DATE_MIN <= value <= DATE_MAX


class DateProblem(enum.Enum):
    """Why a typed date was not read, so that the form can say what to change."""

    UNREADABLE = "unreadable"
    SHORT_YEAR = "short_year"  # 31-12-26: which century is meant is a guess
    NO_SUCH_DAY = "no_such_day"  # 31-02-2026
    OUT_OF_RANGE = "out_of_range"  # before YEAR_MIN or after YEAR_MAX


class DateNotRead(ValueError):
    def __init__(self, problem: DateProblem) -> None:
        super().__init__(problem.value)
        self.problem = problem


def parse_date(text: str) -> dt.date:
    """A date as people in the Netherlands write it (day-month-year: 31-12-2026, 1/2/2027,
    1.2.2027) or as a date picker sends it (2026-12-31), within YEAR_MIN..YEAR_MAX.

    Raises ``DateNotRead`` with the reason. A two-digit year is refused rather than
    guessed: "1-2-30" may be a birthday in 1930 or a target in 2030."""
    value = text.strip()
    if match := _ISO_DATE.fullmatch(value):
        year, month, day = (int(part) for part in match.groups())
    elif match := _DAY_MONTH_YEAR.fullmatch(value):
        day, month, year = int(match[1]), int(match[3]), int(match[4])
        if len(match[4]) < 4:
            raise DateNotRead(DateProblem.SHORT_YEAR)
    else:
        raise DateNotRead(DateProblem.UNREADABLE)
    if not YEAR_MIN <= year <= YEAR_MAX:
        raise DateNotRead(DateProblem.OUT_OF_RANGE)
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise DateNotRead(DateProblem.NO_SUCH_DAY) from None


def parse_time(text: str) -> dt.time:
    """A time of day as 14:30 or 14.30 (seconds allowed); ValueError otherwise."""
    match = _TIME.fullmatch(text.strip())
    if match is None:
        raise ValueError("not a time")
    hour, minute, second = int(match[1]), int(match[2]), int(match[3] or 0)
    return dt.time(hour, minute, second)


def int_in_range(value: int, minimum: int = INT_MIN, maximum: int = INT_MAX) -> bool:
    return minimum <= value <= maximum


def parse_int(value: object, *, minimum: int = INT_MIN, maximum: int = INT_MAX) -> int | None:
    """A whole number written in ASCII digits within the bounds, else None.

    Stricter than ``int()``, which also reads "1_000", "٣" and numbers of thousands of digits.
    """
    if not isinstance(value, str | int) or isinstance(value, bool):
        return None
    text = str(value).strip()
    if not _WHOLE_NUMBER.fullmatch(text):
        return None
    number = int(text)
    return number if minimum <= number <= maximum else None


def bounded_int(value: object) -> int:
    """``coerce`` for select fields of ids: raises ValueError (shown as an invalid choice)
    for anything that is no id."""
    if isinstance(value, int) and not isinstance(value, bool) and int_in_range(value):
        return value
    number = parse_int(value)
    if number is None:
        raise ValueError("not a whole number in range")
    return number


def optional_int(value: object) -> int | None:
    """``coerce`` for select fields with an empty choice ("nobody", "the household")."""
    if value in (None, "", "None"):
        return None
    return bounded_int(value)


def int_arg(
    name: str,
    default: int | None = None,
    *,
    minimum: int = 1,
    maximum: int = INT_MAX,
) -> int | None:
    """A whole number from the query string, or ``default`` when it is missing, unreadable
    or out of bounds."""
    number = parse_int(request.args.get(name), minimum=minimum, maximum=maximum)
    return default if number is None else number


def page_arg(name: str = "page", maximum: int = PAGE_MAX) -> int:
    """A page number from the query string: 1 when missing or unreadable, at most
    ``maximum``."""
    number = parse_int(request.args.get(name), minimum=1, maximum=INT_MAX)
    return 1 if number is None else min(number, maximum)


def text_arg(name: str, max_length: int = 100) -> str:
    """Text from the query string (a search term): without control characters, trimmed,
    at most ``max_length`` characters; "" when missing."""
    return clean_text(request.args.get(name) or "").strip()[:max_length]


def int_list(values: Iterable[object], *, minimum: int = 1, maximum: int = INT_MAX) -> list[int]:
    """The readable, in-range whole numbers of ``values`` (checkbox lists of ids), in order,
    without repeats."""
    seen: dict[int, None] = {}
    for value in values:
        number = parse_int(value, minimum=minimum, maximum=maximum)
        if number is not None:
            seen[number] = None
    return list(seen)


def has_control(value: str) -> bool:
    """Whether ``value`` holds a control character other than tab and line breaks."""
    return _CONTROL.search(value) is not None


def clean_text(value: str) -> str:
    """``value`` without control characters; tabs and line breaks stay."""
    return _CONTROL.sub("", value)


def clean_formdata(formdata: Any) -> tuple[Any, frozenset[str]]:
    """A copy of posted form data (or a query string) with control characters removed from
    every name and text value, and the (cleaned) names that had any; uploaded files pass
    unchanged.

    The forms refuse the names returned; the copy makes sure that what a view reads
    without validating can still be stored (PostgreSQL refuses a NUL in text)."""
    if formdata is None or not hasattr(formdata, "lists"):
        return formdata, frozenset()
    cleaned: MultiDict[str, Any] = MultiDict()
    dirty: set[str] = set()
    for key, values in formdata.lists():
        name = clean_text(key)
        for value in values:
            if isinstance(value, FileStorage):
                cleaned.add(name, value)
                continue
            text = str(value)
            if name != key or has_control(text):
                dirty.add(name)
            cleaned.add(name, clean_text(text))
    return cleaned, frozenset(dirty)


class BoundedIntConverter(IntegerConverter):
    """The ``int`` URL converter, bounded to ids the database can hold: a larger number in a
    URL is a 404 instead of an overflow in the query."""

    def __init__(self, map: Any, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", INT_MAX)
        super().__init__(map, *args, **kwargs)

    def to_python(self, value: str) -> Any:
        if len(value) > 12:  # int() of thousands of digits is slow, and refused past 4300
            raise ValidationError
        return super().to_python(value)


class TextConverter(UnicodeConverter):
    """The default URL converter, refusing control characters (a NUL in a plan id would
    reach PostgreSQL, which refuses it): such a URL is a 404."""

    def __init__(self, map: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(map, *args, **kwargs)
        self.regex = self.regex.replace("[^/]", "[^/\\x00-\\x1f\\x7f]", 1)
