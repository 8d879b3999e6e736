"""Publication safety: planted personal data or secrecy markings fail the build with their
location; drafts and embargoed entries leave no trace in any file of the site; YAML values
render inert."""

import gzip
import subprocess
import sys
import zipfile

import pytest
from bs4 import BeautifulSoup

from conftest import front_matter, make_project, run_mkdocs_build, run_xxgk
from pdf_support import text_pdf
from number_support import luhn
from xxgk.safety import scan

ID_NUMBER = "11010519491231002X"  # valid check digit (GB 11643 example)
MOBILE = "13912345678"


CARD = luhn("622202020000123456")


def test_scanner_finds_valid_numbers_only():
    kinds = lambda text: [(f.kind, f.masked) for f in scan(text)]  # noqa: E731
    assert kinds(f"身份证号{ID_NUMBER}。") == [("居民身份证号", "110105********002X")]
    assert kinds("身份证号110105194912310021。") == []  # wrong check digit
    assert kinds("身份证号110105194913310028。") == []  # month 13
    assert kinds(f"联系电话 {MOBILE[:3]}-{MOBILE[3:7]}-{MOBILE[7:]}") == [("手机号码", "139****5678")]
    assert kinds(f"卡号 {CARD[:4]} {CARD[4:8]} {CARD[8:12]} {CARD[12:16]} {CARD[16:]}") == [("银行卡号", CARD[:4] + "*" * 11 + CARD[-4:])]
    assert kinds(CARD[:-1] + str((int(CARD[-1]) + 1) % 10)) == []  # Luhn fails
    assert kinds("索引号 770010036/2024-00001，文号示商发〔2024〕5号，020-87000236") == []


@pytest.mark.parametrize("text", ["机密★1年", "★秘密", "绝密", "【内部资料】", "内部资料 注意保存", "（涉密）",
                                  "公开属性：不予公开", "## 不予公开"])
def test_secrecy_markings(text):
    assert [f.kind for f in scan(text)] == ["密级标志"]


@pytest.mark.parametrize("text", ["除涉密内容外均应公开", "不予公开3件", "保护商业秘密", "不属于国家秘密"])
def test_prose_is_not_a_marking(text):
    assert scan(text) == []


W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def minimal_docx(text: str, path):
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", f"<w:document xmlns:w='{W}'><w:body><w:p><w:r><w:t>{text}</w:t></w:r></w:p>"
                                              "</w:body></w:document>")


def minimal_pdf(text: str, path):
    text_pdf(path, [text])


ENTRY = "swj/2024/00001.md"
ATTACH = "\n  - {名称: 名单, 文件: files/名单.%s}"


@pytest.mark.parametrize("case, fields, attachment, file, line, value", [
    ("body", {}, None, "docs/catalog/swj/2024/00001.md", 19, ID_NUMBER),
    ("title", {"标题": f"关于{MOBILE}的公告"}, None, "docs/catalog/swj/2024/00001.md", 3, MOBILE),
    ("summary", {"内容概述": f"卡号{CARD}"}, None, "docs/catalog/swj/2024/00001.md", 15, CARD),
    ("txt", {"附件": ATTACH % "txt"}, ("txt", f"序号,姓名,号码\n1,某某,{ID_NUMBER}\n"),
     "docs/catalog/swj/2024/files/名单.txt", 2, ID_NUMBER),
    ("docx", {"附件": ATTACH % "docx"}, ("docx", f"联系人手机{MOBILE}"), "docs/catalog/swj/2024/files/名单.docx",
     1, MOBILE),
    ("pdf", {"附件": ATTACH % "pdf"}, ("pdf", f"Tel {MOBILE}"), "docs/catalog/swj/2024/files/名单.pdf", 1, MOBILE),
])
def test_planted_personal_data_fails_the_build_with_location(tmp_path, case, fields, attachment, file, line, value):
    text = front_matter(**fields)
    if case == "body":
        text += f"\n联系人身份证号：{ID_NUMBER}\n"
    root = make_project(tmp_path, {ENTRY: text})
    if attachment:
        kind, content = attachment
        path = root / "docs/catalog/swj/2024/files" / f"名单.{kind}"
        path.parent.mkdir(parents=True, exist_ok=True)
        {"txt": lambda: path.write_text(content, encoding="utf-8"), "docx": lambda: minimal_docx(content, path),
         "pdf": lambda: minimal_pdf(content, path)}[kind]()
    check = run_xxgk(root, "check")
    assert check.returncode == 1
    assert f"{file}:{line}" in check.stdout, check.stdout
    assert value not in check.stdout  # the message shows the value masked
    assert value[:3] in check.stdout and value[-4:] in check.stdout
    build = run_mkdocs_build(root, tmp_path / "site")
    assert build.returncode != 0 and f"{file}:{line}" in build.stderr


