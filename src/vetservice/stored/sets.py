"""Sets of stored figures: compute every unit's sums once, read them many times.

A set is one period and as-of date under one data version and one
definitions digest (:mod:`vetservice.stored.keys`). :func:`figure_set`
looks the set up and computes it when it is missing: for each indicator
one statement (:func:`vetservice.indicators.engine.rollup_everywhere`),
the same facts query the engine evaluates, summed at every unit. Figures are
then read with one statement for all indicators; status is derived at read
time from the target, by the engine (:func:`~vetservice.indicators.engine.figure_of`).

A set whose data version is not the current one is never read, and is
deleted when the next set is written; at most :data:`KEEP` sets are kept.
A role that may not write the store (PostgreSQL scoped roles) gets the set
in memory instead: slower, never wrong.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence

import attrs
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError

from vetservice.calendar import Period
from vetservice.errors import StorageError
from vetservice.indicators.engine import (
    Codes,
    StoredGap,
    Sums,
    rollup_everywhere,
    rollup_query,
    scoped_facts,
)
from vetservice.indicators.model import Context, Indicator, Kind, Override
from vetservice.plugins import Failure, error_text
from vetservice.store import insert_batches, reading, transaction
from vetservice.store.database import side_by_side
from vetservice.store.history import dated_ledgers
from vetservice.store.schema import figure_gaps, figure_scores, figure_sets, figures
from vetservice.stored.gaps import (
    Gap,
    count_beyond,
    gap_rows,
    gap_values,
    read_gaps,
)
from vetservice.stored.keys import data_version, definitions_digest

log = logging.getLogger(__name__)

KEEP = 48  # sets kept at most (periods × as-of dates a dashboard has opened)
# A set of an older data version is never read again, but one that a reader
# has just looked up may still be being read: it is deleted a while later.
GRACE = dt.timedelta(minutes=10)

Registry = Mapping[str, tuple[str, Indicator]]
# unit, numerator, denominator, own numerator, own denominator (None: no own facts)
Row = tuple[str, int, int, int | None, int | None]


@attrs.frozen
class Key:
    period: str
    as_of: dt.date
    data_version: str
    definitions: str


@attrs.frozen
class FigureSet:
    """Every indicator's sums at every unit for one period (see the module docstring).

    ``memory`` holds the rows when the set could not be written to the
    database; otherwise they are read from ``figures`` by ``id``.
    """

    key: Key
    id: int | None
    failures: Mapping[str, Failure]
    seconds: float = 0.0
    computed: bool = False  # computed by this call (not found stored)
    memory: Mapping[str, Sequence[Row]] | None = None

    def read(
        self, conn: Connection, codes: Codes, indicators: Iterable[str]
    ) -> Mapping[str, Sums]:
        """indicator id → unit code → (numerator, denominator) for ``codes``, one statement."""
        wanted = set(indicators)
        found: dict[str, dict[str, tuple[int, int]]] = {}
        if self.memory is not None:
            codes_ = (
                set(codes)
                if not isinstance(codes, sa.Select)
                else {c for (c,) in conn.execute(codes)}
            )
            for indicator_id, rows in self.memory.items():
                if indicator_id in wanted:
                    found[indicator_id] = {
                        r[0]: (r[1], r[2]) for r in rows if r[0] in codes_
                    }
            return found
        query = sa.select(
            figures.c.indicator,
            figures.c.unit_code,
            figures.c.numerator,
            figures.c.denominator,
        ).where(figures.c.set_id == self.id, figures.c.indicator.in_(sorted(wanted)))
        if isinstance(codes, sa.Select):
            units = codes.subquery("wanted")
            query = query.join(units, units.c.code == figures.c.unit_code)
        else:
            query = query.where(figures.c.unit_code.in_(list(codes)))
        for indicator_id, code, num, den in conn.execute(query):
            found.setdefault(indicator_id, {})[code] = (int(num), int(den))
        return found

    def gaps(
        self, conn: Connection, indicators: Sequence[str], unit: str, depth: int | None
    ) -> Mapping[str, Sequence[StoredGap]] | None:
        """indicator id → its gaps under ``unit`` down to ``depth`` levels, one
        statement; None for a set kept in memory (its gaps are not kept)."""
        if self.id is None:
            return None
        return read_gaps(conn, self.id, indicators, unit, depth)

    def gaps_beyond(
        self,
        conn: Connection,
        indicators: Sequence[str],
        codes: Sequence[str],
        depth: int,
    ) -> Mapping[str, Mapping[str, int]] | None:
        """indicator id → the gaps deeper than ``depth`` below ``codes[0]``,
        counted in each of ``codes``' subtrees; one statement."""
        if self.id is None:
            return None
        return count_beyond(conn, self.id, indicators, codes, depth)


