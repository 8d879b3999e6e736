"""Every part of an attachment is read for personal data (issue 21, point 3): Word's relationships,
altChunks, embedded files, image descriptions and link targets; Excel's formulas and sheet names;
PDF form fields, annotations, bookmarks, embedded files and digits drawn apart. A part that cannot
be read is an error unless exempted; a PDF with JavaScript, a launch action or a program is refused
whatever the exemptions say. The reader's memory limit stays below the process's own (issue 20).

The files are built by the benchmark's writers (bench/pii_attachment_cases.py), as real 公示 are."""

import resource
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, TODAY, front_matter, make_project, run_mkdocs_build, run_xxgk
from docx_support import gongwen
from pdf_support import pdf_document, pdf_stream, pdf_string

sys.path.insert(0, str(ROOT / "bench"))
import pii_attachment_cases as cases  # noqa: E402

from xxgk.safety import Dangerous, Limits, Unreadable, extract_text, scan  # noqa: E402

NAME, SEX, ID, MOBILE, CARD = cases.person(7)
FULL = [("1", NAME, SEX, ID, MOBILE)]
MASKED = cases.masked_rows([cases.person(7)])
ENTRY = "swj/2024/00001.md"


def found(path: Path, limits: Limits = Limits()) -> set[str]:
    return {f.value for f in scan(extract_text(path, limits).text)}


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


# --- Word --------------------------------------------------------------------------------------------

def link_docx(target: str) -> bytes:
    body = '<w:p><w:hyperlink r:id="rIdL1"><w:r><w:t>联系经办人</w:t></w:r></w:hyperlink></w:p>'
    return cases.repack(cases.gongshi_docx(MASKED), body=body, rels=cases.rel("rIdL1", "hyperlink", target, True))


WORD_PARTS = {
    "altChunk HTML": lambda: cases.alt_chunk(cases.gongshi_docx(MASKED), "afchunk.htm",
                                             cases.html_table(FULL).encode("utf-8"), "text/html"),
    "altChunk docx": lambda: cases.alt_chunk(cases.gongshi_docx(MASKED), "afchunk.docx", cases.gongshi_docx(FULL),
                                             "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"),
    "altChunk text": lambda: cases.alt_chunk(cases.gongshi_docx(MASKED), "afchunk.txt",
                                             f"{NAME}\t{ID}".encode("gb18030"), "text/plain"),
    "embedded workbook": lambda: cases.embed(cases.gongshi_docx(MASKED), "Microsoft_Excel_Worksheet.xlsx",
                                             cases.xlsx_bytes([cases.HEAD, ["1", NAME, SEX, ID, int(MOBILE)]]),
                                             cases.CT_XLSX, "Excel.Sheet.12"),
    "embedded presentation": lambda: cases.embed(cases.gongshi_docx(MASKED), "Microsoft_PowerPoint_Presentation.pptx",
                                                 cases.pptx_bytes([f"{NAME} {ID}"]), cases.CT_PPTX, "PowerPoint.Show.12"),
    "image description": lambda: cases.gongshi_docx(MASKED, picture={"descr": f"{NAME}身份证 {ID}"}),
    "image title": lambda: cases.gongshi_docx(MASKED, picture={"title": f"{NAME} {ID}"}),
    "comment author": lambda: cases.gongshi_docx(MASKED, extra=lambda d: d.add_comment(d.paragraphs[1].runs, text="已核",
                                                                                      author=f"{NAME}{MOBILE}")),
    "tel: link": lambda: link_docx(f"tel:{MOBILE}"),
    "mailto: link": lambda: link_docx(f"mailto:{MOBILE}@139.com"),
    "field code": lambda: cases.repack(cases.gongshi_docx(MASKED), body=f'<w:fldSimple w:instr=" HYPERLINK &quot;tel:'
                                       f'{MOBILE}&quot; "><w:r><w:t>拨打</w:t></w:r></w:fldSimple>'),
    "main part not named .xml": lambda: cases.repack(
        cases.gongshi_docx(FULL), rename={"word/document.xml": "word/document.main",
                                          "word/_rels/document.xml.rels": "word/_rels/document.main.rels"},
        edit={"_rels/.rels": lambda t: t.replace("word/document.xml", "word/document.main"),
              "[Content_Types].xml": lambda t: t.replace("/word/document.xml", "/word/document.main")}),
}


