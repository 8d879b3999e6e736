"""The disclosure catalog: one Markdown file with YAML front matter per disclosed item.

Every .md file under docs/catalog/ is an entry; listing pages there are generated.
"""

from __future__ import annotations

import dataclasses
import os
import posixpath
import re
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from . import content, rendered, safety, schema, wording, workers
from .entrycache import EntryCache, entry_key
from .problems import ERROR, InputError, Problem, Problems
from .reference import EXECUTABLE_TYPES, Reference, index_parts
from .schema import Field
from .workdays import UnknownYear
from .yamlio import name_not_utf8, read_plain_text, read_text, special_file, split_front_matter

CATALOG_DIR = "catalog"  # under docs/
POLICY = "政策文件"
INTERPRETATION = "政策解读"
RESERVED = {"index.md", "README.md"}  # listing pages are generated; never entries


def entry_fields(ref: Reference) -> tuple[Field, ...]:
    return (
        Field("索引号", "index_no"),
        Field("标题", "title", required=True),
        Field("发布机构", "org", required=True, choices=lambda: ref.orgs, declared="data/orgs.yml"),
        Field("成文日期", "written", "date", required=True),
        Field("发布日期", "published", "date", required=True),
        Field("文号", "doc_no"),
        Field("落款", "signature", "texts"),  # the issuing organ(s) as signed, shown under the body
        Field("主题分类", "topic", required=True, choices=lambda: ref.topics, declared="data/vocab.yml 的“主题分类”"),
        Field("信息类别", "category", required=True, choices=lambda: ref.categories, declared="data/vocab.yml 的“信息类别”"),
        Field("第二十条", "article20", "texts", choices=lambda: ref.article20, declared="data/vocab.yml 的“第二十条”"),
        Field("有效性", "validity", choices=lambda: ref.validity, declared="data/vocab.yml 的“有效性”"),
        Field("关键词", "keywords", "texts"),
        Field("内容概述", "summary"),
        Field("附件", "attachments", "list"),
        Field("相关", "related", "texts"),
        Field("保密审查", "review", "mapping"),
        Field("草稿", "draft", "bool"),
        Field("隐私豁免", "waivers", "list"),
        Field("用语例外", "wording_exceptions", "list"),
        Field("原索引号", "old_index_no"),  # kept by xxgk migrate where the old number did not fit
        Field("原网址", "old_url"),  # the page on the old portal (xxgk migrate); data/redirects.yml leads there
    )


ATTACHMENT_FIELDS = (Field("名称", "name", required=True), Field("文件", "file", required=True))
REVIEW_FIELDS = (Field("审查人", "reviewer", required=True), Field("日期", "date", "date", required=True))
# A waiver names either a value found by the scanner (内容) or an attachment that cannot be read (文件).
WAIVER_FIELDS = (Field("内容", "value"), Field("文件", "file"), Field("理由", "reason", required=True))


@dataclass
class Attachment:
    name: str
    src_uri: str  # path under docs/, POSIX


@dataclass
class Entry:
    file: str  # path relative to the project root, for messages
    src_uri: str  # path relative to docs/, as MkDocs names it
    lines: dict
    body: str
    body_line: int
    index_no: str | None = None
    title: str = ""
    org: str = ""
    written: date | None = None
    published: date | None = None
    doc_no: str | None = None
    signature: list[str] = field(default_factory=list)
    topic: str = ""
    category: str = ""
    article20: list[str] = field(default_factory=list)
    validity: str | None = None
    keywords: list[str] = field(default_factory=list)
    summary: str | None = None
    attachments: list[Attachment] = field(default_factory=list)
    related: list[str] = field(default_factory=list)
    review: dict = field(default_factory=dict)  # role -> (reviewer, date); internal, never published
    wording_allowed: frozenset = frozenset()  # 用语例外: forms the entry uses on purpose (xxgk.wording)
    draft: bool = False
    valid: bool = True  # False when the entry had errors
    waived: frozenset = frozenset()  # values of 隐私豁免 (digits or text), for the scan of built pages
    old_index_no: str | None = None  # 原索引号 (xxgk migrate)
    old_url: str | None = None  # 原网址 (xxgk migrate)

    @property
    def url(self) -> str:
        """Site-relative URL with directory URLs: catalog/swj/2024/00003/."""
        return self.src_uri[: -len(".md")] + "/"

    @property
    def year(self) -> int:
        return self.published.year

    def line(self, key: str) -> int:
        return self.lines.get((key,), 1)

    def review_complete(self, roles: tuple[str, ...]) -> bool:
        return all(role in self.review for role in roles)

    def is_published(self, today: date, roles: tuple[str, ...]) -> bool:
        """The one definition of published: valid, not a draft, fully reviewed, not embargoed."""
        return (
            self.valid
            and not self.draft
            and self.index_no is not None
            and self.published is not None
            and self.published <= today
            and self.review_complete(roles)
        )