def test_secrecy_marking_in_body_fails(tmp_path):
    root = make_project(tmp_path, {ENTRY: front_matter() + "\n机密★1年\n"})
    check = run_xxgk(root, "check")
    assert check.returncode == 1 and "docs/catalog/swj/2024/00001.md:19" in check.stdout and "机密★" in check.stdout


def test_official_numbers_and_waivers(tmp_path):
    waiver = f"\n  - {{内容: '{CARD}', 理由: 产品序列号，不是银行卡号}}"
    root = make_project(tmp_path, {ENTRY: front_matter(隐私豁免=waiver) + f"\n热线{MOBILE}，序列号{CARD}。\n"})
    (root / "data/safety.yml").write_text(f"公开号码: ['{MOBILE}']\n", encoding="utf-8")
    check = run_xxgk(root, "check")
    assert check.returncode == 0, check.stdout
    assert "说明 docs/catalog/swj/2024/00001.md:21" in check.stdout and "产品序列号，不是银行卡号" in check.stdout
    assert MOBILE[:3] + "****" not in check.stdout  # the declared official number is simply allowed
    unused = make_project(tmp_path / "b", {ENTRY: front_matter(隐私豁免=waiver)})
    assert "没有出现，请删除该豁免" in run_xxgk(unused, "check").stdout


def site_texts(site):
    """Every file of the built site as text, compressed files (e.g. search index) decompressed too."""
    for path in site.rglob("*"):
        if path.is_file():
            raw = path.read_bytes()
            try:
                raw += gzip.decompress(raw)
            except (OSError, EOFError):
                pass
            yield path, raw.decode("utf-8", errors="replace")


CANARY = "金丝雀ZQX7"


def test_canary_drafts_and_embargoed_entries_leave_no_trace(tmp_path):
    future_review = ("\n  业务科室: {审查人: 甲, 日期: 2099-01-02}\n  信息发布人: {审查人: 乙, 日期: 2099-01-02}"
                     "\n  分管领导: {审查人: 丙, 日期: 2099-01-02}")
    entries = {
        ENTRY: front_matter(),
        "swj/2024/draft.md": front_matter(索引号=None, 保密审查=None, 草稿="true", 标题=f"草稿{CANARY}",
                                          附件="\n  - {名称: 草稿附件, 文件: files/draft-only.csv}") + CANARY,
        "swj/2099/00001.md": front_matter(索引号="770010036/2099-00001", 成文日期="2099-01-01",
                                          发布日期="2099-01-02", 保密审查=future_review,
                                          标题=f"未到发布日期{CANARY}", 关键词=f"[{CANARY}]") + CANARY,
    }
    root = make_project(tmp_path, entries)
    (root / "docs/catalog/swj/2024/files").mkdir(parents=True)
    (root / "docs/catalog/swj/2024/files/draft-only.csv").write_text(f"a\n{CANARY}\n", encoding="utf-8")
    build = run_mkdocs_build(root, tmp_path / "site")
    assert build.returncode == 0, build.stderr
    files = list(site_texts(tmp_path / "site"))
    assert len(files) > 20
    for output in ("feeds/all.xml", "feeds/swj.xml", "opendata/catalog.json", "opendata/catalog.csv", "sitemap.xml",
                   "mandatory/index.html", "dashboard/index.html", "stats/index.html"):  # the portal's outputs are scanned too
        assert (tmp_path / "site" / output).is_file(), output
    assert [str(p) for p, text in files if CANARY in text] == []
    assert not list((tmp_path / "site").rglob("draft-only.csv"))
    assert not (tmp_path / "site/catalog/by-year/2099").exists()


