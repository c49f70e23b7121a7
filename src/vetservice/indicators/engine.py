"""Evaluate indicators for a unit and a period, set-based.

For each indicator: one statement rolls its facts up to the report's unit
and every child with one join on the ancestor table; a compliance indicator
adds one statement listing its failing facts. The number of statements
depends on the number of indicators, never on the number of units.

:func:`rollup_everywhere` gives the same sums for every unit at once (what
the figures store, :mod:`vetservice.stored`, keeps); :func:`evaluate` and
:func:`evaluate_level` take such stored sums instead of computing them, and
turn sums into figures (value, target, status) the same way either way.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from typing import Any, Protocol

import attrs
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from vetservice.calendar import Period
from vetservice.domain import KINDS, Level
from vetservice.domain.records import Unit
from vetservice.errors import NotFoundError
from vetservice.i18n import N_
from vetservice.indicators.model import (
    Context,
    Indicator,
    Kind,
    Override,
    Status,
    Target,
)
from vetservice.indicators.personal import mask_facts_row, personal_columns
from vetservice.indicators.results import (
    Coverage,
    Evaluation,
    Figure,
    IndicatorResult,
    LevelFigures,
    Shortfall,
)
from vetservice.indicators.validation import checked_facts, checked_reason
from vetservice.plugins import Failure, error_text
from vetservice.store import TABLES, reading, unit_closure
from vetservice.store.history import dated_ledgers
from vetservice.store.schema import row_to_record

units_table = TABLES["units"]


class _Counter:
    """Counts statements sent on a connection (for the set-based tests)."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, *args: Any, **kwargs: Any) -> None:
        self.count += 1


@contextlib.contextmanager
def counting(conn: Connection) -> Iterator[_Counter]:
    """Count the statements sent on ``conn`` inside the block."""
    counter = _Counter()
    sa.event.listen(conn, "before_cursor_execute", counter)
    try:
        yield counter
    finally:
        sa.event.remove(conn, "before_cursor_execute", counter)


def value_of(kind: Kind, numerator: int, denominator: int) -> tuple[Any, Any, Any]:
    """(numerator, denominator, value) as a report shows them."""
    if kind is Kind.MONEY:
        amount = (Decimal(int(numerator)) / 100).quantize(Decimal("0.01"))
        return amount, None, amount
    if kind is Kind.COUNT:
        return int(numerator), None, int(numerator)
    if not denominator:
        return int(numerator), 0, None
    return int(numerator), int(denominator), int(numerator) / int(denominator)


def status_of(indicator: Indicator, value: Any, target: Target | None) -> Status:
    if value is None:
        return Status.NO_DATA
    if target is None:
        return Status.NO_TARGET
    return Status.MET if target.met(value) else Status.NOT_MET


def load_units(conn: Connection, code: str) -> tuple[Unit, list[Unit]]:
    rows = conn.execute(
        sa.select(units_table)
        .where(sa.or_(units_table.c.code == code, units_table.c.parent_code == code))
        .order_by(units_table.c.code)
    ).all()
    units = [row_to_record(KINDS["units"], r) for r in rows]
    unit = next((u for u in units if u.code == code), None)
    if unit is None:
        raise NotFoundError(N_("no unit with code {code}"), code=code)
    return unit, [u for u in units if u.code != code]


Codes = Sequence[str] | sa.Select[Any]
Sums = Mapping[str, tuple[int, int]]  # unit code → (numerator, denominator)


# A gap read from the store: unit code, unit name, the fact row (masked).
StoredGap = tuple[str, str, Mapping[str, Any]]


class StoredSums(Protocol):
    """Sums computed beforehand for every unit (:class:`vetservice.stored.FigureSet`)."""

    @property
    def failures(self) -> Mapping[str, Failure]:
        """Indicators whose facts failed when the sums were computed."""
        ...

    def read(
        self, conn: Connection, codes: Codes, indicators: Iterable[str]
    ) -> Mapping[str, Sums]:
        """indicator id → unit code → (numerator, denominator), for ``codes``."""
        ...

    def gaps(
        self, conn: Connection, indicators: Sequence[str], unit: str, depth: int | None
    ) -> Mapping[str, Sequence[StoredGap]] | None:
        """indicator id → its gaps in ``unit``'s subtree down to ``depth``
        levels (None: every level); None when the gaps are not stored."""
        ...

    def gaps_beyond(
        self, conn: Connection, indicators: Sequence[str], codes: Sequence[str], depth: int
    ) -> Mapping[str, Mapping[str, int]] | None:
        """indicator id → how many gaps lie deeper than ``depth`` below
        ``codes[0]``, in each of ``codes``' subtrees; None when not stored."""
        ...


