"""The screening's arithmetic, as pure functions: share validation, signals, comparisons.

No database and no request: plain numbers in, answers out. Thresholds come from the
configuration (DESIGN.md §4: "thresholds are configuration, not literals spread in code")."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


class EntryError(ValueError):
    """A domain's entry breaks a rule; ``field`` is own/network/professional/score."""

    def __init__(self, code: str, field: str) -> None:
        super().__init__(code)
        self.code = code
        self.field = field


@dataclass(frozen=True)
class Entry:
    """One domain of a screening: a score 1–5 (or not applicable) and three shares."""

    score: int | None = None
    not_applicable: bool = False
    own: int | None = None
    network: int | None = None
    professional: int | None = None
    #: the family did not know (their own view); like "not applicable", it has no score
    dont_know: bool = False

    @property
    def blank(self) -> bool:
        return (
            self.score is None
            and not self.not_applicable
            and not self.dont_know
            and self.shares is None
        )

    @property
    def shares(self) -> tuple[int, int, int] | None:
        if self.own is None and self.network is None and self.professional is None:
            return None
        return (self.own or 0, self.network or 0, self.professional or 0)


def check_entry(entry: Entry, *, complete: bool) -> Entry:
    """Return the entry as it will be stored, or raise EntryError.

    Shares are whole percentages from 0 to 100 that add up to exactly 100; an empty share
    next to filled ones counts as 0. A draft may leave a domain blank; a completed screening
    has a score or "not applicable" for every domain."""
    if entry.not_applicable:
        return Entry(not_applicable=True)
    if entry.dont_know:
        return Entry(dont_know=True)
    if entry.score is None:
        if entry.shares is not None:
            raise EntryError("score_missing", "score")
        if complete:
            raise EntryError("domain_missing", "score")
        return Entry()
    if not 1 <= entry.score <= 5:
        raise EntryError("score_range", "score")
    if entry.shares is None:
        raise EntryError("shares_missing", "own")
    own, network, professional = entry.shares
    for name, value in (("own", own), ("network", network), ("professional", professional)):
        if not 0 <= value <= 100:
            raise EntryError("share_range", name)
    if own + network + professional != 100:
        raise EntryError("shares_sum", "own")
    return Entry(score=entry.score, own=own, network=network, professional=professional)


#: the splits a family chooses from in their own view, step by step: no arithmetic, each
#: a picture and a sentence (labels.SPLIT_LABELS); the professional form has its numbers
FAMILY_SPLITS: dict[str, tuple[int, int, int]] = {
    "alone": (100, 0, 0),
    "mostly_own": (70, 30, 0),
    "together": (50, 50, 0),
    "mostly_network": (20, 80, 0),
    "with_professional": (50, 0, 50),
    "everyone": (40, 30, 30),
    "mostly_professional": (10, 10, 80),
}


def split_of(shares: tuple[int, int, int] | None) -> str | None:
    """The family split these shares are, if they are one."""
    return next((key for key, value in FAMILY_SPLITS.items() if value == shares), None)


PRESETS: dict[str, tuple[int, int, int]] = {
    "own": (100, 0, 0),
    "network": (0, 100, 0),
    "professional": (0, 0, 100),
    "own_network": (50, 50, 0),
    "even": (34, 33, 33),
}


class Signal(enum.StrEnum):
    HIDDEN_DEPENDENCY = "hidden_dependency"
    SCALE_DOWN = "scale_down"
    SCALE_UP = "scale_up"


@dataclass(frozen=True)
class Thresholds:
    hidden_min_score: int = 4
    hidden_max_own: int = 50
    down_min_professional: int = 50
    down_min_score: int = 4
    up_drop: int = 1
    acute_score: int = 1

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> Thresholds:
        return cls(
            hidden_min_score=config["SIGNAL_HIDDEN_DEPENDENCY_MIN_SCORE"],
            hidden_max_own=config["SIGNAL_HIDDEN_DEPENDENCY_MAX_OWN"],
            down_min_professional=config["SIGNAL_SCALE_DOWN_MIN_PROFESSIONAL"],
            down_min_score=config["SIGNAL_SCALE_DOWN_MIN_SCORE"],
            up_drop=config["SIGNAL_SCALE_UP_DROP"],
            acute_score=config["SIGNAL_ACUTE_SCORE"],
        )


def signals(current: Entry, previous: Entry | None, t: Thresholds) -> list[Signal]:
    """DESIGN.md §4:
    - hidden dependency: score ≥ 4 while own strength < 50% (looks self-reliant, falls if
      support falls away);
    - scale down: score stable or up while the professional share went down since the
      previous screening, or a professional share ≥ 50% at a score ≥ 4;
    - scale up: score down by ≥ 1 since the previous screening, or the domain is acute (1).
    """
    if current.score is None or current.shares is None:
        return []
    own, _network, professional = current.shares
    found: list[Signal] = []
    if current.score >= t.hidden_min_score and own < t.hidden_max_own:
        found.append(Signal.HIDDEN_DEPENDENCY)
    before = (
        previous
        if previous is not None and previous.score is not None and previous.shares
        else None
    )
    went_down_in_help = (
        before is not None
        and current.score >= before.score  # type: ignore[operator]
        and professional < before.shares[2]  # type: ignore[index]
    )
    if went_down_in_help or (
        professional >= t.down_min_professional and current.score >= t.down_min_score
    ):
        found.append(Signal.SCALE_DOWN)
    dropped = before is not None and current.score <= before.score - t.up_drop  # type: ignore[operator]
    if dropped or current.score <= t.acute_score:
        found.append(Signal.SCALE_UP)
    return found


@dataclass(frozen=True)
class Change:
    """How one domain moved between two screenings (None where a side has no value)."""

    domain_id: str
    before: Entry | None
    after: Entry | None

    def _delta(self, index: int) -> int | None:
        if not (self.before and self.after and self.before.shares and self.after.shares):
            return None
        return self.after.shares[index] - self.before.shares[index]

    @property
    def score(self) -> int | None:
        if (
            not (self.before and self.after)
            or self.before.score is None
            or self.after.score is None
        ):
            return None
        return self.after.score - self.before.score

    @property
    def own(self) -> int | None:
        return self._delta(0)

    @property
    def network(self) -> int | None:
        return self._delta(1)

    @property
    def professional(self) -> int | None:
        return self._delta(2)


def compare(
    domain_ids: list[str], before: Mapping[str, Entry], after: Mapping[str, Entry]
) -> list[Change]:
    return [Change(d, before.get(d), after.get(d)) for d in domain_ids]


def differs(a: Entry | None, b: Entry | None, *, points: int) -> bool:
    """Do two views of the same domain differ by ``points`` or more on the score?"""
    return bool(
        a and b and a.score is not None and b.score is not None and abs(a.score - b.score) >= points
    )
