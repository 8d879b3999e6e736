"""`xxgk report import` and `xxgk report check FOLDER`: published reports (HTML, .docx, PDF) read
cell by cell, bad input named in Chinese, nothing overwritten, the supervising office's summary.

The fixtures in tests/data/reports/ are real published reports (real-*, sources in README.md there)
and fictional ones that mimic published layouts; each has a hand transcription of every cell
(<name>.expected.json) that is compared with what the importer reads.
"""

import csv
import io
import json
import re
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import ROOT, run_xxgk
from reports_support import FORMATS, project_with_reports
from xxgk.reports.importer import _title, import_file
from xxgk.reports import transcription
from xxgk.reports.model import UNREAD
from xxgk.reports.published import Document, SourceError
from xxgk.reports.words import load_words

DATA = ROOT / "tests" / "data" / "reports"
WORDS = load_words(ROOT)
FIXTURES = sorted(p.name.removesuffix(".expected.json") for p in DATA.glob("*.expected.json"))
REAL = [name for name in FIXTURES if name.startswith("real-")]

# Cells of real reports that the importer is known to misread, exactly as `compare` reports them
# (table, block/row, ..., transcribed value, imported value). The test fails if any other cell
# differs, and also when a known misread is fixed: then remove it here.
KNOWN_MISREADS: dict[str, set] = {}


def source_of(name: str) -> Path:
    return next(p for p in DATA.glob(f"{name}.*") if p.suffix in (".html", ".docx", ".pdf"))


def compare(name: str) -> tuple[int, list]:
    """(cells compared, mismatches) between the importer and the transcription."""
    expected = json.loads((DATA / f"{name}.expected.json").read_text(encoding="utf-8"))
    imported = import_file(source_of(name), name, FORMATS, WORDS)
    assert (imported.fmt.id, imported.year, imported.agency) == (expected["格式"], expected["年度"], expected["机构"])
    cells = transcription.compare(imported, expected)
    return len(cells), [(*c.where, c.expected, c.got) for c in cells if c.got != c.expected]


@pytest.mark.parametrize("name", FIXTURES)
def test_every_cell_matches_the_transcription(name):
    count, wrong = compare(name)
    assert set(wrong) == KNOWN_MISREADS.get(name, set()), wrong
    assert len(wrong) == len(set(wrong))
    assert count >= 190


def test_fixtures_cover_levels_formats_and_file_kinds():
    assert len(FIXTURES) >= 10
    assert len(REAL) >= 10  # real published reports (saved pages), transcribed by hand
    real = [json.loads((DATA / f"{n}.expected.json").read_text(encoding="utf-8")) for n in REAL]
    assert {e["格式"] for e in real} == {"2019", "2021"}
    assert {"省级（直辖市）", "县级部门", "实验区", "实验区部门"} <= {e["层级"] for e in real}
    assert set(KNOWN_MISREADS) <= set(REAL)
    kinds = {source_of(n).suffix for n in FIXTURES}
    assert kinds == {".html", ".docx", ".pdf"}
    expected = [json.loads((DATA / f"{n}.expected.json").read_text(encoding="utf-8")) for n in FIXTURES]
    assert {e["格式"] for e in expected} == {"2019", "2021"}
    assert {"县", "市", "省级部门"} <= {e["层级"] for e in expected}
    readme = (DATA / "README.md").read_text(encoding="utf-8")
    for name in FIXTURES:
        assert name in readme


def test_another_formats_label_is_read_as_declared_with_a_warning():
    """沭阳县发展和改革局's 2023 report (2021 format) keeps the 2019 format's “规范性文件”:
    data/report-words.yml 标签别称 maps it, and the warning names both labels."""
    imported = import_file(source_of("real-shuyang-fgj-2023"), "x", FORMATS, WORDS)
    assert [p.message for p in imported.problems] == [
        "第二十条第（一）项的行名“规范性文件”与官方标签“行政规范性文件”相差 2 个字，按官方标签读取，请核对原文。"]
    assert imported.blocks[("第二十条第（一）项", "行政规范性文件", "现行有效件数")] == 18


def test_tolerant_labels_warn_naming_both_labels():
    imported = import_file(source_of("county-2022-gb"), "county-2022-gb", FORMATS, WORDS)
    said = [p.message for p in imported.problems]
    assert said == ["表三的行名“2、其他法律行政法规禁公开”与官方标签“2.其他法律行政法规禁止公开”相差 1 个字，"
                    "按官方标签读取，请核对原文。"]


