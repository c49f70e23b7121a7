"""The demo database: a real hierarchy with generated records."""

from __future__ import annotations

import functools
import sys
from typing import Any

import click

from vetservice.i18n import N_, gettext
from vetservice_cli.common import (
    Context,
    echo_refreshed,
    h,
    handle_errors,
    pass_context,
)


@click.command(
    help=h(N_("Build a demo database on a real hierarchy with generated records."))
)
@click.option(
    "--scale",
    type=click.Choice(["city", "province", "country"]),
    default="city",
    show_default=True,
    help=h(
        N_(
            "city: 延安市 (2,090 units, about 28,000 veterans); province: 陕西省 "
            "(21,809 units, about 1,000,000 veterans and 5,000,000 event rows); "
            "country: all 665,277 units with a thin spread of records (for PostgreSQL)."
        )
    ),
)
@click.option(
    "--rows",
    type=click.FloatRange(min=0.01),
    default=1.0,
    show_default=True,
    help=h(
        N_(
            "Multiply the generated records (not the units), e.g. 2, 4 or 10 for the benchmarks."
        )
    ),
)
@click.option(
    "--seed", type=int, default=0, show_default=True, help=h(N_("Random seed."))
)
@pass_context
@handle_errors
def demo(obj: Context, scale: str, seed: int, rows: float) -> None:
    from vetservice.demo import build_demo
    from vetservice.domain import KINDS

    db = obj.open(create=True)
    bars: dict[str, Any] = {}

    def progress(stage: str, done: int, total: int) -> None:
        if stage not in bars:
            for bar in bars.values():
                bar.render_finish()
            bars.clear()
            bars[stage] = click.progressbar(length=total, label=stage, file=sys.stderr)
            bars[stage].__enter__()
        bar = bars[stage]
        bar.update(done - bar.pos)

    summary = build_demo(
        db.engine, scale=scale, seed=seed, progress=progress, rows_factor=rows
    )
    for bar in bars.values():
        bar.render_finish()
    # The dashboard's first page reads stored figures.
    db.warm_figures(obj.as_of, progress=functools.partial(echo_refreshed, err=True))
    for kind, count in summary.counts.items():
        click.echo(f"{KINDS[kind].label}\t{count}")
    click.echo(gettext(N_("demo database ready: {url}")).format(url=db.url))
