"""Accounts (issue 19): Argon2 hashes, roles and scopes, logins that are
audited and rate-limited, sessions that end; the ``users`` commands."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

import vetservice as vs
from vetservice.accounts import LoginRefused, Session
from vetservice.accounts.users import MAX_FAILURES, WINDOW, authenticate
from vetservice.errors import ConfigurationError, NotFoundError, OutOfScopeError
from vetservice.store.schema import users as users_table
from vetservice.testing import BAOTA, CITY, SMALL_HIERARCHY, load_records
from vetservice_cli.main import cli

PASSWORD = "宝塔区填报员-2026"


@pytest.fixture
def db(db_url: str):
    with vs.open(db_url, actor="市管理员张") as database:
        load_records(database, {"units": SMALL_HIERARCHY})
        yield database


def test_a_password_is_kept_only_as_an_argon2_hash(db):
    assert not db.has_accounts()
    db.add_user("clerk1", role="clerk", scope=BAOTA, password=PASSWORD)
    assert db.has_accounts()
    with db.engine.connect() as conn:
        stored = conn.execute(sa.select(users_table.c.password_hash)).scalar_one()
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    entry = db.audit(command="users")[0]
    assert (entry.actor, entry.command) == ("市管理员张", "users add clerk1")
    assert PASSWORD not in str(entry.detail)


def test_roles_need_their_scope_and_passwords_their_length(db):
    with pytest.raises(ConfigurationError, match="scope"):
        db.add_user("leader1", role="leader", scope=None, password=PASSWORD)
    with pytest.raises(NotFoundError):
        db.add_user("leader1", role="leader", scope="999999999999", password=PASSWORD)
    with pytest.raises(ConfigurationError):
        db.add_user("leader1", role="boss", scope=BAOTA, password=PASSWORD)
    with pytest.raises(ConfigurationError):
        db.add_user("leader1", role="leader", scope=BAOTA, password="short")
    db.add_user("admin", role="admin", scope=None, password=PASSWORD)
    with pytest.raises(ConfigurationError):
        db.add_user("admin", role="admin", scope=None, password=PASSWORD)
    assert [(u.name, u.role, u.scope) for u in db.users()] == [("admin", "admin", None)]


def test_login_audits_each_attempt_and_holds_a_guessed_name(db):
    db.add_user("clerk1", role="clerk", scope=BAOTA, password=PASSWORD)
    session = db.login("clerk1", PASSWORD)
    assert (session.user.name, session.user.scope, session.user.can_write) == (
        "clerk1",
        BAOTA,
        True,
    )
    t0 = dt.datetime(2026, 12, 1, 2, 0, tzinfo=dt.UTC)
    for _ in range(MAX_FAILURES):
        with pytest.raises(LoginRefused, match="用户名或密码不对"):
            authenticate(db.engine, "clerk1", "guess", now=t0)
    # The sixth try is held, the right password too, for the window.
    with pytest.raises(LoginRefused, match="15 分钟"):
        authenticate(db.engine, "clerk1", PASSWORD, now=t0 + dt.timedelta(minutes=1))
    later = dt.datetime.now(dt.UTC) + WINDOW + dt.timedelta(minutes=1)
    assert authenticate(db.engine, "clerk1", PASSWORD, now=later).name == "clerk1"
    commands = [e.command for e in db.audit(actor="clerk1")]
    assert commands.count("login-failed") == MAX_FAILURES
    assert commands.count("login-held") == 1
    assert commands.count("login") == 2


def test_an_unknown_name_or_a_disabled_account_reads_the_same(db):
    db.add_user("clerk1", role="clerk", scope=BAOTA, password=PASSWORD)
    with pytest.raises(LoginRefused) as unknown:
        db.login("nobody", PASSWORD)
    db.set_user_enabled("clerk1", False)
    with pytest.raises(LoginRefused) as disabled:
        db.login("clerk1", PASSWORD)
    assert str(unknown.value) == str(disabled.value)
    db.set_user_enabled("clerk1", True)
    db.set_password("clerk1", "新的密码-足够长了-2026")
    with pytest.raises(LoginRefused):
        db.login("clerk1", PASSWORD)
    assert db.login("clerk1", "新的密码-足够长了-2026").user.role == "clerk"


def test_accounts_are_managed_without_a_scope_only(db_url, db):
    with vs.open(db_url, scope=BAOTA) as county, pytest.raises(OutOfScopeError):
        county.add_user("x", role="clerk", scope=BAOTA, password=PASSWORD)


def test_a_session_ends_when_idle_long_or_logged_out(db):
    db.add_user("leader1", role="leader", scope=CITY, password=PASSWORD)
    t0 = dt.datetime(2026, 12, 1, 1, 0, tzinfo=dt.UTC)
    user = db.login("leader1", PASSWORD).user
    session = Session.start(user, t0)
    assert session.touch(t0 + dt.timedelta(minutes=29))
    assert not session.touch(t0 + dt.timedelta(minutes=29 + 31))  # idle 31 minutes
    assert not session.touch(t0 + dt.timedelta(minutes=61))  # over for good
    busy = Session.start(user, t0)
    for minutes in range(20, 8 * 60, 20):
        assert busy.touch(t0 + dt.timedelta(minutes=minutes))
    assert not busy.touch(t0 + dt.timedelta(hours=8, minutes=1))
    fresh = db.login("leader1", PASSWORD)
    db.logout(fresh)
    assert fresh.expired() and not fresh.touch()
    assert db.audit(command="logout")[0].actor == "leader1"


def test_cli_users_read_the_password_from_stdin_never_an_argument(db_url, db):
    runner = CliRunner()
    result = runner.invoke(
        cli,
        [
            "--db",
            db_url,
            "--actor",
            "市管理员张",
            "users",
            "add",
            "clerk1",
            "--role",
            "clerk",
            "--scope",
            BAOTA,
            "--password-stdin",
        ],
        input=PASSWORD + "\n",
    )
    assert result.exit_code == 0, result.output
    assert db.login("clerk1", PASSWORD).user.scope == BAOTA
    refused = runner.invoke(
        cli, ["--db", db_url, "users", "passwd", "clerk1", "--password", "x" * 12]
    )
    assert refused.exit_code == 2 and "--password" in refused.output
    prompted = runner.invoke(
        cli,
        ["--db", db_url, "users", "passwd", "clerk1"],
        input="另一个密码-足够长-2026\n另一个密码-足够长-2026\n",
    )
    assert prompted.exit_code == 0, prompted.output
    assert db.login("clerk1", "另一个密码-足够长-2026").user.name == "clerk1"
    runner.invoke(
        cli,
        [
            "--db",
            db_url,
            "users",
            "role",
            "clerk1",
            "--role",
            "leader",
            "--scope",
            CITY,
        ],
    )
    runner.invoke(cli, ["--db", db_url, "users", "disable", "clerk1"])
    listed = runner.invoke(cli, ["--db", db_url, "users", "list"])
    assert listed.output.split("\t")[:3] == ["clerk1", "leader", CITY]
    assert "停用" in listed.output


def test_an_identity_providers_login_maps_to_the_account_of_that_name(db):
    db.add_user("li@baota.example.gov.cn", role="clerk", scope=BAOTA, password=PASSWORD)
    session = db.login_external("li@baota.example.gov.cn")
    assert (session.user.role, session.user.scope) == ("clerk", BAOTA)
    with pytest.raises(LoginRefused):
        db.login_external("stranger@example.gov.cn")
    db.set_user_enabled("li@baota.example.gov.cn", False)
    with pytest.raises(LoginRefused):
        db.login_external("li@baota.example.gov.cn")
    entries = db.audit(command="login")
    assert entries[-1].detail == {"via": "oidc"}