def _read_review(entry: Entry, raw: dict, ref: Reference, problems: Problems) -> None:
    for role, record in raw.items():
        path = ("保密审查", role)
        line = entry.lines.get(path, entry.line("保密审查"))
        if role not in ref.review_roles:
            problems.error(entry.file, line, "保密审查",
                           f"“{role}”不是审查环节。审查环节为：{'、'.join(ref.review_roles)}。")
            continue
        if record is None or (isinstance(record, dict) and not any(record.values())):
            continue  # an empty slot: this step has not been done yet
        if not isinstance(record, dict):
            problems.error(entry.file, line, f"保密审查.{role}", "应写成 {审查人: 姓名, 日期: YYYY-MM-DD}。")
            continue
        before = len(problems)
        values = schema.read(record, entry.lines, entry.file, REVIEW_FIELDS, problems, path=path)
        if len(problems) == before:
            entry.review[role] = (values["reviewer"], values["date"])


def _read_attachments(entry: Entry, raw: list, docs: Path, ref: Reference, problems: Problems) -> None:
    folder = posixpath.dirname(entry.src_uri)
    for index, item in enumerate(raw):
        path = ("附件", index)
        line = entry.lines.get(path, entry.line("附件"))
        if not isinstance(item, dict):
            problems.error(entry.file, line, "附件", "每个附件应写成 {名称: …, 文件: 相对路径}。")
            continue
        before = len(problems)
        values = schema.read(item, entry.lines, entry.file, ATTACHMENT_FIELDS, problems, path=path)
        if len(problems) != before:
            continue
        src_uri = posixpath.normpath(posixpath.join(folder, values["file"].replace("\\", "/")))
        refusal = attachment_refusal(docs, folder, src_uri, values["file"], ref)
        if refusal:
            problems.error(entry.file, line, "附件", refusal)
            continue
        entry.attachments.append(Attachment(values["name"], src_uri))


def attachment_refusal(docs: Path, folder: str, src_uri: str, written: str, ref: Reference) -> str | None:
    """Why the attachment at docs/`src_uri` of an entry in docs/`folder` cannot be published, or None.
    It must be a regular file inside the entry's own folder tree, reached without symbolic links,
    of an allowed type and size: anything else could publish files of the build machine, of
    other entries or drafts, or run script on the portal's origin."""
    if posixpath.isabs(written) or not src_uri.startswith(folder + "/"):
        return (f"文件“{written}”必须位于本条目所在的文件夹（docs/{folder}/）之内，通常放在其下的 files/ 中。"
                "请把文件移到那里并改正路径。")
    path = docs / src_uri
    too_long = _name_too_long(src_uri)
    if too_long:
        return f"附件“{written}”{too_long}"
    if not os.path.lexists(path):
        return f"找不到附件文件“{written}”（应在 docs/{src_uri}）。请上传文件或改正路径。"
    if os.path.realpath(path) != os.path.join(os.path.realpath(docs), *src_uri.split("/")):
        return f"附件“{written}”是符号链接或位于符号链接的文件夹中，可能指向网站以外的文件，不予发布。请换成文件本身。"
    refusal = special_file(path)
    if refusal:
        return f"附件“{written}”：{refusal}"
    suffix = posixpath.splitext(src_uri)[1].lstrip(".").lower()
    if suffix in EXECUTABLE_TYPES:
        return (f"附件“{written}”是 .{suffix} 文件，会在本网站上运行脚本，不能作为附件。"
                "请转换为 PDF 等格式，或压缩为 .zip 后上传。")
    if suffix not in ref.attachment_types:
        allowed = "、".join(sorted(ref.attachment_types))
        return f"附件“{written}”的类型“.{suffix or '（无扩展名）'}”不在允许的类型中（{allowed}，见 data/safety.yml 的“附件”）。"
    size = os.path.getsize(path)
    if size > ref.attachment_max_bytes:
        limit = ref.attachment_max_bytes / 1024 / 1024
        return (f"附件“{written}”有 {size / 1024 / 1024:.1f} MB，超过 {limit:g} MB 的上限"
                "（data/safety.yml 的“附件.最大兆字节”）。请压缩或拆分后上传。")
    return None


