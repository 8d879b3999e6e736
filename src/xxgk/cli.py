"""The `xxgk` command: what editors run beside Git."""

from __future__ import annotations

import argparse
import dataclasses
import errno
import os
import re
import signal
import sys
import tempfile
from datetime import date
from pathlib import Path

from . import inspection, numbering, shards, webedit
from .buildcache import cache_dir
from .lock import Busy, writer_lock
from .portal import compliance, load_portal
from .problems import InputError, Problem, Problems
from .project import find_root, load_project
from .reference import load_reference
from .register import summary as register_summary
from .reports import check_file
from .reports.model import REPORTS_DIR, report_path
from .reports.scaffold import new_report
from .scaffold import new_entry
from .schema import suggest


class _Formatter(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):
        super().add_usage(usage, actions, groups, "用法：" if prefix is None else prefix)


# argparse's own messages (Python 3.11), in Chinese: editors read every line we print.
_ARGPARSE_MESSAGES = [
    (r"^argument (.+?): (.*)$", lambda m: f"参数 {m[1]}：{_translate(m[2])}"),
    (r"^the following arguments are required: (.*)$", lambda m: f"缺少必需的参数：{m[1]}"),
    (r"^unrecognized arguments: (.*)$", lambda m: f"无法识别的参数：{m[1]}"),
    (r"^invalid choice: (.*?) \(choose from (.*)\)$", lambda m: f"无效的选择 {m[1]}（可选：{m[2]}）"),
    (r"^invalid int value: (.*)$", lambda m: f"{m[1]} 不是整数"),
    (r"^invalid \S+ value: (.*)$", lambda m: f"{m[1]} 不是有效的值"),
    (r"^expected one argument$", lambda m: "需要一个值"),
    (r"^expected at least one argument$", lambda m: "至少需要一个值"),
    (r"^expected at most one argument$", lambda m: "最多只能有一个值"),
    (r"^ambiguous option: (.*) could match (.*)$", lambda m: f"选项 {m[1]} 有歧义，可能是 {m[2]}"),
    (r"^one of the arguments (.*) is required$", lambda m: f"必须给出以下参数之一：{m[1]}"),
    (r"^not allowed with argument (.*)$", lambda m: f"不能与参数 {m[1]} 同时使用"),
    (r"^ignored explicit argument (.*)$", lambda m: f"多余的值 {m[1]}"),
]


def _translate(message: str) -> str:
    for pattern, chinese in _ARGPARSE_MESSAGES:
        match = re.match(pattern, message, re.S)
        if match:
            return chinese(match)
    return message


class ChineseArgumentParser(argparse.ArgumentParser):
    """argparse with its headings, help and errors in Chinese."""

    def __init__(self, *args, add_help: bool = True, **kwargs):
        kwargs.setdefault("formatter_class", _Formatter)
        super().__init__(*args, add_help=False, **kwargs)
        self._positionals.title, self._optionals.title = "位置参数", "选项"
        if add_help:
            self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS, help="显示帮助并退出")

    def error(self, message: str):
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}：错误：{_translate(message)}\n")


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{text}”不是有效日期，请写成 YYYY-MM-DD") from None


def _print_problems(problems: Problems, limit: int | None = None) -> None:
    for _level, line in problems.listed(limit):
        print(line)
    errors, warnings = len(problems.errors), len(problems.warnings)
    print(f"共 {errors} 个错误，{warnings} 个警告。" if errors or warnings else "检查通过，没有发现问题。")


