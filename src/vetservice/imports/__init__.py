"""Imports: read CSV/XLSX ledgers, check every row, write all or nothing; templates; checks.

The steps of a command, in order: ``readers`` (the file), ``headers`` (its
columns), ``rows`` (records), ``references``, ``writing``, and each kind's
``rules``; ``importer`` runs them in one transaction per command, and
``results`` holds what it reports.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from vetservice.imports.importer import delete_files, guess_kind, import_files
    from vetservice.imports.results import FileReport, ImportResult, Problem

# Loaded on first use: the built-in checks (``imports.checks``) are loaded
# with every plugin manager, and the readers behind the importer are not
# needed for that (``vetservice plugins`` starts without them).
_HOMES = {
    "delete_files": "vetservice.imports.importer",
    "guess_kind": "vetservice.imports.importer",
    "import_files": "vetservice.imports.importer",
    "FileReport": "vetservice.imports.results",
    "ImportResult": "vetservice.imports.results",
    "Problem": "vetservice.imports.results",
}

__all__ = [
    "FileReport",
    "ImportResult",
    "Problem",
    "delete_files",
    "guess_kind",
    "import_files",
]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value  # once loaded, a plain module attribute
    return value
