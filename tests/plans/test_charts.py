"""The goal's progress chart: date labels that never run together."""

from __future__ import annotations

import datetime as dt
import itertools
import re

from samenplan.plans.charts import LEFT, RIGHT, WIDTH, date_labels, progress_chart
from samenplan.plans.models import ProgressEntry


def _entries(*days: dt.date) -> list[ProgressEntry]:
    return [ProgressEntry(recorded_on=day, value=n % 11) for n, day in enumerate(days)]


def _labels(svg: str) -> list[str]:
    return re.findall(r'<text x="[\d.]+" y="124"[^>]*>([^<]+)</text>', svg)


def test_scores_of_one_day_have_one_date_in_the_middle() -> None:
    day = dt.date(2026, 12, 2)
    svg = str(progress_chart(_entries(day, day, day), "nl"))
    assert _labels(svg) == ["2 dec 26"]  # not "2 dec 262 dec 26"
    assert 'x="169" y="124" text-anchor="middle"' in svg


def test_labels_keep_their_distance_and_show_the_first_and_the_last() -> None:
    start = dt.date(2026, 1, 1)
    days = [start + dt.timedelta(days=n) for n in (0, 1, 2, 3, 30, 31, 200, 364, 365)]
    plot = WIDTH - LEFT - RIGHT

    def x(day: dt.date) -> float:
        return LEFT + plot * (day - start).days / 365

    labels = date_labels(days, x)
    assert labels[0].text == "1 jan 26" and labels[-1].text == "1 jan 27"
    assert 2 < len(labels) < len(days)  # some in between, not all of them
    for left, right in itertools.pairwise(labels):
        assert left.extent[1] + 10 <= right.extent[0], (left, right)
    assert labels[0].extent[0] >= LEFT and labels[-1].extent[1] <= WIDTH - RIGHT
