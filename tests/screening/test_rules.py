"""Share validation, signals at their thresholds, and the comparison arithmetic."""

from __future__ import annotations

import pytest

from samenplan.screening.rules import (
    Entry,
    EntryError,
    Signal,
    Thresholds,
    check_entry,
    compare,
    differs,
    signals,
)

T = Thresholds()


@pytest.mark.parametrize(
    ("entry", "complete", "code", "field"),
    [
        (Entry(score=3, own=50, network=30, professional=30), False, "shares_sum", "own"),
        (Entry(score=3, own=50, network=30, professional=10), False, "shares_sum", "own"),
        (Entry(score=3), False, "shares_missing", "own"),
        (Entry(own=100), False, "score_missing", "score"),
        (Entry(score=6, own=100), False, "score_range", "score"),
        (Entry(score=0, own=100), False, "score_range", "score"),
        (Entry(score=3, own=120, network=-20, professional=0), False, "share_range", "own"),
        (Entry(score=3, own=100, network=-10, professional=10), False, "share_range", "network"),
        (Entry(), True, "domain_missing", "score"),
    ],
)
def test_entries_that_break_a_rule(entry: Entry, complete: bool, code: str, field: str) -> None:
    with pytest.raises(EntryError) as error:
        check_entry(entry, complete=complete)
    assert (error.value.code, error.value.field) == (code, field)


def test_entries_that_are_fine() -> None:
    assert check_entry(
        Entry(score=3, own=40, network=20, professional=40), complete=True
    ).shares == (40, 20, 40)
    # an empty share next to filled ones counts as 0
    assert check_entry(Entry(score=5, own=100), complete=True).shares == (100, 0, 0)
    # not applicable drops any numbers typed
    assert check_entry(Entry(score=3, not_applicable=True, own=10), complete=True) == Entry(
        not_applicable=True
    )
    # a draft may leave a domain blank
    assert check_entry(Entry(), complete=False).blank


def e(score: int, own: int, network: int, professional: int) -> Entry:
    return Entry(score=score, own=own, network=network, professional=professional)


def test_hidden_dependency_at_its_thresholds() -> None:
    assert Signal.HIDDEN_DEPENDENCY in signals(e(4, 49, 21, 30), None, T)
    assert Signal.HIDDEN_DEPENDENCY not in signals(e(4, 50, 20, 30), None, T)  # own exactly 50
    assert Signal.HIDDEN_DEPENDENCY not in signals(e(3, 10, 40, 50), None, T)  # score below 4
    assert Signal.HIDDEN_DEPENDENCY in signals(e(5, 0, 100, 0), None, T)


def test_scale_down_at_its_thresholds() -> None:
    before = e(3, 40, 20, 40)
    assert Signal.SCALE_DOWN in signals(e(3, 50, 20, 30), before, T)  # same score, less help
    assert Signal.SCALE_DOWN in signals(e(4, 50, 20, 30), before, T)  # better, less help
    assert Signal.SCALE_DOWN not in signals(e(3, 40, 20, 40), before, T)  # help not down
    assert Signal.SCALE_DOWN not in signals(e(2, 60, 20, 20), before, T)  # score went down
    assert Signal.SCALE_DOWN in signals(e(4, 30, 20, 50), None, T)  # 50% help at a 4
    assert Signal.SCALE_DOWN not in signals(e(4, 31, 20, 49), None, T)
    assert Signal.SCALE_DOWN not in signals(e(3, 20, 20, 60), None, T)  # much help, but a 3


def test_scale_up_at_its_thresholds() -> None:
    before = e(3, 40, 20, 40)
    assert Signal.SCALE_UP in signals(e(2, 40, 20, 40), before, T)  # down by 1
    assert Signal.SCALE_UP not in signals(e(3, 30, 30, 40), before, T)
    assert Signal.SCALE_UP in signals(e(1, 0, 0, 100), None, T)  # acute
    assert Signal.SCALE_UP not in signals(e(2, 0, 0, 100), None, T)


def test_thresholds_are_configuration() -> None:
    strict = Thresholds(hidden_max_own=70, up_drop=2)
    assert Signal.HIDDEN_DEPENDENCY in signals(e(4, 60, 20, 20), None, strict)
    assert Signal.SCALE_UP not in signals(e(2, 40, 20, 40), e(3, 40, 20, 40), strict)
    assert signals(Entry(not_applicable=True), None, T) == [] and signals(Entry(), None, T) == []


def test_comparison_gives_score_and_share_changes_in_points() -> None:
    [change, missing] = compare(
        ["finances", "justice"],
        {"finances": e(2, 20, 10, 70)},
        {"finances": e(4, 30, 20, 50), "justice": Entry(not_applicable=True)},
    )
    assert (change.score, change.own, change.network, change.professional) == (2, 10, 10, -20)
    assert (missing.score, missing.own) == (None, None)


def test_views_that_differ_by_two_or_more() -> None:
    assert differs(e(4, 30, 20, 50), e(2, 20, 20, 60), points=2)
    assert not differs(e(4, 30, 20, 50), e(3, 20, 20, 60), points=2)
    assert not differs(e(4, 30, 20, 50), Entry(not_applicable=True), points=2)
