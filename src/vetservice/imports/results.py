"""What an import or delete reports: problems, counts per file, the result."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import attrs

from vetservice.i18n import N_, Bilingual, Message


@attrs.frozen
class Problem:
    """A bad row (or file): where it is and why, in the reader's language."""

    file: str
    row: int | None
    column: str | Bilingual | None
    message: Message

    def render(self, lang: str | None = None) -> str:
        where = Message(N_("{file}"), {"file": Path(self.file).name})
        if self.row is not None and self.column:
            where = Message(
                N_("{file}, row {row}, column {column}"),
                {"file": Path(self.file).name, "row": self.row, "column": self.column},
            )
        elif self.row is not None:
            where = Message(
                N_("{file}, row {row}"), {"file": Path(self.file).name, "row": self.row}
            )
        return Message(
            N_("{where}: {reason}"), {"where": where, "reason": self.message}
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

    COUNTERS = ("added", "updated", "unchanged", "deleted", "skipped")

    @property
    def counts(self) -> dict[str, int]:
        return {name: getattr(self, name) for name in self.COUNTERS}

    def summary(self) -> Message:
        """One line a clerk reads: the file and what happened to its rows."""
        return Message(
            N_(
                "{file}: {added} added, {updated} updated, {unchanged} unchanged, {deleted} deleted, {skipped} rows skipped"
            ),
            {"file": Path(self.path).name, **self.counts},
        )


@attrs.frozen
class ImportResult:
    files: list[FileReport]

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


class Rollback(Exception):
    """Raised inside the transaction to undo a command with bad rows."""