@pytest.mark.parametrize("part", WORD_PARTS)
def test_word_parts_are_read(tmp_path, part):
    path = write(tmp_path / "名单.docx", WORD_PARTS[part]())
    assert found(path) & {ID, MOBILE}, part


def test_nested_embedding_is_read_to_the_declared_depth(tmp_path):
    sheet = cases.xlsx_bytes([cases.HEAD, ["1", NAME, SEX, ID, int(MOBILE)]])
    inner = cases.embed(cases.gongshi_docx(MASKED), "Microsoft_Excel_Worksheet.xlsx", sheet, cases.CT_XLSX, "Excel.Sheet.12")
    path = write(tmp_path / "名单.docx", cases.embed(cases.gongshi_docx(MASKED), "Microsoft_Word_Document.docx", inner,
                                                   cases.CT_DOCX, "Word.Document.12"))
    assert ID in found(path)
    with pytest.raises(Unreadable, match="内嵌超过 1 层") as exc:
        extract_text(path, Limits(max_depth=1))
    assert exc.value.partial is not None and "示例区人力资源和社会保障局" in exc.value.partial.text


def test_embedded_files_count_against_the_size_limit(tmp_path):
    rows = [cases.HEAD] + [["1", "张三", "男", "350102********1234", "139****1234"]] * 40_000
    path = write(tmp_path / "名单.docx", cases.embed(cases.gongshi_docx(MASKED), "Microsoft_Excel_Worksheet.xlsx",
                                                   cases.xlsx_bytes(rows), cases.CT_XLSX, "Excel.Sheet.12"))
    assert path.stat().st_size < 1 << 20
    with pytest.raises(Unreadable, match="含内嵌文件"):
        extract_text(path, Limits(max_decompressed=2 * 1024 * 1024))


# --- Excel -------------------------------------------------------------------------------------------

def test_formula_without_a_cached_value_and_sheet_names(tmp_path):
    formulas = cases.xlsx_bytes([cases.HEAD, ["1", NAME, SEX, ("f", f'"{ID[:6]}"&amp;"{ID[6:]}"'),
                                              ("f", f'CONCATENATE("{MOBILE[:3]}","{MOBILE[3:]}")')]])
    assert found(write(tmp_path / "a.xlsx", formulas)) == {ID, MOBILE}
    named = cases.xlsx_bytes([cases.HEAD, list(MASKED[0])], sheet=f"{NAME}{MOBILE}")
    assert found(write(tmp_path / "b.xlsx", named)) == {MOBILE}
    cached = cases.xlsx_bytes([["合计", ("fv", "SUM(B2:B9)", "12345678.9"), ("f", "SUM(C2:C9)")]])
    assert found(write(tmp_path / "c.xlsx", cached)) == set()


# --- PDF ---------------------------------------------------------------------------------------------

SHOWN = cases.table_ops([cases.ASCII_HEAD] + cases.ascii_rows([cases.person(7)]))


def embedded(name: str, data: bytes) -> dict:
    return dict(extra=[b"<< /Type /Filespec /F (%s) /EF << /F 7 0 R >> >>" % name.encode(),
                       pdf_stream(data, b"/Type /EmbeddedFile")],
                catalog=b"/Names << /EmbeddedFiles << /Names [(%s) 6 0 R] >> >>" % name.encode())


PDF_PARTS = {
    "form field": dict(extra=[b"<< /Type /Annot /Subtype /Widget /FT /Tx /T (sfzh) /V (%s) /Rect [120 560 320 580] >>"
                              % ID.encode()], catalog=b"/AcroForm << /Fields [6 0 R] >>", page=b"/Annots [6 0 R]"),
    "annotation": dict(extra=[b"<< /Type /Annot /Subtype /Text /Rect [0 0 9 9] /Contents " + pdf_string(f"{NAME} {MOBILE}")
                              + b" >>"], page=b"/Annots [6 0 R]"),
    "link": dict(extra=[b"<< /Type /Annot /Subtype /Link /Rect [0 0 9 9] /A << /S /URI /URI (tel:%s) >> >>"
                        % MOBILE.encode()], page=b"/Annots [6 0 R]"),
    "bookmark": dict(extra=[b"<< /Type /Outlines /First 7 0 R /Last 7 0 R /Count 1 >>",
                            b"<< /Title " + pdf_string(f"{NAME}（{ID}）") + b" /Parent 6 0 R /Dest [3 0 R /Fit] >>"],
                     catalog=b"/Outlines 6 0 R"),
    "embedded csv": embedded("list.csv", f"姓名,身份证号\r\n{NAME},{ID}\r\n".encode("gb18030")),
    "embedded docx": embedded("list.docx", cases.gongshi_docx(FULL)),
}


