"""Benchmarks: the library against hand-written SQL, measured in the same run.

    python -m benchmarks.run build DIR                 # demo databases: city ×1, ×2, ×4, ×10, province
    python -m benchmarks.run report URL UNIT [--runs 5] [--period 2026Q3]
    python -m benchmarks.run growth DIR [--runs 5]
    python -m benchmarks.run imports [--rows 20000 300000] [--runs 3]
    python -m benchmarks.run store URL UNIT [--runs 3]     # the figures store (issue 15)
    python -m benchmarks.run depth URL UNIT [--formats json xlsx]  # gap lists cut at a depth
    python -m benchmarks.run scoring URL UNIT [--runs 3] [--as-of D]  # a ranking: held or streamed
    python -m benchmarks.run gaps URL UNIT [--runs 5]       # gap lists: from the store or the facts

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
import random
import statistics
import subprocess
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


def _forget_figures(db: vs.Database) -> None:
    """Empty the figures store: the next read computes (cold)."""
    from vetservice.store.schema import figure_gaps, figure_scores, figure_sets, figures

    with db.engine.begin() as conn:
        for table in (figure_gaps, figure_scores, figures, figure_sets):
            conn.execute(table.delete())


def _process(url: str, *args: str) -> float:
    """Seconds of a whole ``vetservice`` process."""
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "vetservice_cli.main", "--db", url, *args],
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - start


def store(url: str, unit: str, runs: int) -> None:
    """The figures store: hand-written statements of a report's four periods
    against computing the store, and cold and warm reports, drill-downs and
    the dashboard's library calls."""
    from vetservice.reports.build import build_report
    from vetservice.stored import comparisons, figure_set

    db = open_builtin(url)
    period = Period.parse("2026Q3", AS_OF)
    periods = comparisons(period)
    registry = db.indicators()
    dialect = db.engine.dialect.name
    child = db.children(unit)[0].code
    print(f"### {unit} {db.unit(unit).name}, 2026Q3 as of {AS_OF}, {dialect}")
    print()

    # The floor: every hand-written statement once per period.
    def hand_all() -> None:
        with db.engine.connect() as conn:
            for each in periods:
                for indicator_id in registry:
                    if indicator_id in QUERIES:
                        statement, wanted = hand_statement(
                            indicator_id, dialect, unit, each
                        )
                        conn.execute(statement, wanted).all()

    def compute_all() -> None:
        for each in periods:
            figure_set(db.engine, registry, each, recompute=True)

    hand = median_time(hand_all, runs)
    computed = median_time(compute_all, runs)
    covered = sum(1 for i in registry if i in QUERIES)
    print("| measure | seconds | ratio to hand-written |")
    print("|---|---|---|")
    print(
        f"| hand-written statements, {covered} indicators × 4 periods, the unit and "
        f"its children | {hand:.2f} | 1 |"
    )
    print(
        f"| figures store computed and written, all {len(registry)} indicators × 4 "
        f"periods, every unit | {computed:.2f} | {computed / hand:.2f} |"
    )

    def cold(function: Callable[[], Any]) -> float:
        times = []
        for _ in range(runs):
            _forget_figures(db)
            start = time.perf_counter()
            function()
            times.append(time.perf_counter() - start)
        return statistics.median(times)

    def both(label: str, function: Callable[[], Any]) -> None:
        c = cold(function)
        function()
        w = median_time(function, runs)
        print(f"| {label}, cold | {c:.2f} | {c / hand:.2f} |")
        print(f"| {label}, warm | {w:.2f} | {w / hand:.2f} |")

    both("`db.report` of the unit (in process)", lambda: db.report(unit, period))
    both(
        "dashboard first page: `db.report` + report model + tiles of one indicator",
        lambda: (
            build_report(db.report(unit, period), "zh"),
            db.level_figures(
                unit, period, vs.Level.TOWNSHIP, indicators=["env.all_elements"]
            ),
        ),
    )
    db.report(unit, period)
    drill = median_time(lambda: build_report(db.report(child, period), "zh"), runs)
    print(
        f"| dashboard drill-down to {child}: report + model, warm | {drill:.2f} | {drill / hand:.2f} |"
    )
    with tempfile.TemporaryDirectory() as folder:
        each = median_time(
            lambda: db.write_reports(unit, period, ["json"], folder, each_child=True),
            runs,
        )
    print(
        f"| `write_reports --each-child` JSON ({len(db.children(unit)) + 1} reports), warm "
        f"| {each:.2f} | {each / hand:.2f} |"
    )
    args = [
        "--as-of",
        AS_OF.isoformat(),
        "report",
        "--unit",
        unit,
        "--period",
        "2026Q3",
    ]
    with tempfile.TemporaryDirectory() as folder:
        out = ["--format", "json", "--out", folder]
        _forget_figures(db)
        first = _process(url, *args, *out)
        again = statistics.median(_process(url, *args, *out) for _ in range(runs))
    print(
        f"| `vetservice report` JSON, whole process, cold | {first:.2f} | {first / hand:.2f} |"
    )
    print(
        f"| `vetservice report` JSON, whole process, warm | {again:.2f} | {again / hand:.2f} |"
    )
    print()


