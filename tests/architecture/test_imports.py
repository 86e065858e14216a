"""The package's import graph: no cycle between modules (imports inside functions count too), and every import
between sub-packages points down the pipeline's layers, so `ls src/recsys_kg` reads as the pipeline."""

from __future__ import annotations

import ast
from functools import lru_cache
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "recsys_kg"
# Top to bottom: a sub-package may import only from sub-packages below it (and from itself). The package root
# is on top: its ``recsys_kg.open`` loads the API on first use; ``__version__`` lives in the leaf ``version``.
LAYERS = [
    "__init__",
    "cli",
    "api",
    "render",
    "build",
    "tools",
    "mapping",
    "validate",
    "resolve",
    "query",
    "publish",
    "reason",
    "shacl",
    "ingest",
    "normalize",
    "rdf",
    "stores",
    "paths",
    "text",
    "outputs",
    "version",
]


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@lru_cache(maxsize=1)
def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def imports_of(path: Path, known: set[str]) -> set[str]:
    """Every recsys_kg module a file imports, at any depth of its code (``from x import y`` counts ``x.y`` when
    that is a module)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("recsys_kg")}
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, f"{path}: relative import; use absolute recsys_kg.… imports"
            if node.module and node.module.startswith("recsys_kg"):
                for alias in node.names:
                    sub = f"{node.module}.{alias.name}"
                    found.add(sub if sub in known else node.module)
    return found & known


@lru_cache(maxsize=1)
def graph() -> dict[str, set[str]]:
    mods = modules()
    return {name: imports_of(path, set(mods)) - {name} for name, path in mods.items()}


def layer(module: str) -> int:
    parts = module.split(".")
    return LAYERS.index(parts[1] if len(parts) > 1 else "__init__")


def find_cycle(edges: dict[str, set[str]]) -> list[str] | None:
    colour: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        colour[node] = 1
        stack.append(node)
        for nxt in sorted(edges.get(node, ())):
            if colour.get(nxt) == 1:
                return stack[stack.index(nxt) :] + [nxt]
            if nxt not in colour and (cycle := visit(nxt)):
                return cycle
        stack.pop()
        colour[node] = 2
        return None

    for start in sorted(edges):
        if start not in colour and (cycle := visit(start)):
            return cycle
    return None


def test_the_package_has_modules_in_every_layer():
    present = {module.split(".")[1] for module in modules() if "." in module}
    assert set(LAYERS) - {"__init__"} <= present | {"paths", "text", "outputs", "version"}
    assert len(modules()) > 40


def test_no_import_cycle_between_modules():
    assert find_cycle(graph()) is None


def test_the_cycle_finder_finds_a_cycle():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


@pytest.mark.parametrize("module", sorted(modules()))
def test_imports_point_down_the_layers(module):
    upward = sorted(target for target in graph()[module] if layer(target) < layer(module))
    assert not upward, f"{module} imports from a higher layer: {upward}"