def ancestors(conn: Connection, codes: Codes) -> dict[str, list[str]]:
    """Each unit's ancestors, nearest first (the unit itself included)."""
    rows = conn.execute(
        sa.select(unit_closure.c.descendant, unit_closure.c.ancestor)
        .where(unit_closure.c.descendant.in_(codes))
        .order_by(unit_closure.c.descendant, unit_closure.c.depth)
    )
    chains: dict[str, list[str]] = {}
    for descendant, ancestor in rows:
        chains.setdefault(descendant, []).append(ancestor)
    return chains


def target_for(
    indicator: Indicator,
    chain: Sequence[str],
    overrides: Iterable[Override],
    local: Mapping[str, Target] | None = None,
) -> Target | None:
    """The target at a unit: its nearest ancestor's override, else the default.

    ``local`` is :func:`local_targets` worked out once for many units."""
    if local is None:
        local = local_targets(indicator, overrides)
    if not local:
        return indicator.target
    for code in chain:
        if code in local:
            return local[code]
    return indicator.target


def local_targets(
    indicator: Indicator, overrides: Iterable[Override]
) -> dict[str, Target]:
    """unit code → the target an override sets there for ``indicator``."""
    return {
        o.unit: o.target for o in overrides if o.indicator == indicator.id and o.target
    }


def scoped_facts(indicator: Indicator, ctx: Context) -> sa.Subquery:
    """The indicator's facts, cut to its scope when a plugin declared one."""
    facts = checked_facts(indicator, ctx).subquery("facts")
    if not indicator.scope:
        return facts
    scope = unit_closure.alias("scope")
    return (
        sa.select(facts)
        .join(scope, scope.c.descendant == facts.c.unit_code)
        .where(scope.c.ancestor.in_(indicator.scope))
        .distinct()
        .subquery("scoped_facts")
    )


def summed_per_unit(facts: sa.Subquery) -> sa.Subquery:
    """The facts summed per unit: the roll-up joins the ancestor table on one
    row per unit instead of one per fact (a province has 20,000 units and
    millions of facts)."""
    return (
        sa.select(
            facts.c.unit_code,
            sa.func.sum(facts.c.numerator).label("numerator"),
            sa.func.sum(facts.c.denominator).label("denominator"),
        )
        .group_by(facts.c.unit_code)
        .subquery("per_unit")
    )


def _rollup(
    conn: Connection, facts: sa.Subquery, codes: Codes
) -> dict[str, tuple[int, int]]:
    up = unit_closure.alias("up")
    sums = summed_per_unit(facts)
    query = (
        sa.select(
            up.c.ancestor,
            sa.func.coalesce(sa.func.sum(sums.c.numerator), 0),
            sa.func.coalesce(sa.func.sum(sums.c.denominator), 0),
        )
        .join(up, up.c.descendant == sums.c.unit_code)
        .group_by(up.c.ancestor)
    )
    if isinstance(codes, sa.Select):
        # A join, not IN: SQLite would probe the ancestor index once per
        # (unit, code) pair, 2,000 × 2,000 for a city's villages.
        wanted = codes.subquery("wanted")
        query = query.join(wanted, wanted.c.code == up.c.ancestor)
    else:
        query = query.where(up.c.ancestor.in_(codes))
    rows = conn.execute(query)
    return {code: (int(num or 0), int(den or 0)) for code, num, den in rows}


