"""The restore drill of docs/deploy.md: a dump restored into a fresh database has every row."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests import live

pytestmark = pytest.mark.skipif(
    not os.environ.get("TEST_DATABASE_URL", "").startswith("postgresql"),
    reason="pg_dump and pg_restore need PostgreSQL (runs in the suite's PostgreSQL pass)",
)


def test_a_restored_dump_has_the_same_rows_in_every_table(scratch_url: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    env = {**live.server_env(scratch_url, tmp_path), **live.CHEAP_ARGON2}
    for command in (["db", "upgrade"], ["synth", "--households", "30"]):
        subprocess.run([*live.FLASK, *command], env=env, cwd=live.ROOT, check=True)
    drill = subprocess.run(
        [sys.executable, "tools/restore_drill.py", scratch_url],
        cwd=live.ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert drill.returncode == 0, drill.stdout + drill.stderr
    assert ", 0 differ" in drill.stdout
    plans = next(line for line in drill.stdout.splitlines() if line.startswith("plans "))
    assert plans.split()[1:] == ["30", "30"]
