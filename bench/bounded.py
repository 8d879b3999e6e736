"""Bounded work for editors' Markdown (issue 21, point 4): is the check linear, and is the render
estimate an upper bound?

    .venv/bin/python bench/bounded.py

1. The content checks of one body (xxgk.content.check_markdown: limits, raw HTML, render estimate;
   plus the local links), on each slow construct written 1×, 2× and 4× as long: processor time
   should grow by about 2× per step (linear), not 4× (quadratic).
2. For each construct, the body whose estimate (content.render_cost) just reaches the default budget
   is rendered with Python-Markdown as MkDocs configures it (mkdocs.yml markdown_extensions): the
   processor time measured must stay under the estimate, or the check lets through pages that
   the build then stops.
3. Large clean bodies as portals write them (long text, a big table, a long list): their estimate
   and render time must stay within the budget, or real pages would be refused.
The constructs were chosen from the issue's reports and from Python-Markdown's known slow paths
before the figures were looked at; the two paragraph ones were added after the first run showed
that inline matches in one huge paragraph are quadratic too.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

import markdown  # noqa: E402

from xxgk import content  # noqa: E402
from xxgk.problems import Problems  # noqa: E402

# name -> a body of about n characters
CONSTRUCTS = {
    "lines of “<a ”": lambda n: "\n".join(["<a " * (n // 30)] * 10),
    "“[” in one run": lambda n: "[" * n,
    "“![” in one run": lambda n: "![" * (n // 2),
    "“[” on lines of a paragraph": lambda n: "[\n" * (n // 2),
    "“[](” link openers": lambda n: "[](" * (n // 3),
    "nested “[…]”": lambda n: "[" * (n // 2) + "]" * (n // 2),
    "unclosed fences": lambda n: "```a\n" * (n // 5),
    "event handlers": lambda n: "<a on" * (n // 5),
    "“**a**” in one paragraph": lambda n: "**a** " * (n // 6),
    "code spans in one paragraph": lambda n: "`a` " * (n // 4),
}
# Large bodies as real portals write them (under the 2 MB limit): they must not be refused.
CLEAN = {
    "4,000 paragraphs (2 MB)": "\n\n".join("示例区商务局开展消费促进活动，各街道按要求组织实施，相关数据见下表。" * 5
                                           for _ in range(4000)),
    "table of 20,000 linked rows": "| 文件 | 说明 |\n|---|---|\n" + "\n".join(
        f"| [文件{i}](https://example.gov.cn/{i}.pdf) | **说明** 第{i}项 `代码` |" for i in range(20000)),
    "list of 30,000 items": "".join(f"- 第{i}项：**名称** [链接](files/{i}.pdf)\n" for i in range(30000)),
    "demo entries ×50": "\n\n".join(p.read_text(encoding="utf-8").split("---\n", 2)[2]
                                     for p in sorted((ROOT / "docs/catalog").rglob("*.md"))[:50]),
}
EXTENSIONS = ["tables", "attr_list", "toc"]


def cpu(function, *args) -> float:
    start = time.process_time()
    function(*args)
    return time.process_time() - start


def check(text: str) -> None:
    content.check_markdown(text, "docs/x.md", 1, Problems())
    content.local_links(text)


def at_budget(make, budget: float) -> str:
    """The longest body of this construct whose estimate stays within `budget` (bisection on n)."""
    low, high = 10, 2_000_000
    while high - low > 10:
        middle = (low + high) // 2
        if content.render_cost(make(middle))[0] <= budget:
            low = middle
        else:
            high = middle
    return make(low)


def main() -> None:
    budget = content.BodyLimits().render_seconds
    print("1. Check time (processor seconds) at n, 2n, 4n characters; ratio of the last two")
    for name, make in CONSTRUCTS.items():
        times = [cpu(check, make(n)) for n in (100_000, 200_000, 400_000)]
        print(f"   {name:28} {times[0]:6.3f} {times[1]:6.3f} {times[2]:6.3f}   ×{times[2] / max(times[1], 1e-6):.1f}")
    print(f"2. Bodies estimated at the budget ({budget:g} s): estimate vs. Python-Markdown processor time")
    for name, make in CONSTRUCTS.items():
        text = at_budget(make, budget)
        estimate = content.render_cost(text)[0]
        spent = cpu(lambda t: markdown.Markdown(extensions=EXTENSIONS).convert(t), text)
        verdict = "ok" if spent <= max(estimate, 0.05) else "UNDER-ESTIMATED"
        print(f"   {name:28} {len(text):9,} chars  estimate {estimate:5.2f} s  rendered {spent:5.2f} s  {verdict}")
    print("3. Large clean bodies: estimate (must stay under the budget) and Python-Markdown processor time")
    for name, text in CLEAN.items():
        estimate = content.render_cost(text)[0]
        spent = cpu(lambda t: markdown.Markdown(extensions=EXTENSIONS).convert(t), text)
        verdict = "ok" if estimate <= budget and spent <= budget else "REFUSED"
        print(f"   {name:28} {len(text.encode()):9,} bytes  estimate {estimate:5.2f} s  rendered {spent:5.2f} s  {verdict}")


if __name__ == "__main__":
    main()