def rollup_query(indicator: Indicator, ctx: Context) -> sa.Select[Any]:
    """The indicator's sums at every unit with facts in its subtree:
    (unit, numerator, denominator, own numerator, own denominator), the own
    sums being those of the facts at the unit itself (for the breakdown;
    NULL when it has none)."""
    up = unit_closure.alias("up")
    sums = summed_per_unit(scoped_facts(indicator, ctx))
    own = up.c.depth == 0
    return (
        sa.select(
            up.c.ancestor,
            sa.func.coalesce(sa.func.sum(sums.c.numerator), 0),
            sa.func.coalesce(sa.func.sum(sums.c.denominator), 0),
            sa.func.sum(sa.case((own, sa.func.coalesce(sums.c.numerator, 0)))),
            sa.func.sum(sa.case((own, sa.func.coalesce(sums.c.denominator, 0)))),
        )
        .join(up, up.c.descendant == sums.c.unit_code)
        .group_by(up.c.ancestor)
    )


def rollup_everywhere(
    conn: Connection, indicator: Indicator, ctx: Context
) -> list[tuple[str, int, int, int | None, int | None]]:
    """:func:`rollup_query`'s rows read; one statement."""
    query = rollup_query(indicator, ctx)
    return [
        (
            code,
            int(num or 0),
            int(den or 0),
            None if own_num is None else int(own_num),
            None if own_den is None else int(own_den),
        )
        for code, num, den, own_num, own_den in conn.execute(query)
    ]


def within(closure: sa.FromClause, depth: int | None) -> list[sa.ColumnElement[bool]]:
    """The condition keeping a closure's descendants at most ``depth`` levels
    down (none for None: every level)."""
    return [] if depth is None else [closure.c.depth <= depth]


def shortfalls_query(
    facts: sa.Subquery, code: str, depth: int | None = None, beyond: int | None = None
) -> sa.Select[Any]:
    """The facts falling short in ``code``'s subtree more than ``beyond`` and
    at most ``depth`` levels below it (None: no bound), with each unit's
    name."""
    up = unit_closure.alias("up")
    return (
        sa.select(facts, units_table.c.name.label("unit_name"))
        .join(up, up.c.descendant == facts.c.unit_code)
        .join(units_table, units_table.c.code == facts.c.unit_code)
        .where(
            up.c.ancestor == code,
            facts.c.numerator < facts.c.denominator,
            *within(up, depth),
            *([] if beyond is None else [up.c.depth > beyond]),
        )
        .order_by(*list_order(facts))
    )


def list_order(facts: sa.Subquery) -> list[sa.ColumnElement[Any]]:
    """The order of a shortfall list: by unit, then by every other column, so
    that a unit with several facts (report.completeness: one per ledger due)
    lists them in the same order on SQLite and PostgreSQL."""
    return [facts.c.unit_code, *(c for c in facts.c if c.name != "unit_code")]


def failing_facts(facts: sa.Subquery) -> sa.Select[Any]:
    """Every fact falling short, at every unit, in a shortfall list's order
    (what the figures store keeps)."""
    return (
        sa.select(facts)
        .where(facts.c.numerator < facts.c.denominator)
        .order_by(*list_order(facts))
    )


def shortfalls_from(
    conn: Connection, indicator: Indicator, facts: sa.Subquery, query: sa.Select[Any]
) -> Iterator[Shortfall]:
    """The rows of a :func:`shortfalls_query`, each with its reason (personal
    values masked before the reason sees them), fetched a batch at a time."""
    assert indicator.reason is not None
    rows = conn.execute(query, execution_options={"yield_per": 2000})
    columns = list(rows.keys())  # once: a province lists tens of thousands of rows
    personal = personal_columns(facts, indicator.pii)
    for values in rows:
        # Masked before the reason sees it: a plugin's reason cannot put a
        # name or an id number into a report.
        row = mask_facts_row(dict(zip(columns, values, strict=True)), personal)
        yield Shortfall(
            row["unit_code"], row["unit_name"], checked_reason(indicator, row), row
        )


def shortfalls_under(
    conn: Connection,
    indicator: Indicator,
    facts: sa.Subquery,
    code: str,
    depth: int | None = None,
) -> list[Shortfall]:
    """The facts falling short in ``code``'s subtree (down to ``depth`` levels
    below it, all with None), each with its reason; one statement."""
    query = shortfalls_query(facts, code, depth)
    return list(shortfalls_from(conn, indicator, facts, query))


