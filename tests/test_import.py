"""xxgk import: 公文 .docx and text PDFs become draft entries; bad files are refused and nothing is written."""

import zipfile
from pathlib import Path

import pytest

from conftest import front_matter, make_project, run_xxgk
from docx_support import gongwen
from init_support import english_words
from xxgk import htmlmd, wordimport

DATA = Path(__file__).parent / "data"
ID_NUMBER = "11010519491231002X"  # the standard's own example: a valid check digit


def entry_text(root, name="00001.md"):
    return (root / "docs/catalog/swj/2026" / name).read_text(encoding="utf-8")


def test_a_gongwen_becomes_a_draft_with_its_metadata(tmp_path):
    root = make_project(tmp_path)
    source = gongwen(tmp_path / "通知.docx", org="示例区商务局", doc_no="示商发[2024]5号", to="各街道办事处：",
                     title="示例区商务局关于开展2026年消费促进月活动的通知")
    result = run_xxgk(root, "import", str(source))  # 发文机关 = 示例区商务局: no --org needed
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "通知.docx → docs/catalog/swj/2026/00001.md" in out and "770010036/2026-00001" in out
    assert "文号“示商发〔2024〕5号”" in out and "原文为“示商发[2024]5号”" in out and "主送“各街道办事处”" in out
    assert "还需填写：信息类别、主题分类" in out and "1 个表格" in out and "1 张图片" in out
    assert not english_words(out + result.stderr), out
    text = entry_text(root)
    for line in ("标题: 示例区商务局关于开展2026年消费促进月活动的通知", "发布机构: swj", "成文日期: 2026-03-05",
                 "文号: 示商发〔2024〕5号", "草稿: true", "索引号: 770010036/2026-00001",
                 "## 一、活动时间", "1. 组织商场开展促销活动。", "| 促销活动 | 区商务局 |",
                 "![](files/2026-00001-图1.png)", "文件: files/2026-00001-通知.docx"):
        assert line in text, line
    body = text.split("\n---\n", 1)[1]
    assert "示商发" not in body and "文件\n" not in body  # 版头 and 发文字号 are metadata, not body
    assert body.lstrip().startswith("各街道办事处：") and "2026年3月5日" in body
    files = root / "docs/catalog/swj/2026/files"
    assert (files / "2026-00001-通知.docx").read_bytes() == source.read_bytes()
    assert (files / "2026-00001-图1.png").read_bytes().startswith(b"\x89PNG")


def test_import_never_overwrites_and_numbers_on(tmp_path):
    root = make_project(tmp_path, {"swj/2026/00001.md": front_matter(索引号="770010036/2026-00001", 草稿="true")})
    before = entry_text(root)
    sources = tmp_path / "来文"
    gongwen(sources / "甲.docx", org="示例区商务局")
    gongwen(sources / "乙.docx", org="示例区商务局", date_line="二〇二六年十一月二十日", doc_no="示商发（2026）12号")
    (sources / "~$甲.docx").write_bytes(b"lock")  # Word's lock file is not a document
    result = run_xxgk(root, "import", str(sources), "--category", "政策文件")
    assert result.returncode == 0, result.stderr
    assert entry_text(root) == before
    assert "信息类别: 政策文件" in entry_text(root, "00003.md")
    second = entry_text(root, "00002.md")  # 乙 sorts before 甲
    assert "成文日期: 2026-11-20" in second and "文号: 示商发〔2026〕12号" in second
    assert "还需填写：有效性" in result.stdout


def test_the_issuer_must_match_or_org_be_given(tmp_path):
    root = make_project(tmp_path)
    source = gongwen(tmp_path / "来文.docx", org="某某市某某局")
    result = run_xxgk(root, "import", str(source))
    assert result.returncode == 1 and "请用 --org 指定发布机构" in result.stderr
    assert not (root / "docs/catalog/swj").exists()
    result = run_xxgk(root, "import", str(source), "--org", "swj")
    assert result.returncode == 0 and "发布机构 示例区商务局" in result.stdout


def test_personal_data_in_the_original_is_reported(tmp_path):
    root = make_project(tmp_path)
    source = gongwen(tmp_path / "公示.docx", org="示例区商务局", body_extra=[f"申请人身份证号：{ID_NUMBER}"])
    result = run_xxgk(root, "import", str(source))
    assert result.returncode == 0
    assert "居民身份证号“110105********002X”" in result.stdout and "条目保持草稿" in result.stdout
    assert "草稿: true" in entry_text(root)


def test_a_pdf_with_text_imports_and_one_without_is_refused(tmp_path):
    root = make_project(tmp_path)
    result = run_xxgk(root, "import", str(DATA / "gongwen.pdf"), "--org", "swj")
    assert result.returncode == 0, result.stderr
    text = entry_text(root)
    assert "标题: 东城区商务局关于公布2026年老字号名录的通知" in text and "文号: 东商发〔2026〕7号" in text
    assert "成文日期: 2026-04-08" in text and "现将2026年老字号名录予以公布。" in text
    assert (root / "docs/catalog/swj/2026/files/2026-00001-gongwen.pdf").is_file()

    from pypdf import PdfWriter
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    with open(tmp_path / "扫描件.pdf", "wb") as handle:
        writer.write(handle)
    result = run_xxgk(root, "import", str(tmp_path / "扫描件.pdf"), "--org", "swj")
    assert result.returncode == 1 and "没有文字层" in result.stderr
    assert sorted(p.name for p in (root / "docs/catalog/swj/2026").iterdir()) == ["00001.md", "files"]


