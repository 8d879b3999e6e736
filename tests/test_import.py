"""xxgk import: 公文 .docx and text PDFs become draft entries; bad files are refused and nothing is written."""

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import TODAY, front_matter, make_project, run_xxgk
from docx_support import empty_paragraphs, gongwen, laozihao, plain_docx
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
    assert body.lstrip().startswith("各街道办事处：") and body.rstrip().endswith("特此通知。")
    # The 落款 and 成文日期 are fields, shown under the body; （此件公开发布） is the catalog's business.
    assert "落款: 示例区商务局" in text and "2026年3月5日" not in body and "此件公开发布" not in text
    assert "落款“示例区商务局”" in out and "附注“（此件公开发布）”（已略去" in out
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
    assert "落款: 东城区商务局" in text and text.split("\n---\n", 1)[1].strip().endswith("请各单位做好宣传工作。")
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


def test_a_gongwen_keeps_its_shape(tmp_path):
    """Issue 20: numbered headings typed as plain paragraphs become headings of their level, a numbered
    sentence stays a paragraph; the 落款 and 成文日期 leave the body for the 落款 field, shown right-aligned
    under the body; （此件公开发布） is dropped; the 附件 named in the text without a file is hinted at."""
    root = make_project(tmp_path)
    source = laozihao(tmp_path / "老字号.docx")
    result = run_xxgk(root, "import", str(source), "--org", "swj", "--category", "公告公示")
    assert result.returncode == 0, result.stderr
    assert "7 个小标题、12 个段落" in result.stdout, result.stdout
    assert "落款“东城区商务局”（与成文日期一起移出正文" in result.stdout
    assert "缺少附件：正文的附件说明列出“区级老字号申报表”，但只导入了原文" in result.stdout
    assert not english_words(result.stdout + result.stderr), result.stdout
    text = entry_text(root)
    body = text.split("\n---\n", 1)[1]
    for line in ("## 一、申报条件", "### （一）基本条件", "#### 1.经营历史", "#### 2．经营状况", "### （二）申报材料",
                 "## 二、申报程序", "## 三、工作要求"):
        assert f"\n{line}\n" in body, line
    # A numbered sentence and a list of short numbered items stay paragraphs, as does the 附件说明.
    for paragraph in ("（三）申报方式。申报企业", "1.区级老字号申报表", "2.营业执照复印件", "3.品牌创立时间证明材料",
                      "附件：区级老字号申报表"):
        assert f"\n{paragraph}" in body and f"#{paragraph}" not in body and f"# {paragraph}" not in body, paragraph
    assert body.rstrip().endswith("附件：区级老字号申报表")
    assert "东城区商务局" not in body and "2026年4月8日" not in body and "此件公开发布" not in text
    assert "落款: 东城区商务局" in text and "成文日期: 2026-04-08" in text

    # The entry filled in and published: the page shows the 落款 right-aligned under the body, and
    # check warns about the 附件 that the text names until it is uploaded.
    entry = root / "docs/catalog/swj/2026/00001.md"
    entry.write_text(text.replace("主题分类:\n", "主题分类: 综合政务\\政务公开\n").replace("草稿: true\n", "")
                     .replace("{审查人: , 日期: }", "{审查人: 甲, 日期: 2026-11-27}"), encoding="utf-8")
    check = run_xxgk(root, "check")
    mine = [line for line in check.stdout.splitlines() if "swj/2026/00001.md" in line]
    assert not any(line.startswith("错误") for line in mine), mine
    line_no = entry.read_text(encoding="utf-8").splitlines().index("附件：区级老字号申报表") + 1
    assert f"警告 docs/catalog/swj/2026/00001.md:{line_no} 字段“附件”：正文的附件说明列出“区级老字号申报表”" in check.stdout, mine
    site = tmp_path / "site"
    build = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(site)], cwd=root,
                           capture_output=True, text=True, timeout=600)
    assert build.returncode == 0, build.stderr
    import lxml.html

    page = lxml.html.parse(str(site / "catalog/swj/2026/00001/index.html")).getroot()
    body_text = page.xpath("string(//div[@class='xxgk-body'])")
    assert "东城区商务局" not in body_text and "2026年4月8日" not in body_text
    assert [h.text_content() for h in page.xpath("//div[@class='xxgk-body']//h2")] == ["一、申报条件", "二、申报程序", "三、工作要求"]
    signature = page.xpath("//div[@class='xxgk-signature']/p/text()")
    assert signature == ["东城区商务局", "2026年4月8日"]
    css = (site / "assets/xxgk.css").read_text(encoding="utf-8")
    assert ".xxgk-signature { margin: 2em 0 1.5em; padding-right: 2em; text-align: right; }" in css


