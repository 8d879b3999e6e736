"""The caches of the reading phase (xxgk.entrycache: entries, reports, register files): loading the
project with a warm cache finds exactly what a cold load finds, after edits to a report, its
narrative and a register file, and a damaged cache is ignored."""

from __future__ import annotations

import shutil
from datetime import date

from conftest import demo_project
from xxgk import entrycache
from xxgk.buildcache import cache_dir
from xxgk.project import load_project
from xxgk.yamlio import read_plain_text, read_text

TODAY = date(2026, 12, 7)  # today's real date when this was written: register deadlines run up to it


def _project(tmp_path):
    return demo_project(tmp_path, "project")


def _hits(monkeypatch) -> dict:
    """The FileCaches made while loading, by kind: how many files each found."""
    made = {}
    real = entrycache.FileCache

    class Counted(real):
        def save(self):
            made[self.kind] = self.hits
            super().save()

    import xxgk.register
    from xxgk.register import model as register_model
    from xxgk.reports import model as reports_model
    for module in (reports_model, register_model, xxgk.register):
        monkeypatch.setattr(module, "FileCache", Counted)
    return made


def _seen(root, today=TODAY):
    """What `xxgk check` and the build take from loading the project."""
    project = load_project(root, today)
    return ([str(p) for p in project.problems], list(project.reports), project.register.files,
            sorted(project.register.broken), project.catalog.entries)


def _cold(root, tmp_path, today=TODAY):
    """The same project loaded without any cache (a copy, so the warm cache stays as it is)."""
    copy = tmp_path / "cold"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(root, copy, ignore=shutil.ignore_patterns(".cache"))
    seen = _seen(copy, today)
    problems = [p.replace(str(copy), str(root)) for p in seen[0]]
    return (problems, *seen[1:])


def _edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_warm_load_finds_what_a_cold_one_finds_after_edits_to_reports_and_registers(tmp_path, monkeypatch):
    root = _project(tmp_path)
    hits = _hits(monkeypatch)
    first = _seen(root)
    assert hits == {"register": 0, "reports": 0, "report-checks": 0, "register-deadlines": 0}
    assert first[1] and first[2]  # the demo's reports and register files were read
    again = _seen(root)
    assert hits == {"register": len(first[2]), "reports": len(first[1]), "report-checks": len(first[1]),
                    "register-deadlines": len(first[2])}
    assert again == first

    # A report's figure, a narrative and a register file edited, each to something wrong; the reports of
    # the next year (R6/R7 read last year's) and the register's checks across files see the changes.
    _edit(root / "data/reports/swj/2022.yml", "一、本年新收政府信息公开申请数量: [9, 4,",
          "一、本年新收政府信息公开申请数量: [19, 4,")
    _edit(root / "docs/reports/swj/2021.md", "## ", "# 多余的标题\n\n## ")
    _edit(root / "data/register/swj/2022.yml", "    渠道: 邮寄\n", "    渠道: 信鸽\n")
    edited = _seen(root)
    assert hits["reports"] == len(first[1]) - 2 and hits["register"] == len(first[2]) - 1
    assert hits["report-checks"] == len(first[1]) - 2  # swj 2021 and 2022 checked again
    assert edited == _cold(root, tmp_path)
    new = set(edited[0]) - set(first[0])
    assert any("data/reports/swj/2022.yml" in p for p in new)
    assert any("docs/reports/swj/2021.md" in p for p in new)
    assert any("data/register/swj/2022.yml" in p and "信鸽" in p for p in new)

    # Only last year's report edited: this year's report, unchanged, is checked again (R6 compares the
    # applications carried over).
    _edit(root / "data/reports/swj/2021.yml", "四、结转下年度继续办理: [1,", "四、结转下年度继续办理: [2,")
    carried = _seen(root)
    assert hits["report-checks"] == len(first[1]) - 2 and carried == _cold(root, tmp_path)
    assert any(p.startswith("错误 data/reports/swj/2022.yml") for p in set(carried[0]) - set(edited[0]))

    # Catalog entries that a report's checks count (表二 against the catalog, the narrative's statistics)
    # removed: the reports' checks see it.
    for entry in (root / "docs/catalog/swj/2022").glob("*.md"):
        entry.unlink()
    assert _seen(root) == _cold(root, tmp_path)

    # A register file that no longer parses, and a narrative removed: their problems, from the cache too.
    _edit(root / "data/register/qzf/2021.yml", "申请:\n", "申请: [\n")
    (root / "docs/reports/swj/2022.md").unlink()
    broken = _seen(root)
    assert broken == _cold(root, tmp_path)
    assert _seen(root) == broken and hits["register"] == len(first[2])  # the broken file, from the cache
    assert "qzf" in broken[3]

    # data/ changed (the reports' formats): nothing is taken from the cache.
    _edit(root / "data/orgs.yml", "示例区商务局", "示例区商务和投资促进局")
    _seen(root)
    assert hits == {"register": 0, "reports": 0, "report-checks": 0, "register-deadlines": 0}


