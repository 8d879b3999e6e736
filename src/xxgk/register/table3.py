"""Table 三 from the register: counts of applications by row and applicant column.

Per year Y and applicant column: 一 received in Y; 二 received before 1 January Y and not
replied by then; each outcome leaf: replied in Y with that outcome; 四 not replied by
31 December Y. Every application received by the end of Y is in 二 or 一, and leaves by an
outcome or by 四 — so R1–R3 hold by construction.

The rows and columns are those the format declares (xxgk.reports.applications). This module knows
nothing of how applications are read, so the register's reader can use the same vocabulary.
"""

from __future__ import annotations

from datetime import date

from ..reports.applications import TABLE, grid, row_kind  # noqa: F401  (TABLE, grid: used from here too)
from ..reports.formats import Format, GridTable
from ..reports.model import OMITTED


def cell_applications(applications: list, year: int, table: GridTable) -> dict[tuple[int, int], list]:
    """(row, column) index -> the applications (register.model.Application) counted in that data cell,
    for year `year`."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    cols = {c.key: i for i, c in enumerate(table.cols) if not c.total}
    rows: dict[str, int] = {}
    outcomes: dict[str, int] = {}
    for r, row in enumerate(table.rows):
        kind = row_kind(row)
        if kind == "outcome":
            outcomes[row.key] = r
        elif kind:
            rows[kind] = r
    found: dict[tuple[int, int], list] = {}

    def add(kind_row: int | None, app) -> None:
        c = cols.get(app.applicant)
        if kind_row is not None and c is not None:
            found.setdefault((kind_row, c), []).append(app)

    for app in applications:
        if app.received is None or app.received > last:
            continue
        if app.received >= first:
            add(rows.get("received"), app)
        elif app.replied is None or app.replied >= first:
            add(rows.get("carried_in"), app)
        if app.replied is not None and first <= app.replied <= last:
            add(outcomes.get(app.outcome), app)
        if app.replied is None or app.replied > last:
            add(rows.get("carried_out"), app)
    return found


def matrix(applications: list, year: int, fmt: Format) -> list[list]:
    """Table 三 as report grid values: counts in the data cells, OMITTED totals (computed by the checks)."""
    table = grid(fmt)
    cells = cell_applications(applications, year, table)
    return [[OMITTED if row.total or col.total else len(cells.get((r, c), ()))
             for c, col in enumerate(table.cols)] for r, row in enumerate(table.rows)]