def shortfalls_beyond(
    conn: Connection, facts: sa.Subquery, codes: Sequence[str], depth: int
) -> dict[str, int]:
    """How many facts fall short more than ``depth`` levels below the first of
    ``codes`` (the report's unit), counted in each of ``codes``' subtrees: what a
    list cut at ``depth`` leaves out, without reading it; one statement."""
    up, into = unit_closure.alias("up"), unit_closure.alias("into")
    rows = conn.execute(
        sa.select(into.c.ancestor, sa.func.count())
        .select_from(facts)
        .join(up, up.c.descendant == facts.c.unit_code)
        .join(into, into.c.descendant == facts.c.unit_code)
        .where(
            up.c.ancestor == codes[0],
            up.c.depth > depth,
            into.c.ancestor.in_(codes),
            facts.c.numerator < facts.c.denominator,
        )
        .group_by(into.c.ancestor)
    )
    return {code: int(n) for code, n in rows}


def _coverage(
    conn: Connection, indicator: Indicator, codes: Sequence[str]
) -> dict[str, Coverage]:
    """For a scoped indicator: at each unit above the scope, how many of its
    units at the scope's level are covered ("7/13 个县区")."""
    level_row = conn.execute(
        sa.select(units_table.c.level)
        .where(units_table.c.code.in_(indicator.scope))
        .limit(1)
    ).first()
    if level_row is None:
        return {}
    level = level_row[0]
    up = unit_closure.alias("up")
    covered = sa.case((units_table.c.code.in_(indicator.scope), 1), else_=0)
    rows = conn.execute(
        sa.select(up.c.ancestor, sa.func.sum(covered), sa.func.count())
        .join(units_table, units_table.c.code == up.c.descendant)
        .where(up.c.ancestor.in_(codes), units_table.c.level == level, up.c.depth > 0)
        .group_by(up.c.ancestor)
    )
    return {
        code: Coverage(Level(level), int(n or 0), int(total)) for code, n, total in rows
    }


def evaluate(
    engine: Engine,
    indicators: Mapping[str, tuple[str, Indicator]],
    *,
    unit: str,
    period: Period,
    overrides: Sequence[Override] = (),
    failures: Sequence[Failure] = (),
    shortfalls: bool = True,
    stored: StoredSums | None = None,
    list_depth: int | None = None,
) -> Evaluation:
    """Evaluate ``indicators`` (id → (plugin, indicator)) at ``unit`` and its children.

    With ``stored`` (sums computed beforehand for this period, overrides and
    indicators) the sums are read from it in one statement; shortfalls and
    coverage are still listed from the facts. With ``list_depth`` the
    shortfalls are listed only down to that many levels below ``unit`` (1:
    its children, 2: their children too); those further down are counted
    (:attr:`IndicatorResult.unlisted`), not read."""
    results: dict[str, IndicatorResult] = {}
    all_failures = list(failures)
    with reading(engine) as conn, counting(conn) as counter:
        report_unit, children = load_units(conn, unit)
        codes = [report_unit.code, *(c.code for c in children)]
        # Ancestors matter only to find a target an override set above a unit.
        chains = ancestors(conn, codes) if any(o.target for o in overrides) else {}
        kept = stored.read(conn, codes, indicators) if stored is not None else {}
        kept_gaps, kept_beyond = _stored_gaps(
            conn, indicators, stored if shortfalls else None, codes, list_depth
        )
        reach = _reach(conn, indicators, codes)
        dated = dated_ledgers(conn, period.end)
        for indicator_id, (plugin, indicator) in indicators.items():
            ctx = Context(
                period, indicator.id, indicator.parameters, tuple(overrides), dated
            )
            failed = stored.failures.get(indicator_id) if stored is not None else None
            if failed is not None:
                all_failures.append(failed)
                results[indicator_id] = _failed(indicator, plugin, codes, unit, failed)
                continue
            listed = shortfalls and indicator.kind is Kind.COMPLIANCE
            sums, found, coverage = kept.get(indicator_id, {}), [], {}
            unlisted: dict[str, int] = {}
            try:
                if listed and kept_gaps is not None:
                    found = reasoned(indicator, kept_gaps.get(indicator_id, ()))
                    unlisted = dict(kept_beyond.get(indicator_id, {}))
                    listed = False  # read from the store: no statement
                # Stored sums of an indicator with nothing to list need no statement.
                if stored is None or listed or indicator.scope:
                    with conn.begin_nested():
                        facts = scoped_facts(indicator, ctx)
                        if stored is None:
                            sums = _rollup(conn, facts, codes)
                        if listed:
                            found = shortfalls_under(
                                conn, indicator, facts, unit, list_depth
                            )
                        if listed and list_depth is not None:
                            unlisted = shortfalls_beyond(conn, facts, codes, list_depth)
                        if indicator.scope:
                            coverage = _coverage(conn, indicator, codes)
            except Exception as e:
                failure = Failure(plugin, "facts", error_text(e), indicator.id)
                all_failures.append(failure)
                results[indicator_id] = _failed(indicator, plugin, codes, unit, failure)
                continue
            local = local_targets(indicator, overrides)
            near = set().union(*(reach.get(c, set()) for c in indicator.scope))
            figures = {
                code: attrs.evolve(
                    figure_of(
                        indicator,
                        code,
                        sums.get(code, (0, 0)),
                        target_for(
                            indicator, chains.get(code, [code]), overrides, local
                        ),
                        coverage.get(code),
                    ),
                    outside=bool(indicator.scope) and code not in near,
                )
                for code in codes
            }
            results[indicator_id] = IndicatorResult(
                indicator, plugin, figures, found, None, unit, unlisted
            )
    return Evaluation(
        report_unit,
        children,
        period,
        results,
        all_failures,
        dt.datetime.now(dt.UTC),
        counter.count,
    )