def key_of(
    conn: Connection,
    registry: Registry,
    period: Period,
    overrides: Sequence[Override],
) -> Key:
    return Key(
        period.label,
        period.as_of,
        data_version(conn),
        definitions_digest(registry, overrides),
    )


def _find(conn: Connection, key: Key) -> FigureSet | None:
    row = conn.execute(
        sa.select(
            figure_sets.c.id, figure_sets.c.failures, figure_sets.c.seconds
        ).where(
            figure_sets.c.period == key.period,
            figure_sets.c.as_of == key.as_of,
            figure_sets.c.data_version == key.data_version,
            figure_sets.c.definitions == key.definitions,
        )
    ).first()
    if row is None:
        return None
    failures = {
        i: Failure(plugin, hook, error, i)
        for i, (plugin, hook, error) in json.loads(row.failures).items()
    }
    return FigureSet(key, int(row.id), failures, float(row.seconds))


def stored_set(
    engine: Engine,
    registry: Registry,
    period: Period,
    overrides: Sequence[Override] = (),
) -> FigureSet | None:
    """The current set for ``period`` if it is stored already (never computes)."""
    try:
        with reading(engine) as conn:
            return _find(conn, key_of(conn, registry, period, overrides))
    except StorageError:
        return None  # a role that may not read the store


def figure_set(
    engine: Engine,
    registry: Registry,
    period: Period,
    overrides: Sequence[Override] = (),
    *,
    recompute: bool = False,
) -> FigureSet:
    """The current set for ``period``: read if stored, else computed and stored.

    ``recompute`` computes it again even when stored (``vetservice refresh``
    after a record was changed by hand, outside vetservice)."""
    try:
        with reading(engine) as conn:
            key = key_of(conn, registry, period, overrides)
            found = None if recompute else _find(conn, key)
    except StorageError:
        return _compute(engine, registry, period, overrides, None)
    return found or _compute(engine, registry, period, overrides, key, recompute)


def _compute(
    engine: Engine,
    registry: Registry,
    period: Period,
    overrides: Sequence[Override],
    key: Key | None,
    replace: bool = False,
) -> FigureSet:
    store = key is not None and bool(key.data_version)
    if key is not None and store and engine.dialect.name == "postgresql":
        try:
            return _compute_in_database(
                engine, registry, period, overrides, key, replace
            )
        except (StorageError, SQLAlchemyError) as e:
            log.info("figures not stored (%s); kept in memory", e)
            store = False
    started = time.perf_counter()
    rows: dict[str, list[Row]] = {}
    gaps: dict[str, list[Gap]] = {}
    failures: dict[str, Failure] = {}
    with reading(engine) as conn:
        if key is None:  # the store cannot be read: the key only names the set
            key = Key(period.label, period.as_of, "", "")
        dated = dated_ledgers(conn, period.end)
        for indicator_id, (plugin, indicator) in registry.items():
            ctx = Context(
                period, indicator.id, indicator.parameters, tuple(overrides), dated
            )
            try:
                with conn.begin_nested():
                    rows[indicator_id] = rollup_everywhere(conn, indicator, ctx)
                    if _listed(indicator):
                        facts = scoped_facts(indicator, ctx)
                        gaps[indicator_id] = list(gap_rows(conn, indicator, facts))
            except Exception as e:
                rows.pop(indicator_id, None)
                failures[indicator_id] = _failure(plugin, indicator, e)
    seconds = time.perf_counter() - started
    if store:
        try:
            set_id = _write(engine, key, rows, gaps, failures, seconds, replace)
        except (StorageError, SQLAlchemyError) as e:
            log.info("figures not stored (%s); kept in memory", e)
        else:
            return FigureSet(key, set_id, failures, seconds, computed=True)
    return FigureSet(key, None, failures, seconds, computed=True, memory=rows)


