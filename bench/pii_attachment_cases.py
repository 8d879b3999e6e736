"""Planted personal data in every part of an attachment (issue 21, point 3), and clean look-alikes.

    .venv/bin/python bench/pii_attachment_cases.py    # found / refused / missed / false alarms per part type

`cases(tmpdir)` writes the files and returns [(path, holds_personal_data)]; bench/pii_benchmark.py
imports it. The files are written the way real 公示 attachments are: a 公示名单 table whose body shows
masked numbers (350102********123X) while a part the editor does not see holds the full one — a
header, a comment, an image's description, a tel: link, an altChunk, an embedded workbook, a formula
without a cached value, a PDF form field, annotation, bookmark, embedded file, or digits drawn one per
box. Clean look-alikes hold what real clean attachments hold in the same parts: office phones,
12345, 文号, 索引号, amounts, dates, 统一社会信用代码, masked numbers, harmless links and actions.

The part type of a case is its file name without the trailing number; clean ones start with "clean-".
"""

from __future__ import annotations

import io
import struct
import sys
import tempfile
import zipfile
import zlib
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tests"))

import number_support  # noqa: E402
from number_support import luhn  # noqa: E402
from pdf_support import pdf_document, pdf_stream, pdf_string  # noqa: E402

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
SML = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
PML = "http://schemas.openxmlformats.org/presentationml/2006/main"
DML = "http://schemas.openxmlformats.org/drawingml/2006/main"
CT_DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
CT_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CT_PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"


def id18(region: str, birth: str, seq: str) -> str:
    return number_support.id18(region + birth + seq)


def masked(number: str) -> str:
    return number[:6] + "*" * (len(number) - 10) + number[-4:] if len(number) > 11 else number[:3] + "****" + number[-4:]


# Fictitious people of a 公益性岗位 list: each planted value is used by one case only.
PEOPLE = [("张伟", "男", id18("350102", "19850315", "123"), "13905911234", luhn("621700123456789012")),
          ("王芳", "女", id18("440306", "19900728", "246"), "13812345678", luhn("622202140012345678")),
          ("李娜", "女", id18("320106", "19781102", "058"), "15005914321", luhn("621226160500123456")),
          ("刘洋", "男", id18("510104", "19951230", "371"), "18659123456", luhn("622848001234567890")),
          ("陈静", "女", id18("110105", "19880101", "442"), "17750123456", luhn("621661280000123456")),
          ("杨帆", "男", id18("350203", "19920606", "015"), "13655512345", luhn("622588011234567"))]


def person(n: int):
    """The n-th fictitious person, with a fresh number in each field (n may exceed the list)."""
    name, sex, _, _, _ = PEOPLE[n % len(PEOPLE)]
    birth = f"19{60 + n % 40:02d}{1 + n % 12:02d}{1 + n % 28:02d}"
    return (name, sex, id18(("350102", "440306", "320106", "510104", "110105")[n % 5], birth, f"{100 + n:03d}"),
            f"1{(3, 5, 8, 7, 9)[n % 5]}{n % 10}{59100000 + n * 7919:08d}", luhn(f"6217{n % 100:02d}{123456789012 + n:012d}"))


TITLE = "关于2024年度公益性岗位拟录用人员的公示"
INTRO = "经个人申请、资格审查、面试和体检，现将拟录用人员名单公示如下。公示期为2024年5月6日至5月10日（5个工作日）。"
CLOSING = ["监督电话：0591-87654321，12345。", "示例区人力资源和社会保障局", "2024年5月6日"]


# --- Word ----------------------------------------------------------------------------------------

def png_bytes() -> bytes:
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00\xff\xff\xff")) + chunk(b"IEND", b""))


def gongshi_docx(rows, *, header=None, footer=None, comment=None, picture=None, author=None, extra=None) -> bytes:
    """A 公示 in Word: title, introduction, a table with masked numbers, the closing. Returns the bytes."""
    import docx

    document = docx.Document()
    document.add_paragraph(TITLE)
    document.add_paragraph(INTRO)
    table = document.add_table(rows=len(rows) + 1, cols=5)
    for cells, values in zip((r.cells for r in table.rows), [("序号", "姓名", "性别", "身份证号码", "联系电话")] + rows):
        for cell, value in zip(cells, values):
            cell.text = value
    for line in CLOSING:
        document.add_paragraph(line)
    section = document.sections[0]
    if header:
        section.header.paragraphs[0].text = header
    if footer:
        section.footer.paragraphs[0].text = footer
    if comment:
        paragraph = document.paragraphs[1]
        document.add_comment(paragraph.runs, text=comment, author="审核人")
    if picture:
        document.add_picture(io.BytesIO(png_bytes()))
        doc_pr = document.inline_shapes[0]._inline.docPr
        for key, value in picture.items():
            doc_pr.set(key, value)
    if author:
        document.core_properties.author = author
    if extra:
        extra(document)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def masked_rows(people) -> list[tuple]:
    return [(str(i), p[0], p[1], masked(p[2]), masked(p[3])) for i, p in enumerate(people, 1)]


