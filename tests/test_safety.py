"""Publication safety: planted personal data or secrecy markings fail the build with their
location; drafts and embargoed entries leave no trace in any file of the site; YAML values
render inert."""

import gzip
import zipfile
from datetime import date

import pytest
from bs4 import BeautifulSoup

from conftest import TODAY, front_matter, make_project, run_mkdocs_build, run_xxgk
from xxgk.safety import scan

ID_NUMBER = "11010519491231002X"  # valid check digit (GB 11643 example)
MOBILE = "13912345678"


def luhn_complete(prefix: str) -> str:
    for check in "0123456789":
        number = prefix + check
        total = sum((d * 2 - 9 if d * 2 > 9 else d * 2) if i % 2 else d
                    for i, d in enumerate(int(c) for c in reversed(number)))
        if total % 10 == 0:
            return number
    raise AssertionError


CARD = luhn_complete("622202020000123456")


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
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
               b"/Resources << /Font << /F1 5 0 R >> >> >>",
               b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    path.write_bytes(bytes(out))


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