def _listed(indicator: Indicator) -> bool:
    """Whether a set keeps the indicator's gaps: a compliance indicator's."""
    return indicator.kind is Kind.COMPLIANCE


def _failure(plugin: str, indicator: Indicator, error: Exception) -> Failure:
    return Failure(plugin, "facts", error_text(error), indicator.id)


def _compute_in_database(
    engine: Engine,
    registry: Registry,
    period: Period,
    overrides: Sequence[Override],
    key: Key,
    replace: bool,
) -> FigureSet:
    """PostgreSQL sums and writes each indicator's figures itself (``INSERT …
    SELECT``): none of the rows passes through Python, so a country's tens
    of millions take no memory here. One transaction: readers see the whole
    set or none of it. (SQLite writes the rows read by :func:`_compute`: a
    long write there would hold its one write lock against every import.)"""
    started = time.perf_counter()
    failures: dict[str, Failure] = {}
    # Apart and first: a set being computed beside this one (refresh's
    # periods) would otherwise wait on the rows deleted here.
    with transaction(engine) as conn:
        _clean(conn, key)
    with transaction(engine) as conn:
        found = _find(conn, key)
        if found is not None and found.id is not None and not replace:
            return found
        set_id = _new_set(conn, key)
        dated = dated_ledgers(conn, period.end)
        columns = [c.name for c in figures.c]
        for indicator_id, (plugin, indicator) in registry.items():
            ctx = Context(
                period, indicator.id, indicator.parameters, tuple(overrides), dated
            )
            try:  # building the query runs the plugin's code too
                sums = rollup_query(indicator, ctx).subquery()
                code, num, den, own_num, own_den = sums.c
                written = sa.select(
                    sa.literal(set_id),
                    code,
                    sa.literal(indicator_id),
                    num,
                    den,
                    own_num,
                    own_den,
                )
                with conn.begin_nested():
                    conn.execute(figures.insert().from_select(columns, written))
                    if _listed(indicator):
                        facts = scoped_facts(indicator, ctx)
                        failing = gap_rows(conn, indicator, facts)
                        insert_batches(
                            conn, figure_gaps, gap_values(set_id, indicator_id, failing)
                        )
            except Exception as e:
                failures[indicator_id] = _failure(plugin, indicator, e)
        seconds = time.perf_counter() - started
        conn.execute(
            figure_sets.update()
            .where(figure_sets.c.id == set_id)
            .values(seconds=seconds, failures=_failures_json(failures))
        )
    return FigureSet(key, set_id, failures, seconds, computed=True)


def _failures_json(failures: Mapping[str, Failure]) -> str:
    return json.dumps(
        {i: [f.plugin, f.hook, f.error] for i, f in failures.items()},
        ensure_ascii=False,
        sort_keys=True,
    )


def _clean(conn: Connection, key: Key) -> None:
    """Delete the sets no longer wanted: another data version (after
    :data:`GRACE`), and those past the newest :data:`KEEP`."""
    now = dt.datetime.now(dt.UTC)
    stale = sa.select(figure_sets.c.id).where(
        figure_sets.c.data_version != key.data_version,
        figure_sets.c.computed_at < now - GRACE,
    )
    old = [i for (i,) in conn.execute(stale)]
    kept = conn.execute(
        sa.select(figure_sets.c.id)
        .where(figure_sets.c.data_version == key.data_version)
        .order_by(figure_sets.c.computed_at.desc(), figure_sets.c.id.desc())
        .offset(KEEP - 1)
    )
    _delete(conn, old + [i for (i,) in kept])


def _delete(conn: Connection, ids: Sequence[int]) -> None:
    if ids:
        conn.execute(figure_gaps.delete().where(figure_gaps.c.set_id.in_(ids)))
        conn.execute(figure_scores.delete().where(figure_scores.c.set_id.in_(ids)))
        conn.execute(figures.delete().where(figures.c.set_id.in_(ids)))
        conn.execute(figure_sets.delete().where(figure_sets.c.id.in_(ids)))


