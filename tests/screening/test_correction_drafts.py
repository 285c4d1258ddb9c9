"""One open correction per screening: asking again continues the draft that is there.

In-process: a second post returns the same draft, and many posts leave one. Against a real
server (gunicorn, several threads, a database of its own): posts at the same moment still
start one draft.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from samenplan.extensions import db
from samenplan.screening.models import DomainScore, Screening, ScreeningStatus
from tests import live
from tests.scenario import Scenario

IN_PROGRESS = "Er is al een correctie van deze krachtenmeting bezig"


def _drafts(original_id: int) -> list[Screening]:
    return list(
        db.session.scalars(
            select(Screening).where(
                Screening.corrects_id == original_id, Screening.status == ScreeningStatus.DRAFT
            )
        )
    )


def test_a_second_correction_continues_the_first(
    scenario: Scenario, as_persona: Callable[[str], FlaskClient]
) -> None:
    pid, original = scenario.a.plan.public_id, scenario.a.screening
    assert original is not None
    url = f"/plans/{pid}/screenings/{original.id}/correct"
    first = as_persona("coordinator").post(url, data={"reason": "Verkeerde datum"})
    assert first.status_code == 303
    colleague = as_persona("professional")
    second = colleague.post(url, data={"reason": "Iets anders"})
    assert second.status_code == 303
    assert second.headers["Location"] == first.headers["Location"]
    [draft] = _drafts(original.id)
    assert first.headers["Location"].endswith(f"/screenings/{draft.id}/edit")
    assert draft.correction_reason == "Verkeerde datum"  # the first reason stays
    page = colleague.get(second.headers["Location"])
    assert IN_PROGRESS in page.get_data(as_text=True)


def test_many_posts_leave_one_draft(
    scenario: Scenario, as_persona: Callable[[str], FlaskClient]
) -> None:
    pid, original = scenario.a.plan.public_id, scenario.a.screening
    assert original is not None
    client = as_persona("coordinator")
    locations = {
        client.post(
            f"/plans/{pid}/screenings/{original.id}/correct", data={"reason": f"Poging {n}"}
        ).headers.get("Location")
        for n in range(25)
    }
    assert len(locations) == 1 and None not in locations
    assert len(_drafts(original.id)) == 1


def test_after_completing_a_correction_the_new_version_can_be_corrected(
    scenario: Scenario, as_persona: Callable[[str], FlaskClient]
) -> None:
    pid, original = scenario.a.plan.public_id, scenario.a.screening
    assert original is not None
    client = as_persona("coordinator")
    client.post(f"/plans/{pid}/screenings/{original.id}/correct", data={"reason": "Eerste"})
    [draft] = _drafts(original.id)
    domains = db.session.scalars(
        select(DomainScore.domain_id).where(DomainScore.screening_id == draft.id)
    )
    data: dict[str, str] = {"finish": "complete"}
    for d in domains:
        data.update({f"d-{d}-score": "4", f"d-{d}-own": "40", f"d-{d}-network": "30"})
        data[f"d-{d}-professional"] = "30"
    assert client.post(f"/plans/{pid}/screenings/{draft.id}/edit", data=data).status_code == 303
    assert _drafts(original.id) == []
    again = client.post(f"/plans/{pid}/screenings/{draft.id}/correct", data={"reason": "Tweede"})
    assert again.status_code == 303
    assert len(_drafts(draft.id)) == 1
    # the old version is superseded: no new draft of it
    client.post(f"/plans/{pid}/screenings/{original.id}/correct", data={"reason": "Derde"})
    assert _drafts(original.id) == []


# --- at the same moment, against a real server ------------------------------------------------

AT_ONCE = 6


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[live.Server]:
    with live.demo_server(
        tmp_path_factory.mktemp("correction-drafts"), "corrections", extra=live.CONCURRENT
    ) as server:
        yield server


def _correct_urls(client: live.Client) -> list[str]:
    plans = client.get("/plans/")
    urls: list[str] = []
    for plan in dict.fromkeys(re.findall(r'href="(/plans/[\w-]{8,}/)"', plans.body)):
        timeline = client.get(f"{plan}screenings")
        for show in dict.fromkeys(
            re.findall(r'href="(/plans/[\w-]+/screenings/\d+)"', timeline.body)
        ):
            if f'{show}/correct"' in client.get(show).body:
                urls.append(f"{show}/correct")
    return urls


def test_simultaneous_corrections_start_one_draft(server: live.Server) -> None:
    clients = [live.Client(server.url) for _ in range(AT_ONCE)]
    try:
        for client in clients:
            client.log_in("regisseur@demo.test")
        urls = _correct_urls(clients[0])
        assert urls, "no completed screening to correct in the demo data"
        url = urls[0]
        barrier = threading.Barrier(AT_ONCE, timeout=30)

        def post(client: live.Client) -> tuple[int, str]:
            client.get(url)  # its CSRF token
            barrier.wait()
            reply = client.post(url, {"reason": "Tegelijk gecorrigeerd"})
            return reply.status, reply.location

        with ThreadPoolExecutor(max_workers=AT_ONCE) as pool:
            replies = list(pool.map(post, clients, timeout=60))
    finally:
        for client in clients:
            client.close()
    assert {status for status, _ in replies} == {303}, (replies, server.log())
    locations = {location for _, location in replies}
    assert len(locations) == 1 and next(iter(locations)).endswith("/edit"), replies
