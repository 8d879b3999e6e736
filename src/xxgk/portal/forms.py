"""依申请公开: the application page with its online form, the form as a printable page and as a .docx file.

Every rendering of the form comes from the one declaration in data/portal.yml (申请表): the blank
printable page, the blank .docx, and the online form on the application page. A static site takes
no submissions: the online form is filled in the citizen's browser, and assets/xxgk-apply.js makes
the filled 申请表 there, as a printable page and as a .docx, from apply/form.json, which holds the
form's rows and the very WordprocessingML parts of the blank .docx with a marker in each blank. Nothing
is sent anywhere; the citizen downloads, prints or e-mails it (a mailto: to the office's 电子邮箱).
The .docx is a minimal WordprocessingML package written with zipfile, reproducibly (fixed
timestamps), so the same data gives byte-identical files.
"""

from __future__ import annotations

import io
import json
import zipfile
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING
from xml.etree import ElementTree as ET

from . import urls
from ..reports.applications import applicant_types
from ..templating import render
from ..yamlio import load_yaml_file
from .guide import channels
from .markup import front_matter
from .settings import ApplicationForm

if TYPE_CHECKING:
    from ..project import Project
    from .settings import Settings

BOX = "□"  # a tick box on paper
OFFICE_ITEM = "受理机关"  # the online form offers the organisations of data/orgs.yml here
MARK = "@@xxgk-{}@@"  # a blank of the .docx that the browser fills (row number); never in a label
SCRIPT = Path(__file__).parent.parent / "assets" / "xxgk-apply.js"


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


def check_register_types(project: Project, form: ApplicationForm | None) -> None:
    """申请表.申请人.登记类型: each kind of applicant on the form names the register's 申请人类型 it is
    recorded as (the columns of 表三, as xxgk.register reads them), and together they name every one."""
    if form is None or not any(form.register_types):
        return
    known = applicant_types(project.reports.formats.for_year(project.today.year))
    if not known:
        return
    _, lines = load_yaml_file(project.root / "data/portal.yml", "data/portal.yml")
    declared = []
    for index, types in enumerate(form.register_types):
        line = lines.get(("申请表", "申请人", index, "登记类型"), lines.get(("申请表", "申请人", index)))
        for name in types:
            if name not in known:
                project.problems.error("data/portal.yml", line, "登记类型",
                                       f"“{name}”不是登记台账的申请人类型。可用的类型：{'、'.join(known)}。")
            declared.append(name)
    missing = [name for name in known if name not in declared]
    if missing:
        line = lines.get(("申请表", "申请人"))
        project.problems.error("data/portal.yml", line, "登记类型",
                               f"登记台账的申请人类型“{'、'.join(missing)}”没有归入申请表的任何一类申请人，请写进对应一类的“登记类型”。")


def form_fields(form: ApplicationForm) -> list[dict]:
    """Every row of form_rows with what the online form and the browser's .docx need: id (the row's
    number, as in MARK), kind, label, lines, options, required, group (the applicant kind's number,
    None for the request and the signatures), today (a date the browser fills in)."""
    items = {item.label: item for item in form.request}
    found, group = [], -1
    for number, (kind, label, lines) in enumerate(form_rows(form)):
        row = {"id": number, "kind": kind, "label": label, "lines": lines, "options": [], "required": False,
               "group": None, "today": False}
        if kind == "group":
            group += 1  # the applicant kinds in their order, then 申请内容
        elif kind == "sign":
            row["today"] = label.endswith("日期")
        elif group < len(form.applicants):
            row.update(group=group, required=label in form.required[group])
        else:
            item = items[label]
            row.update(options=list(item.options), required=item.required,
                       kind="office" if label == OFFICE_ITEM else kind)
        found.append(row)
    return found


def online_view(form: ApplicationForm) -> dict:
    """The online form for templates/xxgk/partials/application-online.html: one fieldset per kind of
    applicant, and the request."""
    fields = [f for f in form_fields(form) if f["kind"] != "group"]
    groups = [{"kind": kind, "fields": [f for f in fields if f["group"] == number]}
              for number, (kind, _) in enumerate(form.applicants)]
    request = [f for f in fields if f["group"] is None and f["kind"] != "sign"]
    return {"groups": groups, "request": request}


def _options(form: ApplicationForm) -> dict[str, tuple[str, ...]]:
    return {item.label: item.options for item in form.request if item.options}