def test_register_deadlines_from_the_cache_follow_the_check_date(tmp_path, monkeypatch):
    root = _project(tmp_path)
    hits = _hits(monkeypatch)
    _edit(root / "data/register/swj/2022.yml", "    办理结果: （二）部分公开（区分处理的，只计这一情形，不计其他情形）\n"
          "    答复日期: 2022-03-18\n", "")  # still open: overdue as of today, not as of the day it came
    early = date(2022, 2, 24)
    for today in (TODAY, early, early):
        seen = _seen(root, today)
        found = hits["register-deadlines"]
        assert seen == _cold(root, tmp_path, today)
        overdue = [p for p in seen[0] if "2022-002" in p and "仍未答复" in p]
        assert overdue if today == TODAY else not overdue
        clocks = [a.clock for a in seen[2][("swj", 2022)].applications]
        assert clocks == [a.clock for a in _cold(root, tmp_path, today)[2][("swj", 2022)].applications]
    assert found == len(seen[2])  # the third load: all as the second found them


def test_a_damaged_or_planted_cache_is_ignored(tmp_path, monkeypatch):
    root = _project(tmp_path)
    hits = _hits(monkeypatch)
    first = _seen(root)
    for kind in ("reports", "register"):
        bundle = next((cache_dir(root) / kind).iterdir())
        data = bundle.read_bytes()
        bundle.write_bytes(data[:-10] + b"0123456789")  # its checksum no longer matches
    assert _seen(root) == first and hits == {"register": 0, "reports": 0, "report-checks": len(first[1]),
                                                "register-deadlines": len(first[2])}

    # A bundle with a valid checksum whose results would run code: nothing is built from it.
    import hashlib
    import pickle

    class Planted:
        def __reduce__(self):
            return (shutil.rmtree, (str(root / "docs"),))

    for kind in ("reports", "register"):
        bundle = next((cache_dir(root) / kind).iterdir())
        stored = pickle.loads(bundle.read_bytes()[32:])
        planted = pickle.dumps({key: pickle.dumps((Planted(), [])) for key in stored})
        bundle.write_bytes(hashlib.sha256(planted).digest() + planted)
    assert _seen(root) == first and hits == {"register": 0, "reports": 0, "report-checks": len(first[1]),
                                                "register-deadlines": len(first[2])}
    assert (root / "docs").is_dir()

    # A planted result of another kind (a register file where a report's checks were kept): ignored too.
    checks = next((cache_dir(root) / "report-checks").iterdir())
    register = next((cache_dir(root) / "register").iterdir())
    stored = pickle.loads(register.read_bytes()[32:])
    planted = pickle.dumps({key: next(iter(stored.values())) for key in pickle.loads(checks.read_bytes()[32:])})
    checks.write_bytes(hashlib.sha256(planted).digest() + planted)
    assert _seen(root) == first and hits["report-checks"] == 0


def test_the_plain_reader_reads_what_read_text_reads_and_leaves_the_rest_to_it(tmp_path):
    plain = tmp_path / "plain.md"
    plain.write_bytes("\ufeff第一行\r\n第二行\r第三行".encode())
    assert read_plain_text(str(plain), 1000) == read_text(plain, "plain.md") == "第一行\n第二行\n第三行"
    assert read_plain_text(str(plain), 10) is None  # too large: the caller says so
    (tmp_path / "link.md").symlink_to(plain)
    assert read_plain_text(str(tmp_path / "link.md"), 1000) is None
    (tmp_path / "gbk.md").write_bytes("中文".encode("gbk"))
    assert read_plain_text(str(tmp_path / "gbk.md"), 1000) is None
    assert read_plain_text(str(tmp_path), 1000) is None and read_plain_text(str(tmp_path / "none.md"), 1000) is None
    import os
    os.mkfifo(tmp_path / "pipe.md")
    assert read_plain_text(str(tmp_path / "pipe.md"), 1000) is None  # at once: a pipe is never waited on


