"""No page of docs/ is a template (issue 21), and every built page is checked as the visitor receives it
(issue 20): template residue, Markdown left unconverted, a table inside a heading, an empty section."""

import shutil

from bs4 import BeautifulSoup

from conftest import ROOT, front_matter, make_project, run_mkdocs_build, run_xxgk
from test_safety import ENTRY
from xxgk.content import template_syntax
from xxgk.pagecheck import check_html, check_site

PAYLOAD = '{{ lipsum.__globals__.os.popen("id").read() }}'
PAGE = "docs/about.md"


def article(site, page="index.html"):
    return BeautifulSoup((site / page).read_text(encoding="utf-8"), "html.parser").select_one("article")


def test_the_home_page_shows_its_parts_without_any_template_in_docs(demo_site):
    index = (ROOT / "docs/index.md").read_text(encoding="utf-8")
    assert not template_syntax(index) and "{{" not in index  # content only: title and text
    home = article(demo_site)
    assert home.select_one("form.xxgk-search-hero[role=search]") is not None
    assert len(home.select("table.xxgk-catalog tbody tr")) == 15  # 最新公开
    assert len(home.select(".xxgk-latest-reports li")) == 6  # 年度报告
    assert home.select_one("ul.xxgk-sections a[href='guide/']") is not None
    assert [h.get_text() for h in home.select("h2[id]")] == ["最新公开", "年度报告"]


def test_code_in_docs_pages_never_runs_and_is_refused_with_its_line(tmp_path):
    root = make_project(tmp_path, {ENTRY: front_matter()})
    index = root / "docs/index.md"
    index.write_text(index.read_text(encoding="utf-8") + f"\n{PAYLOAD}\n", encoding="utf-8")
    index_line = index.read_text(encoding="utf-8").splitlines().index(PAYLOAD) + 1
    (root / PAGE).write_text(f"---\nrender_macros: true\n---\n\n# 关于\n\n说明{{% include 'mkdocs.yml' %}}\n\n{PAYLOAD}\n",
                             encoding="utf-8")
    check = run_xxgk(root, "check")
    assert check.returncode == 1
    assert f"错误 docs/index.md:{index_line} “{{{{”是模板写法，网站不执行模板" in check.stdout, check.stdout
    assert f"错误 {PAGE}:7 “{{%”是模板写法" in check.stdout and f"错误 {PAGE}:9 “{{{{”是模板写法" in check.stdout
    assert "uid=" not in check.stdout + check.stderr

    # The build stops on the same located errors, before any page is written.
    site = tmp_path / "site"
    build = run_mkdocs_build(root, site)
    assert build.returncode == 1 and "uid=" not in build.stdout + build.stderr
    assert f"docs/index.md:{index_line} “{{{{”是模板写法" in build.stderr, build.stderr[-3000:]
    assert not site.exists() and sorted(p.name for p in tmp_path.iterdir()) == ["project"]


def test_template_syntax_written_as_code_is_shown_as_written(tmp_path):
    root = make_project(tmp_path, {ENTRY: front_matter()})
    index = root / "docs/index.md"
    index.write_text(index.read_text(encoding="utf-8") + f"\n示例：`{PAYLOAD}`\n\n```\n{{% include 'x' %}}\n```\n",
                     encoding="utf-8")
    (root / PAGE).write_text("# 关于\n\n## 联系方式 {#lxfs}\n\n正文 `{{ 5*5 }}`。\n", encoding="utf-8")  # {#lxfs}: Markdown
    # mkdocs.yml cannot make a page a template either: the xxgk plugin turns rendering off on every page.
    config = root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "      render_by_default: false\n", "      render_by_default: true\n      force_render_paths: |\n        /about.md\n"),
        encoding="utf-8")
    assert "force_render_paths" in config.read_text(encoding="utf-8")
    assert run_xxgk(root, "check").returncode == 0
    site = tmp_path / "site"
    build = run_mkdocs_build(root, site)
    assert build.returncode == 0, build.stderr[-3000:]
    html = (site / "index.html").read_text(encoding="utf-8")
    assert "uid=" not in html
    home = article(site)
    assert PAYLOAD in home.select_one("p code").get_text() and "{% include 'x' %}" in home.select_one("pre").get_text()
    assert len(home.select("table.xxgk-catalog tbody tr")) == 1  # the home page still lists the latest entries
    assert home.select_one(".xxgk-latest-reports, .xxgk-empty") is not None
    about = article(site, "about/index.html")
    assert about.select_one("h2#lxfs").get_text() == "联系方式" and about.select_one("code").get_text() == "{{ 5*5 }}"


