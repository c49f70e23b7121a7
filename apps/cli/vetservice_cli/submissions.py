"""上报 and 审核锁定: ``vetservice submissions``, ``schedule``, ``sign-off``, ``reopen``."""

from __future__ import annotations

import sys

import click

from vetservice.i18n import N_, gettext
from vetservice_cli.common import (
    Context,
    h,
    handle_errors,
    pass_context,
    unit_and_period,
)


def _share(value: float | None) -> str:
    return "—" if value is None else f"{value:.1%}"


@click.command(
    help=h(
        N_(
            "Submission status of the period: every ledger the schedule expects from the "
            "units under UNIT, sent or not, and the list of those not sent."
        )
    )
)
@unit_and_period
@click.option(
    "--all", "show_all", is_flag=True, help=h(N_("List the ledgers sent too."))
)
@pass_context
@handle_errors
def submissions(obj: Context, unit: str, period: str, show_all: bool) -> None:
    status = obj.open().submission_status(unit, period, as_of=obj.as_of)
    click.echo(
        gettext(
            N_(
                "{period}: {count} ledgers due, completeness {complete}, timeliness {timely}"
            )
        ).format(
            period=status.period,
            count=len(status.rows),
            complete=_share(status.completeness),
            timely=_share(status.timeliness),
        )
    )
    for row in status.rows if show_all else status.missing:
        state = (
            gettext(N_("not sent"))
            if row.submitted_on is None
            else gettext(N_("on time"))
            if row.on_time
            else gettext(N_("late"))
        )
        click.echo(
            f"{row.unit_code}\t{row.unit_name}\t{row.kind_title}\t{row.period}\t"
            f"{row.deadline}\t{row.submitted_on or '—'}\t{state}"
        )
    if status.missing:
        sys.exit(1)


@click.command(
    help=h(
        N_(
            "The submission schedule; with KIND LEVEL FREQUENCY (month, quarter or none) "
            "change what each unit at LEVEL sends."
        )
    )
)
@click.argument("kind", required=False)
@click.argument("level", required=False)
@click.argument(
    "frequency", required=False, type=click.Choice(["month", "quarter", "none"])
)
@click.option(
    "--deadline-day",
    type=int,
    default=5,
    show_default=True,
    help=h(N_("Day of the month after the period by which it is due (1-28).")),
)
@pass_context
@handle_errors
def schedule(
    obj: Context,
    kind: str | None,
    level: str | None,
    frequency: str | None,
    deadline_day: int,
) -> None:
    db = obj.open()
    if kind is not None:
        if level is None or frequency is None:
            raise click.UsageError(
                gettext(N_("give KIND, LEVEL and FREQUENCY together"))
            )
        db.set_schedule(
            kind, level, None if frequency == "none" else frequency, deadline_day
        )
    for item in db.schedule():
        click.echo(f"{item.kind}\t{item.level}\t{item.frequency}\t{item.deadline_day}")


@click.command(
    "sign-off",
    help=h(
        N_(
            "Sign off UNIT's figures for the period: afterwards an import or "
            "delete that would change them is refused."
        )
    ),
)
@unit_and_period
@click.option("--note", help=h(N_("A note kept with the sign-off.")))
@pass_context
@handle_errors
def sign_off(obj: Context, unit: str, period: str, note: str | None) -> None:
    done = obj.open().sign_off(unit, period, note)
    click.echo(
        gettext(N_("{unit} {period} signed off by {actor}")).format(
            unit=done.unit_code, period=done.period, actor=done.actor
        )
    )


@click.command(
    help=h(N_("Reopen a signed-off period of UNIT (the city's administrator)."))
)
@unit_and_period
@click.option("--note", help=h(N_("Why it is reopened.")))
@pass_context
@handle_errors
def reopen(obj: Context, unit: str, period: str, note: str | None) -> None:
    done = obj.open().reopen(unit, period, note)
    click.echo(
        gettext(N_("{unit} {period} reopened by {actor}")).format(
            unit=done.unit_code, period=done.period, actor=done.actor
        )
    )