def read_entry(root: Path, src_uri: str, ref: Reference, problems: Problems, text: str | None = None) -> Entry | None:
    """Read one entry and check everything that concerns it alone. `text`: the file as read_text
    gave it, when the caller read it already (load_catalog, for the entry cache)."""
    file = f"docs/{src_uri}"
    if text is None:
        text = _read_source(root, file, ref, problems)
        if text is None:
            return None
    try:
        data, lines, body, body_line = split_front_matter(text, file)
    except InputError as exc:
        # Unreadable front matter: a line “草稿: true” at its top still says it is a draft.
        problems.append(_in_draft_if_marked(exc.problem, text[:4000]))
        return None
    own = Problems()
    entry = _read_entry(root, file, src_uri, data, lines, body, body_line, ref, own)
    if entry.draft:
        # A draft is never published (Entry.is_published), so its problems never block; entry.valid
        # stays as found, and once 草稿: true is removed they are errors again.
        own = [p.in_draft() for p in own]
    problems.extend(own)
    return entry


_DRAFT_LINE = re.compile(r"^草稿[ \t]*:[ \t]*true[ \t]*(?:#.*)?$", re.M)


def _read_source(root: Path, file: str, ref: Reference, problems: Problems) -> str | None:
    plain = read_plain_text(os.path.join(root, file), ref.body_limits.max_bytes)
    if plain is not None:  # the usual file, read at the least cost; anything else is read below, which says why
        return plain
    too_large = content.file_too_large(root / file, ref.body_limits)
    if too_large:
        problems.append(_in_draft_if_marked(Problem(ERROR, file, 1, "正文", too_large), _head(root / file)))
        return None
    try:
        return read_text(root / file, file)
    except InputError as exc:
        problems.append(exc.problem)
        return None


def _in_draft_if_marked(problem: Problem, head: str) -> Problem:
    """A file that cannot be read as an entry: a line “草稿: true” at its top still says it is a draft."""
    return problem.in_draft() if _DRAFT_LINE.search(head) else problem


def _head(path: Path) -> str:
    try:
        with open(path, "rb") as handle:
            return handle.read(4000).decode("utf-8", "replace")
    except OSError:
        return ""


def _read_entry(root: Path, file: str, src_uri: str, data: dict, lines: dict, body: str, body_line: int,
                ref: Reference, problems: Problems) -> Entry:
    before = len(problems)
    entry = Entry(file=file, src_uri=src_uri, lines=lines, body=body, body_line=body_line)
    draft = data.get("草稿") is True
    values = schema.read(data, lines, file, ref.entry_fields, problems)
    review, attachments, waivers = values.pop("review"), values.pop("attachments"), values.pop("waivers")
    entry.wording_allowed = frozenset(wording.read_exceptions(values.pop("wording_exceptions"), file, lines, problems))
    for attr, value in values.items():
        if value is not None:
            setattr(entry, attr, value)
    entry.draft = bool(entry.draft)
    if review:
        _read_review(entry, review, ref, problems)
    if attachments:
        _read_attachments(entry, attachments, root / "docs", ref, problems)
    _check_entry(entry, ref, problems, draft)
    content.check_markdown(entry.body, file, entry.body_line, problems, ref.body_limits)
    _check_body_links(entry, root / "docs", problems)
    _check_named_attachments(entry, problems)
    if not draft:  # drafts are never published, so they are scanned once they stop being drafts
        _check_safety(entry, root, ref, waivers or [], problems)
    entry.valid = not any(p.is_error for p in problems[before:])
    return entry


