"""Imports point one way (architecture.md): apps -> vetservice -> domain, never back."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src" / "vetservice"

# What each layer of the core may import from the project (besides itself).
ALLOWED = {
    "domain": {"vetservice.errors", "vetservice.i18n"},
    "store": {"vetservice.errors", "vetservice.i18n", "vetservice.domain"},
    "imports": {
        "vetservice.errors", "vetservice.i18n", "vetservice.domain", "vetservice.store",
        "vetservice.hookspecs",
    },
    "demo": {"vetservice.errors", "vetservice.i18n", "vetservice.domain", "vetservice.store"},
    "calendar": {"vetservice.errors", "vetservice.i18n", "vetservice.hookspecs"},
    "indicators": {
        "vetservice.errors", "vetservice.i18n", "vetservice.domain", "vetservice.store",
        "vetservice.calendar", "vetservice.plugins", "vetservice.hookspecs",
    },
    "scoring": {
        "vetservice.errors", "vetservice.i18n", "vetservice.domain", "vetservice.store",
        "vetservice.calendar", "vetservice.plugins", "vetservice.hookspecs",
        "vetservice.indicators",
    },
    "reports": {
        "vetservice.errors", "vetservice.i18n", "vetservice.domain", "vetservice.store",
        "vetservice.calendar", "vetservice.plugins", "vetservice.hookspecs",
        "vetservice.indicators", "vetservice.scoring", "vetservice.version",
    },
}
FORBIDDEN_EVERYWHERE = ("click", "streamlit", "vetservice_cli", "vetservice_dashboard")


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


@pytest.mark.parametrize("path", sorted(SRC.rglob("*.py")), ids=lambda p: str(p.relative_to(SRC)))
def test_core_never_imports_a_frontend(path: Path):
    bad = [n for n in _imports(path) if n.split(".")[0] in FORBIDDEN_EVERYWHERE]
    assert not bad, f"{path.name} imports {bad}"


@pytest.mark.parametrize("layer", sorted(ALLOWED))
def test_layers_import_only_downwards(layer: str):
    own = f"vetservice.{layer}"
    for path in (SRC / layer).rglob("*.py"):
        for name in _imports(path):
            if not name.startswith("vetservice") or name.startswith(own):
                continue
            assert any(name == a or name.startswith(a + ".") for a in ALLOWED[layer]), (
                f"{path.relative_to(SRC)} imports {name}"
            )
