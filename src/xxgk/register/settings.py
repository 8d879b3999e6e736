"""The register's parameters, declared in data/rules.yml beside the catalog's.

The statutory values are the defaults, so a project without these keys still checks by the
regulation; a key that is present must be valid.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..problems import InputError, Problems
from ..yamlio import load_yaml_file

RULES_FILE = "data/rules.yml"


@dataclass
class RegisterRules:
    reply_days: int = 20  # 条例第三十三条第二款：自收到申请之日起20个工作日内答复
    correction_days: int = 7  # 第三十条：收到申请之日起7个工作日内一次性告知补正
    extension_days: int = 20  # 第三十三条第二款：延长的期限最长不得超过20个工作日
    channels: tuple[str, ...] = ("当面", "邮寄", "网络", "传真", "其他")  # 第三十一条的提交方式
    # First report year whose 规章/规范性文件 are all in the catalog; None: every year.
    catalog_check_from: int | None = None


_INTS = (("答复期限工作日", "reply_days"), ("补正告知期限工作日", "correction_days"), ("延期最长工作日", "extension_days"))


def load_rules(root: Path, problems: Problems) -> RegisterRules:
    rules = RegisterRules()
    path = root / RULES_FILE
    if not path.is_file():
        return rules
    try:
        data, lines = load_yaml_file(path, RULES_FILE)
    except InputError:  # already reported by the reference data
        return rules
    if not isinstance(data, dict):
        return rules
    for key, attr in _INTS:
        if key in data:
            value = data[key]
            if isinstance(value, int) and not isinstance(value, bool) and value > 0:
                setattr(rules, attr, value)
            else:
                problems.error(RULES_FILE, lines.get((key,)), key, f"应为正整数（工作日数），却是 {value!r}。")
    if "申请渠道" in data:
        value = data["申请渠道"]
        if isinstance(value, list) and value and all(isinstance(v, str) and v.strip() for v in value):
            rules.channels = tuple(v.strip() for v in value)
        else:
            problems.error(RULES_FILE, lines.get(("申请渠道",)), "申请渠道", "应为非空的文字列表，例如 [当面, 邮寄, 网络, 传真, 其他]。")
    if data.get("规范性文件核对起始年度") is not None:
        value = data["规范性文件核对起始年度"]
        if isinstance(value, int) and not isinstance(value, bool) and 1000 <= value <= 9999:
            rules.catalog_check_from = value
        else:
            problems.error(RULES_FILE, lines.get(("规范性文件核对起始年度",)), "规范性文件核对起始年度",
                           f"应为四位年份，却是 {value!r}。")
    return rules