def _check_body_links(entry: Entry, docs: Path, problems: Problems) -> None:
    """A link or image in the body to a file of the entry's folder publishes only if the file is one
    of its 附件 (nothing else there is published): otherwise the page shows a broken link or image."""
    folder = posixpath.dirname(entry.src_uri)
    listed = {a.src_uri for a in entry.attachments}
    for line, target in content.local_links(entry.body):
        src_uri = posixpath.normpath(posixpath.join(folder, target.replace("\\", "/")))
        if src_uri in listed or src_uri.endswith(".md") or not src_uri.startswith(folder + "/"):
            continue  # pages and other folders: MkDocs checks those links when it builds
        where = entry.body_line + line - 1
        too_long = _name_too_long(src_uri)
        if too_long:
            problems.error(entry.file, where, None, f"正文中的链接“{target}”{too_long}")
        elif not _is_file(docs / src_uri):
            problems.error(entry.file, where, None, f"正文中的链接“{target}”指向的文件不存在：请改正文件名，或删除这个链接。")
        else:
            problems.error(entry.file, where, None, f"正文中的链接“{target}”指向的文件没有列在“附件”中，不会发布，"
                                                    "页面上将是坏链接或空白图片：请在“附件”中列出它（名称、文件），或删除这个链接。")


def _name_key(name: str) -> str:
    return re.sub(r"[\s\u3000《》“”\"]+", "", name)


def _check_named_attachments(entry: Entry, problems: Problems) -> None:
    """A 附件 that the body's 附件说明 names (“附件：申报表”) but 附件 does not list: the visitor reads
    of a file that is not there."""
    listed = {_name_key(a.name) for a in entry.attachments}
    listed |= {_name_key(posixpath.splitext(posixpath.basename(a.src_uri))[0]) for a in entry.attachments}
    listed.discard("")
    for line, name in content.named_attachments(entry.body):
        key = _name_key(name)
        if not any(key in have or have in key for have in listed):
            problems.warning(entry.file, entry.body_line + line - 1, "附件",
                             f"正文的附件说明列出“{name}”，但“附件”中没有这个文件：请上传该文件并在“附件”中列出"
                             f"（名称: {name}），或删去正文中的这一项。")


def document_keys(doc_no: str | None, title: str | None, written: date | None) -> list[tuple]:
    """What identifies one document across entries: its 文号, or its title with its 成文日期."""
    keys = [("文号", re.sub(r"\s+", "", doc_no))] if doc_no and doc_no.strip() not in ("无", "") else []
    if title and written:
        keys.append(("标题和成文日期", re.sub(r"\s+", "", title), written))
    return keys


def describe_key(key: tuple) -> str:
    return f"文号“{key[1]}”" if key[0] == "文号" else f"标题“{key[1]}”和成文日期 {key[2].isoformat()}"


NAME_MAX = 255  # bytes in one file or folder name, on the file systems in use (ext4, XFS, NTFS)


def _name_too_long(src_uri: str) -> str | None:
    """Why a path written in an entry cannot be a file (a name too long for the file system), or None."""
    longest = max(src_uri.split("/"), key=lambda name: len(name.encode("utf-8", "surrogateescape")))
    if len(longest.encode("utf-8", "surrogateescape")) <= NAME_MAX:
        return None
    return (f"的文件名太长（{len(longest.encode('utf-8', 'surrogateescape'))} 字节，文件系统最多允许 {NAME_MAX} 字节，"
            "约 85 个汉字），这样的文件无法保存和发布。请把文件改用较短的名称，并改正这里的文件名。")


def _is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except OSError:  # a name the file system cannot hold: not a file there
        return False