def repack(package: bytes, *, body: str = "", rels: str = "", types: str = "", add: dict | None = None,
           rename: dict | None = None, edit: dict | None = None) -> bytes:
    """Change a saved package: XML before the body's sectPr, relationships of the main part, content
    types, new parts, renamed parts, or any part edited by a function."""
    source = zipfile.ZipFile(io.BytesIO(package))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            name = info.filename
            if name == "word/document.xml" and body:
                text = data.decode("utf-8")
                at = text.rindex("<w:sectPr")
                data = (text[:at] + body + text[at:]).encode("utf-8")
            if name == "word/_rels/document.xml.rels" and rels:
                data = data.decode("utf-8").replace("</Relationships>", rels + "</Relationships>").encode("utf-8")
            if name == "[Content_Types].xml" and types:
                data = data.decode("utf-8").replace("</Types>", types + "</Types>").encode("utf-8")
            if edit and name in edit:
                data = edit[name](data.decode("utf-8")).encode("utf-8")
            target.writestr((rename or {}).get(name, name), data)
        for name, data in (add or {}).items():
            target.writestr(name, data)
    return out.getvalue()


def rel(rid: str, kind: str, target: str, external: bool = False) -> str:
    mode = ' TargetMode="External"' if external else ""
    return f'<Relationship Id="{rid}" Type="{REL}{kind}" Target="{target}"{mode}/>'


def para(text: str) -> str:
    return f'<w:p><w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>'


def xlsx_bytes(rows, sheet="Sheet1", extra_parts: dict | None = None, sheet_xml_tail: str = "",
               workbook_rels: str = "", types: str = "") -> bytes:
    """A workbook written the way Excel writes it: shared strings for text, numbers as numbers.
    A cell is a str, an int/float, ("f", formula) without a cached value, or ("fv", formula, value)."""
    strings: list[str] = []
    xml_rows = []
    for r, row in enumerate(rows, 1):
        cells = []
        for c, value in enumerate(row):
            ref = f"{chr(65 + c)}{r}"
            if isinstance(value, str):
                strings.append(value)
                cells.append(f'<c r="{ref}" t="s"><v>{len(strings) - 1}</v></c>')
            elif isinstance(value, tuple) and value[0] == "f":
                cells.append(f'<c r="{ref}" t="str"><f>{value[1]}</f></c>')
            elif isinstance(value, tuple):
                cells.append(f'<c r="{ref}"><f>{value[1]}</f><v>{value[2]}</v></c>')
            else:
                cells.append(f'<c r="{ref}"><v>{value}</v></c>')
        xml_rows.append(f'<row r="{r}">{"".join(cells)}</row>')
    sst = "".join(f"<si><t>{s}</t></si>" for s in strings)
    parts = {
        "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
        'package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/'
        'workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.'
        'spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.'
        f'openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>{types}</Types>',
        "_rels/.rels": f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                       f'{rel("rId1", "officeDocument", "xl/workbook.xml")}</Relationships>',
        "xl/workbook.xml": f'<workbook xmlns="{SML}" xmlns:r="{R}"><sheets><sheet name="{sheet}" sheetId="1" '
                           'r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
                                      f'relationships">{rel("rId1", "worksheet", "worksheets/sheet1.xml")}'
                                      f'{rel("rId2", "sharedStrings", "sharedStrings.xml")}</Relationships>',
        "xl/worksheets/sheet1.xml": f'<worksheet xmlns="{SML}" xmlns:r="{R}"><sheetData>{"".join(xml_rows)}'
                                    f"</sheetData>{sheet_xml_tail}</worksheet>",
        "xl/sharedStrings.xml": f'<sst xmlns="{SML}" count="{len(strings)}">{sst}</sst>',
    }
    if workbook_rels:
        parts["xl/worksheets/_rels/sheet1.xml.rels"] = ('<Relationships xmlns="http://schemas.openxmlformats.org/'
                                                        f'package/2006/relationships">{workbook_rels}</Relationships>')
    parts.update(extra_parts or {})
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text if isinstance(text, bytes) else text.encode("utf-8"))
    return out.getvalue()


HEAD = ["序号", "姓名", "性别", "身份证号码", "联系电话"]


