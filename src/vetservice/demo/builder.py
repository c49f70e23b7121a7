"""Build a demo database on a real hierarchy with generated, believable records.

Deterministic for a seed (one ``random.Random``, no clock), bulk inserts in
batches, one transaction. The data run from 2025-01-01 to :data:`~vetservice.demo.generator.DEMO_END`
and carry the shortfalls the seed speech describes: townships and villages
weaker than county centres, streets and communities; stations missing display
elements; a few late or wrong benefit payments; overdue petitions; a county
without a care fund; secretaries of rural townships looking in less often,
people full-time at two townships, flagged petitions without a plan.
"""

from __future__ import annotations

import random

import attrs
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from vetservice.demo.generator import SCALES, Generator, Progress
from vetservice.demo.history import add_history
from vetservice.demo.petitions import add_petitions
from vetservice.demo.seed_ledgers import add_seed_ledgers
from vetservice.demo.services import add_services
from vetservice.demo.units import add_activities, add_stations_and_staff, add_units
from vetservice.demo.veterans import add_veterans
from vetservice.errors import ConfigurationError
from vetservice.i18n import N_
from vetservice.store import TABLES, refresh_statistics, transaction
from vetservice.store.hierarchy import refresh_closure


@attrs.frozen
class DemoSummary:
    scale: str
    seed: int
    counts: dict[str, int]


def build_demo(
    engine: Engine,
    *,
    scale: str = "city",
    seed: int = 0,
    progress: Progress | None = None,
    veterans_factor: float = 1.0,
    rows_factor: float = 1.0,
) -> DemoSummary:
    """Fill an empty database with a demo on the real hierarchy of ``scale``
    (city: 延安市, province: 陕西省, country: the whole country).

    ``veterans_factor`` shrinks or grows the number of veterans per village
    (tests use a small one; the default gives about 28,000 in 延安市);
    ``rows_factor`` grows veterans and monthly records together, on the
    same units (the benchmarks' 1×, 2×, 4× and 10×).
    """
    if scale not in SCALES:
        raise ConfigurationError(
            N_("unknown demo scale {scale}; choose city, province or country"),
            scale=scale,
        )
    profile = SCALES[scale]
    profile = attrs.evolve(
        profile,
        veterans=profile.veterans * veterans_factor * rows_factor,
        monthly=profile.monthly * rows_factor,
    )
    rng = random.Random(seed)
    with transaction(engine) as conn:
        if conn.scalar(sa.select(sa.func.count()).select_from(TABLES["units"])):
            raise ConfigurationError(
                N_(
                    "the database already holds units; build the demo in an empty database"
                )
            )
        g = Generator(conn, rng, progress, profile)
        g.side.seed(f"{seed}:seed ledgers")
        # The order of these stages is the order the seed's numbers are drawn in.
        units = add_units(g, profile)
        refresh_closure(conn)
        add_stations_and_staff(g, units)
        veterans = add_veterans(g, units)
        add_activities(g, units)
        add_services(g, units, veterans)
        add_petitions(g, units, veterans)
        add_seed_ledgers(g, units)
        add_history(g)
    refresh_statistics(engine)
    return DemoSummary(
        scale,
        seed,
        dict(sorted(g.counts.items(), key=lambda kv: list(TABLES).index(kv[0]))),
    )
