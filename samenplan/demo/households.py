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


def draw_household(number: int, seed: int, region: Region, today: dt.date) -> Household:
    rng = random.Random(f"{seed}-{number}")  # noqa: S311  # nosec B311  # not for secrets
    municipality = rng.choices(list(MUNICIPALITIES), weights=list(MUNICIPALITIES.values()))[0]
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
    return Household(
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
