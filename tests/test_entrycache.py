"""The entry cache (xxgk.entrycache): a rebuild reads unchanged entries from .cache/xxgk, with the
same entries and problems as a fresh read, and never trusts what it should not."""

import pickle
import shutil

from conftest import front_matter, make_project
from xxgk import catalog, entrycache
from xxgk.buildcache import cache_dir
from xxgk.problems import Problems
from xxgk.reference import load_reference

ATTACHED = front_matter(索引号="770010036/2024-00003", 发布日期="2024-02-01").replace(
    "---\n\n正文内容", "附件:\n  - {名称: 申报表, 文件: 00003/申报表.pdf}\n---\n\n正文内容")


def _project(tmp_path):
    return make_project(tmp_path, {
        "swj/2024/00001.md": front_matter(),
        "swj/2024/00002.md": front_matter(索引号="770010036/2024-00002", 标题=None),  # an error
        "swj/2024/00003.md": ATTACHED,  # a missing attachment: an error that depends on another file
        "swj/2024/00004.md": front_matter(索引号="770010036/2024-00004").replace(
            "正文内容。", "见[表格](00004/表格.xlsx)。"),  # a link to a file: depends on it too
    })


def _load(root, monkeypatch=None):
    problems = Problems()
    ref = load_reference(root, problems)
    cache = {}
    real = catalog.EntryCache

    def spy(root, classes):
        cache["it"] = real(root, classes)
        return cache["it"]

    catalog.EntryCache = spy
    try:
        entries = catalog.load_catalog(root, ref, problems).entries
    finally:
        catalog.EntryCache = real
    return entries, problems, cache["it"]


def test_rebuild_reads_unchanged_entries_from_the_cache_with_the_same_result(tmp_path):
    root = _project(tmp_path)
    fresh, fresh_problems, first = _load(root)
    assert first.hits == 0 and len(fresh) == 4
    assert any("申报表" in p.message for p in fresh_problems)
    again, problems, second = _load(root)
    assert (again, problems) == (fresh, fresh_problems)
    assert second.hits == 2  # not the entry with an attachment, nor the one linking to a file

    # The missing attachment appears: that entry is read again, not taken from the cache.
    folder = root / "docs/catalog/swj/2024/00003"
    before = [p.message for p in fresh_problems if p.file.endswith("00003.md")]
    folder.mkdir()
    (folder / "申报表.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    _, problems, _ = _load(root)
    assert [p.message for p in problems if p.file.endswith("00003.md")] != before

    # An edited entry is read again; the others still come from the cache.
    path = root / "docs/catalog/swj/2024/00002.md"
    path.write_text(front_matter(索引号="770010036/2024-00002"), encoding="utf-8")
    entries, problems, third = _load(root)
    assert third.hits == 1 and not [p for p in problems if p.file.endswith("00002.md") and p.is_error]
    assert [e.title for e in entries][1] == "示例区商务局关于开展2024年消费促进月活动的通知"

    # data/ changed (here: a new organisation): the whole bundle is read again, the old one removed.
    orgs = root / "data/orgs.yml"
    orgs.write_text(orgs.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    _, _, fourth = _load(root)
    assert fourth.hits == 0
    assert len(list((cache_dir(root) / entrycache.KIND).iterdir())) == 1


def test_a_damaged_or_planted_bundle_is_ignored(tmp_path):
    root = _project(tmp_path)
    fresh, fresh_problems, _ = _load(root)
    bundle = next((cache_dir(root) / entrycache.KIND).iterdir())
    data = bundle.read_bytes()
    bundle.write_bytes(data[:-10] + b"0123456789")  # damaged: its checksum no longer matches
    again, problems, cache = _load(root)
    assert cache.hits == 0 and (again, problems) == (fresh, fresh_problems)

    # A bundle with a valid checksum that would call a function when loaded builds nothing.
    class Planted:
        def __reduce__(self):
            return (shutil.rmtree, (str(root / "docs"),))

    import hashlib
    payload = pickle.dumps({"x": Planted()})
    bundle.write_bytes(hashlib.sha256(payload).digest() + payload)
    again, problems, cache = _load(root)
    assert (root / "docs").is_dir() and cache.hits == 0 and (again, problems) == (fresh, fresh_problems)


def test_parallel_read_with_the_cache_gives_the_same_result(tmp_path, monkeypatch):
    root = _project(tmp_path)
    monkeypatch.setattr(catalog, "PARALLEL_FROM", 2)
    fresh, fresh_problems, _ = _load(root)
    (root / "docs/catalog/swj/2024/00001.md").write_text(front_matter(标题="另一个标题"), encoding="utf-8")
    monkeypatch.setattr(catalog, "PARALLEL_FROM", 10**9)
    shutil.rmtree(cache_dir(root))
    sequential, sequential_problems, _ = _load(root)
    (root / "docs/catalog/swj/2024/00001.md").write_text(front_matter(), encoding="utf-8")
    monkeypatch.setattr(catalog, "PARALLEL_FROM", 2)
    again, problems, cache = _load(root)  # 00002 from the cache, 00001 read again (in workers)
    assert cache.hits == 1 and (again, problems) == (fresh, fresh_problems)
    assert sequential[0].title == "另一个标题"


def _shared(entries) -> bool:
    """Whether the entries hold one object for each value they repeat (xxgk.catalog._Shared)."""
    first, second = entries[0], entries[1]
    keys = {key: key for key in first.lines}
    return (all(keys[key] is key for key in second.lines if key in keys)
            and first.org is second.org and first.published is second.published
            and all(first.review[role] is second.review[role] for role in first.review if role in second.review))


def test_repeated_values_are_one_object_read_fresh_in_workers_or_from_the_cache(tmp_path, monkeypatch):
    root = make_project(tmp_path, {f"swj/2024/{n:05d}.md": front_matter(索引号=f"770010036/2024-{n:05d}")
                                   for n in range(1, 6)})
    for parallel_from in (10**9, 2):  # read here, then in worker processes
        monkeypatch.setattr(catalog, "PARALLEL_FROM", parallel_from)
        shutil.rmtree(cache_dir(root), ignore_errors=True)
        fresh, fresh_problems, _ = _load(root)
        assert len(fresh) == 5 and _shared(fresh)
        again, problems, cache = _load(root)  # from the bundle the first load wrote
        assert cache.hits == 5 and (again, problems) == (fresh, fresh_problems) and _shared(again)


def test_a_bundle_is_written_and_read_as_a_stream_with_its_checksum(tmp_path):
    from xxgk.buildcache import BuildCache

    store = BuildCache(tmp_path)
    store.put_stream("kind", "key", lambda out: [out.write(b"part one, "), out.write(b"part two")])
    assert store.get("kind", "key") == b"part one, part two"  # the same file as put() writes
    with store.open("kind", "key") as stored:
        assert stored.read() == b"part one, part two"
    path = tmp_path / "kind" / "key"
    path.write_bytes(path.read_bytes()[:-1] + b"!")  # damaged: never opened
    assert store.open("kind", "key") is None and store.get("kind", "key") is None

    def failing(out):
        out.write(b"half")
        raise ValueError("stopped")

    try:
        store.put_stream("kind", "other", failing)
    except ValueError:
        pass
    assert sorted(p.name for p in (tmp_path / "kind").iterdir()) == ["key"]  # no half entry, no temporary file
