"""``make run``: gunicorn and the queue worker side by side, started and stopped together.

    python -m samenplan.serve        # gunicorn -c gunicorn.conf.py wsgi:app + flask worker

The children run in a session of their own, so each signal reaches them once, from here:
Ctrl+C (SIGINT, from the terminal or `kill -INT`) is passed on as SIGINT (gunicorn stops, the
worker finishes the task in hand); SIGTERM or SIGHUP as SIGTERM. When either child ends, the
other is stopped too, so no worker is left behind; a child still running GRACE seconds later
gets SIGTERM, and then SIGKILL.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess  # nosec B404  # starts our own gunicorn and worker, fixed argv
import sys
import time
from pathlib import Path
from types import FrameType

GRACE = 30.0


def commands() -> list[list[str]]:
    bin_dir = Path(sys.executable).parent
    return [
        [str(bin_dir / "gunicorn"), "-c", "gunicorn.conf.py", "wsgi:app"],
        [str(bin_dir / "flask"), "--app", "samenplan", "worker"],
    ]


def main() -> int:
    stop_requested: list[int] = []

    def request_stop(signum: int, _frame: FrameType | None) -> None:
        stop_requested.append(signum)

    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, request_stop)

    # our own fixed commands, from this virtualenv
    children = [
        subprocess.Popen(command, start_new_session=True)  # noqa: S603  # nosec B603
        for command in commands()
    ]
    try:
        while not stop_requested and all(child.poll() is None for child in children):
            time.sleep(0.2)
    finally:
        _stop(children, forward=stop_requested[0] if stop_requested else signal.SIGTERM)
    if stop_requested:
        return 0
    return next((child.returncode for child in children if child.returncode), 0)


def _stop(children: list[subprocess.Popen[bytes]], *, forward: int) -> None:
    for child in children:
        if child.poll() is None:
            child.send_signal(signal.SIGINT if forward == signal.SIGINT else signal.SIGTERM)
    _wait(children, GRACE)
    _terminate(children)  # SIGTERM: the worker hands its task back to the queue
    _wait(children, 10.0)
    for child in children:
        if child.poll() is None:
            child.kill()
            child.wait()


def _terminate(children: list[subprocess.Popen[bytes]]) -> None:
    for child in children:
        if child.poll() is None:
            child.send_signal(signal.SIGTERM)


def _wait(children: list[subprocess.Popen[bytes]], seconds: float) -> None:
    deadline = time.monotonic() + seconds
    for child in children:
        with contextlib.suppress(subprocess.TimeoutExpired):
            child.wait(timeout=max(0.0, deadline - time.monotonic()))


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    sys.exit(main())
