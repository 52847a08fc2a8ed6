"""The import graph of our own packages, read from the source (no import is executed)."""

from __future__ import annotations

import ast
import functools
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OURS = ("radio", "content", "audio", "web")


@dataclass(frozen=True)
class Arrow:
    source: str  # the importing module, dotted
    target: str  # the imported module or name, dotted
    line: int
    in_function: bool


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def modules(package: str) -> Iterator[Path]:
    yield from sorted((ROOT / package).rglob("*.py"))


def _absolute(node: ast.ImportFrom, path: Path) -> str:
    if not node.level:
        return node.module or ""
    name = module_name(path).split(".")
    package = name if path.name == "__init__.py" else name[:-1]
    base = package[: len(package) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def arrows(path: Path) -> list[Arrow]:
    return list(_arrows(path))


@functools.cache
def _arrows_cached(path: Path) -> tuple[Arrow, ...]:
    return tuple(_walk(path))


def _arrows(path: Path) -> tuple[Arrow, ...]:
    return _arrows_cached(path)


def _walk(path: Path) -> Iterator[Arrow]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    source = module_name(path)
    in_function: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            in_function.update(id(n) for n in ast.walk(node) if n is not node)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield Arrow(source, alias.name, node.lineno, id(node) in in_function)
        elif isinstance(node, ast.ImportFrom):
            base = _absolute(node, path)
            for alias in node.names:
                yield Arrow(source, f"{base}.{alias.name}", node.lineno, id(node) in in_function)


def known_module(target: str, known: set[str]) -> str | None:
    """The longest prefix of *target* that is one of our modules (``a.b.name`` → ``a.b``)."""
    parts = target.split(".")
    for i in range(len(parts), 0, -1):
        if ".".join(parts[:i]) in known:
            return ".".join(parts[:i])
    return None


def graph(package: str) -> dict[str, set[str]]:
    """Module → the modules of ours it imports (at module level or in a function)."""
    known = {module_name(p) for top in OURS for p in modules(top)}
    out: dict[str, set[str]] = {}
    for path in modules(package):
        source = module_name(path)
        edges = out.setdefault(source, set())
        for arrow in arrows(path):
            target = known_module(arrow.target, known)
            if target and target != source:
                edges.add(target)
    return out


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one member (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = [0]

    def visit(node: str) -> None:
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(edges.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
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

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found
