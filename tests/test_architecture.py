"""The house as a tree (architecture.md): imports point down the layers, never in a circle.

Every module of the core, the two frontends and the county plugins is read
statically. Imports under ``if TYPE_CHECKING:`` are left out (they never run);
imports inside functions are kept, since a lazy import is still a dependency.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = {
    "vetservice": ROOT / "src" / "vetservice",
    "vetservice_cli": ROOT / "apps" / "cli" / "vetservice_cli",
    "vetservice_dashboard": ROOT / "apps" / "streamlit" / "vetservice_dashboard",
    **{p.name: p for p in sorted(ROOT.glob("plugins/*/src/*")) if p.is_dir()},
}

# What each layer may import from the project besides itself, bottom to top
# (the table in architecture.md). A layer is a package of the core
# (``vetservice.store``), a module at its top (``vetservice.audit``) or a
# frontend; every county plugin is the layer ``plugin``.
BASE = {"vetservice.errors", "vetservice.i18n", "vetservice.markers", "vetservice.version"}
LAYERS: dict[str, set[str]] = {
    "vetservice.version": set(),
    "vetservice.markers": set(),
    "vetservice.i18n": set(),
    "vetservice.errors": {"vetservice.i18n"},
    "vetservice.domain": BASE,
    "vetservice.store": BASE | {"vetservice.domain"},
    "vetservice.hookspecs": BASE,
    "vetservice.calendar": BASE | {"vetservice.domain"},
    "vetservice.plugins": BASE | {"vetservice.domain", "vetservice.hookspecs"},
    "vetservice.imports": BASE | {"vetservice.domain", "vetservice.store"},
    "vetservice.demo": BASE | {"vetservice.domain", "vetservice.store"},
    "vetservice.indicators": BASE
    | {"vetservice.domain", "vetservice.store", "vetservice.calendar", "vetservice.plugins"},
    "vetservice.scoring": BASE
    | {
        "vetservice.domain", "vetservice.store", "vetservice.calendar",
        "vetservice.plugins", "vetservice.indicators",
    },
    "vetservice.stored": BASE
    | {"vetservice.domain", "vetservice.store", "vetservice.calendar", "vetservice.plugins",
       "vetservice.indicators"},
    "vetservice.reports": BASE
    | {
        "vetservice.domain", "vetservice.store", "vetservice.calendar",
        "vetservice.plugins", "vetservice.indicators", "vetservice.scoring",
        "vetservice.stored",
    },
    "vetservice.audit": BASE | {"vetservice.domain", "vetservice.store", "vetservice.calendar"},
    "vetservice.accounts": BASE | {"vetservice.domain", "vetservice.store"},
    "vetservice.reporting": BASE
    | {
        "vetservice.domain", "vetservice.store", "vetservice.calendar",
        "vetservice.plugins", "vetservice.indicators", "vetservice.imports",
    },
    "vetservice.snapshots": BASE
    | {
        "vetservice.domain", "vetservice.store", "vetservice.calendar",
        "vetservice.plugins", "vetservice.indicators", "vetservice.scoring",
        "vetservice.stored", "vetservice.reports", "vetservice.audit",
    },
}
CORE = set(LAYERS)
TOP = CORE | {"vetservice.api", "vetservice"}
LAYERS |= {
    "vetservice.api": CORE,
    "vetservice": CORE | {"vetservice.api"},
    "vetservice.testing": TOP,
    "vetservice_dashboard": TOP,
    "vetservice_cli": TOP | {"vetservice_dashboard"},
    "plugin": TOP,
}
FRONTENDS = ("click", "streamlit", "vetservice_cli", "vetservice_dashboard")


def _modules() -> dict[str, Path]:
    found = {}
    for package, root in PACKAGES.items():
        for path in root.rglob("*.py"):
            parts = [package, *path.relative_to(root).with_suffix("").parts]
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


MODULES = _modules()


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imported(module: str, path: Path) -> Iterator[str]:
    """The names a module imports when it runs (absolute, relative resolved)."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]

    def visit(node: ast.AST) -> Iterator[str]:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child):
                for other in child.orelse:
                    yield from visit(other)
            elif isinstance(child, ast.Import):
                yield from (alias.name for alias in child.names)
            elif isinstance(child, ast.ImportFrom):
                base = child.module or ""
                if child.level:
                    up = package.split(".")[: len(package.split(".")) - child.level + 1]
                    base = ".".join([*up, *([child.module] if child.module else [])])
                for alias in child.names:
                    # ``from vetservice import hookspecs`` imports a module.
                    yield f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base
            else:
                yield from visit(child)

    yield from visit(ast.parse(path.read_text(encoding="utf-8")))


def _project_module(name: str) -> str | None:
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


GRAPH = {
    module: {
        target
        for name in _imported(module, path)
        if (target := _project_module(name)) is not None and target != module
    }
    for module, path in MODULES.items()
}


def _layer(module: str) -> str:
    if module.split(".")[0] not in ("vetservice", "vetservice_cli", "vetservice_dashboard"):
        return "plugin"
    if module.startswith("vetservice."):
        two = ".".join(module.split(".")[:2])
        return two
    return module.split(".")[0]


def _allowed(layer: str, target: str) -> bool:
    return target in LAYERS[layer]


@pytest.mark.parametrize("module", sorted(MODULES))
def test_imports_point_down_the_layers(module: str):
    layer = _layer(module)
    assert layer in LAYERS, f"{module} is in no layer of architecture.md"
    upward = sorted(
        target
        for target in GRAPH[module]
        if _layer(target) != layer and not _allowed(layer, _layer(target))
    )
    assert not upward, f"{module} imports up or across the layers: {upward}"


@pytest.mark.parametrize(
    "module", sorted(m for m in MODULES if m.startswith("vetservice.") or m == "vetservice")
)
def test_core_never_imports_a_frontend(module: str):
    bad = sorted(
        name for name in _imported(module, MODULES[module]) if name.split(".")[0] in FRONTENDS
    )
    assert not bad, f"{module} imports {bad}"


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def connect(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                connect(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            connect(node)
    return found


def test_no_import_cycles_between_modules():
    assert _cycles(GRAPH) == []


def test_no_import_cycles_between_layers():
    layers: dict[str, set[str]] = {}
    for module, targets in GRAPH.items():
        layers.setdefault(_layer(module), set()).update(
            _layer(t) for t in targets if _layer(t) != _layer(module)
        )
    assert _cycles(layers) == []


def test_the_check_sees_a_cycle_and_an_upward_import():
    # The check itself can fail: a made-up loop and a made-up upward import.
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert not _allowed("vetservice.store", "vetservice.indicators")
    assert _allowed("vetservice.indicators", "vetservice.store")
    assert not _allowed("vetservice_dashboard", "vetservice.testing")
    assert _allowed("vetservice_cli", "vetservice_dashboard")
