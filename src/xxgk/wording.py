"""用语检查: wrong and outdated wording, declared in data/wording.yml, in everything the portal publishes.

The national inspection fails a site outright for serious wording errors (严重表述错误, 国办函〔2019〕19号):
misspelt political formulas such as 扫黑险恶, the names of institutions abolished in a reorganisation,
laws repealed long ago, and periods that have ended spoken of as current.

All wrong forms go into one Aho-Corasick automaton (pyahocorasick), so a 10,000-entry portal is read
once whatever the number of rules. Text is matched with blanks, line breaks and Markdown emphasis
removed, so that “扫黑　险恶” or a word broken over two lines is still found; a paragraph break ends a
match. A dated rule (an institution renamed, a law repealed) applies to documents written on or after
its date, and an old name used on purpose is left alone: after 原, inside 《》 or quotation marks, or
followed by the number of a document older than the change (〔2017〕…). An entry may also list the
forms it uses deliberately, with a reason, under 用语例外.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import ahocorasick

from . import schema
from .entrycache import ProblemCache
from .problems import InputError, Problems
from .schema import Field
from .yamlio import load_yaml_file, read_text

FILE = "data/wording.yml"
SEVERE = "严重"
LEVELS = (SEVERE, "一般")
INSTITUTION, LAW = "机构", "法规"
KINDS = ("提法", INSTITUTION, LAW, "时期")

RULE_FIELDS = (
    Field("类别", "kind", required=True, choices=lambda: KINDS),
    Field("错误", "wrong", "texts", required=True),
    Field("正确", "right", required=True),
    Field("原因", "reason", required=True),
    Field("级别", "level", required=True, choices=lambda: LEVELS),
    Field("起始日期", "since", "date"),
    Field("例外", "exceptions", "texts"),
)
EXCEPTION_FIELDS = (Field("用语", "form", required=True), Field("理由", "reason", required=True))

# Removed before matching: what does not show between two characters of a word on the page.
_INVISIBLE = re.compile(r"[ \t\r\f\v\u00a0\u3000\u200b-\u200d\u2060\ufeff*_~`]+|\n(?![ \t\u3000]*\n)")
_PARAGRAPH = re.compile(r"\n[ \t\u3000]*\n")  # ends a match: a word never runs across paragraphs
# Marks that enclose a name cited on purpose, opening -> closing.
_QUOTES = {"《": "》", "“": "”", "「": "」", "『": "』", "〈": "〉", '"': '"'}
_CITED_YEAR = re.compile(r"[^。；\n]{0,40}?[〔\[［(（]((?:19|20)\d\d)[〕\]］)）]")
_ORDER = re.compile(r"(?:令|第[0-9一二三四五六七八九十百]+号令)")  # 国家工商行政管理总局令第…号: a regulation it issued


@dataclass(frozen=True)
class Rule:
    kind: str  # 提法, 机构, 法规 or 时期
    wrong: tuple[str, ...]
    right: str
    reason: str
    level: str
    since: date | None
    exceptions: tuple[str, ...]
    line: int  # in data/wording.yml

    @property
    def severe(self) -> bool:
        return self.level == SEVERE


@dataclass(frozen=True)
class Hit:
    form: str  # the wrong form as written in the rule
    rule: Rule
    line: int  # in the checked file


def squeeze(text: str) -> tuple[str, list[int]]:
    """Text as matched (invisible characters removed, paragraph breaks kept as one newline) and, for
    every character of it, its offset in `text`."""
    kept, offsets = [], []
    position = 0
    for match in _INVISIBLE.finditer(text):
        for offset in range(position, match.start()):
            kept.append(text[offset])
            offsets.append(offset)
        position = match.end()
    for offset in range(position, len(text)):
        kept.append(text[offset])
        offsets.append(offset)
    return "".join(kept), offsets


class Wording:
    """The rules of data/wording.yml as one automaton."""

    def __init__(self, rules: list[Rule]):
        self.rules = rules
        self._automaton = ahocorasick.Automaton()
        for rule in rules:
            for form in rule.wrong:
                key = _INVISIBLE.sub("", form)
                if key:
                    # Several rules may share a form: the first declared wins.
                    if key not in self._automaton:
                        self._automaton.add_word(key, (key, form, rule))
        if len(self._automaton):
            self._automaton.make_automaton()

    def find(self, text: str, first_line: int, written: date | None, allowed: set[str] = frozenset()) -> list[Hit]:
        """The wrong forms in `text` (which starts at `first_line` of its file), for a document written
        on `written`; the forms in `allowed` are used on purpose."""
        if not len(self._automaton):
            return []
        cheap = _INVISIBLE.sub("", text)
        if next(self._automaton.iter(cheap), None) is None:
            return []  # the common case: nothing to locate
        flat, offsets = squeeze(text)
        matches = sorted(((end - len(key) + 1, end + 1, form, rule) for end, (key, form, rule) in self._automaton.iter(flat)),
                         key=lambda m: (m[0], -(m[1] - m[0])))
        hits, covered = [], -1
        for start, end, form, rule in matches:
            if start < covered:
                continue  # inside a longer match (国家卫生计生委 holds 卫生计生委)
            if "\n" in flat[start:end] or form in allowed or _excepted(flat, start, end, rule):
                continue
            if rule.since is not None and (written is None or written < rule.since or _cited(flat, start, end, rule)):
                continue
            covered = end
            line = first_line + text.count("\n", 0, offsets[start])
            hits.append(Hit(form, rule, line))
        return hits


def _excepted(flat: str, start: int, end: int, rule: Rule) -> bool:
    """The match is part of a longer word that is right (农业部门 holds 农业部)."""
    for word in rule.exceptions:
        for at in range(max(0, end - len(word)), start + 1):
            if flat.startswith(word, at) and at + len(word) >= end:
                return True
    return False


def _cited(flat: str, start: int, end: int, rule: Rule) -> bool:
    """An old name or law used on purpose: 原… (原《…》); an institution also inside 《》 or quotation
    marks, or as the issuer of a document numbered before the change or of a 令."""
    before = start - 1 if flat[start - 1:start] in _QUOTES else start
    if flat[max(0, before - 1):before] in ("原", "前"):
        return True
    if rule.kind != INSTITUTION:
        return False
    paragraph = flat.rfind("\n", 0, start) + 1
    before = flat[paragraph:start]
    for opening, closing in _QUOTES.items():
        if opening == closing:
            if before.count(opening) % 2:
                return True
        elif before.rfind(opening) > before.rfind(closing):
            return True
    year = _CITED_YEAR.match(flat, end) or None
    if year and int(year.group(1)) < rule.since.year:
        return True
    return bool(_ORDER.match(flat, end))


def load_wording(root: Path, problems: Problems) -> Wording:
    path = root / FILE
    if not path.is_file():
        return Wording([])
    try:
        data, lines = load_yaml_file(path, FILE)
    except InputError as exc:
        problems.append(exc.problem)
        return Wording([])
    items = data.get("规则") if isinstance(data, dict) else None
    if not isinstance(items, list):
        problems.error(FILE, 1, "规则", "应写成“规则:”下的列表，每项 {错误: …, 正确: …, 原因: …, 级别: …}。")
        return Wording([])
    rules = []
    for index, item in enumerate(items):
        line = lines.get(("规则", index), 1)
        if not isinstance(item, dict):
            problems.error(FILE, line, "规则", "每项应写成 {错误: …, 正确: …, 原因: …, 级别: …}。")
            continue
        before = len(problems)
        values = schema.read(item, lines, FILE, RULE_FIELDS, problems, path=("规则", index))
        if len(problems) > before:
            continue
        values["wrong"] = tuple(values["wrong"])
        values["exceptions"] = tuple(values["exceptions"] or ())
        rules.append(Rule(line=line, **values))
    return Wording(rules)


def read_exceptions(raw, file: str, lines: dict, problems: Problems) -> set[str]:
    """An entry's 用语例外: [{用语: …, 理由: …}]."""
    allowed = set()
    for index, item in enumerate(raw or []):
        path = ("用语例外", index)
        if not isinstance(item, dict):
            problems.error(file, lines.get(path, lines.get(("用语例外",), 1)), "用语例外", "每项应写成 {用语: …, 理由: …}。")
            continue
        values = schema.read(item, lines, file, EXCEPTION_FIELDS, problems, path=path)
        if values["form"] and values["reason"]:
            allowed.add(values["form"])
    return allowed