@pytest.mark.parametrize("part", PDF_PARTS)
def test_pdf_parts_are_read(tmp_path, part):
    path = pdf_document(tmp_path / "名单.pdf", SHOWN, **PDF_PARTS[part])
    assert found(path) & {ID, MOBILE}, part


@pytest.mark.parametrize("ops", [
    cases.boxes(ID, 120, 600),  # one digit per box of a form
    cases.boxes(MOBILE, 120, 600, step=18),
    "BT /F1 10 Tf 40 600 Td [%s] TJ ET\n" % ") -900 (".join(ID).join("()"),  # letter-spaced by kerning
])
def test_pdf_digits_drawn_apart_are_joined(tmp_path, ops):
    assert found(pdf_document(tmp_path / "a.pdf", SHOWN + ops)) & {ID, MOBILE}


def test_pdf_columns_of_small_numbers_are_not_joined(tmp_path):
    months = "".join(f"BT /F1 9 Tf {120 + 20 * i} 560 Td ({i + 1}) Tj ET\n" for i in range(12))
    counts = "".join(f"BT /F1 9 Tf {120 + 20 * i} 580 Td ({d}) Tj ET\n" for i, d in enumerate("15002310045"))
    amounts = "".join(f"BT /F1 9 Tf {120 + 60 * i} 540 Td ({v}) Tj ET\n" for i, v in enumerate(("1234567.89", "2345678")))
    ops = SHOWN + months + counts + amounts + cases.boxes("20240506", 120, 500)
    assert found(pdf_document(tmp_path / "a.pdf", ops)) == set()


JS = b"<< /S /JavaScript /JS (app.alert\\(1\\)) >>"
ACTIVE = {
    "OpenAction": (dict(catalog=b"/OpenAction " + JS), "打开文件时自动运行的JavaScript"),
    "document JavaScript": (dict(extra=[JS], catalog=b"/Names << /JavaScript << /Names [(a) 6 0 R] >> >>"), "JavaScript"),
    "Launch": (dict(extra=[b"<< /Type /Annot /Subtype /Link /Rect [0 0 9 9] /A << /S /Launch /F (cmd.exe) >> >>"],
                    page=b"/Annots [6 0 R]"), "/Launch"),
    "page AA": (dict(page=b"/AA << /O " + JS + b" >>"), "/AA"),
    "embedded program": (embedded("setup.exe", b"MZ\x90\x00" + b"\x00" * 60), "可执行程序"),
    "javascript: link": (dict(extra=[b"<< /Type /Annot /Subtype /Link /Rect [0 0 9 9] /A << /S /URI "
                                     b"/URI (javascript:alert\\(1\\)) >> >>"], page=b"/Annots [6 0 R]"), "javascript:"),
}


@pytest.mark.parametrize("kind", ACTIVE)
def test_active_pdf_is_refused(tmp_path, kind):
    extra, what = ACTIVE[kind]
    with pytest.raises(Dangerous, match="打印为 PDF") as exc:
        extract_text(pdf_document(tmp_path / "a.pdf", SHOWN, **extra))
    assert what in exc.value.reason


def test_active_pdf_inside_a_word_file_is_refused(tmp_path):
    pdf = pdf_document(tmp_path / "inner.pdf", SHOWN, catalog=b"/OpenAction " + JS).read_bytes()
    path = write(tmp_path / "a.docx", cases.embed(cases.gongshi_docx(MASKED), "说明.pdf", pdf, "application/pdf", "AcroExch"))
    with pytest.raises(Dangerous, match="说明.pdf"):
        extract_text(path)


