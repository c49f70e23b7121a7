"""vetservice: records, indicators and reports for the veterans' service support system.

>>> import vetservice as vs
>>> db = vs.open("sqlite:///vetservice.db")  # doctest: +SKIP

The public names load on first use (PEP 562), so ``import vetservice`` stays
cheap for a command that only prints its help; ``vs.store`` and the other
subpackages load the same way.
"""

from __future__ import annotations

import importlib
import importlib.util
from typing import TYPE_CHECKING, Any

from vetservice.version import __version__

if TYPE_CHECKING:
    from vetservice.api import Database, init, open, render
    from vetservice.domain import (
        KINDS,
        Level,
        RecordKind,
        mask_id_number,
        mask_phone,
    )
    from vetservice.errors import (
        ConfigurationError,
        DuplicateIndicatorError,
        ImportRejected,
        NotFoundError,
        OutOfScopeError,
        PluginContractError,
        PluginError,
        PluginLoadError,
        SchemaOutdatedError,
        StorageError,
        ValidationError,
        VetserviceError,
    )
    from vetservice.i18n import set_language
    from vetservice.imports import ImportResult, Problem
    from vetservice.markers import hookimpl

# Where each public name lives.
_HOMES = {
    "Database": "vetservice.api",
    "init": "vetservice.api",
    "open": "vetservice.api",
    "render": "vetservice.api",
    "KINDS": "vetservice.domain",
    "Level": "vetservice.domain",
    "RecordKind": "vetservice.domain",
    "mask_id_number": "vetservice.domain",
    "mask_phone": "vetservice.domain",
    "ConfigurationError": "vetservice.errors",
    "DuplicateIndicatorError": "vetservice.errors",
    "ImportRejected": "vetservice.errors",
    "NotFoundError": "vetservice.errors",
    "OutOfScopeError": "vetservice.errors",
    "PluginContractError": "vetservice.errors",
    "PluginError": "vetservice.errors",
    "PluginLoadError": "vetservice.errors",
    "SchemaOutdatedError": "vetservice.errors",
    "StorageError": "vetservice.errors",
    "ValidationError": "vetservice.errors",
    "VetserviceError": "vetservice.errors",
    "set_language": "vetservice.i18n",
    "ImportResult": "vetservice.imports",
    "Problem": "vetservice.imports",
    "hookimpl": "vetservice.markers",
}

__all__ = [
    "KINDS",
    "ConfigurationError",
    "Database",
    "DuplicateIndicatorError",
    "ImportRejected",
    "ImportResult",
    "Level",
    "NotFoundError",
    "OutOfScopeError",
    "PluginContractError",
    "PluginError",
    "PluginLoadError",
    "Problem",
    "RecordKind",
    "SchemaOutdatedError",
    "StorageError",
    "ValidationError",
    "VetserviceError",
    "__version__",
    "hookimpl",
    "init",
    "mask_id_number",
    "mask_phone",
    "open",
    "render",
    "set_language",
]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is not None:
        value = getattr(importlib.import_module(home), name)
        globals()[name] = value  # once loaded, a plain module attribute
        return value
    # vs.store, vs.domain, ...: a subpackage not imported yet.
    if not name.startswith("_") and importlib.util.find_spec(f"{__name__}.{name}"):
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