def test_a_note_that_withholds_the_document_stays_and_is_pointed_out(tmp_path):
    root = make_project(tmp_path)
    source = laozihao(tmp_path / "内部.docx", note="（此件不予公开）", attachment_line="")
    result = run_xxgk(root, "import", str(source), "--org", "swj")
    assert result.returncode == 0, result.stderr
    assert "注意：原文附注“（此件不予公开）”（保留在正文末尾）：请确认这份文件可以公开。" in result.stdout
    assert "缺少附件" not in result.stdout and "已略去" not in result.stdout
    assert entry_text(root).rstrip().endswith("（此件不予公开）")


def test_a_second_import_of_the_same_document_warns(tmp_path):
    """Issue 20: the same .docx imported twice made two entries with one 文号, without a word. The second
    import names the first entry; so does `xxgk check`, on the later entry."""
    root = make_project(tmp_path, {"swj/2024/00001.md": front_matter()})  # 示商发〔2024〕1号, published
    first = gongwen(tmp_path / "甲.docx", org="示例区商务局", doc_no="示商发〔2026〕5号")
    once = run_xxgk(root, "import", str(first))
    assert once.returncode == 0 and "重复导入" not in once.stdout, once.stdout
    again = run_xxgk(root, "import", str(first))
    assert again.returncode == 0, again.stderr
    assert ("注意：文号“示商发〔2026〕5号”与已有条目 docs/catalog/swj/2026/00001.md 相同，可能是重复导入。"
            "如确属重复，请删除 docs/catalog/swj/2026/00002.md 和 files/ 中以“2026-00002-”开头的文件。") in again.stdout
    # Without a 文号: the same title and 成文日期; and within one run, the file imported just before.
    copy = gongwen(tmp_path / "乙" / "副本.docx", org="示例区商务局", doc_no="", title="示例区商务局关于开展2024年消费促进月活动的通知",
                   date_line="2024年3月1日")
    twice = run_xxgk(root, "import", str(copy), str(copy))
    assert twice.returncode == 0, twice.stderr
    assert twice.stdout.count("可能是重复导入") == 2
    assert "标题“示例区商务局关于开展2024年消费促进月活动的通知”和成文日期 2024-03-01与已有条目 docs/catalog/swj/2024/00001.md" in twice.stdout
    check = run_xxgk(root, "check")
    same = [line for line in check.stdout.splitlines() if "可能是同一文件发布了两次" in line]
    assert any(line.startswith("警告") and " docs/catalog/swj/2026/00002.md:7 字段“文号”" in line and "文号“示商发〔2026〕5号”与 docs/catalog/swj/2026/00001.md 相同" in line
               for line in same), same
    assert not any("swj/2024/00001.md:" in line for line in same), same  # the published one is the first
    assert len(same) == 1, same  # check compares 文号; the same title and date is for import to point out


def test_check_warns_about_one_wen_hao_on_two_entries_unless_linked(tmp_path):
    from datetime import date
    from xxgk.project import load_project

    same = dict(文号="示商发〔2024〕1号")
    root = make_project(tmp_path, {
        "swj/2024/00001.md": front_matter(信息类别="政策文件", 有效性="有效"),
        "swj/2024/00002.md": front_matter(索引号="770010036/2024-00002", 信息类别="政策解读",  # repeats its policy's
                                          相关="[770010036/2024-00001]", **same),
        "swj/2024/00003.md": front_matter(索引号="770010036/2024-00003", 标题="另一份通知", **same)})
    problems = [p for p in load_project(root, date(2024, 3, 20)).problems if p.field == "文号"]
    assert [(p.level, p.file, p.line) for p in problems] == [("警告", "docs/catalog/swj/2024/00003.md", 7)]
    assert "与 docs/catalog/swj/2024/00001.md 相同" in problems[0].message


