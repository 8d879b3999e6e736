"""Problems found in editors' input: one located, Chinese message each."""

from __future__ import annotations

from dataclasses import dataclass, replace

ERROR = "错误"
WARNING = "警告"
NOTE = "说明"  # shown in check output, never blocks (e.g. a waived finding)


@dataclass(frozen=True)
class Problem:
    level: str  # ERROR, WARNING or NOTE
    file: str  # path relative to the project root
    line: int | None
    field: str | None
    message: str  # says what is wrong and what to fix
    draft: bool = False  # found in a draft (草稿: true): never blocks, since drafts are never published

    @property
    def is_error(self) -> bool:
        return self.level == ERROR

    def __str__(self) -> str:
        where = self.file + (f":{self.line}" if self.line else "")
        field = f"字段“{self.field}”：" if self.field else ""
        level = f"{self.level}（草稿中的问题）" if self.draft else self.level
        return f"{level} {where} {field}{self.message}"

    def in_draft(self) -> Problem:
        """This problem as found in a draft: an error becomes a warning; it is an error again
        once the entry stops being a draft."""
        return replace(self, level=WARNING if self.is_error else self.level, draft=True)


class InputError(Exception):
    """Input that cannot be read at all; carries the located problem."""

    def __init__(self, problem: Problem):
        super().__init__(str(problem))
        self.problem = problem


class Problems(list):
    """A list of problems with shorthand constructors bound to one file."""

    def error(self, file: str, line: int | None, field: str | None, message: str) -> None:
        self.append(Problem(ERROR, file, line, field, message))

    def warning(self, file: str, line: int | None, field: str | None, message: str) -> None:
        self.append(Problem(WARNING, file, line, field, message))

    def note(self, file: str, line: int | None, field: str | None, message: str) -> None:
        self.append(Problem(NOTE, file, line, field, message))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self if p.level == WARNING]

    @property
    def notes(self) -> list[Problem]:
        return [p for p in self if p.level == NOTE]

    def sorted(self) -> list[Problem]:
        order = {ERROR: 0, WARNING: 1, NOTE: 2}
        return sorted(self, key=lambda p: (order[p.level], p.file, p.line or 0))

    def listed(self, limit: int | None = None) -> list[tuple[str, str]]:
        """(level, line) to show, in order: every error; a warning or note said the same way of many files
        (10,000 migrated entries) for `limit` files, then one line counting the rest (None: all)."""
        lines: list[tuple[str, str]] = []
        said: dict[tuple, int] = {}
        for problem in self.sorted():
            same = (problem.level, problem.draft, problem.field, problem.message)
            said[same] = said.get(same, 0) + 1
            if limit is None or problem.is_error or said[same] <= limit:
                lines.append((problem.level, str(problem)))
        for (level, _draft, field, message), count in said.items():
            if limit is not None and level != ERROR and count > limit:
                where = f"字段“{field}”：" if field else ""
                lines.append((level, f"{level} 另有 {count - limit} 个文件有同样的{level}（{where}{message}），"
                                     "已省略；用 xxgk check --all 列出全部。"))
        return lines
