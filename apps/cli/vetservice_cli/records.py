"""台账 commands: template, import, delete, validate."""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from vetservice.i18n import N_, gettext
from vetservice_cli.common import (
    Context,
    echo_refreshed,
    exit_on_failures,
    h,
    handle_errors,
    pass_context,
)

if TYPE_CHECKING:
    from vetservice.imports import ImportResult


@click.command(
    help=h(N_("Write a blank import file with Chinese headers and column notes."))
)
@click.argument("kind")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["xlsx", "csv"]),
    default="xlsx",
    show_default=True,
)
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False), help=h(N_("File to write."))
)
@handle_errors
def template(kind: str, fmt: str, output: str | None) -> None:
    from vetservice.domain import kind as record_kind_of
    from vetservice.i18n import get_language
    from vetservice.imports.templates import write_template

    record_kind = record_kind_of(kind)
    path = Path(output or f"{record_kind.name}.{fmt}")
    write_template(record_kind.name, path, lang=get_language())
    click.echo(gettext(N_("template written: {path}")).format(path=path))


def _echo_report(result: ImportResult) -> None:
    for f in result.files:
        click.echo(f.summary().render())
        if len(f.sheets) > 1:
            sheets = "、".join(f.sheets)
            click.echo(
                "  " + gettext(N_("sheets read: {sheets}")).format(sheets=sheets)
            )
        for note in f.notes:
            click.echo("  " + gettext(N_("note: {note}")).format(note=note.render()))
    for warning in result.warnings:
        click.echo(
            gettext(N_("warning: {message}")).format(message=warning.render()), err=True
        )
    for problem in result.problems:
        click.echo(problem.render(), err=True)


@click.command(
    "import",
    help=h(
        N_(
            "Import records of KIND from CSV, XLSX or XLS files (KIND 'auto': from the file names)."
        )
    ),
)
@click.argument("kind")
@click.argument("files", nargs=-1, required=True, type=click.Path())
@click.option(
    "--skip-bad-rows",
    is_flag=True,
    help=h(N_("Import the good rows and list the bad ones.")),
)
@click.option(
    "--sheet",
    metavar="NAME",
    help=h(N_("Import only the sheet NAME of each workbook (default: every sheet).")),
)
@click.option(
    "--dry-run",
    is_flag=True,
    help=h(
        N_(
            "Check every row and count what would be added, updated and unchanged; write nothing."
        )
    ),
)
@click.option(
    "--period",
    help=h(
        N_(
            "With --scope: the period this submission is for (default: the last "
            "month or quarter over)."
        )
    ),
)
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]), hidden=True)
@pass_context
@handle_errors
def import_(
    obj: Context,
    kind: str,
    files: tuple[str, ...],
    skip_bad_rows: bool,
    sheet: str | None,
    dry_run: bool,
    period: str | None,
    today: dt.datetime | None,
) -> None:
    from vetservice.imports import guess_kind

    pairs = [(guess_kind(f) if kind == "auto" else kind, f) for f in files]
    with _progress_bar() as progress:
        result = obj.open(create=True).import_files(
            pairs,
            skip_bad_rows=skip_bad_rows,
            today=today.date() if today else None,
            sheet=sheet,
            dry_run=dry_run,
            progress=progress,
            period=period,
            warm=True,  # the dashboard's first page reads stored figures
            warmed=functools.partial(echo_refreshed, err=True),
        )
    _echo_report(result)
    if result.problems:
        sys.exit(1)


@contextlib.contextmanager
def _progress_bar() -> Iterator[Callable[[int, int | None], None] | None]:
    """Rows read so far as a bar on stderr, only when it is a terminal (never
    in a pipe or a log)."""
    if not sys.stderr.isatty():
        yield None
        return
    bar: Any = None

    def update(done: int, total: int | None) -> None:
        nonlocal bar
        if bar is None:
            # Without a total, an iterator of unknown length: a moving bar.
            rows = iter(int, 1) if total is None else None
            bar = click.progressbar(rows, length=total, file=sys.stderr, show_pos=True)
        bar.update(max(done - bar.pos, 0))

    try:
        yield update
    finally:
        if bar is not None:
            bar.render_finish()


@click.command(help=h(N_("Remove the records of KIND whose keys FILE lists.")))
@click.argument("kind")
@click.argument("files", nargs=-1, required=True, type=click.Path())
@pass_context
@handle_errors
def delete(obj: Context, kind: str, files: tuple[str, ...]) -> None:
    _echo_report(obj.open().delete_file(kind, list(files)))


@click.command(help=h(N_("Run the cross-record checks over the whole database.")))
@pass_context
@handle_errors
def validate(obj: Context) -> None:
    db = obj.open()
    findings = db.validate()
    for finding in findings:
        click.echo(finding.render())
    click.echo(gettext(N_("{count} findings")).format(count=len(findings)))
    exit_on_failures(db.plugins.failures)  # a broken county check is named, exit 1
    if findings:
        sys.exit(1)
