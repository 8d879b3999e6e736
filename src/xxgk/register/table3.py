"""Table 三 from the register: counts of applications by row and applicant column.

Per year Y and applicant column: 一 received in Y; 二 received before 1 January Y and not
replied by then; each outcome leaf: replied in Y with that outcome; 四 not replied by
31 December Y. Every application received by the end of Y is in 二 or 一, and leaves by an
outcome or by 四 — so R1–R3 hold by construction.

Rows are recognised by the numbering of their top-level label, the same in the 2019 and
2021 formats (as xxgk.portal.stats does); outcome leaves are the non-total rows under 三、.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from ..reports.formats import Format, GridTable
from ..reports.model import OMITTED

if TYPE_CHECKING:
    from .model import Application

TABLE = "表三"
RECEIVED, CARRIED_IN, OUTCOMES, CARRIED_OUT = "一、", "二、", "三、", "四、"


def grid(fmt: Format | None) -> GridTable | None:
    table = fmt.tables.get(TABLE) if fmt else None
    return table if isinstance(table, GridTable) and table.labeled else None


def applicant_types(fmt: Format | None) -> list[str]:
    """The applicant columns of Table 三 (自然人, 商业企业, …), without 总计."""
    table = grid(fmt)
    return [c.key for c in table.cols if not c.total] if table else []


def outcome_keys(fmt: Format | None) -> list[str]:
    """Outcome leaves as label paths, the interchange keys: （三）不予公开/4.保护第三方合法权益."""
    table = grid(fmt)
    if table is None:
        return []
    return [r.key for r in table.rows if r.path[0].startswith(OUTCOMES) and not r.total and len(r.path) > 1]


def row_kind(row) -> str | None:
    """received / carried_in / outcome / carried_out for data rows; None for totals."""
    if row.total:
        return None
    top = row.path[0]
    if top.startswith(RECEIVED):
        return "received"
    if top.startswith(CARRIED_IN):
        return "carried_in"
    if top.startswith(CARRIED_OUT):
        return "carried_out"
    if top.startswith(OUTCOMES) and len(row.path) > 1:
        return "outcome"
    return None


def cell_applications(applications: list[Application], year: int, table: GridTable) -> dict[tuple[int, int], list]:
    """(row, column) index -> the applications counted in that data cell, for year `year`."""
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


def matrix(applications: list[Application], year: int, fmt: Format) -> list[list]:
    """Table 三 as report grid values: counts in the data cells, OMITTED totals (computed by the checks)."""
    table = grid(fmt)
    cells = cell_applications(applications, year, table)
    return [[OMITTED if row.total or col.total else len(cells.get((r, c), ()))
             for c, col in enumerate(table.cols)] for r, row in enumerate(table.rows)]
