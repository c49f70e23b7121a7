"""Find the table in a sheet laid out the way clerks lay out ledgers.

Above the header there may be a title ("XX县退役军人信息采集表") and a
填报单位/日期 row; the header may take two rows (a group row over the field
row); there may be a 序号 column, merged cells, 合计 rows, and a footer
(填表人、审核人…) below the data. The header is the row (or pair of rows)
among the first ones where most cells name a field of the kind; what is
skipped is named in the sheet's notes, and nothing that could be a record is
skipped silently: a row with data after the footer is an error.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import attrs

from vetservice.i18n import N_, Message
from vetservice.imports.readers.base import (
    Merge,
    RawSheet,
    RowError,
    Rows,
    Sheet,
    blank,
    column_letter,
)

# What a matcher gives for a running-number column (序号, 编号…).
SEQUENCE = "#sequence"
# A header cell's text → the field it names, SEQUENCE, or None.
Matcher = Callable[[str], str | None]

# The header is looked for among this many non-blank rows at the top.
HEADER_SEARCH = 15

_SPACE = re.compile(r"\s+")
_TOTAL = re.compile(r"^(合计|小计|总计|共计|累计|总合计)[:：]?$")
_FOOTER = re.compile(
    r"^(填表人|填报人|制表人|制表|审核人|审核|审批人|负责人|单位负责人|分管领导|"
    r"主要领导|联系人|联系电话|填报日期|填表日期|制表日期|报送日期|"
    r"填报单位|填表单位|报送单位|"
    r"(注|说明|备注)[:：])"
)


def _text(cell: Any) -> str:
    return "" if cell is None else _SPACE.sub("", str(cell))


def _span(rows: list[int]) -> str:
    """Row numbers as a clerk reads them: "3", "1–2", "20、23–24"."""
    parts: list[str] = []
    for number in sorted(rows):
        if parts and "–" not in parts[-1] and int(parts[-1]) == number - 1:
            parts[-1] = f"{parts[-1]}–{number}"
        elif parts and "–" in parts[-1] and int(parts[-1].split("–")[1]) == number - 1:
            parts[-1] = f"{parts[-1].split('–')[0]}–{number}"
        else:
            parts.append(str(number))
    return "、".join(parts)


def fill_merges(
    rows: Rows, merges: list[Merge]
) -> Iterator[tuple[int, list[Any], bool]]:
    """Each row with its merged cells filled from their top-left value, and
    whether the clerk typed anything in it (a merge alone makes no record)."""
    starting: dict[int, list[Merge]] = {}
    for merge in merges:
        starting.setdefault(merge[0], []).append(merge)
    active: list[tuple[Merge, Any]] = []
    for number, cells in rows:
        typed = not blank(cells)
        for merge in starting.pop(number, []):
            value = cells[merge[1]] if merge[1] < len(cells) else None
            active.append((merge, value))
        active = [(m, v) for m, v in active if m[2] >= number]
        for (_, first, _, last), value in active:
            if len(cells) <= last:
                cells.extend([None] * (last + 1 - len(cells)))
            for index in range(first, last + 1):
                cells[index] = value
        yield number, cells, typed


@attrs.frozen
class Header:
    rows: tuple[int, ...]  # one row, or the group row and the field row
    texts: list[str]  # each column's header as shown
    fields: list[str | None]  # each column's field, SEQUENCE or None
    score: int


def _single(number: int, cells: list[Any], match: Matcher) -> Header:
    texts = [_text(c) for c in cells]
    fields = [match(t) if t else None for t in texts]
    return Header((number,), texts, fields, _score(fields))


def _pair(
    group: tuple[int, list[Any]], field: tuple[int, list[Any]], match: Matcher
) -> Header:
    width = max(len(group[1]), len(field[1]))
    texts, fields = [], []
    for index in range(width):
        g = _text(group[1][index]) if index < len(group[1]) else ""
        f = _text(field[1][index]) if index < len(field[1]) else ""
        # Under a group label the field's own text counts first; a cell the
        # group row spans down to (a CSV of a vertical merge) takes the group's.
        candidates = [f, g + f] if f else [g]
        name = None
        shown = f or g
        for text in candidates:
            if text and (name := match(text)) is not None:
                shown = text
                break
        texts.append(shown)
        fields.append(name)
    return Header((group[0], field[0]), texts, fields, _score(fields))


def _score(fields: list[str | None]) -> int:
    return len({f for f in fields if f is not None and f != SEQUENCE})


def find_header(top: list[tuple[int, list[Any]]], match: Matcher) -> Header:
    """The header among the first rows; the first row when none names a field.

    The row naming the most fields wins, the earliest on a tie. A pair of
    rows wins over its field row when it names as many and both rows name
    fields themselves: 序号 or 身份证号 merged down over a group row and a
    field row. A title above the header names none, nor does a row of
    running numbers below it.
    """
    singles = [_single(number, cells, match) for number, cells in top]
    best = max(s.score for s in singles)
    if best == 0:
        return singles[0]
    for i, single in enumerate(singles):
        if i + 1 < len(top) and top[i + 1][0] == top[i][0] + 1:
            pair = _pair(top[i], top[i + 1], match)
            below = singles[i + 1]
            if (
                pair.score >= best
                and pair.score >= below.score
                and any(single.fields)
                and below.score > 0
            ):
                return pair
        if single.score == best:
            return single
    return singles[0]  # not reached: some row has the best score


@attrs.define
class _Layout:
    """What the data rows' reader found, for the notes at the end."""

    totals: list[int] = attrs.Factory(list)
    footer: list[int] = attrs.Factory(list)


