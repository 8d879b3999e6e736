"""依申请公开: the application page, the form as a printable page and as a .docx file.

Both renderings of the form come from the one declaration in data/portal.yml. A static site
takes no submissions: the form is printed or downloaded, filled in and handed to the office.
The .docx is a minimal WordprocessingML package written with zipfile, reproducibly (fixed
timestamps), so the same data gives byte-identical files.
"""

from __future__ import annotations

import io
import zipfile
from typing import TYPE_CHECKING
from xml.etree import ElementTree as ET

from . import urls
from .guide import channels, time_limit_table
from .markup import heading, link, page, table, text
from .settings import ApplicationForm

if TYPE_CHECKING:
    from ..project import Project
    from .settings import Settings

BOX = "□"  # a tick box on paper


def form_rows(form: ApplicationForm) -> list[tuple[str, str | None, int]]:
    """The form as rows: (kind, label, lines). kind: group (a heading row), field, choice, sign."""
    rows: list[tuple[str, str | None, int]] = []
    for kind, items in form.applicants:
        rows.append(("group", f"申请人信息（{kind}）", 1))
        rows += [("field", item, 1) for item in items]
    rows.append(("group", "申请内容", 1))
    for item in form.request:
        if item.options:
            rows.append(("choice", item.label, 1))
        else:
            rows.append(("field", item.label, item.lines))
    rows += [("sign", label, 2) for label in form.signatures]
    return rows


def _options(form: ApplicationForm) -> dict[str, tuple[str, ...]]:
    return {item.label: item.options for item in form.request if item.options}


def form_html(form: ApplicationForm) -> str:
    """The paper form as an HTML table: labels as row headers, blank cells to write in."""
    options = _options(form)
    body = []
    for kind, label, lines in form_rows(form):
        if kind == "group":
            body.append(f'<tr class="xxgk-form__group"><th colspan="2" scope="colgroup">{text(label)}</th></tr>')
            continue
        if kind == "choice":
            cell = "　".join(f"{BOX} {text(o)}" for o in options[label])
        else:
            cell = ""
        style = f' style="--lines: {lines}"' if lines > 1 else ""  # the cell's height, in lines (see xxgk.css)
        body.append(f'<tr><th scope="row">{text(label)}</th><td class="xxgk-form__blank"{style}>{cell}</td></tr>')
    notes = "".join(f"<li>{text(n)}</li>" for n in form.notes)
    return (f'<div class="xxgk-form"><p class="xxgk-form__title">{text(form.title)}</p>'
            f'<table class="xxgk-form__table" aria-label="{text(form.title)}"><tbody>{"".join(body)}</tbody></table>'
            + (f'<p class="xxgk-form__notes-title">填表说明</p><ol class="xxgk-form__notes">{notes}</ol>' if notes else "")
            + "</div>")


def apply_page(project: Project, settings: Settings) -> str:
    base = urls.APPLY
    orgs = project.ref.orgs.values()
    rows = [[link(o.name, urls.guide(o.id), base), text(o.guide["office"]), text(o.guide["address"]),
             text(o.guide["postcode"]), text(o.guide["phone"]), text(channels(o))] for o in orgs]
    blocks = [
        "<p>除主动公开的政府信息外，公民、法人或者其他组织可以向行政机关申请获取相关政府信息"
        "（《中华人民共和国政府信息公开条例》第二十七条）。已主动公开的信息可直接在"
        f"{link('政府信息公开目录', 'catalog/', base)}中查阅或使用{link('站内搜索', 'search/', base)}，无需申请。</p>",
        '<p class="xxgk-notice"><strong>本网站不接受在线提交申请。</strong>请下载或打印申请表，填写后按下表向受理机构提交。</p>',
        heading(2, "申请表", "sqb"),
        '<ul class="xxgk-downloads-list">'
        f'<li>{link("政府信息公开申请表（Word 文档，.docx）", urls.FORM_DOCX, base, download=urls.FORM_DOCX_NAME)}</li>'
        f'<li>{link("政府信息公开申请表（网页打印版）", urls.FORM, base)}</li></ul>',
        heading(2, "办理流程", "lc"),
        "<ol><li>查找：先在政府信息公开目录中查找，已主动公开的信息无需申请。</li>"
        "<li>填写：一份申请表填写一项政府信息，写明信息的名称、文号或者其他特征性描述和获取方式。</li>"
        "<li>提交：当面提交、邮寄，或者按受理机构公布的传真、电子邮件提交。</li>"
        "<li>补正和答复：受理机构按下表的时限办理。</li></ol>",
        time_limit_table(settings),
        f"<p>信息处理费的规定见各机构的{link('政府信息公开指南', urls.GUIDE, base)}。</p>",
        heading(2, "受理机构", "sljg"),
        table(["机构", "受理机构", "通信地址", "邮政编码", "咨询电话", "提交方式"], rows, cls="xxgk-plain",
              label="各机构受理机构"),
    ]
    return page("依申请公开", blocks, hide=("navigation", "toc"))


