"""依申请公开 online, in Chromium, as a citizen does it: the form on the application page checks its
required fields in the browser, then makes the 申请表 there, as a Word file (opened here with
python-docx), as a printable page and as an e-mail to the office; nothing leaves the browser."""

from __future__ import annotations

import json
from datetime import date
from urllib.parse import parse_qs, unquote, urlsplit

import docx
import pytest
from playwright.sync_api import expect

PERSON = {"姓名": "张三", "证件名称": "居民身份证", "证件号码": "110101199003070000", "联系电话": "13800000000",
          "通信地址": "示例区人民路1号"}
COMPANY = {"名称": "示例贸易有限公司", "统一社会信用代码": "91440100MA5XXXXX0X", "法定代表人或者主要负责人": "李四",
           "联系人姓名": "王五", "联系人电话": "020-87001234", "通信地址": "示例区府前路8号", "邮政编码": "510900"}
DESCRIPTION = "示例区商务局2024年展会补贴资金的分配结果\n文号：示商发〔2024〕5号"


@pytest.fixture(scope="module")
def definition(demo_site):
    return json.loads((demo_site / "apply/form.json").read_text(encoding="utf-8"))


def ids(definition, group):
    """label -> row number of one applicant kind (0 公民, 1 法人或者其他组织) or of the request (None)."""
    return {r["label"]: r["id"] for r in definition["rows"] if r["kind"] != "group" and r["group"] == group}


def open_form(page, site_url):
    outside, violations = [], []
    page.on("request", lambda r: not r.url.startswith((site_url, "data:", "blob:")) and outside.append(r.url))
    page.on("console", lambda m: "Content Security Policy" in m.text and violations.append(m.text))
    page.goto(site_url + "apply/")
    expect(page.locator("#xxgk-apply")).to_be_visible()  # shown once its definition has loaded
    return outside, violations


def fill_request(page, request):
    page.locator(f"#xxgk-f{request['受理机关']}").select_option("示例区商务局")
    page.locator(f"#xxgk-f{request[[k for k in request if k.startswith('所需政府信息')][0]]}").fill(DESCRIPTION)
    page.locator(f'#xxgk-f{request["获取信息的方式"]} input[value="电子邮件"]').check()
    page.locator(f'#xxgk-f{request["信息的载体形式"]} input[value="电子文档"]').check()


def download(page, tmp_path):
    with page.expect_download() as info:
        page.get_by_role("link", name="下载 Word 文档").click()
    target = tmp_path / info.value.suggested_filename
    info.value.save_as(target)
    return target


def docx_rows(path):
    """label -> value of the 申请表's table, as Word reads it."""
    document = docx.Document(str(path))
    [table] = document.tables
    rows = {}
    for row in table.rows:
        cells = row.cells
        if cells[0].text != cells[-1].text:  # not a heading row spanning both columns
            rows.setdefault(cells[0].text, []).append(cells[1].text)
    return document, rows


def today_text():
    d = date.today()
    return f"{d.year}年{d.month}月{d.day}日"


