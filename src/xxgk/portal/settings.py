"""data/portal.yml: what the portal pages share across organisations — the site's public
address, the time limits of 依申请公开, the 信息处理费 scales, the 公开制度 list, the
application form and the site's own facts for the footer and 联系我们 (网站信息). Read with the
same schema machinery as the rest of data/.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from .. import schema
from ..exports import url_path
from ..headers import web_address
from ..problems import InputError, Problems
from ..reference import Reference
from ..schema import Field
from ..yamlio import load_yaml_file

FILE = "data/portal.yml"
ADDRESS_ENV = "XXGK_SITE_URL"  # overrides 网址 at build time (e.g. the GitHub Pages address)


@dataclass(frozen=True)
class Band:
    """One band of a progressive fee scale; the last one may rise every `step` units."""
    start: int
    end: int | None
    rate: int  # yuan per unit
    step: int | None = None
    increase: int = 0


@dataclass
class FeeScheme:
    name: str  # 按件计收 / 按量计收
    unit: str  # 件 / 页
    note: str
    bands: list[Band]

    def parts(self, quantity: int) -> list[tuple[int, int, int, int]]:
        """(first, last, count, rate) of every band the quantity reaches: each unit is charged
        at the rate of the band it falls in (超额累进)."""
        found = []
        for band in self.bands:
            if quantity < band.start:
                break
            if band.end is not None or not band.step:
                last = quantity if band.end is None else min(quantity, band.end)
                found.append((band.start, last, last - band.start + 1, band.rate))
                continue
            first, rate = band.start, band.rate  # the open band rises by `increase` every `step` units
            while first <= quantity:
                last = min(quantity, first + band.step - 1)
                found.append((first, last, last - first + 1, rate))
                first, rate = last + 1, rate + band.increase
        return found

    def fee(self, quantity: int) -> int:
        """Total fee in yuan."""
        return sum(count * rate for _, _, count, rate in self.parts(quantity))

    def example(self) -> tuple[int, str]:
        """A worked example a little into the last band: (quantity, the sum in words)."""
        quantity = self.bands[-1].start + 4
        terms = [f"{count}{self.unit}×{rate}元" for _, _, count, rate in self.parts(quantity) if rate]
        return quantity, f"{'＋'.join(terms)}＝{self.fee(quantity)}元"

    def band_texts(self) -> list[tuple[str, str]]:
        """(quantity range, rate) in words, for the guide's table."""
        rows = []
        for band in self.bands:
            if band.end is not None:
                span = f"{band.start}—{band.end}{self.unit}（含）" if band.start > 1 else f"{band.end}{self.unit}以下（含）"
            else:
                span = f"{band.start}{self.unit}以上"
            if band.rate == 0:
                rate = "不收费"
            elif band.step and band.increase:
                rate = (f"{band.rate}元/{self.unit}起，以{band.step}{self.unit}为一档，"
                        f"每增加一档，收费标准提高{band.increase}元/{self.unit}")
            else:
                rate = f"{band.rate}元/{self.unit}"
            rows.append((span, rate))
        return rows


@dataclass(frozen=True)
class FormItem:
    label: str
    lines: int = 1  # blank lines to write on
    options: tuple[str, ...] = ()  # tick boxes instead of a blank
    required: bool = False  # the online form asks for it before it makes the document


@dataclass
class ApplicationForm:
    title: str
    applicants: list[tuple[str, list[str]]]  # (公民 / 法人或者其他组织, its items)
    request: list[FormItem]
    signatures: list[str]
    notes: list[str]
    required: list[set[str]] = field(default_factory=list)  # per applicant kind, the items the online form asks for
    register_types: list[list[str]] = field(default_factory=list)  # per applicant kind, its 申请人类型 in the register
    platform: tuple[str, str] | None = None  # (名称, 网址) of a provincial or city online application platform


@dataclass
class SiteInfo:
    """网站信息: what 《政府网站发展指引》 asks every page's footer to show."""
    host: str = ""  # 主办单位
    operator: str = ""  # 承办单位
    phone: str = ""  # 联系电话 (of the site, not of 依申请公开)
    email: str = ""  # 电子邮箱
    site_code: str = ""  # 网站标识码
    icp: str = ""  # ICP备案号, linked to beian.miit.gov.cn
    police: str = ""  # 公安机关备案号, linked to www.beian.gov.cn with its record number
    conac: str = ""  # 党政机关网站标识: the address of the site's record, linked from a local image
    jiucuo: str = ""  # 我为政府网站找错: the address of the national error-reporting platform for this site

    @property
    def police_code(self) -> str:
        """The record number's digits, as www.beian.gov.cn takes it (recordcode=…)."""
        return "".join(c for c in self.police if c.isdigit())


