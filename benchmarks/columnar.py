"""A columnar floor: the hand-written statements on DuckDB, in memory.

    python -m benchmarks.columnar URL UNIT [--runs 3] [--store]

Copies the tables the hand-written statements read (``benchmarks/handwritten``)
from the database at URL into an in-memory DuckDB database, then runs every
hand-written statement for the four periods of a report (本期 2026Q3, 上期,
去年同期, 累计) on both: the row store at URL (SQLite or PostgreSQL) and
DuckDB, alternating statement by statement in one process, and prints the
times and their ratios as a Markdown section for results.md. The point is
the gap to the hardware: how much faster a columnar, vectorised engine sums
the same facts.

DuckDB runs the PostgreSQL text of each statement (else the SQLite text)
with three small adaptations, all printed with the results: ``:name`` bind
parameters become ``$name``, ``SET integer_division = true`` (PostgreSQL's
``/`` on integers) and a ``to_char(date, 'YYYY-MM')`` macro over DuckDB's
``strftime``. A statement counts only if DuckDB gives exactly the row
store's figures for all four periods; the others are listed as skipped,
with DuckDB's error or the first disagreement.

``--store`` also times computing the figures store for the four periods in
the same run (every unit, all indicators, written), for its ratio to the
DuckDB floor.

Loading is done in Python, without DuckDB's sqlite or postgres extensions
(they are downloaded on first use; this runs offline): rows are read through
SQLAlchemy, written to a temporary CSV file per table and read by DuckDB's
``COPY``, into columns typed from the library's schema. Nothing here is a
test: no timing is asserted.

Needs ``duckdb`` (``pip install -e '.[bench]'``).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from vetservice.calendar import Period
from vetservice.store.schema import metadata

from .handwritten import QUERIES, hand_statement
from .run import AS_OF, open_builtin

NULL = r"\N"
PARAMETER = re.compile(r"(?<![:\w]):(\w+)")

# DuckDB lacks PostgreSQL's to_char; the statements use it for 'YYYY-MM',
# 'YYYY' and 'YYYYMMDD' only.
MACROS = (
    "CREATE MACRO to_char(d, f) AS CASE f"
    " WHEN 'YYYY-MM' THEN strftime(CAST(d AS DATE), '%Y-%m')"
    " WHEN 'YYYY' THEN strftime(CAST(d AS DATE), '%Y')"
    " WHEN 'YYYYMMDD' THEN strftime(CAST(d AS DATE), '%Y%m%d') END",
)
SETTINGS = ("SET integer_division = true",)


def duckdb_type(column: sa.Column[Any]) -> str:
    kind = column.type
    if isinstance(kind, sa.Boolean):
        return "BOOLEAN"
    if isinstance(kind, sa.DateTime):
        return "TIMESTAMP"
    if isinstance(kind, sa.Date):
        return "DATE"
    if isinstance(kind, sa.BigInteger):
        return "BIGINT"
    if isinstance(kind, sa.Integer):  # as on PostgreSQL: date + integer is a date
        return "INTEGER"
    if isinstance(kind, sa.Float):
        return "DOUBLE"
    if isinstance(kind, sa.Numeric):
        return "DECIMAL(38, 6)"
    return "VARCHAR"


def statement_texts() -> dict[str, list[str]]:
    """Each indicator → its statement texts, the PostgreSQL one first."""
    found = {}
    for indicator_id, query in QUERIES.items():
        if isinstance(query, str):
            found[indicator_id] = [query]
        else:
            found[indicator_id] = [query["postgresql"], query["sqlite"]]
    return found


def tables_read() -> list[sa.Table]:
    """The library's tables some hand-written statement names."""
    words = set()
    for texts in statement_texts().values():
        for text in texts:
            words.update(re.findall(r"\w+", text))
    return [t for t in metadata.sorted_tables if t.name in words]


def _cell(value: Any) -> Any:
    return NULL if value is None else value


def load(source: sa.Engine, target: Any, folder: Path) -> tuple[int, float]:
    """Copy the tables into DuckDB; the rows copied and the seconds it took."""
    start = time.perf_counter()
    rows = 0
    existing = set(sa.inspect(source).get_table_names())
    for table in tables_read():
        if table.name not in existing:
            continue
        columns = ", ".join(f'"{c.name}" {duckdb_type(c)}' for c in table.columns)
        target.execute(f'CREATE TABLE "{table.name}" ({columns})')
        path = folder / f"{table.name}.csv"
        with (
            path.open("w", newline="", encoding="utf-8") as f,
            source.connect() as conn,
        ):
            writer = csv.writer(f)
            result = conn.execution_options(yield_per=50_000).execute(sa.select(table))
            copied = 0
            for part in result.partitions():
                writer.writerows([_cell(v) for v in row] for row in part)
                copied += len(part)
        rows += copied
        if copied:
            target.execute(
                f"COPY \"{table.name}\" FROM '{path.as_posix()}' "
                f"(FORMAT csv, HEADER false, DELIMITER ',', NULLSTR '{NULL}', "
                "QUOTE '\"', ESCAPE '\"')"
            )
        path.unlink()
    return rows, time.perf_counter() - start