def detect(raw: RawSheet, path: str, match: Matcher) -> Sheet | None:
    """The sheet with its header found and its data rows cleaned; None when it is empty."""
    rows = fill_merges(raw.rows, raw.merges)
    top: list[tuple[int, list[Any]]] = []
    typed_top: dict[int, bool] = {}
    for number, cells, typed in rows:
        if blank(cells):
            continue
        top.append((number, cells))
        typed_top[number] = typed
        if len(top) >= HEADER_SEARCH + 1:
            break
    if not top:
        return None
    header = find_header(top, match)
    last = header.rows[-1]
    notes: list[Message] = []
    above = [n for n, _ in top if n < header.rows[0]]
    if len(header.rows) == 2:
        notes.append(
            Message(
                N_("rows {first}–{last} are a two-row header, read as one"),
                {"first": header.rows[0], "last": last},
            )
        )
    if above:
        notes.append(
            Message(
                N_(
                    "row {row} is the header; rows {rows} above it (a title) were skipped"
                ),
                {"row": last, "rows": _span(above)},
            )
        )
    ignored = {i for i, f in enumerate(header.fields) if f == SEQUENCE}
    covered = _covered(header, raw.merges)
    for index in sorted(ignored):
        notes.append(
            Message(
                N_("column {column} ({header}) holds running numbers and was ignored"),
                {"column": column_letter(index), "header": header.texts[index]},
            )
        )
    headers = [
        "" if i in ignored or i in covered else text
        for i, text in enumerate(header.texts)
    ]
    while headers and not headers[-1]:
        headers.pop()
    buffered = [(n, c, typed_top[n]) for n, c in top if n > last]
    state = _Layout()
    sheet = Sheet(
        path,
        last,
        headers,
        iter(()),
        raw.encoding,
        raw.close,
        raw.name,
        notes,
        header.score,
    )
    sheet.rows = _data_rows(
        _chain(buffered, rows),
        headers,
        ignored,
        covered,
        min(ignored) if ignored else None,
        state,
        sheet,
        raw.merges,
    )
    return sheet


def _covered(header: Header, merges: list[Merge]) -> dict[int, int]:
    """Columns a field's header cell is merged across, to the column it starts in."""
    last = header.rows[-1]
    covered: dict[int, int] = {}
    for first_row, first, last_row, end in merges:
        if first_row <= last <= last_row and end > first:
            for index in range(first + 1, end + 1):
                covered[index] = first
    return covered


def _chain(
    first: list[tuple[int, list[Any], bool]],
    rest: Iterator[tuple[int, list[Any], bool]],
) -> Iterator[tuple[int, list[Any], bool]]:
    yield from first
    yield from rest


def _data_rows(
    rows: Iterator[tuple[int, list[Any], bool]],
    headers: list[str],
    ignored: set[int],
    covered: dict[int, int],
    sequence: int | None,
    state: _Layout,
    sheet: Sheet,
    merges: list[Merge],
) -> Rows:
    try:
        for number, cells, typed in rows:
            if not typed:
                continue  # only what a merge above spread into it
            if _is_total(cells, sequence):
                state.totals.append(number)
                continue
            if _is_footer(cells):
                state.footer.append(number)
                continue
            if blank([c for i, c in enumerate(cells) if i not in ignored]):
                continue  # a running number with nothing beside it
            if state.footer:
                raise RowError(
                    number,
                    N_(
                        "row {number} holds data below the footer (filled in by, checked by…) "
                        "at row {footer}; move it above the footer"
                    ),
                    number=number,
                    footer=state.footer[0],
                )
            _check_columns(number, cells, headers, ignored, covered)
            yield number, cells
    finally:
        header_row = sheet.header_row
        skipped = {*state.totals, *state.footer}
        merged = sum(1 for m in merges if m[0] > header_row and m[0] not in skipped)
        if merged:
            sheet.notes.append(
                Message(
                    N_(
                        "{count} merged cells in the data were filled from their top-left value"
                    ),
                    {"count": merged},
                )
            )
        if state.totals:
            sheet.notes.append(
                Message(
                    N_("rows {rows}: total rows, skipped"),
                    {"rows": _span(state.totals)},
                )
            )
        if state.footer:
            sheet.notes.append(
                Message(
                    N_("rows {rows}: the footer (filled in by, checked by…), skipped"),
                    {"rows": _span(state.footer)},
                )
            )


def _first_texts(cells: list[Any], count: int = 2) -> list[str]:
    found = []
    for cell in cells:
        text = _text(cell)
        if text:
            found.append(text)
            if len(found) == count:
                break
    return found


def _is_total(cells: list[Any], sequence: int | None) -> bool:
    if (
        sequence is not None
        and sequence < len(cells)
        and _TOTAL.match(_text(cells[sequence]))
    ):
        return True
    return any(_TOTAL.match(t) for t in _first_texts(cells))


def _is_footer(cells: list[Any]) -> bool:
    first = _first_texts(cells, 1)
    return bool(first) and bool(_FOOTER.match(first[0]))


def _check_columns(
    number: int,
    cells: list[Any],
    headers: list[str],
    ignored: set[int],
    covered: dict[int, int],
) -> None:
    """A value under no header would be lost: refuse the row instead. The
    copies a merge across one header's columns left are cleared."""
    for index, start in covered.items():
        if index < len(cells) and not blank([cells[index]]):
            if cells[index] != cells[start]:
                _no_header(number, index)
            cells[index] = None
    for index, cell in enumerate(cells[: len(headers)]):
        if not headers[index] and index not in ignored and not blank([cell]):
            _no_header(number, index)


def _no_header(number: int, index: int) -> None:
    raise RowError(
        number,
        N_(
            "column {column} holds a value but has no header; give the column a "
            "header or clear it"
        ),
        column=column_letter(index),
    )
