"""A sharded build (xxgk.shards: data/shards.yml, `xxgk build --shard`, `xxgk build --merge-shards`) gives the
site a whole build gives, file by file, and the same search results for the held-in query set."""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

import pytest

from conftest import ROOT, TODAY, run_xxgk
from test_incremental import SKIP, assert_same_site

sys.path.insert(0, str(ROOT / "bench"))

from xxgk import shards  # noqa: E402
from xxgk.problems import InputError  # noqa: E402


def copy_project(target: Path) -> Path:
    shutil.copytree(ROOT, target, symlinks=True, ignore=lambda folder, names: [n for n in names if n in SKIP])
    if (ROOT / "node_modules").is_dir():
        (target / "node_modules").symlink_to(ROOT / "node_modules")
    return target


def built(result) -> str:
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stderr


def _artifact() -> list[str]:
    """The cache folders a GitLab shard job keeps as its artifact (the GitHub job copies the same)."""
    import yaml

    paths = yaml.safe_load((ROOT / ".gitlab-ci.yml").read_text(encoding="utf-8"))["shard"]["artifacts"]["paths"]
    assert all(path.startswith(".cache/xxgk/") for path in paths)
    return [path.removeprefix(".cache/xxgk/").strip("/") for path in paths]


ARTIFACT = _artifact()


def test_both_ci_systems_hand_the_merge_job_the_same_cache_folders():
    github = (ROOT / ".github/workflows/pages-sharded.yml").read_text(encoding="utf-8")
    assert set(ARTIFACT) == {"pages", "search-part", "search-static"}
    assert all(f".cache/xxgk/{folder}" in github for folder in ARTIFACT)


def test_sharded_build_is_the_whole_build(tmp_path, browser):
    root = copy_project(tmp_path / "project")
    cache = root / ".cache" / "xxgk"
    whole, merged = tmp_path / "site-whole", tmp_path / "site-merged"
    built(run_xxgk(root, "build", "--site", str(whole)))
    entries = len(list((whole / "catalog").glob("*/*/*/index.html")))

    declared = shards.load(root, {"qzf", "swj", "fgj", "czj", "scjgj", "jyj"})
    assert len(declared) >= 2
    caches, rendered = [], 0
    for name in declared:
        shutil.rmtree(cache, ignore_errors=True)  # each CI job starts from the checkout
        log = built(run_xxgk(root, "build", "--shard", name))
        found = re.search(rf"分片 {name}：已生成 (\d+) 个条目页面", log)
        assert found, log[-2000:]
        rendered += int(found.group(1))
        assert f"分片 {name}：{found.group(1)} 个条目页面的全文检索索引已存入构建缓存" in log  # its parts of the index
        assert not (root / "site").exists()  # a shard job writes no site
        assert 0 < len(list((cache / "pages").iterdir())) < entries
        kept = tmp_path / "caches" / name
        kept.mkdir(parents=True)
        for folder in ARTIFACT:  # what the CI job hands the merge job, and nothing more
            (cache / folder).rename(kept / folder)
        caches.append(str(kept))
    assert rendered == entries  # every published entry page rendered once, by its organisation's shard

    log = built(run_xxgk(root, "build", "--site", str(merged), "--merge-shards", *caches))
    assert f"构建缓存：{entries} 个条目页面" in log  # the merge job rendered no entry page itself
    indexed = re.search(r"全文检索：(\d+) 个页面重新索引，其余 (\d+) 个页面", log)
    assert indexed and int(indexed.group(2)) == entries  # nor indexed one: the shard jobs' parts were used
    assert_same_site(merged, whole)

    import yaml
    from search_quality import OURS, QUERIES, Query, run_queries

    # The held-in query set's texts; which pages each should find is bench/search_quality.py's business.
    queries = [Query(str(item["查询"]), "", set(), []) for item in yaml.safe_load(QUERIES.read_text(encoding="utf-8"))]
    assert len(queries) >= 20
    found_whole = [s.slots for s in run_queries(whole, queries, OURS, browser=browser)]
    found_merged = [s.slots for s in run_queries(merged, queries, OURS, browser=browser)]
    assert sum(1 for slots in found_whole if slots) >= len(queries) // 2  # the check can fail: results exist
    assert found_merged == found_whole


