"""Imports: read CSV/XLSX ledgers, check every row, write all or nothing; templates; checks.

The steps of a command, in order: ``readers`` (the file), ``headers`` (its
columns), ``rows`` (records), ``references``, ``writing``, and each kind's
``rules``; ``importer`` runs them in one transaction per command, and
``results`` holds what it reports.
"""

from vetservice.imports.importer import delete_files, guess_kind, import_files
from vetservice.imports.results import FileReport, ImportResult, Problem

__all__ = [
    "FileReport",
    "ImportResult",
    "Problem",
    "delete_files",
    "guess_kind",
    "import_files",
]