def test_without_docs_index_the_home_page_is_the_portal_s_parts(tmp_path):
    root = make_project(tmp_path, {ENTRY: front_matter()})
    (root / "docs/index.md").unlink()
    site = tmp_path / "site"
    build = run_mkdocs_build(root, site)
    assert build.returncode == 0, build.stderr[-3000:]
    home = article(site)
    assert home.select_one("h1").get_text() == "示例区政府信息公开"
    assert len(home.select("table.xxgk-catalog tbody tr")) == 1 and home.select_one("form.xxgk-search-hero")


def test_the_page_check_finds_each_fault_and_passes_real_content():
    def faults(body):
        return [f.message for f in check_html(f"<html><body><article>{body}</article></body></html>", "x.html")]

    assert faults("<h2>受理机构 {#sljg}</h2><p>正文</p>")[0].startswith("中出现模板符号“{#”")
    assert "模板符号“{{”" in faults("<p>{{ title }}</p>")[0] and "模板符号“%}”" in faults("<p>if x %}</p>")[0]
    assert "未转换的 Markdown 符号“**”" in faults("<p>**注意</p>")[0]
    assert "未转换的 Markdown 符号“](”" in faults("<p>[附件](files/a.pdf)</p>")[0]
    assert "未转换的 Markdown 符号“##”" in faults("<td>\n## 二、主动公开情况</td>")[0]
    assert "中含有表格或列表" in faults("<h2>受理机构<div><table><tr><td>1</td></tr></table></div></h2>")[0]
    assert "中含有表格或列表" in faults("<h3>依据<ul><li>条例</li></ul></h3><p>x</p>")[0]
    assert "下没有内容，紧接着就是标题“二、”" in faults("<h2>一、</h2><h2>二、</h2><p>x</p>")[0]
    assert "下没有内容" in faults("<h3>（一）</h3>\n<!-- x -->\n<h2>二、</h2><p>x</p>")[0]
    # Real content: code shows braces as written, a subsection follows its heading, 文号 and 索引号 with
    # brackets, a sentence that ends in #, a section that ends the page, asterisks and links in code.
    assert faults("<p>写法：<code>{{ x }}</code></p><pre>{% if %}\n# 注释\n**</pre>"
                  "<h2>一、</h2><h3>（一）</h3><p>示商发〔2024〕5号 [2024] (一) 770010036/2024-00001 C# 第1#楼</p>"
                  "<p>* 注：见 [附表]（第3页）</p><h2>二、</h2>") == []
    # A mark written as a character reference is a mark on the page; blank text between marks is none.
    assert "模板符号“{{”" in faults("<p>&#123;&#123; x</p>")[0] and faults("<p>*</p>\n  \n<p>*</p>") == []
    # A written page with nothing to parse (a lone comment, an instruction) has no fault, and no traceback.
    assert check_html(b"<!-- x -->", "x.html") == [] and check_html("<?pi x?>", "x.html") == []


def test_the_demo_passes_the_page_check(demo_site):
    assert check_site(demo_site) == []