def check_text(wording: Wording, text: str, first_line: int, written: date | None, file: str, field: str | None,
               problems: Problems, *, allowed: set[str] = frozenset(), draft: bool = False) -> None:
    """Every wrong form in one text, as a located problem: an error for 严重, a warning otherwise
    (a warning in a draft, which is never published)."""
    for hit in wording.find(text, first_line, written, allowed):
        rule = hit.rule
        dated = f"（自 {rule.since.isoformat()} 起）" if rule.since else ""
        message = (f"用语“{hit.form}”有误，应为“{rule.right}”：{rule.reason}{dated}。"
                   + ("属于严重表述错误（政府网站检查单项否决）。" if rule.severe else "")
                   + ("确需照录原文的，请放在引号或书名号中，或在“用语例外”中写明用语和理由。" if rule.since else ""))
        found = Problems()
        (found.error if rule.severe else found.warning)(file, hit.line, field, message)
        problems.extend(p.in_draft() if draft else p for p in found)


def check_project(root: Path, wording: Wording, entries, reports, pages: list[str], today: date,
                  problems: Problems) -> None:
    """Entries (title, summary, body; dated by 成文日期), report narratives (dated by 发布日期) and the
    hand-written pages of docs/ (current: dated today)."""
    if not wording.rules:
        return
    # An entry's findings depend on what is read here, the rules (data/wording.yml) and the code only.
    cache = ProblemCache(root, "wording")
    for entry in entries:
        written = entry.written or entry.published or today
        allowed = entry.wording_allowed
        key = cache.key(entry.file, entry.title, entry.line("标题"), entry.summary or "", entry.line("内容概述"),
                        entry.body, entry.body_line, written, sorted(allowed), entry.draft)
        found = cache.get(key)
        if found is None:
            found = Problems()
            check_text(wording, entry.title, entry.line("标题"), written, entry.file, "标题", found,
                       allowed=allowed, draft=entry.draft)
            if entry.summary:
                check_text(wording, entry.summary, entry.line("内容概述"), written, entry.file, "内容概述", found,
                           allowed=allowed, draft=entry.draft)
            check_text(wording, entry.body, entry.body_line, written, entry.file, None, found,
                       allowed=allowed, draft=entry.draft)
            cache.put(key, found)
        problems.extend(found)
    cache.save()
    for report in reports:
        written = report.published or today
        if report.carry_note:
            check_text(wording, report.carry_note, report.lines.get(("上年结转说明",), 1), written, report.file,
                       "上年结转说明", problems, draft=report.draft)
        if report.narrative is not None:
            for text, first_line in report.narrative.texts():
                check_text(wording, text, first_line, written, report.narrative.file, None, problems, draft=report.draft)
    for src_uri in pages:
        file = f"docs/{src_uri}"
        try:
            text = read_text(root / file, file)
        except InputError:
            continue  # reported where the page is read
        check_text(wording, text, 1, today, file, None, problems)