ICP_REGISTRY = "https://beian.miit.gov.cn/"
POLICE_REGISTRY = "https://www.beian.gov.cn/portal/registerSystemInfo?recordcode="


@dataclass
class Settings:
    address: str = "/"  # public address of the site, ending in /
    site_name: str = "政府信息公开"  # mkdocs.yml's site_name, set by the plugin
    office_org: str = ""  # org id of the 政府信息公开工作主管部门
    time_limits: list[tuple[str, str, str]] = field(default_factory=list)  # (情形, 时限, 依据)
    fee_basis: str = ""
    fee_note: str = ""
    fee_schemes: list[FeeScheme] = field(default_factory=list)
    national_rules: list[tuple[str, str]] = field(default_factory=list)
    local_topic: str | None = None
    local_categories: list[str] = field(default_factory=list)
    form: ApplicationForm | None = None
    site_info: SiteInfo = field(default_factory=SiteInfo)

    def absolute(self, site_url: str) -> str:
        """Full address of a site URL (catalog/swj/2024/00001/ -> https://…/catalog/swj/2024/00001/),
        its path percent-encoded: JSON, CSV, feeds and the sitemap hand it on as it is."""
        return self.address + url_path(site_url.lstrip("/"))


TOP = (
    Field("网址", "address", required=True),
    Field("主管机构", "office_org", required=True),
    Field("办理时限", "time_limits", "list", required=True),
    Field("信息处理费", "fees", "mapping", required=True),
    Field("公开制度", "rules", "mapping", required=True),
    Field("申请表", "form", "mapping", required=True),
    Field("网页编辑", "web_edit", "mapping"),  # read by xxgk.webedit
    Field("网站信息", "site_info", "mapping"),
)
SITE_INFO = (Field("主办单位", "host", required=True), Field("承办单位", "operator"), Field("联系电话", "phone"),
             Field("电子邮箱", "email"), Field("网站标识码", "site_code"), Field("ICP备案号", "icp"),
             Field("公安机关备案号", "police"), Field("党政机关网站标识", "conac"), Field("我为政府网站找错", "jiucuo"))
LIMIT = (Field("情形", "case", required=True), Field("时限", "limit", required=True), Field("依据", "basis", required=True))
FEES = (Field("依据", "basis", required=True), Field("说明", "note", required=True),
        Field("方式", "schemes", "list", required=True))
SCHEME = (Field("名称", "name", required=True), Field("单位", "unit", required=True), Field("说明", "note", required=True),
          Field("标准", "bands", "list", required=True))
BAND = ("起", "止", "收费", "每档", "递增")
RULES = (Field("国家规定", "national", "list", required=True), Field("本区制度", "local", "mapping"))
RULE = (Field("名称", "name", required=True), Field("说明", "note"))
LOCAL = (Field("主题分类", "topic"), Field("信息类别", "categories", "texts"))
FORM = (Field("标题", "title", required=True), Field("申请人", "applicants", "list", required=True),
        Field("申请内容", "request", "list", required=True), Field("签署", "signatures", "texts", required=True),
        Field("填表说明", "notes", "texts"), Field("在线平台", "platform", "mapping"))
APPLICANT = (Field("类型", "kind", required=True), Field("项目", "items", "texts", required=True),
             Field("必填", "required", "texts"), Field("登记类型", "register_types", "texts"))
PLATFORM = (Field("名称", "name", required=True), Field("网址", "url", required=True))
ITEM = ("项目", "行数", "选项", "必填")