@pytest.mark.parametrize("lines, agency", [
    (["洪泽区人民政府", "2023 年政府信息公开工作年度报告"], "洪泽区人民政府"),
    (["淮安市", "洪泽区人民政府", "2023年政府信息公开工作年度报告"], "淮安市洪泽区人民政府"),
    (["- 1 -", "2023年政府信息公开工作年度报告"], None),  # a page number is no organ
    (["本报告由区政府办公室编制。", "2023年政府信息公开工作年度报告"], None),  # nor a sentence
])
def test_a_title_on_two_lines_takes_the_organ_from_the_line_before(lines, agency):
    title, year, found, line = _title(Document("x", titles=lines))
    assert (year, found, line) == (2023, agency, lines[-1])
    assert title == (agency or "") + lines[-1]


def test_a_wps_pdf_two_line_title_typo_and_rules_missing_at_page_breaks():
    # Mimics 洪泽区 2023: organ and year on two title lines, white boxes behind the text, a table
    # continued on the next page without the rule above its first cell (表二's header row) or
    # below its last row before the break (表三), and “2.其他法律行政止公开”.
    imported = import_file(source_of("district-2023-wps"), "x", FORMATS, WORDS)
    assert (imported.agency, imported.year) == ("示例区人民政府", 2023)
    assert imported.title == "示例区人民政府2023年政府信息公开工作年度报告"  # no space from the PDF's set line
    assert not imported.problems.errors, [p.message for p in imported.problems.errors]
    said = [p.message for p in imported.problems]
    assert said == ["表三的行名“2.其他法律行政止公开”与官方标签“2.其他法律行政法规禁止公开”相差 3 个字"
                    "（同在“（三）不予公开”中，编号相同），按官方标签读取，请核对原文。"]
    text = imported.markdown()
    assert "\n\n本报告中所列数据统计期限为2023年1月1日至12月31日。\n\n## 一、总体情况\n\n2023年，示例区人民政府认真贯彻" in text
    assert "示例区人民政府\n" not in text  # the organ line is the title's, not the preamble's


def test_an_unknown_label_is_still_refused_naming_the_nearest(tmp_path):
    # “2.其他” is one edit from “3.其他” of （六）: it was read into that row. Not similar enough to
    # “2.其他法律行政法规禁止公开” either: refused.
    page = (DATA / "district-2024-split.html").read_text(encoding="utf-8").replace("2.其他法律行政法规禁止公开", "2.其他")
    (tmp_path / "x.html").write_text(page, encoding="utf-8")
    imported = import_file(tmp_path / "x.html", "x", FORMATS, WORDS)
    said = [p.message for p in imported.problems]
    assert said[0] == "表三中的行“2.其他”：不是官方行名（最接近的是“2.重复申请”），该行数值未导入。"
    assert not imported.problems.warnings
    expected = json.loads((DATA / "district-2024-split.expected.json").read_text(encoding="utf-8"))
    t3 = imported.fmt.tables["表三"]
    assert imported.grids["表三"][t3.row_index("（六）其他处理/3.其他")] == expected["表三"]["（六）其他处理/3.其他"]
    assert imported.grids["表三"][t3.row_index("（三）不予公开/2.其他法律行政法规禁止公开")] == [UNREAD] * 7


def test_narrative_by_section_and_no_page_chrome():
    imported = import_file(source_of("sh-office-2019"), "sh-office-2019", FORMATS, WORDS)
    text = imported.markdown()
    assert "## 一、总体情况\n\n2019年，示例市人民政府办公厅认真贯彻落实" in text
    assert "## 五、存在的主要问题及改进情况\n\n存在的主要问题" in text
    assert text.rstrip().endswith("## 六、其他需要报告的事项\n\n无。")
    assert "版权所有" not in text and "首页" not in text and "二、主动公开" not in text
    assert imported.blocks[("第二十条第（九）项", "政府集中采购", "采购总金额")].endswith("元")


@pytest.mark.parametrize("name, fragment", [
    ("bad-not-a-report.html", "不是政府信息公开工作年度报告：没有找到表二（“第二十条第（一）项”）"),
    ("bad-scanned.pdf", "PDF 没有文字层（可能是扫描件）"),
])
def test_files_that_are_not_readable_reports_are_named(name, fragment):
    with pytest.raises(SourceError) as caught:
        import_file(DATA / name, name, FORMATS, WORDS)
    assert fragment in str(caught.value)


