"""考核 commands: sheets, score."""

from __future__ import annotations

import csv
import io
import json

import click

from vetservice.i18n import N_, get_language, gettext
from vetservice_cli.common import (
    Context,
    exit_on_failures,
    h,
    handle_errors,
    pass_context,
    unit_and_period,
)


@click.command(help=h(N_("List the loaded scoring sheets.")))
@pass_context
@handle_errors
def sheets(obj: Context) -> None:
    from vetservice.reports.format import points_text
    from vetservice.scoring import collect_sheets

    lang = get_language()
    # Sheets come from the plugins: listing them needs no database.
    manager = obj.plugin_manager()
    for sheet_id, (plugin, sheet) in collect_sheets(manager).items():
        click.echo(
            "\t".join(
                [
                    sheet_id,
                    sheet.name.render(lang),
                    sheet.level.display(lang),
                    points_text(sheet.max_score),
                    plugin,
                ]
            )
        )
    exit_on_failures(manager.failures)


@click.command(
    help=h(
        N_(
            "Score and rank every unit of a sheet's level under a unit. "
            "SHEET is a loaded sheet's id or a YAML file."
        )
    )
)
@click.argument("sheet")
@unit_and_period
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "md", "json", "csv"]),
    default="table",
    show_default=True,
)
@click.option(
    "--trace",
    "trace_unit",
    metavar="UNIT",
    help=h(N_("Show the records behind every point this scored unit lost or gained.")),
)
@pass_context
@handle_errors
def score(
    obj: Context, sheet: str, unit: str, period: str, fmt: str, trace_unit: str | None
) -> None:
    from vetservice.reports.format import points_text
    from vetservice.reports.scoring import (
        scoring_dict,
        scoring_markdown,
        scoring_table,
        trace_report,
        trace_text,
    )

    lang = get_language()
    db = obj.open()
    unit = obj.unit_code(unit)
    scoring = db.score(sheet, unit, period, as_of=obj.as_of)
    if trace_unit:
        trace_unit = obj.unit_code(trace_unit)
        traces = db.trace_score(scoring, trace_unit, show_pii=obj.show_pii)
        scored = scoring[trace_unit]
        if fmt == "json":
            report = trace_report(scored, traces, lang)
            click.echo(json.dumps(report, ensure_ascii=False, indent=2))
        else:
            click.echo(
                gettext(N_("{unit}: {total} points, rank {rank} of {count}")).format(
                    unit=scored.unit.name,
                    total=points_text(scored.total),
                    rank=scored.rank or "—",
                    count=len(scoring.scores),
                )
            )
            click.echo(trace_text(traces, lang), nl=False)
    elif fmt == "json":
        click.echo(
            json.dumps(scoring_dict(scoring, lang), ensure_ascii=False, indent=2)
        )
    elif fmt == "md":
        click.echo(scoring_markdown(scoring, lang), nl=False)
    else:
        header, rows = scoring_table(scoring, lang)
        if fmt == "csv":
            buffer = io.StringIO()
            csv.writer(buffer).writerows([header, *rows])
            click.echo(buffer.getvalue(), nl=False)
        else:
            for row in [header, *rows]:
                click.echo("\t".join(row))
    exit_on_failures([*scoring.failures, *db.plugins.failures])
