"""The ``vetservice`` command: parse, call one library function, print.

Help and messages come from the library's catalogue, in Chinese unless
``--lang en`` (or ``VETSERVICE_LANG=en``) is given.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import click

import vetservice as vs
from vetservice.i18n import N_, gettext, set_language
from vetservice.plugins import create_plugin_manager

F = TypeVar("F", bound=Callable[..., Any])

# Help is rendered when the module loads, so it follows VETSERVICE_LANG.
_HELP_LANGUAGE = os.environ.get("VETSERVICE_LANG", "zh")
if _HELP_LANGUAGE not in ("zh", "en"):
    _HELP_LANGUAGE = "zh"


def _h(msgid: str) -> str:
    return gettext(msgid, _HELP_LANGUAGE)


class Context:
    """What the group's options set for every command."""

    def __init__(
        self,
        db: str | None,
        actor: str | None,
        debug: bool,
        plugins: tuple[str, ...] = (),
        strict_plugins: bool = False,
        as_of: dt.date | None = None,
        show_pii: bool = False,
        sensitive_periods: str | None = None,
        scope: str | None = None,
    ) -> None:
        self.db_url = db
        self.actor = actor
        self.debug = debug
        self.plugins = plugins
        self.strict_plugins = strict_plugins
        self.as_of = as_of
        self.show_pii = show_pii
        self.sensitive_periods = sensitive_periods
        self.scope = scope
        self._db: vs.Database | None = None

    def open(self) -> vs.Database:
        if self._db is None:
            manager = create_plugin_manager(
                plugins=self.plugins, strict=self.strict_plugins
            )
            self._db = vs.open(
                self.db_url,
                actor=self.actor,
                plugins=manager,
                sensitive_periods=self.sensitive_periods,
                scope=self.scope,
            )
        return self._db


pass_context = click.make_pass_decorator(Context)


def fail(message: str, code: int = 2) -> NoReturn:
    click.echo(message, err=True)
    sys.exit(code)