def _figures(rows: Iterable[Any]) -> dict[str, tuple[float, float]]:
    return {
        str(code): (round(float(num or 0), 6), round(float(den or 0), 6))
        for code, num, den in rows
    }


def duckdb_text(text: str) -> str:
    return PARAMETER.sub(r"$\1", text)


def compile_all(
    conn: sa.Connection,
    duck: Any,
    unit: str,
    periods: list[Period],
    indicators: list[str],
) -> tuple[dict[str, str], dict[str, str]]:
    """For each indicator, the DuckDB text giving the row store's figures in
    every period; and the skipped ones with why."""
    dialect = conn.dialect.name
    chosen: dict[str, str] = {}
    skipped: dict[str, str] = {}
    texts = statement_texts()
    for indicator_id in indicators:
        expected = []
        for period in periods:
            statement, values = hand_statement(indicator_id, dialect, unit, period)
            expected.append((_figures(conn.execute(statement, values)), values))
        why = ""
        for text in texts[indicator_id]:
            try:
                for wanted, values in expected:
                    got = _figures(duck.execute(duckdb_text(text), values).fetchall())
                    codes = sorted(set(wanted) | set(got))
                    bad = [
                        c
                        for c in codes
                        if wanted.get(c, (0.0, 0.0)) != got.get(c, (0.0, 0.0))
                    ]
                    if bad:
                        raise ValueError(
                            f"disagrees at {bad[0]}: DuckDB {got.get(bad[0])}, "
                            f"row store {wanted.get(bad[0])}"
                        )
            except Exception as error:  # DuckDB's errors, or a disagreement
                why = why or str(error).strip().splitlines()[0][:160]
                continue
            chosen[indicator_id] = text
            break
        else:
            skipped[indicator_id] = why
    return chosen, skipped


