"""A scoring sheet's units ranked from a stored figure set, each unit scored
as its figures arrive.

:func:`vetservice.scoring.score` holds the figures of every unit it ranks;
a national report ranks 620,573 villages on 18 indicators. Here the figures
come a unit at a time (:func:`~vetservice.stored.level.level_sums`) and
only the scores are kept. Villages whose sums and targets are alike share
one score, worked out once: scoring is a function of the figures alone. (In
the demo country 620,573 villages have 21 distinct totals; the demo city's
1,959 villages have 1,347 distinct sets of sums, so there it saves little.)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import attrs
from sqlalchemy.engine import Engine

from vetservice.calendar import Period
from vetservice.indicators import Override
from vetservice.indicators.engine import counting, load_units
from vetservice.indicators.registry import Registry
from vetservice.scoring import Scoring, ScoringSheet, check_sheet, score
from vetservice.scoring.engine import UnitScore, rank, score_unit
from vetservice.store import reading
from vetservice.stored import FigureSet
from vetservice.stored.level import UnitSums, level_sums, unit_figures

# Distinct sets of figures kept with their score; past this many the memo
# starts again, so a level of all-different units costs no more memory.
ALIKE = 50_000


def stored_score(
    engine: Engine,
    sheet: ScoringSheet,
    registry: Registry,
    stored: FigureSet | None,
    *,
    unit: str,
    period: Period,
    plugin: str = "",
    overrides: Sequence[Override] = (),
) -> Scoring:
    """:func:`vetservice.scoring.score` with the figures read from a stored
    set (computed from the records without one)."""
    if stored is None or stored.id is None:  # none, or held in memory already
        return score(
            engine,
            sheet,
            registry,
            unit=unit,
            period=period,
            plugin=plugin,
            overrides=overrides,
            stored=stored,
        )
    check_sheet(sheet, registry)
    used = {i: registry[i] for i in sheet.indicator_ids}
    with reading(engine) as conn, counting(conn) as counter:
        top, _ = load_units(conn, unit)
        scores = []
        alike: dict[UnitSums, UnitScore] = {}
        for one, sums in level_sums(
            conn, stored, used, unit=unit, level=sheet.level, overrides=overrides
        ):
            same = alike.get(sums)
            if same is None:
                if len(alike) >= ALIKE:
                    alike.clear()
                figures = unit_figures(stored, used, one.code, sums)
                by_id = {i: {one.code: f} for i, f in figures.items()}
                same = alike[sums] = score_unit(sheet, one, by_id)
                scores.append(same)
            else:
                scores.append(attrs.evolve(same, unit=one))
    failures = tuple(stored.failures[i] for i in used if i in stored.failures)
    return Scoring(
        sheet,
        plugin,
        top,
        period,
        rank(scores),
        failures,
        dt.datetime.now(dt.UTC),
        counter.count,
    )
