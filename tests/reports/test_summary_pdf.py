"""The plan summary PDF: what is in it, what the network does not get, the options, audit."""

from __future__ import annotations

import datetime as dt
import subprocess
from collections.abc import Callable

from flask.testing import FlaskClient
from sqlalchemy import select

from samenplan.audit.models import AuditEvent
from samenplan.extensions import db
from samenplan.plans.models import LogEntry, PlanStatus
from tests.scenario import Scenario, make_screening


def pdf_text(content: bytes) -> str:
    assert content.startswith(b"%PDF-")
    result = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=True
    )
    return result.stdout.decode()


def pdf_pages(content: bytes) -> int:
    info = subprocess.run(
        ["pdfinfo", "-"], input=content, capture_output=True, check=True
    ).stdout.decode()
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def pdf_lines(content: bytes) -> list[str]:
    return [line.strip() for line in pdf_text(content).splitlines() if line.strip()]


def hidden_marks_missing(content: bytes, hidden: tuple[str, ...], message: str) -> list[str]:
    """The hidden items in the PDF that do not carry the "not for network" mark: on their
    line or the two after it (the table cell or heading it is in); for the logbook
    ``message``, on the line above it (its author and time)."""
    lines = pdf_lines(content)
    missing = []
    for item in (*hidden, message):
        at = next(i for i, line in enumerate(lines) if item in line)
        near = lines[at - 1] if item == message else " ".join(lines[at : at + 3])
        if "niet voor netwerk" not in near:
            missing.append(item)
    return missing


def test_summary_has_goals_actions_domains_and_running_header(
    scenario: Scenario, as_persona: Callable[[str], FlaskClient]
) -> None:
    response = as_persona("coordinator").get(f"/plans/{scenario.a.plan.public_id}/summary.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = pdf_text(response.data)
    for expected in (
        "Plan A",
        "Gezin",
        "Doelen",
        "Financiën",
        "Geestelijke gezondheid",
        "Gedeeld doel",
        "Prive doel",
        "Gedeelde actie",
        "Gedeelde afspraak",
        "Prive bericht",
        "Laatste krachtenmetingen",
        "Pagina 1 van",
        "Afgedrukt op",
        "Regie",
        "VERTROUWELIJK",
        "Looptijd van het plan",
        "niet voor netwerk",
    ):
        assert expected in text, expected
    # a short plan: its cover has no table of contents, and the goals follow on its first page
    assert "Inhoud" not in text and "Doelen" in text.split("\f")[0]
    [event] = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "summary.printed"))
    assert (
        event.actor_id == scenario.users["coordinator"].id and "goals" in event.details["sections"]
    )
    # one print is one line in the family's history, not also a "viewed"
    on_plan = select(AuditEvent.action).where(AuditEvent.plan_id == scenario.a.plan.id)
    assert db.session.scalars(on_plan).all() == ["summary.printed"]


def test_network_pdf_has_only_what_is_shared(
    scenario: Scenario, as_persona: Callable[[str], FlaskClient]
) -> None:
    text = pdf_text(
        as_persona("network").get(f"/plans/{scenario.a.plan.public_id}/summary.pdf").data
    )
    for shared in ("Gedeeld doel", "Gedeelde actie", "Gedeelde afspraak", "Gedeeld bericht"):
        assert shared in text, shared
    for private in ("Prive doel", "Prive actie", "Prive afspraak", "Prive bericht"):
        assert private not in text, private


def test_the_familys_pdf_marks_every_kind_of_item_the_network_does_not_see(
    scenario: Scenario, as_persona: Callable[[str], FlaskClient]
) -> None:
    a = scenario.a
    make_screening(
        a.plan,
        a.persons["child"],
        scenario.users["client"],
        days_ago=1,
        values=(3, 40, 30, 30),
        shared=False,
    )
    db.session.commit()
    content = as_persona("client").get(f"/plans/{a.plan.public_id}/summary.pdf").data
    hidden = ("Prive doel", "Prive actie", "Prive afspraak", "Kind ·")
    assert hidden_marks_missing(content, hidden, "Prive bericht") == []
    assert "niet voor netwerk" not in pdf_text(content).split("Gedeeld doel")[1].splitlines()[1]