def test_a_missing_column_is_named_and_its_cells_left_unread():
    imported = import_file(DATA / "bad-missing-column.html", "x", FORMATS, WORDS)
    [error] = imported.problems.errors
    assert error.message == "表三的表头中没有找到列“科研机构”；该列每行的数值都未读取（共 25 个单元格）。"
    assert all(row[2] == UNREAD for row in imported.grids["表三"])
    assert all(row[1] != UNREAD for row in imported.grids["表三"])


def test_the_old_single_row_six_in_a_2021_report_is_not_guessed():
    imported = import_file(DATA / "bad-old-six-2022.html", "x", FORMATS, WORDS)
    assert imported.fmt.id == "2021"
    [said] = [p.message for p in imported.problems.errors]  # one message: the three rows are not listed again as missing
    assert said.startswith("表三中的行“（六）其他处理”：《中华人民共和国政府信息公开工作年度报告格式》中“（六）其他处理”分为 3 行")
    assert "原文只有一行（数值为 1、0、0、0、0、0、1），无法分到这 3 行，这些单元格未读取" in said
    t3 = imported.fmt.tables["表三"]
    assert imported.grids["表三"][t3.row_index("（六）其他处理/3.其他")] == [UNREAD] * 7


def test_an_old_single_row_six_of_zeros_splits_into_zeros(tmp_path):
    """洪泽区's 2023 and 2024 reports (bench/real-reports/) keep the single row, all 0: counts are
    never negative, so each of the three official rows is 0 too; blanks stay blank."""
    text = (DATA / "bad-old-six-2022.html").read_text(encoding="utf-8")
    row = re.search(r"<tr><td colspan=\"2\"><p align=\"center\">（六）其他处理</p></td>.*?</tr>", text)[0]
    cells = iter(["0", "0", "", "0", "0", "0", "0"])
    zeroed = re.sub(r"<p align=\"center\">\d+</p>", lambda m: f'<p align="center">{next(cells)}</p>', row)
    page = tmp_path / "old-six-zeros.html"
    page.write_text(text.replace(row, zeroed), encoding="utf-8")
    imported = import_file(page, "x", FORMATS, WORDS)
    assert not imported.problems.errors, [p.message for p in imported.problems.errors]
    [said] = [p.message for p in imported.problems.warnings]
    assert "原文只有一行（数值为 0、0、空白、0、0、0、0）。次数不会是负数，合计为 0 时每一行都是 0" in said
    t3 = imported.fmt.tables["表三"]
    for key in ("（六）其他处理/1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", "（六）其他处理/3.其他"):
        assert imported.grids["表三"][t3.row_index(key)] == [0, 0, None, 0, 0, 0, 0]


def test_import_into_an_org_and_never_overwrite(tmp_path):
    root = project_with_reports(tmp_path)
    result = run_xxgk(root, "report", "import", str(source_of("city-2024-hz")), "--org", "swj")
    assert result.returncode == 0, result.stdout + result.stderr
    data, text = root / "data/reports/swj/2024.yml", root / "docs/reports/swj/2024.md"
    assert "已导入" in result.stdout and data.is_file() and text.is_file()
    assert "机构:" not in data.read_text(encoding="utf-8")  # the org's name comes from data/orgs.yml
    check = run_xxgk(root, "report", "check", "data/reports/swj/2024.yml")
    assert "[R" not in check.stdout, check.stdout  # the figures as published check clean

    data.write_text("# 编辑过的文件\n", encoding="utf-8")
    again = run_xxgk(root, "report", "import", str(source_of("city-2024-hz")), "--org", "swj")
    assert again.returncode == 1
    assert "已存在，未做任何改动（导入从不覆盖已有文件）" in again.stdout
    assert data.read_text(encoding="utf-8") == "# 编辑过的文件\n"
    assert "Traceback" not in again.stdout + again.stderr


def test_import_needs_an_org_or_a_folder(tmp_path):
    root = project_with_reports(tmp_path)
    result = run_xxgk(root, "report", "import", str(source_of("city-2024-hz")))
    assert result.returncode == 2 and "请用 --org 指定" in result.stderr


