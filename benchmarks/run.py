"""Benchmarks: the library against hand-written SQL, measured in the same run.

    python -m benchmarks.run build DIR                 # demo databases: city ×1, ×2, ×4, ×10, province
    python -m benchmarks.run report URL UNIT [--runs 5] [--period 2026Q3]
    python -m benchmarks.run growth DIR [--runs 5]
    python -m benchmarks.run imports [--rows 20000] [--runs 3]

Each prints a Markdown section for results.md. Timings are medians of
``--runs`` runs; the library's query and the hand-written one alternate
inside one process, so their ratio is stable even when the machine is not.
Nothing here is a test: no timing is ever asserted.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import gc
import os
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import attrs
import sqlalchemy as sa

import vetservice as vs
from vetservice.calendar import Period
from vetservice.demo import build_demo
from vetservice.indicators import engine
from vetservice.indicators.model import Context
from vetservice.plugins import create_plugin_manager

from .handwritten import QUERIES, hand_statement

AS_OF = dt.date(2026, 11, 28)
GROWTH = (1, 2, 4, 10)


def median_time(function: Callable[[], Any], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


@contextmanager
def counting(db_engine: sa.Engine) -> Iterator[list[int]]:
    """Counts the statements sent to the database inside the block."""
    count = [0]

    def listener(*args: Any) -> None:
        count[0] += 1

    sa.event.listen(db_engine, "before_cursor_execute", listener)
    try:
        yield count
    finally:
        sa.event.remove(db_engine, "before_cursor_execute", listener)


def open_builtin(url: str) -> vs.Database:
    """The database with the built-in indicators only (parameters at their defaults)."""
    return vs.open(url, plugins=create_plugin_manager(load_entrypoints=False))


@attrs.frozen
class Whole:
    evaluation: float
    report: float
    evaluation_statements: int
    report_statements: int
    peak: int


def measure_whole(db: vs.Database, unit: str, period: Period, runs: int) -> Whole:
    """Median times of a whole evaluation and a full report, their statements and peak memory."""
    db.evaluate(unit, period)  # warm the caches once
    with counting(db.engine) as evaluation_statements:
        db.evaluate(unit, period)
    with counting(db.engine) as report_statements:
        db.report(unit, period)
    evaluation = median_time(lambda: db.evaluate(unit, period), runs)
    report = median_time(lambda: db.report(unit, period), runs)
    gc.collect()
    tracemalloc.start()
    db.report(unit, period)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return Whole(
        evaluation, report, evaluation_statements[0], report_statements[0], peak
    )


def report(url: str, unit: str, period_name: str, runs: int) -> None:
    db = open_builtin(url)
    period = Period.parse(period_name, AS_OF)
    registry = db.indicators()
    dialect = db.engine.dialect.name
    units = db.count("units")
    veterans = db.count("veterans")
    rows = sum(db.counts().values())
    print(f"### {unit} {db.unit(unit).name}, {period_name}, {dialect}")
    print()
    print(f"{units:,} units, {veterans:,} veterans, {rows:,} rows in all.")
    print()

    whole = measure_whole(db, unit, period, runs)
    evaluation = db.evaluate(unit, period)
    print("| measure | value |")
    print("|---|---|")
    print(
        f"| evaluation (all {len(evaluation.results)} indicators, the unit and its "
        f"{len(evaluation.children)} children, shortfall lists) | {whole.evaluation:.2f} s |"
    )
    print(
        f"| full report (evaluation, 环比, 同比, 累计, breakdown, watch list, scoring) | {whole.report:.2f} s |"
    )
    print(f"| statements per evaluation | {whole.evaluation_statements} |")
    print(f"| statements per full report | {whole.report_statements} |")
    print(
        f"| peak Python memory of a full report (tracemalloc) | {whole.peak / 2**20:.0f} MiB |"
    )
    print()

    print("| indicator | library | hand-written | ratio |")
    print("|---|---|---|---|")
    ratios = []
    codes = [unit, *(child.code for child in evaluation.children)]
    with db.engine.connect() as conn:
        for indicator_id, (_plugin, indicator) in registry.items():
            if indicator_id not in QUERIES:
                continue
            statement, wanted = hand_statement(indicator_id, dialect, unit, period)

            # The indicator's roll-up as the engine builds, compiles and runs it.
            def library(indicator: Any = indicator) -> None:
                context = Context(period, indicator.id, indicator.parameters, ())
                engine._rollup(conn, engine.scoped_facts(indicator, context), codes)

            def hand(
                statement: sa.TextClause = statement, wanted: dict[str, Any] = wanted
            ) -> None:
                conn.execute(statement, wanted).all()

            library()
            hand()
            library_times, hand_times = [], []
            for _ in range(runs):  # alternate, so both see the same machine
                library_times.append(median_time(library, 1))
                hand_times.append(median_time(hand, 1))
            lib, own = statistics.median(library_times), statistics.median(hand_times)
            ratio = lib / own if own else float("nan")
            ratios.append((ratio, indicator_id))
            print(
                f"| `{indicator_id}` | {lib * 1000:.1f} ms | {own * 1000:.1f} ms | {ratio:.2f} |"
            )
    print()
    if not ratios:
        return
    over = [f"`{i}` ({r:.2f})" for r, i in sorted(ratios, reverse=True) if r > 1.5]
    print(
        f"Median ratio {statistics.median(r for r, _ in ratios):.2f}; "
        f"worst {max(ratios)[0]:.2f} (`{max(ratios)[1]}`); "
        f"above 1.5×: {', '.join(over) or 'none'}."
    )
    print()


def build(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    targets = [(f"city-x{n}.db", "city", n) for n in GROWTH] + [
        ("province.db", "province", 1)
    ]
    for name, scale, rows in targets:
        path = folder / name
        if path.exists():
            print(f"{path} exists; kept")
            continue
        db = vs.open(f"sqlite:///{path}")
        start = time.perf_counter()
        summary = build_demo(db.engine, scale=scale, seed=2026, rows_factor=rows)
        print(
            f"{name}: {sum(summary.counts.values()):,} rows in {time.perf_counter() - start:.0f} s"
        )
        db.close()


def growth(folder: Path, runs: int) -> None:
    print("| rows | records | evaluation | × | full report | × | statements |")
    print("|---|---|---|---|---|---|---|")
    base: Whole | None = None
    period = Period.parse("2026Q3", AS_OF)
    for n in GROWTH:
        db = open_builtin(f"sqlite:///{folder / f'city-x{n}.db'}")
        whole = measure_whole(db, "610600000000", period, runs)
        base = base or whole
        records = sum(db.counts().values())
        print(
            f"| ×{n} | {records:,} | {whole.evaluation:.2f} s "
            f"| {whole.evaluation / base.evaluation:.1f} | {whole.report:.2f} s "
            f"| {whole.report / base.report:.1f} | {whole.report_statements} |"
        )
        db.close()
    print()


def imports(rows: int, runs: int) -> None:
    """Import throughput: veterans from CSV and XLSX into the city hierarchy."""
    from openpyxl import Workbook

    from vetservice.domain import KINDS

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        source = vs.open(f"sqlite:///{folder / 'source.db'}")
        build_demo(source.engine, seed=2026, rows_factor=rows / 28_000)
        veterans = source.records("veterans")[:rows]
        fields = [f.name for f in KINDS["veterans"].fields]
        # Contacts name staff the empty target database does not hold.
        table = [
            [_cell(None if f == "contact_person_id" else getattr(v, f)) for f in fields]
            for v in veterans
        ]
        csv_path, xlsx_path = folder / "veterans.csv", folder / "veterans.xlsx"
        with csv_path.open("w", newline="", encoding="utf-8") as f:
            writer = csv.writer(f)
            writer.writerow(fields)
            writer.writerows(table)
        book = Workbook(write_only=True)
        sheet = book.create_sheet()
        sheet.append(fields)
        for line in table:
            sheet.append(line)
        book.save(xlsx_path)
        units = [
            [
                u.code,
                u.name,
                u.level.value,
                u.parent_code or "",
                u.kind.value if u.kind else "",
            ]
            for u in source.records("units")
        ]
        units_path = folder / "units.csv"
        with units_path.open("w", newline="", encoding="utf-8") as f:
            writer = csv.writer(f)
            writer.writerow(["code", "name", "level", "parent_code", "kind"])
            writer.writerows(units)
        source.close()
        print("| file | rows | median time | rows per second |")
        print("|---|---|---|---|")
        for path in (csv_path, xlsx_path):
            times = []
            for run in range(runs):
                db = vs.open(f"sqlite:///{folder / f'{path.suffix[1:]}-{run}.db'}")
                db.import_file("units", units_path)
                start = time.perf_counter()
                db.import_file("veterans", path)
                times.append(time.perf_counter() - start)
                db.close()
            took = statistics.median(times)
            print(
                f"| veterans{path.suffix} | {len(table):,} | {took:.1f} s | {len(table) / took:,.0f} |"
            )
    print()


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    return getattr(value, "value", value)


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run")
    commands = parser.add_subparsers(dest="command", required=True)
    p = commands.add_parser("build")
    p.add_argument("folder", type=Path)
    p = commands.add_parser("report")
    p.add_argument("url")
    p.add_argument("unit")
    p.add_argument("--period", default="2026Q3")
    p.add_argument("--runs", type=int, default=5)
    p = commands.add_parser("growth")
    p.add_argument("folder", type=Path)
    p.add_argument("--runs", type=int, default=5)
    p = commands.add_parser("imports")
    p.add_argument("--rows", type=int, default=20_000)
    p.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    print(
        f"<!-- {' '.join(['python -m benchmarks.run', *argv])}; {os.cpu_count()} cores; "
        f"Python {sys.version.split()[0]}; SQLite {__import__('sqlite3').sqlite_version} -->"
    )
    if args.command == "build":
        build(args.folder)
    elif args.command == "report":
        report(args.url, args.unit, args.period, args.runs)
    elif args.command == "growth":
        growth(args.folder, args.runs)
    else:
        imports(args.rows, args.runs)


if __name__ == "__main__":
    main(sys.argv[1:])
