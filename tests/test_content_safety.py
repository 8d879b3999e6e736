"""Content is inert (issue 12): entries, narratives and data values are never templates, editors' HTML
is sanitised, attachments stay inside their entry's folder, and docs/ publishes only what a page owns.
Each test plants what a red-team run published on 2fc4cd5, and fails there."""

import os
import shutil

import pytest
from bs4 import BeautifulSoup

from conftest import ROOT, front_matter, make_project, run_mkdocs_build, run_xxgk
from test_safety import CANARY, ENTRY, site_texts
from xxgk.content import raw_html_problems, sanitize

ENTRY_FILE = f"docs/catalog/{ENTRY}"
MOBILE = "13912345678"
ATTACH = "\n  - {名称: 附件, 文件: %s}"


def entry_page(site, name="00001"):
    return BeautifulSoup((site / f"catalog/swj/2024/{name}/index.html").read_text(encoding="utf-8"), "html.parser")


def test_template_code_in_an_entry_never_runs_and_a_second_settings_block_is_refused(tmp_path):
    draft = front_matter(索引号=None, 保密审查=None, 草稿="true", 标题="草稿") + CANARY
    body = ("\n{{ 7*7 }} {{ lipsum.__globals__.os.popen('echo PWNED').read() }}\n\n"
            "{% include 'catalog/swj/2024/draft.md' %}\n\n`{{ 8*8 }}` 作为代码原样显示。\n")
    root = make_project(tmp_path, {ENTRY: front_matter() + body, "swj/2024/draft.md": draft})
    # No template engine reads it, so it would stand on the page as written: refused with its line (issue 21).
    check = run_xxgk(root, "check")
    line = (front_matter() + body).splitlines().index("{% include 'catalog/swj/2024/draft.md' %}") + 1
    assert check.returncode == 1 and f"{ENTRY_FILE}:{line - 2} “{{{{”是模板写法" in check.stdout, check.stdout
    assert f"{ENTRY_FILE}:{line} “{{%”是模板写法" in check.stdout and f"{ENTRY_FILE}:{line + 2}" not in check.stdout
    site = tmp_path / "site"
    build = run_mkdocs_build(root, site)
    assert build.returncode == 1 and not site.exists()
    output = build.stdout + build.stderr
    assert "49" not in output and "PWNED" not in output.replace("echo PWNED", "") and CANARY not in output

    second = front_matter().replace("\n\n正文内容。", "\n---\nrender_macros: true\ntemplate: 404.html\n---\n`{{ 7*7 }}`")
    root = make_project(tmp_path / "b", {ENTRY: second})
    check = run_xxgk(root, "check")
    line = second[: second.index("---\nrender_macros")].count("\n") + 1
    assert check.returncode == 1 and f"{ENTRY_FILE}:{line} 正文开头又有一段由“---”包围的内容" in check.stdout, check.stdout


def test_values_from_data_are_never_template_source(tmp_path):
    root = make_project(tmp_path, {ENTRY: front_matter()})
    orgs = root / "data/orgs.yml"
    orgs.write_text(orgs.read_text(encoding="utf-8").replace("名称: 示例区商务局", "名称: 示例区商务局{{ 7*7 }}"),
                    encoding="utf-8")
    vocab = root / "data/vocab.yml"
    vocab.write_text(vocab.read_text(encoding="utf-8").replace("名称: 商贸、海关、旅游\\国内贸易,",
                                                               "名称: '商贸、海关、旅游\\国内贸易{{ 6*7 }}',"), encoding="utf-8")
    entry = root / "docs/catalog" / ENTRY
    entry.write_text(entry.read_text(encoding="utf-8").replace("国内贸易", "国内贸易{{ 6*7 }}"), encoding="utf-8")
    # A hand-written page cannot opt in to Jinja either: shown as written, as code.
    (root / "docs/about.md").write_text("---\nrender_macros: true\n---\n\n# 关于\n\n`{{ 5*5 }}`\n", encoding="utf-8")
    site = tmp_path / "site"
    build = run_mkdocs_build(root, site)
    # The values are printed as text, never evaluated; braces shown on a page stop the build there (xxgk.pagecheck).
    assert build.returncode == 1 and not site.exists(), build.stderr[-3000:]
    assert "网页 catalog/swj/index.html 中出现模板符号“{{”：“" in build.stderr and "示例区商务局{{ 7*7 }}" in build.stderr
    assert "网页 catalog/by-topic/" in build.stderr and "国内贸易{{ 6*7 }}" in build.stderr
    assert "示例区商务局49" not in build.stderr and "国内贸易42" not in build.stderr and "about/" not in build.stderr
    (root / "data/orgs.yml").write_text((ROOT / "data/orgs.yml").read_text(encoding="utf-8"), encoding="utf-8")
    (root / "data/vocab.yml").write_text((ROOT / "data/vocab.yml").read_text(encoding="utf-8"), encoding="utf-8")
    entry.write_text(front_matter(), encoding="utf-8")
    build = run_mkdocs_build(root, site)
    assert build.returncode == 0, build.stderr[-3000:]
    about = (site / "about/index.html").read_text(encoding="utf-8")
    assert "<code>{{ 5*5 }}</code>" in about and ">25<" not in about
    assert "示例区政府信息公开" in (site / "index.html").read_text(encoding="utf-8")