def test_folder_review_summary_and_carry_over(tmp_path):
    """The supervising office's workflow: import a folder, check it, read the summary."""
    root = project_with_reports(tmp_path)
    inbox = tmp_path / "收到的年报"
    inbox.mkdir()
    for name in ("county-2021-dash", "county-2022-gb", "city-2024-hz", "bad-scanned"):
        source = next(DATA.glob(f"{name}.*")) if name.startswith("bad") else source_of(name)
        shutil.copy(source, inbox / source.name)
    (inbox / "bad-scanned.pdf").rename(inbox / "扫描件<script>.pdf")
    imported = tmp_path / "导入"
    result = run_xxgk(root, "report", "import", str(inbox), "--out", str(imported))
    assert "共导入 3 份报告（4 个文件）" in result.stdout
    assert "PDF 没有文字层" in result.stdout
    review = run_xxgk(root, "report", "check", str(imported))
    assert review.returncode == 1  # the county's 2022 report does not carry over its 2021 figures
    assert "Traceback" not in review.stdout + review.stderr
    rows = list(csv.reader(io.StringIO((imported / "审查汇总.csv").read_text(encoding="utf-8-sig"))))
    head = rows[0]
    assert head[:4] == ["机构", "年度", "格式", "文件"] and head[-2:] == ["上年结转（R6）", "正文与上年相同"]
    by_year = {(r[0], r[1]): dict(zip(head, r)) for r in rows[1:]}
    assert by_year[("示例县人民政府", "2021")]["上年结转（R6）"] == "无上年报告"
    county = by_year[("示例县人民政府", "2022")]
    assert county["上年结转（R6）"] == "不一致" and int(county["R6"]) == 7  # one per column
    assert by_year[("示例市", "2024")]["错误"] == "0"
    page = BeautifulSoup((imported / "审查汇总.html").read_text(encoding="utf-8"), "html.parser")
    assert page.find("h1").get_text() == "政府信息公开工作年度报告审查汇总"
    assert len(page.select("tbody tr")) == 3

    # The published files checked as they stand, unreadable ones named: autoescaped on the page.
    direct = run_xxgk(root, "report", "check", str(inbox), "--out", str(tmp_path))
    assert "扫描件<script>.pdf" in direct.stdout
    html = (tmp_path / "审查汇总.html").read_text(encoding="utf-8")
    assert "扫描件&lt;script&gt;.pdf" in html and "<script>" not in html


def test_the_demo_reports_check_clean_as_a_folder(tmp_path):
    """The project's own reports, Table 三 from the register as in `xxgk check`; R6 year to year."""
    result = run_xxgk(ROOT, "report", "check", "data/reports", "--out", str(tmp_path))
    assert result.returncode == 0, result.stdout
    reports = len(list((ROOT / "data/reports").glob("*/*.yml")))
    assert f"共检查 {reports} 份报告，0 份有错误" in result.stdout
    rows = list(csv.reader(io.StringIO((tmp_path / "审查汇总.csv").read_text(encoding="utf-8-sig"))))
    carry = {(r[0], r[1]): r[rows[0].index("上年结转（R6）")] for r in rows[1:]}
    assert carry[("示例区商务局", "2021")] == "一致" and carry[("示例区商务局", "2020")] == "无上年报告"


def test_an_organ_named_with_its_city_is_the_same_organ_year_to_year(tmp_path):
    """洪泽区人民政府 (2023) and 淮安市洪泽区人民政府 (2024) are one organ (bench/real-reports/):
    a name that is another with a place before it (data/report-words.yml 行政区划后缀) pairs for R6."""
    root = project_with_reports(tmp_path)
    inbox = tmp_path / "收到的年报"
    inbox.mkdir()
    for name in ("county-2021-dash", "county-2022-gb"):
        shutil.copy(source_of(name), inbox)
    imported = tmp_path / "导入"
    run_xxgk(root, "report", "import", str(inbox), "--out", str(imported))
    later = imported / "示例县人民政府" / "2022.yml"
    text = later.read_text(encoding="utf-8")
    assert "机构: 示例县人民政府" in text
    later.write_text(text.replace("机构: 示例县人民政府", "机构: 示例市示例县人民政府"), encoding="utf-8")
    (imported / "示例县人民政府" / "2021.yml").rename(imported / "2021.yml")  # the folder is not the organ
    run_xxgk(root, "report", "check", str(imported))
    rows = list(csv.reader(io.StringIO((imported / "审查汇总.csv").read_text(encoding="utf-8-sig"))))
    carry = {(r[0], r[1]): r[rows[0].index("上年结转（R6）")] for r in rows[1:]}
    assert carry == {("示例县人民政府", "2021"): "无上年报告", ("示例市示例县人民政府", "2022"): "不一致"}, carry
    words = load_words(ROOT)
    assert words.same_organs(["示例县人民政府", "示例县财政局"]) == {"示例县人民政府": "示例县人民政府",
                                                                 "示例县财政局": "示例县财政局"}
    assert words.same_organs(["区人民政府", "洪泽区人民政府"])["洪泽区人民政府"] == "洪泽区人民政府"  # 洪泽 is no place


