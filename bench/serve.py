"""Benchmark: plan pages under a real server, as a ratio to a Flask hello world in the same run.

Starts gunicorn with the repository's settings and ``--workers 2`` on a fresh database with
the demo data plus one large plan (30 goals, 150 actions, 300 progress entries, 60 agenda
items, 200 log entries), logs in the demo coordinator and the demo parent through the real
login form, and drives each page with wrk (``-t2 -c16 -d10s``, loopback only). Then a
one-route Flask hello world under the same gunicorn settings, with the same wrk options.
Prints req/s, p50, p99, the non-2xx count (counted per response by a wrk Lua script, so a
redirect to the login page counts too) and req/s(page) / req/s(hello) per page.

    .venv/bin/python bench/serve.py                    # SQLite file in a temporary folder
    .venv/bin/python bench/serve.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/postgres

A PostgreSQL --database-url names the server: a fresh database is made on it and dropped at
the end. Every server this script starts is stopped by its PID.

Exit status: 1 when any page answered anything but 2xx, 0 otherwise.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests import live

HELLO = """from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello():
    return "Hello, World!"
"""
#: counts every answer that is not a 2xx, over all of wrk's threads
COUNT_LUA = """
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) bad = 0 end
function response(status, headers, body)
  if status < 200 or status > 299 then bad = bad + 1 end
end
function done(summary, latency, requests)
  local n = 0
  for _, t in ipairs(threads) do n = n + t:get("bad") end
  io.write(string.format("NON2XX %d\\n", n))
end
"""
LARGE_PLAN = """
from samenplan import create_app
from samenplan.accounts.services import get_user_by_email
from samenplan.extensions import db
from tests.plans.factories import LARGE, grow_plan
from tests.scenario import build_plan

app = create_app()
with app.app_context():
    parent = get_user_by_email("ouder@demo.test")
    coordinator = get_user_by_email("regisseur@demo.test")
    network = get_user_by_email("netwerk@demo.test")
    objs = build_plan("Groot plan (benchmark)", parent, coordinator, network=network)
    grow_plan(objs.plan, list(objs.participations.values()), parent.id, **LARGE)
    db.session.commit()
    print(objs.plan.public_id)
"""
PLAN_LINK = re.compile(r'href="(/plans/[\w-]{8,}/)"')
GOAL_LINK = re.compile(r'href="(/plans/[\w-]+/goals/\d+)"')
WORKERS = ("--workers", "2")


@dataclass
class Result:
    name: str
    rps: float
    p50: str
    p99: str
    non_2xx: int
    errors: str


def wrk(
    url: str, cookie: str, args: argparse.Namespace, script: Path
) -> tuple[float, str, str, int, str]:
    command = [
        "wrk",
        f"-t{args.threads}",
        f"-c{args.connections}",
        f"-d{args.seconds}s",
        "--timeout",
        "5s",
        "--latency",
        "-s",
        str(script),
        "-H",
        "Accept-Language: nl",
    ]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    out = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p50 = re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1)  # type: ignore[union-attr]
    p99 = re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1)  # type: ignore[union-attr]
    non_2xx = int(re.search(r"NON2XX (\d+)", out).group(1))  # type: ignore[union-attr]
    errors = re.search(r"Socket errors:.*", out)
    return rps, p50, p99, non_2xx, errors.group(0) if errors else ""


def cookie_of(client: live.Client) -> str:
    return "; ".join(f"{k}={v}" for k, v in client.cookies.items())


def check(client: live.Client, path: str) -> str:
    reply = client.get(path)
    if reply.status != 200:
        raise RuntimeError(f"{path} answered {reply.status} before the run")
    return reply.body


def run(args: argparse.Namespace, directory: Path) -> list[Result]:
    script = directory / "count.lua"
    script.write_text(COUNT_LUA)
    results = []
    with live.fresh_database(args.database_url, directory, "serve") as url:
        env = live.server_env(url, directory, **live.CHEAP_ARGON2)
        live.prepare(env)
        large = subprocess.run(
            [sys.executable, "-c", LARGE_PLAN],
            env=env,
            cwd=live.ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()[-1]
        port = live.free_port()
        command = live.gunicorn_command(port, extra=(*WORKERS, "--access-logfile", "/dev/null"))
        with live.serve(command, env, directory / "server.log", port=port) as server:
            coordinator, parent = live.Client(server.url), live.Client(server.url)
            coordinator.log_in("regisseur@demo.test")
            parent.log_in("ouder@demo.test")
            large_url = f"/plans/{large}/"
            small_url = next(
                p for p in PLAN_LINK.findall(check(parent, "/plans/")) if p != large_url
            )
            goal_url = GOAL_LINK.findall(check(coordinator, small_url))[0]
            pages = [
                ("overview, small plan, coordinator", small_url, coordinator),
                ("overview, small plan, parent", small_url, parent),
                ("overview, large plan, coordinator", large_url, coordinator),
                ("overview, large plan, parent", large_url, parent),
                ("goal page, coordinator", goal_url, coordinator),
                ("My plans, coordinator", "/plans/", coordinator),
            ]
            for name, path, client in pages:
                check(client, path)
                rps, p50, p99, bad, errors = wrk(server.url + path, cookie_of(client), args, script)
                results.append(Result(name, rps, p50, p99, bad, errors))
                print(f"  {name}: {rps:.0f} req/s", flush=True)
    (directory / "hello.py").write_text(HELLO)
    port = live.free_port()
    command = live.gunicorn_command(
        port, "hello:app", extra=(*WORKERS, "--access-logfile", "/dev/null")
    )
    with live.serve(command, env, directory / "hello.log", port=port, health="/", cwd=directory):
        rps, p50, p99, bad, errors = wrk(f"http://127.0.0.1:{port}/", "", args, script)
        results.append(Result("Flask hello world", rps, p50, p99, bad, errors))
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url")
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        print("wrk is not installed: make install-test installs it (Debian package wrk)")
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        results = run(args, Path(tmp))
    hello = results[-1].rps
    kind = (args.database_url or "sqlite").split(":", 1)[0].split("+")[0]
    print(
        f"\ngunicorn gthread --workers 2 (threads from gunicorn.conf.py), wrk -t{args.threads} "
        f"-c{args.connections} -d{args.seconds}s, database: {kind}"
    )
    print(f"{'page':38} {'req/s':>8} {'p50':>9} {'p99':>9} {'non-2xx':>8} {'of hello':>9}")
    for r in results:
        print(
            f"{r.name:38} {r.rps:8.0f} {r.p50:>9} {r.p99:>9} {r.non_2xx:8d} "
            f"{100 * r.rps / hello:8.1f}%" + (f"  {r.errors}" if r.errors else "")
        )
    return 1 if any(r.non_2xx for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
