"""`xxgk init`: a district's own portal, in an empty folder or in place of the demo.

Input (a small YAML file or options) is validated with the loaders of xxgk.reference before anything
is written; the new portal is then staged in a temporary folder and checked as `xxgk check` would
check it; only then are the files written (each atomically) into the target folder.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import yaml

from . import schema
from .headers import web_address
from .problems import InputError, Problems
from .reference import Reference, read_orgs
from .schema import Field
from .yamlio import load_yaml_file, write_atomic
from .templating import scaffold_text

# What a fresh portal needs to build, check, test and deploy itself, copied from the xxgk checkout.
# The engine (src/) comes along because the Makefile installs it (`pip install -e .`).
# Everything the README and the portal's own CI run is here: the ./xxgk wrapper, the CI scripts (.ci/) and
# workflows, and the npm lock for when web editing is switched on.
SKELETON = (
    "overrides", "macros", "docs/assets", "data/formats", "data/holidays.yml", "data/rules.yml",
    "data/vocab.yml", "data/safety.yml", "data/report-words.yml", "data/migrate-layouts.yml", "Makefile", "pyproject.toml", "README.md", "src", "xxgk",
    ".gitignore", ".gitlab-ci.yml", ".github/workflows", ".ci", "package.json", "package-lock.json",
)
# The demo's content, removed when the demo is turned into a portal: entries, reports, registers, and
# the development suite of xxgk (tests/, bench/), which is written against that content.
# data/shards.yml names the demo's organisations (a sharded build, xxgk.shards): a new portal declares its own.
DEMO_CONTENT = ("docs/catalog", "docs/reports", "data/reports", "data/register", "data/shards.yml", "tests", "bench")
DEMO_MARK = "示例"  # the demo's site_name is 示例区政府信息公开
_SKIP = shutil.ignore_patterns("__pycache__", "*.egg-info", "*.pyc")

INPUT_FIELDS = (
    Field("区名", "district", required=True),
    Field("网址", "url", required=True),
    Field("主办", "host"),
    Field("主管机构", "gov", "mapping", required=True),
    Field("机构", "orgs", "list"),
)


class InitError(Exception):
    """Why init wrote nothing; the message (or the problems) are for the editor."""

    def __init__(self, message: str, problems: Problems | None = None):
        super().__init__(message)
        self.problems = problems


@dataclass
class Plan:
    district: str
    url: str
    host: str
    gov: dict
    orgs: list[dict] = field(default_factory=list)  # 主管机构 first, as written into data/orgs.yml


def source_root() -> Path:
    """The xxgk checkout this engine runs from: the skeleton is copied from there."""
    root = Path(__file__).resolve().parents[2]
    if not (root / "mkdocs.yml").is_file() or not (root / "overrides").is_dir():
        raise InitError("找不到 xxgk 项目文件（mkdocs.yml、overrides/ 等）。请在 xxgk 项目的副本中运行 xxgk init。")
    return root


def read_input(path: Path | None, options: dict) -> Plan:
    """The init input from a YAML file and/or options (options win); InitError with located problems."""
    problems = Problems()
    file = path.name if path else "命令行参数"
    data, lines = {}, {}
    if path is not None:
        if not path.is_file():
            raise InitError(f"错误：找不到文件 {path}。")
        try:
            data, lines = load_yaml_file(path, file)
        except InputError as exc:
            problems.append(exc.problem)
            raise InitError("输入有误", problems) from None
        if not isinstance(data, dict):
            problems.error(file, 1, None, "文件内容应为“区名: …”“网址: …”等字段的映射（示例见 README）。")
            raise InitError("输入有误", problems)
    for key in ("区名", "网址", "主办"):
        if options.get(key):
            data[key] = options[key]
    gov = data.get("主管机构") if isinstance(data.get("主管机构"), dict) else {}
    for key in ("标识", "名称", "简称", "机构代码"):
        if options.get(key):
            gov[key] = options[key]
    guide = options.get("公开指南") or {}
    if guide:
        gov["公开指南"] = {**(gov.get("公开指南") or {}), **guide}
    if gov:
        data["主管机构"] = gov
    values = schema.read(data, lines, file, INPUT_FIELDS, problems)
    if problems.errors:
        raise InitError("输入有误", problems)
    district = values["district"]
    if re.search(r"\s", district) or len(district) > 20:
        problems.error(file, lines.get(("区名",), 1), "区名", f"“{district}”应为不含空格的区名，例如 东城区。")
    url = values["url"]
    if not web_address(url):  # the portal's own check (xxgk.portal.settings) would refuse it later
        problems.error(file, lines.get(("网址",), 1), "网址", f"“{url}”不是完整网址，应写成 https://xxgk.example.gov.cn/ 的形式。")
    url = url if url.endswith("/") else url + "/"
    gov = dict(values["gov"])
    gov.setdefault("标识", "qzf")
    gov.setdefault("类型", "政府")
    orgs = [gov]
    for item in values["orgs"] or []:
        if isinstance(item, dict):
            item = dict(item)
            item.setdefault("类型", "部门")
            item.setdefault("上级", gov["标识"])
        orgs.append(item)
    # Lines of the orgs as read_orgs indexes them: 主管机构 is item 0, 机构[i] is item i + 1.
    org_lines = {}
    for key, line in lines.items():
        if key[:1] == ("主管机构",):
            org_lines[(0,) + key[1:]] = line
        elif key[:1] == ("机构",) and len(key) > 1:
            org_lines[(key[1] + 1,) + key[2:]] = line
    org_lines.setdefault((0,), lines.get(("主管机构",), 1))
    ref = Reference()
    read_orgs(orgs, org_lines, file, ref, problems)
    if gov.get("类型") != "政府":
        problems.error(file, lines.get(("主管机构", "类型"), 1), "主管机构.类型", "主管机构是本级人民政府，类型应为“政府”。")
    for text, where in [(district, ("区名",)), (values["host"] or "", ("主办",))] + [
            (str(o.get("名称", "")), (i,)) for i, o in enumerate(orgs) if isinstance(o, dict)]:
        if DEMO_MARK in text:
            problems.error(file, org_lines.get(where, lines.get(where, 1)), None,
                           f"“{text}”含有“{DEMO_MARK}”：请写本区的真实名称。")
    if problems.errors:
        raise InitError("输入有误", problems)
    host = values["host"] or f"{district}人民政府办公室"
    return Plan(district, url, host, gov, orgs)


def portal_state(target: Path) -> str:
    """empty | demo | portal | other: what the target folder holds now."""
    if not target.exists():
        return "empty"
    if not target.is_dir():
        return "other"
    config = target / "mkdocs.yml"
    if config.is_file():
        head = config.read_text(encoding="utf-8", errors="replace")[:2000]
        match = re.search(r"^site_name:(.*)$", head, re.M)
        return "demo" if match and DEMO_MARK in match.group(1) else "portal"
    visible = [p for p in target.iterdir() if p.name != ".git"]
    return "empty" if not visible else "other"



def _quoted(text: str) -> str:
    """A YAML double-quoted scalar (JSON's escaping is valid YAML)."""
    import json

    return json.dumps(text, ensure_ascii=False)


def _replace_line(text: str, key: str, value: str, file: str) -> str:
    pattern = re.compile(rf"^{re.escape(key)}:.*$", re.M)
    if not pattern.search(text):
        raise InitError(f"错误：{file} 中没有“{key}:”这一行，无法改写。请从 xxgk 项目复制一份原样的 {file}。")
    return pattern.sub(lambda _: f"{key}: {value}", text, count=1)


def planned_files(plan: Plan, source: Path, year: int) -> dict[str, str]:
    """The files init writes (path relative to the portal -> text), besides the copied skeleton;
    `year`: the portal's first year, from which its dashboard and `xxgk check` follow the reports."""
    mkdocs = (source / "mkdocs.yml").read_text(encoding="utf-8")
    for key, value in (("site_name", f"{plan.district}政府信息公开"),
                       ("site_description", f"{plan.gov['名称']}及其部门政府信息公开目录、公开指南与年度报告"),
                       ("copyright", f"{plan.host} 主办")):
        mkdocs = _replace_line(mkdocs, key, _quoted(value), "mkdocs.yml")
    portal = (source / "data/portal.yml").read_text(encoding="utf-8")
    portal = _replace_line(portal, "网址", plan.url, "data/portal.yml")
    portal = _replace_line(portal, "主管机构", plan.gov["标识"], "data/portal.yml")
    # The footer's facts are the demo's: only the host is known now, the rest is filled in once obtained.
    portal = re.sub(r"^网站信息:\n(?:  .*\n)+", lambda _: (
        f"网站信息:\n  主办单位: {_quoted(plan.host)}\n"
        "  # 承办单位、联系电话、电子邮箱、网站标识码、ICP备案号、公安机关备案号：取得后按上方说明填写。\n"), portal, count=1, flags=re.M)
    portal = re.sub(r"^#[^\n]*示例值[^\n]*\n", "", portal, count=1, flags=re.M)
    # Web editing needs the district's own Git server first (README 网页编辑): off until it is set up.
    portal = re.sub(r"^(网页编辑:\n  启用:) *true.*$", r"\1 false  # 连接本区的 Git 服务器后改为 true（见 README“网页编辑”）",
                    portal, count=1, flags=re.M)
    # The demo's Git repository is not the district's: the backend is left for the editor to write when
    # web editing is set up, commented out so that nothing of the demo's is read.
    portal = re.sub(r"^(  后端:\n(?:    .*\n)+)", lambda m: "".join(
        "  # " + line[2:] + "\n" for line in re.sub(r"(?m)^(    仓库:).*$", r"\1 组/项目  # 本区 Git 服务器上的仓库",
                                                     m.group(1)).splitlines()), portal, count=1, flags=re.M)
    inspection = (source / "data/inspection.yml").read_text(encoding="utf-8")
    # The demo's cut-off is the day its entries were migrated; a district writes its own once it has migrated.
    inspection = re.sub(r"^#[^\n]*示例[^\n]*\n", "", inspection, flags=re.M)
    inspection = re.sub(r"^迁入截止日期:.*$", "# 迁入截止日期: （从原网站迁入历史信息后，写上迁入完成的日期，如 2027-03-31）",
                        inspection, count=1, flags=re.M)
    # The reports of the years before the portal were published on the old site: monitored from this year on.
    rules = re.sub(r"^监测起始年度:.*$", f"监测起始年度: {year}  # 启用本门户的年度；此前的年度报告在原网站公布",
                   (source / "data/rules.yml").read_text(encoding="utf-8"), count=1, flags=re.M)
    header = "".join(line for line in (source / "data/orgs.yml").read_text(encoding="utf-8").splitlines(True)
                     if line.startswith("#"))
    order = ("标识", "名称", "简称", "机构代码", "类型", "上级", "公开指南")
    ordered = [{k: o[k] for k in sorted(o, key=lambda k: order.index(k) if k in order else len(order))}
               for o in plan.orgs]
    orgs = header + yaml.safe_dump(ordered, allow_unicode=True, sort_keys=False, width=1000)
    home = scaffold_text("index.md", district=plan.district, gov_name=plan.gov["名称"])
    return {"mkdocs.yml": mkdocs, "data/portal.yml": portal, "data/orgs.yml": orgs, "docs/index.md": home,
            "data/inspection.yml": inspection, "data/rules.yml": rules}


def _skeleton_files(source: Path):
    """(relative path, source path) of every skeleton file."""
    for name in SKELETON:
        path = source / name
        if path.is_file():
            yield name, path
        elif path.is_dir():
            for folder, dirs, files in os.walk(path):
                dirs[:] = [d for d in dirs if not _SKIP(folder, [d])]
                for file in files:
                    if not _SKIP(folder, [file]) and not file.startswith(".xxgk"):
                        full = Path(folder) / file
                        yield full.relative_to(source).as_posix(), full


def _staged_problems(plan: Plan, source: Path, files: dict[str, str]) -> Problems:
    """Check the new portal as `xxgk check` would, in a temporary folder."""
    from .portal import load_portal
    from .project import load_project

    with tempfile.TemporaryDirectory(prefix="xxgk-init-") as tmp:
        root = Path(tmp)
        for name in ("overrides", "macros", "docs/assets", "data/formats"):
            shutil.copytree(source / name, root / name, ignore=_SKIP)
        for name in ("data/holidays.yml", "data/rules.yml", "data/vocab.yml", "data/safety.yml"):
            shutil.copy2(source / name, root / name)
        for name, text in files.items():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            (root / name).write_text(text, encoding="utf-8")
        project = load_project(root)
        load_portal(project, site_name="")
        return project.problems


def run_init(plan: Plan, target: Path, replace_demo: bool, today: date | None = None) -> list[str]:
    """Write the portal; return what was done, in Chinese. InitError (nothing written) when refused."""
    source = source_root()
    state = portal_state(target)
    if state == "portal":
        raise InitError(f"错误：{target} 中已经是一个门户（mkdocs.yml 的 site_name 不是示例），xxgk init 不会覆盖已有的内容。"
                        "要修改区名、网址或机构，请直接编辑 mkdocs.yml 和 data/ 中的文件。")
    if state == "other":
        raise InitError(f"错误：文件夹 {target} 不是空的，也不是 xxgk 门户。请指定一个新的或空的文件夹。")
    in_place = state == "demo"
    if in_place and not replace_demo:
        raise InitError(f"错误：{target} 是示例门户。把它改成本区门户会删除全部示例内容（目录条目、年度报告、登记台账、"
                        "tests/ 和 bench/），请确认后加上 --replace-demo 再运行。")
    files = planned_files(plan, source, (today or date.today()).year)
    problems = _staged_problems(plan, source, files)
    if problems.errors:
        raise InitError("新门户未通过检查", problems)

    done = []
    if in_place:
        for name in DEMO_CONTENT:  # content first, mkdocs.yml last: an interrupted run can be repeated
            path = target / name
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path)
            elif path.exists() or path.is_symlink():
                path.unlink()
        done.append(f"已删除示例内容：{'、'.join(n if n.endswith('.yml') else n + '/' for n in DEMO_CONTENT)}")
    else:
        copied = 0
        for name, path in _skeleton_files(source):
            write_atomic(target / name, path.read_bytes(), overwrite=False)
            if os.access(path, os.X_OK):
                os.chmod(target / name, 0o755)
            copied += 1
        done.append(f"已复制门户骨架 {copied} 个文件（模板、宏、样式、格式、规则、词表、Makefile、持续集成配置和引擎）")
    for name in ("docs/catalog", "docs/reports", "data/reports", "data/register"):
        (target / name).mkdir(parents=True, exist_ok=True)
    for name in ("data/orgs.yml", "data/portal.yml", "data/inspection.yml", "data/rules.yml", "docs/index.md", "mkdocs.yml"):
        write_atomic(target / name, files[name], overwrite=True)
    done.append("已写入 mkdocs.yml（网站名称、说明、主办）、data/orgs.yml（机构名录）、data/portal.yml（网址、主管机构）、"
                "data/inspection.yml（监测门槛）、data/rules.yml（监测起始年度）和 docs/index.md（首页）")
    return done
