"""Unit scores on a scoring sheet, kept with a set of stored figures.

A score is a function of the set's figures and the sheet, so it is kept
under the set (and goes with it) and a digest of the sheet (a changed sheet
is scored again). The score itself is encoded by the caller
(:mod:`vetservice.reports.scores`); here it is only text.
"""

from __future__ import annotations

from collections.abc import Generator, Iterable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine, Row

from vetservice.domain import Level
from vetservice.indicators.engine import units_at_level
from vetservice.store import TABLES, insert_batches, transaction
from vetservice.store.schema import figure_scores
from vetservice.stored.keys import digest

units = TABLES["units"]


def sheet_digest(sheet: object) -> str:
    """A digest of a scoring sheet's every line, item, weight and point."""
    return digest(repr(sheet))


def any_kept(conn: Connection, set_id: int, sheet: str) -> bool:
    """Whether the set keeps any score of the sheet (one probe of the key)."""
    found = conn.execute(
        sa.select(figure_scores.c.unit_code)
        .where(figure_scores.c.set_id == set_id, figure_scores.c.sheet == sheet)
        .limit(1)
    ).first()
    return found is not None


def level_scores(
    conn: Connection, set_id: int, sheet: str, *, unit: str, level: Level
) -> Generator[Row[Any], None, None]:
    """Each unit of ``level`` under ``unit``, by code: its units row and its
    stored score (None where it has none); one statement."""
    wanted = units_at_level(unit, level).subquery("wanted")
    query = (
        sa.select(units, figure_scores.c.score)
        .join(wanted, wanted.c.code == units.c.code)
        .outerjoin(
            figure_scores,
            sa.and_(
                figure_scores.c.set_id == set_id,
                figure_scores.c.sheet == sheet,
                figure_scores.c.unit_code == units.c.code,
            ),
        )
        .order_by(units.c.code)
    )
    # Closed with the generator: a reader may stop at the first unit without.
    with conn.execute(query, execution_options={"yield_per": 5000}) as rows:
        yield from rows


def write_scores(
    engine: Engine,
    set_id: int,
    sheet: str,
    *,
    unit: str,
    level: Level,
    scores: Iterable[tuple[str, str]],
) -> None:
    """Keep ``scores`` (unit code, encoded score) of every unit of ``level``
    under ``unit`` in one transaction, replacing those kept before."""
    with transaction(engine) as conn:
        conn.execute(
            figure_scores.delete().where(
                figure_scores.c.set_id == set_id,
                figure_scores.c.sheet == sheet,
                figure_scores.c.unit_code.in_(units_at_level(unit, level)),
            )
        )
        insert_batches(
            conn,
            figure_scores,
            (
                {"set_id": set_id, "sheet": sheet, "unit_code": code, "score": text}
                for code, text in scores
            ),
        )
