"""Load test: N people at once on the plan pages of a real server, with some writes mixed in.

Starts gunicorn as ``make run`` does (the repository's gunicorn.conf.py, or two gthread workers
with four threads when there is none) on a fresh database with the demo data, logs every
simulated user in through the real /login form, and lets them click through My plans, plan
overviews, goal pages, logbooks and agendas for --seconds; about 16 % of the clicks are writes
(a progress entry, a logbook message, an action ticked off or opened again), each followed by
its redirect as a browser does. Then it drives a one-route Flask hello world under the same
gunicorn settings with the same client, and prints requests, errors, p50/p95/p99 and req/s per
page kind and in total, with req/s(page) / req/s(hello).

    .venv/bin/python bench/load.py                      # SQLite file in a temporary folder
    .venv/bin/python bench/load.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/postgres
    .venv/bin/python bench/load.py --server-url http://127.0.0.1:5000 --password '…'

A PostgreSQL --database-url names the server: the script makes a fresh database on it and drops
it at the end. Passwords are hashed at the real (default) argon2 cost, as in ``make run``; the
logins happen before the clock starts. Only 127.0.0.1 is ever contacted, and every server this
script starts is stopped by its PID.

Exit status: 1 when any request got a 5xx or a connection error, 2 when there were only
unexpected statuses (such as a 400 or a 403), 0 otherwise.
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests import live

# Who clicks: the two professionals of the Jansen plan and the family and network of both plans.
ACCOUNTS = [
    "regisseur@demo.test",
    "ouder@demo.test",
    "hulpverlener@demo.test",
    "ouder2@demo.test",
    "jongere@demo.test",
    "netwerk@demo.test",
]
# What they click, by weight (writes are 16 of 100).
READS = {"overview": 24, "goal": 20, "logbook": 14, "my plans": 14, "agenda": 12}
WRITES = {"progress (write)": 6, "log message (write)": 5, "action status (write)": 5}
KINDS = [*READS, *WRITES, "hello"]
HELLO = """from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello():
    return "Hello, World!"