_ONE_REPORT = """
import resource, sys, time, datetime as dt
import vetservice as vs
from vetservice.calendar import Period
url, unit, depth, formats = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
db = vs.open(url)
period = Period.parse("2026Q3", dt.date.fromisoformat("{as_of}"))
start = time.perf_counter()
report = db.report(unit, period, list_depth=None if depth == "all" else int(depth))
took = time.perf_counter() - start
sizes = [len(db.render(report, f)) for f in formats]
listed = sum(len(r.shortfalls) for r in report)
unlisted = sum(r.unlisted.get(unit, 0) for r in report)
rendered = time.perf_counter() - start - took
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(took, rendered, peak, listed, unlisted, *sizes)
"""


def depth(url: str, unit: str, formats: list[str]) -> None:
    """A report's gaps listed down to 1, 2 and every level (issue 15, item 4):
    time, peak memory of the whole process, rows listed and counted, and the
    size of each format; each depth in a fresh process, the store warm."""
    db = open_builtin(url)
    print(
        f"### {unit} {db.unit(unit).name}, 2026Q3 as of {AS_OF}, {db.engine.dialect.name}"
    )
    print()
    db.refresh(["2026Q3"], as_of=AS_OF)
    db.close()
    script = _ONE_REPORT.replace("{as_of}", AS_OF.isoformat())
    shown = " | ".join(f"{f} MB" for f in formats)
    print(
        f"| list depth | `db.report` s | rendering s | peak MB | gaps listed | counted below | {shown} |"
    )
    print("|---|---|---|---|---|---|" + "---|" * len(formats))
    for chosen in ("1", "2", "all"):
        done = subprocess.run(
            [sys.executable, "-c", script, url, unit, chosen, *formats],
            check=True,
            capture_output=True,
            text=True,
        )
        took, rendered, peak, listed, unlisted, *sizes = done.stdout.split()[
            -5 - len(formats) :
        ]
        mb = " | ".join(f"{int(n) / 1e6:.2f}" for n in sizes)
        print(
            f"| {chosen} | {float(took):.1f} | {float(rendered):.1f} | {float(peak):,.0f} "
            f"| {int(listed):,} | {int(unlisted):,} | {mb} |"
        )
    print()