def form_page(settings: Settings) -> str:
    base = urls.FORM
    blocks = [
        f'<p class="xxgk-screen-only">使用浏览器的“打印”功能打印本页即得纸质申请表；也可'
        f'{link("下载 Word 文档", urls.FORM_DOCX, base, download=urls.FORM_DOCX_NAME)}填写。'
        f'返回{link("依申请公开", urls.APPLY, base)}。</p>',
        form_html(settings.form),
    ]
    return page(settings.form.title, blocks, hide=("navigation", "toc"))


# --- .docx ---------------------------------------------------------------------------------------

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CONTENT_TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"
RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"
OFFICE_DOCUMENT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
CORE = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
CORE_REL = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"
DC = "http://purl.org/dc/elements/1.1/"
MAIN_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
A4 = (11906, 16838)  # twips
MARGIN = 1440
LABEL_WIDTH = 3000  # of the 9026 twips between the margins


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def _el(parent, tag: str, **attrs):
    return ET.SubElement(parent, _w(tag), {_w(k): str(v) for k, v in attrs.items()})


def _paragraph(parent, content: str, *, bold=False, size: int | None = None, center=False):
    p = _el(parent, "p")
    if center:
        _el(_el(p, "pPr"), "jc", val="center")
    r = _el(p, "r")
    props = _el(r, "rPr")
    _el(props, "rFonts", ascii="SimSun", hAnsi="SimSun", eastAsia="宋体")
    if bold:
        _el(props, "b")
    if size:
        _el(props, "sz", val=size)  # half-points
    t = _el(r, "t")
    t.text = content
    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return p


def _cell(row, width: int, content: str, *, span: int = 1, shade=False, bold=False):
    tc = _el(row, "tc")
    props = _el(tc, "tcPr")
    _el(props, "tcW", w=width, type="dxa")
    if span > 1:
        _el(props, "gridSpan", val=span)
    if shade:
        _el(props, "shd", val="clear", color="auto", fill="E7E6E6")
    _el(props, "vAlign", val="center")
    _paragraph(tc, content, bold=bold)


def document_xml(form: ApplicationForm) -> bytes:
    ET.register_namespace("w", W)
    document = ET.Element(_w("document"))
    body = _el(document, "body")
    _paragraph(body, form.title, bold=True, size=36, center=True)
    tbl = _el(body, "tbl")
    props = _el(tbl, "tblPr")
    _el(props, "tblW", w=5000, type="pct")
    borders = _el(props, "tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        _el(borders, side, val="single", sz=4, space=0, color="000000")
    _el(props, "tblLayout", type="fixed")
    width = A4[0] - 2 * MARGIN
    grid = _el(tbl, "tblGrid")
    _el(grid, "gridCol", w=LABEL_WIDTH)
    _el(grid, "gridCol", w=width - LABEL_WIDTH)
    options = _options(form)
    for kind, label, lines in form_rows(form):
        row = _el(tbl, "tr")
        _el(_el(row, "trPr"), "trHeight", val=400 * lines, hRule="atLeast")
        if kind == "group":
            _cell(row, width, label, span=2, shade=True, bold=True)
            continue
        _cell(row, LABEL_WIDTH, label)
        _cell(row, width - LABEL_WIDTH, "　".join(f"{BOX} {o}" for o in options[label]) if kind == "choice" else "")
    if form.notes:
        _paragraph(body, "填表说明", bold=True)
        for number, note in enumerate(form.notes, 1):
            _paragraph(body, f"{number}. {note}")
    section = _el(body, "sectPr")
    _el(section, "pgSz", w=A4[0], h=A4[1])
    _el(section, "pgMar", top=MARGIN, right=MARGIN, bottom=MARGIN, left=MARGIN, header=720, footer=720, gutter=0)
    return ET.tostring(document, encoding="UTF-8", xml_declaration=True)


def _package_parts(form: ApplicationForm) -> list[tuple[str, bytes]]:
    """The package's parts; the three fixed ones are written out, the title escaped."""
    types = ('<?xml version="1.0" encoding="UTF-8"?>\n'
             f'<Types xmlns="{CONTENT_TYPES}">'
             '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
             '<Default Extension="xml" ContentType="application/xml"/>'
             f'<Override PartName="/word/document.xml" ContentType="{MAIN_TYPE}"/>'
             '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
             "</Types>")
    rels = ('<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<Relationships xmlns="{RELATIONSHIPS}">'
            f'<Relationship Id="rId1" Type="{OFFICE_DOCUMENT}" Target="word/document.xml"/>'
            f'<Relationship Id="rId2" Type="{CORE_REL}" Target="docProps/core.xml"/>'
            "</Relationships>")
    core = ('<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<cp:coreProperties xmlns:cp="{CORE}" xmlns:dc="{DC}">'
            f"<dc:title>{text(form.title)}</dc:title><dc:language>zh-CN</dc:language></cp:coreProperties>")
    return [("[Content_Types].xml", types.encode()), ("_rels/.rels", rels.encode()),
            ("docProps/core.xml", core.encode()), ("word/document.xml", document_xml(form))]


def form_docx(form: ApplicationForm) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in _package_parts(form):
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return out.getvalue()


def files(project: Project, settings: Settings) -> dict[str, str | bytes]:
    if settings.form is None:
        return {}
    return {urls.src(urls.APPLY): apply_page(project, settings), urls.src(urls.FORM): form_page(settings),
            urls.FORM_DOCX: form_docx(settings.form)}