"""
PLAN_LINK = re.compile(r'href="(/plans/[\w-]{8,}/)"')
GOAL_LINK = re.compile(r'href="(/plans/[\w-]+/goals/\d+)"')
STATUS_FORM = re.compile(r'action="(/plans/[\w-]+/actions/\d+/status)"')


@dataclass
class Tally:
    """What one page kind got: latencies of answered requests and the failures by sort."""

    latencies: list[float] = field(default_factory=list)
    server_errors: Counter[int] = field(default_factory=Counter)
    connection_errors: Counter[str] = field(default_factory=Counter)
    unexpected: Counter[int] = field(default_factory=Counter)

    def merge(self, other: Tally) -> None:
        self.latencies += other.latencies
        self.server_errors.update(other.server_errors)
        self.connection_errors.update(other.connection_errors)
        self.unexpected.update(other.unexpected)

    @property
    def requests(self) -> int:
        return len(self.latencies) + sum(self.connection_errors.values())


class User:
    """One simulated person: a logged-in keep-alive connection and what they have seen."""

    def __init__(self, url: str, email: str, password: str, seed: int) -> None:
        self.client = live.Client(url, timeout=10)
        self.email, self.password = email, password
        self.random = random.Random(seed)
        self.tallies: dict[str, Tally] = defaultdict(Tally)
        self.plans: list[str] = []
        self.goals: dict[str, list[str]] = {}
        self.goal_page = ""  # the last goal page, for its action status buttons

    def set_up(self) -> None:
        """Log in and find the plans and goals (not timed)."""
        self.client.log_in(self.email, self.password)
        self.plans = sorted(set(PLAN_LINK.findall(self.client.get("/plans/").body)))
        for plan in self.plans:
            self.goals[plan] = sorted(set(GOAL_LINK.findall(self.client.get(plan).body)))
        if not self.plans:
            raise RuntimeError(f"{self.email} sees no plans")

    def fetch(self, kind: str, method: str, path: str, form: dict[str, str] | None = None) -> str:
        """One timed request; returns where a redirect points, or ""."""
        tally = self.tallies[kind]
        start = time.perf_counter()
        try:
            if method == "POST":
                reply = self.client.post(path, form or {})
            else:
                reply = self.client.get(path)
        except Exception as error:  # a dropped connection or a time-out: count it, go on
            tally.connection_errors[type(error).__name__] += 1
            return ""
        tally.latencies.append(time.perf_counter() - start)
        if reply.status >= 500:
            tally.server_errors[reply.status] += 1
        elif reply.status != (303 if method == "POST" else 200):
            tally.unexpected[reply.status] += 1
        elif kind == "goal":
            self.goal_page = reply.body
        return reply.location if reply.status in (302, 303) else ""

    def click(self) -> None:
        kinds, weights = zip(*{**READS, **WRITES}.items(), strict=True)
        kind = self.random.choices(kinds, weights)[0]
        plan = self.random.choice(self.plans)
        goal = self.random.choice(self.goals[plan] or [""])
        if kind == "action status (write)" and not STATUS_FORM.search(self.goal_page):
            kind = "log message (write)"  # nothing to tick off on the last goal page
        if not goal and kind in ("goal", "progress (write)"):
            kind = "overview"
        location = ""
        if kind == "overview":
            self.fetch(kind, "GET", plan)
        elif kind == "goal":
            self.fetch(kind, "GET", goal)
        elif kind == "logbook":
            self.fetch(kind, "GET", f"{plan}logbook")
        elif kind == "my plans":
            self.fetch(kind, "GET", "/plans/")
        elif kind == "agenda":
            self.fetch(kind, "GET", f"{plan}agenda")
        elif kind == "progress (write)":
            form = {"value": str(self.random.randint(0, 10)), "note": "Gaat de goede kant op."}
            location = self.fetch(kind, "POST", f"{goal}/progress", form)
        elif kind == "log message (write)":
            form = {"text": f"Bericht van {self.email} om {time.time():.3f}"}
            location = self.fetch(
                kind, "POST", f"{plan}logbook", {**form, "shared_with_network": "y"}
            )
        else:
            action = self.random.choice(STATUS_FORM.findall(self.goal_page))
            fields = live.form_fields(self.goal_page, action)
            fields.pop("csrf_token", None)
            location = self.fetch(kind, "POST", action, fields)
        if location:  # the page after the write, as a browser shows it
            path = location.split("#", 1)[0].replace("http://127.0.0.1", "", 1)
            self.fetch("logbook" if path.endswith("/logbook") else "goal", "GET", path)


def drive(users: list[User], seconds: float, click: Callable[[User], None]) -> float:
    """Let every user click until the time is up; returns the seconds it really took."""
    start = threading.Barrier(len(users) + 1, timeout=60)
    deadline = 0.0

    def run(user: User) -> None:
        start.wait()
        while time.monotonic() < deadline:
            click(user)

    threads = [threading.Thread(target=run, args=(u,), daemon=True) for u in users]
    for thread in threads:
        thread.start()
    began = time.monotonic()
    deadline = began + seconds
    start.wait()
    for thread in threads:
        thread.join(timeout=seconds + 30)
    return time.monotonic() - began


def hello_click(user: User) -> None:
    user.fetch("hello", "GET", "/")


def percentile(values: list[float], p: int) -> float:
    if len(values) < 2:
        return values[0] if values else float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1]


def report(
    title: str, tallies: dict[str, Tally], elapsed: float, hello_rate: float, reconnects: int
) -> None:
    """Print one table of requests, failures, latencies and rates per page kind."""
    total = Tally()
    print(f"\n{title} ({elapsed:.1f} s)")
    header = f"{'page':24} {'requests':>8} {'5xx':>5} {'conn':>5} {'other':>5} "
    print(header + f"{'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'req/s':>7} {'/hello':>7}")
    for kind in [k for k in KINDS if k in tallies] + ["total"]:
        tally = total if kind == "total" else tallies[kind]
        if kind != "total":
            total.merge(tally)
        ms = [v * 1000 for v in tally.latencies]
        rate = tally.requests / elapsed
        ratio = f"{rate / hello_rate:7.3f}" if hello_rate and kind != "hello" else f"{'':7}"
        print(
            f"{kind:24} {tally.requests:8} {sum(tally.server_errors.values()):5} "
            f"{sum(tally.connection_errors.values()):5} {sum(tally.unexpected.values()):5} "
            f"{percentile(ms, 50):7.1f} {percentile(ms, 95):7.1f} {percentile(ms, 99):7.1f} "
            f"{rate:7.1f} {ratio}"
        )
    for name, counter in (
        ("5xx", total.server_errors),
        ("connection errors", total.connection_errors),
        ("unexpected statuses", total.unexpected),
    ):
        if counter:
            print(f"  {name}: {dict(counter)}")
    if reconnects:
        print(f"  idle keep-alive connections closed by the server, sent again: {reconnects}")


def log_errors(log: Path) -> None:
    """The distinct error lines in the server's log, most frequent first."""
    if not log.exists():
        return
    lines = Counter(
        line.strip()[:200]
        for line in log.read_text(errors="replace").splitlines()
        if re.search(r"(Error|Exception|error):", line)
    )
    if lines:
        print("\nerrors in the server log:")
        for line, count in lines.most_common(8):
            print(f"  {count:5} × {line}")


