"""Planted personal data and clean look-alikes for the rendered-page scan (issue 21, point 3).

Written before the scanner was changed and before any run, from how real 公示 are written: 低保公示,
拟录用人员公示, 补贴发放名单, 行政处罚决定书, 征收补偿公示. Each case is one Markdown snippet that
becomes the body of one catalog entry; a planted case holds one or more numbers that the visitor sees
whole on the rendered page, however the source splits them; a clean case holds none, only numbers
that look alike (amounts, registration numbers, 索引号, 文号, dates, office phones, hotlines…).

All numbers are fictitious: IDs of regions 350102/440306/110105 with a correct check digit, mobiles of
the 13x–19x blocks, cards with a correct Luhn digit behind a known issuer prefix.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
import number_support  # noqa: E402
from number_support import luhn  # noqa: E402

ID, MOBILE, CARD = "居民身份证号", "手机号码", "银行卡号"
FW = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")


def id18(region: str, birth: str, seq: str) -> str:
    return number_support.id18(region + birth + seq)


def _ids():
    n = 0
    while True:
        region = ("350102", "440306", "350121", "110105")[n % 4]
        yield id18(region, f"19{55 + n % 40:02d}{1 + n % 12:02d}{1 + (3 * n) % 28:02d}", f"{(101 + 13 * n) % 1000:03d}")
        n += 1


def _mobiles():
    n = 0
    while True:
        yield f"1{'35789'[n % 5]}{n % 10}{2000 + 97 * n:04d}{(3100 + 53 * n) % 10000:04d}"
        n += 1


_CARD_PREFIXES = ["622202", "621700", "622848", "955880", "955990", "436742", "518710", "622588",
                  "625965", "356833", "222100", "940012", "601382", "524091"]


def _cards():
    n = 0
    while True:
        prefix = _CARD_PREFIXES[n % len(_CARD_PREFIXES)]
        length = (19, 16, 19, 19, 19, 16, 16, 16, 16, 16, 16, 19, 19, 16)[n % len(_CARD_PREFIXES)]
        body = prefix + f"{(40213 + 7919 * n) % 10 ** 9:09d}{n:04d}"
        yield luhn(body[: length - 1])
        n += 1


def _cut(number: str, *sizes: int) -> list[str]:
    parts, at = [], 0
    for size in sizes:
        parts.append(number[at:at + size])
        at += size
    parts.append(number[at:])
    return [p for p in parts if p]


# How each kind is usually cut when written in groups, and how markup splits it.
_SHAPES = {ID: [(6, 8), (3, 3, 4, 4), (6, 4, 4), (4, 4, 4, 4), (6,)],
           MOBILE: [(3, 4), (3,), (7,), (3, 4)],
           CARD: [(4, 4, 4, 4), (6,), (4, 4, 4), (4, 4, 4, 4)]}

# Markup forms: each takes the groups of a number and joins them the way the source writes them.
FORMS = {
    "强调 **": lambda g: g[0] + "".join(f"**{p}**" if i % 2 == 0 else p for i, p in enumerate(g[1:])),
    "斜体 *": lambda g: g[0] + "".join(f"*{p}*" if i % 2 == 0 else p for i, p in enumerate(g[1:])),
    "span": lambda g: "".join(f"<span>{p}</span>" for p in g),
    "span 样式": lambda g: g[0] + "".join(f'<span style="color:red">{p}</span>' for p in g[1:]),
    "font 标签": lambda g: "".join(f'<font color="black">{p}</font>' for p in g),
    "HTML 注释": lambda g: "<!-- 此处原为空格 -->".join(g),
    "斜杠 /": lambda g: "/".join(g),
    "反斜杠 \\": lambda g: "\\".join(g),
    "两个空格": lambda g: "  ".join(g),
    "空格-连字符": lambda g: " - ".join(g),
    "双连字符": lambda g: "--".join(g),
    "下划线": lambda g: "_".join(g),
    "行内代码": lambda g: f"`{g[0]}`" + "".join(g[1:]),
    "b 与 strong": lambda g: "".join(f"<b>{p}</b>" if i % 2 else f"<strong>{p}</strong>" for i, p in enumerate(g)),
    "软换行": lambda g: g[0] + "\n" + "".join(g[1:]),
    "实体 &nbsp;": lambda g: "&nbsp;".join(g),
    "零宽空格实体": lambda g: "&#8203;".join(g),
    "全角数字+强调": lambda g: (g[0] + "".join(f"**{p}**" for p in g[1:])).translate(FW),
    "NBSP 字符": lambda g: "\u00a0".join(g),
    "全角空格": lambda g: "\u3000".join(g),
    "删除线标签": lambda g: g[0] + "<del></del>" + "".join(g[1:]),
    "mark 标签": lambda g: g[0] + "".join(f"<mark>{p}</mark>" for p in g[1:]),
    "u 标签": lambda g: "".join(f"<u>{p}</u>" for p in g),
    "转义连字符": lambda g: "\\-".join(g),
}

# Prefixes glued to the number, as in spreadsheets exported to a page.
PREFIXES = {ID: ["ID", "SFZ", "sfz", "No.", "NO"], MOBILE: ["Tel", "TEL", "Mob", "PHONE", "tel:"],
            CARD: ["Card", "No", "ACCT", "KH", "No."]}

# Lines of real 公示 around the number: {n} is where the number goes.
_LINES = {
    ID: ["拟录用人员：张某某，性别：女，身份证号：{n}，学历：本科。",
         "| 1 | 王某 | 城关社区 | {n} | 3 人 | 1260 元 |",
         "当事人：陈某，公民身份号码 {n}，住所：示例区某路 8 号。",
         "- 李某，{n}，低保对象，保障人口 2 人"],
    MOBILE: ["联系人：林某，联系电话：{n}。",
             "| 2 | 刘某 | 138 户 | {n} | 已发放 |",
             "申请人黄某（手机 {n}）对处理结果无异议。",
             "- 赵某 {n} 示例区城关镇"],
    CARD: ["补贴资金已打入以下账户：开户行 示例区农商银行，卡号 {n}。",
           "| 3 | 孙某 | {n} | 2,400.00 |",
           "发放账号：{n}（一卡通）",
           "- 吴某 社保卡金融账户 {n}"],
}


def planted() -> list[tuple[str, str, list[tuple[str, str]]]]:
    """(label, Markdown body, [(kind, value)…]) — every number is used once."""
    cases = []
    sources = {ID: _ids(), MOBILE: _mobiles(), CARD: _cards()}
    for kind in (ID, MOBILE, CARD):
        for index, (form, join) in enumerate(FORMS.items()):
            number = next(sources[kind])
            shape = _SHAPES[kind][index % len(_SHAPES[kind])]
            line = _LINES[kind][index % len(_LINES[kind])]
            cases.append((f"{kind} {form}", line.format(n=join(_cut(number, *shape))), [(kind, number)]))
        for prefix in PREFIXES[kind]:
            number = next(sources[kind])
            cases.append((f"{kind} 前缀 {prefix}", _LINES[kind][0].format(n=prefix + number), [(kind, number)]))
    # Groupings of 3 to 6 digits (issue 21): 3-3-4-4-4 and friends.
    for sizes in ((3, 3, 4, 4), (5, 5, 4), (6, 6), (4, 5, 5), (3, 5, 5)):
        number = next(sources[ID])
        cases.append((f"{ID} 分组 {'-'.join(map(str, sizes))}", _LINES[ID][0].format(n=" ".join(_cut(number, *sizes))),
                      [(ID, number)]))
    for sizes in ((4, 4, 4, 4), (6, 6), (5, 5, 5), (3, 4, 4, 4)):
        number = next(sources[CARD])
        cases.append((f"{CARD} 分组 {'-'.join(map(str, sizes))}", _LINES[CARD][0].format(n=" ".join(_cut(number, *sizes))),
                      [(CARD, number)]))
    for sizes in ((3, 3), (4, 4), (5,)):
        number = next(sources[MOBILE])
        cases.append((f"{MOBILE} 分组 {'-'.join(map(str, sizes))}", _LINES[MOBILE][0].format(n=" ".join(_cut(number, *sizes))),
                      [(MOBILE, number)]))
    # Attributes the visitor's browser shows or follows: link targets, titles, image descriptions.
    m = [next(sources[MOBILE]) for _ in range(4)]
    i = [next(sources[ID]) for _ in range(3)]
    cases += [
        ("手机 tel: 链接目标", f"如有疑问请[联系经办人](tel:{m[0]})。", [(MOBILE, m[0])]),
        ("手机 tel: 链接目标 %20", f"[拨打电话](tel:{m[1][:3]}%20{m[1][3:7]}%20{m[1][7:]})", [(MOBILE, m[1])]),
        ("手机 链接标题", f'[林某](#contact "{m[2][:3]}-{m[2][3:7]}-{m[2][7:]}")', [(MOBILE, m[2])]),
        ("手机 title 属性", f'<span title="{m[3][:3]}**{m[3][3:]}">联系人</span>', [(MOBILE, m[3])]),
        ("身份证 abbr title", f'<abbr title="{i[0][:6]} {i[0][6:]}">证件</abbr>', [(ID, i[0])]),
        ("身份证 链接文字拆分", f"[{i[1][:6]}](#a)[{i[1][6:]}](#b)", [(ID, i[1])]),
        ("身份证 表格单元内强调", f"| 序号 | 姓名 | 身份证号 |\n|---|---|---|\n| 1 | 郑某 | {i[2][:6]}**{i[2][6:14]}**{i[2][14:]} |",
         [(ID, i[2])]),
    ]
    # A row of a 补贴发放名单 with the three numbers, each split another way.
    for n in range(8):
        person, phone, card = next(sources[ID]), next(sources[MOBILE]), next(sources[CARD])
        row = (f"| {n + 1} | 某某{n} | {person[:6]}<span>{person[6:14]}</span>{person[14:]} | "
               f"{phone[:3]}**{phone[3:7]}**{phone[7:]} | {card[:4]}  {card[4:8]}  {card[8:12]}  {card[12:]} | 1,500.00 |")
        cases.append(("发放名单一行（三种拆分）", "| 序号 | 姓名 | 身份证号 | 手机 | 卡号 | 金额 |\n|---|---|---|---|---|---|\n" + row,
                      [(ID, person), (MOBILE, phone), (CARD, card)]))
    # Context says personal: the number stays found next to 元 or 营业执照.
    p, q = next(sources[MOBILE]), next(sources[ID])
    cases += [
        ("手机 后接元，但上下文是手机", f"经办人手机{p}元旦期间照常办理。", [(MOBILE, p)]),
        ("身份证 在营业执照旁，但上下文是身份证", f"营业执照负责人身份证号码{q}", [(ID, q)]),
        ("旧身份证 15 位 拆分", "当事人：某某，身份证 110105**520315**123", [(ID, "110105520315123")]),
    ]
    return cases


def clean() -> list[tuple[str, str]]:
    """(label, Markdown body) — nothing personal: every number here may be published."""
    return [
        ("支出金额（11 位，像手机）", "本年度支出13812345678元，主要用于基础设施建设。"),
        ("万元金额", "项目总投资15912345678万元。"),
        ("元整", "合同金额：人民币13712345678元整。"),
        ("金额 分组", "补助资金合计 139 1234 5678 元。"),
        ("金额 带小数", "合计发放13612345678.00元。"),
        ("金额 千分位", "全年收入1,381,234,567.89元。"),
        ("营业执照号码 15 位", "营业执照号码320682000123456，经营范围：日用百货。"),
        ("注册号 15 位", "注册号：350102200034567"),
        ("营业执照注册号", "当事人：示例区某商贸有限公司，营业执照注册号 350100100012345。"),
        ("统一社会信用代码 字母", "统一社会信用代码：91350102MA2YABCD1X"),
        ("统一社会信用代码 纯数字", "统一社会信用代码 913501007912345678"),
        ("统一社会信用代码 事业单位", "统一社会信用代码：12350100003629393B"),
        ("统一社会信用代码 表格", "| 单位 | 统一社会信用代码 |\n|---|---|\n| 示例区民政局 | 11350102003591102J |"),
        ("索引号", "索引号：11350102003629393B/2026-00001"),
        ("索引号 机构代码", "索引号 770010036/2024-00001"),
        ("索引号 斜杠", "000014349/2026-12345"),
        ("文号", "示政〔2026〕123号"),
        ("文号 方括号", "闽政办[2026]15号"),
        ("案号", "（2026）闽0102行初1234号"),
        ("日期 横线", "2026-11-27"),
        ("日期 中文", "2026年11月27日至2026年12月31日"),
        ("日期 点", "公示期：2026.11.27 — 2026.12.06"),
        ("日期 紧凑", "批次 20261127"),
        ("时间戳", "生成时间 20261127153000"),
        ("办公电话 区号", "咨询电话：0591-12345678"),
        ("办公电话 区号 空格", "联系电话 0591 8761 2345"),
        ("办公电话 括号", "电话：(0591)87654321"),
        ("办公电话 分机", "0591—87123456转8001"),
        ("办公电话 两个", "电话：0591-83123456、0591-83123457"),
        ("传真", "传真 0591 8312 3458"),
        ("办公电话 强调", "监督电话：**0591-87111234**"),
        ("办公电话 表格", "| 科室 | 电话 |\n|---|---|\n| 办公室 | 0591-83001234 |\n| 信访科 | 0591-83001235 |"),
        ("热线 12345", "政务服务便民热线12345"),
        ("热线 12315", "投诉举报请拨打12315"),
        ("银行客服", "工商银行客服电话95588"),
        ("400 电话", "服务热线 400-123-4567"),
        ("800 电话", "免费电话 800-858-2222"),
        ("邮编", "邮政编码：350001"),
        ("ISBN", "ISBN 978-7-5097-1234-5"),
        ("ISSN", "ISSN 1002-1234"),
        ("对公账户 建行 20 位", "开户行：中国建设银行示例区支行，账号：35050161000052512345"),
        ("对公账户 工行", "户名：示例区财政局 账号：1402 0212 0900 1234 567"),
        ("对公账户 农行", "账号：13-010101040012345"),
        ("身份证 已打码 星号", "张某，身份证号 350102\\*\\*\\*\\*\\*\\*\\*\\*1234"),
        ("身份证 已打码 未转义", "李某，身份证号 440306********1234"),
        ("手机 已打码", "联系电话 138****5678"),
        ("手机 已打码 表格", "| 1 | 王某 | 139\\*\\*\\*\\*1234 |"),
        ("统计表 一行数字", "| 合计 | 1380 | 1234 | 5678 | 2345 | 12 |"),
        ("统计数字 空格分隔", "合计 138 1234 5678 2345 12"),
        ("人口统计", "全区户籍人口 1,381,234 人，其中城镇人口 934,567 人。"),
        ("车牌", "车牌号：闽A12345"),
        ("合同编号", "合同编号：FZ-2026-0012345"),
        ("项目代码", "项目代码：2026-350102-47-01-123456"),
        ("坐标", "位置：东经119.296494，北纬26.074508"),
        ("版本号", "系统版本 3.14.159.2653"),
        ("行政区划代码", "行政区划代码 350102000000"),
        ("社保登记号 单位", "单位社保登记号 35010200012345"),
        ("发票号码", "发票代码 035001900111 发票号码 12345678"),
        ("不动产权证号", "闽（2026）示例区不动产权第0012345号"),
        ("编号 加粗", "编号：**2026**-**0001**-**1234**"),
        ("百分比", "增长 13.812345678%"),
        ("页码 范围", "第 138—145 页"),
        ("小数序列", "PM2.5 浓度 13.8、12.3、45.6 微克/立方米"),
        ("许可证号", "食品经营许可证 JY13501020012345"),
        ("文件编号 斜杠", "2026/11/27 发布，编号 35/2026/0012"),
    ]