def cmd_check(args) -> int:
    project = load_project(args.root, args.today)
    portal = load_portal(project, site_name="")  # data/portal.yml: its problems join the project's, as in the build
    # The national inspection indicators: warnings, only here and on the dashboard (not in the build's log).
    found = Problems(project.problems)
    inspection.add_problems(project, inspection.inspect(project), found)
    compliance.report_problems(project, found)  # the dashboard's 逾期未公布
    try:  # data/shards.yml is read by sharded CI builds only: its mistakes are shown before they run
        shards.load(project.root, project.ref.orgs)
        sharding = None
    except InputError as exc:
        sharding = exc.problem
        found.append(sharding)
    links = None
    if args.links:
        site_dir = (args.site or project.root / "site").resolve()
        external = args.external or project.ref.inspection.external_links
        links = inspection.check_links(project, site_dir, external, found, portal.settings.address)
    _print_problems(found, None if args.all else project.ref.warning_list_limit)
    print(f"已检查 {len(project.catalog.entries)} 个条目，其中 {len(project.published())} 个已发布。")
    if links is not None:
        print(f"已检查网站中的 {links} 个链接（{'含' if external else '不含'}站外链接）。")
    print(f"已检查 {len(project.reports)} 份年度报告。")
    print(register_summary(project.register, project.today))
    return 1 if project.problems.errors or sharding else 0


def cmd_build(args) -> int:
    if args.editor:
        return _build_editor(args.root, args.site)
    from .build import run  # imports MkDocs: only this command needs it

    if args.shard is not None and not args.shard.strip():
        print("错误：--shard 后面应写分片名称（见 data/shards.yml），例如 --shard zf。", file=sys.stderr)
        return 1
    if args.shard:  # one CI job of a sharded build (xxgk.shards): its entry pages into the build cache
        os.environ[shards.ENV] = args.shard
        with tempfile.TemporaryDirectory(prefix="xxgk-shard-") as scratch:
            return run(args.root, args.today, args.site or Path(scratch) / "site")
    if args.merge_shards:  # the merge job: the shards' entry pages, then the ordinary whole build
        try:
            copied = shards.merge_caches(args.merge_shards, cache_dir(args.root))
        except OSError as exc:
            print(f"错误：{exc}", file=sys.stderr)
            return 1
        print(f"已合并 {len(args.merge_shards)} 个分片的构建缓存（{copied} 个文件）。", file=sys.stderr)
    return run(args.root, args.today, args.site)


def _build_editor(root: Path, site: Path | None) -> int:
    """`xxgk build --editor`: the web editor (Decap CMS) as its own site, for an internal host."""
    from mkdocs.utils.yaml import yaml_load  # mkdocs.yml's own reader (!ENV tags)

    problems = Problems()
    ref = load_reference(root, problems)
    edit = webedit.load_settings(root, problems)
    if not problems.errors and not edit.enabled:
        problems.error(webedit.FILE, None, webedit.KEY, "没有启用网页编辑（“启用: true”），不生成编辑网站。")
    elif not problems.errors and webedit.missing_bundle(root):
        problems.error(webedit.FILE, None, webedit.KEY, webedit.missing_bundle(root))
    if problems.errors:
        _print_problems(problems)
        return 1
    with open(root / "mkdocs.yml", encoding="utf-8") as config:
        site_name = (yaml_load(config) or {}).get("site_name", "")
    target = site or root / webedit.EDITOR_SITE
    count = webedit.write_site(root, ref, edit, site_name, target)
    print(f"编辑网站已生成到 {target}（{count} 个文件，编辑页为其中的 {webedit.ADMIN}）。"
          "它不属于门户：只在内网或单点登录之后提供，见 README“网页编辑”。")
    return 0


def cmd_serve(args) -> int:
    from .build import serve

    return serve(args.root, args.addr)


def cmd_assign(args) -> int:
    project = load_project(args.root, args.today)
    # --print-renames: stdout carries only the NUL-separated records, for scripts (.ci/assign-new-entries).
    say = sys.stderr if args.print_renames else sys.stdout
    with writer_lock(project.root):  # the numbers are chosen from the files on disk inside the lock
        return _assign_all(project, args.files, args.renumber_taken, args.print_renames, say)


