"""The synthetic region's households, drawn before anything is written: where they live,
how their strengths checks move over two years, whether they stop early. Each household has
its own random stream, so a seed gives the same region however the run is chunked."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any

MUNICIPALITIES = {
    "Leeuwarden": 125,
    "Súdwest-Fryslân": 90,
    "Smallingerland": 57,
    "De Fryske Marren": 53,
    "Heerenveen": 51,
    "Waadhoeke": 47,
    "Noardeast-Fryslân": 45,
    "Tytsjerksteradiel": 32,
    "Opsterland": 30,
    "Achtkarspelen": 28,
    "Ooststellingwerf": 26,
    "Weststellingwerf": 26,
    "Dantumadiel": 19,
    "Harlingen": 16,
    "Terschelling": 5,
    "Ameland": 4,
    "Schiermonnikoog": 1,
    "Vlieland": 1,
}
YEARS = 2
#: how a household's checks move: (share of households, score step, own/network step)
TRAJECTORIES = {"better": (0.60, 0.35, 7), "same": (0.25, 0.0, 0), "worse": (0.15, -0.3, -5)}
DROP_OUT = 0.12
GOAL_TITLES = {
    "finances": "Ik heb overzicht over mijn geld",
    "work_education": "Ik vind werk dat bij me past",
    "daytime_activities": "Ik heb elke week iets te doen buiten huis",
    "housing": "We wonen veilig en betaalbaar",
    "domestic_relations": "Thuis is het rustiger",
    "mental_health": "Ik voel me minder gespannen",
    "physical_health": "Ik beweeg elke week",
    "social_network": "Ik weet bij wie ik terecht kan",
}
FIRST_NAMES = ["Anna", "Jan", "Sietske", "Pieter", "Fatima", "Youssef", "Marieke", "Kees"]
SURNAMES = ["de Vries", "Jansen", "Hoekstra", "Bakker", "Visser", "El Amrani", "Dijkstra"]


@dataclass
class Region:
    #: the municipalities with their weights (by default all of Fryslân)
    weights: dict[str, int] = field(default_factory=lambda: dict(MUNICIPALITIES))
    organisations: dict[str, int] = field(default_factory=dict)
    #: per municipality, the professionals of its teams (user ids)
    professionals: dict[str, list[int]] = field(default_factory=dict)


@dataclass
class Household:
    """One synthetic household, drawn from its own random stream."""

    number: int
    rng: random.Random
    municipality: str
    start: dt.date
    trajectory: str
    moments: list[dt.date]
    closed_on: dt.date | None
    coordinator: int
    professional: int | None
    has_network: bool
    children: list[dt.date]
    #: why the plan closed (a PlanClosure value), when it did
    closure: str | None = None
    #: the accounts written for the household (set once they are in the database)
    client_id: int | None = None
    network_id: int | None = None


def draw_household(number: int, seed: int, region: Region, today: dt.date) -> Household:
    rng = random.Random(f"{seed}-{number}")  # noqa: S311  # nosec B311  # not for secrets
    municipality = rng.choices(list(region.weights), weights=list(region.weights.values()))[0]
    start = today - dt.timedelta(days=rng.randint(20, 365 * YEARS))
    r, trajectory = rng.random(), "worse"
    if r < TRAJECTORIES["better"][0]:
        trajectory = "better"
    elif r < TRAJECTORIES["better"][0] + TRAJECTORIES["same"][0]:
        trajectory = "same"
    moments, day = [], start
    while day <= today:
        moments.append(day)
        day += dt.timedelta(days=182 + rng.randint(-20, 20))
    closed_on = None
    if rng.random() < DROP_OUT and len(moments) > 1:
        moments = moments[: rng.randint(1, 2)]
        closed_on = min(today, moments[-1] + dt.timedelta(days=rng.randint(10, 60)))
    elif trajectory == "better" and len(moments) >= 4 and rng.random() < 0.3:
        closed_on = moments[-1]  # goals reached: closed at the last evaluation
    professionals = region.professionals[municipality]
    home = Household(
        number=number,
        rng=rng,
        municipality=municipality,
        start=start,
        trajectory=trajectory,
        moments=moments,
        closed_on=closed_on,
        coordinator=rng.choice(professionals),
        professional=rng.choice(professionals) if rng.random() < 0.25 else None,
        has_network=rng.random() < 0.5,
        children=[
            today - dt.timedelta(days=rng.randint(365, 17 * 365))
            for _ in range(rng.choice([0, 1, 1, 2, 2, 3]))
        ],
    )
    if closed_on is not None:  # drawn last, so the draws above stay as they were
        reached = trajectory == "better" and len(moments) >= 4
        home.closure = (
            "goals_reached"
            if reached
            else rng.choices(["dropped_out", "moved", "handed_over", "other"], [6, 2, 2, 1])[0]
        )
    return home


def _shares(rng: random.Random, own: float, network: float) -> tuple[int, int, int]:
    own_i = max(0, min(100, 5 * round(own / 5)))
    network_i = max(0, min(100 - own_i, 5 * round(network / 5)))
    return own_i, network_i, 100 - own_i - network_i


def domain_scores(household: Household, domains: list[str]) -> list[list[dict[str, Any]]]:
    """Per check, the score and split of each life area, moving along the trajectory."""
    rng = household.rng
    _share, step, share_step = TRAJECTORIES[household.trajectory]
    start = {
        d: (
            rng.choices([1, 2, 3, 4, 5], weights=[1, 4, 4, 3, 1])[0],
            rng.uniform(10, 50),
            rng.uniform(0, 30),
            d in ("substance_use", "justice") and rng.random() < 0.6,
        )
        for d in domains
    }
    checks = []
    for k in range(len(household.moments)):
        rows = []
        for position, d in enumerate(domains):
            score0, own0, network0, not_applicable = start[d]
            if not_applicable:
                rows.append({"domain_id": d, "position": position, "not_applicable": True})
                continue
            score = max(1, min(5, round(score0 + step * k + rng.uniform(-0.4, 0.4))))
            own, network, professional = _shares(
                rng,
                own0 + share_step * k + rng.uniform(-5, 5),
                network0 + share_step * k / 2 + rng.uniform(-5, 5),
            )
            rows.append(
                {
                    "domain_id": d,
                    "position": position,
                    "score": score,
                    "not_applicable": False,
                    "own_share": own,
                    "network_share": network,
                    "professional_share": professional,
                }
            )
        checks.append(rows)
    return checks


#: how a closed plan's goals ended: (status, end reason, weight)
Ending = tuple[str, str | None, int]
GOAL_ENDINGS: dict[str, list[Ending]] = {
    "goals_reached": [("achieved", None, 7), ("partly_achieved", "other_goal", 3)],
    "dropped_out": [("stopped", "family_stopped", 6), ("not_achieved", "situation_changed", 4)],
    "other": [("not_achieved", "help_ended", 5), ("partly_achieved", "help_ended", 5)],
}
#: goals that end while the plan goes on
GOAL_ENDINGS_OPEN: list[Ending] = [
    ("achieved", None, 6),
    ("partly_achieved", "situation_changed", 2),
    ("stopped", "other_goal", 2),
]


def goal_ending(home: Household, today: dt.date) -> tuple[str, str | None, dt.date | None]:
    """(status, end reason, closed on) of one of the household's goals."""
    rng = home.rng
    if home.closed_on is not None:
        endings = GOAL_ENDINGS.get(home.closure or "", GOAL_ENDINGS["other"])
        status, reason, _w = rng.choices(endings, [w for *_x, w in endings])[0]
        return status, reason, home.closed_on
    if rng.random() < 0.25 and (today - home.start).days > 60:
        status, reason, _w = rng.choices(GOAL_ENDINGS_OPEN, [w for *_x, w in GOAL_ENDINGS_OPEN])[0]
        return (
            status,
            reason,
            home.start + dt.timedelta(days=rng.randint(30, (today - home.start).days)),
        )
    return "open", None, None


def survey_answers(home: Household, group: str, rng: random.Random) -> dict[str, int]:
    """Answers that lean with the household's course: better households are more content."""
    lean = {"better": 0.6, "same": 0.0, "worse": -0.8}[home.trajectory]
    questions = {
        "family": ("helps", "heard", "together"),
        "network": ("helps", "involved", "together"),
        "professional": ("helps", "together", "own_strength"),
    }[group]
    answers = {q: max(1, min(5, round(3.6 + lean + rng.uniform(-1.3, 1.3)))) for q in questions}
    answers["grade"] = max(1, min(10, round(7.0 + 1.5 * lean + rng.uniform(-1.8, 1.8))))
    return answers
