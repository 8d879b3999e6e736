"""Open data of a report: the label-keyed JSON interchange, one CSV per table, and our YAML.

JSON: {"agency", "year", "format", "table2": {block: {row: {column: value}}},
"table3": {row key: [values in column order]}, "table4": {group: [values]}} — settled
values (totals filled in), so a published file checks as it stands.
"""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

import yaml

from ..exports import csv_text
from .formats import BlockTable, Format
from .model import TABLE_KEYS, Report, format_number


def _json_number(value):
    return float(value) if isinstance(value, Decimal) else value


def table_data(report: Report, name: str) -> dict:
    table = report.format.tables[name]
    if isinstance(table, BlockTable):
        return {b.caption: {row: {c.label: _json_number(report.value(name, (b.caption, row, c.label)))
                                  for c in b.columns} for row in b.rows} for b in table.blocks}
    values = report.values[name]
    if table.labeled:
        return {row.key: [_json_number(v) for v in values[r]] for r, row in enumerate(table.rows)}
    return {group: [_json_number(values[0][c]) for c in cols] for group, cols in table.groups().items()}


def amount_unit(fmt: Format) -> str | None:
    """The unit of the format's amount columns (万元): the JSON and the scaffold declare it once."""
    units = {c.unit for _, _, c in fmt.tables["表二"].cells() if c.unit} if "表二" in fmt.tables else set()
    return next(iter(units)) if len(units) == 1 else None


def to_interchange(report: Report) -> dict:
    data = {"agency": report.agency, "year": report.year, "format": report.format.id}
    if unit := amount_unit(report.format):
        data["amount_unit"] = unit  # amounts are converted to it
    for name in report.format.tables:
        data[TABLE_KEYS[name]] = table_data(report, name)
    return data


def to_json(report: Report) -> str:
    return json.dumps(to_interchange(report), ensure_ascii=False, indent=2) + "\n"


def to_csv(report: Report, name: str) -> bytes:
    """One table as CSV, UTF-8 with BOM so that spreadsheet programs read the Chinese labels.
    Labels come from data/formats/: csv_text keeps them inert; the figures are our own numbers."""
    table = report.format.tables[name]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    if isinstance(table, BlockTable):
        writer.writerow(["区块", csv_text(table.row_header), "统计项", "数值", "单位"])
        for block, row, column in table.cells():
            value = report.value(name, (block.caption, row, column.label))
            writer.writerow([*map(csv_text, (block.caption, row, column.label)), format_number(value),
                             csv_text(column.unit or "")])
    elif table.labeled:
        writer.writerow(["项目", *(csv_text(c.key) for c in table.cols)])
        for r, row in enumerate(table.rows):
            writer.writerow([csv_text(row.key), *map(format_number, report.values[name][r])])
    else:
        groups = table.groups()
        labels = {tuple(table.cols[c].label for c in cols) for cols in groups.values()}
        if len(labels) == 1:  # the same columns in every group: one row per group
            writer.writerow(["类别", *map(csv_text, next(iter(labels)))])
            for group, cols in groups.items():
                writer.writerow([csv_text(group), *(format_number(report.values[name][0][c]) for c in cols)])
        else:
            writer.writerow(["类别", "项目", "数值"])
            for group, cols in groups.items():
                for c in cols:
                    writer.writerow([csv_text(group), csv_text(table.cols[c].label),
                                     format_number(report.values[name][0][c])])
    return out.getvalue().encode("utf-8-sig")


# --- our YAML ------------------------------------------------------------------------------------

def _key(text: str) -> str:
    """A mapping key, quoted only where plain YAML would read it differently."""
    try:
        if yaml.safe_load(f"{text}: 0") == {text: 0}:
            return text
    except yaml.YAMLError:
        pass
    return json.dumps(text, ensure_ascii=False)


def _scalar(value) -> str:
    if isinstance(value, str):  # an amount with its unit (251000元), or 未读取 from an import
        return json.dumps(value, ensure_ascii=False)
    return "null" if value is None else format_number(value)


def _cell(value, unit: str | None) -> str:
    """A Table 二 value; an amount carries its unit (36.5万元)."""
    if unit and isinstance(value, (int, Decimal)) and not isinstance(value, bool):
        return _scalar(format_number(value) + unit)
    return _scalar(value)


def tables_yaml(fmt: Format, blocks: dict, grids: dict, notes: dict | None = None, *, totals: bool = False) -> str:
    """表二–表四 in our YAML. `grids` hold every column; the totals are written only with
    `totals` (an imported report keeps its published totals so that they are checked);
    `notes` maps (table, row key) to an end-of-line comment."""
    notes = notes or {}
    out = []
    for name, table in fmt.tables.items():
        out.append(f"\n{name}:")
        if isinstance(table, BlockTable):
            for block in table.blocks:
                out.append(f"  {_key(block.caption)}:")
                for row in block.rows:
                    cells = ", ".join(f"{_key(c.label)}: {_cell(blocks.get((block.caption, row, c.label), 0), c.unit)}"
                                      for c in block.columns)
                    out.append(f"    {_key(row)}: {{{cells}}}")
            continue
        plain = [c for c, col in enumerate(table.cols) if not col.total]
        labels = "、".join(table.cols[c].label for c in plain) if table.labeled else \
            "、".join(dict.fromkeys(table.cols[c].label for c in plain))
        what = "每行" if table.labeled else "每类"
        if totals:  # an imported report: its published totals, checked against their parts
            out.append(f"  # {what}依次为：{labels}、总计（总计行和总计列照录原文，由系统核对）。")
        else:
            out.append(f"  # {what}依次为：{labels}（总计由系统计算，也可照录在最后一位）。")
        matrix = grids.get(name)
        items = [(row.key, r) for r, row in enumerate(table.rows) if totals or not row.total] if table.labeled else \
            [(group, cols) for group, cols in table.groups().items()]
        for key, where in items:
            cols = (list(range(len(table.cols))) if totals else plain) if table.labeled else \
                [c for c in where if totals or not table.cols[c].total]
            row = matrix[where if table.labeled else 0] if matrix else None
            values = ", ".join(_scalar(row[c] if row else 0) for c in cols)
            note = notes.get((name, key))
            out.append(f"  {_key(key)}: [{values}]" + (f"  # {note}" if note else ""))
    return "\n".join(out).lstrip("\n") + "\n"
