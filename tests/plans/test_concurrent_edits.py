"""Two people save the same goal at the same moment, 50 times, against a real server; the
audit chain stays one line while many write at once; and a create form sent twice at the
same moment makes one entry.

The server is gunicorn with two worker processes of four threads (so the two saves really run
at once) on a database of its own: a SQLite file, or a fresh PostgreSQL database beside
TEST_DATABASE_URL. In every round exactly one save wins and the other person sees the conflict
page with both texts; nothing is overwritten silently and nothing fails with a 5xx.
"""

from __future__ import annotations

import http.client
import re
import subprocess
import threading
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests import live

ROUNDS = 50
CONFLICT = "Iemand anders heeft dit intussen veranderd"
PEOPLE = {"ouder": "ouder@demo.test", "regisseur": "regisseur@demo.test"}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[live.Server]:
    with live.demo_server(
        tmp_path_factory.mktemp("concurrent-edits"), "concurrent", extra=live.CONCURRENT
    ) as server:
        yield server


@dataclass
class Save:
    who: str
    title: str
    why: str
    status: int = 0
    body: str = ""
    error: str = ""


def _goal_edit_url(client: live.Client) -> str:
    plans = client.get("/plans/")
    plan = re.search(r'href="(/plans/[\w-]{8,}/)"', plans.body)
    assert plan, "no plan on My plans"
    overview = client.get(plan.group(1))
    goal = re.search(r'href="(/plans/[\w-]+/goals/\d+)"', overview.body)
    assert goal, "no goal on the plan overview"
    return f"{goal.group(1)}/edit"


def test_fifty_simultaneous_saves_of_one_goal(server: live.Server) -> None:
    clients = {who: live.Client(server.url) for who in PEOPLE}
    try:
        for who, client in clients.items():
            client.log_in(PEOPLE[who])
        url = _goal_edit_url(clients["ouder"])
        barrier = threading.Barrier(len(clients), timeout=30)
        outcomes: Counter[str] = Counter()
        problems: list[str] = []

        def save(attempt: Save) -> Save:
            client = clients[attempt.who]
            try:
                form = client.get(url)
                fields = live.form_fields(form.body)
                if form.status != 200 or "version" not in fields:
                    attempt.error = f"GET form: {form.status}"
                    barrier.abort()
                    return attempt
                fields.update(title=attempt.title, why=attempt.why)
                barrier.wait()  # both have read the same version; now both save
                reply = client.request("POST", url, fields)
                attempt.status, attempt.body = reply.status, reply.body
            except threading.BrokenBarrierError:
                attempt.error = attempt.error or "the other save did not get its form"
            except (OSError, http.client.HTTPException) as error:  # dropped, or a time-out
                attempt.error = f"{type(error).__name__}: {error}"
                barrier.abort()
            return attempt

        with ThreadPoolExecutor(max_workers=len(clients)) as pool:
            for number in range(1, ROUNDS + 1):
                barrier.reset()
                attempts = [
                    Save(who, f"Ronde {number} titel van {who}", f"Ronde {number} waarom {who}")
                    for who in clients
                ]
                done = list(pool.map(save, attempts, timeout=60))
                outcome = _judge(number, done, clients["regisseur"], url, problems)
                outcomes[outcome] += 1
    finally:
        for client in clients.values():
            client.close()
    assert problems == [], (
        f"{len(problems)} problems in {ROUNDS} rounds; outcomes {dict(outcomes)}:\n"
        + "\n".join(problems[:20])
        + f"\n--- server log (end) ---\n{server.log()}"
    )
    assert outcomes == {"one saved, one conflict": ROUNDS}


def _judge(
    number: int, done: list[Save], reader: live.Client, url: str, problems: list[str]
) -> str:
    """Check one round; returns a short name of what happened, and appends what went wrong."""
    statuses = sorted(f"{s.who}={s.status or s.error}" for s in done)
    failed = [s for s in done if s.error or s.status >= 500]
    if failed:
        problems.append(f"round {number}: {statuses}")
        return "5xx or error"
    winners = [s for s in done if s.status == 303]
    losers = [s for s in done if s.status in (200, 409) and CONFLICT in s.body]
    if len(winners) != 1 or len(losers) != 1:
        problems.append(f"round {number}: not one saved and one conflict: {statuses}")
        return "no single winner"
    winner, loser = winners[0], losers[0]
    stored = live.form_fields(reader.get(url).body)
    if (stored.get("title"), stored.get("why")) != (winner.title, winner.why):
        problems.append(
            f"round {number}: {winner.who} saved, but the goal holds "
            f"{stored.get('title')!r}/{stored.get('why')!r} (silent overwrite)"
        )
        return "overwritten"
    shown = live.form_fields(loser.body)
    if (shown.get("title"), shown.get("why")) != (loser.title, loser.why):
        problems.append(f"round {number}: the conflict form lost what {loser.who} typed")
        return "typed text lost"
    if winner.title not in loser.body or winner.why not in loser.body:
        problems.append(f"round {number}: the conflict page does not show the saved version")
        return "saved version not shown"
    return "one saved, one conflict"


