"""A hand transcription of a published report (<name>.expected.json: every cell of tables 二、三、四
as published) compared cell by cell with what `xxgk report import` read. Used by the import tests
(fictional fixtures) and by bench/real_reports.py (real reports)."""

from __future__ import annotations

from dataclasses import dataclass

from .importer import Imported


@dataclass
class CellResult:
    where: tuple  # (表二, caption, row, column) | (表三, row key, column key) | (表四, group, column)
    expected: object
    got: object


def compare(imported: Imported, expected: dict) -> list[CellResult]:
    """Every transcribed cell with the imported value beside it."""
    out = []
    for caption, rows in expected["表二"].items():
        for row, cols in rows.items():
            for col, value in cols.items():
                out.append(CellResult(("表二", caption, row, col), value, imported.blocks.get((caption, row, col))))
    t3, grid3 = imported.fmt.tables["表三"], imported.grids.get("表三")
    for key, values in expected["表三"].items():
        r = t3.row_index(key)
        for c, value in enumerate(values):
            got = grid3[r][c] if grid3 is not None and r is not None else None
            out.append(CellResult(("表三", key, t3.cols[c].key), value, got))
    t4, grid4 = imported.fmt.tables["表四"], imported.grids.get("表四")
    flat = [(group, v) for group, values in expected["表四"].items() for v in values]
    for c, (group, value) in enumerate(flat):
        out.append(CellResult(("表四", group, t4.cols[c].label), value, grid4[0][c] if grid4 else None))
    return out
