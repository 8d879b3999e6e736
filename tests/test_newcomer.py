"""The issue's “done when”: a newcomer who follows only the README goes from a fresh copy to their own
district's portal with one imported Word document published."""

import re
from datetime import date
from urllib.parse import unquote

from conftest import ROOT, run_mkdocs_build
from docx_support import gongwen
from init_support import english_words, site_texts, xxgk


def readme_example() -> str:
    """The 本区.yml of the README's 「把示例门户改成本区门户」."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## 把示例门户改成本区门户", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```yaml\n(.*?)```", section, re.S).group(1)
    return "\n".join(line[3:] for line in block.splitlines())  # the block is indented under step 2


def test_from_a_fresh_copy_to_a_published_word_document(tmp_path):
    outputs = []
    (tmp_path / "本区.yml").write_text(readme_example(), encoding="utf-8")
    root = tmp_path / "东城区门户"
    result = xxgk(tmp_path, "init", str(root), "--from", "本区.yml")
    outputs.append(result)
    assert result.returncode == 0, result.stdout + result.stderr

    today = date.today()
    source = gongwen(tmp_path / "关于开展消费促进月活动的通知.docx", org="东城区商务局",
                     date_line=f"{today.year}年{today.month}月{today.day}日")
    result = xxgk(root, "import", str(source))
    outputs.append(result)
    assert result.returncode == 0, result.stdout + result.stderr
    entry = root / f"docs/catalog/swj/{today.year}/00001.md"
    assert "还需填写：信息类别、主题分类" in result.stdout

    # The editor fills in what the summary asked for, like anyone with a text editor would.
    text = entry.read_text(encoding="utf-8")
    text = text.replace("主题分类:\n", "主题分类: 商贸、海关、旅游\\国内贸易\n")
    text = text.replace("信息类别:\n", "信息类别: 部门动态\n")
    for role, name in (("业务科室", "王明"), ("信息发布人", "李华"), ("分管领导", "张强")):
        text = text.replace(f"  {role}: {{审查人: , 日期: }}", f"  {role}: {{审查人: {name}, 日期: {today.isoformat()}}}")
    text = text.replace("草稿: true\n", "")
    # Pictures cannot be scanned for personal data: the editor looks at each and records it, as asked.
    assert "逐张核查图片中有无个人信息" in outputs[-1].stdout
    pictures = re.findall(r"文件: (files/[^,}\n]+\.png)", text)
    waivers = "".join(f"\n  - {{文件: {p}, 理由: 已人工核查，无个人信息}}" for p in pictures)
    text = text.replace("\n---\n", f"\n隐私豁免:{waivers}\n---\n", 1) if pictures else text
    entry.write_text(text, encoding="utf-8")

    result = xxgk(root, "check")
    outputs.append(result)
    assert result.returncode == 0, result.stdout
    assert "已检查 1 个条目，其中 1 个已发布" in result.stdout

    site = tmp_path / "site"
    build = run_mkdocs_build(root, site)
    assert build.returncode == 0, build.stderr[-3000:]
    assert "Traceback" not in build.stderr
    page = unquote((site / f"catalog/swj/{today.year}/00001/index.html").read_text(encoding="utf-8"))
    assert "东城区商务局关于开展2026年消费促进月活动的通知" in page and "活动时间" in page
    attachment = f"{today.year}-00001-关于开展消费促进月活动的通知.docx"
    assert f'href="../files/{attachment}"' in page and f'src="../files/{today.year}-00001-图1.png"' in page
    assert (site / f"catalog/swj/{today.year}/files" / attachment).read_bytes() == source.read_bytes()
    assert not [p for p, t in site_texts(site) if "示例" in t]

    for result in outputs:
        assert "Traceback" not in result.stdout + result.stderr
        assert not english_words(result.stdout + result.stderr), result.stdout + result.stderr
