"""``vetservice merge FILE``: a county's own database file, back at the city."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from vetservice.i18n import N_, gettext
from vetservice_cli.common import Context, fail, h, handle_errors, pass_context
from vetservice_cli.records import _echo_report


def _digest(file: str, given: str | None) -> str:
    """--sha256, else the first word of FILE.sha256 (as sha256sum writes it)."""
    if given:
        return given
    sidecar = Path(f"{file}.sha256")
    if sidecar.exists():
        words = sidecar.read_text(encoding="utf-8").split()
        if words:
            return words[0]
    fail(
        gettext(
            N_("give the file's SHA-256 with --sha256 (or put it in {file}.sha256)")
        ).format(file=Path(file).name)
    )


@click.command(
    help=h(
        N_(
            "Import a county's database FILE (made by 'export --scope') as its submission: "
            "the digest checked, nothing outside the county written."
        )
    )
)
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--sha256", metavar="HEX", help=h(N_("The SHA-256 the county sent with the file."))
)
@click.option("--unit", help=h(N_("The county the file must hold (code or name).")))
@click.option(
    "--period",
    help=h(
        N_("The period it is submitted for (default: the last month or quarter over).")
    ),
)
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]), hidden=True)
@pass_context
@handle_errors
def merge(
    obj: Context,
    file: str,
    sha256: str | None,
    unit: str | None,
    period: str | None,
    today: dt.datetime | None,
) -> None:
    result = obj.open().merge(
        file,
        sha256=_digest(file, sha256),
        unit=unit,
        period=period,
        today=today.date() if today else None,
    )
    _echo_report(result)
    if result.problems:
        sys.exit(1)