HOSTILE = '<script>alert(1)</script>" onmouseover="alert(2)'


def test_hostile_metadata_renders_inert(tmp_path):
    entry = front_matter(标题=f"'{HOSTILE}'", 文号=f"'{HOSTILE}'", 关键词=f"['{HOSTILE}']",
                         内容概述=f"'{HOSTILE}'")
    root = make_project(tmp_path, {ENTRY: entry})
    build = run_mkdocs_build(root, tmp_path / "site")
    assert build.returncode == 0, build.stderr
    for page in ("catalog/swj/2024/00001", "catalog/swj/2024", "catalog/by-year/2024", "catalog", ""):
        html = (tmp_path / "site" / page / "index.html").read_text(encoding="utf-8")
        soup = BeautifulSoup(html, "html.parser")
        assert all(s.get_text().find("alert(1)") < 0 for s in soup.find_all("script")), page
        assert not soup.find_all(attrs={"onmouseover": True}), page
        assert "<script>alert(1)" not in html, page
    entry_html = (tmp_path / "site/catalog/swj/2024/00001/index.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(entry_html, "html.parser")
    assert soup.select_one(".xxgk-entry h1").get_text() == HOSTILE  # shown as text, not markup
    assert soup.title.get_text().startswith(HOSTILE)


def test_personal_data_in_a_report_narrative_fails(tmp_path):
    import shutil

    from conftest import ROOT
    root = make_project(tmp_path)
    for folder in ("data/reports/swj", "docs/reports/swj"):
        shutil.copytree(ROOT / folder, root / folder)
    narrative = root / "docs/reports/swj/2021.md"
    lines = narrative.read_text(encoding="utf-8").split("\n")
    lines.insert(3, f"如有疑问请联系经办人，手机{MOBILE}。")
    narrative.write_text("\n".join(lines), encoding="utf-8")
    check = run_xxgk(root, "check")
    assert check.returncode == 1 and "docs/reports/swj/2021.md:4" in check.stdout and "139****5678" in check.stdout


XSS = '<img src=x onerror="window.__xss=1">'


def test_hostile_metadata_is_inert_in_feeds_json_and_search_results(tmp_path, browser):
    import json
    import xml.etree.ElementTree as ET

    from xxgk.search.devserver import serve

    title = f"消费促进{XSS}{HOSTILE}"
    root = make_project(tmp_path, {ENTRY: front_matter(标题=f"'{title}'", 文号=f"'{XSS}'", 关键词="[消费促进]")})
    site = tmp_path / "site"
    build = run_mkdocs_build(root, site)
    assert build.returncode == 0, build.stderr
    feed = ET.parse(site / "feeds/all.xml").getroot()
    atom = "{http://www.w3.org/2005/Atom}"
    assert [e.findtext(f"{atom}title") for e in feed.iter(f"{atom}entry")] == [title]  # text, not markup
    assert "<img" not in (site / "feeds/all.xml").read_text(encoding="utf-8")
    catalog = json.loads((site / "opendata/catalog.json").read_text(encoding="utf-8"))
    assert [(r["title"], r["doc_no"]) for r in catalog["items"]] == [(title, XSS)]
    with serve(site) as url:
        page = browser.new_page()
        page.goto(url + "search/?q=" + "消费促进")
        page.wait_for_selector("[data-xxgk-results] .xxgk-result")
        result = page.locator("[data-xxgk-results] .xxgk-result").first
        assert "onerror" in result.inner_text() or "消费促进" in result.inner_text()
        assert result.locator("img, script, [onmouseover]").count() == 0
        assert page.evaluate("window.__xss") is None
        page.close()


# --- Personal data however it is written (issue 12, part 4) --------------------------------------

import concurrent.futures  # noqa: E402
import multiprocessing  # noqa: E402

from xxgk.safety import Limits, Unreadable, extract_text  # noqa: E402


def id_complete(first17: str) -> str:
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    return first17 + "10X98765432"[sum(int(d) * w for d, w in zip(first17, weights)) % 11]


ID2 = id_complete("11010519800101123")
FW = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")


def found(text):
    return sorted((f.kind, f.value) for f in scan(text))


@pytest.mark.parametrize("text, kind, value", [
    ("1101 0519 4912 3100 2X", "居民身份证号", ID_NUMBER),
    ("110105-19491231-002X", "居民身份证号", ID_NUMBER),
    ("110105 1949 1231 002X", "居民身份证号", ID_NUMBER),
    ("身份证号：" + ID_NUMBER.translate(FW), "居民身份证号", ID_NUMBER),
    ("公民身份号码 " + ID2.lower(), "居民身份证号", ID2),
    ("旧证号110105491231002", "居民身份证号", "110105491231002"),
    ("旧证号 110105 491231 002", "居民身份证号", "110105491231002"),
    ("+86 138 1234 5678", "手机号码", "13812345678"),
    ("0086-13812345678", "手机号码", "13812345678"),
    ("8613812345678", "手机号码", "13812345678"),
    ("(+86)138-1234-5678", "手机号码", "13812345678"),
    ("手机 138.1234.5678", "手机号码", "13812345678"),
    ("手机 138 - 1234 - 5678", "手机号码", "13812345678"),
    ("手机 138 12345678", "手机号码", "13812345678"),
    ("手机 1381234-5678", "手机号码", "13812345678"),
    ("手机１３８１２３４５６７８", "手机号码", "13812345678"),
    ("手机１３８－１２３４－５６７８", "手机号码", "13812345678"),
    ("手机 138\u00a01234\u00a05678", "手机号码", "13812345678"),
    ("手机 138\u30001234\u30005678", "手机号码", "13812345678"),
    ("手机 138\u20131234\u20135678", "手机号码", "13812345678"),
    ("手机 1\u200b3\u200c8\u200d1\u20602\ufeff345678", "手机号码", "13812345678"),
    ("手机 &#49;&#51;&#56;12345678", "手机号码", "13812345678"),
    ("手机 &#x31;&#x33;&#x38;12345678", "手机号码", "13812345678"),
    ("手机 138&#8203;1234&#8203;5678", "手机号码", "13812345678"),
    ("手机 138&nbsp;1234&nbsp;5678", "手机号码", "13812345678"),
    ("账号 " + " ".join([CARD[:4], CARD[4:8], CARD[8:12], CARD[12:16], CARD[16:]]), "银行卡号", CARD),
    ("账号 " + CARD[:6] + "-" + CARD[6:], "银行卡号", CARD),
    ("账号 " + CARD.translate(FW), "银行卡号", CARD),
])
def test_variants_are_found(text, kind, value):
    assert found(text) == [(kind, value)]


@pytest.mark.parametrize("text", [
    "15 0 0 2 3 1 0 0 4 5 6 7",
    "合计 138 1234 5678 2345 12",  # a run of table figures that happens to start like a mobile
    "1 3 8 1 2 3 4 5 6 7 8",
    "成文日期 2024-03-05，2024.03.05",
    "索引号 770010036/2024-00003",
    "文号 示商发〔2024〕5号",
    "金额 75394432.52 元，13812345678.00 元",
    "统一社会信用代码 91110105MA01ABCD2X",
    "邮编 100005",
    "电话 010-6512 3456，0571-87654321，(010)65123456",
    "注册号：110105491231002",
    "3520 4410 5230 6120 7",
    "12 345 678 901 234 567",
])
def test_clean_text_does_not_fire(text):
    assert scan(text) == []


def test_line_numbers_stay_right_after_normalising():
    text = "第一行&#10;仍是第一行\n１２\u200b\n手机１３８&#8203;１２３４ ５６７８\n" + ID_NUMBER
    assert [(f.kind, f.line) for f in scan(text)] == [("居民身份证号", 4), ("手机号码", 3)]


# Documents, each built here.

def write_zip(path, parts: dict):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        for name, text in parts.items():
            archive.writestr(name, text)
    return path


def docx_with_everything(path):
    """python-docx writes the body, split runs, a table, header, footer, comment and properties."""
    import docx

    document = docx.Document()
    paragraph = document.add_paragraph("联系电话：")
    paragraph.add_run("1381234")
    paragraph.add_run("5678")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "姓名", "身份证号"
    table.cell(1, 0).text, table.cell(1, 1).text = "张三", "1101 0519 4912 3100 2X"
    section = document.sections[0]
    section.header.paragraphs[0].text = "经办人 139-1234-5678"
    section.footer.paragraphs[0].text = "账号 " + CARD
    commented = document.add_paragraph("审核意见")
    document.add_comment(commented.runs or [commented.add_run("见批注")], text="请联系 137 1234 5678", author="王")
    document.core_properties.author = "王五 15912345678"
    document.core_properties.comments = "身份证 " + ID2
    document.save(path)
    return path


def test_docx_split_runs_table_header_footer_comment_and_properties(tmp_path):
    text = extract_text(docx_with_everything(tmp_path / "a.docx"), Limits()).text
    assert "13812345678" in text  # the runs are joined
    assert set(found(text)) == {("居民身份证号", ID_NUMBER), ("居民身份证号", ID2), ("手机号码", "13812345678"),
                                ("手机号码", "13912345678"), ("手机号码", "13712345678"), ("手机号码", "15912345678"),
                                ("银行卡号", CARD)}


def test_docx_footnotes_text_boxes_and_custom_properties(tmp_path):
    w = f"xmlns:w='{W}'"
    parts = {
        "word/document.xml": f"<w:document {w}><w:body><w:p><w:r><w:t>正文</w:t></w:r><w:r><w:pict><w:txbxContent>"
                             "<w:p><w:r><w:t>文本框 138</w:t></w:r><w:r><w:t xml:space='preserve'> 1234 </w:t></w:r>"
                             "<w:r><w:t>5678</w:t></w:r></w:p></w:txbxContent></w:pict></w:r></w:p></w:body></w:document>",
        "word/footnotes.xml": f"<w:footnotes {w}><w:footnote><w:p><w:r><w:t>脚注 1391234</w:t></w:r><w:r>"
                              "<w:t>5678</w:t></w:r></w:p></w:footnote></w:footnotes>",
        "word/endnotes.xml": f"<w:endnotes {w}><w:endnote><w:p><w:r><w:t>{ID2}</w:t></w:r></w:p></w:endnote></w:endnotes>",
        "docProps/app.xml": "<Properties xmlns='x'><Company>某公司</Company><Manager>赵六 13612345678</Manager></Properties>",
        "docProps/custom.xml": "<Properties xmlns='c' xmlns:vt='v'><property name='电话'><vt:lpwstr>135 1234 5678"
                               "</vt:lpwstr></property></Properties>",
    }
    text = extract_text(write_zip(tmp_path / "b.docx", parts), Limits()).text
    assert set(found(text)) == {("手机号码", "13812345678"), ("手机号码", "13912345678"), ("居民身份证号", ID2),
                                ("手机号码", "13612345678"), ("手机号码", "13512345678")}
    assert [line for line in text.split("\n") if "文本框" in line] == ["文本框 138 1234 5678"]


def test_xlsx_rows_shared_strings_and_numbers_in_exponent_form(tmp_path):
    ns = "xmlns='http://schemas.openxmlformats.org/spreadsheetml/2006/main'"
    parts = {
        "xl/sharedStrings.xml": f"<sst {ns}><si><t>张三</t></si><si><t>{ID_NUMBER}</t></si></sst>",
        "xl/worksheets/sheet1.xml": f"<worksheet {ns}><sheetData>"
                                    "<row r='1'><c t='s'><v>0</v></c><c t='s'><v>1</v></c><c><v>1.3812345678E10</v></c>"
                                    "<c><v>15</v></c><c><v>2</v></c></row>"
                                    f"<row r='2'><c t='inlineStr'><is><t>{CARD}</t></is></c><c><v>100</v></c></row>"
                                    "</sheetData></worksheet>",
    }
    text = extract_text(write_zip(tmp_path / "c.xlsx", parts), Limits()).text
    assert text.split("\n")[0] == f"\t张三\t{ID_NUMBER}\t13812345678\t15\t2"
    assert set(found(text)) == {("居民身份证号", ID_NUMBER), ("手机号码", "13812345678"), ("银行卡号", CARD)}


def test_pptx_and_ofd(tmp_path):
    a = "xmlns:a='http://schemas.openxmlformats.org/drawingml/2006/main'"
    pptx = write_zip(tmp_path / "d.pptx", {"ppt/slides/slide1.xml": f"<p:sld xmlns:p='p' {a}><a:p><a:r><a:t>电话 138"
                                                                     "</a:t></a:r><a:r><a:t>1234 5678</a:t></a:r></a:p></p:sld>"})
    ofd = write_zip(tmp_path / "e.ofd", {"Doc_0/Pages/Page_0/Content.xml": "<ofd:Page xmlns:ofd='http://www.ofdspec.org/2016'>"
                                         "<ofd:TextObject><ofd:TextCode X='0' Y='0'>身份证 110105</ofd:TextCode>"
                                         "<ofd:TextCode X='50' Y='0'>19491231002X</ofd:TextCode></ofd:TextObject></ofd:Page>"})
    assert found(extract_text(pptx, Limits()).text) == [("手机号码", "13812345678")]
    assert found(extract_text(ofd, Limits()).text) == [("居民身份证号", ID_NUMBER)]


def pdf_with_metadata(path, text, **metadata):
    from pypdf import PdfReader, PdfWriter

    minimal_pdf(text, path)
    writer = PdfWriter()
    writer.append(PdfReader(path))
    writer.add_metadata({f"/{k}": v for k, v in metadata.items()})
    with open(path, "wb") as out:
        writer.write(out)
    return path


def test_pdf_text_and_metadata(tmp_path):
    path = pdf_with_metadata(tmp_path / "f.pdf", "Tel +86 138-1234-5678", Author="Wang 15912345678",
                             Subject="ID " + ID2, Keywords="139 1234 5678", Custom="137.1234.5678")
    assert set(found(extract_text(path, Limits()).text)) == {
        ("手机号码", "13812345678"), ("手机号码", "15912345678"), ("居民身份证号", ID2), ("手机号码", "13912345678"),
        ("手机号码", "13712345678")}


def test_text_encodings(tmp_path):
    text = f"序号,姓名,身份证号\n1,张三,{ID_NUMBER}\n"
    for name, raw, note in [("u8.csv", text.encode("utf-8"), None), ("bom.csv", text.encode("utf-8-sig"), None),
                            ("u16.txt", text.encode("utf-16"), "UTF-16（小端）"),
                            ("u16be.txt", b"\xfe\xff" + text.encode("utf-16-be"), "UTF-16（大端）"),
                            ("u16nobom.txt", text.encode("utf-16-le"), "UTF-16（小端，无 BOM）"),
                            ("gb.csv", text.encode("gb18030"), "GB18030")]:
        (tmp_path / name).write_bytes(raw)
        extracted = extract_text(tmp_path / name, Limits())
        assert [(f.kind, f.line) for f in scan(extracted.text)] == [("居民身份证号", 2)], name
        assert extracted.notes == ([f"按 {note} 编码读取"] if note else []), name
    (tmp_path / "bin.txt").write_bytes(bytes(range(256)) * 4)
    with pytest.raises(Unreadable, match="二进制"):
        extract_text(tmp_path / "bin.txt", Limits())


def test_html_tags_and_entities(tmp_path):
    (tmp_path / "a.html").write_text("<p>第一行</p>\n<script>var x = 1;\n</script>\n<p>手机<b>138</b>&#8203;1234"
                                     "&nbsp;5678</p>", encoding="utf-8")
    assert [(f.value, f.line) for f in scan(extract_text(tmp_path / "a.html", Limits()).text)] == [("13812345678", 4)]


@pytest.mark.parametrize("suffix", [".doc", ".wps", ".et", ".xls", ".dps", ".ppt", ".zip", ".rar", ".7z", ".jpg",
                                    ".jpeg", ".png", ".gif", ".bmp", ".tif"])
def test_formats_we_cannot_read(tmp_path, suffix):
    (tmp_path / f"x{suffix}").write_bytes(b"\xd0\xcf\x11\xe0whatever")
    with pytest.raises(Unreadable, match=r"\.docx.*\.pdf.*隐私豁免") as exc:
        extract_text(tmp_path / f"x{suffix}", Limits())
    assert suffix in exc.value.reason


def test_encrypted_damaged_and_scanned_files(tmp_path):
    from pypdf import PdfReader, PdfWriter

    (tmp_path / "locked.docx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504)
    (tmp_path / "broken.docx").write_bytes(b"PK\x03\x04 not really")
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.4\n garbage")
    minimal_pdf("Tel 13812345678", tmp_path / "plain.pdf")
    writer = PdfWriter()
    writer.append(PdfReader(tmp_path / "plain.pdf"))
    writer.encrypt("secret", algorithm="RC4-128")
    writer.write(tmp_path / "locked.pdf")
    scanned = PdfWriter()
    scanned.add_blank_page(595, 842)
    scanned.write(tmp_path / "scan.pdf")
    for name, reason in [("locked.docx", "加密"), ("broken.docx", "损坏"), ("broken.pdf", "损坏"),
                         ("locked.pdf", "加密"), ("scan.pdf", "扫描件或图片，没有文字层")]:
        with pytest.raises(Unreadable, match=reason):
            extract_text(tmp_path / name, Limits())


def test_zip_bomb_is_refused_quickly_with_little_memory(tmp_path):
    bomb = tmp_path / "bomb.docx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            zeros = b"\x00" * (1 << 20)
            for _ in range(1024):  # 1 GiB of zeros, about 1 MB deflated
                member.write(zeros)
    assert bomb.stat().st_size < 3 << 20
    # A fresh interpreter, so that the peak memory of earlier tests does not count.
    probe = f"""
import resource, time
from pathlib import Path
from xxgk.safety import Limits, Unreadable, extract_text
baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
start = time.monotonic()
try:
    extract_text(Path({str(bomb)!r}), Limits())
except Unreadable as error:
    print("refused", "200 MB" in str(error))
print("seconds", time.monotonic() - start)
print("growth_kib", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - baseline)
"""
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    figures = dict(line.split(" ", 1) for line in result.stdout.splitlines())
    assert figures.get("refused") == "True", result.stdout + result.stderr
    assert float(figures["seconds"]) < 5
    assert int(figures["growth_kib"]) < 100 * 1024  # the parent never inflated it


def test_a_member_larger_than_declared_fails(tmp_path):
    path = tmp_path / "liar.docx"
    body = f"<w:document xmlns:w='{W}'><w:body>" + "<w:p><w:r><w:t>x</w:t></w:r></w:p>" * 200_000 + "</w:body></w:document>"
    write_zip(path, {"word/document.xml": body})
    raw = bytearray(path.read_bytes())
    size = len(body.encode()).to_bytes(4, "little")
    for at in [i for i in range(len(raw) - 4) if raw[i:i + 4] == size]:  # local header and central directory
        raw[at:at + 4] = (1000).to_bytes(4, "little")
    path.write_bytes(bytes(raw))
    with pytest.raises(Unreadable):
        extract_text(path, Limits())


def test_timeout_kills_the_child_and_the_next_file_is_read(tmp_path):
    path = tmp_path / "big.docx"
    paragraphs = "<w:p><w:r><w:t>第一段</w:t></w:r><w:r><w:t>第二段</w:t></w:r></w:p>" * 400_000
    write_zip(path, {"word/document.xml": f"<w:document xmlns:w='{W}'><w:body>{paragraphs}</w:body></w:document>"})
    with pytest.raises(Unreadable, match="超过 0.01 秒"):
        extract_text(path, Limits(timeout=0.01))
    assert found(extract_text(docx_with_everything(tmp_path / "a.docx"), Limits()).text)


def _extract_in_worker(path):
    return extract_text(path, Limits()).text


def test_extraction_inside_a_catalog_worker_process(tmp_path):
    from xxgk import safety

    path = docx_with_everything(tmp_path / "a.docx")
    safety.close_pool()  # earlier tests left it running: the forked worker must start its own
    with concurrent.futures.ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork")) as pool:
        text = pool.submit(_extract_in_worker, path).result(timeout=60)
    assert ("手机号码", "13812345678") in found(text)


FILE_WAIVER = "\n  - {文件: files/名单.doc, 理由: 已人工逐页核查，无个人信息}"


@pytest.mark.parametrize("waiver, returncode, expected", [
    ("", 1, "错误 docs/catalog/swj/2024/00001.md:15 字段“附件”：附件“名单”（名单.doc）无法自动检查"),
    (FILE_WAIVER, 0, "说明 docs/catalog/swj/2024/00001.md:15 字段“附件”：附件“名单”（名单.doc）未能自动检查"),
])
def test_unreadable_attachment_is_an_error_unless_waived_by_file(tmp_path, waiver, returncode, expected):
    root = make_project(tmp_path, {ENTRY: front_matter(附件=ATTACH % "doc", **({"隐私豁免": waiver} if waiver else {}))})
    (root / "docs/catalog/swj/2024/files").mkdir(parents=True)
    (root / "docs/catalog/swj/2024/files/名单.doc").write_bytes(b"\xd0\xcf\x11\xe0")
    check = run_xxgk(root, "check")
    assert check.returncode == returncode and expected in check.stdout, check.stdout
    assert "Traceback" not in check.stdout + check.stderr


def test_unused_file_waiver_and_a_waiver_with_neither_field(tmp_path):
    bad = "\n  - {理由: 忘了写内容}"
    root = make_project(tmp_path, {ENTRY: front_matter(隐私豁免=FILE_WAIVER + bad)})
    check = run_xxgk(root, "check")
    assert "豁免文件“files/名单.doc”在本条目中没有用到" in check.stdout
    assert "每项豁免写“内容”" in check.stdout


def test_spaced_waiver_matches_a_normalised_finding(tmp_path):
    waiver = "\n  - {内容: \"138 1234 5678\", 理由: 本人同意公开的联系电话}"
    root = make_project(tmp_path, {ENTRY: front_matter(隐私豁免=waiver) + "\n联系电话１３８－１２３４－５６７８\n"})
    check = run_xxgk(root, "check")
    assert check.returncode == 0 and "本人同意公开的联系电话" in check.stdout, check.stdout