def _check_safety(entry: Entry, root: Path, ref: Reference, raw_waivers: list, problems: Problems) -> None:
    """Personal data and secrecy markings in everything of the entry that gets published."""
    waivers, file_waivers = {}, {}  # value -> reason; attachment src_uri -> (文件 as written, reason)
    folder = posixpath.dirname(entry.src_uri)
    for index, item in enumerate(raw_waivers):
        path = ("隐私豁免", index)
        values = schema.read(item if isinstance(item, dict) else {}, entry.lines, entry.file, WAIVER_FIELDS,
                             problems, path=path)
        value, file, reason = values["value"], values["file"], values["reason"]
        if bool(value) == bool(file):
            problems.error(entry.file, entry.lines.get(path, entry.line("隐私豁免")), "隐私豁免",
                           "每项豁免写“内容”（被误报的号码或文字）或“文件”（无法自动检查的附件）二者之一，并写明理由。")
        elif reason and value:
            waivers[safety.digits(value) if safety.digits(value) and value.strip(" -0123456789Xx") == "" else value] = (
                reason)
        elif reason:
            src_uri = posixpath.normpath(posixpath.join(folder, file.replace("\\", "/")))
            file_waivers[src_uri] = (file, reason)
    entry.waived = frozenset(waivers)
    screen = safety.Screen(ref.public_numbers, waivers, problems, ref.safety_rules)
    for key in ("标题", "文号", "内容概述", "关键词"):
        value = entry.lines and getattr(entry, {"标题": "title", "文号": "doc_no", "内容概述": "summary",
                                                "关键词": "keywords"}[key])
        if value:
            screen.check(value if isinstance(value, str) else "、".join(value), entry.file, entry.line(key), key)
    screen.check(entry.body, entry.file, entry.body_line, None)
    rendered.check_markdown(entry.body, root, entry.file, entry.body_line, None, screen)  # as the page shows it
    used_files = set()
    for attachment in entry.attachments:
        line = entry.line("附件")
        screen.check(f"{attachment.name} {posixpath.basename(attachment.src_uri)}", entry.file, line, "附件")
        shown = f"附件“{attachment.name}”（{posixpath.basename(attachment.src_uri)}）"
        try:
            extracted = safety.extract_text(root / "docs" / attachment.src_uri, ref.extraction_limits)
        except safety.Dangerous as exc:  # active content: no exemption publishes it
            problems.error(entry.file, line, "附件", f"{shown}不能发布：{exc.reason}")
            continue
        except safety.Unreadable as exc:
            if attachment.src_uri in file_waivers:
                used_files.add(attachment.src_uri)
                problems.note(entry.file, line, "附件", f"{shown}未能自动检查（{exc.reason}），已豁免："
                              f"{file_waivers[attachment.src_uri][1]}")
            else:
                problems.error(entry.file, line, "附件", f"{shown}无法自动检查个人信息和密级标志：{exc.reason}")
            if exc.partial:  # the parts that were read are scanned all the same
                screen.check(exc.partial.text, f"docs/{attachment.src_uri}", 1, None)
            continue
        for note in extracted.notes:
            problems.note(entry.file, line, "附件", f"附件“{attachment.name}”{note}。")
        screen.check(extracted.text, f"docs/{attachment.src_uri}", 1, None)
    for value in set(waivers) - screen.used:
        problems.warning(entry.file, entry.line("隐私豁免"), "隐私豁免", f"豁免内容“{value}”在本条目中没有出现，请删除该豁免。")
    for src_uri in set(file_waivers) - used_files:
        problems.warning(entry.file, entry.line("隐私豁免"), "隐私豁免",
                         f"豁免文件“{file_waivers[src_uri][0]}”在本条目中没有用到（没有这个附件，或它可以自动检查），请删除该豁免。")


