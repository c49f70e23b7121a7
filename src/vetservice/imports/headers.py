"""Aligning a file's header with a kind's fields: Chinese or English, any spacing.

An import file must name every required column and nothing unknown; a delete
file needs only the kind's key columns. A running-number column (序号) is
no field and is left out.
"""

from __future__ import annotations

from vetservice.domain import RecordKind
from vetservice.i18n import N_, Bilingual, Message
from vetservice.imports.readers import SEQUENCE, Matcher, Sheet
from vetservice.imports.results import FileReport, Problem

_INVISIBLE = dict.fromkeys(map(ord, "\ufeff\u200b\u200c\u200d\u2060"))


def normalise_header(header: str) -> str:
    # Spaces, a stray byte order mark and zero-width characters are invisible
    # in Excel, so they never make a header unknown.
    text = "".join(str(header).translate(_INVISIBLE).split()).rstrip("*＊")
    return text.replace("(", "（").replace(")", "）").lower()


def header_aliases(kind: RecordKind) -> dict[str, str]:
    """Every accepted spelling of every header, normalised, to its field name:
    the English name, the Chinese header and the synonyms the contract
    declares (``Field.aliases``; no two fields of a kind share one)."""
    aliases: dict[str, str] = {}
    for f in kind.fields:
        for spelling in (f.name, f.zh, *f.aliases):
            aliases[normalise_header(spelling)] = f.name
        short = f.zh.split("（")[0]
        if short != f.zh:
            aliases.setdefault(normalise_header(short), f.name)
    return aliases


# Headers of a column of running numbers, no field of any kind (unless the
# kind has a field of that name: a petition's 编号 is its case number).
RUNNING_NUMBERS = frozenset(
    normalise_header(h)
    for h in ("序号", "编号", "行号", "顺序号", "序", "No.", "No", "#")
)


def header_matcher(kind: RecordKind) -> Matcher:
    """What the readers ask of a header cell: the field it names, SEQUENCE
    for a running-number column, or None."""
    aliases = header_aliases(kind)

    def match(text: str) -> str | None:
        key = normalise_header(text)
        if key in aliases:
            return aliases[key]
        return SEQUENCE if key in RUNNING_NUMBERS else None

    return match


def map_headers(
    kind: RecordKind, sheet: Sheet, report: FileReport
) -> dict[int, str] | None:
    """Each column's field name by index; None (the problems reported) when a
    column is unknown or doubled, or a required one is missing."""
    # Problems of this sheet only: an earlier sheet's bad rows must not make
    # this one's header count as wrong (with --skip-bad-rows it would be
    # skipped without a word).
    before = len(report.problems)
    aliases = header_aliases(kind)
    columns: dict[int, str] = {}
    seen: dict[str, str] = {}
    unknown: list[str] = []
    for index, header in enumerate(sheet.headers):
        if not header:
            continue
        name = aliases.get(normalise_header(header))
        if name is None:
            unknown.append(header)
        elif name in seen:
            report.problems.append(
                Problem(
                    sheet.path,
                    sheet.header_row,
                    header,
                    Message(
                        N_("column {field} appears twice (also as '{other}')"),
                        {"field": name, "other": seen[name]},
                    ),
                )
            )
        else:
            seen[name] = header
            columns[index] = name
    if unknown and not seen:
        # Nothing matches: another kind's file, a sheet of something else, or
        # (in a CSV file) text in an encoding that came out garbled.
        if sheet.name is None:
            msgid = N_(
                "none of the columns ({columns}) is a column of the {kind} file, "
                "which takes: {allowed}; check that the file is of this kind and "
                "that it is saved as CSV UTF-8 or GBK"
            )
        else:
            msgid = N_(
                "the header of sheet {sheet} does not match the {kind} ledger: none "
                "of its columns ({columns}) is one of the ledger's, which are: "
                "{allowed}; import the sheet as its own kind or remove it"
            )
        report.problems.append(
            Problem(
                sheet.path,
                sheet.header_row,
                None,
                Message(
                    msgid,
                    {
                        "sheet": sheet.name or "",
                        "columns": "、".join(unknown[:10])
                        + ("…" if len(unknown) > 10 else ""),
                        "kind": kind.label,
                        "allowed": Bilingual(
                            "、".join(f.zh for f in kind.fields),
                            ", ".join(f.name for f in kind.fields),
                        ),
                    },
                ),
            )
        )
        return None
    if unknown:
        report.problems.append(
            Problem(
                sheet.path,
                sheet.header_row,
                None,
                Message(
                    N_("unknown columns: {columns}; the {kind} file takes: {allowed}"),
                    {
                        "columns": "、".join(unknown),
                        "kind": kind.label,
                        "allowed": Bilingual(
                            "、".join(f.zh for f in kind.fields),
                            ", ".join(f.name for f in kind.fields),
                        ),
                    },
                ),
            )
        )
    missing = [f for f in kind.fields if f.required and f.name not in seen]
    if missing:
        report.problems.append(
            Problem(
                sheet.path,
                sheet.header_row,
                None,
                Message(
                    N_("required columns are missing: {columns}"),
                    {
                        "columns": Bilingual(
                            "、".join(f.zh for f in missing),
                            ", ".join(f.name for f in missing),
                        )
                    },
                ),
            )
        )
    return None if len(report.problems) > before else columns


def key_columns(
    kind: RecordKind, sheet: Sheet, report: FileReport
) -> dict[int, str] | None:
    """A delete file's key columns by index; None (reported) when one is
    missing or a column is unknown."""
    aliases = header_aliases(kind)
    columns = {
        i: aliases.get(normalise_header(h)) for i, h in enumerate(sheet.headers) if h
    }
    unknown = [sheet.headers[i] for i, name in columns.items() if name is None]
    missing = [kind.field(k).zh for k in kind.key if k not in columns.values()]
    if unknown or missing:
        report.problems.append(
            Problem(
                sheet.path,
                sheet.header_row,
                None,
                Message(
                    N_("a delete file needs the key columns {key}; unknown: {unknown}"),
                    {
                        "key": "、".join(kind.field(k).zh for k in kind.key),
                        "unknown": "、".join(unknown) or "-",
                    },
                ),
            )
        )
        return None
    return {i: name for i, name in columns.items() if name in kind.key}
