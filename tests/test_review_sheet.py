"""xxgk review-sheet: one 信息内容发布审查单 per entry in one .docx, names and dates filled once signed."""

import docx

from conftest import front_matter, make_project, run_xxgk
from init_support import english_words


def test_sheets_for_a_reviewed_entry_and_a_draft(tmp_path):
    draft = front_matter(索引号="770010036/2024-00002", 标题="示例区商务局关于外贸补贴的公示", 保密审查=None,
                         草稿="true", 附件="\n  - {名称: 补贴名单, 文件: files/名单.csv}")
    root = make_project(tmp_path, {"swj/2024/00001.md": front_matter(), "swj/2024/00002.md": draft})
    (root / "docs/catalog/swj/2024/files").mkdir()
    (root / "docs/catalog/swj/2024/files/名单.csv").write_text("企业,金额\n甲公司,100\n", encoding="utf-8")
    out = tmp_path / "审查单.docx"
    result = run_xxgk(root, "review-sheet", str(root / "docs/catalog/swj/2024/00001.md"),
                      str(root / "docs/catalog/swj/2024/00002.md"), "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "2 份信息内容发布审查单" in result.stdout and not english_words(result.stdout)

    document = docx.Document(str(out))
    texts = [p.text for p in document.paragraphs]
    assert texts.count("信息内容发布审查单") == 2
    assert sum(1 for p in document.paragraphs for r in p.runs if 'w:br w:type="page"' in r._r.xml) == 1
    facts = [{row.cells[0].text: row.cells[1].text for row in t.rows} for t in document.tables[0::2]]
    reviews = [[[c.text for c in row.cells] for row in t.rows] for t in document.tables[1::2]]
    assert facts[0]["索引号"] == "770010036/2024-00001" and facts[0]["发布机构"] == "示例区商务局"
    assert facts[0]["标题"] == "示例区商务局关于开展2024年消费促进月活动的通知" and facts[0]["附件"] == "无"
    assert facts[1]["附件"] == "补贴名单" and facts[1]["文号"] == "示商发〔2024〕2号"
    assert reviews[0][0] == ["审查环节", "审查意见", "审查人（签字）", "日期"]
    # 审查意见 is the reviewer's to write, even once the review is recorded (issue 20).
    assert reviews[0][1:] == [["业务科室", "", "甲", "2024-03-04"], ["信息发布人", "", "乙", "2024-03-04"],
                              ["分管领导", "", "丙", "2024-03-05"]]
    assert "同意发布" not in "".join(c.text for t in document.tables for row in t.rows for c in row.cells)
    assert reviews[1][1:] == [[role, "", "", ""] for role in ("业务科室", "信息发布人", "分管领导")]

    # A4 with the margins of GB/T 9704 (top 37 mm, bottom 35 mm, left 28 mm, right 26 mm), not US Letter.
    for section in document.sections:
        assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
        assert (round(section.top_margin.mm), round(section.bottom_margin.mm), round(section.left_margin.mm),
                round(section.right_margin.mm)) == (37, 35, 28, 26)

    again = run_xxgk(root, "review-sheet", str(root / "docs/catalog/swj/2024/00001.md"), "--out", str(out))
    assert again.returncode == 1 and "已存在" in again.stderr
    wrong = run_xxgk(root, "review-sheet", str(root / "mkdocs.yml"), "--out", str(tmp_path / "其他.docx"))
    assert wrong.returncode == 1 and "不是 docs/catalog/ 中可读取的目录条目" in wrong.stderr
    assert not (tmp_path / "其他.docx").exists()
