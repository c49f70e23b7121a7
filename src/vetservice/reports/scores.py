"""A scoring sheet's units ranked from a stored figure set, each unit scored
as its figures arrive.

:func:`vetservice.scoring.score` holds the figures of every unit it ranks;
a national report ranks 620,573 villages on 18 indicators. Here the figures
come a unit at a time (:func:`~vetservice.stored.level.level_sums`) and
only the scores are kept. Villages whose sums and targets are alike share
one score, worked out once: scoring is a function of the figures alone. (In
the demo country 620,573 villages have 21 distinct totals; the demo city's
1,959 villages have 1,347 distinct sets of sums, so there it saves little.)

The scores are then kept with the set (:mod:`vetservice.stored.scores`,
under a digest of the sheet), so the next report of any unit under the one
scored reads them back in one statement instead of scoring again.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterator, Mapping, Sequence
from contextlib import closing

import attrs
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError

from vetservice.calendar import Period
from vetservice.domain import KINDS
from vetservice.domain.records import Unit
from vetservice.errors import StorageError
from vetservice.indicators import Indicator, Override
from vetservice.indicators.engine import counting, load_units
from vetservice.indicators.registry import Registry
from vetservice.scoring import Scoring, ScoringSheet, check_sheet, score
from vetservice.scoring.engine import ItemScore, LineScore, UnitScore, rank, score_unit
from vetservice.store import TABLES, reading
from vetservice.store.schema import row_to_record
from vetservice.stored import FigureSet
from vetservice.stored.gaps import decode, encode
from vetservice.stored.level import UnitSums, level_sums, unit_figures
from vetservice.stored.scores import (
    any_kept,
    level_scores,
    sheet_digest,
    write_scores,
)

log = logging.getLogger(__name__)
units_table = TABLES["units"]

# Distinct sets of figures kept with their score; past this many the memo
# starts again, so a level of all-different units costs no more memory.
ALIKE = 50_000

# Most units whose scores a report keeps. A village's score is about 620
# bytes of JSON: a province's 20,000 villages are kept (about 12 MB); the
# country's 620,573 would be some 380 MB written by its first report, longer
# than scoring them again (26 s).
KEEP_AT_MOST = 100_000


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
    key, level = sheet_digest(sheet), sheet.level
    with reading(engine) as conn, counting(conn) as counter:
        top, _ = load_units(conn, unit)
        kept = kept_scores(conn, stored.id, key, sheet, unit)
        scores = (
            kept
            if kept is not None  # an empty level kept is kept too
            else scored_from_sums(conn, stored, sheet, used, unit, overrides)
        )
    # Kept for the next report; a store it cannot write is no error.
    if kept is None and len(scores) <= KEEP_AT_MOST:
        try:
            write_scores(
                engine,
                stored.id,
                key,
                unit=unit,
                level=level,
                scores=_encoded(scores),
            )
        except (StorageError, SQLAlchemyError) as e:
            log.info("scores not stored (%s)", e)
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


def scored_from_sums(
    conn: Connection,
    stored: FigureSet,
    sheet: ScoringSheet,
    used: Mapping[str, tuple[str, Indicator]],
    unit: str,
    overrides: Sequence[Override],
) -> list[UnitScore]:
    """Every unit of the sheet's level under ``unit`` scored from the set's
    sums, as they arrive; alike units share one score."""
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
    return scores


def _encoded(scores: Sequence[UnitScore]) -> Iterator[tuple[str, str]]:
    """(unit code, encoded score) of each; alike units share their lines, so
    each distinct score is encoded once."""
    done: dict[int, str] = {}
    for each in scores:
        text = done.get(id(each.lines))
        if text is None:
            text = done[id(each.lines)] = encode_score(each)
        yield each.unit.code, text


def kept_scores(
    conn: Connection, set_id: int, key: str, sheet: ScoringSheet, unit: str
) -> list[UnitScore] | None:
    """The stored scores of every unit of the sheet's level under ``unit``;
    None when any of them has none (the set was scored under another unit,
    or not yet). Units with the same score share its lines."""
    if not any_kept(conn, set_id, key):  # not scored yet, or too many to keep
        return None
    scores = []
    alike: dict[str, UnitScore] = {}
    width = len(units_table.c)
    with closing(level_scores(conn, set_id, key, unit=unit, level=sheet.level)) as rows:
        for row in rows:
            text = row[width]
            if text is None:
                return None
            one = row_to_record(KINDS["units"], row)
            same = alike.get(text)
            if same is None:
                if len(alike) >= ALIKE:
                    alike.clear()
                same = alike[text] = decode_score(sheet, one, text)
                scores.append(same)
            else:
                scores.append(attrs.evolve(same, unit=one))
    return scores


def encode_score(found: UnitScore) -> str:
    """A unit's score as JSON, without the unit: its total, flags and every
    line's score and items (instances, signed points, failed), in the
    sheet's order."""
    return encode(
        {
            "total": found.total,
            "vetoed": found.vetoed,
            "failed": found.failed,
            "lines": [
                [
                    line.score,
                    line.vetoed,
                    [[i.instances, i.points, i.failed] for i in line.items],
                ]
                for line in found.lines
            ],
        }
    )


def decode_score(sheet: ScoringSheet, unit: Unit, text: str) -> UnitScore:
    """:func:`encode_score` read back onto ``sheet``'s lines and items."""
    found = decode(text)
    lines = tuple(
        LineScore(
            line,
            score,
            tuple(
                ItemScore(item, instances, points, failed)
                for item, (instances, points, failed) in zip(
                    line.items, items, strict=True
                )
            ),
            vetoed,
        )
        for line, (score, vetoed, items) in zip(
            sheet.lines, found["lines"], strict=True
        )
    )
    return UnitScore(unit, found["total"], lines, found["vetoed"], found["failed"])