def pptx_bytes(lines: list[str]) -> bytes:
    runs = "".join(f"<a:p><a:r><a:t>{line}</a:t></a:r></a:p>" for line in lines)
    parts = {
        "[Content_Types].xml": '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/><Override PartName="/ppt/presentation.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"/>'
        '<Override PartName="/ppt/slides/slide1.xml" ContentType="application/vnd.openxmlformats-officedocument.'
        'presentationml.slide+xml"/></Types>',
        "_rels/.rels": '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                       f'{rel("rId1", "officeDocument", "ppt/presentation.xml")}</Relationships>',
        "ppt/presentation.xml": f'<p:presentation xmlns:p="{PML}" xmlns:r="{R}"><p:sldIdLst><p:sldId id="256" '
                                'r:id="rId2"/></p:sldIdLst></p:presentation>',
        "ppt/_rels/presentation.xml.rels": '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
                                           f'relationships">{rel("rId2", "slide", "slides/slide1.xml")}</Relationships>',
        "ppt/slides/slide1.xml": f'<p:sld xmlns:p="{PML}" xmlns:a="{DML}"><p:cSld><p:spTree><p:sp><p:txBody>{runs}'
                                 "</p:txBody></p:sp></p:spTree></p:cSld></p:sld>",
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return out.getvalue()


def embed(package: bytes, name: str, data: bytes, content_type: str, prog_id: str) -> bytes:
    """A docx with a file embedded as Word embeds an .xlsx/.docx/.pptx: a package part, its preview image."""
    suffix = name.rsplit(".", 1)[1]
    body = (f'<w:p><w:r><w:object xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office">'
            f'<v:shape id="_x0000_i1025" style="width:400pt;height:120pt"><v:imagedata r:id="rIdE2" o:title=""/></v:shape>'
            f'<o:OLEObject Type="Embed" ProgID="{prog_id}" ShapeID="_x0000_i1025" DrawAspect="Content" ObjectID="_1" '
            f'r:id="rIdE1"/></w:object></w:r></w:p>')
    return repack(package, body=body,
                  rels=rel("rIdE1", "package", f"embeddings/{name}") + rel("rIdE2", "image", "media/preview1.png"),
                  types=f'<Default Extension="{suffix}" ContentType="{content_type}"/>'
                        '<Default Extension="png" ContentType="image/png"/>',
                  add={f"word/embeddings/{name}": data, "word/media/preview1.png": png_bytes()})


def alt_chunk(package: bytes, name: str, data: bytes, content_type: str) -> bytes:
    return repack(package, body='<w:altChunk r:id="rIdA1"/>', rels=rel("rIdA1", "aFChunk", name),
                  types=f'<Override PartName="/word/{name}" ContentType="{content_type}"/>', add={f"word/{name}": data})


def html_table(rows) -> str:
    cells = "".join("<tr>" + "".join(f"<td>{v}</td>" for v in row) + "</tr>" for row in rows)
    return (f"<html><head><meta charset='utf-8'><title>{TITLE}</title></head><body><table border=1>"
            f"<tr>{''.join(f'<th>{h}</th>' for h in HEAD)}</tr>{cells}</table></body></html>")


def mht(html: str) -> bytes:
    import base64

    encoded = base64.encodebytes(html.encode("utf-8")).decode()
    return ("MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=\"----=_NextPart_01\"\r\n\r\n"
            "------=_NextPart_01\r\nContent-Location: file:///C:/afchunk.htm\r\nContent-Transfer-Encoding: base64\r\n"
            "Content-Type: text/html; charset=\"utf-8\"\r\n\r\n" + encoded + "\r\n------=_NextPart_01--\r\n").encode()


def docx_cases(out: Path, n: int) -> list[tuple[Path, bool]]:
    """Word: each part type with a full number hidden in it; the body always shows masked ones."""
    cases = []

    def write(kind: str, data: bytes, holds: bool = True):
        path = out / f"{kind}-{len([c for c in cases if c[0].name.startswith(kind + '-')]) + 1:02d}.docx"
        path.write_bytes(data)
        cases.append((path, holds))

    for k in range(n):
        p = [person(100 * k + i) for i in range(3)]
        rows = masked_rows(p)
        full_rows = [(str(i), q[0], q[1], q[2], q[3]) for i, q in enumerate(p, 1)]
        write("docx-body-table", gongshi_docx(full_rows))
        write("docx-header", gongshi_docx(rows, header=f"经办人：{p[0][0]}  {p[0][3]}"))
        write("docx-footer", gongshi_docx(rows, footer=f"工资发放账号 {p[1][4]}"))
        write("docx-comment", gongshi_docx(rows, comment=f"已核对原件，{p[2][0]}身份证号{p[2][2]}"))
        write("docx-properties", gongshi_docx(rows, author=f"{p[0][0]} {p[0][3]}"))
        write("docx-image-descr", gongshi_docx(rows, picture={"descr": f"{p[1][0]}身份证正面 {p[1][2]}"}))
        write("docx-image-title", gongshi_docx(rows, picture={"title": f"{p[2][0]} 手机 {p[2][3]}"}))
        base = gongshi_docx(rows)
        link = ('<w:p><w:r><w:t xml:space="preserve">咨询请拨打 </w:t></w:r><w:hyperlink r:id="rIdL1"><w:r>'
                f'<w:t>{p[0][0]}</w:t></w:r></w:hyperlink></w:p>')
        write("docx-link-tel", repack(base, body=link, rels=rel("rIdL1", "hyperlink", f"tel:{p[0][3]}", True)))
        write("docx-link-tel", repack(base, body=link, rels=rel("rIdL1", "hyperlink", f"tel:+86-{p[1][3]}", True)))
        write("docx-link-mailto", repack(base, body=link.replace("咨询请拨打", "报名材料请发送至"),
                                         rels=rel("rIdL1", "hyperlink", f"mailto:{p[2][3]}@139.com", True)))
        write("docx-field-code", repack(base, body=f'<w:fldSimple w:instr=" HYPERLINK &quot;tel:{p[1][3]}&quot; ">'
                                                   "<w:r><w:t>联系经办人</w:t></w:r></w:fldSimple>"))
        footnotes = (f'<w:footnotes xmlns:w="{W}"><w:footnote w:id="1"><w:p><w:r><w:t xml:space="preserve">'
                     f"注：{p[0][0]}的身份证号码为{p[0][2]}，已核实。</w:t></w:r></w:p></w:footnote></w:footnotes>")
        write("docx-footnote", repack(base, body='<w:p><w:r><w:footnoteReference w:id="1"/></w:r></w:p>',
                                      rels=rel("rIdF1", "footnotes", "footnotes.xml"),
                                      types='<Override PartName="/word/footnotes.xml" ContentType="application/vnd.'
                                            'openxmlformats-officedocument.wordprocessingml.footnotes+xml"/>',
                                      add={"word/footnotes.xml": footnotes}))
        write("docx-textbox", repack(base, body='<w:p><w:r><w:pict><v:shape xmlns:v="urn:schemas-microsoft-com:vml">'
                                                f"<v:textbox><w:txbxContent><w:p><w:r><w:t>备注：{p[1][0]} 银行卡 {p[1][4]}"
                                                "</w:t></w:r></w:p></w:txbxContent></v:textbox></v:shape></w:pict></w:r></w:p>"))
        write("docx-tracked-deletion", repack(base, body=f'<w:p><w:del w:id="9" w:author="王"><w:r><w:delText>'
                                                         f"{p[2][0]} {p[2][2]}</w:delText></w:r></w:del></w:p>"))
        # The main part under a name that does not end in .xml, found through _rels/.rels and [Content_Types].xml.
        renamed = repack(gongshi_docx(full_rows),
                         rename={"word/document.xml": "word/document.main",
                                 "word/_rels/document.xml.rels": "word/_rels/document.main.rels"},
                         edit={"_rels/.rels": lambda t: t.replace("word/document.xml", "word/document.main"),
                               "[Content_Types].xml": lambda t: t.replace("/word/document.xml", "/word/document.main")})
        write("docx-main-renamed", renamed)
        full_html = html_table(full_rows)
        write("docx-altchunk-html", alt_chunk(base, "afchunk.htm", full_html.encode("utf-8"), "text/html"))
        write("docx-altchunk-xhtml", alt_chunk(base, "afchunk1.xhtml", full_html.replace("<meta charset='utf-8'>", "")
                                               .encode("utf-8"), "application/xhtml+xml"))
        write("docx-altchunk-mht", alt_chunk(base, "afchunk.mht", mht(full_html), "message/rfc822"))
        write("docx-altchunk-text", alt_chunk(base, "afchunk.txt", "\r\n".join(
            "\t".join(r) for r in full_rows).encode("gb18030"), "text/plain"))
        write("docx-altchunk-docx", alt_chunk(base, "afchunk.docx", gongshi_docx(full_rows),
                                              "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"))
        sheet_rows = [HEAD] + [[str(i), q[0], q[1], q[2], int(q[3])] for i, q in enumerate(p, 1)]
        write("docx-embedded-xlsx", embed(base, "Microsoft_Excel_Worksheet.xlsx", xlsx_bytes(sheet_rows), CT_XLSX,
                                          "Excel.Sheet.12"))
        write("docx-embedded-docx", embed(base, "Microsoft_Word_Document.docx", gongshi_docx(full_rows), CT_DOCX,
                                          "Word.Document.12"))
        write("docx-embedded-pptx", embed(base, "Microsoft_PowerPoint_Presentation.pptx",
                                          pptx_bytes([TITLE, f"{p[0][0]} {p[0][2]}", f"{p[1][0]} {p[1][3]}"]), CT_PPTX,
                                          "PowerPoint.Show.12"))
        inner = embed(gongshi_docx(rows), "Microsoft_Excel_Worksheet.xlsx", xlsx_bytes(sheet_rows), CT_XLSX, "Excel.Sheet.12")
        write("docx-embedded-nested", embed(base, "Microsoft_Word_Document.docx", inner, CT_DOCX, "Word.Document.12"))
    return cases


def clean_docx_cases(out: Path, n: int) -> list[tuple[Path, bool]]:
    cases = []

    def write(kind: str, data: bytes):
        path = out / f"clean-{kind}-{len([c for c in cases if c[0].name.startswith('clean-' + kind + '-')]) + 1:02d}.docx"
        path.write_bytes(data)
        cases.append((path, False))

    for k in range(n):
        p = [person(100 * k + 50 + i) for i in range(3)]
        rows = masked_rows(p)
        write("docx-parts", gongshi_docx(rows, header="示例区人力资源和社会保障局  索引号：770010036/2024-00012",
                                         footer="第 1 页 共 2 页  示人社〔2024〕15号",
                                         comment="请核对：补贴金额合计 1,234,567.89 元，发放日期 2024-05-10。",
                                         picture={"descr": "示例区人力资源和社会保障局公章", "title": "公章"},
                                         author="示例区人社局 政务公开科"))
        base = gongshi_docx(rows)
        link = ('<w:p><w:r><w:t xml:space="preserve">详见 </w:t></w:r><w:hyperlink r:id="rIdL1"><w:r>'
                "<w:t>示例区人民政府网站</w:t></w:r></w:hyperlink></w:p>")
        write("docx-links", repack(base, body=link + link.replace("rIdL1", "rIdL2").replace("示例区人民政府网站", "监督电话")
                                   + link.replace("rIdL1", "rIdL3").replace("示例区人民政府网站", "政务公开邮箱"),
                                   rels=rel("rIdL1", "hyperlink", "https://www.example.gov.cn/xxgk/2024/0506/12345678.html", True)
                                   + rel("rIdL2", "hyperlink", "tel:0591-87654321", True)
                                   + rel("rIdL3", "hyperlink", "mailto:xxgk@example.gov.cn", True)))
        stats = [["项目", "2023年", "2024年", "增长（%）"], ["地区生产总值（万元）", 12345678.9, 13579246.8, 10.0],
                 ["一般公共预算收入（万元）", 1234567, 1356789, 9.9], ["统一社会信用代码", "11350100MB1234567X", "", ""],
                 ["合计", ("f", "SUM(B2:B3)"), ("fv", "SUM(C2:C3)", "14936035.8"), ""]]
        write("docx-embedded-xlsx", embed(base, "Microsoft_Excel_Worksheet.xlsx", xlsx_bytes(stats, sheet="2024年"),
                                          CT_XLSX, "Excel.Sheet.12"))
        write("docx-altchunk-html", alt_chunk(base, "afchunk.htm", html_table(rows).encode("utf-8"), "text/html"))
    return cases


# --- Excel ---------------------------------------------------------------------------------------

def xlsx_cases(out: Path, n: int) -> list[tuple[Path, bool]]:
    cases = []

    def write(kind: str, data: bytes, holds: bool = True):
        prefix = ("clean-" if not holds else "") + kind
        path = out / f"{prefix}-{len([c for c in cases if c[0].name.startswith(prefix + '-')]) + 1:02d}.xlsx"
        path.write_bytes(data)
        cases.append((path, holds))

    for k in range(n):
        p = [person(100 * k + 20 + i) for i in range(3)]
        masked_sheet = [HEAD] + [[str(i), q[0], q[1], masked(q[2]), masked(q[3])] for i, q in enumerate(p, 1)]
        write("xlsx-shared-strings", xlsx_bytes([HEAD] + [[str(i), q[0], q[1], q[2], q[3]] for i, q in enumerate(p, 1)]))
        write("xlsx-numbers", xlsx_bytes([HEAD] + [[i, q[0], q[1], q[2], f"{int(q[3]) / 1e10:.9f}E+10"]
                                                  for i, q in enumerate(p, 1)]))
        formulas = [HEAD] + [[str(i), q[0], q[1], ("f", f'"{q[2][:6]}"&amp;"{q[2][6:14]}"&amp;"{q[2][14:]}"'),
                              ("f", f'CONCATENATE("{q[3][:3]}","{q[3][3:7]}","{q[3][7:]}")')] for i, q in enumerate(p, 1)]
        write("xlsx-formula-no-cache", xlsx_bytes(formulas))
        cached = [HEAD] + [[str(i), q[0], q[1], ("fv", "TRIM(H2)", q[2]), ("fv", "H3*1", q[3])] for i, q in enumerate(p, 1)]
        write("xlsx-formula-cached", xlsx_bytes(cached))
        write("xlsx-sheet-name", xlsx_bytes(masked_sheet, sheet=f"{p[0][0]}{p[0][3]}"))
        write("xlsx-header-footer", xlsx_bytes(masked_sheet, sheet_xml_tail=f"<headerFooter><oddFooter>&amp;L经办人 {p[1][0]} "
                                                                             f"{p[1][3]}&amp;R第 &amp;P 页</oddFooter></headerFooter>"))
        comments = (f'<comments xmlns="{SML}"><authors><author>审核人</author></authors><commentList><comment ref="D2" '
                    f'authorId="0"><text><r><t>原号码 {p[2][2]}</t></r></text></comment></commentList></comments>')
        write("xlsx-comment", xlsx_bytes(masked_sheet, extra_parts={"xl/comments1.xml": comments},
                                         workbook_rels=rel("rIdC", "comments", "../comments1.xml"),
                                         types='<Override PartName="/xl/comments1.xml" ContentType="application/vnd.'
                                               'openxmlformats-officedocument.spreadsheetml.comments+xml"/>'))
        write("xlsx-link-tel", xlsx_bytes(masked_sheet, sheet_xml_tail='<hyperlinks><hyperlink ref="E2" r:id="rIdH"/></hyperlinks>',
                                          workbook_rels=rel("rIdH", "hyperlink", f"tel:{p[0][3]}", True)))
        write("xlsx-embedded-docx", xlsx_bytes(masked_sheet, extra_parts={
            "xl/embeddings/Microsoft_Word_Document.docx": gongshi_docx([(str(i), q[0], q[1], q[2], q[3])
                                                                        for i, q in enumerate(p, 1)])},
            workbook_rels=rel("rIdO", "package", "../embeddings/Microsoft_Word_Document.docx"),
            types=f'<Default Extension="docx" ContentType="{CT_DOCX}"/>'))
        # Clean: a 收支 table with amounts, codes, dates; formulas without cached values; office phones.
        clean = [["科目编码", "项目", "预算数（元）", "执行数（元）", "执行率"],
                 ["2010301", "行政运行", 12345678.9, 11234567.8, ("f", "D2/C2")],
                 ["2080101", "社会保障和就业", 23456789, ("f", "SUM(D2:D2)+12345678"), ("f", '"截至"&amp;"2024-12-31"')],
                 ["合计", "", ("f", "SUM(C2:C3)"), ("fv", "SUM(D2:D3)", "34691357.8"), ""],
                 ["联系电话", "0591-87654321", "监督电话", "12345", "索引号 770010036/2024-00012"]]
        write("xlsx-budget", xlsx_bytes(clean, sheet="2024年预算执行"), holds=False)
    return cases


# --- PDF -----------------------------------------------------------------------------------------

def table_ops(rows, top=780) -> str:
    """Rows drawn as a PDF of a table would draw them: one text object per cell, columns apart."""
    columns = (40, 80, 200, 260, 420)
    ops = []
    for r, row in enumerate(rows):
        for x, value in zip(columns, row):
            ops.append(f"BT /F1 9 Tf {x} {top - 16 * r} Td ({value}) Tj ET")
    return "\n".join(ops) + "\n"


ASCII_HEAD = ("No.", "Name", "Sex", "ID number", "Mobile")


def ascii_rows(people, full=False):
    return [(str(i), f"Person {chr(64 + i)}", "M" if q[1] == "男" else "F", q[2] if full else masked(q[2]),
             q[3] if full else masked(q[3])) for i, q in enumerate(people, 1)]


def boxes(number: str, x: float, y: float, step: float = 14) -> str:
    """One digit per box, as forms print an ID number: a rectangle and a text object per digit."""
    return "".join(f"{x + i * step - 3} {y - 3} {step} 14 re S BT /F1 10 Tf {x + i * step} {y} Td ({d}) Tj ET\n"
                   for i, d in enumerate(number))


def pdf_cases(out: Path, n: int) -> list[tuple[Path, bool]]:
    cases = []

    def write(kind: str, ops: str, extra=(), catalog=b"", page=b"", holds=True, trailer=b""):
        prefix = ("clean-" if not holds else "") + kind
        path = out / f"{prefix}-{len([c for c in cases if c[0].name.startswith(prefix + '-')]) + 1:02d}.pdf"
        pdf_document(path, ops, list(extra), catalog, page, trailer)
        cases.append((path, holds))

    for k in range(n):
        p = [person(100 * k + 60 + i) for i in range(3)]
        shown = table_ops([ASCII_HEAD] + ascii_rows(p))
        write("pdf-page-table", table_ops([ASCII_HEAD] + ascii_rows(p, full=True)))
        write("pdf-digit-boxes", shown + "BT /F1 10 Tf 40 600 Td (ID number:) Tj ET\n" + boxes(p[0][2], 120, 600))
        write("pdf-digit-boxes", shown + "BT /F1 10 Tf 40 600 Td (Mobile:) Tj ET\n" + boxes(p[1][3], 120, 600, step=18))
        spaced = " ".join(f"({d})" for d in p[2][2]).replace(") (", ") -900 (")
        write("pdf-kerning-spaced", shown + f"BT /F1 10 Tf 40 600 Td [{spaced}] TJ ET\n")
        write("pdf-char-spacing", shown + f"BT /F1 10 Tf 6 Tc 40 600 Td (Tel {p[0][3]}) Tj ET\n")
        groups = (p[1][2][:6], p[1][2][6:10], p[1][2][10:14], p[1][2][14:])
        drawn = "".join(f"BT /F1 10 Tf {120 + 40 * i} 600 Td ({g}) Tj ET\n" for i, g in enumerate(groups))
        write("pdf-grouped-apart", shown + "BT /F1 10 Tf 40 600 Td (ID:) Tj ET\n" + drawn)
        field = (b"<< /Type /Annot /Subtype /Widget /FT /Tx /T " + pdf_string("身份证号码") + b" /V ("
                 + p[2][2].encode() + b") /Rect [120 560 320 580] /F 4 >>")
        write("pdf-form-field", shown, [field], catalog=b"/AcroForm << /Fields [6 0 R] >>", page=b"/Annots [6 0 R]")
        note = (b"<< /Type /Annot /Subtype /Text /Rect [500 700 520 720] /T " + pdf_string("审核人") + b" /Contents "
                + pdf_string(f"{p[0][0]}的手机 {p[0][3]}，请电话核实") + b" >>")
        write("pdf-annotation-note", shown, [note], page=b"/Annots [6 0 R]")
        free = (b"<< /Type /Annot /Subtype /FreeText /Rect [300 500 560 520] /DA (/Helv 9 Tf 0 g) /Contents "
                + pdf_string(f"账号：{p[1][4]}") + b" >>")
        write("pdf-annotation-freetext", shown, [free], page=b"/Annots [6 0 R]")
        link = b"<< /Type /Annot /Subtype /Link /Rect [420 764 520 776] /A << /S /URI /URI (tel:" + p[2][3].encode() + b") >> >>"
        write("pdf-link-tel", shown, [link], page=b"/Annots [6 0 R]")
        outline = [b"<< /Type /Outlines /First 7 0 R /Last 7 0 R /Count 1 >>",
                   b"<< /Title " + pdf_string(f"{p[0][0]}（{p[0][2]}）") + b" /Parent 6 0 R /Dest [3 0 R /Fit] >>"]
        write("pdf-bookmark", shown, outline, catalog=b"/Outlines 6 0 R /PageMode /UseOutlines")
        csv = "\r\n".join(",".join(r) for r in [HEAD] + [(str(i), q[0], q[1], q[2], q[3]) for i, q in enumerate(p, 1)])
        spec = [b"<< /Type /Filespec /F (list.csv) /UF " + pdf_string("名单.csv") + b" /EF << /F 7 0 R >> >>",
                pdf_stream(csv.encode("gb18030"), b"/Type /EmbeddedFile /Subtype /text#2Fcsv")]
        write("pdf-embedded-csv", shown, spec, catalog=b"/Names << /EmbeddedFiles << /Names [(list.csv) 6 0 R] >> >>")
        attached = [b"<< /Type /Annot /Subtype /FileAttachment /Rect [500 600 520 620] /FS 7 0 R /Contents (list) >>",
                    b"<< /Type /Filespec /F (list.docx) /UF " + pdf_string("原始名单.docx") + b" /EF << /F 8 0 R >> >>",
                    pdf_stream(gongshi_docx([(str(i), q[0], q[1], q[2], q[3]) for i, q in enumerate(p, 1)]),
                               b"/Type /EmbeddedFile")]
        write("pdf-embedded-docx", shown, attached, page=b"/Annots [6 0 R]")
        sheet = xlsx_bytes([HEAD] + [[str(i), q[0], q[1], q[2], int(q[3])] for i, q in enumerate(p, 1)])
        spec = [b"<< /Type /Filespec /F (list.xlsx) /EF << /F 7 0 R >> >>", pdf_stream(sheet, b"/Type /EmbeddedFile")]
        write("pdf-embedded-xlsx", shown, spec, catalog=b"/Names << /EmbeddedFiles << /Names [(list.xlsx) 6 0 R] >> >>")
        info = b"<< /Author " + pdf_string(f"{p[1][0]} {p[1][3]}") + b" /Title " + pdf_string(TITLE) + b" >>"
        write("pdf-metadata", shown, [info], trailer=b"/Info 6 0 R")

        # Clean: the same lists masked, with what clean PDFs hold in the same places.
        months = "".join(f"BT /F1 9 Tf {120 + 22 * i} 560 Td ({i + 1}) Tj ET\n" for i in range(12))
        amounts = "".join(f"BT /F1 9 Tf {120 + 60 * i} 540 Td ({v}) Tj ET\n"
                          for i, v in enumerate(("1234567.89", "2345678", "12345", "3456")))
        index_no = "BT /F1 9 Tf 40 520 Td (Index No. 770010036/2024-00012  Doc No. 2024-15  Tel 0591-87654321) Tj ET\n"
        date_boxes = "BT /F1 10 Tf 40 500 Td (Date:) Tj ET\n" + boxes("20240506", 120, 500)
        clean_field = (b"<< /Type /Annot /Subtype /Widget /FT /Tx /T " + pdf_string("联系电话") + b" /V (0591-87654321)"
                       b" /Rect [120 460 320 480] /F 4 >>")
        clean_note = (b"<< /Type /Annot /Subtype /Text /Rect [500 700 520 720] /Contents "
                      + pdf_string("金额单位：元；统一社会信用代码 11350100MB1234567X") + b" >>")
        clean_link = (b"<< /Type /Annot /Subtype /Link /Rect [420 764 520 776] /A << /S /URI "
                      b"/URI (https://www.example.gov.cn/xxgk/2024/0506/12345678.html) >> >>")
        write("pdf-parts", shown + months + amounts + index_no + date_boxes,
              [clean_field, clean_note, clean_link, b"<< /Type /Outlines /First 10 0 R /Last 10 0 R /Count 1 >>",
               b"<< /Title " + pdf_string("一、2024年5月6日公示名单") + b" /Parent 9 0 R /Dest [3 0 R /Fit] >>"],
              catalog=b"/AcroForm << /Fields [6 0 R] >> /Outlines 9 0 R /OpenAction [3 0 R /Fit]",
              page=b"/Annots [6 0 R 7 0 R 8 0 R]", holds=False)
        clean_csv = "科目编码,项目,金额（元）\r\n2010301,行政运行,12345678.90\r\n2080101,社会保障和就业,23456789\r\n"
        write("pdf-embedded-csv", shown, [b"<< /Type /Filespec /F (budget.csv) /EF << /F 7 0 R >> >>",
                                          pdf_stream(clean_csv.encode("utf-8"), b"/Type /EmbeddedFile")],
              catalog=b"/Names << /EmbeddedFiles << /Names [(budget.csv) 6 0 R] >> >>", holds=False)
    return cases


def cases(tmpdir: Path, rounds: int = 3) -> list[tuple[Path, bool]]:
    """Every part type `rounds` times with other people's numbers; clean look-alikes as many times."""
    tmpdir.mkdir(parents=True, exist_ok=True)
    return (docx_cases(tmpdir, rounds) + clean_docx_cases(tmpdir, rounds) + xlsx_cases(tmpdir, rounds)
            + pdf_cases(tmpdir, rounds))


def part_type(path: Path) -> str:
    return path.stem.rsplit("-", 1)[0]


def main() -> int:
    from xxgk.safety import Unreadable, extract_text, scan

    with tempfile.TemporaryDirectory(prefix="attach-cases-") as tmp:
        planted = cases(Path(tmp))
        table: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])  # files, found, refused unreadable, missed
        details = []
        for path, holds in planted:
            row = table[part_type(path)]
            row[0] += 1
            try:
                findings = [f for f in scan(extract_text(path).text) if f.kind != "密级标志"]
            except Unreadable as exc:
                row[2] += 1
                details.append(f"  {path.name}: 无法读取 — {exc.reason[:80]}")
                continue
            if findings:
                row[1] += 1
                if not holds:
                    details.append(f"  {path.name}: 误报 {', '.join(f.kind + ' ' + f.masked for f in findings)}")
            else:
                row[3] += 1
                if holds:
                    details.append(f"  {path.name}: 漏报")
    print(f"{'part type':32} {'files':>5} {'found':>5} {'refused':>7} {'missed':>6}")
    totals = [0, 0, 0, 0, 0, 0]  # planted, found, refused, missed; clean, false alarms
    for kind, (files, found, refused, missed) in sorted(table.items()):
        clean = kind.startswith("clean-")
        print(f"{kind:32} {files:5} {found:5} {refused:7} {missed:6}" + ("   (clean: found = false alarm)" if clean else ""))
        if clean:
            totals[4] += files
            totals[5] += found + refused
        else:
            for i, v in enumerate((files, found, refused, missed)):
                totals[i] += v
    print(f"\nplanted {totals[0]}: found {totals[1]} ({100 * totals[1] / max(totals[0], 1):.1f} %), "
          f"refused as unreadable {totals[2]}, missed {totals[3]}")
    print(f"clean {totals[4]}: false alarms {totals[5]} (a finding or a refusal)")
    if details:
        print("\n".join(["", "details:"] + details))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