def _assign_all(project, files, renumber_taken: bool, print_renames: bool, say) -> int:
    status = 0
    reports = {r.file: r for r in project.reports}
    for path in files:
        resolved = path.resolve()
        relative = resolved.relative_to(project.root).as_posix() if resolved.is_relative_to(project.root) else None
        entry = (project.catalog.by_src.get(resolved.relative_to(project.docs).as_posix())
                 if resolved.is_relative_to(project.docs) else None)
        report = reports.get(relative)
        if entry is None and (report is None or report.org is None):
            print(f"错误：{path} 不是 docs/catalog/ 中可读取的目录条目，也不是 {REPORTS_DIR}/<机构>/<年度>.yml 年度报告"
                  "（先运行 xxgk check 查看原因）。", file=sys.stderr)
            status = 1
            continue
        try:
            done = (numbering.assign_entry(project, entry, renumber_taken) if entry is not None
                    else numbering.assign_report(project, report, renumber_taken))
        except ValueError as exc:
            print(f"错误：{exc}", file=sys.stderr)
            status = 1
            continue
        if done is None:
            print(f"{relative}：已有索引号 {(entry or report).index_no}，没有其他文件使用，未改动。", file=say)
            continue
        if print_renames:  # bytes: a file name that is not UTF-8 passes through as it is on disk
            sys.stdout.flush()
            sys.stdout.buffer.write(b"".join(os.fsencode(p) + b"\0" for p in (done.old, done.new)))
            sys.stdout.buffer.flush()
        again = f"原索引号 {done.replaced} 已被其他文件使用，" if done.replaced else ""
        renamed = f"，文件已改名为 {done.new}（网址与索引号一致；提交时请 git add 新文件）" if done.new != done.old else ""
        print(f"{done.old}：{again}索引号 {done.index_no}{renamed}。", file=say)
    return status


def cmd_new(args) -> int:
    project = load_project(args.root, args.today)
    ref = project.ref
    if args.org not in ref.orgs:
        print(f"错误：未知机构“{args.org}”。可用机构：{'、'.join(ref.orgs)}（见 data/orgs.yml）。", file=sys.stderr)
        return 2
    if args.category not in ref.categories:
        print(f"错误：未知信息类别“{args.category}”。可选：{'、'.join(ref.categories)}。", file=sys.stderr)
        return 2
    topic = args.topic
    if topic is not None and topic not in ref.topics:
        meant = suggest(topic, ref.topics)
        hint = f"您是否想写“{meant}”？" if meant else "可选值见 data/vocab.yml 的“主题分类”。"
        print(f"错误：未知主题分类“{topic}”。{hint}", file=sys.stderr)
        return 2
    try:
        with writer_lock(project.root):  # the number is chosen from the files on disk inside the lock
            path = new_entry(project, args.org, args.title, args.category, topic, args.today or date.today())
    except FileExistsError as exc:
        print(f"错误：文件 {exc.filename} 已存在，未做任何改动。", file=sys.stderr)
        return 1
    todo = "" if topic else "从 data/vocab.yml 的“主题分类”中选一项填入主题分类，"
    print(f"已创建 {path.relative_to(project.root)}（草稿）。{todo}填写正文和保密审查记录后删除“草稿: true”即可发布。")
    return 0


def _report_data_file(args) -> Path | None:
    """For a report's narrative (docs/reports/<org>/<year>.md): its figures file; None, with the
    reason printed, when there is none."""
    org, year = args.file.parent.name, args.file.stem
    shown = args.file.as_posix()
    if not year.isdigit():
        print(f"错误：{shown} 是 Markdown 文件，不是年度报告的数据。年度报告的表格数据在 "
              f"{REPORTS_DIR}/<机构>/<年度>.yml，请检查该文件。", file=sys.stderr)
        return None
    data = report_path(args.root, org, int(year))
    relative = data.relative_to(args.root).as_posix()
    if not data.exists():
        print(f"错误：{shown} 是年度报告的正文；其表格数据应在 {relative}，但该文件不存在。"
              f"可运行 ./xxgk report new {org} {year} 新建。", file=sys.stderr)
        return None
    print(f"{shown} 是年度报告的正文，表格数据在 {relative}：下面检查该文件（正文一并检查）。")
    return data