def test_the_audit_chain_stays_one_line_when_many_write_at_once(
    server: live.Server, tmp_path: Path
) -> None:
    """Eight professionals' page views (each an audit event in a short transaction of its
    own) and the family's logbook posts at the same moments: every event joins the one
    chain, none forks it. Checked with `flask audit verify` as an operator would run it."""
    readers = [live.Client(server.url) for _ in range(8)]
    writer = live.Client(server.url)
    try:
        for reader in readers:
            reader.log_in(PEOPLE["regisseur"])
        writer.log_in(PEOPLE["ouder"])
        plan = re.search(r'href="(/plans/[\w-]{8,}/)"', readers[0].get("/plans/").body)
        assert plan
        overview = plan.group(1)
        statuses: Counter[int] = Counter()

        def read(reader: live.Client) -> None:
            for _ in range(15):
                statuses[reader.get(overview).status] += 1

        def write() -> None:
            for n in range(15):
                form = live.form_fields(writer.get(f"{overview}logbook").body)
                form["text"] = f"Bericht {n}"
                statuses[writer.request("POST", f"{overview}logbook", form).status] += 1

        with ThreadPoolExecutor(max_workers=9) as pool:
            futures = [pool.submit(read, reader) for reader in readers] + [pool.submit(write)]
            for future in futures:
                future.result(timeout=120)
    finally:
        for client in (*readers, writer):
            client.close()
    assert set(statuses) <= {200, 303}, f"{dict(statuses)}\n{server.log()}"
    env = live.server_env(server.database_url, tmp_path)
    done = subprocess.run(
        [*live.FLASK, "audit", "verify"], env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert int(re.search(r"intact: (\d+) events", done.stdout).group(1)) >= 8 * 15 + 15  # type: ignore[union-attr]


def test_a_progress_form_sent_twice_at_the_same_moment_makes_one_entry(
    server: live.Server,
) -> None:
    """The double click, for real: two posts of one progress form (the same one-time
    token) reach two server threads at once, ten times. Each time exactly one entry is
    stored, and both posts end on the goal page (a 303), never a 5xx."""
    from sqlalchemy import create_engine, text

    tabs = [live.Client(server.url) for _ in range(2)]
    engine = create_engine(server.database_url)
    try:
        for tab in tabs:
            tab.log_in(PEOPLE["ouder"])
        goal = _goal_edit_url(tabs[0]).removesuffix("/edit")
        action = f"{goal}/progress"
        barrier = threading.Barrier(2, timeout=30)
        problems: list[str] = []

        def entries() -> int:
            with engine.connect() as conn:
                return int(conn.execute(text("SELECT count(*) FROM progress_entries")).scalar())

        def send(tab: live.Client, fields: dict[str, str]) -> tuple[int, str]:
            barrier.wait()
            reply = tab.request("POST", action, fields)
            return reply.status, reply.location

        with ThreadPoolExecutor(max_workers=2) as pool:
            for number in range(1, 11):
                before = entries()
                first = live.form_fields(tabs[0].get(goal).body, action)
                second = live.form_fields(tabs[1].get(goal).body, action)
                # the same form, sent from two tabs of one session would carry one CSRF
                # token; two sessions carry their own, and the one form token
                second["form_token"] = first["form_token"]
                for fields in (first, second):
                    fields.update(value=str(number % 11), note=f"Ronde {number}")
                replies = list(pool.map(send, tabs, (first, second), timeout=60))
                made = entries() - before
                if made != 1 or [status for status, _ in replies] != [303, 303]:
                    problems.append(f"round {number}: {made} entries, replies {replies}")
    finally:
        for tab in tabs:
            tab.close()
        engine.dispose()
    assert problems == [], "\n".join(problems) + f"\n--- server log ---\n{server.log()}"
