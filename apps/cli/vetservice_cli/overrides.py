"""``vetservice overrides``: the local standards the plugins put in force."""

from __future__ import annotations

import click

from vetservice.i18n import N_, gettext
from vetservice_cli.common import (
    Context,
    exit_on_failures,
    h,
    handle_errors,
    pass_context,
)


@click.command(
    help=h(
        N_(
            "List the local standards in force: each plugin's overrides of "
            "indicators, with the unit and the plugin."
        )
    )
)
@click.option(
    "--unit",
    help=h(N_("Only those applying at this unit or under it (code or unique name).")),
)
@pass_context
@handle_errors
def overrides(obj: Context, unit: str | None) -> None:
    db = obj.open()
    found = db.overrides_in_force(unit)
    for standard in found:
        click.echo(
            "\t".join(
                [
                    standard.indicator,
                    standard.indicator_name,
                    standard.unit,
                    standard.unit_name,
                    standard.rule,
                    standard.plugin,
                ]
            )
        )
    if not found:
        click.echo(gettext(N_("no local standards in force")), err=True)
    exit_on_failures(db.plugins.failures)