def test_a_harmless_open_action_and_web_link_pass(tmp_path):
    path = pdf_document(tmp_path / "a.pdf", SHOWN, [b"<< /Type /Annot /Subtype /Link /Rect [0 0 9 9] /A << /S /URI "
                                                    b"/URI (https://www.example.gov.cn/) >> >>"],
                        catalog=b"/OpenAction [3 0 R /Fit]", page=b"/Annots [6 0 R]")
    assert found(path) == set()


# --- check and build ---------------------------------------------------------------------------------

ATTACH = "\n  - {名称: 名单, 文件: files/名单.%s}"
WAIVER = "\n  - {文件: files/名单.%s, 理由: 已人工逐页核查}"


def project(tmp_path, suffix: str, data: bytes, waiver: bool = False) -> Path:
    fields = {"附件": ATTACH % suffix, **({"隐私豁免": WAIVER % suffix} if waiver else {})}
    root = make_project(tmp_path, {ENTRY: front_matter(**fields)})
    (root / "docs/catalog/swj/2024/files").mkdir(parents=True)
    (root / "docs/catalog/swj/2024/files" / f"名单.{suffix}").write_bytes(data)
    return root


def test_check_and_build_refuse_personal_data_in_a_hidden_part(tmp_path):
    root = project(tmp_path, "docx", WORD_PARTS["embedded workbook"]())
    check = run_xxgk(root, "check")
    assert check.returncode == 1 and "错误 docs/catalog/swj/2024/files/名单.docx" in check.stdout, check.stdout
    assert f"疑似居民身份证号“{ID[:6]}" in check.stdout
    build = run_mkdocs_build(root, tmp_path / "site")
    assert build.returncode != 0 and f"疑似居民身份证号“{ID[:6]}" in build.stdout + build.stderr
    assert "Traceback" not in check.stdout + check.stderr + build.stderr


@pytest.mark.parametrize("waiver", [False, True])
def test_check_and_build_refuse_a_pdf_with_javascript_even_when_exempted(tmp_path, waiver):
    pdf = pdf_document(tmp_path / "a.pdf", SHOWN, catalog=b"/OpenAction " + JS).read_bytes()
    root = project(tmp_path, "pdf", pdf, waiver)
    message = ("错误 docs/catalog/swj/2024/00001.md:15 字段“附件”：附件“名单”（名单.pdf）不能发布："
               "含有打开文件时自动运行的JavaScript 脚本（/OpenAction）")
    check = run_xxgk(root, "check")
    assert check.returncode == 1 and message in check.stdout and "请用“打印为 PDF”重新生成" in check.stdout, check.stdout
    build = run_mkdocs_build(root, tmp_path / "site")
    assert build.returncode != 0 and "（/OpenAction）" in build.stdout + build.stderr


def ole_object_docx(body_extra: str = "") -> bytes:
    """A Word file with an old-style OLE object (an embedded .xls), which cannot be read."""
    base = cases.gongshi_docx(MASKED + ([("2", "李四", "男", body_extra, "")] if body_extra else []))
    return cases.repack(base, rels=cases.rel("rIdO", "oleObject", "embeddings/oleObject1.bin"),
                        types='<Default Extension="bin" ContentType="application/vnd.openxmlformats-officedocument.oleObject"/>',
                        add={"word/embeddings/oleObject1.bin": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504})


def test_an_unreadable_part_is_an_error_unless_exempted_and_the_rest_is_still_scanned(tmp_path):
    root = project(tmp_path / "a", "docx", ole_object_docx())
    check = run_xxgk(root, "check")
    assert check.returncode == 1, check.stdout
    assert "无法自动检查个人信息和密级标志：以下部分无法自动读取：“word/embeddings/oleObject1.bin”（旧版 Office/OLE 嵌入对象）" in check.stdout
    exempted = project(tmp_path / "b", "docx", ole_object_docx(), waiver=True)
    check = run_xxgk(exempted, "check")
    assert check.returncode == 0 and "未能自动检查" in check.stdout and "已豁免：已人工逐页核查" in check.stdout, check.stdout
    leaking = project(tmp_path / "c", "docx", ole_object_docx(body_extra=ID), waiver=True)
    check = run_xxgk(leaking, "check")
    assert check.returncode == 1 and f"疑似居民身份证号“{ID[:6]}" in check.stdout, check.stdout