def scoring(url: str, unit: str, runs: int, as_of: dt.date = AS_OF) -> None:
    """The village ranking from a warm store, three ways in the same run:
    every unit's figures held, then scored (``score(stored=…)``, what reports
    did first); each unit scored as its row of sums arrives, alike units
    sharing a score (``scored_from_sums``, what reports did next); and the
    scores kept with the set read back (``stored_score``, what reports do
    now). Same scores asserted; medians of ``runs`` and the peak traced
    memory of one run each; and once, the first report's scoring that writes
    the kept scores."""
    from vetservice.indicators.registry import collect_overrides
    from vetservice.reports.scores import scored_from_sums, stored_score
    from vetservice.scoring import score
    from vetservice.scoring.engine import rank
    from vetservice.store import reading
    from vetservice.store.schema import figure_scores
    from vetservice.stored import figure_set
    from vetservice.stored.scores import sheet_digest

    db = open_builtin(url)
    period = Period.parse("2026Q3", as_of)
    registry = db.indicators()
    overrides = collect_overrides(db.plugins)
    _plugin, sheet = db.scoring_sheets()["village_annual"]
    kept = figure_set(db.engine, registry, period, overrides)
    common = {"unit": unit, "period": period, "overrides": overrides}
    used = {i: registry[i] for i in sheet.indicator_ids}

    def held() -> Any:
        return score(db.engine, sheet, registry, stored=kept, **common).scores

    def streamed() -> Any:
        with reading(db.engine) as conn:
            return scored_from_sums(conn, kept, sheet, used, unit, overrides)

    def read_back() -> Any:
        return stored_score(db.engine, sheet, registry, kept, **common).scores

    with db.engine.begin() as conn:  # the first report scores and keeps them
        conn.execute(
            figure_scores.delete().where(
                figure_scores.c.set_id == kept.id,
                figure_scores.c.sheet == sheet_digest(sheet),
            )
        )
    start = time.perf_counter()
    ranked = read_back()
    first = time.perf_counter() - start
    assert held() == ranked, "held and kept scores rank differently"
    assert read_back() == ranked, "the kept scores read back differently"
    assert rank(streamed()) == ranked, "streamed scores differ"
    print(f"### {sheet.id} under {unit} {db.unit(unit).name}, {db.engine.dialect.name}")
    print()
    print(
        f"{len(ranked):,} units ranked, {len({s.total for s in ranked}):,} distinct totals;"
        f" the first report scored and kept them in {first:.3f} s"
    )
    print()
    print("| way | median s | peak traced MB |")
    print("|---|---|---|")
    for label, function in (
        ("held, then scored", held),
        ("streamed, alike shared", streamed),
        ("kept scores read back", read_back),
    ):
        took = median_time(function, runs)
        gc.collect()
        tracemalloc.start()
        function()
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(f"| {label} | {took:.3f} | {peak / 1e6:,.0f} |")
    print()
    db.close()


class _GapsNotKept:
    """A stored set whose gaps are not read from the store: the engine lists
    them from the facts, one statement per compliance indicator, as before
    the gaps were stored."""

    def __init__(self, kept: Any) -> None:
        self.kept = kept
        self.failures = kept.failures

    def read(self, *args: Any) -> Any:
        return self.kept.read(*args)

    def gaps(self, *args: Any) -> None:
        return None

    def gaps_beyond(self, *args: Any) -> None:
        return None


def gaps(url: str, unit: str, runs: int) -> None:
    """Gap lists from the store against gap lists from the facts, same run:
    the evaluation a report shows (gaps two levels down, the rest counted) and
    how those gaps stand at the as-of date, on a warm store, both ways
    alternating; the same lists and standing asserted."""
    from vetservice.indicators.engine import evaluate
    from vetservice.indicators.registry import collect_overrides
    from vetservice.reports.resolved import standing_now
    from vetservice.stored import figure_set

    db = open_builtin(url)
    period = Period.parse("2026Q3", AS_OF)
    registry = db.indicators()
    overrides = collect_overrides(db.plugins)
    kept = figure_set(db.engine, registry, period, overrides)
    common = {"unit": unit, "period": period, "overrides": overrides, "list_depth": 2}

    def listed(stored: Any) -> Any:
        found = evaluate(db.engine, registry, stored=stored, **common)
        lists = {
            r.indicator.id: [(s.unit, str(s.reason)) for s in r.shortfalls]
            for r in found
        }
        return lists, found.statements

    now = figure_set(db.engine, registry, period.as_of_year(), overrides)

    def standing(stored: Any) -> Any:
        found = standing_now(
            db.engine,
            registry,
            unit=unit,
            period=period,
            overrides=overrides,
            list_depth=2,
            stored=stored,
        )
        return found.met, {
            i: {c: str(r) for c, r in s.items()} for i, s in found.short.items()
        }

    (from_store, statements), (from_facts, before) = (
        listed(kept),
        listed(_GapsNotKept(kept)),
    )
    assert from_store == from_facts, "the stored gaps differ from the facts'"
    assert standing(now) == standing(None), "the stored standing differs"
    ways = {
        "listed, facts": lambda: listed(_GapsNotKept(kept)),
        "listed, store": lambda: listed(kept),
        "standing, facts": lambda: standing(None),
        "standing, store": lambda: standing(now),
    }
    times: dict[str, list[float]] = {k: [] for k in ways}
    for _ in range(runs):
        for label, way in ways.items():
            start = time.perf_counter()
            way()
            times[label].append(time.perf_counter() - start)
    took = {k: statistics.median(v) for k, v in times.items()}
    shown = sum(len(v) for v in from_store.values())
    print(f"### Gap lists under {unit} {db.unit(unit).name}, {db.engine.dialect.name}")
    print()
    print(f"{shown:,} gaps listed two levels down; median of {runs}, alternating.")
    print()
    print("| what | from the facts | from the store | ratio |")
    print("|---|---|---|---|")
    for part, label in (
        ("listed", "the evaluation with its gap lists (sums stored)"),
        ("standing", "how the gaps stand at the as-of date (整改情况)"),
    ):
        facts, store = took[f"{part}, facts"], took[f"{part}, store"]
        print(f"| {label} | {facts:.3f} s | {store:.3f} s | {store / facts:.2f} |")
    print(f"| statements of the evaluation | {before} | {statements} | |")
    print()
    db.close()


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


