"""What every command shares: the context the group's options set, the help
language, error handling, plugin failures, and the --unit/--period options.

Light on purpose: ``vetservice --help`` imports this and every command module,
so the library's heavy parts (the database, the reports) are imported inside
the functions that need them.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import click

from vetservice.errors import ImportRejected, VetserviceError
from vetservice.i18n import N_, gettext

if TYPE_CHECKING:
    from vetservice.api import Database
    from vetservice.calendar import Period
    from vetservice.plugins import Failure, Plugins
    from vetservice.stored import FigureSet

F = TypeVar("F", bound=Callable[..., Any])

# Help is rendered when the modules load, so it follows VETSERVICE_LANG.
HELP_LANGUAGE = os.environ.get("VETSERVICE_LANG", "zh")
if HELP_LANGUAGE not in ("zh", "en"):
    HELP_LANGUAGE = "zh"


def h(msgid: str) -> str:
    """A help text in the help language."""
    return gettext(msgid, HELP_LANGUAGE)


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
        self._db: Database | None = None

    def plugin_manager(self) -> Plugins:
        """The built-in, installed and ``--plugins`` plugins, without a database."""
        from vetservice.plugins import create_plugin_manager

        manager = create_plugin_manager(
            plugins=self.plugins, strict=self.strict_plugins
        )
        # Likely mistakes (a hook without @hookimpl) are named, not fatal.
        for warning in manager.warnings:
            message = gettext(N_("plugin warning: {plugin}: {error}"))
            click.echo(
                message.format(plugin=warning.plugin, error=warning.error), err=True
            )
        return manager

    def open(self, *, create: bool = False) -> Database:
        """The database. Only the commands that fill one (init, demo, import)
        pass ``create``, and a new SQLite file is named on stderr; every other
        command refuses a missing file rather than read an empty new one."""
        if self._db is None:
            import vetservice as vs
            from vetservice.store.database import sqlite_file

            path = sqlite_file(self.db_url)
            new = create and path is not None and not path.exists()
            self._db = vs.open(
                self.db_url,
                actor=self.actor,
                plugins=self.plugin_manager(),
                sensitive_periods=self.sensitive_periods,
                scope=self.scope,
                create=create,
            )
            if new:
                announce_new_database(str(path))
        return self._db

    def unit_code(self, unit: str) -> str:
        """A --unit value, a code or a unique unit name, as a code in the scope."""
        return self.open().unit_code(unit)


def announce_new_database(path: str) -> None:
    click.echo(
        gettext(N_("created a new database: {path}")).format(path=path), err=True
    )


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
        except ImportRejected as e:
            for problem in e.problems:
                click.echo(problem.render(), err=True)
            fail(str(e))
        except VetserviceError as e:
            if debug:
                raise
            fail(gettext(N_("error: {message}")).format(message=e))

    return wrapper  # type: ignore[return-value]


def exit_on_failures(failures: Sequence[Failure]) -> None:
    """Name every plugin failure on stderr; the command then exits with 1."""
    for failure in failures:
        message = gettext(N_("plugin failure: {plugin} ({hook}): {error}"))
        click.echo(
            message.format(
                plugin=failure.plugin, hook=failure.hook, error=failure.error
            ),
            err=True,
        )
    if failures:
        sys.exit(1)


def unit_and_period(command: F) -> F:
    """The --unit and --period options every indicator command takes."""
    command = click.option(
        "--period",
        required=True,
        help=h(N_("A month 2026-11, a quarter 2026Q4 or a year 2026.")),
    )(command)
    return click.option(
        "--unit",
        required=True,
        help=h(N_("Code or unique name of the unit the report is for.")),
    )(command)


def echo_refreshed(period: Period, found: FigureSet, *, err: bool = False) -> None:
    """One line per period of stored figures made current (refresh, and the
    dashboard's figures after an import or the demo)."""
    text = (
        N_("{period} (as of {as_of}): computed in {seconds:.1f} s")
        if found.computed
        else N_("{period} (as of {as_of}): already current")
    )
    click.echo(
        gettext(text).format(
            period=period.label, as_of=period.as_of, seconds=found.seconds
        ),
        err=err,
    )