def _imported_report(args) -> bool:
    """A report written by `report import --out` (导入/<机构名称>/2024.yml, 机构 in its first lines):
    checked as the supervising office checks a folder, its organ read from the file, not the folder."""
    path = args.file
    if path.suffix.lower() not in (".yml", ".yaml") or not re.fullmatch(r"\d{4}", path.stem) or not path.is_file():
        return False
    if path.resolve().is_relative_to((args.root / REPORTS_DIR).resolve()):
        return False
    with open(path, "rb") as handle:
        head = handle.read(4096).decode("utf-8", errors="replace")
    return re.search(r"^机构\s*:", head, re.M) is not None


def cmd_report_check(args) -> int:
    from .reports.commands import check_folder, is_published_file
    if args.file.is_dir() or is_published_file(args.file) or _imported_report(args):
        return check_folder(args.root, args.file, args.out, args.today)
    if args.file.suffix.lower() in (".md", ".markdown"):
        data = _report_data_file(args)
        if data is None:
            return 1
        args.file = data
    problems = Problems()
    ref = load_reference(args.root, problems)
    prepare = project = None
    if args.file.resolve().parent.parent == (args.root / REPORTS_DIR).resolve():
        # The project's own report: Table 三 against the register, the narrative's statistics.
        project = load_project(args.root, args.today)
        prepare = project.report_inputs.prepare
    report = check_file(args.root, args.file, ref, problems, prepare=prepare)
    if project is not None and report is not None and report.index_no:
        # Its 索引号 against every entry and report of the portal (the same check as xxgk check).
        numbering.check_unique([d for d in numbering.documents(project.catalog, project.reports)
                                if d.index_no == report.index_no], problems)
    _print_problems(problems)
    if report is not None:
        print(f"已检查 {report.title}（{report.format.name}）。")
    return 1 if problems.errors or report is None else 0


def cmd_report_import(args) -> int:
    from .reports.commands import import_reports
    with writer_lock(args.root):
        return import_reports(args.root, args.files, args.org, args.out)


def cmd_report_new(args) -> int:
    project = load_project(args.root, args.today)
    org = project.ref.orgs.get(args.org)
    if org is None:
        print(f"错误：未知机构“{args.org}”。可用机构：{'、'.join(project.ref.orgs)}（见 data/orgs.yml）。", file=sys.stderr)
        return 2
    fmt = project.reports.formats.for_year(args.year)
    if fmt is None:
        print(f"错误：没有适用于 {args.year} 年度的报告格式（见 data/formats/）。", file=sys.stderr)
        return 2
    prefill = project.report_inputs.prefill(org.id, args.year, fmt)  # register and catalog, where they exist
    try:
        with writer_lock(project.root):  # the number is chosen from the files on disk inside the lock
            year = numbering.report_year(args.year, project.today)
            index_no, _ = numbering.next_index_no(project, org.id, year)
            paths = new_report(project.root, project.reports, org, args.year, fmt, prefill, index_no)
    except FileExistsError as exc:
        print(f"错误：文件 {exc.filename} 已存在，未做任何改动。", file=sys.stderr)
        return 1
    last = project.reports.get(org.id, args.year - 1)
    print(f"已创建 {'、'.join(str(p.relative_to(project.root)) for p in paths)}（草稿，索引号 {index_no}，"
          f"适用《{fmt.name}》）。")
    for line in prefill.said:
        print(f"{line}。")
    if prefill.table3 is None:
        print(f"上年结转已按 {last.year} 年报告填写。" if last else f"没有 {args.year - 1} 年报告，上年结转按 0 填写。")
    return 0