def test_a_template_that_eats_the_blank_line_after_a_heading_fails_the_build(tmp_path):
    """The 受理机构 fault of 9fc1f7c: `{#-` after a heading in apply.md joined the table to the heading."""
    root = make_project(tmp_path, {ENTRY: front_matter()})
    override = root / "overrides/xxgk/apply.md"
    override.parent.mkdir(parents=True, exist_ok=True)
    source = (ROOT / "src/xxgk/templates/xxgk/apply.md").read_text(encoding="utf-8")
    heading = '{{ m.heading(2, "受理机构", "sljg") }}\n\n'
    assert heading in source
    override.write_text(source.replace(heading, heading + "{#- a comment that strips the blank line -#}\n"),
                        encoding="utf-8")
    site = tmp_path / "site"
    build = run_mkdocs_build(root, site)
    assert build.returncode == 1, build.stderr[-2000:]
    assert "生成的页面 apply/index.md（模板在 overrides/ 或 xxgk 自带的 src/xxgk/templates/ 中） 网页 apply/index.html " \
           "中出现模板符号“{#”：“受理机构 {#sljg}" in build.stderr, build.stderr[-3000:]
    assert "网页 apply/index.html 的标题“受理机构 {#sljg}" in build.stderr and "中含有表格或列表" in build.stderr
    assert not site.exists()

    override.unlink()  # the package's own template is right
    assert run_mkdocs_build(root, site).returncode == 0
    h2 = [h.get_text() for h in article(site, "apply/index.html").select("h2")]
    assert h2 == ["填写申请表", "您的申请表", "办理流程", "受理机构"]  # the online form (issue 22), its result, then the rest


def test_no_template_of_the_package_strips_the_line_before_it_in_a_markdown_page():
    """`{#-`, `{%-` or `{{-` at the start of a line of a .md template join that line to the one before,
    a heading's blank line included; only the first line of a file (its header comment) may strip."""
    offenders = []
    for path in sorted((ROOT / "src/xxgk/templates").rglob("*.md")):
        lines = path.read_text(encoding="utf-8").splitlines()
        for number, line in enumerate(lines[1:], start=2):
            before = lines[number - 2]
            if line.lstrip().startswith(("{#-", "{{-")) or (line.lstrip().startswith("{%-") and not before.rstrip().endswith(("%}", ">"))):
                offenders.append(f"{path.relative_to(ROOT)}:{number}")
    assert offenders == []


def test_a_generated_portal_of_1000_entries_passes_the_page_check(tmp_path):
    """bench/generate_portal.py, 1,000 entries (about 20 s). The demo's annual reports are left out:
    the generator numbers its entries without regard to them, so their 索引号 would clash."""
    import sys
    sys.path.insert(0, str(ROOT / "bench"))
    import generate_portal

    project = generate_portal.generate(tmp_path / "project", 1000)
    for folder in ("data/reports", "docs/reports"):
        shutil.rmtree(project / folder)
    site = tmp_path / "site"
    build = run_mkdocs_build(project, site)
    assert build.returncode == 0, build.stderr[-3000:]  # the plugin ran the page check
    pages = list(site.rglob("*.html"))
    assert len(pages) > 1000 and check_site(site) == []


def test_xxgk_build_stops_on_a_page_that_shows_markdown_and_an_empty_section(tmp_path):
    root = make_project(tmp_path, {ENTRY: front_matter()})
    (root / PAGE).write_text("# 关于\n\n**请注意：本页内容\n\n## 一、\n\n## 二、\n\n内容。\n", encoding="utf-8")
    assert run_xxgk(root, "check").returncode == 0  # nothing a source check can see
    build = run_xxgk(root, "build")
    assert build.returncode == 1 and not (root / "site").exists()
    assert f"错误 {PAGE} 网页 about/index.html 中出现未转换的 Markdown 符号“**”：“**请注意：本页内容”" in build.stderr, build.stderr
    assert f"错误 {PAGE} 网页 about/index.html 的标题“一、”下没有内容，紧接着就是标题“二、”" in build.stderr
    assert "Traceback" not in build.stderr and "生成的网页有 2 处问题，已停止构建" in build.stderr
