"""The summary PDF of a large plan, as a team lead would hand it over: long words, emoji and
line breaks stay on the page, the PDF is tagged, the cover says who and when, every item kept
from the network is marked, and the network's own PDF has ages and nothing hidden.

The plan is built and its PDFs rendered once for the module (rendering is the slow part);
set SUMMARY_PDF_DIR to keep the PDFs for looking at them (``pdftoppm -r 60 -png``)."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from samenplan.accounts import sessions as account_sessions
from samenplan.accounts.auth import SESSION_KEY
from samenplan.accounts.models import Organisation, Role, Team, User
from samenplan.agenda.models import AgendaItem, AgendaKind
from samenplan.clock import local_today, utcnow
from samenplan.extensions import db
from samenplan.plans.models import Action, Goal, LogEntry, ProgressEntry
from samenplan.plans.rules import age_on
from tests.plans.factories import LARGE, grow_plan
from tests.reports.test_summary_pdf import hidden_marks_missing, pdf_lines, pdf_pages, pdf_text
from tests.scenario import PlanObjects, build_plan, make_screening, new_user

#: a Dutch compound as families and professionals really write them, and things pasted in
LONG_WORD = "Schuldhulpverleningstrajectaanmeldingsformulierinvulondersteuningsgesprek"
NO_SPACES = "x" * 300
# fits the 300 characters of an appointment's place; far wider than a line of A4
LINK = "https://www.gemeente.nl/jeugdhulp/aanvragen/" + "formulier-stap-" * 12
HOUSE, BIKE = "\N{HOUSE BUILDING}", "\N{BICYCLE}"
MM = 72 / 25.4  # PDF points per millimetre
SIDE_MARGIN = 15 * MM  # summary.page_css(): text stays between the side margins


@dataclass(frozen=True)
class Rendered:
    coordinator: bytes
    network: bytes
    today: dt.date


def _client_for(app: Flask, user: User) -> FlaskClient:
    test_client = app.test_client()
    _session, token = account_sessions.start_session(user, ip="127.0.0.1", user_agent="pytest")
    db.session.commit()
    with test_client.session_transaction() as flask_session:
        flask_session[SESSION_KEY] = token
    return test_client


def _special_content(objs: PlanObjects, author: User) -> None:
    """What makes a real plan hard to print: long words, emoji, line breaks, a goal whose
    scores are all of one day, a goal without any, a check kept from the network."""
    plan_id, participation = objs.plan.id, objs.participations["client"]
    home = Goal(
        plan_id=plan_id,
        domain="housing",
        title=f"{HOUSE} Een fijn huis voor ons allemaal: {LONG_WORD}",
        why=f"Regel een {BIKE}\nRegel twee\n\nNa een witregel {LONG_WORD}",
        desired_situation=f"Eerste punt\nTweede punt {LINK}",
        shared_with_network=True,
    )
    db.session.add_all(
        [
            home,
            Goal(plan_id=plan_id, domain="housing", title="Doel zonder voortgang"),
        ]
    )
    db.session.flush()
    today = local_today()
    for value in (3, 5, 6):  # all of one day: the labels "2 dec 262 dec 26" ran together
        db.session.add(
            ProgressEntry(
                plan_id=plan_id,
                goal_id=home.id,
                value=value,
                recorded_on=today,
                author_id=author.id,
                note=f"Voortgang regel een\nVoortgang regel twee {HOUSE}" if value == 6 else "",
            )
        )
    db.session.add(
        Action(
            plan_id=plan_id,
            goal_id=home.id,
            description=f"Bellen over {LONG_WORD} {NO_SPACES}",
            assignee_id=participation.id,
            due_date=today + dt.timedelta(days=5),
        )
    )
    db.session.add(
        AgendaItem(
            plan_id=plan_id,
            title=f"Afspraak {BIKE} bij {LONG_WORD}",
            kind=AgendaKind.APPOINTMENT,
            starts_at=utcnow() + dt.timedelta(hours=5),
            location=LINK,
            notes="Notitie regel een\nNotitie regel twee",
            shared_with_network=False,
            expected=[],
        )
    )
    db.session.add_all(
        [
            LogEntry(
                plan_id=plan_id,
                author_id=author.id,
                text=f"Bericht regel een {HOUSE}\nBericht regel twee\n{NO_SPACES}",
                shared_with_network=True,
            ),
            LogEntry(plan_id=plan_id, author_id=author.id, text=f"{LINK} {LONG_WORD}"),
            LogEntry(
                plan_id=plan_id,
                author_id=author.id,
                text="Verborgen bericht",
                shared_with_network=False,
            ),
        ]
    )
    hidden = make_screening(
        objs.plan,
        objs.persons["child"],
        author,
        days_ago=2,
        values=(3, 50, 20, 30),
        shared=False,
    )
    hidden.general_picture = f"Totaalbeeld regel een\nTotaalbeeld regel twee {LONG_WORD}"


@pytest.fixture(scope="module")
def rendered(app: Flask) -> Iterator[Rendered]:
    """Build the plan in a transaction of its own, render the two PDFs, roll back."""
    connection = db.engine.connect()
    outer = connection.begin()
    db.session.remove()
    db.session.configure(bind=connection, join_transaction_mode="create_savepoint")
    try:
        with app.app_context():
            org = Organisation(name="Wijkteam Groot")
            team = Team(organisation=org, name="Team Oost")
            db.session.add_all([org, team])
            client = new_user("groot.ouder@example.test", Role.CLIENT, name="Sanne de Vries")
            coordinator = new_user("groot.regie@example.test", Role.PROFESSIONAL, team=team)
            network = new_user("groot.oma@example.test", Role.NETWORK, name="Oma Jo")
            db.session.flush()
            objs = build_plan(
                f"Plan van de familie De Vries {HOUSE}", client, coordinator, network=network
            )
            grow_plan(objs.plan, list(objs.participations.values()), client.id, **LARGE)
            _special_content(objs, client)
            db.session.commit()
            url = f"/plans/{objs.plan.public_id}/summary.pdf"
            pdfs = {
                name: _client_for(app, user).get(url).data
                for name, user in (("coordinator", coordinator), ("network", network))
            }
            result = Rendered(**pdfs, today=local_today())
            db.session.remove()
    finally:
        db.session.configure(bind=db.engine, join_transaction_mode="conditional_savepoint")
        outer.rollback()
        connection.close()
    keep = os.environ.get("SUMMARY_PDF_DIR")
    if keep:
        for name, content in pdfs.items():
            Path(keep, f"large-{name}.pdf").write_bytes(content)
    yield result


def _tool(command: str, content: bytes, *args: str) -> str:
    """A poppler tool on the PDF (from stdin), its output as UTF-8 text."""
    where = ["-", "-"] if command == "pdftotext" else ["-"]
    encoding = ["-enc", "UTF-8"] if command in ("pdftotext", "pdfinfo") else []
    result = subprocess.run(
        [command, *encoding, *args, *where], input=content, capture_output=True, check=True
    )
    # -bbox copies the PDF's title into its <head> as it is stored (not UTF-8)
    return result.stdout.decode(errors="replace")


PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', re.S)
WORD = re.compile(
    r'<word xMin="([\d.-]+)" yMin="([\d.-]+)" xMax="([\d.-]+)" yMax="([\d.-]+)">(.*?)</word>'
)


def test_no_text_leaves_the_page(rendered: Rendered) -> None:
    """Every word is inside its page, and between the side margins (where the header and
    footer are too): long words and pasted links break instead of running off."""
    for content in (rendered.coordinator, rendered.network):
        pages = PAGE.findall(_tool("pdftotext", content, "-bbox"))
        assert len(pages) == pdf_pages(content) >= 5
        outside, words = [], 0
        for number, (width, height, body) in enumerate(pages, start=1):
            assert (round(float(width)), round(float(height))) == (595, 842)  # A4
            for x_min, y_min, x_max, y_max, text in WORD.findall(body):
                words += 1
                if (
                    float(x_min) < SIDE_MARGIN - 1
                    or float(x_max) > float(width) - SIDE_MARGIN + 1
                    or float(y_min) < 0
                    or float(y_max) > float(height)
                ):
                    outside.append((number, text[:40], x_min, x_max))
        assert words > 2000 and not outside, outside[:5]


def test_emoji_are_printed_with_a_font_that_has_them(rendered: Rendered) -> None:
    fonts = _tool("pdffonts", rendered.coordinator)
    assert "Noto-Color-Emoji" in fonts and "DejaVu-Sans" in fonts
    text = pdf_text(rendered.coordinator)
    assert HOUSE in text and BIKE in text
    assert "\N{REPLACEMENT CHARACTER}" not in text


def test_the_pdf_is_tagged_with_its_title_and_language(rendered: Rendered) -> None:
    info = _tool("pdfinfo", rendered.coordinator)
    assert re.search(r"^Tagged:\s+yes$", info, re.M), info
    assert re.search(r"^Title:\s+Planoverzicht: Plan van de familie De Vries", info, re.M), info
    assert re.search(r"^Page size:\s+595\.\d* x 841\.\d* pts \(A4\)$", info, re.M), info
    assert b"/Lang (nl)" in b"".join(_streams(rendered.coordinator))  # the catalog's language


def _streams(content: bytes) -> Iterator[bytes]:
    """The PDF's compressed streams, inflated (the catalog is in an object stream)."""
    for found in re.finditer(rb"stream\r?\n", content):
        end = content.find(b"endstream", found.end())
        try:
            yield zlib.decompress(content[found.end() : end])
        except zlib.error:
            continue