def _bad_files(tmp_path):
    text = tmp_path / "文本.docx"
    text.write_text("这其实是一个文本文件", encoding="utf-8")
    encrypted = tmp_path / "加密.docx"
    encrypted.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    no_body = tmp_path / "无正文.docx"
    with zipfile.ZipFile(no_body, "w") as archive:
        archive.writestr("word/styles.xml", "<styles/>")
    old = tmp_path / "旧版.doc"
    old.write_bytes(b"\xd0\xcf\x11\xe0")
    return {text: "不是 Word 文档", encrypted: "设有打开密码", no_body: "没有正文部分", old: "另存为”.docx"}


def test_bad_files_are_refused_and_nothing_is_written(tmp_path):
    root = make_project(tmp_path)
    for path, message in _bad_files(tmp_path).items():
        result = run_xxgk(root, "import", str(path), "--org", "swj")
        assert result.returncode == 1 and message in result.stderr, (path.name, result.stderr)
        assert "Traceback" not in result.stderr and not english_words(result.stderr), result.stderr
    assert not (root / "docs/catalog/swj").exists()


def test_size_limits(tmp_path, monkeypatch):
    root = make_project(tmp_path)
    safety = root / "data/safety.yml"
    safety.write_text(safety.read_text(encoding="utf-8").replace("最大兆字节: 50", "最大兆字节: 0.01"), encoding="utf-8")
    big = gongwen(tmp_path / "大.docx", org="示例区商务局", body_extra=["很长的内容。" * 4000])
    result = run_xxgk(root, "import", str(big))
    assert result.returncode == 1 and "超过附件上限 0.01 MB" in result.stderr
    assert not (root / "docs/catalog/swj").exists()

    # A member that declares more than the bound when unpacked: refused before anything is read.
    bomb = tmp_path / "炸弹.docx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", "<w:document/>")
        archive.writestr("word/media/big.bin", b"\0" * 200_000)
    monkeypatch.setattr(wordimport, "MAX_UNPACKED", 100_000)
    with pytest.raises(wordimport.Refused, match="解压后超过"):
        wordimport.check_file(bomb, 50 * 1024 * 1024)


@pytest.mark.parametrize("line, expected", [
    ("2024年3月5日", (2024, 3, 5)), ("二〇二四年三月五日", (2024, 3, 5)), ("二○二五年十二月三十一日", (2025, 12, 31)),
    ("2024年 10月 1日", (2024, 10, 1)), ("2024年2月30日", None), ("关于2024年3月5日的会议", None),
])
def test_date_lines(line, expected):
    found = wordimport.parse_date(line)
    assert (found.year, found.month, found.day) == expected if expected else found is None


def test_layout_without_alignment_finds_title_by_its_ending():
    paras = [wordimport.Para(t) for t in ("某区财政局文件", "某财发〔2025〕3号　签发人：张某", "某区财政局关于印发",
                                          "《预算管理办法》的通知", "各单位：", "正文。", "某区财政局", "2025年1月2日")]
    layout = wordimport.read_layout(paras)
    assert layout.title == "某区财政局关于印发《预算管理办法》的通知"
    assert layout.doc_no == "某财发〔2025〕3号" and layout.issuer == "某区财政局" and layout.addressee == "各单位"
    assert (layout.written.year, layout.written.month, layout.written.day) == (2025, 1, 2)


def test_html_to_markdown():
    blocks = htmlmd.blocks(
        "<h2>一、<strong>总则</strong></h2><p># 1*2 [注] <a href='javascript:x'>链接</a></p>"
        "<ol><li>甲<ul><li>乙</li></ul></li><li>丙</li></ol>"
        "<table><thead><tr><th>名称</th><th>数量</th></tr></thead><tbody><tr><td><p>a|b</p><p>c</p></td></tr></tbody></table>"
        "<p><img src='files/x.png' alt='图'/></p><p>1. 不是列表</p>")
    assert [b.markdown for b in blocks] == [
        "## 一、**总则**", "\\# 1\\*2 \\[注\\] 链接", "1. 甲\n    - 乙\n2. 丙",
        "| 名称 | 数量 |\n| --- | --- |\n| a\\|b c |  |", "![图](files/x.png)", "1\\. 不是列表"]
    assert [b.kind for b in blocks] == ["heading", "paragraph", "list", "table", "paragraph", "paragraph"]


def test_a_title_on_two_lines_leaves_the_signature_in_the_body():
    paras = [wordimport.Para("某区商务局文件", True), wordimport.Para("某商发〔2025〕1号", True),
             wordimport.Para("某区商务局关于印发", True), wordimport.Para("《促进消费若干措施》的通知", True),
             wordimport.Para("各街道：", False), wordimport.Para("正文。", False), wordimport.Para("某区商务局", False),
             wordimport.Para("2025年1月2日", False)]
    layout = wordimport.read_layout(paras)
    assert layout.title == "某区商务局关于印发《促进消费若干措施》的通知"
    html = "".join(f"<p>{p.text}</p>" for p in paras)
    doc = wordimport._document(layout, htmlmd.blocks(html), [], [])
    assert doc.body == "各街道：\n\n正文。\n\n某区商务局\n\n2025年1月2日\n"