def test_embedding_depth_is_declared_in_safety_yml(tmp_path):
    inner = cases.embed(cases.gongshi_docx(MASKED), "Microsoft_Word_Document.docx", cases.gongshi_docx(MASKED),
                        cases.CT_DOCX, "Word.Document.12")
    root = project(tmp_path, "docx", cases.embed(cases.gongshi_docx(MASKED), "Microsoft_Word_Document.docx", inner,
                                                 cases.CT_DOCX, "Word.Document.12"))
    assert run_xxgk(root, "check").returncode == 0
    safety = root / "data/safety.yml"
    safety.write_text(safety.read_text(encoding="utf-8").replace("内嵌层数: 3", "内嵌层数: 1"), encoding="utf-8")
    check = run_xxgk(root, "check")
    assert check.returncode == 1 and "内嵌超过 1 层" in check.stdout, check.stdout
    safety.write_text(safety.read_text(encoding="utf-8").replace("内嵌层数: 1", "内嵌层数: 零"), encoding="utf-8")
    check = run_xxgk(root, "check")
    assert "data/safety.yml" in check.stdout and "附件.内嵌层数" in check.stdout and "Traceback" not in check.stderr


def test_import_reports_personal_data_in_an_embedded_part(tmp_path):
    root = make_project(tmp_path)
    source = gongwen(tmp_path / "公示.docx", org="示例区商务局", body_extra=["名单见附表。"])
    sheet = cases.xlsx_bytes([cases.HEAD, ["1", NAME, SEX, ID, int(MOBILE)]])
    source.write_bytes(cases.embed(source.read_bytes(), "Microsoft_Excel_Worksheet.xlsx", sheet, cases.CT_XLSX,
                                   "Excel.Sheet.12"))
    result = run_xxgk(root, "import", str(source))
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"居民身份证号“{ID[:6]}" in result.stdout and "未发现" not in result.stdout


# --- Memory limits (issue 20) ------------------------------------------------------------------------

def limited(megabytes: int):
    def apply():
        resource.setrlimit(resource.RLIMIT_AS, (megabytes << 20, megabytes << 20))
    return apply


def test_under_ulimit_v_a_clean_file_is_read_and_check_passes(tmp_path):
    root = project(tmp_path, "docx", cases.gongshi_docx(MASKED))
    check = subprocess.run([sys.executable, "-m", "xxgk.cli", "--root", str(root), "--today", TODAY, "check"],
                           cwd=root, capture_output=True, text=True, preexec_fn=limited(3906), timeout=300)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "Traceback" not in check.stderr and "内存超限" not in check.stdout


def test_under_ulimit_v_a_bomb_is_still_refused(tmp_path):
    import zipfile

    bomb = tmp_path / "bomb.docx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            for _ in range(512):  # 512 MiB of zeros, about 0.5 MB deflated
                member.write(b"\x00" * (1 << 20))
    clean = write(tmp_path / "clean.docx", cases.gongshi_docx(FULL))
    probe = f"""
from pathlib import Path
from xxgk.safety import Unreadable, extract_text
print("clean", "{ID}" in extract_text(Path({str(clean)!r})).text)
try:
    extract_text(Path({str(bomb)!r}))
except Unreadable as error:
    print("bomb", error.reason[:40])
"""
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, preexec_fn=limited(3906),
                            timeout=120)
    assert "clean True" in result.stdout, result.stdout + result.stderr
    assert "bomb 解压后超过 200 MB" in result.stdout, result.stdout + result.stderr
    assert "Traceback" not in result.stderr


def test_a_site_asset_pdf_with_javascript_is_refused(tmp_path):
    root = make_project(tmp_path)
    pdf_document(root / "docs/assets/办事指南.pdf", SHOWN, catalog=b"/OpenAction " + JS)
    check = run_xxgk(root, "check")
    assert check.returncode == 1 and "错误 docs/assets/办事指南.pdf" in check.stdout and "/OpenAction" in check.stdout, check.stdout


def test_a_part_that_fails_to_parse_is_listed_never_a_traceback(tmp_path):
    broken = cases.mht(cases.html_table(FULL)).replace(b'charset="utf-8"', b'charset="no-such-charset"')
    path = write(tmp_path / "a.docx", cases.alt_chunk(cases.gongshi_docx(MASKED), "afchunk.mht", broken, "message/rfc822"))
    with pytest.raises(Unreadable, match="afchunk.mht”（无法解析）"):
        extract_text(path)
