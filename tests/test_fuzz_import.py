"""Fuzzing the importer: whatever a file holds, only a clean vetservice error.

Arbitrary bytes, arbitrary text, and CSV-shaped text built from the
characters that break parsers (quotes, separators, line breaks, BOMs, NUL,
formula signs, full-width digits) go through ``import_file`` for a few
kinds. Each import either succeeds or raises
:class:`~vetservice.errors.ImportRejected` with its problems — never another
exception — and a rejected import leaves every table as it was.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from test_bad_input import BASE, dump_tables

import vetservice as vs
from vetservice.testing import FIXTURE_TODAY as TODAY
from vetservice.testing import load_records

V1 = "612601196503120031"

HEADERS = {
    "units": ["区划代码", "名称", "层级", "上级代码", "类别"],
    "veterans": ["身份证号", "姓名", "现居村社区代码", "性别", "出生日期", "联系电话"],
    "stations": ["区划代码", "建成日期", "独立场所", "编制数"],
    "care_fund_entries": [
        "基金所属县区代码",
        "凭证号",
        "日期",
        "收支类型",
        "金额",
        "捐赠方或受助人",
    ],
}
KINDS = sorted(HEADERS)

# Pieces a clerk's cell (or a broken file) is made of.
PIECES = [
    "610602000000",
    "610602001001",
    V1,
    "61260119780104123x",
    "2026-01-01",
    "2026/2/30",
    "0202-05-01",
    "捐赠收入",
    "帮扶支出",
    "village",
    "county",
    "是",
    "1,234.50",
    "-0",
    "１２",
    "6.12601E+17",
    "#N/A",
    "=1+1",
    "-2+3",
    "<b>",
    "3<5",
    "'; DROP TABLE units; --",
    "李保国",
    '"',
    '""',
    ",",
    ";",
    "\t",
    "\n",
    "\r\n",
    "\r",
    "\ufeff",
    "\x00",
    "\u200b",
    " ",
    "",
]
cell = st.lists(st.sampled_from(PIECES), max_size=4).map("".join) | st.text(max_size=8)


@st.composite
def csv_like(draw: st.DrawFn, kind: str) -> str:
    """A header (mostly right, sometimes not) and rows of clerk-like cells."""
    headers = HEADERS[kind]
    chosen = draw(
        st.permutations(headers)
        | st.lists(st.sampled_from(headers), min_size=1, max_size=6)
    )
    lines = [",".join(chosen)]
    width = st.integers(len(chosen) - 1, len(chosen) + 1)
    for _ in range(draw(st.integers(0, 4))):
        cells = [draw(cell) for _ in range(max(draw(width), 1))]
        lines.append(",".join(cells))
    return draw(st.sampled_from(["\n", "\r\n"])).join(lines)


# Mostly what Chinese Excel writes, sometimes what it does not.
ENCODINGS = ["utf-8"] * 4 + ["utf-8-sig", "gb18030", "utf-16", "utf-16-le", "big5"]


@st.composite
def encoded(draw: st.DrawFn, text: str) -> bytes:
    encoding = draw(st.sampled_from(ENCODINGS))
    return text.encode(encoding, errors="replace")


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[vs.Database]:
    folder = tmp_path_factory.mktemp("fuzz")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("VETSERVICE_DISABLE_PLUGIN_AUTOLOAD", "1")
        db = vs.open(f"sqlite:///{(folder / 'fuzz.db').as_posix()}", actor="fuzz")
        load_records(db, BASE)
        yield db
        db.close()


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz-files")


def import_must_be_clean(db: vs.Database, kind: str, path: Path) -> None:
    """Import ``path``: success, or ImportRejected with problems and no change."""
    before = dump_tables(db.engine)
    try:
        db.import_file(kind, path, today=TODAY)
        event("accepted")
    except vs.ImportRejected as e:
        event(f"refused: {e.problems[0].message.msgid[:40] if e.problems else '?'}")
        assert e.problems, "a rejection names its problems"
        for problem in e.problems:
            assert problem.render("zh") and problem.render("en")
        assert dump_tables(db.engine) == before


FUZZ = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


@FUZZ
@given(kind=st.sampled_from(KINDS), data=st.binary(max_size=600))
def test_arbitrary_bytes(database: vs.Database, folder: Path, kind: str, data: bytes):
    path = folder / f"{kind}.csv"
    path.write_bytes(data)
    import_must_be_clean(database, kind, path)


@FUZZ
@given(kind=st.sampled_from(KINDS), text=st.text(max_size=300), data=st.data())
def test_arbitrary_text(
    database: vs.Database, folder: Path, kind: str, text: str, data: st.DataObject
):
    path = folder / f"{kind}.csv"
    path.write_bytes(data.draw(encoded(text)))
    import_must_be_clean(database, kind, path)


@settings(FUZZ, max_examples=60)
@given(data=st.data())
def test_csv_shaped_text(database: vs.Database, folder: Path, data: st.DataObject):
    kind = data.draw(st.sampled_from(KINDS))
    text = data.draw(csv_like(kind))
    path = folder / f"{kind}.csv"
    path.write_bytes(data.draw(encoded(text)))
    import_must_be_clean(database, kind, path)


@settings(FUZZ, max_examples=15)
@given(
    kind=st.sampled_from(KINDS),
    rows=st.lists(st.lists(cell, max_size=6), max_size=4),
    cut=st.integers(0, 4000),
    flips=st.lists(st.tuples(st.integers(0, 4000), st.integers(1, 255)), max_size=3),
)
def test_damaged_workbooks(
    database: vs.Database,
    folder: Path,
    kind: str,
    rows: list[list[str]],
    cut: int,
    flips: list[tuple[int, int]],
):
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(HEADERS[kind])
    for row in rows:
        sheet.append([ILLEGAL_CHARACTERS_RE.sub("", c) for c in row])
    buffer = io.BytesIO()
    book.save(buffer)
    data = bytearray(buffer.getvalue())
    for at, mask in flips:
        data[at % len(data)] ^= mask
    if cut:
        data = data[: len(data) - cut % len(data)]
    path = folder / f"{kind}.xlsx"
    path.write_bytes(bytes(data))
    import_must_be_clean(database, kind, path)
