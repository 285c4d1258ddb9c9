"""Demo strengths checks for the Jansen household: three moments over the past months that show
a shift from professional help towards own and network strength in some life areas, and a
hidden dependency in one (Marieke's finances: a 4, but mostly carried by others)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from samenplan.accounts.models import User
from samenplan.clock import utcnow
from samenplan.extensions import db
from samenplan.plans.models import Person, Plan
from samenplan.screening.instruments import registry
from samenplan.screening.models import DomainScore, Perspective, Screening, ScreeningStatus

DAYS_AGO = (150, 80, 10)
Row = tuple[int, int, int, int]  # score, own, network, professional

MARIEKE: dict[str, tuple[Row, Row, Row]] = {
    "finances": ((2, 20, 10, 70), (3, 25, 15, 60), (4, 30, 20, 50)),  # hidden dependency at the end
    "mental_health": ((2, 30, 20, 50), (3, 40, 30, 30), (3, 50, 30, 20)),
    "domestic_relations": ((2, 40, 20, 40), (3, 50, 30, 20), (4, 60, 30, 10)),
    "social_network": ((3, 50, 40, 10), (3, 50, 50, 0), (4, 50, 50, 0)),
    "work_education": ((3, 80, 10, 10), (3, 80, 10, 10), (3, 80, 10, 10)),
}
DAAN: dict[str, tuple[Row, Row, Row]] = {
    "work_education": ((2, 20, 20, 60), (3, 40, 30, 30), (4, 60, 30, 10)),
    "domestic_relations": ((2, 30, 30, 40), (3, 40, 40, 20), (3, 50, 40, 10)),
    "daytime_activities": ((3, 50, 30, 20), (3, 60, 40, 0), (4, 70, 30, 0)),
    "mental_health": ((3, 40, 30, 30), (3, 50, 30, 20), (2, 40, 30, 30)),  # needs attention again
}
HOUSEHOLD: dict[str, tuple[Row, Row, Row]] = {
    "household_finances": ((2, 20, 10, 70), (2, 30, 10, 60), (3, 40, 20, 40)),
    "relations_at_home": ((2, 30, 20, 50), (3, 40, 30, 30), (3, 50, 40, 10)),
    "household_organisation": ((3, 50, 30, 20), (3, 50, 40, 10), (4, 60, 40, 0)),
}
STEADY: Row = (4, 70, 20, 10)


def load_demo_screenings(users: dict[str, User], plan: Plan, today: dt.date) -> None:
    if (
        db.session.scalar(select(Screening.id).where(Screening.plan_id == plan.id).limit(1))
        is not None
    ):
        return
    persons = {
        p.name: p for p in db.session.scalars(select(Person).where(Person.plan_id == plan.id))
    }
    regisseur, hulp = users["regisseur@demo.test"], users["hulpverlener@demo.test"]
    plan_specs = [
        (persons.get("Marieke Jansen"), "zrm-2017", MARIEKE, regisseur),
        (persons.get("Daan Jansen"), "zrm-j", DAAN, hulp),
        (None, "zrm-huishouden", HOUSEHOLD, regisseur),
    ]
    last_marieke = None
    for person, instrument_id, rows, author in plan_specs:
        instrument = registry().get(instrument_id)
        if instrument is None:
            continue
        for moment_index, days in enumerate(DAYS_AGO):
            screening = _screening(
                plan,
                person,
                instrument_id,
                instrument.version,
                author,
                today - dt.timedelta(days=days),
                Perspective.PROFESSIONAL,
            )
            domains = [d.id for d in instrument.domains if d.supplement is None or person is None]
            for position, domain_id in enumerate(domains):
                score, own, network, professional = rows.get(domain_id, (STEADY,) * 3)[moment_index]
                if domain_id == "justice":
                    db.session.add(
                        DomainScore(
                            screening_id=screening.id,
                            domain_id=domain_id,
                            position=position,
                            not_applicable=True,
                        )
                    )
                    continue
                db.session.add(
                    DomainScore(
                        screening_id=screening.id,
                        domain_id=domain_id,
                        position=position,
                        score=score,
                        own_share=own,
                        network_share=network,
                        professional_share=professional,
                        situation=_situation(domain_id, moment_index),
                    )
                )
            if person is not None and person.name == "Marieke Jansen":
                last_marieke = screening
    if last_marieke is not None:
        _own_view(plan, last_marieke, users["ouder@demo.test"])
    db.session.flush()


def _screening(
    plan: Plan,
    person: Person | None,
    instrument_id: str,
    version: str,
    author: User,
    moment: dt.date,
    perspective: Perspective,
    **extra: object,
) -> Screening:
    completed = dt.datetime.combine(moment, dt.time(12), tzinfo=dt.UTC)
    screening = Screening(
        plan_id=plan.id,
        person_id=person.id if person else None,
        instrument_id=instrument_id,
        instrument_version=version,
        perspective=perspective,
        moment=moment,
        author_id=author.id,
        status=ScreeningStatus.COMPLETED,
        completed_at=min(completed, utcnow()),
        general_picture="Samen ingevuld aan de keukentafel."
        if perspective == Perspective.PROFESSIONAL
        else "",
        shared_with_network=False,
        **extra,
    )
    db.session.add(screening)
    db.session.flush()
    return screening


def _own_view(plan: Plan, reference: Screening, author: User) -> None:
    """Marieke's own view of the latest moment: she sees her finances as more fragile."""
    view = _screening(
        plan,
        None,
        reference.instrument_id,
        reference.instrument_version,
        author,
        reference.moment,
        Perspective.CLIENT,
        view_of_id=reference.id,
    )
    view.person_id = reference.person_id
    for score in db.session.scalars(
        select(DomainScore).where(DomainScore.screening_id == reference.id)
    ):
        copy = DomainScore(
            screening_id=view.id,
            domain_id=score.domain_id,
            position=score.position,
            score=score.score,
            not_applicable=score.not_applicable,
            own_share=score.own_share,
            network_share=score.network_share,
            professional_share=score.professional_share,
        )
        if score.domain_id == "finances":
            copy.score, copy.own_share, copy.network_share, copy.professional_share = 2, 20, 20, 60
            copy.situation = "Zonder de budgetcoach lukt het me nog niet."
        db.session.add(copy)


def _situation(domain_id: str, moment_index: int) -> str:
    notes = {
        "finances": (
            "Schulden, brieven ongeopend.",
            "Aangemeld bij schuldhulp.",
            "Weekbudget lukt met hulp van de coach.",
        ),
        "work_education": ("Veel verzuim.", "Nieuw rooster met mentor.", "Hele weken op school."),
    }
    return notes.get(domain_id, ("", "", ""))[moment_index]