def _set_import_limit(root, key, value):
    safety = root / "data/safety.yml"
    text = safety.read_text(encoding="utf-8")
    assert f"  {key}: " in text
    safety.write_text("\n".join(f"  {key}: {value}" if line.startswith(f"  {key}: ") else line
                                for line in text.splitlines()) + "\n", encoding="utf-8")


def test_a_million_empty_paragraphs_are_refused_before_conversion(tmp_path):
    """Issue 21: such a file of 50 KB ran for more than 15 minutes. The paragraphs are counted by a
    streaming parse that stops at the limit (data/safety.yml 导入), before python-docx and mammoth."""
    root = make_project(tmp_path)
    source = empty_paragraphs(tmp_path / "空段落.docx", 1_000_000)
    result = subprocess.run([sys.executable, "-m", "xxgk.cli", "--root", str(root), "--today", TODAY, "import",
                             str(source), "--org", "swj"], cwd=root, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert "空段落.docx：未导入。文档的段落（含表格中的段落）超过 50000 个" in result.stderr
    assert "data/safety.yml 的“导入.最大段落数”" in result.stderr and not english_words(result.stderr)
    assert not (root / "docs/catalog/swj").exists()


@pytest.mark.parametrize("key, value, message", [
    ("最大段落数", 10, "段落（含表格中的段落）超过 10 个"), ("最大表格数", 0.5, None),
    ("最大单元格数", 5, "表格单元格超过 5 个"), ("最长秒数", 0.001, "转换超过 0.001 秒仍未完成"),
])
def test_import_limits_come_from_data(tmp_path, key, value, message):
    root = make_project(tmp_path)
    _set_import_limit(root, key, value)
    source = gongwen(tmp_path / "通知.docx", org="示例区商务局")  # 3×2 cells, some 20 paragraphs
    result = run_xxgk(root, "import", str(source))
    if message is None:  # not a whole number of tables: a located error in data/safety.yml
        check = run_xxgk(root, "check")
        assert "data/safety.yml" in check.stdout + check.stderr and "“导入.最大表格数”：应为正整数" in check.stdout + check.stderr
        return
    assert result.returncode == 1 and message in result.stderr, result.stderr
    assert f"“导入.{key}”" in result.stderr and "Traceback" not in result.stderr
    assert not (root / "docs/catalog/swj").exists()


def test_the_count_follows_the_relationships_to_the_body(tmp_path):
    """A body part whose name does not end in .xml, behind a decoy word/document.xml: mammoth follows
    _rels/.rels to it, and so does the count."""
    from xxgk.reference import ImportLimits

    source = plain_docx(tmp_path / "原.docx", [f"第{i}段。" for i in range(50)])
    moved = tmp_path / "改名.docx"
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(moved, "w", zipfile.ZIP_DEFLATED) as out:
        for member in original.infolist():
            data = original.read(member)
            if member.filename == "_rels/.rels":
                data = data.replace(b'Target="word/document.xml"', b'Target="word/body.bin"')
            if member.filename == "word/document.xml":
                out.writestr("word/body.bin", data)
                data = data[:data.index(b"<w:body>")] + b"<w:body/></w:document>"
            out.writestr(member.filename, data)
    assert b"word/body.bin" in zipfile.ZipFile(moved).read("_rels/.rels")
    with pytest.raises(wordimport.Refused, match="段落（含表格中的段落）超过 10 个"):
        wordimport.check_extent(moved, ImportLimits(paragraphs=10))
    wordimport.check_extent(moved, ImportLimits(paragraphs=60))


def test_forty_thousand_paragraphs_import(tmp_path):
    """Below the limits a long document still imports (once 91 s; now linear: python-docx looked up the
    default style by scanning every style, for every paragraph). The timeout only guards against a hang."""
    root = make_project(tmp_path)
    source = plain_docx(tmp_path / "长文.docx", ["示例区商务局关于测试的通知"] + [f"第{i}段。" for i in range(40_000)])
    result = subprocess.run([sys.executable, "-m", "xxgk.cli", "--root", str(root), "--today", TODAY, "import",
                             str(source), "--org", "swj"], cwd=root, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "40000 个段落" in result.stdout


@pytest.mark.parametrize("line, expected", [
    ("2024年3月5日", (2024, 3, 5)), ("二〇二四年三月五日", (2024, 3, 5)), ("二○二五年十二月三十一日", (2025, 12, 31)),
    ("2024年 10月 1日", (2024, 10, 1)), ("2024年2月30日", None), ("关于2024年3月5日的会议", None),
])
def test_date_lines(line, expected):
    found = wordimport.parse_date(line)
    assert (found.year, found.month, found.day) == expected if expected else found is None


@pytest.mark.parametrize("line, level", [
    ("一、申报条件", 2), ("十二、附则", 2), ("（一）基本条件", 3), ("(二)申报材料", 3), ("1.经营历史", 4), ("2．经营状况", 4),
    ("一、", None), ("1.5万元以下的补贴", None), ("一、申报条件：", None), ("（一）全力抓好粮食生产。确保产量", None),
    ("1.加强前瞻谋划部署，把握全球科技创新和产业发展趋势，重点推进未来制造", None), ("（一）强化统筹，形成合力", 3), ("2026年工作要点", None), ("（此件公开发布）", None),
])
def test_numbered_heading_levels(line, level):
    assert wordimport.heading_level(line) == level


def test_a_run_of_numbered_lines_is_a_list_unless_a_lower_heading_follows():
    texts = ["一、总体要求", "（一）工作目标", "正文。", "（二）申报材料", "1.申报表", "2.承诺书", "（三）办理程序", "正文。",
             "二、保障措施", "三、附则", "正文。"]
    blocks = wordimport._headings([htmlmd.Block(t, t, "paragraph") for t in texts])
    assert [b.markdown for b in blocks if b.kind == "heading"] == [
        "## 一、总体要求", "### （一）工作目标", "### （二）申报材料", "### （三）办理程序"]


def test_layout_without_alignment_finds_title_by_its_ending():
    paras = [wordimport.Para(t) for t in ("某区财政局文件", "某财发〔2025〕3号　签发人：张某", "某区财政局关于印发",
                                          "《预算管理办法》的通知", "各单位：", "正文。", "附件：预算表", "某区财政局", "2025年1月2日")]
    layout = wordimport.read_layout(paras)
    assert layout.title == "某区财政局关于印发《预算管理办法》的通知"
    assert layout.doc_no == "某财发〔2025〕3号" and layout.issuer == "某区财政局" and layout.addressee == "各单位"
    assert (layout.written.year, layout.written.month, layout.written.day) == (2025, 1, 2)


def test_organs_side_by_side_on_one_signature_line_are_not_merged_into_one_name():
    def layout(signature):
        return wordimport.read_layout([wordimport.Para(t) for t in (
            "关于做好安全生产工作的通知", "各单位：", "正文。", signature, "1996年5月20日")])
    joint = layout("国务院办公厅　　中央军委办公厅")
    assert joint.signers == [] and not joint.issuer  # the 落款 stays in the body, the editor names the organs
    spaced = layout("国　务　院")  # one name spaced out
    assert spaced.signers == ["国务院"] and spaced.issuer == "国务院"


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


def test_a_title_on_two_lines_and_the_signature_out_of_the_body():
    paras = [wordimport.Para("某区商务局文件", True), wordimport.Para("某商发〔2025〕1号", True),
             wordimport.Para("某区商务局关于印发", True), wordimport.Para("《促进消费若干措施》的通知", True),
             wordimport.Para("各街道：", False), wordimport.Para("正文。", False), wordimport.Para("某区商务局", False),
             wordimport.Para("2025年1月2日", False)]
    layout = wordimport.read_layout(paras)
    assert layout.title == "某区商务局关于印发《促进消费若干措施》的通知"
    html = "".join(f"<p>{p.text}</p>" for p in paras)
    doc = wordimport._document(layout, htmlmd.blocks(html), [], [])
    assert doc.body == "各街道：\n\n正文。\n" and layout.signers == ["某区商务局"]


# Real public documents (tests/data/README.md lists them and their sources): their layout and a short
# part of their text, rebuilt here because the originals are not stored in the repository.

def test_real_joint_opinion_of_seven_ministries(tmp_path):
    """工信部联科〔2024〕12号: the title above the 文号 (web copy), a long 主送, seven organs sign."""
    signers = ["工业和信息化部", "教育部", "科学技术部", "交通运输部", "文化和旅游部", "国务院国有资产监督管理委员会", "中国科学院"]
    source = plain_docx(tmp_path / "未来产业.docx", [
        "工业和信息化部等七部门关于推动未来产业创新发展的实施意见", "工信部联科〔2024〕12号",
        ("各省、自治区、直辖市及计划单列市、新疆生产建设兵团工业和信息化、教育、科技、交通运输、文化和旅游、"
         "国有资产监督管理主管部门，中国科学院院属各单位，各省、自治区、直辖市通信管理局，有关中央企业，各有关单位："),
        ("未来产业由前沿技术驱动，当前处于孕育萌发阶段或产业化初期，是具有显著战略性、引领性、颠覆性和不确定性的"
         "前瞻性新兴产业。现提出如下意见。"),
        "一、指导思想", "二、基本原则", "四、重点任务", "（一）全面布局未来产业",
        ("1.加强前瞻谋划部署。把握全球科技创新和产业发展趋势，重点推进未来制造、未来信息、未来材料、未来能源、"
         "未来空间和未来健康六大方向产业发展。"),
        "（四）深化国际合作。依托“一带一路”等机制，鼓励国内企业与研究机构走出去，深度参与全球未来产业分工。",
        *signers, "2024年1月18日"])
    layout = wordimport.read_docx(source).layout
    assert layout.title == "工业和信息化部等七部门关于推动未来产业创新发展的实施意见"
    assert layout.doc_no == "工信部联科〔2024〕12号" and layout.addressee.endswith("有关中央企业，各有关单位")
    assert (layout.issuer, layout.co_issuers) == (signers[0], signers[1:])
    assert layout.written.isoformat() == "2024-01-18"
    root = make_project(tmp_path)
    result = run_xxgk(root, "import", str(source), "--org", "swj")
    assert result.returncode == 0, result.stderr
    assert "联合发文机关“教育部、科学技术部" in result.stdout
    text = entry_text(root)
    assert "标题: 工业和信息化部等七部门关于推动未来产业创新发展的实施意见" in text and "成文日期: 2024-01-18" in text
    body = text.split("\n---\n", 1)[1]
    assert body.lstrip().startswith("各省、自治区") and "\n1.加强前瞻谋划部署" in body
    assert "\n## 四、重点任务\n" in body and "\n### （一）全面布局未来产业\n" in body
    # Shortened here, 一、 and 二、 have nothing under them: one-level lines in a row read as a list.
    assert "\n一、指导思想\n" in body and "\n二、基本原则\n" in body
    assert "\n（四）深化国际合作。依托" in body  # a numbered paragraph, not a heading
    assert "中国科学院" not in body.split("各有关单位：")[1] and "2024年1月18日" not in body
    assert "落款:\n" + "".join(f"  - {name}\n" for name in signers) in text


def test_real_central_opinion_dated_under_its_title():
    """中共中央 国务院 2023 年一号文件: the 成文日期 in brackets under the title, no signature at the end."""
    paras = [wordimport.Para(t) for t in (
        "中共中央 国务院关于做好2023年全面推进乡村振兴重点工作的意见", "（2023年1月2日）",
        "党的二十大擘画了以中国式现代化全面推进中华民族伟大复兴的宏伟蓝图。",
        "一、抓紧抓好粮食和重要农产品稳产保供",
        "（一）全力抓好粮食生产。确保全国粮食产量保持在1.3万亿斤以上。",
        "让我们紧密团结在以习近平同志为核心的党中央周围，坚定信心、踔厉奋发、埋头苦干，全面推进乡村振兴。")]
    layout = wordimport.read_layout(paras)
    assert layout.title == "中共中央国务院关于做好2023年全面推进乡村振兴重点工作的意见"
    assert layout.written.isoformat() == "2023-01-02" and layout.issuer == "" and layout.doc_no == ""


def test_real_provincial_plan_with_its_period_under_the_title():
    """上海市北斗产业高质量发展三年行动计划: an 附件 line, the period on its own line under the title."""
    paras = [wordimport.Para(t) for t in (
        "附件", "上海市北斗产业高质量发展三年行动计划", "（2021-2023年）",
        "为加快推动上海北斗产业高质量发展，打造全国北斗产业创新发展高地，特制定本行动计划。",
        "一、总体思路", "（一）指导思想", "1.统筹规划，协调推进。服务国家北斗重大任务，加强北斗产业规划引领。")]
    layout = wordimport.read_layout(paras)
    assert layout.title == "上海市北斗产业高质量发展三年行动计划（2021-2023年）"
    assert layout.written is None and layout.addressee == ""


def test_real_report_to_the_npc_standing_committee():
    """国务院关于数字经济发展情况的报告: a 主送 after the speaker's line, no 文号 and no date at the end."""
    paras = [wordimport.Para(t) for t in (
        "国务院关于数字经济发展情况的报告",
        "——2022年10月28日在第十三届全国人民代表大会常务委员会第三十七次会议上", "国家发展和改革委员会主任 何立峰",
        "全国人民代表大会常务委员会：", "按照全国人大常委会监督工作计划安排，受国务院委托，现就数字经济发展情况报告如下，请审议。",
        "一、我国数字经济发展成效显著", "（一）数字基础设施实现跨越式发展。",
        "委员长、各位副委员长、秘书长、各位委员，我们将在以习近平同志为核心的党中央坚强领导下，奋力开创数字经济发展新局面。")]
    layout = wordimport.read_layout(paras)
    assert layout.title == "国务院关于数字经济发展情况的报告"
    assert layout.written is None and layout.issuer == "" and layout.doc_no == ""


SAVED_PAGE = """<!DOCTYPE html><html><head><meta charset="{charset}"><title>关于开展2026年消费促进月活动的通知_部门文件_示例区</title>
</head><body><div class="nav"><a href="/">首页</a> <a href="#">政务公开</a> <a href="#">部门文件</a></div>
<div class="position">当前位置： 首页 政务公开 部门文件</div><script>window.bad = 1</script>
<div class="info">时间：2026-03-06 09:12 <span>微信</span> <span>微博</span> <span>打印本页</span></div>
<div class="TRS_Editor"><p align="center">示商发〔2026〕5号</p>
<p style="text-align: center"><b>示例区商务局关于开展2026年消费促进月活动的通知</b></p>
<p>各街道办事处，区直有关单位：</p>
<p style="text-indent:2em">为促进消费，现就开展消费促进月活动有关事项通知如下：</p>
<p style="text-indent:2em"><strong>一、活动时间</strong></p>
<p style="text-indent:2em">2026年4月1日至30日。<img src="banner.png"></p>
<p style="text-indent:2em">附件：消费促进月活动安排表</p>
<p align="right">示例区商务局</p><p align="right">2026年3月5日</p></div>
<div class="foot">来源：示例区商务局 附件下载</div><div class="copyright">版权所有：示例区人民政府 网站标识码 0000000000</div>
</body></html>"""


@pytest.mark.parametrize("charset", ["utf-8", "gb2312"])
def test_a_gongwen_saved_from_a_portal_becomes_a_draft(tmp_path, charset):
    """A district moving its old portal: the article is found among the page's chrome, the 公文's lines
    are read as from Word; the page itself is never attached (HTML is not published)."""
    root = make_project(tmp_path)
    page = tmp_path / "通知.html"
    page.write_bytes(SAVED_PAGE.format(charset=charset).encode("utf-8" if charset == "utf-8" else "gb18030"))
    result = run_xxgk(root, "import", str(page))
    assert result.returncode == 0, result.stderr
    assert "文号“示商发〔2026〕5号”" in result.stdout and "发文机关“示例区商务局”" in result.stdout
    assert "原文是网页，不作为附件发布" in result.stdout and "网页中的 1 张图片未导入" in result.stdout
    assert "缺少附件：正文的附件说明列出“消费促进月活动安排表”" in result.stdout
    assert not english_words(result.stdout + result.stderr), result.stdout
    text = entry_text(root)
    for line in ("标题: 示例区商务局关于开展2026年消费促进月活动的通知", "成文日期: 2026-03-05", "文号: 示商发〔2026〕5号",
                 "## 一、活动时间", "附件：消费促进月活动安排表", "落款: 示例区商务局"):
        assert line in text, line
    body = text.split("\n---\n", 1)[1]
    assert body.lstrip().startswith("各街道办事处，区直有关单位：")
    for chrome in ("当前位置", "微信", "版权所有", "来源：", "window.bad", "首页"):
        assert chrome not in body, chrome
    assert not (root / "docs/catalog/swj/2026/files").exists()  # nothing attached
    check = run_xxgk(root, "check")  # the 附件 that the body names and nobody uploaded: one warning
    mine = [line for line in check.stdout.splitlines() if "swj/2026/00001.md" in line]
    assert not any("正文中的链接" in line for line in mine), mine
    warned = [line for line in mine if "附件说明列出“消费促进月活动安排表”" in line]
    assert len(warned) == 1 and warned[0].startswith("警告") and "（名称: 消费促进月活动安排表）" in warned[0], mine


def test_a_page_without_an_article_is_refused(tmp_path):
    root = make_project(tmp_path)
    page = tmp_path / "列表.html"
    page.write_text("<html><body><ul><li><a href='a'>通知一</a></li><li><a href='b'>通知二</a></li></ul></body></html>",
                    encoding="utf-8")
    zipped = tmp_path / "伪装.html"
    zipped.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    result = run_xxgk(root, "import", str(page), str(zipped), "--org", "swj")
    assert result.returncode == 1
    assert "列表.html：未导入。没有在网页中找到成段的正文" in result.stderr
    assert "伪装.html：未导入。这不是网页文件（文件内容与扩展名不符）" in result.stderr
    assert not (root / "docs/catalog/swj/2026").exists()


REAL_PAGES = sorted((DATA / "gongwen").glob("*.html"))


@pytest.mark.parametrize("page", REAL_PAGES, ids=lambda p: p.stem)
def test_real_gongwen_pages_read_as_transcribed(page):
    """Four real 公文 of 平潭综合实验区 as saved from its portal (tests/data/gongwen/README.md): the facts
    typed by hand in <name>.expected.yml. The title printed above the article, a 文号 before the title,
    a 主送 without a title, Word's div.Section0 that closes early, a 版记 date after the 成文日期."""
    import yaml

    expected = yaml.safe_load(page.with_suffix(".expected.yml").read_text(encoding="utf-8"))
    doc = wordimport.read_html(page)
    layout = doc.layout
    assert (layout.title, layout.doc_no, layout.issuer, layout.addressee or "") == \
        (expected["标题"], expected["文号"], expected["发文机关"], expected["主送"])
    assert layout.written.isoformat() == str(expected["成文日期"])
    paragraphs = [p for p in doc.body.split("\n\n") if p.strip()]
    after_addressee = paragraphs[1] if expected["主送"] else paragraphs[0]
    assert htmlmd_plain(after_addressee).startswith(expected["正文首句"]), after_addressee
    assert any(htmlmd_plain(p).startswith(expected["正文末句"]) for p in paragraphs)
    for name in expected["附件"]:
        assert name in doc.body
    # The 落款 and 成文日期 left the body for the 落款 field (issue 20).
    assert layout.signers == [expected["发文机关"]]
    written = layout.written
    assert f"\n{written.year}年{written.month}月{written.day}日\n" not in f"\n{doc.body}"
    assert f"\n{expected['发文机关']}\n" not in f"\n{doc.body}"
    for chrome in ("当前位置", "版权所有", "网站标识码", "微信", "附件下载"):
        assert chrome not in doc.body, chrome


def htmlmd_plain(markdown: str) -> str:
    return markdown.replace("\\", "").replace("**", "").strip()
