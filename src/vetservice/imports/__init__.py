"""Imports: read CSV/XLSX ledgers, check every row, write all or nothing; templates; checks."""

from vetservice.imports.importer import (
    FileReport,
    ImportResult,
    Problem,
    delete_files,
    guess_kind,
    import_files,
)

__all__ = [
    "FileReport",
    "ImportResult",
    "Problem",
    "delete_files",
    "guess_kind",
    "import_files",
]
