"""What an import or delete reports: problems, counts per file, the result."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import attrs

from vetservice.i18n import N_, Bilingual, Message


@attrs.frozen
class Problem:
    """A bad row (or file): where it is and why, in the reader's language.

    ``sheet`` is the workbook sheet the row is on (None for a CSV file).
    """

    file: str
    row: int | None
    column: str | Bilingual | None
    message: Message
    sheet: str | None = None

    @property
    def where(self) -> Message:
        """File, sheet, row and column, as far as they are known."""
        params: dict[str, Any] = {
            "file": Path(self.file).name,
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
        }
        if self.sheet is None:
            if self.row is not None and self.column:
                return Message(N_("{file}, row {row}, column {column}"), params)
            if self.row is not None:
                return Message(N_("{file}, row {row}"), params)
            return Message(N_("{file}"), params)
        if self.row is not None and self.column:
            return Message(
                N_("{file}, sheet {sheet}, row {row}, column {column}"), params
            )
        if self.row is not None:
            return Message(N_("{file}, sheet {sheet}, row {row}"), params)
        return Message(N_("{file}, sheet {sheet}"), params)

    def render(self, lang: str | None = None) -> str:
        return Message(
            N_("{where}: {reason}"), {"where": self.where, "reason": self.message}
        ).render(lang)


@attrs.define
class FileReport:
    """What one file did: counts, problems and warnings."""

    kind: str
    path: str
    sha256: str = ""
    rows: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0
    skipped: int = 0
    problems: list[Problem] = attrs.Factory(list)
    warnings: list[Problem] = attrs.Factory(list)
    # What of the file's layout was read or skipped: the header found below
    # a title, a 序号 column, 合计 rows, the footer, sheets left out.
    notes: list[Message] = attrs.Factory(list)
    sheets: list[str] = attrs.Factory(list)  # the sheets imported
    dry_run: bool = False

    COUNTERS = ("added", "updated", "unchanged", "deleted", "skipped")

    @property
    def counts(self) -> dict[str, int]:
        return {name: getattr(self, name) for name in self.COUNTERS}

    def summary(self) -> Message:
        """One line a clerk reads: the file and what happened to its rows."""
        if self.dry_run:
            return Message(
                N_(
                    "{file} (dry run, nothing written): would add {added}, update {updated}, leave {unchanged} unchanged; {skipped} rows bad"
                ),
                {"file": Path(self.path).name, **self.counts},
            )
        return Message(
            N_(
                "{file}: {added} added, {updated} updated, {unchanged} unchanged, {deleted} deleted, {skipped} rows skipped"
            ),
            {"file": Path(self.path).name, **self.counts},
        )


@attrs.frozen
class ImportResult:
    files: list[FileReport]
    dry_run: bool = False  # counted in a transaction rolled back: nothing written

    @property
    def problems(self) -> list[Problem]:
        return [p for f in self.files for p in f.problems]

    @property
    def warnings(self) -> list[Problem]:
        return [p for f in self.files for p in f.warnings]

    def total(self, counter: str) -> int:
        return sum(getattr(f, counter) for f in self.files)


@attrs.frozen
class Parsed:
    """A row read into a record, with its row number in the file."""

    row: int
    record: Any
    sheet: str | None = None


class Rollback(Exception):
    """Raised inside the transaction to undo a command with bad rows."""