def test_a_published_total_row_is_kept_and_checked(tmp_path):
    """The imported YAML keeps （七）总计 as published: a wrong one is found, never silently recomputed."""
    root = project_with_reports(tmp_path)
    page = tmp_path / "city-2024-wrong-total.html"
    text = source_of("city-2024-hz").read_text(encoding="utf-8")
    row = '<td colspan="2"><p align="center">（七）总计</p></td><td><p align="center">52</p>'
    assert row in text
    page.write_text(text.replace(row, row.replace(">52<", ">53<")), encoding="utf-8")
    imported = tmp_path / "导入"
    run_xxgk(root, "report", "import", str(page), "--out", str(imported))
    [data] = imported.glob("*/2024.yml")
    assert "  （七）总计: [53, 5, 8, 7, 2, 3, 77]" in data.read_text(encoding="utf-8")
    review = run_xxgk(root, "report", "check", str(data))
    assert review.returncode == 1
    assert "[R2 （七）总计等于各项办理结果之和] 表三 行“（七）总计”列“自然人”为 53，而同列各项之和" in review.stdout


def test_a_saved_pages_source_and_time_line_is_not_the_preamble():
    """平潭's pages carry “来源：…　时间：…” under the title (data/report-words.yml 页面信息)."""
    imported = import_file(source_of("real-pingtan-2025"), "x", FORMATS, WORDS)
    assert imported.preamble and imported.preamble[0].startswith("本报告根据《中华人民共和国政府信息公开条例》")
    assert not any(p.lstrip().startswith(("来源", "时间")) for p in imported.preamble)
    assert WORDS.is_page_line("来源：平潭综合实验区管委会办公室") and not WORDS.is_page_line("本报告所列数据统计期限为")


def test_the_real_reports_checked_as_a_folder_agree_with_the_hand_findings(tmp_path):
    """The supervising office's check on the ten real pages. What the transcribers found by hand
    (tests/data/reports/README.md 「核对结论」) is what the checker says, and nothing else:
    平潭 2020 表三 （七）总计 20 and 21 against results summing to 26 and 27 (R2); 上海 2019 leaves
    总计 blank in 11 rows with values (R3); 平潭 2023–2025 现行有效件数 do not follow from last year (R7);
    every carry-over of 平潭 2019→2025 agrees (R6)."""
    inbox = tmp_path / "real"
    inbox.mkdir()
    for name in REAL:
        shutil.copy(source_of(name), inbox)
    result = run_xxgk(ROOT, "report", "check", str(inbox))
    assert result.returncode == 1 and "Traceback" not in result.stdout + result.stderr
    rows = list(csv.DictReader(io.StringIO((inbox / "审查汇总.csv").read_text(encoding="utf-8-sig"))))
    found = {(r["机构"], int(r["年度"])): {k: int(r[k]) for k in ("R2", "R3", "R7", "错误") if int(r[k])}
             for r in rows}
    assert found == {
        ("上海市人民政府办公厅", 2019): {"R3": 11, "错误": 11},
        ("平潭综合实验区", 2019): {}, ("平潭综合实验区", 2020): {"R2": 2, "错误": 2},
        ("平潭综合实验区", 2021): {}, ("平潭综合实验区", 2022): {},
        ("平潭综合实验区", 2023): {"R7": 1}, ("平潭综合实验区", 2024): {"R7": 1}, ("平潭综合实验区", 2025): {"R7": 1},
        ("平潭综合实验区财政金融局", 2024): {}, ("沭阳县发展和改革局", 2023): {},
    }, found
    carry = {int(r["年度"]): r["上年结转（R6）"] for r in rows if r["机构"] == "平潭综合实验区"}
    assert carry == {2019: "无上年报告", **{year: "一致" for year in range(2020, 2026)}}
    assert "[R2 （七）总计等于各项办理结果之和] 表三 行“（七）总计”列“自然人”为 20" in result.stdout


def test_the_signature_under_a_report_is_not_narrative():
    """平潭综合实验区财政金融局 signs its 2024 report under section 六; the page shows it as the report's own."""
    imported = import_file(source_of("real-pingtan-czj-2024"), "x", FORMATS, WORDS)
    last = imported.sections["六、其他需要报告的事项"]
    assert last == ["2024年，无收取信息处理费情况。"], last
    from xxgk.reports.importer import _drop_signature
    kept = ["无", "示例区商务局", "2025年1月20日"]
    _drop_signature(kept)
    assert kept == ["无"]  # a short answer is not an organ