def _check_entry(entry: Entry, ref: Reference, problems: Problems, draft: bool) -> None:
    err = lambda key, msg: problems.error(entry.file, entry.line(key), key, msg)  # noqa: E731
    warn = lambda key, msg: problems.warning(entry.file, entry.line(key), key, msg)  # noqa: E731
    if entry.written and entry.published and entry.published < entry.written:
        err("发布日期", f"发布日期 {entry.published} 早于成文日期 {entry.written}，请核对。")
    if entry.category == POLICY and not entry.validity:
        err("有效性", "政策文件必须注明有效性（有效、失效或废止）。")
    if draft:
        return
    org = ref.orgs.get(entry.org)
    if not entry.index_no:
        err("索引号", f"已发布的条目必须有索引号：请运行 xxgk assign {entry.file} 分配下一个空闲索引号。")
    elif not ref.index_pattern.match(entry.index_no):
        err("索引号", f"“{entry.index_no}”格式不对，应为“9位机构代码/年份-5位流水号”，例如 770010036/2024-00001。")
    elif not index_parts(entry.index_no):  # data/rules.yml allowed it, yet the checks below need its parts
        err("索引号", f"“{entry.index_no}”应为“机构代码/年份-流水号”，例如 770010036/2024-00001。")
    else:
        code, year = index_parts(entry.index_no)
        if org and code != org.code:
            err("索引号", f"前段码“{code}”与发布机构“{org.name}”的机构代码“{org.code}”不一致。")
        if entry.published and year != entry.published.year:
            err("索引号", f"年份“{year}”与发布日期的年份 {entry.published.year} 不一致。")
    missing = [role for role in ref.review_roles if role not in entry.review]
    if missing:
        err("保密审查", f"缺少{'、'.join(missing)}环节的保密审查记录，未经完整审查的信息不得发布。"
                     "请补全审查记录，或加上“草稿: true”暂不发布。")
    for role, (_, day) in entry.review.items():
        line = entry.lines.get(("保密审查", role), entry.line("保密审查"))
        # A migrated entry (原网址) was published on the old portal: its review here is the check made when
        # it moved, after that date.
        if entry.published and day > entry.published and not entry.old_url:
            problems.error(entry.file, line, "保密审查",
                           f"{role}审查日期 {day} 晚于发布日期 {entry.published}：信息须先审查后发布。")
        if entry.written and day < entry.written:
            problems.error(entry.file, line, "保密审查", f"{role}审查日期 {day} 早于成文日期 {entry.written}，请核对。")
    if entry.written and entry.published and entry.written >= ref.publish_rule_from:
        try:
            lag = ref.calendar.workdays_between(entry.written, entry.published)
        except UnknownYear as exc:
            warn("发布日期", f"{exc}。")
        else:
            if lag > ref.publish_workdays:
                warn("发布日期", f"成文日期 {entry.written} 至发布日期 {entry.published} 相隔 {lag} 个工作日，"
                               f"超过条例第二十六条规定的 {ref.publish_workdays} 个工作日。")


def entry_sources(docs: Path) -> list[str]:
    """src_uri of every entry file, sorted."""
    base = docs / CATALOG_DIR
    if not base.is_dir():
        return []
    found = []
    for folder, dirnames, names in os.walk(base):  # os.walk: a third of the time of Path.rglob on 20,000 files
        dirnames[:] = [name for name in dirnames if not name_not_utf8(name)]  # reported by xxgk.sources
        prefix = Path(folder).relative_to(docs).as_posix()
        found.extend(f"{prefix}/{name}" for name in names
                     if name.endswith(".md") and name not in RESERVED and not name_not_utf8(name))
    return sorted(found)


@dataclass
class Catalog:
    entries: list[Entry]
    ref: Reference
    # src_uri -> what the entry was read from, when that is its text alone (xxgk.entrycache): the code,
    # data/ and mkdocs.yml (the cache's bundle) and the entry's path and text. The build's page cache
    # keys an entry page by it instead of encoding the whole entry.
    read_from: dict[str, str] = field(default_factory=dict)

    def __post_init__(self):
        self.by_index = {e.index_no: e for e in self.entries if e.index_no}
        self.by_src = {e.src_uri: e for e in self.entries}
        self._published_cache: dict = {}  # (today, roles, size) -> sorted published entries
        self._linked_from: dict[str, list[Entry]] = {}
        for entry in self.entries:
            for target in entry.related:
                self._linked_from.setdefault(target, []).append(entry)

    def published(self, today: date) -> list[Entry]:
        """Published entries, newest first (then by 索引号, descending).
        Computed once per `today` (the portal asks for it once per listing page: hundreds of calls
        over all entries at 10,000 entries); a new list each call, so callers may change theirs."""
        roles = self.ref.review_roles
        key = (today, roles, len(self.entries))
        cache = self._published_cache
        if key not in cache:
            found = [e for e in self.entries if e.is_published(today, roles)]
            cache.clear()
            cache[key] = sorted(found, key=lambda e: (e.published, e.index_no), reverse=True)
        return list(cache[key])

    def related(self, entry: Entry) -> list[Entry]:
        """Entries linked either way (a link written on one side shows on both)."""
        linked = [self.by_index[i] for i in entry.related if i in self.by_index]
        linked += self._linked_from.get(entry.index_no, []) if entry.index_no else []
        unique = {e.src_uri: e for e in linked if e is not entry}
        return sorted(unique.values(), key=lambda e: e.published or date.min)