HOSTILE = [
    '<script>window.__pwned = 1</script>',
    '<iframe srcdoc="<script>parent.__pwned = 1</script>"></iframe>',
    '<img src="x" onerror="window.__pwned = 1">',
    '<a href="javascript:window.__pwned = 1">点击</a>',
    '<a href="data:text/html,<script>alert(1)</script>">点击</a>',
    '<object data="files/x.swf"></object>', '<embed src="files/x.swf">',
    '<form action="https://example.org/"><input name="q"></form>',
    '<script src="files/x.js"></script>',
    '<svg><script>window.__pwned = 1</script></svg>',
    '[点击](javascript:window.__pwned=1)',
]


@pytest.mark.parametrize("markup", HOSTILE)
def test_hostile_html_is_refused_with_its_line(markup):
    assert raw_html_problems(f"第一行\n\n{markup}\n") and raw_html_problems(f"第一行\n\n{markup}\n")[0][0] == 3


@pytest.mark.parametrize("markup", HOSTILE[:-1])
def test_sanitiser_removes_what_runs(markup):
    clean = sanitize(f"<p>文字</p>{markup}").lower()
    for bad in ("<script", "<iframe", "<object", "<embed", "<form", "<input", "onerror", "javascript:", "data:", "<svg"):
        assert bad not in clean, clean


def test_sanitiser_keeps_what_editors_write():
    html = ('<h2 id="yi">一、总体情况</h2><p><strong>加粗</strong> <a href="../files/a.pdf" title="t">链接</a></p>'
            '<table><thead><tr><th style="text-align: center;">项目</th></tr></thead>'
            '<tbody><tr><td colspan="2">1</td></tr></tbody></table><ol start="3"><li>三</li></ol>'
            '<img alt="图" src="files/a.png"><blockquote><p>引</p></blockquote>')
    assert sanitize(html) == html.replace("text-align: center;", "text-align:center")


def test_hostile_html_in_an_entry_and_a_narrative_fails_check_and_build(tmp_path):
    root = make_project(tmp_path, {ENTRY: front_matter() + "\n<script>window.__pwned = 1</script>\n"})
    narrative = root / "docs/reports/swj/2022.md"
    shutil.copytree(ROOT / "data/reports/swj", root / "data/reports/swj")
    shutil.copytree(ROOT / "docs/reports/swj", root / "docs/reports/swj")
    narrative.write_text(narrative.read_text(encoding="utf-8") + '\n<img src="x" onerror="alert(1)">\n', encoding="utf-8")
    check = run_xxgk(root, "check")
    assert check.returncode == 1
    assert f"{ENTRY_FILE}:19 正文中不能使用 HTML 标签 <script>" in check.stdout, check.stdout
    line = narrative.read_text(encoding="utf-8").count("\n")
    assert f"docs/reports/swj/2022.md:{line} 正文中的 HTML 标签不能带事件属性" in check.stdout, check.stdout
    assert run_mkdocs_build(root, tmp_path / "site").returncode != 0


def attachment_project(tmp_path, target: str, make):
    root = make_project(tmp_path, {ENTRY: front_matter(附件=ATTACH % target)})
    folder = root / "docs/catalog/swj/2024"
    make(folder, root)
    return root