def form_view(form: ApplicationForm) -> list[dict]:
    """The rows of the paper form for templates/xxgk/partials/application-form.html."""
    options = _options(form)
    return [{"id": number, "kind": kind, "label": label, "lines": lines,
             "options": options.get(label, ()) if kind == "choice" else ()}
            for number, (kind, label, lines) in enumerate(form_rows(form))]


def _offices(project: Project) -> list[dict]:
    return [{"name": o.name, "guide": urls.guide(o.id), "office": o.guide["office"], "address": o.guide["address"],
             "postcode": o.guide["postcode"], "phone": o.guide["phone"], "email": o.guide.get("email") or "",
             "channels": channels(o)} for o in project.ref.orgs.values()]


def apply_page(project: Project, settings: Settings) -> str:
    form = settings.form
    links = {"catalog": "catalog/", "search": "search/", "docx": urls.FORM_DOCX, "form": urls.FORM, "guides": urls.GUIDE,
             "definition": urls.FORM_JSON, "script": urls.FORM_SCRIPT}
    platform = {"name": form.platform[0], "url": form.platform[1]} if form.platform else None
    return front_matter(hide=("navigation", "toc")) + render(
        project.root, "xxgk/apply.md", base=urls.APPLY, offices=_offices(project), limits=settings.time_limits,
        links=links, docx_name=urls.FORM_DOCX_NAME, online=online_view(form), form=form, rows=form_view(form),
        platform=platform)


def definition(project: Project, form: ApplicationForm) -> bytes:
    """apply/form.json for assets/xxgk-apply.js: the rows, the offices' e-mail addresses, and the
    parts of the .docx with MARK in each blank (the layout is the blank .docx's own)."""
    data = {"title": form.title, "rows": form_fields(form), "box": BOX,
            "offices": [{"name": o["name"], "office": o["office"], "email": o["email"]} for o in _offices(project)],
            "parts": [[name, part.decode("utf-8")] for name, part in _package_parts(form, marked=True)]}
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def form_page(project: Project, settings: Settings) -> str:
    links = {"docx": urls.FORM_DOCX, "apply": urls.APPLY}
    return front_matter(hide=("navigation", "toc")) + render(
        project.root, "xxgk/form.md", base=urls.FORM, form=settings.form, rows=form_view(settings.form), links=links,
        docx_name=urls.FORM_DOCX_NAME)


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


def document_xml(form: ApplicationForm, marked: bool = False) -> bytes:
    """The form's document part; `marked`: MARK in each blank, for the browser to fill."""
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
    for number, (kind, label, lines) in enumerate(form_rows(form)):
        row = _el(tbl, "tr")
        _el(_el(row, "trPr"), "trHeight", val=400 * lines, hRule="atLeast")
        if kind == "group":
            _cell(row, width, label, span=2, shade=True, bold=True)
            continue
        _cell(row, LABEL_WIDTH, label)
        blank = "　".join(f"{BOX} {o}" for o in options[label]) if kind == "choice" else ""
        _cell(row, width - LABEL_WIDTH, MARK.format(number) if marked else blank)
    if form.notes:
        _paragraph(body, "填表说明", bold=True)
        for number, note in enumerate(form.notes, 1):
            _paragraph(body, f"{number}. {note}")
    section = _el(body, "sectPr")
    _el(section, "pgSz", w=A4[0], h=A4[1])
    _el(section, "pgMar", top=MARGIN, right=MARGIN, bottom=MARGIN, left=MARGIN, header=720, footer=720, gutter=0)
    return ET.tostring(document, encoding="UTF-8", xml_declaration=True)


def _package_parts(form: ApplicationForm, marked: bool = False) -> list[tuple[str, bytes]]:
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
            f"<dc:title>{escape(form.title)}</dc:title><dc:language>zh-CN</dc:language></cp:coreProperties>")
    return [("[Content_Types].xml", types.encode()), ("_rels/.rels", rels.encode()),
            ("docProps/core.xml", core.encode()), ("word/document.xml", document_xml(form, marked))]


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
    return {urls.src(urls.APPLY): apply_page(project, settings), urls.src(urls.FORM): form_page(project, settings),
            urls.FORM_DOCX: form_docx(settings.form), urls.FORM_JSON: definition(project, settings.form),
            urls.FORM_SCRIPT: SCRIPT.read_bytes()}