PARALLEL_FROM = 2000  # entries; below this, starting worker processes costs more than it saves


class _Shared:
    """One object for each value that many entries repeat: the paths of the front matter's line table
    (the same twenty for every entry), organisations, categories, dates, reviewers. Without it 100,000
    entries hold half a GB more, and the entry cache's bundle unpickles every copy
    (bench/memory-100k-load-2026-12-06.txt). Only immutable values are shared."""

    def __init__(self):
        self._values: dict = {}
        self.seeded = False

    def seed(self, entry: Entry) -> Entry:
        """Take the values of an entry from the entry cache's bundle (whose entries share theirs already)
        as the ones to share, the entry left as it is."""
        one = self.one
        self.seeded = True
        for value in (*entry.lines, *entry.signature, *entry.article20, *entry.keywords):
            one(value)
        for attr in ("org", "topic", "category", "validity", "written", "published", "wording_allowed", "waived"):
            one(getattr(entry, attr))
        for role, pair in entry.review.items():
            one(role), one(pair[0]), one(pair[1]), one(pair)
        return entry

    def one(self, value):
        try:
            return self._values.setdefault((type(value), value), value)
        except TypeError:  # not hashable: kept as it is
            return value

    def entry(self, entry: Entry) -> Entry:
        one = self.one
        entry.lines = {one(path): line for path, line in entry.lines.items()}
        for attr in ("org", "topic", "category", "validity", "written", "published", "wording_allowed", "waived"):
            value = getattr(entry, attr)
            if value is not None:
                setattr(entry, attr, one(value))
        for attr in ("signature", "article20", "keywords"):
            setattr(entry, attr, [one(value) for value in getattr(entry, attr)])
        entry.review = {one(role): one((one(name), one(day))) for role, (name, day) in entry.review.items()}
        return entry


def _read_entries(root: Path, sources: list[str], ref: Reference, keyed: bool) -> list[tuple[Entry | None, Problems, str | None]]:
    """Each entry file read and checked: (entry, its own problems, `keyed`: the entry cache's key of
    the text it was read from). The repeated values of one batch are shared before it is sent back."""
    if not ref.entry_fields:  # in a worker process: the schema holds functions, so it is rebuilt here
        ref.entry_fields = entry_fields(ref)
    shared = _Shared()
    read = []
    for src_uri in sources:
        problems = Problems()
        text = _read_source(root, f"docs/{src_uri}", ref, problems)
        entry = read_entry(root, src_uri, ref, problems, text) if text is not None else None
        key = entry_key(src_uri, text) if keyed and text is not None else None
        read.append((entry and shared.entry(entry), problems, key))
    return read


BATCH = 500  # entries sent to a worker at most at a time: what a worker and the results in flight hold stays small