SECRET = "SECRET-OUTSIDE-ZQX7"


def _outside(root):
    outside = root.parent / "outside"
    outside.mkdir(exist_ok=True)
    (outside / "secret.csv").write_text(SECRET, encoding="utf-8")
    return outside


@pytest.mark.parametrize("case, target, make, message", [
    ("symlink to a file outside", "files/a.csv",
     lambda f, r: ((f / "files").mkdir(), os.symlink(_outside(r) / "secret.csv", f / "files/a.csv")),
     "是符号链接或位于符号链接的文件夹中"),
    ("symlink to /etc/passwd", "files/passwd.csv",
     lambda f, r: ((f / "files").mkdir(), os.symlink("/etc/passwd", f / "files/passwd.csv")), "是符号链接"),
    ("symlinked folder", "files/secret.csv", lambda f, r: os.symlink(_outside(r), f / "files"), "是符号链接"),
    ("outside the entry's folder", "../../../files/x.csv",
     lambda f, r: ((r / "docs/files").mkdir(), (r / "docs/files/x.csv").write_text("a,b\n")), "必须位于本条目所在的文件夹"),
    ("absolute path", "/etc/passwd", lambda f, r: None, "必须位于本条目所在的文件夹"),
    ("a pipe", "files/pipe.csv", lambda f, r: ((f / "files").mkdir(), os.mkfifo(f / "files/pipe.csv")), "不是普通文件"),
    ("html", "files/a.html", lambda f, r: ((f / "files").mkdir(), (f / "files/a.html").write_text("<script>1</script>")),
     "会在本网站上运行脚本"),
    ("svg", "files/a.svg", lambda f, r: ((f / "files").mkdir(), (f / "files/a.svg").write_text("<svg/>")), "会在本网站上运行脚本"),
    ("js", "files/a.js", lambda f, r: ((f / "files").mkdir(), (f / "files/a.js").write_text("1")), "会在本网站上运行脚本"),
    ("unlisted type", "files/a.exe", lambda f, r: ((f / "files").mkdir(), (f / "files/a.exe").write_bytes(b"MZ")),
     "不在允许的类型中"),
    ("too large", "files/big.zip",
     lambda f, r: ((f / "files").mkdir(), os.truncate(_touch(f / "files/big.zip"), 51 * 1024 * 1024)), "超过 50 MB 的上限"),
])
def test_attachments_are_regular_files_inside_the_entry_folder(tmp_path, case, target, make, message):
    root = attachment_project(tmp_path, target, make)
    check = run_xxgk(root, "check")
    lines = front_matter(附件=ATTACH % target).split("\n")
    line = next(i for i, text in enumerate(lines) if text.startswith("附件:")) + 2  # the line of the item
    assert check.returncode == 1 and f"{ENTRY_FILE}:{line} 字段“附件”：" in check.stdout and message in check.stdout, check.stdout


def _touch(path):
    path.write_bytes(b"")
    return path


def test_nothing_from_outside_or_from_drafts_reaches_the_site(tmp_path):
    """Symlinked folders under docs/, a draft's attachment stored outside its folder, stray files:
    MkDocs would publish them all; none may reach site/."""
    draft = front_matter(索引号=None, 保密审查=None, 草稿="true", 标题="草稿", 附件=ATTACH % "../../../files/x.csv")
    root = make_project(tmp_path, {ENTRY: front_matter(), "swj/2024/draft.md": draft})
    (root / "docs/files").mkdir()
    (root / "docs/files/x.csv").write_text(CANARY, encoding="utf-8")
    (root / "docs/stray.txt").write_text(CANARY, encoding="utf-8")
    (root / "docs/catalog/swj/2024/orphan.pdf").write_bytes(CANARY.encode())
    os.symlink(_outside(root), root / "docs/outside")
    check = run_xxgk(root, "check")
    assert "docs/catalog/swj/2024/draft.md:12 字段“附件”：文件“../../../files/x.csv”必须位于本条目所在的文件夹" in check.stdout
    assert "docs/outside 这是指向文件夹的符号链接" in check.stdout, check.stdout
    assert "docs/stray.txt 这个文件不属于任何页面，不会发布" in check.stdout
    assert "docs/files/x.csv 这个文件不属于任何页面，不会发布" in check.stdout
    assert "docs/catalog/swj/2024/orphan.pdf 没有任何条目在“附件”中列出这个文件" in check.stdout
    site = tmp_path / "site"
    assert run_mkdocs_build(root, site).returncode == 1
    # Without the errors (the link, the draft's path), the build goes on and publishes none of the rest.
    os.unlink(root / "docs/outside")
    (root / "docs/catalog/swj/2024/draft.md").write_text(draft.replace("附件:", "# 附件:").replace("\n  - {名称", "\n#  - {名称"),
                                                         encoding="utf-8")
    build = run_mkdocs_build(root, site)
    assert build.returncode == 0, build.stderr[-3000:]
    leaks = [path for path, text in site_texts(site) if CANARY in text or SECRET in text]
    assert leaks == []
    assert not (site / "files").exists() and not (site / "stray.txt").exists()