def imports(counts: list[int], runs: int) -> None:
    """Import throughput and peak memory: veterans from CSV, XLSX and XLS
    into the city's hierarchy, each import in a process of its own."""
    from openpyxl import Workbook

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        source = vs.open(f"sqlite:///{folder / 'source.db'}")
        build_demo(source.engine, seed=2026)
        units = source.records("units")
        source.close()
        villages = [u.code for u in units if u.level.value == "village"]
        units_path = folder / "units.csv"
        with units_path.open("w", newline="", encoding="utf-8") as f:
            writer = csv.writer(f)
            writer.writerow(["code", "name", "level", "parent_code", "kind"])
            for u in units:
                kind = u.kind.value if u.kind else ""
                writer.writerow([u.code, u.name, u.level.value, u.parent_code, kind])
        print(
            "| file | rows | size | median time | rows per second "
            "| peak memory | added by the import |"
        )
        print("|---|---|---|---|---|---|---|")
        for count in counts:
            csv_path = folder / "veterans.csv"
            with csv_path.open("w", newline="", encoding="utf-8") as f:
                writer = csv.writer(f)
                writer.writerow(VETERAN_HEADERS)
                writer.writerows(_veterans(villages, count))
            xlsx_path = folder / "veterans.xlsx"
            book = Workbook(write_only=True)
            sheet = book.create_sheet("退役军人")
            sheet.append(VETERAN_HEADERS)
            for line in _veterans(villages, count):
                sheet.append(line)
            book.save(xlsx_path)
            xls_path = folder / "veterans.xls"
            _write_xls(xls_path, _veterans(villages, count))
            for path in (csv_path, xlsx_path, xls_path):
                measured = [
                    _import_once(folder / f"target-{run}.db", units_path, path)
                    for run in range(runs)
                ]
                took = statistics.median(m[0] for m in measured)
                peak = max(m[1] for m in measured)
                added = max(m[2] for m in measured)
                size = path.stat().st_size / 1e6
                print(
                    f"| veterans{path.suffix} | {count:,} | {size:.1f} MB | {took:.1f} s "
                    f"| {count / took:,.0f} | {peak:,.0f} MB | {added:,.0f} MB |"
                )
    print()


VETERAN_HEADERS = [
    "身份证号",
    "姓名",
    "性别",
    "出生日期",
    "现居村社区代码",
    "退役类别",
    "退役日期",
    "党员",
    "编入党支部",
    "重点关注",
    "参加志愿服务队",
    "光荣牌审核通过日期",
    "光荣牌悬挂日期",
    "联系电话",
]