def _stored_gaps(
    conn: Connection,
    indicators: Mapping[str, tuple[str, Indicator]],
    stored: StoredSums | None,
    codes: Sequence[str],
    depth: int | None,
) -> tuple[Mapping[str, Sequence[StoredGap]] | None, Mapping[str, Mapping[str, int]]]:
    """The compliance indicators' gaps (to ``depth``) and counts beyond it,
    read from ``stored`` in two statements; (None, {}) when they are not
    stored there (the engine then lists them from the facts)."""
    if stored is None:
        return None, {}
    listed = [
        i
        for i, (_, indicator) in indicators.items()
        if indicator.kind is Kind.COMPLIANCE and i not in stored.failures
    ]
    gaps = stored.gaps(conn, listed, codes[0], depth)
    if gaps is None or depth is None:
        return gaps, {}
    return gaps, stored.gaps_beyond(conn, listed, codes, depth) or {}


def reasoned(indicator: Indicator, gaps: Iterable[StoredGap]) -> list[Shortfall]:
    """Stored gaps with their reasons, worked out as :func:`shortfalls_from` does."""
    found = []
    for code, name, facts in gaps:
        row = {**facts, "unit_name": name}
        found.append(Shortfall(code, name, checked_reason(indicator, row), row))
    return found


def figure_of(
    indicator: Indicator,
    code: str,
    sums: tuple[int, int],
    target: Target | None,
    coverage: Coverage | None = None,
) -> Figure:
    """A unit's figure from its sums: the value, and the status at its target."""
    num, den, value = value_of(indicator.kind, *sums)
    return Figure(
        code, num, den, value, status_of(indicator, value, target), target, coverage
    )


def _failed(
    indicator: Indicator, plugin: str, codes: Sequence[str], unit: str, failure: Failure
) -> IndicatorResult:
    figures = {
        code: Figure(code, 0, None, None, Status.FAILED, indicator.target)
        for code in codes
    }
    return IndicatorResult(indicator, plugin, figures, (), failure, unit)


class _StoredFailure(Exception):
    """An indicator that failed when the stored sums were computed."""


def units_at_level(unit: str, level: Level) -> sa.Select[Any]:
    """The codes of the units at ``level`` in ``unit``'s subtree."""
    down = unit_closure.alias("down")
    return (
        sa.select(units_table.c.code)
        .join(down, down.c.descendant == units_table.c.code)
        .where(down.c.ancestor == unit, units_table.c.level == level.value)
    )