def test_an_organisation_in_no_shard_is_rendered_by_the_merge(tmp_path):
    root = copy_project(tmp_path / "project")
    (root / shards.FILE).write_text("分片:\n  - 名称: one\n    机构: [swj]\n", encoding="utf-8")
    built(run_xxgk(root, "build", "--shard", "one"))
    kept = tmp_path / "one"
    (root / ".cache" / "xxgk").rename(kept)
    log = built(run_xxgk(root, "build", "--site", str(tmp_path / "site"), "--merge-shards", str(kept)))
    hits = int(re.search(r"构建缓存：(\d+) 个条目页面", log).group(1))
    assert hits == len(list((tmp_path / "site" / "catalog" / "swj").glob("*/*/index.html")))


def test_an_unknown_shard_is_refused_in_chinese(tmp_path):
    root = copy_project(tmp_path / "project")
    result = run_xxgk(root, "build", "--shard", "nosuch")
    assert result.returncode == 1
    assert "没有名为“nosuch”的分片" in result.stderr and "zf" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("text, says", [
    ("分片:\n  - 名称: a\n    机构: [swj, nobody]\n", "机构标识“nobody”不在 data/orgs.yml 中"),
    ("分片:\n  - 名称: a\n    机构: [swj]\n  - 名称: b\n    机构: [fgj, swj]\n", "机构“swj”已在分片“a”中"),
    ("分片:\n  - 名称: a\n    机构: [swj]\n  - 名称: a\n    机构: [fgj]\n", "分片名称“a”重复"),
    ("分片:\n  - 名称: 政府\n    机构: [swj]\n", "只能用小写英文字母"),
    ("分片:\n  - 名称: a\n", "应列出至少一个机构标识"),
    ("分片: swj\n", "应写成“分片:”下的列表"),
])
def test_shards_file_mistakes_are_located(tmp_path, text, says):
    (tmp_path / "data").mkdir()
    (tmp_path / shards.FILE).write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        shards.load(tmp_path, {"swj", "fgj"})
    assert caught.value.problem.file == shards.FILE
    assert says in caught.value.problem.message


def test_the_ci_jobs_build_the_declared_shards():
    import yaml

    declared = list(shards.load(ROOT, {"qzf", "swj", "fgj", "czj", "scjgj", "jyj"}))
    gitlab = yaml.safe_load((ROOT / ".gitlab-ci.yml").read_text(encoding="utf-8"))
    assert gitlab["shard"]["parallel"]["matrix"] == [{"XXGK_SHARD": declared}]
    assert {"job": "shard", "optional": True} in gitlab["pages"]["needs"]
    github = yaml.safe_load((ROOT / ".github/workflows/pages-sharded.yml").read_text(encoding="utf-8"))
    jobs = github["jobs"]
    assert "data/shards.yml" in str(jobs["plan"]["steps"])  # the matrix is read from the data
    assert jobs["shard"]["strategy"]["matrix"]["shard"] == "${{ fromJSON(needs.plan.outputs.shards) }}"
    assert "--merge-shards" in str(jobs["merge"]["steps"])


def test_xxgk_check_shows_a_mistake_in_the_shards_file(tmp_path):
    root = copy_project(tmp_path / "project")
    assert run_xxgk(root, "check").returncode == 0
    (root / shards.FILE).write_text("分片:\n  - 名称: a\n    机构: [swj, nobody]\n", encoding="utf-8")
    result = run_xxgk(root, "check")
    assert result.returncode == 1
    assert "data/shards.yml:3" in result.stdout + result.stderr
    assert "机构标识“nobody”不在 data/orgs.yml 中" in result.stdout + result.stderr