def run_load(url: str, args: argparse.Namespace) -> tuple[dict[str, Tally], float, int]:
    users = [
        User(url, ACCOUNTS[i % len(ACCOUNTS)], args.password, seed=args.seed + i)
        for i in range(args.clients)
    ]
    try:
        for user in users:
            user.set_up()
        elapsed = drive(users, args.seconds, User.click)
    finally:
        for user in users:
            user.client.close()
    tallies: dict[str, Tally] = defaultdict(Tally)
    for user in users:
        for kind, tally in user.tallies.items():
            tallies[kind].merge(tally)
    return tallies, elapsed, sum(user.client.reconnects for user in users)


def run_hello(directory: Path, env: dict[str, str], args: argparse.Namespace) -> float:
    (directory / "hello.py").write_text(HELLO)
    port = live.free_port()
    command = live.gunicorn_command(port, "hello:app")
    with live.serve(command, env, directory / "hello.log", port=port, health="/", cwd=directory):
        users = [User(f"http://127.0.0.1:{port}", "", "", i) for i in range(args.clients)]
        try:
            elapsed = drive(users, args.hello_seconds, hello_click)
        finally:
            for user in users:
                user.client.close()
    tally = Tally()
    for user in users:
        tally.merge(user.tallies["hello"])
    reconnects = sum(user.client.reconnects for user in users)
    title = "Flask hello world, same gunicorn settings and client"
    report(title, {"hello": tally}, elapsed, 0, reconnects)
    return tally.requests / elapsed


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--clients", type=int, default=16, help="simultaneous users (16)")
    parser.add_argument("--seconds", type=float, default=20, help="length of the run (20)")
    parser.add_argument("--hello-seconds", type=float, default=5, help="hello world run (5)")
    parser.add_argument("--database-url", help="a PostgreSQL server, or a SQLite file")
    parser.add_argument("--server-url", help="drive this running server on 127.0.0.1 instead")
    parser.add_argument("--password", default=live.DEMO_PASSWORD, help="of the demo accounts")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="samenplan-load-") as tmp:
        directory = Path(tmp)
        log = directory / "server.log"
        env = live.server_env("sqlite:///unused", directory)
        if args.server_url:
            tallies, elapsed, reconnects = run_load(args.server_url.rstrip("/"), args)
            where = args.server_url
        else:
            with live.fresh_database(args.database_url, directory, "load") as database_url:
                env = live.server_env(database_url, directory)
                live.prepare(env, args.password)
                port = live.free_port()
                command = live.gunicorn_command(port)
                with live.serve(command, env, log, port=port) as server:
                    tallies, elapsed, reconnects = run_load(server.url, args)
            backend = database_url.split(":", 1)[0].split("+", 1)[0]
            where = f"{' '.join(command[1:-1])} wsgi:app on {backend}"
        hello_rate = run_hello(directory, env, args)
        report(
            f"Samenplan, {args.clients} users, {where}",
            tallies,
            elapsed,
            hello_rate,
            reconnects,
        )
        log_errors(log)
    if any(t.server_errors or t.connection_errors for t in tallies.values()):
        return 1
    return 2 if any(t.unexpected for t in tallies.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
