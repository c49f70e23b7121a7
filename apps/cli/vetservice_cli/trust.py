"""留痕 commands: audit (the audit log) and snapshots (report snapshots)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import sys
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import click

from vetservice.i18n import N_, get_language, gettext
from vetservice_cli.common import Context, h, handle_errors, pass_context

F = TypeVar("F", bound=Callable[..., Any])

DAY = click.DateTime(["%Y-%m-%d"])

AUDIT_COLUMNS = [
    ("id", N_("No.")),
    ("at", N_("Time")),
    ("actor", N_("Actor")),
    ("command", N_("Command")),
    ("kind", N_("Record kind")),
    ("file_name", N_("File")),
    ("file_sha256", N_("File SHA-256")),
    ("added", N_("Added")),
    ("updated", N_("Updated")),
    ("unchanged", N_("Unchanged")),
    ("deleted", N_("Deleted")),
    ("skipped", N_("Skipped")),
    ("detail", N_("Detail")),
]

SNAPSHOT_COLUMNS = [
    ("id", N_("No.")),
    ("at", N_("Frozen at")),
    ("actor", N_("Actor")),
    ("unit", N_("Unit code")),
    ("unit_name", N_("Unit")),
    ("period", N_("Period")),
    ("as_of", N_("As of")),
    ("input_sha256", N_("Records SHA-256")),
    ("vetservice_version", N_("vetservice version")),
]


def _time(moment: dt.datetime) -> str:
    from vetservice.calendar.periods import CHINA

    return moment.astimezone(CHINA).strftime("%Y-%m-%d %H:%M:%S")


def _print(
    fmt: str,
    columns: Sequence[tuple[str, str]],
    rows: Sequence[dict[str, Any]],
    records: Sequence[dict[str, Any]],
) -> None:
    """``rows`` as a table or CSV under Chinese headers, or ``records`` as JSON."""
    if fmt == "json":
        click.echo(json.dumps(records, ensure_ascii=False, indent=2))
        return
    headers = [gettext(label) for _, label in columns]
    cells = [["" if r[k] is None else str(r[k]) for k, _ in columns] for r in rows]
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(headers)
        writer.writerows(cells)
        click.echo(buffer.getvalue(), nl=False)
    else:
        for line in [headers, *cells]:
            click.echo("\t".join(line))


def _format_option(command: F) -> F:
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(["table", "json", "csv"]),
        default="table",
        show_default=True,
    )(command)


@click.command(
    help=h(
        N_(
            "List the audit log, newest first: imports, deletes, exports, backups, "
            "reveals of personal information (--show-pii) and report snapshots."
        )
    )
)
@click.option("--actor", "who", help=h(N_("Only rows of this actor.")))
@click.option(
    "--command",
    help=h(
        N_("Only this command (a first word such as show_pii matches all its kinds).")
    ),
)
@click.option("--kind", help=h(N_("Only rows about this record kind.")))
@click.option("--since", type=DAY, help=h(N_("From this day (inclusive).")))
@click.option("--until", type=DAY, help=h(N_("To this day (inclusive).")))
@click.option(
    "--limit",
    type=click.IntRange(min=0),
    default=100,
    show_default=True,
    help=h(N_("At most this many rows (0: all).")),
)
@_format_option
@pass_context
@handle_errors
def audit(
    obj: Context,
    who: str | None,
    command: str | None,
    kind: str | None,
    since: dt.datetime | None,
    until: dt.datetime | None,
    limit: int,
    fmt: str,
) -> None:
    from vetservice.domain import KINDS

    entries = obj.open().audit(
        actor=who,
        command=command,
        kind=kind,
        since=since.date() if since else None,
        until=until.date() if until else None,
        limit=limit or None,
    )
    lang = get_language()
    rows = [
        {
            **e.as_json(),
            "at": _time(e.at),
            "kind": KINDS[e.kind].display_title(lang) if e.kind in KINDS else e.kind,
            "detail": json.dumps(dict(e.detail), ensure_ascii=False)
            if e.detail
            else None,
        }
        for e in entries
    ]
    _print(fmt, AUDIT_COLUMNS, rows, [e.as_json() for e in entries])


def _list_options(command: F) -> F:
    command = _format_option(command)
    command = click.option(
        "--limit",
        type=click.IntRange(min=0),
        default=100,
        show_default=True,
        help=h(N_("At most this many rows (0: all).")),
    )(command)
    command = click.option("--period", help=h(N_("Only snapshots of this period.")))(
        command
    )
    return click.option("--unit", help=h(N_("Only snapshots of this unit.")))(command)


def _list_snapshots(
    obj: Context, unit: str | None, period: str | None, limit: int, fmt: str
) -> None:
    if unit is not None:
        unit = obj.unit_code(unit)
    found = obj.open().snapshots(unit=unit, period=period, limit=limit or None)
    rows = [{**s.as_json(), "at": _time(s.at)} for s in found]
    _print(fmt, SNAPSHOT_COLUMNS, rows, [s.as_json() for s in found])


@click.group(
    invoke_without_command=True,
    help=h(
        N_(
            "Report snapshots (report --freeze): list them, or compare one with "
            "the figures now (snapshots diff ID)."
        )
    ),
)
@_list_options
@click.pass_context
def snapshots(
    ctx: click.Context, unit: str | None, period: str | None, limit: int, fmt: str
) -> None:
    if ctx.invoked_subcommand is None:
        handle_errors(_list_snapshots)(ctx.obj, unit, period, limit, fmt)


@snapshots.command("list", help=h(N_("List the report snapshots, newest first.")))
@_list_options
@pass_context
@handle_errors
def list_(
    obj: Context, unit: str | None, period: str | None, limit: int, fmt: str
) -> None:
    _list_snapshots(obj, unit, period, limit, fmt)


@snapshots.command(
    help=h(
        N_(
            "Recompute a snapshot's unit, period and as-of date now and name what "
            "changed; exit code 1 when anything did."
        )
    )
)
@click.argument("snapshot_id", metavar="ID", type=int)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
)
@pass_context
@handle_errors
def diff(obj: Context, snapshot_id: int, fmt: str) -> None:
    found = obj.open().diff_snapshot(snapshot_id)
    if fmt == "json":
        click.echo(json.dumps(found.as_json(), ensure_ascii=False, indent=2))
    else:
        for line in found.describe(get_language()):
            click.echo(line)
    if found.changed:
        sys.exit(1)
