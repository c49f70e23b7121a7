"""Large files go in a chunk of rows at a time, still all or nothing.

The chunk size is made tiny here so that a few rows cross several chunks.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from stdnum.cn import ric

import vetservice as vs
from vetservice.errors import ImportRejected
from vetservice.imports import rows
from vetservice.testing import FIXTURE_TODAY as TODAY
from vetservice.testing import LQC, SMALL_HIERARCHY, YJL, load_records

HEADER = "身份证号,姓名,现居村社区代码\n"


def ids(count: int) -> list[str]:
    """Valid id numbers of men born in 1965 in 宝塔区."""
    numbers = []
    for day in range(1, count + 1):
        body = f"6106021965{1 + day // 28:02d}{1 + day % 28:02d}031"
        numbers.append(body + ric.calc_check_digit(body + "0"))
    return numbers


@pytest.fixture(autouse=True)
def _tiny_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rows, "CHUNK_ROWS", 3)


@pytest.fixture
def base(db: vs.Database) -> vs.Database:
    load_records(db, {"units": SMALL_HIERARCHY})
    return db


def write(path: Path, lines: list[str]) -> Path:
    path.write_text(HEADER + "".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def test_rows_across_chunks_are_all_written(base: vs.Database, tmp_path: Path):
    numbers = ids(10)
    path = write(
        tmp_path / "v.csv", [f"{n},李{i},{YJL}" for i, n in enumerate(numbers)]
    )
    seen: list[tuple[int, int | None]] = []
    result = base.import_files(
        [("veterans", path)],
        today=TODAY,
        progress=lambda done, total: seen.append((done, total)),
    )
    assert result.total("added") == 10
    assert seen == [(3, 10), (6, 10), (9, 10), (10, 10)]
    again = base.import_file("veterans", path, today=TODAY)
    assert again.total("unchanged") == 10


def test_a_key_repeated_in_a_later_chunk_is_named(base: vs.Database, tmp_path: Path):
    numbers = ids(7)
    lines = [f"{n},李{i},{YJL}" for i, n in enumerate(numbers)] + [
        f"{numbers[0]},王,{LQC}"
    ]
    with pytest.raises(ImportRejected) as e:
        base.import_file("veterans", write(tmp_path / "v.csv", lines), today=TODAY)
    assert [(p.row, "第 2 行" in p.render()) for p in e.value.problems] == [(9, True)]
    assert base.records("veterans") == []


def test_a_bad_row_in_the_last_chunk_writes_nothing(base: vs.Database, tmp_path: Path):
    numbers = ids(8)
    lines = [f"{n},李{i},{YJL}" for i, n in enumerate(numbers)]
    lines[7] = f"{numbers[7]},李七,610602999999"  # no such unit
    with pytest.raises(ImportRejected) as e:
        base.import_file("veterans", write(tmp_path / "v.csv", lines), today=TODAY)
    assert [p.row for p in e.value.problems] == [9]
    assert base.records("veterans") == []


def test_skipping_bad_rows_undoes_a_file_broken_part_way(
    base: vs.Database, tmp_path: Path
):
    numbers = ids(12)
    good = write(tmp_path / "a.csv", [f"{n},李,{YJL}" for n in numbers[:4]])
    broken_lines = [f"{n},王,{YJL}" for n in numbers[4:11]]
    broken_lines.insert(5, f'{numbers[11]},"王,{YJL}')  # a quotation mark never closed
    broken = write(tmp_path / "b.csv", broken_lines)
    result = base.import_files(
        [("veterans", good), ("veterans", broken)], skip_bad_rows=True, today=TODAY
    )
    first, second = result.files
    assert (first.added, second.added) == (4, 0)
    assert len(second.problems) == 1
    assert sorted(v.id_number for v in base.records("veterans")) == sorted(numbers[:4])
    # The keys the undone file took are free again.
    again = base.import_file(
        "veterans", write(tmp_path / "c.csv", [f"{numbers[4]},王,{YJL}"]), today=TODAY
    )
    assert again.total("added") == 1
