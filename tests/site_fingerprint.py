"""Text content and links of every page of a built site: compared before and after a change that
must not alter what visitors read or where links lead (issue 17: markup moved into templates)."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from bs4 import BeautifulSoup


def fingerprint(site: Path) -> dict[str, dict]:
    pages = {}
    for path in sorted(site.rglob("*.html")):
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        for hidden in soup(["script", "style", "template"]):
            hidden.decompose()
        body = soup.body or soup
        text = re.sub(r"\s+", " ", body.get_text(" ")).strip()
        links = [a.get("href") for a in body.find_all("a")]
        sources = [e.get("src") for e in body.find_all(["img", "source"])] + [f.get("action") for f in body.find_all("form")]
        pages[path.relative_to(site).as_posix()] = {"text": text, "links": links, "sources": sources}
    return pages


if __name__ == "__main__":
    json.dump(fingerprint(Path(sys.argv[1])), sys.stdout, ensure_ascii=False, indent=0)
