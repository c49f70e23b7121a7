"""vetservice refresh: make the stored figures of some periods current."""

from __future__ import annotations

import click

from vetservice.i18n import N_
from vetservice_cli.common import (
    Context,
    echo_refreshed,
    h,
    handle_errors,
    pass_context,
)


@click.command(
    help=h(
        N_(
            "Compute the stored figures of every unit for periods, their "
            "comparisons (previous period, same period last year, year to date) "
            "and, for a period over, the year to the as-of date (how its gaps "
            "stand then), so reports and the dashboard read them at once. Imports "
            "and the demo do it for the period the dashboard opens on."
        )
    )
)
@click.option(
    "--period",
    "periods",
    multiple=True,
    metavar="PERIOD",
    help=h(
        N_(
            "A period: 2026Q3, 2026-11 or 2026 "
            "(default: the latest quarter over by the as-of date)."
        )
    ),
)
@click.option(
    "--recompute",
    is_flag=True,
    help=h(
        N_(
            "Compute again even the figures already stored (after records were "
            "changed in the database by other means than vetservice)."
        )
    ),
)
@pass_context
@handle_errors
def refresh(obj: Context, periods: tuple[str, ...], recompute: bool) -> None:
    obj.open().refresh(
        periods, as_of=obj.as_of, recompute=recompute, progress=echo_refreshed
    )
