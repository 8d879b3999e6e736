"""`xxgk review-sheet`: the 信息内容发布审查单 on paper, one A4 page per entry, as a .docx.

The roles come from data/vocab.yml 保密审查环节; a role already recorded in the entry's 保密审查 is
filled in with its reviewer and date, the others are left blank to sign by hand. 审查意见 is always
left blank: only the reviewer writes an opinion. The page is A4 with the margins of GB/T 9704.
"""

from __future__ import annotations

import sys
from io import BytesIO
from pathlib import Path

from .yamlio import write_atomic

SHEET_TITLE = "信息内容发布审查单"
REVIEW_HEADER = ("审查环节", "审查意见", "审查人（签字）", "日期")
PAGE_MM = (210, 297)  # A4
MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}  # GB/T 9704-2012 5.2.1


def _entries(project, files: list[Path]):
    """(entry or None, path) for each file named."""
    for path in files:
        resolved = path.resolve()
        entry = (project.catalog.by_src.get(resolved.relative_to(project.docs).as_posix())
                 if resolved.is_relative_to(project.docs) else None)
        yield entry, path


def build(project, entries: list) -> bytes:
    """One sheet per entry, a page break between sheets."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
    from docx.shared import Mm, Pt

    document = Document()
    section = document.sections[0]  # python-docx's default template is US Letter
    section.page_width, section.page_height = Mm(PAGE_MM[0]), Mm(PAGE_MM[1])
    for side, size in MARGINS_MM.items():
        setattr(section, f"{side}_margin", Mm(size))
    for number, entry in enumerate(entries):
        if number:
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        heading = document.add_paragraph()
        heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = heading.add_run(SHEET_TITLE)
        run.bold, run.font.size = True, Pt(18)
        org = project.ref.orgs.get(entry.org)
        attachments = "\n".join(a.name for a in entry.attachments) or "无"
        facts = [("标题", entry.title), ("索引号", entry.index_no or "（尚未分配）"),
                 ("发布机构", org.name if org else entry.org), ("文号", entry.doc_no or "无"),
                 ("信息类别", entry.category or ""), ("发布日期", entry.published.isoformat() if entry.published else ""),
                 ("附件", attachments)]
        table = document.add_table(rows=0, cols=2)
        table.style = "Table Grid"
        for label, value in facts:
            cells = table.add_row().cells
            cells[0].text, cells[1].text = label, value
        document.add_paragraph()
        review = document.add_table(rows=1, cols=len(REVIEW_HEADER))
        review.style = "Table Grid"
        for cell, text in zip(review.rows[0].cells, REVIEW_HEADER):
            cell.text = text
        for role in project.ref.review_roles:
            reviewer, day = entry.review.get(role, ("", None))
            cells = review.add_row().cells
            cells[0].text = role
            cells[1].text = ""  # the reviewer's own words, written by hand
            cells[2].text = reviewer
            cells[3].text = day.isoformat() if day else ""
        document.add_paragraph("说明：“上网信息不涉密，涉密信息不上网”。各环节审查人核对内容无涉密信息和个人信息后签字；"
                               "审查记录录入条目的“保密审查”后方可发布。")
    out = BytesIO()
    document.save(out)
    return out.getvalue()


def write_sheets(project, files: list[Path], out: Path) -> int:
    entries = []
    for entry, path in _entries(project, files):
        if entry is None:
            print(f"错误：{path} 不是 docs/catalog/ 中可读取的目录条目（先运行 xxgk check 查看原因），未生成审查单。",
                  file=sys.stderr)
            return 1
        entries.append(entry)
    if out.exists():
        print(f"错误：{out} 已存在，未做任何改动。请用 --out 指定另一个文件名，或先删除它。", file=sys.stderr)
        return 1
    try:
        write_atomic(out, build(project, entries), overwrite=False)
    except FileExistsError:
        print(f"错误：{out} 已存在，未做任何改动。", file=sys.stderr)
        return 1
    print(f"已生成 {out}：{len(entries)} 份{SHEET_TITLE}，每份一页。打印后由{'、'.join(project.ref.review_roles)}签字。")
    return 0
