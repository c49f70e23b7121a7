"""The public API: open a database, import, read back, validate.

>>> import vetservice as vs
>>> db = vs.open("sqlite:///vetservice.db")      # creates or upgrades
>>> db.import_file("veterans", "veterans.xlsx")  # doctest: +SKIP

:class:`Database` is put together from its parts: :mod:`~vetservice.api.core`
(engine, plugins, scope, reading), :mod:`~vetservice.api.writing` (imports,
checks, exports, audit log), :mod:`~vetservice.api.figures` (evaluations,
reports, scoring, snapshots), :mod:`~vetservice.api.accounts` (users, login)
and :mod:`~vetservice.api.reporting` (上报 status, schedule, sign-offs).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from vetservice import reports, store
from vetservice.api.accounts import Accounts
from vetservice.api.analysis import Analysis
from vetservice.api.core import save
from vetservice.api.figures import Figures
from vetservice.api.reporting import Merging
from vetservice.api.writing import Writing
from vetservice.indicators import Evaluation
from vetservice.plugins import Plugins, create_plugin_manager
from vetservice.reports.full import FullReport


class Database(Writing, Figures, Accounts, Merging, Analysis):
    """A vetservice database (SQLite file or PostgreSQL) and what can be done with it."""


def open(
    url: str | None = None,
    *,
    actor: str | None = None,
    plugins: Plugins | None = None,
    sensitive_periods: Mapping[str, Any] | str | Path | None = None,
    scope: str | None = None,
    create: bool = True,
) -> Database:
    """Open (creating or upgrading) the database at ``url``.

    ``url`` defaults to ``VETSERVICE_DB``, else ``sqlite:///vetservice.db``.
    An older SQLite file is upgraded after a copy is kept beside it; an older
    PostgreSQL schema raises :class:`~vetservice.errors.SchemaOutdatedError`.
    With ``create=False`` a missing SQLite file raises
    :class:`~vetservice.errors.NotFoundError` instead of becoming an empty
    database (the command line's read commands open this way).
    """
    engine = store.create_engine(url, create=create)
    store.ensure_schema(engine)
    db = Database(engine, actor=actor, plugins=plugins or create_plugin_manager())
    if sensitive_periods is not None:
        db.sensitive_config = sensitive_periods
    if scope is not None:
        db.scope = scope
        db.within_scope(scope)  # an unknown unit is refused now, not at the first read
    return db


def render(
    report: Evaluation | FullReport,
    fmt: str,
    path: str | Path | None = None,
    *,
    lang: str | None = None,
) -> str | bytes:
    """Render with the built-in and installed renderers (see :meth:`Database.render`)."""
    return save(reports.render(create_plugin_manager(), report, fmt, lang), path)


def init(url: str | None = None) -> Database:
    """Create the database or upgrade it to the newest schema, on any backend."""
    engine = store.create_engine(url)
    store.upgrade(engine)
    return Database(engine)


__all__ = ["Database", "init", "open", "render"]
