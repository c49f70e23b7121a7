"""Seeing what is in the database: records."""

from __future__ import annotations

import datetime as dt

import click

from vetservice.i18n import N_, gettext
from vetservice_cli.common import Context, fail, h, handle_errors, pass_context


def _pairs(values: tuple[str, ...]) -> dict[str, str]:
    where = {}
    for value in values:
        field, sep, wanted = value.partition("=")
        if not sep or not field.strip():
            fail(
                gettext(N_("error: {message}")).format(
                    message=gettext(
                        N_("--where needs FIELD=VALUE, e.g. gender=male, not '{value}'")
                    ).format(value=value)
                )
            )
        where[field.strip()] = wanted.strip()
    return where


@click.command(
    help=h(
        N_(
            "List the imported records of KIND, to check an import "
            "(id numbers and phones masked unless --show-pii)."
        )
    )
)
@click.argument("kind")
@click.option(
    "--unit",
    help=h(N_("Only records in this unit's subtree (a code or a unique name).")),
)
@click.option(
    "--where",
    "conditions",
    multiple=True,
    metavar="FIELD=VALUE",
    help=h(
        N_(
            "Only records whose field (English name or Chinese header) has this "
            "value, e.g. gender=male."
        )
    ),
)
@click.option(
    "--as-of",
    "as_of",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help=h(
        N_(
            "The records as they stood on this day (YYYY-MM-DD): the versions "
            "of a state ledger in force then."
        )
    ),
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "xlsx"]),
    default="table",
    show_default=True,
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    help=h(N_("File to write (needed for xlsx; table and csv go to the screen).")),
)
@pass_context
@handle_errors
def records(
    obj: Context,
    kind: str,
    unit: str | None,
    conditions: tuple[str, ...],
    as_of: dt.datetime | None,
    fmt: str,
    output: str | None,
) -> None:
    from pathlib import Path

    from vetservice.i18n import get_language

    if fmt == "xlsx" and output is None:
        fail(
            gettext(N_("error: {message}")).format(
                message=gettext(N_("--format xlsx needs -o FILE.xlsx"))
            )
        )
    found = obj.open().list_records(
        kind,
        unit=unit,
        where=_pairs(conditions),
        show_pii=obj.show_pii,
        as_of=as_of.date() if as_of is not None else None,
    )
    lang = get_language()
    if fmt == "xlsx":
        assert output is not None
        found.xlsx(output, lang)
    elif fmt == "csv":
        if output is None:
            click.echo(found.csv(lang), nl=False)
        else:
            Path(output).write_bytes(found.csv(lang))
    elif output is None:
        click.echo(found.table(lang), nl=False)
    else:
        Path(output).write_text(found.table(lang), encoding="utf-8")
    message = gettext(N_("{count} records of {kind}")).format(
        count=len(found), kind=found.kind.label.render(lang)
    )
    if output is not None:
        message += gettext(N_(", written to {path}")).format(path=output)
    click.echo(message, err=True)