def test_special_files_and_wrong_encodings_are_located_errors_not_hangs(tmp_path):
    root = make_project(tmp_path, {ENTRY: front_matter()})
    os.mkfifo(root / "docs/catalog/swj/2024/00002.md")
    (root / "docs/index.md").write_bytes("# Home\n\n示例区".encode("gbk"))
    check = run_xxgk(root, "check")  # subprocess.run has no timeout here: a hang fails the suite's time limit
    assert check.returncode == 1 and "Traceback" not in check.stdout + check.stderr
    assert "docs/catalog/swj/2024/00002.md 这不是普通文件" in check.stdout, check.stdout
    assert "docs/index.md:3 文件不是 UTF-8 编码" in check.stdout
    build = run_mkdocs_build(root, tmp_path / "site")
    assert build.returncode == 1 and "Traceback" not in build.stderr and "docs/index.md:3" in build.stderr


@pytest.mark.parametrize("where", ["index", "page", "asset", "orgs"])
def test_personal_data_outside_the_catalog_is_found(tmp_path, where):
    root = make_project(tmp_path, {ENTRY: front_matter()})
    if where == "index":
        path = root / "docs/index.md"
        path.write_text(path.read_text(encoding="utf-8") + f"\n联系人手机：{MOBILE}\n", encoding="utf-8")
        expected = f"docs/index.md:{path.read_text(encoding='utf-8').count(chr(10))}"
    elif where == "page":
        (root / "docs/about.md").write_text(f"# 关于\n\n联系人手机：{MOBILE}\n", encoding="utf-8")
        expected = "docs/about.md:3"
    elif where == "asset":
        (root / "docs/assets/list.csv").write_text(f"姓名,手机\n某某,{MOBILE}\n", encoding="utf-8")
        expected = "docs/assets/list.csv:2"
    else:
        orgs = root / "data/orgs.yml"
        text = orgs.read_text(encoding="utf-8").replace("电话: 020-87000236", f"电话: {MOBILE}")
        orgs.write_text(text, encoding="utf-8")
        expected = f"data/orgs.yml:{text[:text.index(MOBILE)].count(chr(10)) + 1}"
    check = run_xxgk(root, "check")
    assert check.returncode == 1 and f"{expected} 疑似手机号码" in check.stdout, check.stdout


def test_attachment_links_are_percent_encoded(tmp_path):
    names = ["a b.csv", "c#d.csv", "e?f.csv", "g%h.csv", "i&j.csv", "名单.csv"]
    attachments = "".join(ATTACH % f"'files/{n}'" for n in names)
    root = make_project(tmp_path, {ENTRY: front_matter(附件=attachments)})
    for n in names:
        (root / "docs/catalog/swj/2024/files").mkdir(parents=True, exist_ok=True)
        (root / "docs/catalog/swj/2024/files" / n).write_text(f"内容,{n}\n", encoding="utf-8")
    site = tmp_path / "site"
    assert run_mkdocs_build(root, site).returncode == 0
    hrefs = [a["href"] for a in entry_page(site).select(".xxgk-attachments a")]
    assert hrefs == ["../files/a%20b.csv", "../files/c%23d.csv", "../files/e%3Ff.csv", "../files/g%25h.csv",
                     "../files/i%26j.csv", "../files/%E5%90%8D%E5%8D%95.csv"], hrefs
