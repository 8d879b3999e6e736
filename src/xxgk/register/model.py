"""The register as data: data/register/<org>/<year>.yml, one file per org and year of receipt.

A file is a mapping: an optional 范围 and the list 申请, one item per application. The
schema has no place for who applied: names, ID numbers, phone numbers and addresses have
no field, unknown fields are rejected, and the free text (编号, 内容摘要, 备注) goes through
the personal-data scanner of xxgk.safety. The field list is documented at the top of each
demo file and in README.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

from .. import schema
from ..entrycache import FileCache, file_key
from ..problems import InputError, Problems
from ..reference import Reference
from ..reports.applications import applicant_types, outcome_keys
from ..reports.formats import Formats
from ..safety import Screen
from ..schema import Field, FileReader
from ..yamlio import load_yaml_file
from .settings import RegisterRules

REGISTER_DIR = "data/register"
SCOPE_ALL = "全年"  # every application received in the year (the default)
SCOPE_OPEN = "年末未办结"  # only those still open on 31 December: the year before a register starts
SCOPES = (SCOPE_ALL, SCOPE_OPEN)

FILE_FIELDS = (
    Field("范围", "scope", choices=lambda: SCOPES),
    Field("申请", "applications", "list", required=True),
)
CORRECTION_FIELDS = (Field("通知日期", "notice", "date", required=True), Field("补正日期", "received", "date"))
EXTENSION_FIELDS = (Field("告知日期", "notice", "date", required=True),)
NUMBER_KEYS = ("征求意见工作日", "信息处理费")  # read here: the schema has no number kind
FREE_TEXT = (("编号", "number"), ("内容摘要", "summary"), ("备注", "note"))
# Keys an editor might add for the applicant: refused with the reason, not just as a typo.
_PERSONAL_KEY = re.compile("姓名|名字|名称|身份|证件|电话|手机|联系|地址|住址|邮箱|邮件|单位|代码")


def application_fields(rules: RegisterRules, applicants: list[str]) -> tuple[Field, ...]:
    return (
        Field("编号", "number", required=True),
        Field("收到日期", "received", "date", required=True),
        Field("渠道", "channel", required=True, choices=lambda: rules.channels),
        Field("申请人类型", "applicant", required=True, choices=lambda: applicants),
        Field("内容摘要", "summary"),
        Field("补正", "correction", "mapping"),
        Field("延期", "extension", "mapping"),
        Field("办理结果", "outcome"),
        Field("答复日期", "replied", "date"),
        Field("备注", "note"),
    )


@dataclass
class Clock:
    """The reply deadline of one application (set by xxgk.register.deadlines)."""
    start: date | None  # receipt, or receipt of the 补正; None while waiting for the 补正
    allowed: int  # working days: 20, plus consultation days, plus the extension
    due: date | None  # None when waiting for the 补正 or the calendar does not know the year
    unknown_year: int | None = None
    late: bool | None = None  # replied after the due date (None: not replied, or cannot tell)
    used: int | None = None  # working days used until the reply, consultation not counted
    overdue: bool = False  # still open after the due date on the check date


@dataclass
class Application:
    file: str
    org: str
    year: int  # of the file (= of receipt)
    lines: dict
    path: tuple  # of this item in the file: ("申请", index)
    number: str = ""
    received: date | None = None
    channel: str = ""
    applicant: str = ""
    summary: str | None = None
    correction_notice: date | None = None
    corrected: date | None = None
    extension_notice: date | None = None
    extension_days: int = 0
    consult_days: int = 0
    outcome: str | None = None
    replied: date | None = None
    fee: int | Decimal = 0
    note: str | None = None
    valid: bool = True
    clock: Clock | None = None

    @property
    def line(self) -> int:
        return self.lines.get(self.path, 1)

    def field_line(self, *keys: str) -> int:
        path = self.path + keys
        while path != self.path and path not in self.lines:
            path = path[:-1]
        return self.lines.get(path, self.line)

    def received_by(self, day: date) -> bool:
        return self.received is not None and self.received <= day

    def open_on(self, day: date) -> bool:
        """Received and not yet replied on `day`."""
        return self.received_by(day) and (self.replied is None or self.replied > day)

    def awaiting_correction(self, day: date) -> bool:
        """The applicant has been asked to correct the application and has not yet done so."""
        return (self.open_on(day) and self.correction_notice is not None and self.correction_notice <= day
                and (self.corrected is None or self.corrected > day))


@dataclass
class RegisterFile:
    file: str
    org: str
    year: int
    scope: str
    applications: list[Application] = field(default_factory=list)


@dataclass
class Register:
    rules: RegisterRules
    files: dict[tuple[str, int], RegisterFile] = field(default_factory=dict)
    broken: set[str] = field(default_factory=set)  # orgs whose register has errors: no figures from it

    @property
    def applications(self) -> list[Application]:
        return [a for f in self.files.values() for a in f.applications]

    def orgs(self) -> list[str]:
        return sorted({org for org, _ in self.files})

    def of(self, org: str) -> list[Application]:
        return [a for (o, _), f in sorted(self.files.items()) if o == org for a in f.applications]

    def covers(self, org: str, year: int) -> bool:
        """A complete, error-free register of the applications received in `year`."""
        found = self.files.get((org, year))
        return found is not None and found.scope == SCOPE_ALL and org not in self.broken

    def folder(self, org: str) -> str:
        return f"{REGISTER_DIR}/{org}/"

    def __len__(self) -> int:
        return len(self.applications)


# --- reading -------------------------------------------------------------------------------------

class _Reader(FileReader):
    def known_keys(self, item: dict, path: tuple, keys: list[str]) -> dict:
        """Drop unknown keys with an error; personal-data keys say why they are refused."""
        kept = {}
        for key, value in item.items():
            if str(key) in keys:
                kept[str(key)] = value
            elif _PERSONAL_KEY.search(str(key)):
                self.error(path + (key,), str(key), "登记台账不得记录申请人的姓名、名称、证件号码、联系方式、地址等信息："
                                                    "请删除该字段，需要时在收发文系统中按编号查阅原件。")
            else:
                self.error(path + (key,), str(key), f"不是可用的字段。可用字段：{'、'.join(keys)}。请检查是否写错字。")
        return kept

    def number(self, value, path: tuple, key: str, *, integer: bool):
        what = "非负整数（工作日数）" if integer else "非负数（元）"
        if value is None:
            return 0
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.error(path, key, f"应为{what}，却是“{value}”。")
            return None
        if isinstance(value, float):
            if integer or value != value or value in (float("inf"), float("-inf")):
                self.error(path, key, f"应为{what}，却是 {value}。")
                return None
            value = Decimal(repr(value))
        if value < 0:
            self.error(path, key, f"应为{what}，却是 {value}。")
            return None
        return value


def _read_application(r: _Reader, item, path: tuple, org: str, year: int,
                      fields: tuple[Field, ...]) -> Application | None:
    app = Application(r.file, org, year, r.lines, path)
    if not isinstance(item, dict):
        r.error(path, None, "每件申请应写成“字段: 值”的映射，以“- 编号: …”开始。")
        return None
    item = r.known_keys(item, path, [f.key for f in fields] + list(NUMBER_KEYS))
    numbers = {k: item.pop(k) for k in NUMBER_KEYS if k in item}
    values = schema.read(item, r.lines, r.file, fields, r.problems, path=path)
    for attr in ("number", "received", "channel", "applicant", "summary", "outcome", "replied", "note"):
        if values[attr] is not None:
            setattr(app, attr, values[attr])
    if values["correction"] is not None:
        here = path + ("补正",)
        correction = r.known_keys(values["correction"], here, [f.key for f in CORRECTION_FIELDS])
        got = schema.read(correction, r.lines, r.file, CORRECTION_FIELDS, r.problems, path=here)
        app.correction_notice, app.corrected = got["notice"], got["received"]
    if values["extension"] is not None:
        here = path + ("延期",)
        extension = r.known_keys(values["extension"], here, [f.key for f in EXTENSION_FIELDS] + ["工作日"])
        days = extension.pop("工作日", None)
        got = schema.read(extension, r.lines, r.file, EXTENSION_FIELDS, r.problems, path=here)
        app.extension_notice = got["notice"]
        if days is None:
            r.error(here, "工作日", "缺少必填字段“工作日”（延长的工作日数），请补上。")
        else:
            app.extension_days = r.number(days, here + ("工作日",), "延期.工作日", integer=True) or 0
    if "征求意见工作日" in numbers:
        app.consult_days = r.number(numbers["征求意见工作日"], path + ("征求意见工作日",), "征求意见工作日", integer=True) or 0
    if "信息处理费" in numbers:
        app.fee = r.number(numbers["信息处理费"], path + ("信息处理费",), "信息处理费", integer=False) or 0
    return app


def _check_application(app: Application, r: _Reader, formats: Formats, rules: RegisterRules,
                       scope: str, failed: frozenset | set = frozenset()) -> None:
    """What one application must satisfy by itself (the deadlines are checked in deadlines.py).
    `failed`: fields already reported as wrong; checks that need them are left out."""
    def err(key: str, message: str) -> None:
        if key.split(".")[0] not in failed:
            r.error(app.path + tuple(key.split(".")), key, message)
    if app.received and app.received.year != app.year:
        err("收到日期", f"收到日期 {app.received} 不在 {app.year} 年：每件申请登记在其收到年度的文件中，"
                     f"应移到 {REGISTER_DIR}/{app.org}/{app.received.year}.yml。")
    if app.correction_notice and app.received and app.correction_notice < app.received:
        err("补正.通知日期", f"补正通知日期 {app.correction_notice} 早于收到日期 {app.received}。")
    if app.corrected and app.correction_notice and app.corrected < app.correction_notice:
        err("补正.补正日期", f"补正日期 {app.corrected} 早于补正通知日期 {app.correction_notice}。")
    if app.extension_notice and app.received and app.extension_notice < app.received:
        err("延期.告知日期", f"延期告知日期 {app.extension_notice} 早于收到日期 {app.received}。")
    if app.extension_days > rules.extension_days:
        err("延期.工作日", f"延期 {app.extension_days} 个工作日，超过条例第三十三条规定的最长 {rules.extension_days} 个工作日。")
    elif app.extension_notice and not app.extension_days:
        err("延期.工作日", f"延期的工作日数应为 1 至 {rules.extension_days} 之间的整数。")
    if (app.outcome is None) != (app.replied is None) and not {"办理结果", "答复日期"} & failed:
        missing = "答复日期" if app.replied is None else "办理结果"
        err(missing, "办理结果和答复日期应同时填写（已答复）或同时不填（尚在办理）。")
    if app.replied and app.received:
        if app.replied < app.received:
            err("答复日期", f"答复日期 {app.replied} 早于收到日期 {app.received}。")
        if app.corrected and app.replied < app.corrected:
            err("答复日期", f"答复日期 {app.replied} 早于补正日期 {app.corrected}。")
        if app.extension_notice and app.replied < app.extension_notice:
            err("答复日期", f"答复日期 {app.replied} 早于延期告知日期 {app.extension_notice}。")
        if scope == SCOPE_OPEN and app.replied.year == app.year:
            err("答复日期", f"本文件“范围: {SCOPE_OPEN}”只登记 {app.year} 年12月31日尚未答复的申请，"
                         f"而本件已于 {app.replied} 答复。")
    if app.outcome and app.replied:
        fmt = formats.for_year(app.replied.year)
        keys = outcome_keys(fmt)
        if fmt is None:
            err("答复日期", f"没有适用于 {app.replied.year} 年度的报告格式（见 data/formats/），无法归入表三。")
        elif app.outcome not in keys:
            err("办理结果", f"“{app.outcome}”不是《{fmt.name}》（{fmt.years}，按答复年度）表三的办理结果。"
                         f"{_outcome_hint(app.outcome, keys, formats, fmt)}")
        else:
            _check_outcome(app, err)


def _outcome_hint(given: str, keys: list[str], formats: Formats, fmt) -> str:
    tails = [k for k in keys if k.endswith(given) or k.split("/")[-1] == given]
    if len(tails) == 1:
        return f"应写完整的标签路径“{tails[0]}”。"
    for other in formats.values():
        if other is not fmt and given in outcome_keys(other):
            return f"这是《{other.name}》（{other.years}）的标签；请按答复年度适用的格式填写。可选：{'、'.join(keys)}。"
    return f"可选：{'、'.join(keys)}。"


def _check_outcome(app: Application, err) -> None:
    """Outcomes that presuppose a 补正 or an unpaid fee notice (条例第三十条、第四十二条)."""
    if "逾期不补正" in app.outcome:
        if app.correction_notice is None:
            err("补正", "办理结果为申请人逾期不补正，但没有登记补正通知日期。")
        elif app.corrected is not None:
            err("补正.补正日期", f"办理结果为申请人逾期不补正，但登记了补正日期 {app.corrected}。")
    if "补正后申请内容仍不明确" in app.outcome and app.corrected is None:
        err("补正", "办理结果为补正后申请内容仍不明确，但没有登记补正日期。")
    if "未按收费通知要求缴纳费用" in app.outcome and app.fee:
        err("信息处理费", "办理结果为申请人逾期未缴纳费用，信息处理费（实际收取）应为 0。")


def read_register_file(data, lines: dict, file: str, org: str, year: int, ref: Reference, formats: Formats,
                       rules: RegisterRules, problems: Problems) -> RegisterFile | None:
    """One file, checked by itself: fields, dates, outcomes, personal data."""
    r = _Reader(file, lines, problems)
    if not isinstance(data, dict):
        r.error((), None, "登记台账应为“字段: 值”形式的映射，写“申请:”后逐件登记。")
        return None
    data = r.known_keys(data, (), [f.key for f in FILE_FIELDS])
    values = schema.read(data, lines, file, FILE_FIELDS, problems)
    fmt = formats.for_year(year)
    applicants = applicant_types(fmt)
    if not applicants:
        r.error((), None, f"没有适用于 {year} 年度、含表三的报告格式（见 data/formats/），无法登记申请人类型。")
        return None
    found = RegisterFile(file, org, year, values["scope"] or SCOPE_ALL)
    fields = application_fields(rules, applicants)
    screen = Screen(ref.public_numbers, {}, problems, ref.safety_rules)  # no waivers: the register holds no personal data at all
    for index, item in enumerate(values["applications"] or []):
        path = ("申请", index)
        before = len(problems)
        app = _read_application(r, item, path, org, year, fields)
        if app is None:
            continue
        for key, attr in FREE_TEXT:
            value = getattr(app, attr)
            if value:
                screen.check(value, file, app.field_line(key), key)
        # Every problem of the file at once: the checks across fields run even after a field's error,
        # leaving out those that involve a field already reported.
        failed = {p.field.split(".")[0] for p in problems[before:] if p.field}
        _check_application(app, r, formats, rules, found.scope, failed)
        app.valid = not any(p.is_error for p in problems[before:])
        found.applications.append(app)
    return found


def load_register(root: Path, ref: Reference, formats: Formats, rules: RegisterRules,
                  problems: Problems) -> Register:
    """Every register file, read and checked by itself; numbers unique within an org."""
    register = Register(rules)
    folder = root / REGISTER_DIR
    # Each file as read and checked by itself (its rules in data/rules.yml, its formats in data/formats/).
    cache = FileCache(root, "register", RegisterFile, (RegisterFile, Application, Decimal, date))
    for path in sorted(folder.glob("*/*.yml")) if folder.is_dir() else []:
        file = path.relative_to(root).as_posix()
        org, stem = path.parent.name, path.stem
        if org not in ref.orgs:
            problems.error(file, 1, None, f"目录名“{org}”不是 data/orgs.yml 中的机构标识；登记台账应放在 {REGISTER_DIR}/<机构标识>/ 下。")
            continue
        if not re.fullmatch(r"\d{4}", stem):
            problems.error(file, 1, None, f"登记台账文件应按收到年度命名，例如 {REGISTER_DIR}/{org}/2024.yml。")
            continue
        key = file_key(root, [file])
        cached = cache.get(key)
        if cached is None:
            own = Problems()
            try:
                data, lines = load_yaml_file(path, file)
                found = read_register_file(data if data is not None else {}, lines, file, org, int(stem), ref,
                                           formats, register.rules, own)
            except InputError as exc:
                own.append(exc.problem)
                found = None
            cached = cache.put(key, found, own)
        found, own = cached
        problems.extend(own)
        if found is not None:
            register.files[(org, found.year)] = found
        if found is None or any(p.is_error for p in own):
            register.broken.add(org)
    cache.save()
    for org in register.orgs():
        seen: dict[str, Application] = {}
        for app in register.of(org):
            other = seen.setdefault(app.number, app)
            if other is not app:
                problems.error(app.file, app.field_line("编号"), "编号",
                               f"编号“{app.number}”与 {other.file} 第 {other.line} 行的申请重复；同一机构的编号必须唯一。")
                app.valid = False
                register.broken.add(org)
    return register
