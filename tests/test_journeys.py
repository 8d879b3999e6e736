"""Journeys (issue 20): the README walked as a user walks it, on a fresh copy of the project, with the real commands
(`./xxgk`, `make`, the CI configuration's own scripts), on several dates including the real date of the run.

Each journey is a module fixture that runs the steps and keeps what each printed; the tests read those outputs and
the built sites. A step that goes wrong does not stop the journey: later tests show what the user would see next.
The copies share the project's .venv (and node_modules) through symlinks with their own install stamps, so that
nothing is reinstalled and nothing is installed into the shared ones.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
import threading
import time
from dataclasses import dataclass, field
from datetime import date
from http.server import ThreadingHTTPServer
from pathlib import Path

import pytest
import yaml
from docx import Document
from lxml import html as lxml_html

from conftest import ROOT, TODAY, Quiet, free_port
from docx_support import gongwen
from init_support import DISTRICT_YAML, english_words
from xxgk.search.pagefind_files import fragments

REAL_TODAY = date.today()
# The tests' pinned day, the real day of the run, and the first working Monday of next year (numbering and the
# annual reports turn over at New Year).
DATES = sorted({date.fromisoformat(TODAY), REAL_TODAY, date(REAL_TODAY.year + 1, 1, 4)})
REVIEWERS = (("业务科室", "王明"), ("信息发布人", "李华"), ("分管领导", "张强"))
TOPIC = "商贸、海关、旅游\\国内贸易"
DECAP_SERVER = ROOT / "node_modules/decap-server/dist/index.js"


# --- a fresh copy, as `git clone` gives it ------------------------------------------------------------------------

def share_tools(root: Path, node: bool = True) -> None:
    """The project's .venv (and node_modules) inside `root` through symlinks, with install stamps of the copy's own
    that are newer than its pyproject.toml and package-lock.json: make never reinstalls, never into the shared ones."""
    earlier = time.time() - 3600  # the copy's sources, older than its stamps: make sees nothing to install
    for name in ("pyproject.toml", "package-lock.json"):
        if (root / name).is_file():
            os.utime(root / name, (earlier, earlier))
    venv = root / ".venv"
    venv.mkdir(exist_ok=True)
    for item in (ROOT / ".venv").iterdir():
        if not item.name.startswith((".installed", "install", "edit")) and not (venv / item.name).exists():
            (venv / item.name).symlink_to(item)
    (venv / ".installed").touch()
    if node and (ROOT / "node_modules").is_dir() and not (root / "node_modules").exists():
        modules = root / "node_modules"
        modules.mkdir()
        for item in (ROOT / "node_modules").iterdir():
            if item.name != ".installed":
                (modules / item.name).symlink_to(item)
        (modules / ".installed").touch()


def fresh_copy(root: Path) -> Path:
    """The project's tracked files (`git ls-files`), as a clone has them."""
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    for name in filter(None, listed.decode().split("\0")):
        if (ROOT / name).is_file():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, root / name)
    share_tools(root)
    return root


def run(root: Path, *command: str, env: dict | None = None, timeout: int = 300) -> subprocess.CompletedProcess:
    environment = dict(os.environ, **(env or {}))
    for name in ("CI", "GITLAB_CI", "GITHUB_ACTIONS", "MAKEFLAGS", "MFLAGS", "MAKELEVEL"):
        environment.pop(name, None)
    return subprocess.run(list(command), cwd=root, env=environment, capture_output=True, text=True, timeout=timeout)