def test_texts_keep_their_line_breaks(rendered: Rendered) -> None:
    lines = pdf_lines(rendered.coordinator)
    for first, second in (
        (f"Regel een {BIKE}", "Regel twee"),
        ("Eerste punt", "Tweede punt"),
        ("Voortgang regel een", "Voortgang regel twee"),
        ("Notitie regel een", "Notitie regel twee"),
        (f"Bericht regel een {HOUSE}", "Bericht regel twee"),
        ("Totaalbeeld regel een", "Totaalbeeld regel twee"),
    ):
        at = next(i for i, line in enumerate(lines) if first in line)
        assert second not in lines[at], lines[at]  # not run together on one line
        assert lines[at + 1].startswith(second) or second in lines[at + 1], lines[at : at + 2]


def test_the_cover_says_whose_plan_who_coordinates_and_when(rendered: Rendered) -> None:
    cover = pdf_text(rendered.coordinator).split("\f")[0]
    for expected in (
        "Planoverzicht",
        "Plan van de familie De Vries",
        "Vertrouwelijk",
        "Regisseur",
        "Groot Regie",
        "Team Oost",
        "Looptijd",
        "tot nu",
        "Afgedrukt",
        "Gezin",
        "Sanne de Vries",
        "5-5-1985",
        "Inhoud",  # a long plan: a table of contents with page numbers
    ):
        assert expected in cover, expected
    contents = re.search(r"Doelen\s*\.*\s*(\d+)", cover)
    assert contents and int(contents.group(1)) >= 2
    for page in pdf_text(rendered.coordinator).split("\f")[:-1]:
        assert "VERTROUWELIJK" in page  # in every page's margin


