"""The shape of the package: readers → stages → archive → cli/web, each module importing
only downwards — no module imports one that imports it back — and SQL only in archive/."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import newsdesk

SRC = Path(newsdesk.__file__).resolve().parent
SQL = re.compile(r"\b(SELECT\s.+\sFROM|INSERT\s+(OR\s+\w+\s+)?INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|CREATE\s+(TABLE|INDEX))\b", re.I | re.S)


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path) -> set[str]:
    """Every newsdesk module ``path`` imports, at module level or inside a function."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            if not target.startswith("newsdesk"):
                continue
            for alias in node.names:
                sub = f"{target}.{alias.name}"
                out.add(sub if (SRC.parent / sub.replace(".", "/")).with_suffix(".py").exists()
                        or (SRC.parent / sub.replace(".", "/") / "__init__.py").exists() else target)
        elif isinstance(node, ast.Import):
            out |= {a.name for a in node.names if a.name.startswith("newsdesk")}
    out.discard(name)
    return out


def graph() -> dict[str, set[str]]:
    return {module_name(p): imports(p) for p in SRC.rglob("*.py")}


def test_no_module_imports_one_that_imports_it_back() -> None:
    g = graph()
    # A package's __init__ re-exporting its modules is not a dependency of those modules on
    # each other; what must not happen is a module needing a module that needs it.
    def reach(start: str) -> set[str]:
        seen: set[str] = set()
        todo = [m for m in g.get(start, ()) if not start.startswith(m + ".")]
        while todo:
            m = todo.pop()
            if m in seen:
                continue
            seen.add(m)
            todo += [n for n in g.get(m, ()) if not m.startswith(n + ".")]
        return seen

    cycles = sorted(f"{a} → {b} → … → {a}" for a in g for b in g[a] if not a.startswith(b + ".") and a in reach(b))
    assert not cycles, "\n".join(cycles)


def test_sql_lives_under_archive() -> None:
    found = []
    for path in SRC.rglob("*.py"):
        if path.relative_to(SRC).parts[0] == "archive":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and SQL.search(node.value):
                found.append(f"{path.relative_to(SRC)}:{node.lineno}: {node.value[:60]!r}")
    assert not found, "\n".join(found)


def test_the_pipeline_reads_downwards() -> None:
    # read/ knows nothing of extraction, the archive or the front ends; the archive nothing
    # of the pipeline or the front ends; the pipeline nothing of the front ends.
    g = graph()
    rules = {
        "newsdesk.read": ("newsdesk.extract", "newsdesk.enrich", "newsdesk.archive", "newsdesk.pipeline", "newsdesk.cli", "newsdesk.web"),
        "newsdesk.extract": ("newsdesk.archive", "newsdesk.pipeline", "newsdesk.cli", "newsdesk.web"),
        "newsdesk.links": ("newsdesk.archive", "newsdesk.pipeline", "newsdesk.cli", "newsdesk.web"),
        "newsdesk.archive": ("newsdesk.pipeline", "newsdesk.cli", "newsdesk.web", "newsdesk.extract", "newsdesk.enrich"),
        "newsdesk.pipeline": ("newsdesk.cli", "newsdesk.web"),
    }
    wrong = [
        f"{m} imports {t}"
        for m, targets in g.items()
        for layer, banned in rules.items()
        if m == layer or m.startswith(layer + ".")
        for t in targets
        if any(t == b or t.startswith(b + ".") for b in banned)
    ]
    assert not wrong, "\n".join(sorted(wrong))
