"""What a stored set of figures is keyed by: the data version and the definitions.

The data version moves with every write to the records: the newest import,
delete, merge or change of the 上报 schedule in the audit log (written in
the same transaction as the rows) and the highest row id of every record
table and of the 上报 submissions (the demo and any loader that adds rows
without the importer). On PostgreSQL the role is part of it, since
row-level security shows each role other rows. A record changed by hand in
SQL, outside vetservice, is not seen: ``vetservice refresh --recompute``.

The definitions digest moves with the plugin set and what it registers: each
indicator's id, plugin, kind, parameters, scope and target, the code of its
facts query and the source file it comes from, and every override.
"""

from __future__ import annotations

import hashlib
import inspect
import os
import types
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from vetservice.indicators.model import Indicator, Override
from vetservice.store import TABLES, audit_log, metadata
from vetservice.store.schema import HISTORY
from vetservice.version import __version__

# Audit commands (first word) that change what indicators read; exports,
# backups, reveals, sign-offs and logins do not. Imports and deletes count
# only when they changed a row: sending the same ledger again keeps the
# stored figures.
WRITES = ("import", "delete", "merge", "schedule")
COUNTED_WRITES = ("import", "delete")
# Tables indicators read besides the record tables, whose new rows count.
READ_TOO = ("submissions",)


def data_version(conn: Connection) -> str:
    """A short digest that changes whenever the records do (one statement)."""
    command, log = audit_log.c.command, audit_log.c

    def named(words: tuple[str, ...]) -> sa.ColumnElement[bool]:
        return sa.or_(command.in_(words), *(command.like(f"{w} %") for w in words))

    changed = log.added + log.updated + log.deleted > 0
    newest_write = (
        sa.select(sa.func.max(audit_log.c.id))
        .where(
            named(WRITES),
            sa.or_(sa.not_(named(COUNTED_WRITES)), changed),
        )
        .scalar_subquery()
    )
    tables = [table for _, table in sorted(TABLES.items())]
    tables += [table for _, table in sorted(HISTORY.items())]
    tables += [metadata.tables[n] for n in READ_TOO if n in metadata.tables]
    highest = [sa.select(sa.func.max(t.c.id)).scalar_subquery() for t in tables]
    parts: list[Any] = list(conn.execute(sa.select(newest_write, *highest)).one())
    if conn.dialect.name == "postgresql":
        parts.append(conn.scalar(sa.text("SELECT current_user")))
    return digest(repr(parts))


def definitions_digest(
    registry: Mapping[str, tuple[str, Indicator]], overrides: Iterable[Override]
) -> str:
    """A short digest of the indicators and overrides the figures come from."""
    parts: list[str] = [__version__]
    for indicator_id, (plugin, indicator) in sorted(registry.items()):
        parts.append(
            repr(
                (
                    indicator_id,
                    plugin,
                    indicator.kind.value,
                    sorted((k, repr(v)) for k, v in indicator.parameters.items()),
                    indicator.scope,
                    indicator.target,
                    _code_of(indicator.facts),
                )
            )
        )
    for o in sorted(overrides, key=lambda o: (o.indicator, o.unit)):
        parts.append(
            repr(
                (
                    o.indicator,
                    o.unit,
                    sorted((k, repr(v)) for k, v in o.parameters.items()),
                    o.target,
                )
            )
        )
    return digest("\n".join(parts))


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


_FILES: dict[tuple[str, int, int], str] = {}


def _file_digest(path: str | None) -> str:
    """The digest of a source file, read once per change of its size or time."""
    if not path:
        return ""
    try:
        stat = os.stat(path)
    except OSError:
        return ""
    key = (path, stat.st_mtime_ns, stat.st_size)
    if key not in _FILES:
        with open(path, "rb") as f:
            _FILES[key] = hashlib.sha256(f.read()).hexdigest()
    return _FILES[key]


def _code_of(function: Any) -> str:
    """The facts function's code and its file: an edited plugin is a new definition
    even when its version number stayed the same."""
    target = inspect.unwrap(function)
    code = getattr(target, "__code__", None)
    try:
        source = inspect.getsourcefile(target)
    except TypeError:
        source = None
    closure = getattr(target, "__closure__", None) or ()
    values = [_plain(cell.cell_contents) for cell in closure if _filled(cell)]
    body = "" if code is None else "".join(_code_parts(code))
    return digest(
        f"{getattr(target, '__module__', '')}.{getattr(target, '__qualname__', '')}"
        f"|{body}|{values!r}|{_file_digest(source)}"
    )


def _code_parts(code: types.CodeType) -> Iterator[str]:
    yield code.co_code.hex()
    yield repr(code.co_names)
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            yield from _code_parts(const)
        else:
            yield repr(const)


def _filled(cell: Any) -> bool:
    try:
        cell.cell_contents  # noqa: B018 - an empty cell raises
    except ValueError:
        return False
    return True


def _plain(value: Any) -> str:
    """A closure value as text that is the same in every process (no addresses)."""
    if value is None or isinstance(value, str | int | float | bool):
        return repr(value)
    if isinstance(value, tuple | list | frozenset | set):
        return repr(sorted(_plain(v) for v in value))
    if isinstance(value, Mapping):
        return repr(sorted((_plain(k), _plain(v)) for k, v in value.items()))
    if callable(value) and hasattr(value, "__code__"):
        return _code_of(value)
    return type(value).__qualname__