def xxgk(root: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """`./xxgk …` in the portal's folder, as the README says to run it."""
    return run(root, "./xxgk", *args, env=env)


def said(result: subprocess.CompletedProcess) -> str:
    return f"[exit {result.returncode}]\n{result.stdout}\n{result.stderr}"


COMMAND_WORDS = {"git", "add", "assign", "report", "edit", "test", "README", "npm"}  # named in hints: `git add`, README“…”


def assert_chinese(result: subprocess.CompletedProcess) -> None:
    """What the user reads: no traceback and no English besides commands, paths and file names."""
    output = result.stdout + result.stderr
    assert "Traceback" not in output, said(result)
    output = re.sub(r"\{\{.*?\}\}", " ", output)  # a quoted template call, e.g. {{ catalog_table() }}: code, as paths are
    assert not english_words(output) - COMMAND_WORDS, (english_words(output), said(result))


def created(result: subprocess.CompletedProcess, root: Path) -> Path:
    """The entry file a command says it created."""
    match = re.search(r"(docs/catalog/\S+?\.md)", result.stdout)
    assert match, said(result)
    return root / match.group(1)


def fill_entry(path: Path, day: date, body: str, topic: str = TOPIC) -> None:
    """What the README asks of the editor after `new` or `import`: a 主题分类, the three reviews, the text, and
    “草稿: true” deleted; written in the file as anyone with a text editor would."""
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"^主题分类:[ \t]*$", f"主题分类: {topic}", text, count=1, flags=re.M)
    text = re.sub(r"^信息类别:[ \t]*$", "信息类别: 部门动态", text, count=1, flags=re.M)
    for role, name in REVIEWERS:
        text = re.sub(rf"^  {role}: \{{审查人: *, 日期: *\}}$", f"  {role}: {{审查人: {name}, 日期: {day}}}", text,
                      count=1, flags=re.M)
    text = text.replace("草稿: true\n", "").replace("在此撰写正文。", body)
    pictures = re.findall(r"文件: (files/[^,}\n]+\.png)", text)
    if pictures:  # pictures cannot be scanned for personal data: looked at and recorded, as the import asks
        waivers = "".join(f"\n  - {{文件: {p}, 理由: 已人工核查，无个人信息}}" for p in pictures)
        text = text.replace("\n---\n", f"\n隐私豁免:{waivers}\n---\n", 1)
    path.write_text(text, encoding="utf-8")


def page_of(site: Path, root: Path, entry: Path) -> Path:
    return site / entry.relative_to(root / "docs").with_suffix("") / "index.html"


def url_of(root: Path, entry: Path) -> str:
    return "/" + entry.relative_to(root / "docs").with_suffix("").as_posix() + "/"


def search_records(site: Path) -> dict:
    return {record["url"]: record for record in fragments(site / "pagefind")}


RESIDUE = re.compile(r"\{#|#\}|\{%|%\}|\{\{|\}\}|\{[#.:][\w-]+\}")


def template_residue(site: Path) -> list[str]:
    """`page: text` for visible text of a built page that still holds template syntax or a heading attribute."""
    found = []
    for path in sorted(site.rglob("*.html")):
        if "admin" in path.relative_to(site).parts:
            continue
        tree = lxml_html.fromstring(path.read_bytes())
        for bad in tree.xpath("//script|//style|//template"):
            bad.drop_tree()
        for text in tree.xpath("//body//text()"):
            if RESIDUE.search(text):
                found.append(f"{path.relative_to(site).as_posix()}: {text.strip()[:80]}")
    return found


@dataclass
class Journey:
    root: Path
    day: date
    steps: dict[str, subprocess.CompletedProcess] = field(default_factory=dict)
    files: dict[str, Path] = field(default_factory=dict)
    site: Path | None = None


# --- the demo, on each date: new → fill → check → build; report new → fill → report check → check → build ----------

def next_serial(root: Path, org: str, year: int) -> int:
    folder = root / "docs/catalog" / org / str(year)
    numbers = [int(p.stem) for p in folder.glob("*.md") if p.stem.isdigit()] if folder.is_dir() else []
    return max(numbers, default=0) + 1


def fill_report(root: Path, org: str, year: int, day: date, number: str) -> None:
    data = root / f"data/reports/{org}/{year}.yml"
    text = data.read_text(encoding="utf-8").replace("草稿: true\n", "")
    text = re.sub(r"^发布日期:.*$", f"发布日期: {day}", text, count=1, flags=re.M)
    text = re.sub(r"^索引号:.*$", f"索引号: {number}", text, count=1, flags=re.M)
    data.write_text(text, encoding="utf-8")
    narrative = root / f"docs/reports/{org}/{year}.md"
    text = re.sub(r"^（请填写。.*）$", "本年度坚持以公开为常态，旅程测试所写的段落。", narrative.read_text(encoding="utf-8"),
                  flags=re.M)
    narrative.write_text(text, encoding="utf-8")