class _Reader:
    def __init__(self, lines: dict, problems: Problems):
        self.lines, self.problems = lines, problems

    def read(self, data, fields, path: tuple) -> dict | None:
        if not isinstance(data, dict):
            self.error(path, None, "应写成“名称: 值”形式的映射。")
            return None
        before = len(self.problems)
        values = schema.read(data, self.lines, FILE, fields, self.problems, path=path)
        return values if len(self.problems) == before else None

    def error(self, path: tuple, key: str | None, message: str) -> None:
        while path and path not in self.lines:
            path = path[:-1]
        self.problems.error(FILE, self.lines.get(path, 1), key, message)

    def integers(self, data, keys: tuple[str, ...], path: tuple) -> dict | None:
        """A flat mapping of positive integers (fee bands) or of an item's keys."""
        if not isinstance(data, dict):
            self.error(path, None, "应写成 {名称: 值, …}。")
            return None
        unknown = [k for k in data if k not in keys]
        if unknown:
            self.error(path, str(unknown[0]), f"不是可用的字段。可用字段：{'、'.join(keys)}。")
            return None
        return data


def _fee_scheme(reader: _Reader, raw, path: tuple) -> FeeScheme | None:
    values = reader.read(raw, SCHEME, path)
    if values is None:
        return None
    bands: list[Band] = []
    for index, item in enumerate(values["bands"]):
        here = path + ("标准", index)
        data = reader.integers(item, BAND, here)
        if data is None:
            return None
        if not all(isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in data.values()):
            reader.error(here, "标准", "起、止、收费、每档、递增都应为非负整数。")
            return None
        if "起" not in data or "收费" not in data:
            reader.error(here, "标准", "每一档都要写“起”和“收费”。")
            return None
        band = Band(data["起"], data.get("止"), data["收费"], data.get("每档"), data.get("递增", 0))
        expected = bands[-1].end + 1 if bands and bands[-1].end is not None else 1
        if bands and bands[-1].end is None:
            reader.error(here, "标准", "只有最后一档可以不写“止”。")
            return None
        if band.start != expected:
            reader.error(here, "起", f"应为 {expected}：各档须从 1 起首尾相接。")
            return None
        if band.end is not None and (band.end < band.start or band.step):
            reader.error(here, "止", "“止”不能小于“起”；写了“每档”的末档不写“止”。")
            return None
        bands.append(band)
    if not bands or bands[-1].end is not None:
        reader.error(path + ("标准",), "标准", "最后一档不写“止”，表示以上全部数量。")
        return None
    return FeeScheme(values["name"], values["unit"], values["note"], bands)


def _form(reader: _Reader, raw) -> ApplicationForm | None:
    path = ("申请表",)
    values = reader.read(raw, FORM, path)
    if values is None:
        return None
    applicants, required, register_types = [], [], []
    for index, item in enumerate(values["applicants"]):
        found = reader.read(item, APPLICANT, path + ("申请人", index))
        if found:
            unknown = [k for k in found["required"] or [] if k not in found["items"]]
            if unknown:
                reader.error(path + ("申请人", index, "必填"), "必填", f"“{unknown[0]}”不在这一类申请人的“项目”中。")
            applicants.append((found["kind"], found["items"]))
            required.append(set(found["required"] or []))
            register_types.append(found["register_types"] or [])
    request = []
    for index, item in enumerate(values["request"]):
        here = path + ("申请内容", index)
        data = reader.integers(item, ITEM, here)
        if data is None:
            continue
        label, lines, options = data.get("项目"), data.get("行数", 1), data.get("选项", [])
        if not isinstance(data.get("必填", False), bool):
            reader.error(here, "必填", "应为 true 或 false。")
        elif not isinstance(label, str) or not label.strip():
            reader.error(here, "项目", "每项都要写“项目”（栏目名称）。")
        elif isinstance(lines, bool) or not isinstance(lines, int) or not 1 <= lines <= 20:
            reader.error(here, "行数", "应为 1 到 20 的整数。")
        elif not isinstance(options, list) or not all(isinstance(o, str) and o.strip() for o in options):
            reader.error(here, "选项", "应为文字列表，例如 [邮寄, 电子邮件]。")
        else:
            request.append(FormItem(label.strip(), lines, tuple(o.strip() for o in options), data.get("必填", False)))
    platform = None
    if values["platform"] is not None:
        found = reader.read(values["platform"], PLATFORM, path + ("在线平台",))
        if found and not re.fullmatch(r"https?://[^\s/?#]+(/[^\s]*)?", found["url"]):
            reader.error(path + ("在线平台", "网址"), "网址", f"“{found['url']}”应为以 http:// 或 https:// 开头的完整网址。")
        elif found:
            platform = (found["name"], found["url"])
    return ApplicationForm(values["title"], applicants, request, values["signatures"], values["notes"] or [],
                           required=required, platform=platform, register_types=register_types)


