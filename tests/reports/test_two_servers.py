"""Stateless web servers: two gunicorn instances on different ports share one database and
one Redis queue, as two servers behind a load balancer would. A person logged in on one goes
on on the other; a print run asked for on one is rendered by a worker and downloaded from the
other. Nothing per person lives in a web process."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator

import pytest

from tests import live
from tests.reports.test_print_worker import LEAD, Client, Stack, running_stack

#: a Redis database of its own for this test's queue (0 is production's default)
REDIS_QUEUE = "redis://127.0.0.1:6379/13"


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    folder = tmp_path_factory.mktemp("two-servers")
    with (
        live.fresh_database(os.environ.get("TEST_DATABASE_URL"), folder, "two") as database,
        running_stack(
            database,
            folder,
            QUEUE_URL=REDIS_QUEUE,
            INSTANCE_DIR=str(folder / "instance"),  # one secret key for both, as in production
        ) as stack,
    ):
        yield stack


def test_two_servers_share_sessions_and_the_queue(shared: Stack) -> None:
    first, _ = shared.web()
    second, _ = shared.web()
    assert first != second
    lead = Client(first)
    lead.log_in(LEAD)
    lead.base = second  # the load balancer sends the next click elsewhere
    status, location, body = lead.open("/plans/team/print")
    assert status == 200, (status, location)  # still logged in: the session is in the database
    assert "Plan van de familie Jansen" in body.decode()

    lead.base = first
    public_id = lead.print_demo_plans()  # queued through the first server, on Redis
    worker = shared.worker()
    lead.base = second
    done = lead.wait_until_done(public_id)
    assert done["done"] == done["total"] >= 1
    assert "Plan van de familie Jansen" in lead.pdf(done)  # downloaded from the second

    status, _location, _body = lead.open(
        "/logout", {"csrf_token": lead.form_token("/plans/team/print")[0]}
    )
    assert status in (302, 303)
    lead.base = first  # logged out on one is logged out on all
    status, location, _body = lead.open("/plans/team/print")
    assert status in (302, 303) and "/login" in location
    shared.stop(worker, signal.SIGINT)