def test_wording_findings_from_the_cache_are_those_found_afresh(tmp_path, monkeypatch):
    from conftest import front_matter, make_project
    from xxgk import wording

    body = "正文第一段。\n\n我局召开扫黑险恶专项斗争推进会。\n"
    entry = front_matter(标题="示例区商务局关于转发国家工商行政管理总局有关文件的通知").replace("正文内容。\n", body)
    root = make_project(tmp_path, {"swj/2024/00001.md": entry, "swj/2024/00002.md": front_matter(
        索引号="770010036/2024-00002")})
    made = []
    real = wording.ProblemCache

    def counted(*args):
        made.append(real(*args))
        return made[-1]
    monkeypatch.setattr(wording, "ProblemCache", counted)

    def found():
        return [str(p) for p in load_project(root, TODAY).problems if "用语" in p.message]

    first = found()
    assert len(first) == 2 and made[-1].hits == 0
    assert found() == first and made[-1].hits == 2
    path = root / "docs/catalog/swj/2024/00001.md"
    path.write_text(entry.replace("---\n\n", "草稿: true\n---\n\n", 1), encoding="utf-8")  # a draft: warnings
    draft = found()
    assert made[-1].hits == 1 and all(p.startswith("警告（草稿中的问题）") for p in draft) and len(draft) == 2
    path.write_text(entry.replace("---\n\n", "用语例外:\n  - {用语: 国家工商行政管理总局, 理由: 转载2017年的历史文件}\n---\n\n", 1),
                    encoding="utf-8")
    excepted = found()  # the title's old name is used on purpose now; the body's finding moved two lines down
    assert len(excepted) == 1 and ":21 用语“扫黑险恶”" in excepted[0] and ":19 用语“扫黑险恶”" in "".join(first)
    (root / "data/wording.yml").write_text((root / "data/wording.yml").read_text(encoding="utf-8").replace(
        "扫黑险恶", "扫黑除险"), encoding="utf-8")  # the rules changed: every entry checked again
    assert not any("扫黑险恶" in p for p in found()) and made[-1].hits == 0


def test_an_entry_rewritten_with_the_same_size_and_time_is_read_again(tmp_path, monkeypatch):
    """Texts are not read again when lstat says the file is as it was (entrycache.EntryCache.known): a
    write changes the file's ctime even when its size and mtime are put back."""
    import os
    import time

    from conftest import front_matter, make_project
    from xxgk import catalog
    from xxgk.problems import Problems
    from xxgk.reference import load_reference

    root = make_project(tmp_path, {"swj/2024/00001.md": front_matter(标题="第一个标题"),
                                   "swj/2024/00002.md": front_matter(索引号="770010036/2024-00002")})
    known = []
    real = entrycache.EntryCache.known

    def counted(self, src_uri, signature):
        key = real(self, src_uri, signature)
        known.append(key is not None)
        return key
    monkeypatch.setattr(entrycache.EntryCache, "known", counted)

    def titles():
        known.clear()
        problems = Problems()
        return [e.title for e in catalog.load_catalog(root, load_reference(root, problems), problems).entries]

    assert titles() == ["第一个标题", "示例区商务局关于开展2024年消费促进月活动的通知"] and known == []
    titles()
    assert known == [False, False]  # files written just now: their signatures are not trusted yet
    monkeypatch.setattr(entrycache, "_SETTLED", -10**12)  # as if they had been written long before
    titles()
    assert titles() == ["第一个标题", "示例区商务局关于开展2024年消费促进月活动的通知"] and known == [True, True]

    time.sleep(0.05)  # past the tick of the file system's clock that wrote them
    path = root / "docs/catalog/swj/2024/00001.md"
    before = path.stat()
    path.write_text(front_matter(标题="第二个标题"), encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == before.st_size and path.stat().st_mtime_ns == before.st_mtime_ns
    assert titles()[0] == "第二个标题" and known == [False, True]
    titles()  # the rewritten file's key remembered again

    stored = next((cache_dir(root) / entrycache.KEYS).iterdir())
    stored.write_bytes(stored.read_bytes()[:-3] + b"xyz")  # damaged: every text is read for its key again
    assert titles()[0] == "第二个标题" and known == [False, False]
    assert titles()[0] == "第二个标题" and known == [True, True]  # and the keys written anew


def _with_utf8_copy(entries) -> list:
    """Entry texts that carry CPython's cached UTF-8 copy (made when a text is pickled, for instance): the
    text is then held twice for as long as the entry lives, 0.2 GB of bodies at 100,000 entries."""
    import sys

    return [(e.file, name) for e in entries for name in ("title", "summary", "body")
            if (text := getattr(e, name)) and sys.getsizeof(text) != sys.getsizeof(text.encode().decode())]


def test_a_loaded_project_holds_each_entry_text_once(tmp_path):
    root = _project(tmp_path)
    for load in ("cold", "warm"):
        entries = load_project(root, TODAY).catalog.entries
        assert len(entries) > 20 and all(any(ord(c) > 127 for c in e.body) for e in entries[:5]), load
        assert _with_utf8_copy(entries) == [], load