# xxgk init's options: the field of the init input each one fills (公开指南's fields nested), and its name.
INIT_OPTIONS = {"区名": "district", "网址": "url", "主办": "host", "标识": "gov_id", "名称": "gov_name",
                "简称": "gov_short", "机构代码": "gov_code"}
INIT_GUIDE_OPTIONS = {"工作机构": "office", "地址": "address", "邮编": "postcode", "电话": "phone", "办公时间": "hours"}


def cmd_init(args) -> int:
    from .init import InitError, read_input, run_init

    options = {key: getattr(args, attr) for key, attr in INIT_OPTIONS.items()}
    options["公开指南"] = {key: getattr(args, attr) for key, attr in INIT_GUIDE_OPTIONS.items() if getattr(args, attr)}
    target = (args.folder or Path.cwd()).resolve()
    try:
        plan = read_input(args.source, options)
        done = run_init(plan, target, args.replace_demo, args.today)
    except InitError as exc:
        if exc.problems is not None:
            if args.source is None:  # no file: the option to add or correct, not a line of it
                exc.problems[:] = [_init_option_problem(p) for p in exc.problems]
            _print_problems(exc.problems)
            print(f"{exc}，未写入任何文件。", file=sys.stderr)
        else:
            print(str(exc), file=sys.stderr)
        return 1
    for line in done:
        print(f"{line}。")
    print(f"{plan.district}政府信息公开门户已建立于 {target}。下一步：在该文件夹运行 make check 和 make serve。")
    return 0


def cmd_import(args) -> int:
    from .wordimport import import_files

    project = load_project(args.root, args.today)
    return import_files(project, args.files, args.org, args.category, args.today or date.today())


def cmd_migrate(args) -> int:
    from .migrate import run

    return run(load_project(args.root, args.today), args.folder.resolve(), args.org_map, args.dry_run)


def cmd_review_sheet(args) -> int:
    from .reviewsheet import write_sheets

    project = load_project(args.root, args.today)
    return write_sheets(project, args.files, args.out)


# What an editor can do about an OSError, by errno.
_OS_CAUSES = {
    errno.ENOSPC: "磁盘空间不足，请清理磁盘后重试",
    errno.EDQUOT: "磁盘配额已用完，请清理后重试",
    errno.EACCES: "没有写入权限，请检查该文件或文件夹的权限",
    errno.EPERM: "没有写入权限，请检查该文件或文件夹的权限",
    errno.EROFS: "文件系统只读，无法写入",
    errno.ENOENT: "文件或文件夹不存在",
    errno.EIO: "磁盘读写出错",
    errno.ENAMETOOLONG: "文件名太长",
}


def os_error_message(exc: OSError, root: Path | None = None) -> str:
    """A Chinese message naming the path and the cause; never a traceback."""
    cause = _OS_CAUSES.get(exc.errno, f"系统错误（错误码 {exc.errno}）" if exc.errno else "系统错误")
    where = exc.filename
    if where is not None and root is not None:
        try:
            where = Path(where).resolve().relative_to(root).as_posix()
        except (ValueError, OSError):
            pass
    return f"错误：{where}：{cause}。" if where is not None else f"错误：{cause}。"


def main(argv: list[str] | None = None) -> int:
    if argv is None and hasattr(signal, "SIGPIPE"):  # the command line: `xxgk check | head` ends quietly
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # (not when called in a process that has other pipes)
    try:
        return _main(argv)
    except KeyboardInterrupt:
        print("已中断。", file=sys.stderr)
        return 130


def _common_options(parser, default) -> None:
    parser.add_argument("--root", type=Path, default=default, metavar="目录", help="项目根目录（含 mkdocs.yml），默认自动查找")
    parser.add_argument("--today", type=_date, default=default, metavar="日期", help="以该日期为“今天”进行检查，格式 YYYY-MM-DD")


