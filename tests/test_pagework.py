"""The scans of written pages beside the build (xxgk.pagework): the same verdicts, taken in the
order the pages were written, whoever examined them; a worker lost halfway costs only time."""

import os
import signal

import pytest

from xxgk import pagecache, pagework, safety, workers

MOBILE = "13812345678"


def _pages(count: int) -> list[str]:
    """Pages as the build writes them: some show a mobile number that markup split in the source,
    some have a heading without content (the built-page check's)."""
    pages = []
    for i in range(count):
        main = f"<h1>第{i}页</h1><p>正文{i}。</p>"
        if i % 7 == 3:
            main += f"<p>联系电话{MOBILE[:3]}<b>{MOBILE[3:]}</b></p>"
        if i % 5 == 1:
            main += "<h2>一、</h2><h2>二、</h2><p>内容</p>"
        pages.append(f"<html><head><title>第{i}页</title></head><body><main>{main}</main></body></html>")
    return pages


def _stores(tmp_path, count: int) -> list[pagecache.ToStore]:
    folder = str(tmp_path / "cache")
    return [pagecache.ToStore(folder, f"{i:064x}", None) if i % 2 else pagecache.ToStore(folder, None, f"v{i:063x}")
            for i in range(count)]


def _run(tmp_path, count: int, kill_after: int | None = None) -> tuple[list, pagework.PageWork]:
    taken: list = []
    work = pagework.PageWork(count, lambda context, found: taken.append((context, found)), safety.RULES)
    pages, stores = _pages(count), _stores(tmp_path, count)
    for i, (output, to_store) in enumerate(zip(pages, stores)):
        if i == kill_after:
            for process in list(work._pool._processes.values()):
                os.kill(process.pid, signal.SIGKILL)
        work.submit(i, output, f"p/{i}/index.html", to_store)
    work.finish()
    return taken, work


def _expected(tmp_path, count: int) -> list:
    inline = tmp_path / "inline"
    return [(i, pagework.examine(output, f"p/{i}/index.html", safety.RULES, to_store))
            for i, (output, to_store) in enumerate(zip(_pages(count), _stores(inline, count)))]


@pytest.fixture
def parallel(monkeypatch):
    if workers.cores() < 2:
        pytest.skip("one core: the pages are examined in the build's process")
    monkeypatch.setattr(pagework, "BATCH", 3)


def test_verdicts_are_taken_in_the_order_pages_were_written_whoever_examined_them(tmp_path, parallel, monkeypatch):
    """A worker, this process when the workers are behind, this process for a large page: one order."""
    monkeypatch.setattr(pagework, "PARALLEL_FROM", 10)
    monkeypatch.setattr(pagework, "LARGE_PAGE", 100)  # the pages with a number or a bad heading are "large"
    assert {len(page) > 100 for page in _pages(10)} == {True, False}
    count = 100
    work_started = pagework.PageWork(count, lambda *_: None, safety.RULES)
    assert work_started._pool is not None  # a worker examines pages of a build this large
    work_started.finish()
    taken, _ = _run(tmp_path, count)
    expected = _expected(tmp_path, count)
    assert [context for context, _ in taken] == list(range(count))
    assert [found.scan for _, found in taken] == [found.scan for _, found in expected]
    assert [found.check for _, found in taken] == [found.check for _, found in expected]
    assert [found.sums for _, found in taken] == [found.sums for _, found in expected]
    assert any(found.scan == [["手机号码", MOBILE]] for _, found in taken)  # the split number, whole
    assert any("下没有内容" in " ".join(found.check) for _, found in taken)
    # Every page stored as the build stores it: an entry page's HTML, another page's verdicts.
    cache = tmp_path / "cache"
    assert len(list((cache / pagecache.KIND).glob("*" + pagecache.HTML))) == count // 2
    assert len(list((cache / pagecache.VERDICTS).iterdir())) == count // 2


def test_a_worker_lost_halfway_costs_only_time(tmp_path, parallel, monkeypatch):
    monkeypatch.setattr(pagework, "PARALLEL_FROM", 10)
    count = 60
    taken, work = _run(tmp_path, count, kill_after=30)
    expected = _expected(tmp_path, count)
    assert [context for context, _ in taken] == list(range(count))
    assert [(found.scan, found.check, found.sums) for _, found in taken] == \
           [(found.scan, found.check, found.sums) for _, found in expected]
    assert work._pool is None


