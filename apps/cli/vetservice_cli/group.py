"""The ``vetservice`` group: the options every command shares, and nothing else.

The commands live in their own modules; :mod:`vetservice_cli.main` attaches
them with ``add_command``.
"""

from __future__ import annotations

import datetime as dt

import click

from vetservice.i18n import N_, set_language
from vetservice.version import __version__
from vetservice_cli.common import HELP_LANGUAGE, Context, h


@click.group(help=h(N_("Veterans' service records, indicators and reports.")))
@click.option(
    "--db",
    envvar="VETSERVICE_DB",
    help=h(N_("Database URL (default: VETSERVICE_DB, else sqlite:///vetservice.db).")),
)
@click.option(
    "--lang",
    type=click.Choice(["zh", "en"]),
    default=HELP_LANGUAGE,
    show_default=True,
    help=h(N_("Language of messages and output.")),
)
@click.option(
    "--actor", help=h(N_("Who is acting, for the audit log (default: the OS user)."))
)
@click.option(
    "--plugins",
    "plugin_specs",
    multiple=True,
    help=h(
        N_("A plugin module or .py file to load (repeatable; also VETSERVICE_PLUGINS).")
    ),
)
@click.option(
    "--strict-plugins",
    is_flag=True,
    help=h(N_("Treat any plugin failure as an error.")),
)
@click.option(
    "--as-of",
    type=click.DateTime(["%Y-%m-%d"]),
    help=h(N_("The as-of date (default: today in Asia/Shanghai).")),
)
@click.option(
    "--show-pii", is_flag=True, help=h(N_("Show id numbers and phones unmasked."))
)
@click.option(
    "--scope",
    envvar="VETSERVICE_SCOPE",
    metavar="UNIT_CODE",
    help=h(N_("Limit every read to this unit's subtree.")),
)
@click.option(
    "--sensitive-periods",
    type=click.Path(exists=True, dir_okay=False),
    envvar="VETSERVICE_SENSITIVE_PERIODS",
    help=h(
        N_(
            "A YAML file with the dates of the province's and city's Two Sessions "
            "and other changes to the sensitive periods."
        )
    ),
)
@click.option("--debug", is_flag=True, help=h(N_("Show a traceback on errors.")))
@click.version_option(__version__, prog_name="vetservice")
@click.pass_context
def cli(
    ctx: click.Context,
    db: str | None,
    lang: str,
    actor: str | None,
    plugin_specs: tuple[str, ...],
    strict_plugins: bool,
    as_of: dt.datetime | None,
    show_pii: bool,
    sensitive_periods: str | None,
    scope: str | None,
    debug: bool,
) -> None:
    set_language(lang)
    ctx.obj = Context(
        db,
        actor,
        debug,
        plugin_specs,
        strict_plugins,
        as_of.date() if as_of else None,
        show_pii,
        sensitive_periods,
        scope,
    )
