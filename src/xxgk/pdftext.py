"""The text layer of a PDF as an editor wrote it: set lines joined back into paragraphs.

A PDF holds lines as they were set on the page. Both importers (`xxgk import` for 公文 and
`xxgk report import` for annual reports) read it through here, so that the Markdown they write
has one paragraph per paragraph of the original, not one per printed line.
"""

from __future__ import annotations

import re
import unicodedata

# PDF fonts often map ideographs to the look-alike Kangxi radicals (⽂ for 文): back to the ideographs.
_RADICALS = {c: unicodedata.normalize("NFKC", chr(c)) for c in (*range(0x2E80, 0x2EF4), *range(0x2F00, 0x2FD6))
             if unicodedata.normalize("NFKC", chr(c)) != chr(c)}
_CJK = "\u3000-\u303f\u3400-\u9fff\uff00-\uffef"
# Justified lines come out spaced (邮 编 ： 223100): Chinese needs no space beside its characters.
_SPACE_BY_CJK = re.compile(rf"[ \t\u00a0]+(?=[{_CJK}])|(?<=[{_CJK}])[ \t\u00a0]+")
_PAGE_NUMBER = re.compile(r"[-—–－]\s*\d{1,4}\s*[-—–－]|第\s*\d{1,4}\s*页(?:[，,/\s]*共\s*\d{1,4}\s*页)?|\d{1,4}\s*/\s*\d{1,4}")
_HEADING = re.compile(r"(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[)）]|\d+[.．、](?!\d)"
                      r"|第[一二三四五六七八九十百零〇\d]+[章节条部分])")
_ENDS = ("。", "！", "？", "：", "；", "…", "”", "）")


def clean_line(line: str) -> str:
    """One set line: ideographs for radicals, no spaces beside Chinese characters."""
    return _SPACE_BY_CJK.sub("", line.translate(_RADICALS)).strip()


def is_page_number(line: str) -> bool:
    """“- 3 -”, “第 3 页”, “第3页 共12页”, “3/12”: a page's furniture, not text."""
    return _PAGE_NUMBER.fullmatch(line.strip()) is not None


def _width(line: str) -> float:
    return sum(1 if unicodedata.east_asian_width(c) in "WF" else 0.5 for c in line)


def paragraphs(lines: list[str]) -> list[str]:
    """Set lines joined into paragraphs, cleaned, page numbers left out. A line ends its paragraph
    when it is clearly shorter than a full line, or when the next line begins a heading
    (一、 （一） 1. 第一条); a full line runs on into the next, whatever its last character.
    Widths are measured before cleaning: a justified line's spaces are part of its width."""
    kept = [(clean_line(line), _width(line.strip())) for line in lines]
    kept = [(line, width) for line, width in kept if line and not is_page_number(line)]
    if not kept:
        return []
    widths = sorted(width for _, width in kept)
    full = widths[int(len(widths) * 0.75)]  # most lines of a body are full ones
    out, current = [], ""
    for index, (line, width) in enumerate(kept):
        current += line
        following = kept[index + 1][0] if index + 1 < len(kept) else ""
        if (width < full - 2 or not following or _HEADING.match(following)
                or (line.endswith(_ENDS) and width < full - 0.5)):
            out.append(current)
            current = ""
    return out
