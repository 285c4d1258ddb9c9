"""Lint: no Python module in the package grows past a size a newcomer can read in one go.

    python tools/check_sizes.py samenplan 400

A module over the limit is a sign that it does more than one job; split it by sub-area
(docs/architecture.md) rather than raising the limit."""

from __future__ import annotations

import sys
from pathlib import Path


def main(root: str, limit: int) -> int:
    too_long = [
        (n, path)
        for path in sorted(Path(root).rglob("*.py"))
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > limit
    ]
    for n, path in too_long:
        print(f"{path}: {n} lines, more than {limit}")
    return 1 if too_long else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], int(sys.argv[2])))