def _main(argv: list[str] | None) -> int:
    parser = ChineseArgumentParser(prog="xxgk", description="政府信息公开门户工具。每个命令的说明：xxgk 命令 --help。")
    _common_options(parser, None)
    commands = parser.add_subparsers(dest="command", required=True, metavar="命令")

    def command(group, name: str, summary: str, description: str):
        sub = group.add_parser(name, help=summary, description=description)
        _common_options(sub, argparse.SUPPRESS)  # also after the command: xxgk check --today 2025-01-01
        return sub

    check = command(commands, "check", "检查目录和数据，有错误时返回 1",
                    "检查 docs/catalog/ 中的全部条目和 data/ 中的数据（机构、词表、登记台账、年度报告、门户设置），"
                    "逐条列出错误和警告（文件:行号 字段 如何改正）。有错误时返回 1，构建也会失败；"
                    "警告和草稿中的问题不阻止发布。")
    check.add_argument("--links", action="store_true", help="同时检查已生成网站（site/）中的链接和附件是否都能打开")
    check.add_argument("--external", action="store_true", help="与 --links 一起使用：也检查站外链接（需要联网）")
    check.add_argument("--site", type=Path, default=None, metavar="文件夹", help="已生成网站的文件夹，默认 site/")
    check.add_argument("--all", action="store_true",
                       help="列出全部警告：默认同一条警告只列出前若干个文件（data/rules.yml 同类警告列出个数）")
    check.set_defaults(run=cmd_check)

    build = command(commands, "build", "以严格模式生成网站（site/），有错误时返回 1",
                    "以严格模式生成整个门户到 site/：先做与 xxgk check 相同的检查，任何错误都会停止构建，"
                    "不会发布有问题的内容。提示全部为中文。")
    build.add_argument("--site", type=Path, default=None, metavar="文件夹",
                       help="生成到该文件夹，默认 site/（--editor 时默认 site-editor/）")
    build.add_argument("--editor", action="store_true",
                       help="只生成网页编辑（Decap CMS）自己的网站，供内网主机使用；门户 site/ 中没有编辑界面")
    sharding = build.add_mutually_exclusive_group()  # a city-scale build across CI jobs (README“分片构建”)
    sharding.add_argument("--shard", default=None, metavar="分片",
                          help="只生成 data/shards.yml 中该分片各机构的条目页面，存入构建缓存 .cache/xxgk（CI 的分片作业）")
    sharding.add_argument("--merge-shards", nargs="+", type=Path, default=None, metavar="文件夹",
                          help="先并入各分片作业的构建缓存文件夹（其 .cache/xxgk），再生成整个门户（CI 的合并作业）")
    build.set_defaults(run=cmd_build)

    preview = command(commands, "serve", "在本机预览门户，保存文件后自动刷新",
                      "生成门户并在本机提供预览（默认 http://127.0.0.1:8000/），保存文件后自动重新生成并刷新浏览器；"
                      "有错误时每个页面都显示错误清单。按 Ctrl+C 停止。")
    preview.add_argument("--addr", default="127.0.0.1:8000", metavar="地址", help="预览地址，默认 127.0.0.1:8000")
    preview.set_defaults(run=cmd_serve)

    new = command(commands, "new", "为机构新建一个目录条目（自动分配索引号）",
                  "在 docs/catalog/<机构>/<今年>/ 下新建一个带下一个空闲索引号的草稿条目，绝不覆盖已有文件。")
    new.add_argument("org", metavar="机构", help="机构标识，例如 swj（见 data/orgs.yml）")
    new.add_argument("--title", default="（请填写标题）", metavar="标题", help="标题")
    new.add_argument("--category", default="部门动态", metavar="类别", help="信息类别，默认 部门动态")
    new.add_argument("--topic", default=None, metavar="分类", help="主题分类（可选值见 data/vocab.yml），默认留空待填写")
    new.set_defaults(run=cmd_new)

    assign = command(commands, "assign", "为没有索引号的条目或年度报告分配下一个空闲索引号",
                     "为没有索引号的目录条目（如手写的草稿）或年度报告（data/reports/<机构>/<年度>.yml）分配本机构、"
                     "本年度的下一个空闲索引号（目录条目和年度报告共用流水号），并把条目文件改名为流水号（如 00012.md），"
                     "使其网址与索引号一致。已有索引号的文件不会改动。")
    assign.add_argument("files", nargs="+", type=Path, metavar="文件",
                        help="条目文件，例如 docs/catalog/swj/2025/草稿.md；或年度报告，例如 data/reports/swj/2025.yml")
    assign.add_argument("--renumber-taken", action="store_true",
                        help="已有索引号、但该号也被其他文件使用的，重新分配（xxgk check 报告重号时给出的命令）；"
                             "索引号没有重复的不改动")
    assign.add_argument("--print-renames", action="store_true",
                        help="供脚本使用：标准输出只列出写入的文件，每个写成“原路径\\0新路径\\0”（以 NUL 分隔，"
                             "文件未改名时两者相同）；其余提示写到标准错误")
    assign.set_defaults(run=cmd_assign)

    report = command(commands, "report", "政府信息公开工作年度报告", "新建或检查政府信息公开工作年度报告。")
    report_commands = report.add_subparsers(dest="report_command", required=True, metavar="子命令")
    report_check = command(report_commands, "check", "检查年度报告，有错误时返回 1",
                           "检查一份年度报告的表格数据（本门户的 data/reports/<机构>/<年度>.yml 或公开的 JSON；"
                           "给出正文 .md 时检查其数据文件），或检查一个文件夹中的全部报告（含公开的网页、Word、PDF 文件）"
                           "并生成审查汇总（CSV 和网页）。有错误时返回 1。")
    report_check.add_argument("file", type=Path, metavar="文件", help="data/reports/<机构>/<年度>.yml 或 .json 文件；"
                              "或一个文件夹（逐份检查并生成审查汇总）；或公开的网页、Word、PDF 文件")
    report_check.add_argument("--out", type=Path, default=None, metavar="文件夹",
                              help="检查文件夹时审查汇总（CSV 和网页）的存放位置，默认为该文件夹")
    report_check.set_defaults(run=cmd_report_check)
    report_new = command(report_commands, "new", "新建某机构某年度的年度报告（数据和正文）",
                         "新建某机构某年度的年度报告（数据和正文）：有登记台账的按台账填写表三，否则上年结转按上年报告填写；"
                         "目录能统计的数字（如现行有效件数）一并填写。")
    report_new.add_argument("org", metavar="机构", help="机构标识，例如 swj")
    report_new.add_argument("year", type=int, metavar="年度", help="报告年度，例如 2024")
    report_new.set_defaults(run=cmd_report_new)
    report_import = command(report_commands, "import", "导入已发布的年度报告（网页、Word、带文字层的 PDF）",
                            "读取已发布的年度报告，写成本门户的表格数据（YAML）和正文（Markdown）；读不出的单元格逐个列出，"
                            "绝不猜测，也不覆盖已有文件。")
    report_import.add_argument("files", nargs="+", type=Path, metavar="文件", help="报告文件，或存放报告文件的文件夹")
    report_import.add_argument("--org", default=None, metavar="机构",
                               help="data/orgs.yml 中的机构标识：写入 data/reports/ 和 docs/reports/")
    report_import.add_argument("--out", type=Path, default=None, metavar="文件夹",
                               help="输出文件夹：按“机构名称/年度.yml、年度.md”存放")
    report_import.set_defaults(run=cmd_report_import)

    _add_content_commands(commands, command)

    args = parser.parse_args(argv)
    args.root = (args.root or find_root(Path.cwd())).resolve()
    try:
        return args.run(args)
    except Busy as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 1
    except OSError as exc:  # disk full, no permission, read-only: the path and the cause, no traceback
        print(os_error_message(exc, args.root), file=sys.stderr)
        return 1