@pytest.fixture(scope="module", params=DATES, ids=str)
def demo_day(request, tmp_path_factory):
    day = request.param
    tmp = tmp_path_factory.mktemp(f"demo-{day}")
    journey = Journey(fresh_copy(tmp / "示例门户"), day)
    root, today = journey.root, ["--today", day.isoformat()]
    title = f"示例区商务局关于举办{day.year}年{day.month}月{day.day}日社区消费季活动的通知"
    journey.files["title"] = title
    journey.steps["new"] = new = xxgk(root, "new", "swj", "--title", title, "--category", "部门动态", *today)
    if new.returncode == 0:
        journey.files["entry"] = entry = created(new, root)
        fill_entry(entry, day, "为激发社区消费活力，定于本月举办社区消费季活动，欢迎居民参加。")
    # The annual report of the year before, published on this day with the next free number of its organisation.
    year = day.year - 1
    journey.steps["report new"] = xxgk(root, "report", "new", "swj", str(year), *today)
    number = f"770010036/{day.year}-{next_serial(root, 'swj', day.year):05d}"
    if journey.steps["report new"].returncode == 0:
        fill_report(root, "swj", year, day, number)
    journey.files["report year"] = year
    journey.steps["report check"] = xxgk(root, "report", "check", f"data/reports/swj/{year}.yml", *today)
    journey.steps["check"] = xxgk(root, "check", *today)
    journey.site = tmp / "site"
    journey.steps["build"] = xxgk(root, "build", *today, "--site", str(journey.site))
    # Every organisation's editor starts a draft the same day: the catalog stays publishable.
    for org in ("qzf", "swj", "fgj", "czj", "scjgj", "jyj"):
        journey.steps[f"new {org}"] = xxgk(root, "new", org, "--title", f"{org}旅程测试草稿", "--category", "部门动态",
                                           *today)
    journey.steps["check after every new"] = xxgk(root, "check", *today)
    # A report whose number is still missing gets one from `assign`, as entries do. `report new` numbers the
    # report itself (by its expected publication year); its value is deleted, as the data file's own comment says
    # to do when the report is published in another year.
    journey.steps["report new without number"] = xxgk(root, "report", "new", "swj", str(day.year - 2), *today)
    older = root / f"data/reports/swj/{day.year - 2}.yml"
    if older.is_file():
        text = re.sub(r"^发布日期:.*$", f"发布日期: {day}", older.read_text(encoding="utf-8"), count=1, flags=re.M)
        older.write_text(re.sub(r"^索引号:.*$", "索引号:", text, count=1, flags=re.M), encoding="utf-8")
    journey.files["older report"] = older
    journey.steps["assign report"] = xxgk(root, "assign", str(older.relative_to(root)), *today)
    return journey


def test_demo_new_entry_is_on_the_site_and_in_search(demo_day):
    steps, root, site = demo_day.steps, demo_day.root, demo_day.site
    for name in ("new", "check", "build"):
        assert steps[name].returncode == 0, (name, said(steps[name]))
        assert_chinese(steps[name])
    entry = demo_day.files["entry"]
    assert entry.parent.name == str(demo_day.day.year)
    page = page_of(site, root, entry)
    assert page.is_file(), page
    html = page.read_text(encoding="utf-8")
    assert demo_day.files["title"] in html and "社区消费季活动" in html
    records = search_records(site)
    record = records.get(url_of(root, entry))
    assert record, sorted(records)[-5:]
    assert record["meta"]["title"] == demo_day.files["title"]
    assert "社区消费季活动" in record["content"].replace("\u200b", "")


def test_demo_annual_report_from_new_to_its_word_download(demo_day):
    steps, root, site, year = demo_day.steps, demo_day.root, demo_day.site, demo_day.files["report year"]
    for name in ("report new", "report check", "check", "build"):
        assert steps[name].returncode == 0, (name, said(steps[name]))
        assert_chinese(steps[name])
    assert "检查通过" in steps["report check"].stdout or "0 个错误" in steps["report check"].stdout, said(
        steps["report check"])
    page = site / f"reports/swj/{year}/index.html"
    assert page.is_file()
    html = page.read_text(encoding="utf-8")
    assert "旅程测试所写的段落" in html and "请填写" not in html
    download = site / f"reports/swj/{year}/swj-{year}.docx"
    assert download.is_file() and f"swj-{year}.docx" in html
    text = "\n".join(p.text for p in Document(str(download)).paragraphs)
    assert "旅程测试所写的段落" in text and "请填写" not in text


def test_demo_a_draft_for_every_organisation_keeps_the_catalog_publishable(demo_day):
    """issue 20 §1 (numbering): `new` draws from the one sequence that reports share."""
    steps = demo_day.steps
    for org in ("qzf", "swj", "fgj", "czj", "scjgj", "jyj"):
        assert steps[f"new {org}"].returncode == 0, said(steps[f"new {org}"])
    check = steps["check after every new"]
    assert check.returncode == 0 and "已被" not in check.stdout, said(check)


