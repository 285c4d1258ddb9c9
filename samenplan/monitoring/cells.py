"""The figures of the monitor as tables of cells, and the suppression that keeps households
from being recognised: a cell built on fewer than ``k`` households is not shown, and neither
is a cell that a shown total would let someone work out (complementary suppression)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Kind = Literal["count", "mean", "delta", "percent"]


@dataclass
class Cell:
    """One figure and the number of households it is built on."""

    value: float | None
    households: int
    kind: Kind = "count"
    suppressed: bool = False

    @property
    def shown(self) -> float | None:
        return None if self.suppressed else self.value


@dataclass
class Row:
    label: str
    cells: list[Cell]
    #: a total row (its cells are sums of the rows above)
    total: bool = False


@dataclass
class Table:
    id: str
    title: str
    columns: list[str]
    rows: list[Row] = field(default_factory=list)
    note: str = ""
    #: the last column holds each row's total of the columns before it
    row_totals: bool = False
    #: the last row holds each column's total of the rows above it
    column_totals: bool = False


def suppress_primary(cells: list[Cell], k: int) -> None:
    """Hide every figure built on 1 to k-1 households. A count of none is shown: it says
    nothing about anyone."""
    for cell in cells:
        if cell.value is None or 0 < cell.households < k:
            cell.suppressed = True


def _complete_line(parts: list[Cell], total: Cell | None) -> bool:
    """One line of additive cells with its total: when a total is shown and exactly one part
    is hidden, hide the smallest other part too (or the total when there is none). Returns
    whether it changed anything."""
    if total is None or total.suppressed:
        return False
    hidden = [c for c in parts if c.suppressed]
    if len(hidden) != 1:
        return False
    others = [c for c in parts if not c.suppressed and c.value]
    if others:
        min(others, key=lambda c: (c.households, c.value or 0)).suppressed = True
    else:
        total.suppressed = True
    return True


def suppress_table(table: Table, k: int) -> None:
    """Primary suppression of every cell, then complementary suppression along the rows and
    columns that carry totals, until nothing changes."""
    suppress_primary([c for row in table.rows for c in row.cells], k)
    changed = True
    while changed:
        changed = False
        if table.row_totals:
            for row in table.rows:
                changed |= _complete_line(row.cells[:-1], row.cells[-1])
        if table.column_totals and table.rows:
            body, totals = table.rows[:-1], table.rows[-1]
            for i, total in enumerate(totals.cells):
                changed |= _complete_line([r.cells[i] for r in body], total)