def _reach(
    conn: Connection,
    indicators: Mapping[str, tuple[str, Indicator]],
    codes: sa.Select[Any] | Sequence[str],
) -> dict[str, set[str]]:
    """Each scope code of the scoped ``indicators`` → the units among
    ``codes`` inside it or above it (one statement, none without scopes)."""
    scopes = {code for _, i in indicators.values() for code in i.scope}
    if not scopes:
        return {}
    closure = unit_closure
    rows = conn.execute(
        sa.select(closure.c.ancestor, closure.c.descendant).where(
            sa.or_(
                sa.and_(
                    closure.c.ancestor.in_(scopes), closure.c.descendant.in_(codes)
                ),
                sa.and_(
                    closure.c.descendant.in_(scopes), closure.c.ancestor.in_(codes)
                ),
            )
        )
    )
    reach: dict[str, set[str]] = {}
    for ancestor, descendant in rows:
        if ancestor in scopes:
            reach.setdefault(ancestor, set()).add(descendant)
        if descendant in scopes:
            reach.setdefault(descendant, set()).add(ancestor)
    return reach


def evaluate_level(
    engine: Engine,
    indicators: Mapping[str, tuple[str, Indicator]],
    *,
    unit: str,
    level: Level,
    period: Period,
    overrides: Sequence[Override] = (),
    stored: StoredSums | None = None,
    within_scopes: bool = False,
) -> LevelFigures:
    """Figures of ``indicators`` at every unit of ``level`` under ``unit``.

    One statement per indicator, whatever the number of units: the roll-up
    joins the ancestor table against the set of units at that level. With
    ``stored``, one statement in all, reading the sums kept beforehand.
    ``within_scopes`` leaves out the figures of a scoped indicator at units
    neither inside nor above its scope (a county's indicator is no 无数据
    tile in another county); a scoring sheet needs every unit, so it is off
    by default.
    """
    figures: dict[str, dict[str, Figure]] = {}
    failures: list[Failure] = []
    with reading(engine) as conn, counting(conn) as counter:
        scope, _ = load_units(conn, unit)
        codes = units_at_level(unit, level)
        rows = conn.execute(
            sa.select(units_table)
            .where(units_table.c.code.in_(codes))
            .order_by(units_table.c.code)
        )
        scored = [row_to_record(KINDS["units"], r) for r in rows]
        # Ancestors matter only to find a target an override set above a unit.
        chains = ancestors(conn, codes) if any(o.target for o in overrides) else {}
        kept = stored.read(conn, codes, indicators) if stored is not None else {}
        reach = _reach(conn, indicators, codes) if within_scopes else {}
        dated = dated_ledgers(conn, period.end) if stored is None else frozenset()
        for indicator_id, (plugin, indicator) in indicators.items():
            ctx = Context(
                period, indicator.id, indicator.parameters, tuple(overrides), dated
            )
            failure = stored.failures.get(indicator_id) if stored is not None else None
            shown = scored
            if within_scopes and indicator.scope:
                near = set().union(*(reach.get(c, set()) for c in indicator.scope))
                shown = [u for u in scored if u.code in near]
            try:
                if failure is not None:
                    raise _StoredFailure
                if stored is not None:
                    sums = kept.get(indicator_id, {})
                else:
                    with conn.begin_nested():
                        sums = _rollup(conn, scoped_facts(indicator, ctx), codes)
            except Exception as e:
                if failure is None:
                    failure = Failure(plugin, "facts", error_text(e), indicator.id)
                failures.append(failure)
                figures[indicator_id] = {
                    u.code: Figure(
                        u.code, 0, None, None, Status.FAILED, indicator.target
                    )
                    for u in shown
                }
                continue
            local = local_targets(indicator, overrides)
            figures[indicator_id] = {
                u.code: figure_of(
                    indicator,
                    u.code,
                    sums.get(u.code, (0, 0)),
                    target_for(
                        indicator, chains.get(u.code, [u.code]), overrides, local
                    ),
                )
                for u in shown
            }
    return LevelFigures(scope, scored, figures, failures, counter.count)