def test_goals_without_progress_say_so_and_print_no_empty_chart(rendered: Rendered) -> None:
    lines = pdf_lines(rendered.coordinator)
    at = next(i for i, line in enumerate(lines) if line.startswith("Doel zonder voortgang"))
    following = " ".join(lines[at : at + 3])
    assert "Nog geen voortgang opgeschreven." in following
    # no chart beside it: its axis (0, 5, 10) would be on these lines
    assert following == "Doel zonder voortgang Mee bezig Nog geen voortgang opgeschreven.", (
        following
    )
    home = next(i for i, line in enumerate(lines) if "Een fijn huis" in line)
    assert re.search(r"\b10$", lines[home]), lines[home]  # a goal with progress has its chart


def test_every_kind_of_hidden_item_is_marked(rendered: Rendered) -> None:
    """Goals, actions under them, appointments, messages and strengths checks that the
    network does not see carry the mark (the family's PDF: test_summary_pdf)."""
    hidden = ("Prive doel", "Prive actie", "Afspraak " + BIKE, "Kind ·")
    assert hidden_marks_missing(rendered.coordinator, hidden, "Verborgen bericht") == []
    lines = pdf_lines(rendered.coordinator)
    shared = next(i for i, line in enumerate(lines) if line.startswith("Gedeeld doel"))
    assert "niet voor netwerk" not in " ".join(lines[shared : shared + 2])


def test_the_network_gets_ages_and_nothing_hidden(rendered: Rendered) -> None:
    text = pdf_text(rendered.network)
    for hidden in (
        "Prive doel",
        "Prive actie",
        "Prive afspraak",
        "Prive bericht",
        "Verborgen bericht",
        "Totaalbeeld",
        "Afspraak " + BIKE,
        "niet voor netwerk",
    ):
        assert hidden not in text, hidden
    assert "Gedeeld doel" in text and "Alleen wat zichtbaar is voor het netwerk" in text
    assert "5-5-1985" not in text and "1-1-2019" not in text and "1985" not in text
    cover = text.split("\f")[0]
    assert "Leeftijd" in cover and "Geboortedatum" not in cover
    # the child is not shown to the network without consent; the parent is, with an age
    assert f"{age_on(dt.date(1985, 5, 5), rendered.today)} jaar" in cover
