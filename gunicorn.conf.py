"""gunicorn settings: ``gunicorn -c gunicorn.conf.py wsgi:app`` (``make run`` does this).

A ``--bind`` or ``--workers`` on the command line wins over what is set here.

Threads rather than many processes: a request mostly waits on the database, and with the
SQLite default every writer queues for the one write lock anyway, so a few processes of a
few threads each use the cores without piling up writers. PDFs of print runs are made by the
queue worker (``flask --app samenplan worker``), not here.
"""

from __future__ import annotations

import os

_cores = os.cpu_count() or 1

bind = [f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '5000')}"]
worker_class = "gthread"
workers = int(os.environ.get("WEB_CONCURRENCY") or min(2 * _cores, 4))
threads = int(os.environ.get("GUNICORN_THREADS") or 4)
# A single summary PDF is rendered in the request; give it time on a slow machine.
timeout = 60
graceful_timeout = 10
keepalive = 5
# Logs on stdout/stderr, for the terminal, systemd's journal or a container runtime.
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info")
# gunicorn's control socket is one path per user ($XDG_RUNTIME_DIR or ~/.gunicorn): two servers
# on one machine (make run beside a test or a benchmark) would take it from each other.
control_socket_disable = True
