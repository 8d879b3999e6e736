"""Reference data declared in data/: organisations, vocabularies, rules, holidays."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from . import safety, schema
from .attachments import Limits as ExtractionLimits
from .content import BodyLimits
from .inspection_rules import Rules as InspectionRules, load_rules as load_inspection_rules
from .patterns import compile_pattern
from .problems import InputError, Problems
from .schema import Field
from .workdays import WorkCalendar
from .yamlio import load_yaml_file

ORG_ID = re.compile(r"^[a-z][a-z0-9]*$")
ORG_CODE = re.compile(r"^[0-9A-Z]{9}$")
ORG_TYPES = ("政府", "部门")


@dataclass
class Org:
    id: str
    name: str
    short_name: str
    code: str
    type: str
    parent: str | None
    guide: dict
    line: int


ORG_FIELDS = (
    Field("标识", "id", required=True),
    Field("名称", "name", required=True),
    Field("简称", "short_name"),
    Field("机构代码", "code", required=True),
    Field("类型", "type", required=True, choices=lambda: ORG_TYPES),
    Field("上级", "parent"),
    Field("公开指南", "guide", "mapping", required=True),
)
GUIDE_FIELDS = (
    Field("工作机构", "office", required=True),
    Field("地址", "address", required=True),
    Field("邮编", "postcode", required=True),
    Field("电话", "phone", required=True),
    Field("办公时间", "hours", required=True),
    Field("传真", "fax"),
    Field("电子邮箱", "email"),
)


@dataclass
class Term:
    name: str
    code: str
    search_weight: float | None = None  # 检索权重 of an entry's body in the site search (信息类别 only)


@dataclass(frozen=True)
class ImportLimits:
    """data/safety.yml 导入: what `xxgk import` reads of one Word document, counted before converting it."""
    paragraphs: int = 50_000  # every w:p, those in table cells included
    tables: int = 500
    cells: int = 50_000
    seconds: float = 60  # the conversion of one file


IMPORT_LIMIT_KEYS = {"最大段落数": "paragraphs", "最大表格数": "tables", "最大单元格数": "cells", "最长秒数": "seconds"}


@dataclass
class Reference:
    orgs: dict[str, Org] = field(default_factory=dict)
    categories: dict[str, Term] = field(default_factory=dict)  # 信息类别 by name
    topics: dict[str, Term] = field(default_factory=dict)  # 主题分类 by name
    article20: dict[str, str] = field(default_factory=dict)  # （一） -> 内容
    validity: tuple[str, ...] = ()
    review_roles: tuple[str, ...] = ()
    index_pattern: object = compile_pattern(r"^[0-9A-Z]{9}/\d{4}-\d{5}$")[0]  # RE2 (xxgk.patterns)
    interpretation_days: int = 30
    warning_list_limit: int = 10  # xxgk check lists one warning for at most this many files, then counts the rest
    publish_workdays: int = 20
    publish_rule_from: date = date(2008, 5, 1)  # 条例施行: earlier information has no time limit to check
    calendar: WorkCalendar = field(default_factory=WorkCalendar)
    public_numbers: set[str] = field(default_factory=set)  # digits; never reported as personal data
    safety_rules: safety.Rules = safety.RULES  # data/safety.yml 识别规则: card prefixes, context words
    attachment_types: frozenset[str] = frozenset()  # file suffixes without the dot (data/safety.yml 附件)
    attachment_max_bytes: int = 50 * 1024 * 1024
    extraction_limits: ExtractionLimits = ExtractionLimits()  # reading attachments (data/safety.yml 附件)
    site_assets: tuple[str, ...] = ("assets/",)  # docs/ path prefixes published as they are
    import_limits: ImportLimits = field(default_factory=ImportLimits)  # data/safety.yml 导入
    body_limits: BodyLimits = BodyLimits()  # what one Markdown page may ask of the build (data/safety.yml 正文)
    entry_fields: tuple = ()  # the catalog schema bound to these vocabularies (catalog.entry_fields)
    inspection: InspectionRules = field(default_factory=InspectionRules)  # data/inspection.yml
    report_category: str | None = None  # 信息类别 of the annual reports in the catalog (data/rules.yml)
    report_topic: str | None = None  # their 主题分类
    monitor_from: int | None = None  # first year the dashboard monitors (data/rules.yml 监测起始年度)


def _mapping(data, file: str, problems: Problems) -> dict:
    if not isinstance(data, dict):
        problems.error(file, 1, None, "文件内容应为“名称: 值”形式的映射。")
        return {}
    return data


def _load_orgs(root: Path, ref: Reference, problems: Problems) -> None:
    file = "data/orgs.yml"
    data, lines = load_yaml_file(root / file, file)
    read_orgs(data, lines, file, ref, problems)


def read_orgs(data, lines: dict, file: str, ref: Reference, problems: Problems) -> None:
    """The organisations of a parsed orgs list into ref.orgs (also used by `xxgk init` on its input file)."""
    if not isinstance(data, list):
        problems.error(file, 1, None, "机构名录应为列表，每个机构以“- 标识: …”开始。")
        return
    rejected: set[str] = set()  # 标识 already reported as malformed: no second complaint as someone's 上级
    for index, item in enumerate(data):
        line = lines.get((index,), 1)
        if not isinstance(item, dict):
            problems.error(file, line, None, "每个机构应为“字段: 值”的映射。")
            continue
        values = schema.read(item, lines, file, ORG_FIELDS, problems, path=(index,))
        # A missing 公开指南 is one problem (reported above), not one per field it would hold.
        guide = values["guide"]
        values["guide"] = schema.read(guide or {}, lines, file, GUIDE_FIELDS, problems, path=(index, "公开指南"),
                                      required=guide is not None)
        org_id, code = values["id"], values["code"]
        if org_id and not ORG_ID.match(org_id):
            problems.error(file, lines.get((index, "标识"), line), "标识", f"“{org_id}”应由小写英文字母和数字组成，以字母开头，例如 swj。")
            rejected.add(org_id)
            continue
        if code and not ORG_CODE.match(code):
            problems.error(file, lines.get((index, "机构代码"), line), "机构代码",
                           f"“{code}”应为 9 位数字或大写字母（组织机构代码去掉连字符）。")
        if not org_id or not values["name"]:
            continue
        if org_id in ref.orgs:
            problems.error(file, line, "标识", f"“{org_id}”与第 {ref.orgs[org_id].line} 行的机构重复。")
            continue
        values["short_name"] = values["short_name"] or values["name"]
        ref.orgs[org_id] = Org(line=line, **values)
    codes: dict[str, str] = {}
    for org in ref.orgs.values():
        if org.parent and org.parent not in ref.orgs and org.parent not in rejected:
            problems.error(file, org.line, "上级", f"上级机构“{org.parent}”不在机构名录中。")
        if org.code in codes:
            problems.error(file, org.line, "机构代码", f"“{org.code}”已被机构“{codes[org.code]}”使用，机构代码必须唯一。")
        codes[org.code] = org.id


def _list(data: dict, key: str, lines: dict, file: str, problems: Problems) -> list:
    value = data.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        problems.error(file, lines.get((key,), 1), key, "应为列表（每项以“- ”开头）。")
        return []
    return value


def _terms(data: dict, key: str, lines: dict, file: str, problems: Problems) -> dict[str, Term]:
    terms: dict[str, Term] = {}
    for index, item in enumerate(_list(data, key, lines, file, problems)):
        line = lines.get((key, index), 1)
        if not isinstance(item, dict) or not isinstance(item.get("名称"), str) or not isinstance(item.get("代码"), str):
            problems.error(file, line, key, "每项应写成 {名称: …, 代码: …}。")
            continue
        if not re.match(r"^[a-z0-9-]+$", item["代码"]):
            problems.error(file, line, key, f"代码“{item['代码']}”只能包含小写字母、数字和连字符。")
            continue
        weight = item.get("检索权重")
        if weight is not None and (isinstance(weight, bool) or not isinstance(weight, (int, float))
                                   or not 0 <= weight <= 10):
            problems.error(file, line, key, f"“{item['名称']}”的检索权重“{weight}”应为 0 到 10 之间的数，"
                                            "如 0.1（正文在搜索中只占很小分量）；不写则为 1。")
            weight = None
        terms[item["名称"]] = Term(item["名称"], item["代码"], weight)
    if len({t.code for t in terms.values()}) != len(terms):
        problems.error(file, lines.get((key,), 1), key, "代码有重复，每项的代码必须唯一。")
    return terms


def _load_vocab(root: Path, ref: Reference, problems: Problems) -> None:
    file = "data/vocab.yml"
    data, lines = load_yaml_file(root / file, file)
    data = _mapping(data, file, problems)
    ref.categories = _terms(data, "信息类别", lines, file, problems)
    ref.topics = _terms(data, "主题分类", lines, file, problems)
    for index, item in enumerate(_list(data, "第二十条", lines, file, problems)):
        if isinstance(item, dict) and isinstance(item.get("项"), str):
            ref.article20[item["项"]] = str(item.get("内容", ""))
        else:
            problems.error(file, lines.get(("第二十条", index), 1), "第二十条", "每项应写成 {项: （一）, 内容: …}。")
    for key, attr in (("有效性", "validity"), ("保密审查环节", "review_roles")):
        items = _list(data, key, lines, file, problems)
        if not all(isinstance(item, str) for item in items):
            problems.error(file, lines.get((key,), 1), key, "应为文字列表。")
            items = [item for item in items if isinstance(item, str)]
        setattr(ref, attr, tuple(items))


def _load_rules(root: Path, ref: Reference, problems: Problems) -> None:
    file = "data/rules.yml"
    data, lines = load_yaml_file(root / file, file)
    data = _mapping(data, file, problems)
    if "索引号格式" in data:
        _index_pattern(ref, str(data["索引号格式"]), file, lines.get(("索引号格式",)), problems)
    for key, attr in (("政策解读提醒天数", "interpretation_days"), ("主动公开时限工作日", "publish_workdays"),
                      ("同类警告列出个数", "warning_list_limit")):
        value = data.get(key, getattr(ref, attr))
        if isinstance(value, int) and not isinstance(value, bool) and value > 0:
            setattr(ref, attr, value)
        else:
            problems.error(file, lines.get((key,)), key, "应为正整数。")
    since = str(data.get("主动公开时限起始日期", ref.publish_rule_from))
    try:
        ref.publish_rule_from = date.fromisoformat(since)
    except ValueError:
        problems.error(file, lines.get(("主动公开时限起始日期",)), "主动公开时限起始日期", "应为日期，例如 2008-05-01。")
    start = data.get("监测起始年度")
    if start is not None:
        if isinstance(start, int) and not isinstance(start, bool) and 1000 <= start <= 9999:
            ref.monitor_from = start
        else:
            problems.error(file, lines.get(("监测起始年度",)), "监测起始年度", "应为四位年度，例如 2024。")
    listing = data.get("年度报告目录分类")
    if listing is not None:
        key = "年度报告目录分类"
        if not isinstance(listing, dict) or set(listing) != {"信息类别", "主题分类"}:
            problems.error(file, lines.get((key,)), key, "应写成 {信息类别: …, 主题分类: …}。")
        elif listing["信息类别"] not in ref.categories:
            problems.error(file, lines.get((key,)), key, f"“{listing['信息类别']}”不在 data/vocab.yml 的信息类别中。")
        elif listing["主题分类"] not in ref.topics:
            problems.error(file, lines.get((key,)), key, f"“{listing['主题分类']}”不在 data/vocab.yml 的主题分类中。")
        else:
            ref.report_category, ref.report_topic = listing["信息类别"], listing["主题分类"]


_INDEX_PARTS = re.compile(r"([^/]+)/(\d{4})")
# 索引号 that the checks cannot take apart into 机构代码 and 年份: 索引号格式 must refuse them all.
_SHAPELESS = ("ABC", "770010036", "770010036/", "/2024-00001", "2024-00001", "770010036-2024-00001",
              "770010036/ABCD-00001", "770010036/24-00001")


def index_parts(number: str) -> tuple[str, int] | None:
    """(机构代码, 年份) of a 索引号 “机构代码/年份-流水号”, or None when it has not that shape."""
    match = _INDEX_PARTS.match(number)
    return (match.group(1), int(match.group(2))) if match else None


def _index_pattern(ref: Reference, pattern: str, file: str, line: int | None, problems: Problems) -> None:
    compiled, message = compile_pattern(pattern)
    if compiled is None:
        problems.error(file, line, "索引号格式", message)
        return
    loose = [probe for probe in _SHAPELESS if compiled.match(probe)]
    if loose:
        problems.error(file, line, "索引号格式",
                       f"“{pattern}”太宽：它接受“{loose[0]}”这样没有机构代码和年份的索引号。检查要从索引号中读出"
                       "“机构代码/年份-流水号”，格式须要求这一结构，例如 '^[0-9A-Z]{9}/\\d{4}-\\d{5}$'。请改正格式。")
        return
    # The numbers `xxgk new` hands out (机构代码/年份-00001) must fit, or every new entry would fail.
    examples = [f"{org.code}/{date.today().year}-00001" for org in ref.orgs.values() if ORG_CODE.match(org.code or "")]
    misfits = [example for example in examples if not compiled.match(example)]
    if misfits:
        problems.error(file, line, "索引号格式",
                       f"“{pattern}”与本系统生成的索引号不符（例如“{misfits[0]}”，即“机构代码/年份-5位流水号”）：按此格式，"
                       "xxgk new 新建的条目都将无法通过检查。请改正格式。")
        return
    ref.index_pattern = compiled


def _load_holidays(root: Path, ref: Reference, problems: Problems) -> None:
    file = "data/holidays.yml"
    path = root / file
    if not path.exists():
        return
    data, lines = load_yaml_file(path, file)
    declared = {}
    for year, spec in _mapping(data or {}, file, problems).items():
        line = lines.get((year,))
        if not isinstance(year, int) or not isinstance(spec, dict):
            problems.error(file, line, str(year), "应写成“年份: {节假日: [...], 调休上班: [...]}”。")
            continue
        days = {}
        for key in ("节假日", "调休上班"):
            raw = spec.get(key) or []
            parsed = [schema.parse_date(d) for d in raw] if isinstance(raw, list) else [None]
            if None in parsed or any(d.year != year for d in parsed if d):
                problems.error(file, line, key, f"应为 {year} 年内 YYYY-MM-DD 格式的日期列表。")
                parsed = [d for d in parsed if d]
            days[key] = set(parsed)
        declared[year] = (days["节假日"], days["调休上班"])
    ref.calendar = WorkCalendar(declared)


# Attachment types that would run script on the portal's own origin: never allowed, whatever data/ says.
EXECUTABLE_TYPES = frozenset({"html", "htm", "xhtml", "shtml", "svg", "svgz", "js", "mjs", "xml", "xsl", "swf"})
_MOBILE = re.compile(r"^(?:86)?1[3-9]\d{9}$")


def _load_safety(root: Path, ref: Reference, problems: Problems) -> None:
    """data/safety.yml: official numbers that may be published (plus every org's phone and fax that is
    not a mobile: a mobile must be declared there on purpose), the attachment types and size limit,
    and the site assets of docs/."""
    file = "data/safety.yml"
    numbers = [v for org in ref.orgs.values() for k, v in org.guide.items() if k in ("phone", "fax") and v]
    numbers = [n for n in numbers if not _MOBILE.match(re.sub(r"\D", "", n))]
    data, lines = load_yaml_file(root / file, file) if (root / file).exists() else ({}, {})
    data = _mapping(data or {}, file, problems)
    listed = data.get("公开号码") or []
    if not isinstance(listed, list) or not all(isinstance(n, (str, int)) for n in listed):
        problems.error(file, lines.get(("公开号码",), 1), "公开号码", "应为号码列表，每个号码用引号括起来。")
        listed = []
    numbers += [str(n) for n in listed]
    ref.public_numbers = {re.sub(r"\D", "", n) for n in numbers}

    attachments = data.get("附件") or {}
    if not isinstance(attachments, dict):
        problems.error(file, lines.get(("附件",), 1), "附件", "应写成“允许类型: [...]”和“最大兆字节: 数字”两项。")
        attachments = {}
    types = attachments.get("允许类型", ["pdf", "docx", "xlsx", "csv", "txt", "jpg", "png"])
    line = lines.get(("附件", "允许类型"), lines.get(("附件",), 1))
    if not isinstance(types, list) or not all(isinstance(t, str) and t.strip(".").isalnum() for t in types):
        problems.error(file, line, "附件.允许类型", "应为文件类型列表，如 [pdf, docx, xlsx]（不带点）。")
        types = []
    types = {t.strip(".").lower() for t in types}
    for bad in sorted(types & EXECUTABLE_TYPES):
        problems.error(file, line, "附件.允许类型", f"“{bad}”文件会在本网站上运行脚本，不能作为附件类型，请删除。")
    ref.attachment_types = frozenset(types - EXECUTABLE_TYPES)
    size = attachments.get("最大兆字节", 50)
    if isinstance(size, (int, float)) and not isinstance(size, bool) and size > 0:
        ref.attachment_max_bytes = int(size * 1024 * 1024)
    else:
        problems.error(file, lines.get(("附件", "最大兆字节"), 1), "附件.最大兆字节", "应为正数，如 50。")

    limits = {}
    for key, name, unit in (("内嵌层数", "max_depth", 1), ("解压后最大兆字节", "max_decompressed", 1024 * 1024)):
        value = attachments.get(key)
        if value is None:
            continue
        if isinstance(value, int) and not isinstance(value, bool) and value > 0:
            limits[name] = value * unit
        else:
            problems.error(file, lines.get(("附件", key), 1), f"附件.{key}", "应为正整数，如 3 或 200。")
    ref.extraction_limits = ExtractionLimits(**limits)

    limits = data.get("导入") or {}
    if not isinstance(limits, dict):
        problems.error(file, lines.get(("导入",), 1), "导入", "应写成“最大段落数: 数字”等各项。")
        limits = {}
    values = {}
    for key, value in limits.items():
        line = lines.get(("导入", key), lines.get(("导入",), 1))
        if key not in IMPORT_LIMIT_KEYS:
            problems.error(file, line, f"导入.{key}", f"未知项目，可写：{'、'.join(IMPORT_LIMIT_KEYS)}。")
        elif key == "最长秒数" and isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0:
            values["seconds"] = value
        elif key != "最长秒数" and isinstance(value, int) and not isinstance(value, bool) and value > 0:
            values[IMPORT_LIMIT_KEYS[key]] = value
        else:
            problems.error(file, line, f"导入.{key}", "应为正数，如 60。" if key == "最长秒数" else "应为正整数，如 50000。")
    ref.import_limits = ImportLimits(**values)

    assets = data.get("站点资源", ["assets/"])
    if not isinstance(assets, list) or not all(isinstance(a, str) and a.strip("/") for a in assets):
        problems.error(file, lines.get(("站点资源",), 1), "站点资源", "应为 docs/ 下的路径前缀列表，如 [assets/]。")
        assets = []
    ref.site_assets = tuple(a.strip("/") + "/" for a in assets)
    _load_body_limits(data, lines, file, ref, problems)
    ref.safety_rules = _safety_rules(data.get("识别规则"), lines, file, problems)


_BODY_LIMITS = (("最大兆字节", "max_bytes", 1024 * 1024), ("单行最大字符数", "max_line", 1),
                ("渲染时限秒", "render_seconds", 1))


def _load_body_limits(data: dict, lines: dict, file: str, ref: Reference, problems: Problems) -> None:
    """data/safety.yml 正文: the size, line length and rendering time allowed to one Markdown page."""
    section = data.get("正文") or {}
    if not isinstance(section, dict):
        problems.error(file, lines.get(("正文",), 1), "正文", "应写成“最大兆字节: 2”“单行最大字符数: 100000”“渲染时限秒: 2”三项。")
        return
    values = {}
    for key, attr, unit in _BODY_LIMITS:
        value = section.get(key)
        if value is None:
            continue
        if isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0:
            values[attr] = int(value * unit) if attr != "render_seconds" else float(value)
        else:
            problems.error(file, lines.get(("正文", key), lines.get(("正文",), 1)), f"正文.{key}", "应为正数。")
    ref.body_limits = dataclasses.replace(ref.body_limits, **values)


def _safety_rules(data, lines: dict, file: str, problems: Problems) -> safety.Rules:
    """识别规则 of data/safety.yml: card prefixes and context words; what is not declared keeps its default."""
    if data is None:
        return safety.RULES
    if not isinstance(data, dict):
        problems.error(file, lines.get(("识别规则",), 1), "识别规则", "应写成“银行卡号开头”“金额单位”等各项。")
        return safety.RULES
    values = {}
    for key, attr in (("金额单位", "amount_after"), ("登记号码前缀", "registration_before"),
                      ("个人信息提示", "personal_before"), ("银行卡号开头", "card_prefixes")):
        words = data.get(key)
        if words is None:
            continue
        line = lines.get(("识别规则", key), lines.get(("识别规则",), 1))
        if not isinstance(words, list) or not all(isinstance(w, (str, int)) and str(w).strip() for w in words):
            problems.error(file, line, f"识别规则.{key}", "应为列表，如 [元, 万元]。")
            continue
        words = tuple(str(w).strip() for w in words)
        if attr == "card_prefixes":
            ranges = [tuple(w.split("-", 1)) if "-" in w else (w, w) for w in words]
            bad = [w for w, (low, high) in zip(words, ranges)
                   if not (low.isdigit() and high.isdigit() and len(low) == len(high) and low <= high)]
            if bad:
                problems.error(file, line, f"识别规则.{key}", f"“{bad[0]}”不是卡号开头：应写数字（如 62）或"
                               "位数相同的“起-止”范围（如 51-55）。")
                continue
            words = tuple(ranges)
        values[attr] = words
    return dataclasses.replace(safety.RULES, **values)


def _load_inspection(root: Path, ref: Reference, problems: Problems) -> None:
    ref.inspection = load_inspection_rules(root, ref.categories, problems)


def load_reference(root: Path, problems: Problems) -> Reference:
    """Load everything in data/ that the catalog needs; problems collect what is wrong."""
    ref = Reference()
    for loader in (_load_orgs, _load_vocab, _load_rules, _load_holidays, _load_safety, _load_inspection):
        try:
            loader(root, ref, problems)
        except InputError as exc:
            problems.append(exc.problem)
    return ref