def _new_set(
    conn: Connection,
    key: Key,
    failures: Mapping[str, Failure] | None = None,
    seconds: float = 0.0,
) -> int:
    """Add the row of ``key``'s set, in place of any stored under the same key."""
    same = sa.select(figure_sets.c.id).where(
        figure_sets.c.period == key.period,
        figure_sets.c.as_of == key.as_of,
        figure_sets.c.data_version == key.data_version,
        figure_sets.c.definitions == key.definitions,
    )
    _delete(conn, [i for (i,) in conn.execute(same)])
    set_id = conn.execute(
        figure_sets.insert().values(
            period=key.period,
            as_of=key.as_of,
            data_version=key.data_version,
            definitions=key.definitions,
            computed_at=dt.datetime.now(dt.UTC),
            seconds=seconds,
            failures=_failures_json(failures or {}),
        )
    ).inserted_primary_key
    assert set_id is not None
    return int(set_id[0])


def _write(
    engine: Engine,
    key: Key,
    rows: Mapping[str, Sequence[Row]],
    gaps: Mapping[str, Sequence[Gap]],
    failures: Mapping[str, Failure],
    seconds: float,
    replace: bool,
) -> int:
    with transaction(engine) as conn:
        # Another process may have stored the same set meanwhile.
        found = _find(conn, key)
        if found is not None and found.id is not None and not replace:
            return found.id
        _clean(conn, key)
        new_id = _new_set(conn, key, failures, seconds)
        insert_batches(
            conn,
            figures,
            (
                {
                    "set_id": new_id,
                    "unit_code": code,
                    "indicator": indicator_id,
                    "numerator": num,
                    "denominator": den,
                    "own_numerator": own_num,
                    "own_denominator": own_den,
                }
                for indicator_id, found_rows in rows.items()
                for code, num, den, own_num, own_den in found_rows
            ),
        )
        for indicator_id, failing in gaps.items():
            insert_batches(conn, figure_gaps, gap_values(new_id, indicator_id, failing))
    return new_id


def refresh(
    engine: Engine,
    registry: Registry,
    periods: Sequence[Period],
    overrides: Sequence[Override] = (),
    *,
    recompute: bool = False,
    progress: Callable[[Period, FigureSet], None] | None = None,
) -> list[FigureSet]:
    """Make the sets of ``periods`` current (compute those missing, or all
    with ``recompute``), side by side on the cores; ``progress`` is called
    after each, in the order of ``periods``."""

    def one(period: Period) -> Callable[[], FigureSet]:
        return lambda: figure_set(
            engine, registry, period, overrides, recompute=recompute
        )

    wanted = list(dict.fromkeys(periods))
    found = side_by_side(engine, {str(i): one(p) for i, p in enumerate(wanted)})
    done = [found[str(i)] for i in range(len(wanted))]
    if progress is not None:
        for period, each in zip(wanted, done, strict=True):
            progress(period, each)
    return done


class Sets:
    """:func:`figure_set` for the periods of one report, each looked up (or
    computed) once even when a report's parts ask for it at the same time."""

    def __init__(
        self, engine: Engine, registry: Registry, overrides: Sequence[Override] = ()
    ) -> None:
        self.engine = engine
        self.registry: dict[str, tuple[str, Indicator]] = dict(registry)
        self.overrides = tuple(overrides)
        self._lock = threading.Lock()
        self._locks: dict[Period, threading.Lock] = {}
        self._found: dict[Period, FigureSet] = {}

    def __call__(self, period: Period) -> FigureSet:
        with self._lock:
            lock = self._locks.setdefault(period, threading.Lock())
        with lock:
            if period not in self._found:
                self._found[period] = figure_set(
                    self.engine, self.registry, period, self.overrides
                )
            return self._found[period]


def comparisons(period: Period) -> list[Period]:
    """The period and those a full report sets beside it (环比, 同比, 累计)."""
    found = [period, period.previous(), period.last_year()]
    if period.kind != "year":
        found.append(period.year_to_date())
    return found


def report_periods(period: Period) -> list[Period]:
    """The sets a full report of ``period`` reads: the period, its
    comparisons and, once it is over, the year to its as-of date (how its
    gaps stand then, 整改情况)."""
    found = comparisons(period)
    if period.end < period.as_of:
        found.append(period.as_of_year())
    return found


def default_period(as_of: dt.date, *, current: bool = False) -> Period:
    """The period a dashboard opens on: the latest quarter over by ``as_of``,
    or with ``current`` the quarter under way (partial, cut at ``as_of``)."""
    quarter = Period("quarter", as_of.year, (as_of.month - 1) // 3 + 1, as_of)
    return quarter.previous() if quarter.partial and not current else quarter