def load_catalog(root: Path, ref: Reference, problems: Problems) -> Catalog:
    """Read every entry; entries whose text did not change since the last build come from the
    build cache (xxgk.entrycache); the others of a large catalog are read by one process per core.
    Entries and problems come in the same order either way."""
    sources = entry_sources(root / "docs")
    ref.entry_fields = entry_fields(ref)
    count = min(workers.cores(), 8)
    pool = workers.start(count) if count >= 2 and len(sources) >= PARALLEL_FROM else None
    try:
        cache = EntryCache(root, (Entry, Attachment))
        shared = _Shared()
        read: list = [None] * len(sources)
        read_from: dict[str, str] = {}
        todo: list[tuple[int, str]] = []  # position, src_uri: read again where it is read as an entry
        for position, src_uri in enumerate(sources):
            found = None
            if not cache.empty:
                signature = cache.signature(os.path.join(root, "docs", src_uri))
                key = cache.known(src_uri, signature)
                if key is None:
                    text = _read_source(root, f"docs/{src_uri}", ref, Problems())  # its problems: read_entry's to report
                    key = entry_key(src_uri, text) if text is not None else None
                    if key is not None:
                        cache.learn(src_uri, signature, key)
                found = cache.get(key) if key is not None else None
            if found is not None:
                # Already one object for each repeated value: the bundle was pickled from shared entries. The
                # first is shared here too, so that the entries read again share its values.
                read[position] = (found[0] if shared.seeded else shared.seed(found[0]), found[1])
                read_from[src_uri] = f"{cache.bundle}/{key}"
            else:
                todo.append((position, src_uri))
        names = [src_uri for _, src_uri in todo]
        fresh = None
        if pool is not None and names:  # started already: even a few entries are read there, where the
            # child that reads their attachments (xxgk.attachments) is forked from a small process, not this one
            size = min(BATCH, -(-len(names) // (count * 4)))  # a few batches per worker even out their load
            batches = [names[i:i + size] for i in range(0, len(names), size)]
            plain = dataclasses.replace(ref, entry_fields=())
            try:
                fresh = (one for part in pool.map(_read_entries, [root] * len(batches), batches,
                                                  [plain] * len(batches), [cache.enabled] * len(batches))
                         for one in part)  # taken as the batches come back, not gathered first
                _take(fresh, todo, read, cache, shared, read_from)
            except (BrokenProcessPool, OSError):  # a host that does not let us start processes: read here
                fresh = None
        if fresh is None:
            _take(iter(_read_entries(root, names, ref, cache.enabled)), todo, read, cache, shared, read_from)
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
    cache.save()
    problems.extend(p for _, found in read for p in found)
    return Catalog([entry for entry, _ in read if entry is not None], ref, read_from)


def _take(fresh, todo: list[tuple[int, str]], read: list, cache: EntryCache, shared: _Shared,
          read_from: dict[str, str]) -> None:
    """Put the entries just read in their places (sharing their repeated values with the others) and
    into the entry cache."""
    for (position, src_uri), (entry, found, key) in zip(todo, fresh):
        entry = entry and shared.entry(entry)
        read[position] = (entry, found)
        if key and entry is not None and cache.put(key, entry, found):
            read_from[src_uri] = f"{cache.bundle}/{key}"


def check_catalog(catalog: Catalog, today: date, problems: Problems) -> None:
    """Checks across entries: links, missing 政策解读 (unique 索引号: xxgk.numbering). A draft's are warnings."""
    found = Problems()
    _check_across(catalog, today, found)
    _check_same_document(catalog, found)
    drafts = {e.file for e in catalog.entries if e.draft}
    problems.extend(p.in_draft() if p.file in drafts else p for p in found)


def _check_same_document(catalog: Catalog, problems: Problems) -> None:
    """Two entries of one 文号, as a second import of the same .docx makes: a warning on the later one,
    naming the first (published ones first). Entries linked by 相关 (a 政策解读 that repeats the 文号 of
    its policy) are two documents on purpose."""
    first: dict[tuple, Entry] = {}
    for entry in sorted(catalog.entries, key=lambda e: (e.draft, e.published or date.max, e.src_uri)):
        for key in document_keys(entry.doc_no, None, None):
            other = first.setdefault(key, entry)
            if other is not entry and other not in catalog.related(entry):
                problems.warning(entry.file, entry.line("文号"), "文号",
                                 f"{describe_key(key)}与 {other.file} 相同，可能是同一文件发布了两次。如是重复，"
                                 "请删除其中较新的一条；如是不同文件，请核对文号。")


def _check_across(catalog: Catalog, today: date, problems: Problems) -> None:
    ref = catalog.ref
    roles = ref.review_roles
    for entry in catalog.entries:
        for target in entry.related:
            other = catalog.by_index.get(target)
            if other is None:
                problems.error(entry.file, entry.line("相关"), "相关", f"找不到索引号为“{target}”的条目。")
            elif not entry.draft and not other.draft and other is entry:
                problems.error(entry.file, entry.line("相关"), "相关", "条目不能关联自己。")
        if (entry.category == POLICY and entry.is_published(today, roles) and entry.validity == "有效"
                and (today - entry.published).days > ref.interpretation_days
                and not any(r.category == INTERPRETATION for r in catalog.related(entry))):
            problems.warning(entry.file, entry.line("信息类别"), "相关",
                             f"政策文件发布已超过 {ref.interpretation_days} 天，仍未关联政策解读。"
                             "请发布解读并在“相关”中填写其索引号。")