def columnar(url: str, unit: str, runs: int, with_store: bool) -> None:
    import duckdb

    from vetservice.stored import comparisons, figure_set

    db = open_builtin(url)
    period = Period.parse("2026Q3", AS_OF)
    periods = comparisons(period)
    registry = db.indicators()
    dialect = db.engine.dialect.name
    indicators = [i for i in registry if i in QUERIES]
    duck = duckdb.connect(":memory:")
    for setting in (*SETTINGS, *MACROS):
        duck.execute(setting)
    (threads,) = duck.execute("SELECT current_setting('threads')").fetchall()[0]
    with tempfile.TemporaryDirectory() as folder:
        rows, loading = load(db.engine, duck, Path(folder))
    size = duck.execute("PRAGMA database_size").fetchall()
    memory = size[0][-2] if size else "?"

    print(
        f"### {unit} {db.unit(unit).name}, 2026Q3 as of {AS_OF}: "
        f"{dialect} against DuckDB {duckdb.__version__} in memory"
    )
    print()
    print(
        f"{len(tables_read())} tables, {rows:,} rows copied into DuckDB in {loading:.0f} s "
        f"(DuckDB's memory: {memory}; {threads} threads)."
    )
    print()

    with db.engine.connect() as conn:
        chosen, skipped = compile_all(conn, duck, unit, periods, indicators)
        statements = {
            i: [hand_statement(i, dialect, unit, p) for p in periods] for i in chosen
        }

        def row_store(indicator_id: str) -> float:
            start = time.perf_counter()
            for statement, values in statements[indicator_id]:
                conn.execute(statement, values).all()
            return time.perf_counter() - start

        def columnar_engine(indicator_id: str) -> float:
            start = time.perf_counter()
            text = duckdb_text(chosen[indicator_id])
            for _statement, values in statements[indicator_id]:
                duck.execute(text, values).fetchall()
            return time.perf_counter() - start

        # Alternating statement by statement, so both see the same machine;
        # DuckDB with all its threads, then with one (SQLite uses one core).
        times: dict[str, dict[str, list[float]]] = {
            i: {"row": [], "duck": [], "duck1": []} for i in chosen
        }
        for _ in range(runs):
            for indicator_id in chosen:
                times[indicator_id]["row"].append(row_store(indicator_id))
                duck.execute(f"SET threads = {threads}")
                times[indicator_id]["duck"].append(columnar_engine(indicator_id))
                duck.execute("SET threads = 1")
                times[indicator_id]["duck1"].append(columnar_engine(indicator_id))
        duck.execute(f"SET threads = {threads}")

    def total(kind: str) -> float:
        return statistics.median(
            sum(times[i][kind][run] for i in chosen) for run in range(runs)
        )

    row, fast, single = total("row"), total("duck"), total("duck1")
    print(
        f"{len(chosen)} of {len(indicators)} hand-written statements ran on DuckDB with "
        f"the row store's figures in all four periods; the times are theirs only "
        f"(× 4 periods, the unit and its {len(db.children(unit))} children, median of "
        f"{runs} alternating runs)."
    )
    print()
    print(f"| engine | seconds | ÷ DuckDB ({threads} threads) |")
    print("|---|---|---|")
    print(
        f"| {dialect} (the row store at URL), hand-written | {row:.2f} | {row / fast:.1f} |"
    )
    print(f"| DuckDB in memory, {threads} threads, hand-written | {fast:.2f} | 1 |")
    print(
        f"| DuckDB in memory, 1 thread, hand-written | {single:.2f} | {single / fast:.2f} |"
    )
    if with_store:
        store = statistics.median(
            _timed(
                lambda: [
                    figure_set(db.engine, registry, p, recompute=True) for p in periods
                ]
            )
            for _ in range(runs)
        )
        print(
            f"| figures store computed and written, all {len(registry)} indicators × 4 "
            f"periods, every unit ({dialect}) | {store:.2f} | {store / fast:.1f} |"
        )
    print()
    # What any statement costs: one unit by its code, 50 times on each.
    trivial = "SELECT code FROM units WHERE code = :unit"
    with db.engine.connect() as conn:
        on_row = statistics.median(
            _timed(lambda: conn.execute(sa.text(trivial), {"unit": unit}).all())
            for _ in range(50)
        )
    on_duck = statistics.median(
        _timed(lambda: duck.execute(duckdb_text(trivial), {"unit": unit}).fetchall())
        for _ in range(50)
    )
    print(
        f"A trivial statement (`{trivial}`) takes {on_row * 1000:.2f} ms on {dialect} "
        f"and {on_duck * 1000:.2f} ms on DuckDB: DuckDB's fixed cost per statement, "
        f"which the {len(chosen)} × 4 statements pay {len(chosen) * 4} times."
    )
    print()

    ratios = sorted(
        (
            statistics.median(times[i]["row"]) / statistics.median(times[i]["duck"]),
            i,
        )
        for i in chosen
    )
    slowest = sorted(chosen, key=lambda i: -statistics.median(times[i]["row"]))[:10]
    print(
        f"Per statement, row store ÷ DuckDB ({threads} threads): median "
        f"{statistics.median(r for r, _ in ratios):.1f}, lowest {ratios[0][0]:.1f} "
        f"(`{ratios[0][1]}`), highest {ratios[-1][0]:.1f} (`{ratios[-1][1]}`); "
        f"DuckDB slower on {sum(1 for r, _ in ratios if r < 1)}."
    )
    print()
    print(f"| the ten slowest on {dialect} | {dialect} | DuckDB | ratio |")
    print("|---|---|---|---|")
    for i in slowest:
        r, d = statistics.median(times[i]["row"]), statistics.median(times[i]["duck"])
        print(f"| `{i}` | {r * 1000:.0f} ms | {d * 1000:.1f} ms | {r / d:.0f} |")
    print()
    if skipped:
        print(f"Skipped ({len(skipped)}):")
        print()
        for indicator_id, why in skipped.items():
            print(f"- `{indicator_id}`: {why}")
        print()


def _timed(function: Any) -> float:
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.columnar")
    parser.add_argument("url")
    parser.add_argument("unit")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--store", action="store_true", help="also time computing the figures store"
    )
    args = parser.parse_args(argv)
    print(
        f"<!-- {' '.join(['python -m benchmarks.columnar', *argv])}; {os.cpu_count()} cores; "
        f"Python {sys.version.split()[0]}; SQLite {__import__('sqlite3').sqlite_version}; "
        f"{dt.date.today()} -->"
    )
    columnar(args.url, args.unit, args.runs, args.store)


if __name__ == "__main__":
    main(sys.argv[1:])
