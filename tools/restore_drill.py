"""Restore drill: dump a PostgreSQL database, restore the dump into a fresh database, and
compare the row count of every table. Run it against a copy of production regularly (and
after every change to the backup set-up); a backup that was never restored is a hope.

    python tools/restore_drill.py postgresql://postgres@127.0.0.1:5432/samenplan [--keep]

Uses pg_dump and pg_restore (Debian package postgresql-client) in the custom format, the
same as docs/deploy.md's nightly dump. The restored database is dropped at the end unless
--keep is given. Exit status 1 when any table's count differs.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy import create_engine, inspect, make_url, text


def counts(url: str) -> dict[str, int]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            tables = inspect(conn).get_table_names()
            return {
                t: int(conn.execute(text(f'SELECT count(*) FROM "{t}"')).scalar_one())
                for t in sorted(tables)
            }
    finally:
        engine.dispose()


def libpq(url: str) -> str:
    """The URL as pg_dump and psql read it (without SQLAlchemy's driver name)."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def drill(source: str, *, keep: bool = False) -> tuple[dict[str, tuple[int, int]], float, str]:
    """Per table (rows in the source, rows restored), the seconds it took, the copy's URL."""
    name = f"restore_drill_{uuid.uuid4().hex[:8]}"
    target = make_url(source).set(database=name).render_as_string(hide_password=False)
    admin = make_url(source).set(database="postgres").render_as_string(hide_password=False)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        dump = Path(tmp) / "samenplan.dump"
        subprocess.run(["pg_dump", "-Fc", "-f", str(dump), libpq(source)], check=True)
        subprocess.run(["psql", "-q", libpq(admin), "-c", f'CREATE DATABASE "{name}"'], check=True)
        try:
            subprocess.run(
                ["pg_restore", "--no-owner", "--exit-on-error", "-d", libpq(target), str(dump)],
                check=True,
            )
            seconds = time.perf_counter() - started
            before, after = counts(source), counts(target)
        finally:
            if not keep:
                drop = f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'
                subprocess.run(["psql", "-q", libpq(admin), "-c", drop], check=True)
    tables = sorted(set(before) | set(after))
    return {t: (before.get(t, -1), after.get(t, -1)) for t in tables}, seconds, target


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("database_url")
    parser.add_argument("--keep", action="store_true", help="keep the restored copy")
    args = parser.parse_args()
    result, seconds, target = drill(args.database_url, keep=args.keep)
    bad = [t for t, (a, b) in result.items() if a != b]
    print(f"{'table':28} {'source':>10} {'restored':>10}")
    for table, (a, b) in result.items():
        print(f"{table:28} {a:10d} {b:10d}{'   DIFFERS' if a != b else ''}")
    print(f"dump and restore: {seconds:.1f} s; {len(result)} tables, {len(bad)} differ")
    if args.keep:
        print(f"restored copy kept: {target}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