def test_a_small_build_examines_its_pages_in_its_own_process_at_once(tmp_path):
    taken: list = []
    work = pagework.PageWork(pagework.PARALLEL_FROM - 1, lambda context, found: taken.append(context), safety.RULES)
    assert work._pool is None
    output, to_store = _pages(1)[0], _stores(tmp_path, 1)[0]
    work.submit("页面", output, "p/index.html", to_store)
    assert taken == ["页面"]  # taken when submitted: `mkdocs serve` re-renders one page and reports at once
    work.finish()


def test_a_large_build_stops_on_what_its_page_workers_found_with_the_file_to_fix(tmp_path):
    """The demo (over PARALLEL_FROM pages to render: its pages go to the workers) with a number that only
    a site's template puts together, and a hand-written page whose Markdown was not converted: the
    build stops, each fault filed under the file to fix, as when the pages were examined in order."""
    from conftest import ROOT, demo_project, run_mkdocs_build

    root = demo_project(tmp_path)
    (root / "node_modules").symlink_to(ROOT / "node_modules")
    template = (ROOT / "src/xxgk/templates/entry.html").read_text(encoding="utf-8")
    on_duty = ('{% if entry.title.startswith("示例区商务局关于印发《示例区老字号传承发展扶持办法》") %}'
               '<p>值班手机：{{ "1381234" ~ "5678" }}</p>{% endif %}')
    (root / "overrides/entry.html").write_text(
        template.replace("<h1>{{ entry.title }}</h1>", "<h1>{{ entry.title }}</h1>" + on_duty), encoding="utf-8")
    (root / "docs/about.md").write_text("# 关于\n\n**请注意：本页内容\n\n内容。\n", encoding="utf-8")
    entry = next(p for p in (root / "docs/catalog").rglob("*.md")
                 if "标题: 示例区商务局关于印发《示例区老字号传承发展扶持办法》" in p.read_text(encoding="utf-8"))
    result = run_mkdocs_build(root, tmp_path / "site")
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr[-3000:]
    source = entry.relative_to(root).as_posix()
    found = [line for line in result.stderr.splitlines() if "疑似手机号码“138****5678”" in line]
    assert len(found) == 1 and source in found[0] and "由模板或生成页面拼合" in found[0], result.stderr[-3000:]
    assert MOBILE not in result.stderr  # shown masked
    assert any("docs/about.md 网页 about/index.html" in line and "未转换的 Markdown 符号“**”" in line
               for line in result.stderr.splitlines()), result.stderr[-3000:]
    assert "构建出的网页中有 1 处疑似个人信息；生成的网页有 1 处问题，已停止构建" in result.stderr  # both, then it stops


def test_a_written_page_is_let_go_before_the_search_index_merges(tmp_path):
    """MkDocs keeps every rendered page's Markdown and HTML to the end of the build, when the search index
    merges: the build lets them go once a page is written (the listings of 100,000 entries are hundreds of MB)."""
    import json

    from conftest import ROOT, demo_project, run_mkdocs_build

    root = demo_project(tmp_path)
    (root / "node_modules").symlink_to(ROOT / "node_modules")
    held = tmp_path / "held.json"
    hook = tmp_path / "held_hook.py"  # a test's hook, outside the project: what each page still holds at the end
    hook.write_text(
        "import json\n"
        "seen = {}\n"
        "def on_env(env, config, files):\n"
        "    seen['files'] = files\n"
        "def on_post_build(config):\n"
        "    pages = [f for f in seen['files'].documentation_pages() if f.page is not None]\n"
        f"    open({str(held)!r}, 'w').write(json.dumps({{f.src_uri: [len(f.page.markdown or ''), len(f.page.content or ''),\n"
        "        len(f.content_string) if f.generated_by else 0] for f in pages}))\n", encoding="utf-8")
    config = root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + f"\nhooks:\n  - {hook}\n", encoding="utf-8")
    result = run_mkdocs_build(root, tmp_path / "site")
    assert result.returncode == 0, result.stderr[-3000:]
    pages = json.loads(held.read_text(encoding="utf-8"))
    assert len(pages) > 200 and "catalog/index.md" in pages  # rendered ones, generated listings among them
    assert {uri: sizes for uri, sizes in pages.items() if any(sizes)} == {}
