"""Two demo households with a few months of plan history (DESIGN.md §8)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from samenplan.accounts.models import User
from samenplan.agenda.models import AgendaKind
from samenplan.agreements.models import Answer
from samenplan.clock import utcnow
from samenplan.demo.builder import Builder, years_ago
from samenplan.extensions import db
from samenplan.plans.models import (
    Plan,
    PlanRole,
    Relation,
)

JANSEN = "Plan van de familie Jansen"
EL_IDRISSI = "Ons plan – Samira en Noor"


def _days_ago(days: int) -> dt.datetime:
    return utcnow() - dt.timedelta(days=days)


def load_demo_plans(users: dict[str, User], today: dt.date) -> list[Plan]:
    """Create the demo plans when missing; returns all demo plans."""
    plans = []
    for title, build in ((JANSEN, _jansen), (EL_IDRISSI, _el_idrissi)):
        plan = db.session.scalar(select(Plan).where(Plan.title == title))
        if plan is None:
            plan = build(users, today)
        plans.append(plan)
    db.session.flush()
    return plans


def _jansen(u: dict[str, User], today: dt.date) -> Plan:
    regisseur, hulp, ouder, jongere, oma = (
        u["regisseur@demo.test"],
        u["hulpverlener@demo.test"],
        u["ouder@demo.test"],
        u["jongere@demo.test"],
        u["netwerk@demo.test"],
    )
    plan = Plan(title=JANSEN, created_by_id=regisseur.id, created_at=_days_ago(130))
    db.session.add(plan)
    db.session.flush()
    b = Builder(plan, today)
    marieke = b.person("Marieke Jansen", Relation.PARENT, years_ago(today, 41, 80), ouder)
    b.person("Erik Jansen", Relation.PARENT, years_ago(today, 44, 200))
    daan = b.person("Daan Jansen", Relation.CHILD, years_ago(today, 14, 130), jongere)
    # Daan (14) agreed that his grandmother may see what is marked for the network.
    daan.network_consent_by_id, daan.network_consent_at = (
        jongere.id,
        _days_ago(100),
    )
    p_reg = b.join(regisseur, PlanRole.PROFESSIONAL, coordinator=True, days_ago=130)
    p_hulp = b.join(hulp, PlanRole.PROFESSIONAL, days_ago=110)
    p_ouder = b.join(ouder, PlanRole.CLIENT, days_ago=125)
    p_daan = b.join(jongere, PlanRole.CLIENT, days_ago=120)
    p_oma = b.join(oma, PlanRole.NETWORK, days_ago=100)

    geld = b.goal(
        "finances",
        "Weer rust over geld: elke maand rondkomen",
        person=marieke,
        shared=False,
        why="De brieven van schuldeisers maken me bang. Ik wil weer open kunnen doen.",
        desired="Alle rekeningen zijn op tijd betaald en we hebben een vast weekbudget.",
        by=ouder,
    )
    b.action(
        geld,
        "Alle rekeningen en brieven in één map zetten",
        p_ouder,
        due_days=-90,
        done_days_ago=95,
    )
    b.action(geld, "Aanmelden bij de schuldhulpverlening", p_reg, due_days=-80, done_days_ago=84)
    b.action(geld, "Elke twee weken de budgetcoach bellen", p_ouder, due_days=10)
    b.progress(
        geld,
        [
            (110, 2, "Alles lag op een stapel."),
            (80, 3, "Aangemeld."),
            (50, 3, ""),
            (25, 5, "Eerste afspraken met schuldeisers."),
            (5, 6, "Weekbudget lukt."),
        ],
        ouder,
    )

    thuis = b.goal(
        "domestic_relations",
        "Minder ruzie aan tafel",
        person=None,
        shared=True,
        why="We willen weer gezellig samen eten.",
        desired="We eten vier keer per week samen zonder harde woorden.",
        by=ouder,
    )
    b.action(thuis, "Elke woensdag Daan ophalen en samen eten", p_oma, due_days=3)
    b.action(thuis, "Gezinsgesprek plannen met iedereen erbij", p_hulp, due_days=-5)
    b.action(
        thuis,
        "Afspraken over schermtijd op de koelkast hangen",
        p_daan,
        due_days=-20,
        done_days_ago=21,
    )
    b.progress(
        thuis,
        [
            (100, 3, ""),
            (70, 4, "Oma eet mee op woensdag."),
            (40, 4, ""),
            (12, 6, "Drie avonden zonder ruzie."),
        ],
        regisseur,
    )

    school = b.goal(
        "work_education",
        "Daan gaat weer elke dag naar school",
        person=daan,
        shared=True,
        why="Ik wil over naar de derde klas.",
        desired="Geen ongeoorloofd verzuim meer.",
        by=jongere,
    )
    b.action(school, "Wekker zetten om 7:00 en zelf opstaan", p_daan, due_days=None)
    b.action(school, "Overleg met mentor over het rooster", p_reg, due_days=-40, done_days_ago=42)
    b.action(school, "Samen huiswerkplek inrichten", p_oma, due_days=7)
    b.progress(
        school,
        [(90, 4, "Twee dagen gemist per week."), (45, 5, ""), (10, 7, "Hele week geweest!")],
        jongere,
    )

    # Agreed at the last evaluation; the sleep goal came after it.
    b.agenda(
        "Samen terugkijken op het plan",
        AgendaKind.EVALUATION,
        -76,
        10,
        location="Wijkteam Noord",
        expected=[p_reg, p_ouder, p_daan],
        by=regisseur,
    )
    b.version(
        1,
        76,
        regisseur,
        {
            regisseur: (Answer.AGREE, ""),
            ouder: (Answer.AGREE_WITH_REMARK, "Het budget is krap, maar we gaan het proberen."),
            jongere: (Answer.AGREE, ""),
        },
    )
    slaap = b.goal(
        "mental_health",
        "Beter slapen en minder piekeren",
        person=marieke,
        shared=False,
        why="Als ik moe ben, word ik snel boos.",
        desired="Vijf nachten per week goed slapen.",
        by=ouder,
        target_days=60,
    )
    b.action(slaap, "Afspraak maken bij de huisarts", p_ouder, due_days=-2)
    b.progress(slaap, [(60, 3, ""), (20, 4, "Iets beter.")], ouder)

    b.agenda(
        "Samen terugkijken op het plan",
        AgendaKind.EVALUATION,
        14,
        10,
        location="Wijkteam Noord",
        expected=[p_reg, p_ouder, p_daan, p_hulp],
        by=regisseur,
    )
    b.agenda(
        "Gesprek met de mentor van Daan",
        AgendaKind.APPOINTMENT,
        6,
        15,
        location="School",
        expected=[p_ouder, p_daan],
        by=ouder,
    )
    b.agenda(
        "Budgetcoach",
        AgendaKind.APPOINTMENT,
        3,
        9,
        location="Telefonisch",
        expected=[p_ouder],
        shared=False,
        by=ouder,
    )
    b.agenda(
        "Aanvraag bijzondere bijstand indienen",
        AgendaKind.DEADLINE,
        20,
        17,
        expected=[p_reg],
        shared=False,
        by=regisseur,
    )
    b.agenda(
        "Kennismaking",
        AgendaKind.APPOINTMENT,
        -120,
        14,
        location="Thuis",
        expected=[p_reg, p_ouder],
        by=regisseur,
    )

    b.log(regisseur, 118, "Kennismaking gehad. We maken samen één plan voor het hele gezin.")
    b.log(ouder, 90, "Alle papieren zitten nu in één map. Dat lucht op.", shared=False)
    b.log(
        regisseur,
        76,
        "Verslag van de evaluatie: geld en school gaan de goede kant op. We houden dit plan aan.",
    )
    b.log(oma, 60, "Daan en ik hebben woensdag samen pannenkoeken gebakken.")
    b.log(hulp, 30, "Eerste gezinsgesprek: iedereen kwam aan het woord.")
    b.log(jongere, 9, "Deze week elke dag op school geweest.")
    b.log(regisseur, 2, "Evaluatie staat over twee weken gepland.")
    return plan


def _el_idrissi(u: dict[str, User], today: dt.date) -> Plan:
    regisseur, ouder2 = u["regisseur@demo.test"], u["ouder2@demo.test"]
    plan = Plan(title=EL_IDRISSI, created_by_id=ouder2.id, created_at=_days_ago(95))
    db.session.add(plan)
    db.session.flush()
    b = Builder(plan, today)
    samira = b.person("Samira El Idrissi", Relation.PARENT, years_ago(today, 29, 40), ouder2)
    noor = b.person("Noor El Idrissi", Relation.CHILD, years_ago(today, 4, 60))
    p_samira = b.join(ouder2, PlanRole.CLIENT, days_ago=95)
    p_reg = b.join(regisseur, PlanRole.PROFESSIONAL, coordinator=True, days_ago=90)

    opvang = b.goal(
        "childcare",
        "Vaste opvang voor Noor, zodat ik kan werken",
        person=noor,
        shared=True,
        why="Ik wil mijn baan houden.",
        desired="Noor gaat drie dagen naar de opvang.",
        by=ouder2,
    )
    b.action(opvang, "Kinderopvangtoeslag aanvragen", p_samira, due_days=-30, done_days_ago=33)
    b.action(opvang, "Plek zoeken bij opvang in de buurt", p_reg, due_days=5)
    b.progress(
        opvang,
        [(80, 2, ""), (40, 4, "Toeslag aangevraagd."), (7, 5, "Wachtlijst, maar zicht op plek.")],
        ouder2,
    )

    woning = b.goal(
        "housing",
        "Een woning zonder schimmel",
        person=samira,
        shared=False,
        why="Noor is vaak verkouden.",
        desired="Schimmel is weg of we wonen ergens anders.",
        by=ouder2,
    )
    b.action(woning, "Verhuurder schriftelijk om reparatie vragen", p_samira, due_days=-10)
    b.action(woning, "Urgentie bespreken met woningcorporatie", p_reg, due_days=12)
    b.progress(woning, [(60, 2, ""), (15, 3, "Brief verstuurd.")], regisseur)

    b.agenda(
        "Huisbezoek",
        AgendaKind.APPOINTMENT,
        9,
        11,
        location="Thuis",
        expected=[p_reg, p_samira],
        by=regisseur,
    )
    b.agenda(
        "Samen terugkijken", AgendaKind.EVALUATION, 30, 13, expected=[p_reg, p_samira], by=regisseur
    )
    b.log(ouder2, 88, "Ik ben dit plan begonnen omdat ik het overzicht kwijt was.")
    b.log(regisseur, 40, "Toeslag is aangevraagd. Goed gedaan, Samira!")
    b.log(ouder2, 6, "Opvang belde: misschien over een maand een plek.")
    return plan
