"""Table 三 (收到和处理政府信息公开申请情况) as the formats declare it: its applicant columns, its
outcome rows and the kind of each row. Read by the register (which fills Table 三 from the
applications) and by the portal's statistics.

Rows are recognised by the numbering of their top-level label, the same in the 2019 and 2021
formats; outcome leaves are the non-total rows under 三、.
"""

from __future__ import annotations

from .formats import Format, GridTable

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
    return [r.key for r in table.rows if row_kind(r) == "outcome"]


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