def _init_option_problem(problem: Problem) -> Problem:
    attr = INIT_OPTIONS.get(problem.field or "") or INIT_GUIDE_OPTIONS.get(problem.field or "")
    field = f"{problem.field}（选项 --{attr.replace('_', '-')}）" if attr else problem.field
    return dataclasses.replace(problem, line=None, field=field)


def _add_content_commands(commands, command) -> None:
    """xxgk init, import and review-sheet: starting a portal, Word documents in, review sheets out."""
    init = command(commands, "init", "建立本区门户：在空文件夹中新建，或把示例门户改成本区门户", "建立本区门户：在空文件夹中新建，或把示例门户改成本区门户")
    init.add_argument("folder", nargs="?", type=Path, default=None, help="门户文件夹，默认当前文件夹")
    init.add_argument("--from", dest="source", type=Path, default=None, help="写有区名、网址和机构的 YAML 文件，例如 本区.yml")
    init.add_argument("--replace-demo", action="store_true", help="确认删除示例内容，把示例门户改成本区门户")
    init.add_argument("--district", help="区名，例如 东城区")
    init.add_argument("--url", help="门户网址，例如 https://xxgk.example.gov.cn/")
    init.add_argument("--host", help="网站底部的主办单位，默认“区名人民政府办公室”")
    init.add_argument("--gov-id", help="主管机构（区人民政府）的标识，默认 qzf")
    init.add_argument("--gov-name", help="主管机构名称，例如 东城区人民政府")
    init.add_argument("--gov-short", help="主管机构简称，例如 区政府")
    init.add_argument("--gov-code", help="主管机构的 9 位机构代码（索引号前段码）")
    init.add_argument("--office", help="公开指南：工作机构")
    init.add_argument("--address", help="公开指南：地址")
    init.add_argument("--postcode", help="公开指南：邮编")
    init.add_argument("--phone", help="公开指南：电话")
    init.add_argument("--hours", help="公开指南：办公时间")
    init.set_defaults(run=cmd_init)

    imp = command(commands, "import", "把 Word 文档（.docx）、有文字层的 PDF 或保存的网页导入为草稿条目",
                  "把 Word 文档（.docx）、有文字层的 PDF 或从门户网站保存的网页（.html）导入为草稿条目")
    imp.add_argument("files", nargs="+", type=Path, help=".docx、.pdf 或 .html 文件，或含有这些文件的文件夹")
    imp.add_argument("--org", default=None, help="发布机构标识，例如 swj；发文机关与机构名称完全一致时可不写")
    imp.add_argument("--category", default=None, help="信息类别，不写则留给编辑填写")
    imp.set_defaults(run=cmd_import)

    mig = command(commands, "migrate", "把旧网站（wget --mirror 下载的副本）的文章页迁移为目录条目",
                  "读取旧门户网站的副本，每个文章页写成一个草稿条目，保留原索引号、日期和原网址；"
                  "版式见 data/migrate-layouts.yml，机构和分类的对应见 data/migrate-map.yml。可重复运行。")
    mig.add_argument("folder", type=Path, metavar="文件夹", help="旧网站副本所在的文件夹")
    mig.add_argument("--org-map", type=Path, default=None, metavar="文件", help="对应表，默认 data/migrate-map.yml")
    mig.add_argument("--dry-run", action="store_true", help="只读取和报告，不写入任何文件")
    mig.set_defaults(run=cmd_migrate)

    sheet = command(commands, "review-sheet", "生成信息内容发布审查单（Word 文档），每个条目一页", "生成信息内容发布审查单（Word 文档），每个条目一页")
    sheet.add_argument("files", nargs="+", type=Path, help="条目文件，例如 docs/catalog/swj/2025/00001.md")
    sheet.add_argument("--out", type=Path, default=Path("审查单.docx"), help="输出文件，默认 审查单.docx")
    sheet.set_defaults(run=cmd_review_sheet)


if __name__ == "__main__":
    sys.exit(main())
