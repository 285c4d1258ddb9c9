"""A real server on a database whose write lock someone else holds: readers go on, a form
post gets the conflict page with the person's text, and sending it again saves it once."""

from __future__ import annotations

import contextlib
import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import make_url

from tests.live import (
    Client,
    Server,
    demo_server,
    form_fields,
)

TEXT = "Vandaag ging het beter 🚲\nMorgen bellen we de school."


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, str]]:
    directory = tmp_path_factory.mktemp("conflict")
    with demo_server(directory, "conflict", DATABASE_LOCK_TIMEOUT_MS="300") as live:
        yield live, live.database_url


@contextlib.contextmanager
def write_lock_held(url: str) -> Iterator[None]:
    """Someone else holds the lock a new logbook message needs."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        conn = sqlite3.connect(str(parsed.database), isolation_level=None)
        try:
            conn.execute("BEGIN IMMEDIATE")
            yield
            conn.execute("ROLLBACK")
        finally:
            conn.close()
        return
    dsn = parsed.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(dsn) as pg:
        pg.execute("LOCK TABLE log_entries IN EXCLUSIVE MODE")
        yield
        pg.rollback()


def _plan_path(client: Client) -> str:
    match = re.search(r'href="(/plans/[A-Za-z0-9_-]+/)"', client.get("/plans/").body)
    assert match, "no plan on My plans"
    return match.group(1)


def test_a_post_that_cannot_get_the_lock_shows_the_text_and_can_be_sent_again(
    server: tuple[Server, str], tmp_path: Path
) -> None:
    live, url = server
    parent = Client(live.url)
    parent.log_in("ouder@demo.test")
    logbook = _plan_path(parent) + "logbook"
    fields = form_fields(parent.get(logbook).body, action=None)
    fields.update(text=TEXT)
    fields.pop("shared_with_network", None)
    try:
        with write_lock_held(url):
            # reading does not wait for the writer
            assert parent.get(logbook).status == 200
            reply = parent.post(logbook, fields)
        assert reply.status == 409, live.log()
        assert "Iemand anders was tegelijk aan het opslaan" in reply.body
        assert "Vandaag ging het beter 🚲" in reply.body and "Morgen bellen" in reply.body
        assert 'name="password"' not in reply.body
        again = form_fields(reply.body, action=logbook)
        assert again["text"].replace("\r\n", "\n") == TEXT
        assert again["csrf_token"]
        saved = parent.request("POST", logbook, again)  # exactly what the page sends
        assert saved.status == 303, saved.body[-2000:]
        page = parent.get(logbook).body
        assert page.count("Vandaag ging het beter") == 1
    finally:
        parent.close()
