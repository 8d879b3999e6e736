"""A PDF's set lines back into paragraphs (xxgk.pdftext), as both importers read them."""

from xxgk.pdftext import clean_line, is_page_number, paragraphs

def test_set_lines_join_into_paragraphs_and_headings_stay_apart():
    lines = [
        "一、总体情况",
        "2023 年，区政府坚持以习近平新时代中国特色社会主义思想为指导，全面贯",
        "彻落实《条例》相关规范要求，不断完善政府信息公开制度，建立健全政府信",
        "息公开保障机制。",
        "（一）主动公开情况。主要通过政府门户网站主动公开政府文件、项目审批、",
        "通知公告等各类政府信息。我区在政府网站平台主动公开政府信息 1136 条。",
        "- 1 -",
        "（二）依申请公开情况。全年受理政府信息公开申请 21 件，均在法定期限答",
        "复。",
    ]
    assert paragraphs(lines) == [
        "一、总体情况",
        "2023年，区政府坚持以习近平新时代中国特色社会主义思想为指导，全面贯彻落实《条例》相关规范要求，"
        "不断完善政府信息公开制度，建立健全政府信息公开保障机制。",
        "（一）主动公开情况。主要通过政府门户网站主动公开政府文件、项目审批、通知公告等各类政府信息。"
        "我区在政府网站平台主动公开政府信息1136条。",
        "（二）依申请公开情况。全年受理政府信息公开申请21件，均在法定期限答复。",
    ]


def test_a_justified_line_is_full_although_its_spaces_go():
    lines = [  # as pdfplumber gives the lines of 洪泽区's 2023 report (bench/real-reports/)
        "起至 2023 年 12 月 31 日止。如对本报告有疑问，请与示例市示",
        "例区人民政府办公室联系（地址：示例市示例区示例湖大道 90",
        "号 ， 邮 编 ： 223100 ， 电 话 ： 0517-87222589 ， 电 子 邮 箱 ：",
        "example@126.com）。",
        "一、总体情况",
    ]
    assert paragraphs(lines)[0] == ("起至2023年12月31日止。如对本报告有疑问，请与示例市示例区人民政府办公室联系（地址："
                                    "示例市示例区示例湖大道90号，邮编：223100，电话：0517-87222589，电子邮箱：example@126.com）。")


def test_page_furniture_and_radicals():
    assert all(map(is_page_number, ["- 3 -", "— 12 —", "第 3 页", "第3页 共12页", "3/12"]))
    assert not any(map(is_page_number, ["3 件", "一、总体情况", "2023"]))
    assert clean_line("⼀、总体情况 ⽂件") == "一、总体情况文件"  # Kangxi radicals from PDF fonts
    assert clean_line("2023 年 1 月 1 日 PDF 格式") == "2023年1月1日PDF格式"