def test_demo_assign_gives_a_report_its_number(demo_day):
    """issue 20 §1 (numbering): `assign` numbers a report as it numbers an entry."""
    assert demo_day.steps["report new without number"].returncode == 0, said(demo_day.steps["report new without number"])
    assigned = demo_day.steps["assign report"]
    assert assigned.returncode == 0, said(assigned)
    assert_chinese(assigned)
    text = demo_day.files["older report"].read_text(encoding="utf-8")
    assert re.search(rf"^索引号: 770010036/{demo_day.day.year}-\d{{5}}", text, re.M), text[:600]


def test_demo_built_pages_hold_no_template_residue(demo_day):
    """issue 20 §3 (pages): e.g. the 依申请公开 page's “受理机构 {#sljg}” heading."""
    assert demo_day.steps["build"].returncode == 0, said(demo_day.steps["build"])
    assert not template_residue(demo_day.site), template_residue(demo_day.site)[:10]


# --- a new district in a new folder: make check, its CI jobs, ./xxgk new, make edit, Word import -------------------

def ci_jobs(root: Path) -> dict:
    return yaml.safe_load((root / ".gitlab-ci.yml").read_text(encoding="utf-8"))


def run_ci_job(root: Path, job: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """The `script` lines of a job of the portal's own .gitlab-ci.yml, in one shell as the runner does
    (before_script installs Debian packages this machine has)."""
    script = "set -e\n" + "\n".join(line for line in ci_jobs(root)[job]["script"] if not line.startswith("apt-get"))
    return run(root, "bash", "-c", script, env=env, timeout=600)


@pytest.fixture(scope="module")
def new_folder(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("district")
    (tmp / "本区.yml").write_text(DISTRICT_YAML, encoding="utf-8")
    root = tmp / "东城区门户"
    journey = Journey(root, REAL_TODAY)
    # README step 3, from the xxgk project folder: .venv/bin/xxgk init ../东城区门户 --from ../本区.yml
    journey.steps["init"] = run(ROOT, str(ROOT / ".venv/bin/xxgk"), "init", str(root), "--from", str(tmp / "本区.yml"))
    if journey.steps["init"].returncode:
        return journey
    share_tools(root, node=False)  # web editing is off: make must never need node_modules
    journey.steps["make check"] = run(root, "make", "check")
    journey.steps["make edit"] = run(root, "make", "edit", timeout=60)
    journey.steps["ci test"] = run_ci_job(root, "test")
    journey.steps["ci pages"] = run_ci_job(root, "pages")
    for day in DATES:
        today = ["--today", day.isoformat()]
        new = journey.steps[f"new {day}"] = xxgk(root, "new", "swj", "--title", f"东城区商务局{day}工作动态",
                                                 "--category", "部门动态", *today)
        if new.returncode == 0:
            journey.files[f"new {day}"] = entry = created(new, root)
            fill_entry(entry, day, f"{day}，区商务局召开专题会议，部署社区消费季工作。")
        journey.steps[f"check {day}"] = xxgk(root, "check", *today)

    # Word import (README 导入 Word 文档和打印审查单) → review sheet → reviews filled → 草稿 deleted → build.
    day = REAL_TODAY
    source = gongwen(tmp / "关于开展消费促进月活动的通知.docx", doc_no=f"东商发〔{day.year}〕5号",
                     title=f"东城区商务局关于开展{day.year}年消费促进月活动的通知",
                     date_line=f"{day.year}年{day.month}月{day.day}日",
                     body_extra=["三、工作要求", "各单位要高度重视，认真组织实施。", "附件：区级老字号申报表"])
    before = set((root / "docs/catalog").rglob("*.md"))
    journey.steps["import"] = xxgk(root, "import", str(source), "--category", "部门动态")
    imported = sorted(set((root / "docs/catalog").rglob("*.md")) - before)
    if len(imported) == 1:
        journey.files["imported"] = entry = imported[0]
        journey.steps["review sheet"] = xxgk(root, "review-sheet", str(entry.relative_to(root)),
                                             "--out", str(tmp / "审查单.docx"))
        journey.files["sheet"] = tmp / "审查单.docx"
        fill_entry(entry, day, "")
        journey.steps["review sheet signed"] = xxgk(root, "review-sheet", str(entry.relative_to(root)),
                                                    "--out", str(tmp / "审查单-已审.docx"))
        journey.files["signed sheet"] = tmp / "审查单-已审.docx"
    journey.steps["check after import"] = run(root, "make", "check")
    journey.steps["make build"] = run(root, "make", "build")
    journey.site = root / "site"
    return journey


def test_init_into_a_new_folder_gives_a_portal_its_own_ci_can_run(new_folder):
    steps, root = new_folder.steps, new_folder.root
    assert steps["init"].returncode == 0, said(steps["init"])
    assert_chinese(steps["init"])
    for name in ("make check", "ci test", "ci pages"):
        assert steps[name].returncode == 0, (name, said(steps[name]))
        assert_chinese(steps[name])
    assert "共 0 个错误" in steps["make check"].stdout, said(steps["make check"])
    assert (root / "public/index.html").is_file()  # the pages job publishes public/
    # Web editing is off in a new district: npm was never needed.
    assert not (root / "node_modules").exists()
    assert "npm" not in steps["ci test"].stdout + steps["ci pages"].stdout


def test_make_edit_in_a_new_district_says_web_editing_is_off(new_folder):
    result = new_folder.steps["make edit"]
    assert result.returncode != 0, said(result)
    assert "没有开启网页编辑" in result.stderr and "启用: true" in result.stderr, said(result)
    assert "http://127.0.0.1:8000/admin/" not in result.stdout + result.stderr
    # make's own last line (“make: *** [Makefile:…: edit] Error 1”) is GNU make's and cannot be translated.
    assert not english_words(result.stdout + "\n".join(line for line in result.stderr.splitlines()
                                                         if not line.startswith("make: ***"))) - COMMAND_WORDS


def test_new_entries_on_every_date_pass_the_check(new_folder):
    for day in DATES:
        new, check = new_folder.steps[f"new {day}"], new_folder.steps[f"check {day}"]
        assert new.returncode == 0, said(new)
        assert_chinese(new)
        assert new_folder.files[f"new {day}"].parent.name == str(day.year)
        assert check.returncode == 0 and "共 0 个错误" in check.stdout, (day, said(check))
        assert_chinese(check)
    # Published on the real day (make build has no --today): that day's entry is on the site, a later one is not.
    site, root = new_folder.site, new_folder.root
    assert new_folder.steps["make build"].returncode == 0, said(new_folder.steps["make build"])
    for day in DATES:
        assert page_of(site, root, new_folder.files[f"new {day}"]).is_file() == (day <= REAL_TODAY), day


def test_word_import_review_sheet_publish_build(new_folder):
    steps, root, site = new_folder.steps, new_folder.root, new_folder.site
    assert steps["import"].returncode == 0, said(steps["import"])
    assert_chinese(steps["import"])
    entry = new_folder.files["imported"]
    for name in ("review sheet", "review sheet signed", "check after import", "make build"):
        assert steps[name].returncode == 0, (name, said(steps[name]))
        assert_chinese(steps[name])
    title = f"东城区商务局关于开展{REAL_TODAY.year}年消费促进月活动的通知"
    blank = "\n".join(cell.text for table in Document(str(new_folder.files["sheet"])).tables
                      for row in table.rows for cell in row.cells)
    signed = "\n".join(cell.text for table in Document(str(new_folder.files["signed sheet"])).tables
                       for row in table.rows for cell in row.cells)
    assert title in blank and "王明" not in blank
    assert all(name in signed for _, name in REVIEWERS)
    html = page_of(site, root, entry).read_text(encoding="utf-8")
    assert title in html and "活动时间" in html
    record = search_records(site).get(url_of(root, entry))
    assert record and record["meta"]["title"] == title


def test_word_import_keeps_the_shape_of_the_gongwen(new_folder):
    """issue 20 §4 (wordimp): numbered headings stay headings, the 落款 is not body text, a named 附件 is asked for."""
    entry, site, root = new_folder.files["imported"], new_folder.site, new_folder.root
    assert "区级老字号申报表" in new_folder.steps["import"].stdout, said(new_folder.steps["import"])
    tree = lxml_html.fromstring(page_of(site, root, entry).read_bytes())
    headings = [h.text_content().strip() for h in tree.xpath("//article//*[self::h2 or self::h3 or self::h4]")]
    assert any(h.startswith("三、工作要求") for h in headings), headings
    # The 落款 is not one more paragraph of the body, beside “各单位要高度重视…” and like it.
    [body] = [p for p in tree.xpath("//article//p") if p.text_content().strip() == "各单位要高度重视，认真组织实施。"]
    plain = [p.text_content().strip() for p in body.getparent().iterchildren("p")
             if not p.get("class") and not p.get("style")]
    date_line = f"{REAL_TODAY.year}年{REAL_TODAY.month}月{REAL_TODAY.day}日"
    assert "东城区商务局" not in plain and date_line not in plain, plain[-5:]


def test_review_sheet_is_an_a4_paper_with_blank_opinions(new_folder):
    """issue 20 §4 (wordimp): A4 with GB/T 9704 margins; 审查意见 left for the reviewer to write."""
    document = Document(str(new_folder.files["signed sheet"]))
    section = document.sections[0]
    assert abs(section.page_width.mm - 210) < 1 and abs(section.page_height.mm - 297) < 1
    assert [round(m.mm) for m in (section.top_margin, section.bottom_margin, section.left_margin,
                                  section.right_margin)] == [37, 35, 28, 26]
    text = "\n".join(cell.text for table in document.tables for row in table.rows for cell in row.cells)
    assert "同意发布" not in text


def test_new_district_pages_hold_no_template_residue(new_folder):
    assert new_folder.steps["make build"].returncode == 0, said(new_folder.steps["make build"])
    assert not template_residue(new_folder.site), template_residue(new_folder.site)[:10]


# --- the demo turned into the district's portal in place; web editing switched on; the browser; CI numbering -------

def git(root: Path, *args: str) -> subprocess.CompletedProcess:
    return run(root, "git", "-c", "user.name=编辑", "-c", "user.email=editor@example.invalid", *args)


@pytest.fixture(scope="module")
def in_place(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("in-place")
    (tmp / "本区.yml").write_text(DISTRICT_YAML, encoding="utf-8")
    journey = Journey(fresh_copy(tmp / "门户"), REAL_TODAY)
    root = journey.root
    journey.steps["init refused"] = xxgk(root, "init", "--from", "../本区.yml")
    journey.steps["init"] = xxgk(root, "init", "--from", "../本区.yml", "--replace-demo")
    journey.steps["make check"] = run(root, "make", "check")
    journey.steps["make build"] = run(root, "make", "build")
    journey.site = root / "site"
    journey.steps["new"] = new = xxgk(root, "new", "swj", "--title", "东城区商务局关于旅程测试的通知", "--category", "部门动态")
    if new.returncode == 0:
        journey.files["new"] = entry = created(new, root)
        fill_entry(entry, REAL_TODAY, "旅程测试：本局召开会议。")
    journey.steps["check"] = xxgk(root, "check")
    # The editor puts a notice on the home page; what it says is content, never a template to run.
    home = root / "docs/index.md"
    home.write_text(home.read_text(encoding="utf-8") + f"\n{HOME_NOTICE}\n", encoding="utf-8")
    journey.files["home site"] = tmp / "site-home"
    journey.steps["home build"] = xxgk(root, "build", "--site", str(journey.files["home site"]))
    home.write_text(home.read_text(encoding="utf-8").replace(f"\n{HOME_NOTICE}\n", ""), encoding="utf-8")
    return journey


HOME_NOTICE = "公告：申请表中“{{ 7*7 }}”一类的花括号是模板占位符，填写时请删去。"


def test_init_in_place_then_make_check_build_new(in_place):
    steps = in_place.steps
    assert steps["init refused"].returncode == 1 and "--replace-demo" in steps["init refused"].stderr
    for name in ("init", "make check", "make build", "new", "check"):
        assert steps[name].returncode == 0, (name, said(steps[name]))
        assert_chinese(steps[name])
    assert (in_place.site / "index.html").is_file()
    assert "东城区政府信息公开" in (in_place.site / "index.html").read_text(encoding="utf-8")
    assert in_place.files["new"].name == "00001.md"


def test_the_home_page_is_content_not_a_template(in_place):
    """issue 20 §4 (pages): no docs/ page is a template. The notice shows as written, or the build refuses it
    with a Chinese message that names docs/index.md; it is never evaluated."""
    build = in_place.steps["home build"]
    assert "Traceback" not in build.stdout + build.stderr, said(build)
    if build.returncode:
        assert "docs/index.md" in build.stdout + build.stderr, said(build)
        assert_chinese(build)
        return
    home = (in_place.files["home site"] / "index.html").read_text(encoding="utf-8")
    assert "花括号是模板占位符" in home
    assert "{{ 7*7 }}" in home.replace("&#123;", "{").replace("&#125;", "}") and "“49”" not in home


def test_in_place_pages_hold_no_template_residue(in_place):
    assert in_place.steps["make build"].returncode == 0, said(in_place.steps["make build"])
    assert not template_residue(in_place.site), template_residue(in_place.site)[:10]


@pytest.mark.skipif(not DECAP_SERVER.is_file(), reason="npm ci has not installed decap-server")
def test_web_editor_local_mode_entry_numbered_by_ci_then_checked(in_place, browser_page, tmp_path):
    from playwright.sync_api import expect

    root = in_place.root
    # README 网页编辑: switched on in data/portal.yml, the district's own repository named.
    portal = root / "data/portal.yml"
    text = portal.read_text(encoding="utf-8")
    text = re.sub(r"^  启用: false.*$", "  启用: true", text, count=1, flags=re.M)
    text = re.sub(r"^  # (后端:|  类型:|  仓库:|  分支:)(.*)$", r"  \1\2", text, flags=re.M)
    text = text.replace("仓库: 组/项目", "仓库: dongcheng/xxgk")
    portal.write_text(text, encoding="utf-8")
    # The repository, its server (a bare repository) and the branch Decap would open for the new entry.
    origin = tmp_path / "origin.git"
    assert run(tmp_path, "git", "init", "-q", "--bare", "-b", "main", str(origin)).returncode == 0
    for command in (("init", "-q", "-b", "main"), ("add", "-A"), ("commit", "-qm", "建立本区门户"),
                    ("remote", "add", "origin", str(origin)), ("push", "-q", "origin", "main"),
                    ("checkout", "-qb", "cms/catalog/swj/new-entry")):
        result = git(root, *command)
        assert result.returncode == 0, said(result)

    port = free_port()
    site = tmp_path / "site-editor"  # the editor is its own site, never part of the public one (issue 22)
    build = xxgk(root, "build", "--editor", "--site", str(site), env={"XXGK_EDIT_PORT": str(port)})
    assert build.returncode == 0, said(build)
    env = dict(os.environ, PORT=str(port), BIND_HOST="127.0.0.1", GIT_REPO_DIRECTORY=str(root), MODE="fs")
    server = subprocess.Popen(["node", str(DECAP_SERVER)], env=env, stdout=subprocess.PIPE, text=True)
    http = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    try:
        for line in server.stdout:  # ready when it says it listens
            if "listening" in line:
                break
        threading.Thread(target=server.stdout.read, daemon=True).start()
        threading.Thread(target=http.serve_forever, daemon=True).start()
        page = browser_page
        page.goto(f"http://127.0.0.1:{http.server_port}/admin/")
        page.get_by_role("button", name="登录").click()
        page.get_by_text("＋ 目录条目").click()
        page.get_by_label("标题", exact=True).fill("东城区商务局关于网页编辑旅程的通知")
        page.get_by_label("发布机构", exact=True).fill("东城区商务局")
        page.keyboard.press("Enter")
        page.get_by_label("成文日期", exact=True).fill(REAL_TODAY.isoformat())
        page.get_by_label("发布日期", exact=True).fill(REAL_TODAY.isoformat())
        page.get_by_label("主题分类", exact=True).fill("国内贸易")
        page.keyboard.press("Enter")
        page.get_by_label("信息类别", exact=True).fill("部门动态")
        page.keyboard.press("Enter")
        for index, (_, name) in enumerate(REVIEWERS):
            page.get_by_label("审查人 (可选)").nth(index).fill(name)
            page.get_by_label("日期 (可选)").nth(index).fill(REAL_TODAY.isoformat())
        page.locator('[data-slate-editor="true"]').last.click()
        page.keyboard.type("网页编辑旅程：本局召开会议。")
        page.get_by_role("button", name="发布", exact=True).click()
        page.get_by_role("menuitem", name="立即发布").click()
        expect(page.get_by_text("内容已保存")).to_be_visible()
    finally:
        http.shutdown()
        server.terminate()
        server.wait()

    [written] = [p for p in (root / "docs/catalog/swj").rglob("*.md") if not p.stem.isdigit()]
    assert "索引号" not in written.read_text(encoding="utf-8")
    for command in (("add", "-A", "docs"), ("commit", "-qm", "新建目录条目")):
        assert git(root, *command).returncode == 0
    # The merge request's CI job of the portal's own .gitlab-ci.yml (`entries`): numbering, commit, push, check.
    entries = run_ci_job(root, "entries", env={"CI_MERGE_REQUEST_TARGET_BRANCH_NAME": "main",
                                               "CI_MERGE_REQUEST_SOURCE_BRANCH_NAME": "cms/catalog/swj/new-entry"})
    assert entries.returncode == 0, said(entries)
    # The CI log, besides make's “make: '.venv/.installed' is up to date.”, which only a runner's log shows.
    assert not english_words("\n".join(line for line in (entries.stdout + entries.stderr).splitlines()
                                       if not line.startswith("make:"))) - COMMAND_WORDS, said(entries)
    # What reaches the server's branch is the numbered entry, under the name of its serial.
    pushed = run(origin, "git", "ls-tree", "-r", "--name-only", "cms/catalog/swj/new-entry", "docs/catalog/swj")
    names = [n for n in pushed.stdout.split() if n.endswith(".md")]
    assert not [n for n in names if not Path(n).stem.isdigit()], names
    numbered = [n for n in names if n != in_place.files["new"].relative_to(root).as_posix()]
    assert len(numbered) == 1, names
    shown = run(origin, "git", "show", f"cms/catalog/swj/new-entry:{numbered[0]}").stdout
    assert re.search(rf"^索引号: 110101036/{REAL_TODAY.year}-\d{{5}}", shown, re.M), shown[:400]
    assert "网页编辑旅程" in shown
    check = run(root, "make", "check")
    assert check.returncode == 0 and "共 0 个错误" in check.stdout, said(check)
    assert git(root, "status", "--porcelain", "docs").stdout == ""  # nothing left behind uncommitted


# --- installation: one Chinese line per step, the tools' own output in .venv/install.log -------------------------

FAKE_PYTHON3 = """#!/bin/sh
# python3 of a machine without the project's .venv: `-m venv DIR` makes a venv whose pip talks as pip does.
if [ "$1 $2" = "-m venv" ]; then
  [ "$3" = "--help" ] && exit 0
  mkdir -p "$3/bin"
  cat > "$3/bin/python" <<'PY'
#!/bin/sh
case "$*" in
  *"-m pip"*) echo "Collecting mkdocs (from xxgk==0.1.0)"; echo "WARNING: Location is ignored" >&2; exit ${FAIL_PIP:-0} ;;
  *"-m xxgk.editstatus"*) exit 0 ;;
esac
PY
  printf '#!/bin/sh\\necho "已检查 0 个条目。"\\n' > "$3/bin/xxgk"
  chmod +x "$3/bin/python" "$3/bin/xxgk"
  exit 0
fi
exit 1
"""
FAKE_NPM = """#!/bin/sh
echo "npm warn deprecated inflight@1.0.6: This module is not supported"
mkdir -p node_modules
"""


def test_first_install_speaks_chinese_and_keeps_the_tools_output_in_a_log(tmp_path):
    """make build on a fresh clone (web editing on): what the user sees is one Chinese line per step; pip's and
    npm's English goes to .venv/install.log, which a failure names. Python and npm are stand-ins: no install."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for name, text in (("python3", FAKE_PYTHON3), ("npm", FAKE_NPM)):
        (bin_dir / name).write_text(text, encoding="utf-8")
        (bin_dir / name).chmod(0o755)
    root = tmp_path / "portal"
    root.mkdir()
    for name in ("Makefile", "pyproject.toml", "package-lock.json"):
        shutil.copy2(ROOT / name, root / name)
    env = {"PATH": f"{bin_dir}:{os.environ['PATH']}"}

    build = run(root, "make", "build", env=env)
    assert build.returncode == 0, said(build)
    lines = build.stdout.splitlines()
    steps = [next(i for i, line in enumerate(lines) if word in line) for word in ("创建虚拟环境", "安装依赖", "安装网页编辑组件")]
    assert steps == sorted(steps), lines
    assert not english_words(build.stdout + build.stderr) - COMMAND_WORDS, said(build)
    log = (root / ".venv/install.log").read_text(encoding="utf-8")
    assert "Collecting mkdocs" in log and "WARNING" in log and "npm warn" in log

    (root / "pyproject.toml").touch()  # a new dependency: pip runs again, and fails
    failed = run(root, "make", "check", env=dict(env, FAIL_PIP="1"))
    assert failed.returncode != 0
    assert f"错误：安装依赖失败，详细记录见 {root}/.venv/install.log。" in failed.stderr, said(failed)
    assert "Collecting" not in failed.stdout + failed.stderr
