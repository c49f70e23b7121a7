"""vetservice: records, indicators and reports for the veterans' service support system.

>>> import vetservice as vs
>>> db = vs.open("sqlite:///vetservice.db")  # doctest: +SKIP
"""

from vetservice.api import Database, init, open, render
from vetservice.domain import KINDS, Level, RecordKind, mask_id_number, mask_phone
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
from vetservice.markers import hookimpl
from vetservice.i18n import set_language
from vetservice.imports import ImportResult, Problem
from vetservice.version import __version__

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