def handle_errors(func: F) -> F:
    """Turn a VetserviceError into a message on stderr and exit code 2."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        ctx = click.get_current_context()
        debug = isinstance(ctx.obj, Context) and ctx.obj.debug
        try:
            return func(*args, **kwargs)
        except vs.ImportRejected as e:
            for problem in e.problems:
                click.echo(problem.render(), err=True)
            fail(str(e))
        except vs.VetserviceError as e:
            if debug:
                raise
            fail(gettext(N_("error: {message}")).format(message=e))

    return wrapper  # type: ignore[return-value]


@click.group(help=_h(N_("Veterans' service records, indicators and reports.")))
@click.option(
    "--db",
    envvar="VETSERVICE_DB",
    help=_h(N_("Database URL (default: VETSERVICE_DB, else sqlite:///vetservice.db).")),
)
@click.option(
    "--lang",
    type=click.Choice(["zh", "en"]),
    default=_HELP_LANGUAGE,
    show_default=True,
    help=_h(N_("Language of messages and output.")),
)
@click.option(
    "--actor", help=_h(N_("Who is acting, for the audit log (default: the OS user)."))
)
@click.option(
    "--plugins",
    "plugin_specs",
    multiple=True,
    help=_h(
        N_("A plugin module or .py file to load (repeatable; also VETSERVICE_PLUGINS).")
    ),
)
@click.option(
    "--strict-plugins",
    is_flag=True,
    help=_h(N_("Treat any plugin failure as an error.")),
)
@click.option(
    "--as-of",
    type=click.DateTime(["%Y-%m-%d"]),
    help=_h(N_("The as-of date (default: today in Asia/Shanghai).")),
)
@click.option(
    "--show-pii", is_flag=True, help=_h(N_("Show id numbers and phones unmasked."))
)
@click.option(
    "--scope",
    envvar="VETSERVICE_SCOPE",
    metavar="UNIT_CODE",
    help=_h(N_("Limit every read to this unit's subtree.")),
)
@click.option(
    "--sensitive-periods",
    type=click.Path(exists=True, dir_okay=False),
    envvar="VETSERVICE_SENSITIVE_PERIODS",
    help=_h(
        N_(
            "A YAML file with the dates of the province's and city's Two Sessions "
            "and other changes to the sensitive periods."
        )
    ),
)
@click.option("--debug", is_flag=True, help=_h(N_("Show a traceback on errors.")))
@click.version_option(vs.__version__, prog_name="vetservice")
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


@cli.command(help=_h(N_("Create the database or upgrade it to the newest schema.")))
@pass_context
@handle_errors
def init(obj: Context) -> None:
    db = vs.init(obj.db_url)
    click.echo(gettext(N_("database ready: {url}")).format(url=db.url))


@cli.command(
    help=_h(N_("Build a demo database on a real hierarchy with generated records."))
)
@click.option(
    "--scale",
    type=click.Choice(["city", "province", "country"]),
    default="city",
    show_default=True,
    help=_h(
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
    help=_h(
        N_(
            "Multiply the generated records (not the units), e.g. 2, 4 or 10 for the benchmarks."
        )
    ),
)
@click.option(
    "--seed", type=int, default=0, show_default=True, help=_h(N_("Random seed."))
)
@pass_context
@handle_errors
def demo(obj: Context, scale: str, seed: int, rows: float) -> None:
    from vetservice.demo import build_demo

    db = obj.open()
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
    for kind, count in summary.counts.items():
        click.echo(f"{vs.KINDS[kind].label}\t{count}")
    click.echo(gettext(N_("demo database ready: {url}")).format(url=db.url))


@cli.command(
    help=_h(N_("Write a blank import file with Chinese headers and column notes."))
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
    "-o", "--output", type=click.Path(dir_okay=False), help=_h(N_("File to write."))
)
@handle_errors
def template(kind: str, fmt: str, output: str | None) -> None:
    from vetservice.i18n import get_language
    from vetservice.imports.templates import write_template

    record_kind = vs.domain.kind(kind)
    path = Path(output or f"{record_kind.name}.{fmt}")
    write_template(record_kind.name, path, lang=get_language())
    click.echo(gettext(N_("template written: {path}")).format(path=path))


def _echo_report(result: vs.ImportResult) -> None:
    for f in result.files:
        click.echo(f.summary().render())
    for warning in result.warnings:
        click.echo(
            gettext(N_("warning: {message}")).format(message=warning.render()), err=True
        )
    for problem in result.problems:
        click.echo(problem.render(), err=True)


@cli.command(
    "import",
    help=_h(
        N_(
            "Import records of KIND from CSV or XLSX files (KIND 'auto': from the file names)."
        )
    ),
)
@click.argument("kind")
@click.argument("files", nargs=-1, required=True, type=click.Path())
@click.option(
    "--skip-bad-rows",
    is_flag=True,
    help=_h(N_("Import the good rows and list the bad ones.")),
)
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]), hidden=True)
@pass_context
@handle_errors
def import_(
    obj: Context,
    kind: str,
    files: tuple[str, ...],
    skip_bad_rows: bool,
    today: dt.datetime | None,
) -> None:
    from vetservice.imports import guess_kind

    pairs = [(guess_kind(f) if kind == "auto" else kind, f) for f in files]
    result = obj.open().import_files(
        pairs, skip_bad_rows=skip_bad_rows, today=today.date() if today else None
    )
    _echo_report(result)
    if result.problems:
        sys.exit(1)


@cli.command(help=_h(N_("Remove the records of KIND whose keys FILE lists.")))
@click.argument("kind")
@click.argument("files", nargs=-1, required=True, type=click.Path())
@pass_context
@handle_errors
def delete(obj: Context, kind: str, files: tuple[str, ...]) -> None:
    _echo_report(obj.open().delete_file(kind, list(files)))


@cli.command(
    "export",
    help=_h(N_("Write a new SQLite database holding only one unit's subtree.")),
)
@click.option(
    "--scope",
    "unit",
    metavar="UNIT_CODE",
    help=_h(N_("The unit whose subtree is exported (default: the global --scope).")),
)
@click.argument("file", type=click.Path(dir_okay=False))
@pass_context
@handle_errors
def export(obj: Context, unit: str | None, file: str) -> None:
    counts = obj.open().export(file, unit)
    for kind, count in counts.items():
        click.echo(f"{vs.KINDS[kind].label}\t{count}")
    click.echo(gettext(N_("exported to {file}")).format(file=file))


@cli.command(
    "pg-scope",
    help=_h(
        N_(
            "PostgreSQL: hold a database role to one unit's subtree "
            "by row-level security (creates the role if needed)."
        )
    ),
)
@click.argument("role")
@click.option("--scope", "unit", required=True, metavar="UNIT_CODE")
@pass_context
@handle_errors
def pg_scope(obj: Context, role: str, unit: str) -> None:
    obj.open().grant_postgres_scope(role, unit)
    click.echo(
        gettext(N_("role {role} now reads only the subtree of {unit}")).format(
            role=role, unit=unit
        )
    )


@cli.command(help=_h(N_("Run the cross-record checks over the whole database.")))
@pass_context
@handle_errors
def validate(obj: Context) -> None:
    from vetservice_cli.reporting import _exit_on_failures

    db = obj.open()
    findings = db.validate()
    for finding in findings:
        click.echo(finding.render())
    click.echo(gettext(N_("{count} findings")).format(count=len(findings)))
    _exit_on_failures(db.plugins.failures)  # a broken county check is named, exit 1
    if findings:
        sys.exit(1)


@cli.command(
    help=_h(N_("Start the leaders' dashboard (Streamlit) on the same database."))
)
@click.option("--port", type=int, default=8501, show_default=True)
@pass_context
@handle_errors
def dashboard(obj: Context, port: int) -> None:
    import subprocess

    import vetservice_dashboard
    from vetservice.store import database_url

    app = Path(vetservice_dashboard.__file__).resolve().parent / "streamlit_app.py"
    env = {**os.environ, "VETSERVICE_DB": database_url(obj.db_url)}
    if obj.scope:
        env["VETSERVICE_SCOPE"] = obj.scope  # the dashboard reads within it
    if obj.as_of:
        env["VETSERVICE_AS_OF"] = obj.as_of.isoformat()
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(app),
        "--server.port",
        str(port),
        "--server.headless",
        "true",
        "--client.toolbarMode",
        "minimal",
    ]
    sys.exit(subprocess.call(command, env=env))


# The indicator and 考核 commands live in their own modules and register on import.
from vetservice_cli import admin, reporting, scoring, trust  # noqa: E402, F401

if __name__ == "__main__":  # pragma: no cover
    cli()