def test_a_closed_plan_says_when_it_ran_and_which_period_is_printed(
    scenario: Scenario, as_persona: Callable[[str], FlaskClient]
) -> None:
    plan = scenario.a.plan
    plan.created_at = dt.datetime(2026, 3, 1, 9, tzinfo=dt.UTC)
    plan.status, plan.closed_at = (
        PlanStatus.CLOSED,
        dt.datetime(2026, 11, 30, 23, 30, tzinfo=dt.UTC),
    )
    db.session.commit()
    url = f"/plans/{plan.public_id}/summary.pdf"
    query = {"sections": ["goals"], "since": "2026-06-01", "until": "2026-06-30"}
    cover = pdf_text(as_persona("client").get(url, query_string=query).data).split("\f")[0]
    assert "van 1 maart 2026 tot 1 december 2026 (afgesloten)" in cover  # Dutch days
    assert "Periode in dit overzicht" in cover and "1 juni 2026 – 30 juni 2026" in cover
    assert "In deze periode is geen voortgang opgeschreven." in cover


def test_options_choose_sections_and_period(
    scenario: Scenario, as_persona: Callable[[str], FlaskClient]
) -> None:
    url = f"/plans/{scenario.a.plan.public_id}/summary.pdf"
    text = pdf_text(
        as_persona("client").get(url, query_string={"sections": ["goals", "actions"]}).data
    )
    assert "Doelen" in text and "Gedeelde actie" in text
    assert (
        "Logboek" not in text and "Gedeeld bericht" not in text and "Gedeelde afspraak" not in text
    )
    page = as_persona("client").get(
        f"/plans/{scenario.a.plan.public_id}/summary",
        query_string={"sections": ["goals", "agenda"], "since": "2026-01-01"},
    )
    expected = "summary.pdf?sections=goals&amp;sections=agenda&amp;since=2026-01-01"
    assert expected in page.get_data(as_text=True)
    bad = as_persona("client").get(url, query_string={"since": "gisteren"})
    assert bad.status_code == 400 and "Vul een datum in" in bad.get_data(as_text=True)


def test_english_summary(scenario: Scenario, as_persona: Callable[[str], FlaskClient]) -> None:
    response = as_persona("client").get(
        f"/plans/{scenario.a.plan.public_id}/summary.pdf", headers={"Accept-Language": "en"}
    )
    text = pdf_text(response.data)
    assert "Goals" in text and "Finances" in text and "Page 1 of" in text
    assert "CONFIDENTIAL" in text and "The plan runs" in text


def test_the_period_reaches_back_past_the_latest_messages(
    scenario: Scenario, as_persona: Callable[[str], FlaskClient]
) -> None:
    """A period in the past shows that period's messages, however many came after."""
    plan, author = scenario.a.plan, scenario.users["client"]
    db.session.add(
        LogEntry(
            plan_id=plan.id,
            author_id=author.id,
            text="Bericht uit de zomer",
            created_at=dt.datetime(2026, 7, 15, 10, tzinfo=dt.UTC),
        )
    )
    db.session.add_all(
        LogEntry(plan_id=plan.id, author_id=author.id, text=f"Later bericht {n}") for n in range(60)
    )
    db.session.commit()
    url = f"/plans/{plan.public_id}/summary.pdf"
    summer = {"sections": ["logbook"], "since": "2026-07-01", "until": "2026-07-31"}
    text = pdf_text(as_persona("client").get(url, query_string=summer).data)
    assert "Bericht uit de zomer" in text and "Later bericht" not in text
    recent = pdf_text(as_persona("client").get(url, query_string={"sections": ["logbook"]}).data)
    assert "Later bericht" in recent and "Bericht uit de zomer" not in recent
