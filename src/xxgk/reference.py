"""Reference data declared in data/: organisations, vocabularies, rules, holidays."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from . import schema
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
    publish_workdays: int = 20
    calendar: WorkCalendar = field(default_factory=WorkCalendar)
    public_numbers: set[str] = field(default_factory=set)  # digits; never reported as personal data
    entry_fields: tuple = ()  # the catalog schema bound to these vocabularies (catalog.entry_fields)


def _mapping(data, file: str, problems: Problems) -> dict:
    if not isinstance(data, dict):
        problems.error(file, 1, None, "文件内容应为“名称: 值”形式的映射。")
        return {}
    return data


def _load_orgs(root: Path, ref: Reference, problems: Problems) -> None:
    file = "data/orgs.yml"
    data, lines = load_yaml_file(root / file, file)
    if not isinstance(data, list):
        problems.error(file, 1, None, "机构名录应为列表，每个机构以“- 标识: …”开始。")
        return
    for index, item in enumerate(data):
        line = lines.get((index,), 1)
        if not isinstance(item, dict):
            problems.error(file, line, None, "每个机构应为“字段: 值”的映射。")
            continue
        values = schema.read(item, lines, file, ORG_FIELDS, problems, path=(index,))
        guide = values["guide"] or {}
        values["guide"] = schema.read(guide, lines, file, GUIDE_FIELDS, problems, path=(index, "公开指南"))
        org_id, code = values["id"], values["code"]
        if org_id and not ORG_ID.match(org_id):
            problems.error(file, line, "标识", f"“{org_id}”应由小写英文字母和数字组成，以字母开头，例如 swj。")
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
        if org.parent and org.parent not in ref.orgs:
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
        terms[item["名称"]] = Term(item["名称"], item["代码"])
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
    for key, attr in (("政策解读提醒天数", "interpretation_days"), ("主动公开时限工作日", "publish_workdays")):
        value = data.get(key, getattr(ref, attr))
        if isinstance(value, int) and not isinstance(value, bool) and value > 0:
            setattr(ref, attr, value)
        else:
            problems.error(file, lines.get((key,)), key, "应为正整数。")


def _index_pattern(ref: Reference, pattern: str, file: str, line: int | None, problems: Problems) -> None:
    compiled, message = compile_pattern(pattern)
    if compiled is None:
        problems.error(file, line, "索引号格式", message)
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


def _load_safety(root: Path, ref: Reference, problems: Problems) -> None:
    """Official numbers that may be published: data/safety.yml plus every org's phone and fax."""
    file = "data/safety.yml"
    numbers = [v for org in ref.orgs.values() for k, v in org.guide.items() if k in ("phone", "fax") and v]
    if (root / file).exists():
        data, lines = load_yaml_file(root / file, file)
        listed = _mapping(data or {}, file, problems).get("公开号码") or []
        if not isinstance(listed, list) or not all(isinstance(n, (str, int)) for n in listed):
            problems.error(file, lines.get(("公开号码",), 1), "公开号码", "应为号码列表，每个号码用引号括起来。")
            listed = []
        numbers += [str(n) for n in listed]
    ref.public_numbers = {re.sub(r"\D", "", n) for n in numbers}


def load_reference(root: Path, problems: Problems) -> Reference:
    """Load everything in data/ that the catalog needs; problems collect what is wrong."""
    ref = Reference()
    for loader in (_load_orgs, _load_vocab, _load_rules, _load_holidays, _load_safety):
        try:
            loader(root, ref, problems)
        except InputError as exc:
            problems.append(exc.problem)
    return ref