def test_a_person_is_told_what_is_missing_then_gets_the_word_file_the_page_and_the_email(
        browser_page, site_url, definition, tmp_path):
    page = browser_page
    outside, violations = open_form(page, site_url)
    person, request = ids(definition, 0), ids(definition, None)
    page.get_by_role("button", name="生成申请表").click()
    required = [r for r in definition["rows"] if r["required"] and r["group"] in (0, None)]
    expect(page.locator("#xxgk-apply-summary")).to_have_text(f"还有 {len(required)} 项必填内容没有填写，请按提示补全后再生成申请表。")
    expect(page.locator(f"#xxgk-f{person['姓名']}-error")).to_have_text("请填写“姓名”。")
    expect(page.locator(f"#xxgk-f{request['受理机关']}-error")).to_have_text("请选择“受理机关”。")
    expect(page.locator(f"#xxgk-f{request['获取信息的方式']}-error")).to_have_text("请选择“获取信息的方式”。")
    expect(page.locator(f"#xxgk-f{person['工作单位']}-error")).to_be_hidden()  # not required
    expect(page.locator(f"#xxgk-f{person['姓名']}")).to_be_focused()
    expect(page.locator(f"#xxgk-f{person['姓名']}")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#xxgk-apply-result")).to_be_hidden()

    for label, value in PERSON.items():
        page.locator(f"#xxgk-f{person[label]}").fill(value)
    page.get_by_role("button", name="生成申请表").click()
    expect(page.locator("#xxgk-apply-summary")).to_have_text("还有 4 项必填内容没有填写，请按提示补全后再生成申请表。")
    expect(page.locator(f"#xxgk-f{person['姓名']}-error")).to_be_hidden()
    fill_request(page, request)
    page.get_by_role("button", name="生成申请表").click()
    expect(page.locator("#xxgk-apply-result")).to_be_visible()
    expect(page.locator("#xxgk-apply-summary")).to_be_hidden()

    # The printable page: the same table as the paper form, filled in; printing shows it alone.
    cell = page.locator(f'#xxgk-apply-result td[data-row="{person["姓名"]}"]')
    expect(cell).to_have_text("张三")
    expect(page.locator(f'#xxgk-apply-result td[data-row="{request["获取信息的方式"]}"]')).to_have_text(
        "□ 邮寄　☑ 电子邮件　□ 传真　□ 当面领取")
    page.emulate_media(media="print")
    expect(page.locator("#xxgk-apply")).to_be_hidden()
    expect(cell).to_be_visible()
    page.emulate_media(media="screen")

    # The Word file, made in the browser: every field in its row, the organisation's rows left blank.
    document, rows = docx_rows(download(page, tmp_path))
    for label, value in PERSON.items():
        assert rows[label][0] == value
    assert rows["名称"] == [""] and rows["统一社会信用代码"] == [""]
    assert rows["受理机关"] == ["示例区商务局"]
    description = [k for k in rows if k.startswith("所需政府信息")][0]
    assert rows[description] == [DESCRIPTION]  # the line break kept
    assert rows["获取信息的方式"] == ["□ 邮寄　☑ 电子邮件　□ 传真　□ 当面领取"]
    assert rows["信息的载体形式"] == ["□ 纸质文本　☑ 电子文档　□ 光盘或者其他存储介质"]
    assert rows["是否申请减免信息处理费"] == ["□ 不申请　□ 申请（请附相关证明材料）"]
    assert rows["申请日期"] == [today_text()] and rows["申请人签名或者盖章"] == [""]
    assert document.paragraphs[0].text == "政府信息公开申请表"

    # The e-mail: to the office's address of data/orgs.yml, the application as its text.
    mail = page.get_by_role("link", name="用电子邮件发送给受理机关")
    expect(mail).to_be_visible()
    href = mail.get_attribute("href")
    parts = urlsplit(href)
    assert parts.scheme == "mailto" and unquote(parts.path) == "ysqgk@swj.example.gov.cn"
    body = parse_qs(parts.query)["body"][0]
    assert "姓名：张三" in body and "获取信息的方式：电子邮件" in body and "文号：示商发〔2024〕5号" in body
    assert "法人或者其他组织" not in body  # only what was filled in
    assert not outside and not violations


def test_an_organisation_fills_its_own_part(browser_page, site_url, definition, tmp_path):
    page = browser_page
    outside, violations = open_form(page, site_url)
    person, company, request = ids(definition, 0), ids(definition, 1), ids(definition, None)
    page.get_by_role("radio", name="法人或者其他组织").check()
    expect(page.locator(f"#xxgk-f{company['名称']}")).to_be_visible()
    expect(page.locator(f"#xxgk-f{person['姓名']}")).to_be_hidden()
    page.get_by_role("button", name="生成申请表").click()
    expect(page.locator(f"#xxgk-f{company['统一社会信用代码']}-error")).to_have_text("请填写“统一社会信用代码”。")
    expect(page.locator(f"#xxgk-f{person['姓名']}-error")).to_be_hidden()  # the person's part is not asked for
    required = [r for r in definition["rows"] if r["required"] and r["group"] in (1, None)]
    expect(page.locator("#xxgk-apply-summary")).to_contain_text(f"还有 {len(required)} 项")
    for label, value in COMPANY.items():
        page.locator(f"#xxgk-f{company[label]}").fill(value)
    fill_request(page, request)
    page.locator(f'#xxgk-f{request["是否申请减免信息处理费"]} input[value="不申请"]').check()
    page.get_by_role("button", name="生成申请表").click()
    expect(page.locator("#xxgk-apply-result")).to_be_visible()
    _, rows = docx_rows(download(page, tmp_path))
    for label, value in COMPANY.items():
        assert value in rows[label]  # 通信地址, 邮政编码: the organisation's row (the person's is blank)
    assert rows["通信地址"] == ["", COMPANY["通信地址"]]
    assert rows["姓名"] == [""] and rows["是否申请减免信息处理费"] == ["☑ 不申请　□ 申请（请附相关证明材料）"]
    assert not outside and not violations
