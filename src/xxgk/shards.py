"""A city-scale build across CI jobs: entry pages rendered in shards, one site merged from them.

data/shards.yml splits the organisations into shards. A shard job (`xxgk build --shard NAME`,
XXGK_SHARD=NAME for `mkdocs build`) loads and checks the whole project as every build does, but
renders only the entry pages of its shard's organisations; the pages, and their organisations'
parts of the search index (xxgk.search.indexer), go into the build cache (`.cache/xxgk/pages/`,
`search-part/`, `search-static/`) and nothing else is written. The merge job
(`xxgk build --merge-shards DIR…`) copies the shards' cache folders into its own and runs the
ordinary build: every entry page and its part of the index comes from the cache, and the
whole-portal pages (listings, feeds, sitemap, open data, dashboard, reports), their parts of the
index and the one merged index are made there. The result is the site a whole build makes, by
construction: the merge *is* a whole build, with the entry pages' rendering and indexing done
elsewhere.

An organisation that no shard lists is rendered by the merge job itself.
"""

from __future__ import annotations

import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from .problems import ERROR, InputError, Problem
from .yamlio import load_yaml_file

FILE = "data/shards.yml"
ENV = "XXGK_SHARD"  # the shard this build renders; unset: a whole build
_NAME = re.compile(r"[a-z0-9][a-z0-9-]{0,39}\Z")


@dataclass(frozen=True)
class Shard:
    name: str
    orgs: frozenset[str]


def _fail(line, field, message) -> None:
    raise InputError(Problem(ERROR, FILE, line, field, message))


def load(root: Path, org_ids) -> dict[str, Shard]:
    """The shards declared in data/shards.yml (empty when there is no such file), checked against
    the organisations of data/orgs.yml."""
    path = root / FILE
    if not path.is_file():
        return {}
    data, lines = load_yaml_file(path, FILE)
    items = (data or {}).get("分片") if isinstance(data, dict) else None
    if not isinstance(items, list) or not items:
        _fail(1, "分片", "应写成“分片:”下的列表，每项有“名称”和“机构”，见文件开头的说明。")
    shards: dict[str, Shard] = {}
    owner: dict[str, str] = {}
    for i, item in enumerate(items):
        line = lines.get(("分片", i))
        if not isinstance(item, dict):
            _fail(line, "分片", "每个分片应有“名称”和“机构”两项。")
        name = str(item.get("名称", "")).strip()
        if not _NAME.match(name):
            _fail(lines.get(("分片", i, "名称"), line), "名称",
                  f"分片名称“{name}”只能用小写英文字母、数字和连字符（CI 作业名用它），不超过 40 个字符。")
        if name in shards:
            _fail(lines.get(("分片", i, "名称"), line), "名称", f"分片名称“{name}”重复，请改用不同的名称。")
        orgs = item.get("机构")
        if not isinstance(orgs, list) or not orgs:
            _fail(lines.get(("分片", i, "机构"), line), "机构", f"分片“{name}”应列出至少一个机构标识，例如 [swj, fgj]。")
        for j, org in enumerate(orgs):
            org = str(org)
            where = lines.get(("分片", i, "机构", j), line)
            if org not in org_ids:
                _fail(where, "机构", f"机构标识“{org}”不在 data/orgs.yml 中，请改为已有的标识。")
            if org in owner:
                _fail(where, "机构", f"机构“{org}”已在分片“{owner[org]}”中，每个机构只能属于一个分片。")
            owner[org] = name
        shards[name] = Shard(name, frozenset(str(o) for o in orgs))
    return shards


def active(root: Path, org_ids) -> Shard | None:
    """The shard named by XXGK_SHARD, or None for a whole build."""
    name = os.environ.get(ENV, "").strip()
    if not name:
        return None
    shards = load(root, org_ids)
    if name not in shards:
        known = "、".join(shards) or "（没有 data/shards.yml）"
        raise InputError(Problem(ERROR, FILE, None, None,
                                 f"没有名为“{name}”的分片（环境变量 {ENV}）。已声明的分片：{known}。"))
    return shards[name]


def merge_caches(folders: list[Path], cache: Path) -> int:
    """Copy the cache entries of the shards' cache folders into `cache`; the number copied.
    Entries are named by the hash of their inputs, so two shards never disagree on one name."""
    copied = 0
    for folder in folders:
        if not folder.is_dir():
            raise FileNotFoundError(f"分片的构建缓存文件夹 {folder} 不存在（应为分片作业的 .cache/xxgk）。")
        for source in folder.rglob("*"):
            if not source.is_file() or source.name.startswith(".tmp-"):
                continue
            target = cache / source.relative_to(folder)
            if target.exists():
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
            copied += 1
    return copied
