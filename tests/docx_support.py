"""Word documents in the 公文 layout of GB/T 9704, built by the tests themselves with python-docx."""

from __future__ import annotations

import struct
import zlib
from io import BytesIO
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt


def tiny_png() -> bytes:
    """A 2×2 red PNG, made without any imaging library."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    raw = b"".join(b"\x00" + b"\xff\x00\x00" * 2 for _ in range(2))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def _centred(document, text: str, size: int = 16):
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.add_run(text).font.size = Pt(size)
    return paragraph


def gongwen(path: Path, *, org="东城区商务局", doc_no="东商发〔2026〕5号",
            title="东城区商务局关于开展2026年消费促进月活动的通知", to="各街道办事处，区政府各委、办、局：",
            date_line="2026年3月5日", body_extra: list[str] = (), image=True) -> Path:
    """A 公文: 版头, 发文字号, title, 主送, body with headings, lists, a table and an image, signature, date."""
    document = Document()
    _centred(document, f"{org}文件", 26)
    if doc_no:
        _centred(document, doc_no)
    if title:
        _centred(document, title, 22)
    if to:
        document.add_paragraph(to)
    document.add_paragraph("为进一步激发消费活力，现就开展消费促进月活动有关事项通知如下。")
    document.add_heading("一、活动时间", level=2)
    document.add_paragraph("2026年4月1日至4月30日。")
    document.add_heading("二、主要任务", level=2)
    document.add_paragraph("组织商场开展促销活动。", style="List Number")
    document.add_paragraph("举办特色美食节。", style="List Number")
    table = document.add_table(rows=3, cols=2)
    for row, cells in zip(table.rows, [("项目", "负责单位"), ("促销活动", "区商务局"), ("美食节", "各街道")]):
        for cell, text in zip(row.cells, cells):
            cell.text = text
    if image:
        document.add_picture(BytesIO(tiny_png()))
    for text in body_extra:
        document.add_paragraph(text)
    document.add_paragraph("特此通知。")
    if org:
        signature = document.add_paragraph(org)
        signature.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    if date_line:
        dated = document.add_paragraph(date_line)
        dated.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    document.add_paragraph("（此件公开发布）")
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(path)
    return path


def plain_docx(path: Path, lines: list[str], title_style: int | None = None) -> Path:
    """A Word document of plain paragraphs, as web copies of real documents are saved (no alignment);
    `title_style` is the index of the paragraph set in Word's Title style."""
    document = Document()
    for number, text in enumerate(lines):
        document.add_paragraph(text, style="Title" if number == title_style else None)
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(path)
    return path


def empty_paragraphs(path: Path, count: int) -> Path:
    """A small .docx whose body holds `count` empty paragraphs: a million pack into some 50 KB."""
    import zipfile

    buffer = BytesIO()
    document = Document()
    document.add_paragraph("正文。")
    document.save(buffer)
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for member in source.infolist():
            data = source.read(member)
            if member.filename == "word/document.xml":
                data = data.replace(b"<w:body>", b"<w:body>" + b"<w:p/>" * count, 1)
            out.writestr(member.filename, data)
    return path


def laozihao(path: Path, *, attachment_line="附件：区级老字号申报表", note="（此件公开发布）") -> Path:
    """A 公文 typed as offices type them: every line a plain paragraph (no Word heading styles), the
    numbered headings only by their numbers, an 附件说明 without the file, the 落款 right-aligned."""
    document = Document()
    _centred(document, "东城区商务局文件", 26)
    _centred(document, "东商发〔2026〕7号")
    _centred(document, "东城区商务局关于开展2026年区级老字号认定工作的通知", 22)
    for text in ("各街道办事处，各有关企业：",
                 "为保护和传承老字号，根据有关规定，现就开展2026年区级老字号认定工作通知如下。",
                 "一、申报条件", "（一）基本条件", "1.经营历史", "品牌创立于1976年以前，具有传承的独特产品、技艺或服务。",
                 "2．经营状况", "企业在本区注册登记，经营状况良好，近三年无违法记录。",
                 "（二）申报材料", "申报企业应提交以下材料：", "1.区级老字号申报表", "2.营业执照复印件", "3.品牌创立时间证明材料",
                 "（三）申报方式。申报企业向所在街道提交材料，街道初审后报区商务局。",
                 "二、申报程序", "企业于2026年5月31日前将申报材料报送区商务局。", "三、工作要求",
                 "各街道要做好宣传和组织工作。", attachment_line):
        if text:
            document.add_paragraph(text)
    for text in ("东城区商务局", "2026年4月8日"):
        document.add_paragraph(text).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    if note:
        document.add_paragraph(note)
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(path)
    return path
