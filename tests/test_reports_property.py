"""Property-based: any consistent report passes, renders and survives YAML → JSON → check;
any single altered cell of a published report is caught and named."""

import csv
import io
import json

from bs4 import BeautifulSoup
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reports_support import FORMATS, check_yaml, messages
from xxgk.problems import Problems
from xxgk.reports.formats import BlockTable
from xxgk.reports.interchange import tables_yaml, to_csv, to_interchange, to_json
from xxgk.reports.model import read_interchange_text
from xxgk.reports.render import table_html
from xxgk.reports.rules import check_report

NEW, CARRIED, OUTCOMES, NEXT = ("一、本年新收政府信息公开申请数量", "二、上年结转政府信息公开申请数量",
                                "（七）总计", "四、结转下年度继续办理")
VALUES = {
    "整数": st.integers(0, 5000),
    "增减": st.integers(-500, 500),
    "小数": st.decimals(min_value=0, max_value=99999, places=4, allow_nan=False, allow_infinity=False),
}


@st.composite
def consistent_reports(draw):
    fmt = FORMATS[draw(st.sampled_from(sorted(FORMATS)))]
    year = draw(st.integers(fmt.first_year, fmt.last_year or fmt.first_year + 5))
    blocks = {(b.caption, row, c.label): draw(VALUES[c.kind]) for b, row, c in fmt.tables["表二"].cells()}
    t3 = fmt.tables["表三"]
    grid = [[0] * len(t3.cols) for _ in t3.rows]
    outcomes = t3.rows[t3.row_index(OUTCOMES)].sources
    for c, col in enumerate(t3.cols):
        if col.total:
            continue
        for r in outcomes:
            grid[r][c] = draw(st.integers(0, 30) if draw(st.booleans()) else st.just(0))
        left_open = draw(st.integers(0, 20))
        total = sum(grid[r][c] for r in outcomes) + left_open
        carried = draw(st.integers(0, total))
        grid[t3.row_index(NEXT)][c] = left_open
        grid[t3.row_index(CARRIED)][c] = carried
        grid[t3.row_index(NEW)][c] = total - carried
    t4 = fmt.tables["表四"]
    review = [[draw(st.integers(0, 20)) for _ in t4.cols]]
    return fmt, year, tables_yaml(fmt, blocks, {"表三": grid, "表四": review}), (blocks, grid, review)


def reread(text: str):
    problems = Problems()
    report = read_interchange_text(text, "report.json", FORMATS, problems)
    check_report(report, problems)
    return report, problems


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(consistent_reports())
def test_consistent_reports_pass_render_and_round_trip(case):
    fmt, year, text, (blocks, grid, review) = case
    report, problems = check_yaml(text, year=year)
    assert not problems, messages(problems)

    # Every given value is on the page, in its cell; totals are computed.
    t3 = fmt.tables["表三"]
    for name in fmt.tables:
        soup = BeautifulSoup(table_html(report, name, name), "html.parser")
        cells = [td.get_text() for td in soup.find_all("td") if "xxgk-corner" not in (td.get("class") or [])]
        table = fmt.tables[name]
        if isinstance(table, BlockTable):
            assert len(cells) == sum(len(b.rows) * len(b.columns) for b in table.blocks)
        else:
            assert len(cells) == len(table.rows) * len(table.cols)
            assert cells == [str(v) for row in report.values[name] for v in row]
    total_col = next(c for c, col in enumerate(t3.cols) if col.total)
    for r, row in enumerate(grid):
        if not t3.rows[r].total:
            assert report.values["表三"][r][total_col] == sum(v for c, v in enumerate(row) if c != total_col)

    # YAML → JSON → check: the same figures, nothing reported.
    again, problems = reread(to_json(report))
    assert not problems, messages(problems)
    assert to_interchange(again) == to_interchange(report)
    assert json.loads(to_json(again)) == json.loads(to_json(report))

    # One CSV per table, one line per row of figures.
    rows = list(csv.reader(io.StringIO(to_csv(report, "表三").decode("utf-8-sig"))))
    assert len(rows) == 1 + len(t3.rows) and rows[0][1:] == [c.key for c in t3.cols]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(consistent_reports(), st.data())
def test_one_altered_cell_is_caught_and_named(case, data):
    fmt, year, text, _ = case
    report, _ = check_yaml(text, year=year)
    published = json.loads(to_json(report))
    name = data.draw(st.sampled_from(["table3", "table4"]))
    key = data.draw(st.sampled_from(sorted(published[name])))
    index = data.draw(st.integers(0, len(published[name][key]) - 1))
    published[name][key][index] += data.draw(st.sampled_from([-1, 1, 7]))
    if published[name][key][index] < 0:
        published[name][key][index] = 1 - published[name][key][index]
    _, problems = reread(json.dumps(published, ensure_ascii=False))
    assert problems.errors
    table = fmt.tables["表三" if name == "table3" else "表四"]
    col = table.cols[index] if name == "table3" else table.cols[table.groups()[key][index]]
    for problem in problems.errors:
        # Each message names the altered row or column, and the rule broken.
        assert key in problem.message or col.key in problem.message or col.label in problem.message, str(problem)
        assert problem.message.startswith("[R"), str(problem)
