"""政府信息公开申请登记（依申请公开办理台账）: the applications each organisation received,
one file per org and year of receipt (data/register/<org>/<year>.yml), without personal data.

- settings.py  parameters in data/rules.yml (statutory defaults: 20/7/20 working days)
- model.py     the schema and the checks of each application by itself
- deadlines.py reply deadlines on the working-day calendar (条例第三十条、第三十三条)
- table3.py    Table 三 of the annual report computed from the applications
- stats.py     catalog statistics and {{ 名称 }} placeholders for the report narrative
- annual.py    what the register and the catalog give the annual reports (check, prefill)
- site.py      依申请公开办理情况: the page for the supervising office
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from ..problems import Problems
from ..reference import Reference
from ..reports.formats import Formats
from .annual import Prefill, ReportInputs
from ..entrycache import FileCache
from .deadlines import check_file
from .model import REGISTER_DIR, Application, Clock, Register, load_register
from .settings import RegisterRules, load_rules

__all__ = ["REGISTER_DIR", "Application", "Prefill", "Register", "RegisterRules", "ReportInputs", "load", "summary"]


def load(root: Path, ref: Reference, formats: Formats, today: date, problems: Problems) -> Register:
    """Read every register file and check it, deadlines as of `today` (the check date)."""
    rules = load_rules(root, problems)
    register = load_register(root, ref, formats, rules, problems)
    # A file's deadlines depend on its applications as read (and found valid), the check date, the
    # calendar and rules (data/) and the code: the clocks and problems found are kept under all of those.
    cache = FileCache(root, "register-deadlines", list, (Clock, date))
    for found in register.files.values():
        key = cache.state_key(found, today)
        kept = cache.get(key)
        if kept is None or len(kept[0]) != len(found.applications) or not all(
                clock is None or isinstance(clock, Clock) for clock in kept[0]):
            own = Problems()
            check_file(found, ref.calendar, register.rules, today, own)
            kept = cache.put(key, [app.clock for app in found.applications], own)
        for app, clock in zip(found.applications, kept[0]):
            app.clock = clock
        problems.extend(kept[1])
    cache.save()
    return register


def summary(register: Register, today: date) -> str:
    """One line for `xxgk check`: what was checked and what is open as of the check date."""
    if not register.files:
        return "没有依申请公开登记台账（data/register/）。"
    apps = register.applications
    open_now = [a for a in apps if a.valid and a.open_on(today)]
    overdue = sum(1 for a in open_now if a.clock and a.clock.overdue)
    return (f"已检查 {len(register.orgs())} 个机构的依申请公开登记台账，共 {len(apps)} 件申请；"
            f"截至 {today} 在办 {len(open_now)} 件，其中超过答复期限 {overdue} 件。")
