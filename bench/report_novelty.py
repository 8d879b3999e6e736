"""What the year-on-year rules (R10 正文雷同, R11 表三与上年相同, R12 变化过大; data/formats/*.yml) find in
real published reports: the seven consecutive reports of 平潭综合实验区 (2019–2025) and the others in
tests/data/reports/real-*.html, read by the importer and reviewed as a folder, as the supervising
office would (`xxgk report check FOLDER`).

    .venv/bin/python bench/report_novelty.py

It prints each report's share of narrative found word for word in the year before, and every R10–R12
finding, to be judged by hand against the published text (bench/README.md records the judgement).
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from xxgk.problems import Problems  # noqa: E402
from xxgk.reference import load_reference  # noqa: E402
from xxgk.reports.formats import load_formats  # noqa: E402
from xxgk.reports.review import report_files, review  # noqa: E402
from xxgk.reports.words import load_words  # noqa: E402


def main() -> int:
    problems = Problems()
    ref, formats, words = load_reference(ROOT, problems), load_formats(ROOT, problems), load_words(ROOT, problems)
    with tempfile.TemporaryDirectory(prefix="xxgk-novelty-") as tmp:
        folder = Path(tmp)
        for path in sorted((ROOT / "tests/data/reports").glob("real-*.html")):
            shutil.copy(path, folder / path.name)
        items = review(folder, report_files(folder), ref, formats, words)
    for item in items:
        report = item.report
        if report is None:
            print(f"{item.file}: 未能读取")
            continue
        share = "—" if report.similarity is None else f"{report.similarity}%"
        print(f"{report.agency} {report.year}（{Path(item.file).name}）：正文与上年相同 {share}")
        for problem in item.problems:
            if problem.message.startswith(("[R10", "[R11", "[R12")):
                print(f"    {problem.level} {problem.message}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
