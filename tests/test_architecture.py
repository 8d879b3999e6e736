"""Lower layers never import higher ones: src/xxgk has no import circle (issue 20), type-only imports
included, since a circle read as a plan ties every module on it into one."""

import ast
from pathlib import Path

from conftest import ROOT

PACKAGE = ROOT / "src" / "xxgk"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def import_graph() -> dict[str, set[str]]:
    """Module -> the modules of xxgk it imports anywhere in its file (inside functions and under
    TYPE_CHECKING too). `from . import x` names module x when x is a module, else the package."""
    modules = {module_name(p): p for p in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package.split(".")
                    base = base[: len(base) - node.level + 1]
                    base = ".".join(base + ([node.module] if node.module else []))
                else:
                    base = node.module or ""
                targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base for alias in node.names]
            else:
                continue
            for target in targets:
                while target and target not in modules:  # xxgk.portal.urls.GUIDE -> xxgk.portal.urls
                    target = target.rpartition(".")[0]
                if target and target != name and target.startswith("xxgk"):
                    graph[name].add(target)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan), each as one circle's path."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def circle_path(graph: dict[str, set[str]], component: list[str]) -> str:
    """One concrete circle inside a component, as a → b → … → a."""
    members = set(component)
    start = component[0]
    paths = {start: [start]}
    queue = [start]
    while queue:  # breadth first: the shortest way back to start
        node = queue.pop(0)
        for target in sorted(graph[node] & members):
            if target == start:
                return " → ".join(paths[node] + [start])
            if target not in paths:
                paths[target] = paths[node] + [target]
                queue.append(target)
    return " → ".join(component)


def test_the_graph_reads_every_form_of_import():
    graph = import_graph()
    assert "xxgk.problems" in graph["xxgk.content"]  # from .problems import Problems
    assert "xxgk.reports.site" in graph["xxgk.portal.home"]  # from ..reports import site as report_site
    assert "xxgk.project" in graph["xxgk.portal.home"]  # under TYPE_CHECKING
    assert "xxgk.portal.urls" in graph["xxgk.portal.home"]  # from . import urls


def test_src_xxgk_has_no_import_circle():
    graph = import_graph()
    found = cycles(graph)
    message = "\n".join(f"{len(c)} 个模块：{circle_path(graph, c)}\n  {', '.join(c)}" for c in found)
    assert not found, "import circles:\n" + message
