"""Commands over indicators: report, explain, indicators."""

from __future__ import annotations

import csv
import io
import json
import sys
from typing import Any

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


def _formats(value: str) -> list[str]:
    return [f.strip() for f in value.split(",") if f.strip()]


def _list_depth(_ctx: click.Context, _param: click.Parameter, value: str) -> int | None:
    if value.strip().lower() == "all":
        return None
    if value.strip().isdigit():
        return int(value)
    raise click.BadParameter(
        gettext(N_("'{value}' is neither a number of levels nor 'all'")).format(
            value=value
        )
    )


@click.command(help=h(N_("Build the report of a unit for a period.")))
@unit_and_period
@click.option(
    "--format",
    "formats",
    default="html,xlsx,docx,md,json",
    show_default=True,
    help=h(N_("Formats, separated by commas.")),
)
@click.option(
    "--out",
    "out_dir",
    default="reports",
    show_default=True,
    type=click.Path(file_okay=False),
    help=h(N_("Folder for the files.")),
)
@click.option(
    "--each-child",
    is_flag=True,
    help=h(N_("Also write one report per unit one level down.")),
)
@click.option(
    "--freeze",
    is_flag=True,
    help=h(
        N_(
            "Also store each report's figures with the records' digest and the "
            "versions (see 'vetservice snapshots')."
        )
    ),
)
@click.option(
    "--min-cell",
    type=click.IntRange(min=0),
    default=0,
    help=h(
        N_("Withhold counts below this number in the published figures (shown as <k).")
    ),
)
@click.option(
    "--list-depth",
    # The library's reports.full.LIST_DEPTH, written out so that --help
    # loads nothing of the library (a test holds the two equal).
    default="2",
    show_default=True,
    callback=_list_depth,
    help=h(
        N_(
            "List gaps down to this many levels below the unit (1: its children, "
            "2: their children too; 'all': every level); those further down are "
            "counted. The XLSX gap list names every level."
        )
    ),
)
@pass_context
@handle_errors
def report(
    obj: Context,
    unit: str,
    period: str,
    formats: str,
    out_dir: str,
    each_child: bool,
    freeze: bool,
    min_cell: int,
    list_depth: int | None,
) -> None:
    db = obj.open()
    unit = obj.unit_code(unit)
    wanted = _formats(formats)
    frozen: list[Any] | None = [] if freeze else None
    if each_child:
        count = 1 + len(db.children(unit))
        with click.progressbar(
            length=count, label=gettext(N_("reports")), file=sys.stderr
        ) as bar:
            paths = db.write_reports(
                unit,
                period,
                wanted,
                out_dir,
                as_of=obj.as_of,
                each_child=True,
                lang=get_language(),
                progress=bar.update,
                frozen=frozen,
                min_cell=min_cell,
                list_depth=list_depth,
            )
    else:
        paths = db.write_reports(
            unit,
            period,
            wanted,
            out_dir,
            as_of=obj.as_of,
            lang=get_language(),
            frozen=frozen,
            min_cell=min_cell,
            list_depth=list_depth,
        )
    for path in paths:
        click.echo(str(path))
    for snapshot in frozen or []:
        click.echo(
            gettext(
                N_("frozen as snapshot {id}: {unit_name} ({unit}), {period}")
            ).format(
                id=snapshot.id,
                unit_name=snapshot.unit_name,
                unit=snapshot.unit,
                period=snapshot.period,
            )
        )
    exit_on_failures(db.plugins.failures)


@click.command(
    help=h(N_("List the records behind an indicator's figure (drill-through)."))
)
@click.argument("indicator")
@unit_and_period
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "csv"]),
    default="table",
    show_default=True,
)
@pass_context
@handle_errors
def explain(obj: Context, indicator: str, unit: str, period: str, fmt: str) -> None:
    from vetservice.reports.format import column_label

    unit = obj.unit_code(unit)
    explanation = obj.open().explain(
        indicator, unit, period, as_of=obj.as_of, show_pii=obj.show_pii
    )
    columns = list(explanation.columns)
    headers = [column_label(c, get_language()) for c in columns]
    rows = [{c: _plain(r.get(c)) for c in columns} for r in explanation.rows]
    if fmt == "json":
        click.echo(
            json.dumps(
                {
                    "indicator": indicator,
                    "unit": unit,
                    "period": explanation.period.label,
                    "numerator": explanation.numerator,
                    "denominator": explanation.denominator,
                    "rows": rows,
                },
                ensure_ascii=False,
                indent=2,
            )
        )
    elif fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(headers)
        writer.writerows([row[c] for c in columns] for row in rows)
        click.echo(buffer.getvalue(), nl=False)
    else:
        click.echo("\t".join(headers))
        for row in rows:
            click.echo(
                "\t".join("" if row[c] is None else str(row[c]) for c in columns)
            )
        click.echo(
            gettext(
                N_("numerator {numerator}, denominator {denominator}, {count} rows")
            ).format(
                numerator=explanation.numerator,
                denominator=explanation.denominator,
                count=len(rows),
            )
        )


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


@click.command(help=h(N_("List the loaded indicators.")))
@pass_context
@handle_errors
def indicators(obj: Context) -> None:
    from vetservice.indicators.registry import collect_indicators

    lang = get_language()
    # Indicators come from the plugins: listing them needs no database.
    manager = obj.plugin_manager()
    for indicator_id, (plugin, indicator) in collect_indicators(manager).items():
        target = indicator.target.describe(indicator.kind) if indicator.target else "—"
        click.echo(
            "\t".join(
                [
                    indicator_id,
                    indicator.area.display(lang),
                    indicator.kind.display(lang),
                    indicator.name.render(lang),
                    target,
                    plugin,
                ]
            )
        )