def load_settings(root: Path, ref: Reference, problems: Problems) -> Settings:
    """Read data/portal.yml; every problem is located and added to `problems`."""
    settings = Settings()
    try:
        data, lines = load_yaml_file(root / FILE, FILE)
    except InputError as exc:
        problems.append(exc.problem)
        return settings
    reader = _Reader(lines, problems)
    top = reader.read(data, TOP, ())
    if top is None:
        return settings
    address = os.environ.get(ADDRESS_ENV) or top["address"]
    if web_address(address):
        settings.address = address if address.endswith("/") else address + "/"
    else:
        given = f"环境变量 {ADDRESS_ENV} 的值" if os.environ.get(ADDRESS_ENV) else ""
        reader.error(("网址",), "网址", f"{given}“{address}”应为以 http:// 或 https:// 开头的完整网址，例如 https://xxgk.example.gov.cn/；"
                                     "只能由英文字母、数字和 . - _ ~ % / 组成，不能含空格、分号、逗号、引号、问号和 #。")
    if top["office_org"] not in ref.orgs:
        reader.error(("主管机构",), "主管机构", f"“{top['office_org']}”不是 data/orgs.yml 中的机构标识。")
    settings.office_org = top["office_org"]
    for index, item in enumerate(top["time_limits"]):
        values = reader.read(item, LIMIT, ("办理时限", index))
        if values:
            settings.time_limits.append((values["case"], values["limit"], values["basis"]))
    fees = reader.read(top["fees"], FEES, ("信息处理费",))
    if fees:
        # A multi-line note joins without spaces: it is Chinese text.
        settings.fee_basis, settings.fee_note = fees["basis"], "".join(l.strip() for l in fees["note"].splitlines())
        for index, item in enumerate(fees["schemes"]):
            scheme = _fee_scheme(reader, item, ("信息处理费", "方式", index))
            if scheme:
                settings.fee_schemes.append(scheme)
    rules = reader.read(top["rules"], RULES, ("公开制度",))
    if rules:
        for index, item in enumerate(rules["national"]):
            values = reader.read(item, RULE, ("公开制度", "国家规定", index))
            if values:
                settings.national_rules.append((values["name"], values["note"] or ""))
        local = reader.read(rules["local"] or {}, LOCAL, ("公开制度", "本区制度"))
        if local:
            if local["topic"] and local["topic"] not in ref.topics:
                reader.error(("公开制度", "本区制度", "主题分类"), "主题分类", f"“{local['topic']}”不在 data/vocab.yml 的主题分类中。")
            for category in local["categories"] or []:
                if category not in ref.categories:
                    reader.error(("公开制度", "本区制度", "信息类别"), "信息类别", f"“{category}”不在 data/vocab.yml 的信息类别中。")
            settings.local_topic, settings.local_categories = local["topic"], local["categories"] or []
    settings.form = _form(reader, top["form"])
    if top["site_info"] is not None:
        info = reader.read(top["site_info"], SITE_INFO, ("网站信息",))
        if info:
            settings.site_info = SiteInfo(**{k: str(v).strip() if v is not None else "" for k, v in info.items()})
            if info["site_code"] is not None and not re.fullmatch(r"[0-9A-Z]{10}", str(info["site_code"])):
                reader.error(("网站信息",), "网站标识码", "网站标识码应为 10 位数字或大写字母，见全国政府网站基本数据库。")
            if info["police"] is not None and not settings.site_info.police_code:
                reader.error(("网站信息",), "公安机关备案号", "公安机关备案号应含备案编号的数字，例如“粤公网安备44010602000001号”。")
            for key, attr in (("党政机关网站标识", "conac"), ("我为政府网站找错", "jiucuo")):
                address = getattr(settings.site_info, attr)
                if address and not re.fullmatch(r"https://[^\s/?#]+(/[^\s]*)?", address):
                    reader.error(("网站信息", key), key, f"“{address}”应为以 https:// 开头的完整网址"
                                 "（党政机关网站标识：开办单位在标识管理系统中的记录页；我为政府网站找错：本网站在该平台的地址）。")
                    setattr(settings.site_info, attr, "")
    return settings