def _veterans(villages: list[str], count: int) -> Iterator[list[str]]:
    """``count`` valid veterans rows in ``villages``, the same every time:
    new id numbers with their check digits, places python-stdnum knows."""
    from stdnum.cn import ric

    from vetservice.domain.identity import id_number_warning

    rng = random.Random(2026)
    categories = ["conscript", "nco", "transferred_cadre", "demobilized_cadre"]
    used: set[str] = set()
    while len(used) < count:
        male = rng.random() < 0.95
        birth = dt.date(1940, 1, 1) + dt.timedelta(days=rng.randrange(23_000))
        village = rng.choice(villages)
        # Odd for men, even for women; never 000 (a number Excel cut).
        sequence = rng.randrange(1, 500) * 2 - (1 if male else 0)
        body = f"{village[:6]}{birth:%Y%m%d}{sequence:03d}"
        number = body + ric.calc_check_digit(body + "0")
        if number in used or id_number_warning(number):
            continue
        used.add(number)
        approved = dt.date(2019, 1, 1) + dt.timedelta(days=rng.randrange(2_800))
        yield [
            number,
            rng.choice("王李张刘陈杨赵黄周吴")
            + rng.choice(["伟", "建国", "秀英", "军"]),
            "男" if male else "女",
            birth.isoformat(),
            village,
            rng.choice(categories),
            dt.date(min(birth.year + 22, 2025), 6, 30).isoformat(),
            rng.choice("是否"),
            rng.choice("是否"),
            "否",
            rng.choice("是否"),
            approved.isoformat(),
            (approved + dt.timedelta(days=rng.randrange(3, 60))).isoformat(),
            f"1{rng.choice('3578')}{rng.randrange(10**9):09d}",
        ]


def _write_xls(path: Path, rows: Iterator[list[str]]) -> None:
    """An .xls workbook (xlwt), 60,000 rows a sheet: an .xls sheet holds
    at most 65,536, so a large ledger comes as several sheets."""
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet, sheets, line = None, 0, 0
    for row in rows:
        if sheet is None or line > 60_000:
            sheets += 1
            sheet = book.add_sheet(f"第{sheets}页")
            for column, header in enumerate(VETERAN_HEADERS):
                sheet.write(0, column, header)
            line = 1
        for column, value in enumerate(row):
            sheet.write(line, column, value)
        line += 1
    book.save(str(path))


# One import in a fresh process. Its peak is the kernel's high-water mark of
# the process's memory (VmHWM), which starts afresh with the new program;
# getrusage's maximum would carry the parent's over from before exec.
_IMPORT_ONCE = """
import sys, time
import vetservice as vs
from vetservice.plugins import create_plugin_manager
def peak_kb():
    with open("/proc/self/status") as f:
        return next(int(l.split()[1]) for l in f if l.startswith("VmHWM:"))
db = vs.open(sys.argv[1], plugins=create_plugin_manager(load_entrypoints=False))
db.import_file("units", sys.argv[2])
before = peak_kb()
start = time.perf_counter()
db.import_file("veterans", sys.argv[3])
took = time.perf_counter() - start
print(took, before, peak_kb())
"""


def _import_once(db: Path, units: Path, veterans: Path) -> tuple[float, float, float]:
    """Seconds the veterans import took, the process's peak RSS in MB and
    how much of it the import added (the library, loaded, holds the rest)."""
    db.unlink(missing_ok=True)
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            _IMPORT_ONCE,
            f"sqlite:///{db}",
            str(units),
            str(veterans),
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    took, before_kb, peak_kb = done.stdout.split()[-3:]
    return float(took), int(peak_kb) / 1024, (int(peak_kb) - int(before_kb)) / 1024


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
    p = commands.add_parser("store")
    p.add_argument("url")
    p.add_argument("unit")
    p.add_argument("--runs", type=int, default=3)
    p = commands.add_parser("depth")
    p.add_argument("url")
    p.add_argument("unit")
    p.add_argument("--formats", nargs="*", default=["json"])
    p = commands.add_parser("scoring")
    p.add_argument("url")
    p.add_argument("unit")
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--as-of", type=dt.date.fromisoformat, default=AS_OF)
    p = commands.add_parser("gaps")
    p.add_argument("url")
    p.add_argument("unit")
    p.add_argument("--runs", type=int, default=5)
    p = commands.add_parser("imports")
    p.add_argument("--rows", type=int, nargs="+", default=[20_000])
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
    elif args.command == "store":
        store(args.url, args.unit, args.runs)
    elif args.command == "depth":
        depth(args.url, args.unit, args.formats)
    elif args.command == "scoring":
        scoring(args.url, args.unit, args.runs, args.as_of)
    elif args.command == "gaps":
        gaps(args.url, args.unit, args.runs)
    else:
        imports(args.rows, args.runs)


if __name__ == "__main__":
    main(sys.argv[1:])
