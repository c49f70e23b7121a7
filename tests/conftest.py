"""Shared fixtures: a fresh database on SQLite and, where reachable, PostgreSQL.

PostgreSQL tests use ``VETSERVICE_TEST_PG`` (default: the local server's
``test`` database) and a schema of their own per test. Without a server they
are skipped with the reason, except under CI (``CI=true``) where they fail.
Shared test data is in ``tests/fixtures`` (imported as ``fixtures``) and, for
what county plugins' tests can use too, in ``vetservice.testing``.
"""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

import vetservice as vs
from vetservice.i18n import set_language

PG_URL = os.environ.get(
    "VETSERVICE_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


def _pg_reason() -> str | None:
    try:
        engine = sa.create_engine(PG_URL, connect_args={"connect_timeout": 3})
        with engine.connect():
            pass
        engine.dispose()
    except Exception as e:  # any failure to reach the server means skip
        return f"PostgreSQL not reachable at {PG_URL}: {e.__class__.__name__}"
    return None


_PG_UNAVAILABLE = _pg_reason()


@pytest.fixture(autouse=True)
def _chinese_by_default() -> Iterator[None]:
    set_language("zh")
    yield
    set_language("zh")


@pytest.fixture(autouse=True)
def _only_built_in_plugins(monkeypatch: pytest.MonkeyPatch) -> None:
    """The core's tests measure the built-ins; installed county plugins (such as
    the 宝塔区 example, which changes a target) stay out unless a test adds them."""
    monkeypatch.setenv("VETSERVICE_DISABLE_PLUGIN_AUTOLOAD", "1")


@contextlib.contextmanager
def pg_schema() -> Iterator[str]:
    """A URL to an empty schema of its own on the PostgreSQL server, dropped
    afterwards; skips (fails under CI) when the server cannot be reached.
    For fixtures of any scope (a module's dashboard server uses it too)."""
    if _PG_UNAVAILABLE:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI needs PostgreSQL: {_PG_UNAVAILABLE}")
        pytest.skip(_PG_UNAVAILABLE)
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(PG_URL)
    with admin.begin() as conn:
        conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
    separator = "&" if "?" in PG_URL else "?"
    try:
        yield f"{PG_URL}{separator}options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as conn:
            conn.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
        admin.dispose()


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A URL to an empty schema of its own on the PostgreSQL server."""
    with pg_schema() as url:
        yield url


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{(tmp_path / 'vetservice.db').as_posix()}"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)])
def db_url(request: pytest.FixtureRequest) -> str:
    """The URL of an empty database, once on SQLite and once on PostgreSQL."""
    name = "sqlite_url" if request.param == "sqlite" else "pg_url"
    return str(request.getfixturevalue(name))


@pytest.fixture
def db(db_url: str) -> Iterator[vs.Database]:
    database = vs.open(db_url, actor="tester")
    yield database
    database.close()
