"""Users: add, list, disable, change password or role; log in.

Roles: ``admin`` (市管理员: everything, reopens signed-off periods, manages
accounts), ``clerk`` (县区/乡镇填报员: uploads and reads the subtree),
``leader`` (领导: reads the subtree, signs its periods off). A clerk or a
leader has a scope (a unit code); an administrator may have none (the whole
database).
"""

from __future__ import annotations

import datetime as dt
import functools

import attrs
import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy.engine import Connection, Engine

from vetservice.errors import ConfigurationError, NotFoundError, VetserviceError
from vetservice.i18n import N_
from vetservice.store import TABLES, reading, transaction
from vetservice.store.audit_rows import write_audit
from vetservice.store.schema import audit_log, users

ROLES = ("admin", "clerk", "leader")
MIN_PASSWORD = 10
# Five wrong passwords for a name within 15 minutes hold it for the rest of
# the 15 minutes, right password or not (counted in the audit log).
MAX_FAILURES = 5
WINDOW = dt.timedelta(minutes=15)

_HASHER = PasswordHasher()


@functools.cache
def _dummy() -> str:
    """A hash verified when the name is unknown, so that a wrong name takes as
    long as a wrong password and does not tell which names exist. Made on the
    first login, not at import: hashing takes 0.1 s of every command."""
    return _HASHER.hash("not a password of anyone")


class LoginRefused(VetserviceError):
    """A login that did not succeed (the reason is not told apart)."""


@attrs.frozen
class User:
    name: str
    role: str
    scope: str | None
    disabled: bool = False

    @property
    def can_write(self) -> bool:
        return self.role in ("admin", "clerk")

    @property
    def can_sign(self) -> bool:
        return self.role in ("admin", "leader")

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


def _user(row: sa.Row[tuple[object, ...]] | None) -> User | None:
    if row is None:
        return None
    m = row._mapping
    return User(str(m["name"]), str(m["role"]), m["scope"], bool(m["disabled"]))


def has_accounts(engine: Engine) -> bool:
    """Whether any account exists (then the dashboard asks for a login)."""
    with reading(engine) as conn:
        return conn.scalar(sa.select(sa.func.count()).select_from(users)) != 0


def list_users(engine: Engine) -> list[User]:
    with reading(engine) as conn:
        rows = conn.execute(sa.select(users).order_by(users.c.name)).all()
    return [u for u in map(_user, rows) if u is not None]


def user(engine: Engine, name: str) -> User:
    with reading(engine) as conn:
        found = _user(
            conn.execute(sa.select(users).where(users.c.name == name)).first()
        )
    if found is None:
        raise NotFoundError(N_("no user called {name}"), name=name)
    return found


def _check_role(conn: Connection, role: str, scope: str | None) -> None:
    if role not in ROLES:
        raise ConfigurationError(
            N_("'{role}' is no role; choose admin, clerk or leader"), role=role
        )
    if scope is None:
        if role != "admin":
            raise ConfigurationError(
                N_("a clerk or a leader needs a scope: give --scope with a unit code")
            )
        return
    units = TABLES["units"]
    if conn.scalar(sa.select(units.c.code).where(units.c.code == scope)) is None:
        raise NotFoundError(N_("no unit with code {code}"), code=scope)


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise ConfigurationError(
            N_("a password needs at least {count} characters"), count=MIN_PASSWORD
        )


def add_user(
    engine: Engine,
    name: str,
    *,
    role: str,
    scope: str | None,
    password: str,
    actor: str | None,
) -> User:
    """A new account. Audited (never the password)."""
    name = name.strip()
    if not name:
        raise ConfigurationError(N_("a user needs a name"))
    _check_password(password)
    now = dt.datetime.now(dt.UTC)
    with transaction(engine) as conn:
        _check_role(conn, role, scope)
        if conn.scalar(sa.select(users.c.id).where(users.c.name == name)) is not None:
            raise ConfigurationError(
                N_("a user called {name} exists already"), name=name
            )
        conn.execute(
            users.insert().values(
                name=name,
                role=role,
                scope=scope,
                password_hash=_HASHER.hash(password),
                disabled=False,
                created_at=now,
                password_changed_at=now,
            )
        )
        write_audit(
            conn,
            command=f"users add {name}",
            actor=actor,
            detail={"user": name, "role": role, "scope": scope},
        )
    return User(name, role, scope)


def _change(
    engine: Engine,
    name: str,
    command: str,
    actor: str | None,
    detail: dict[str, object],
    **values: object,
) -> None:
    with transaction(engine) as conn:
        if conn.scalar(sa.select(users.c.id).where(users.c.name == name)) is None:
            raise NotFoundError(N_("no user called {name}"), name=name)
        if "role" in values:
            _check_role(conn, str(values["role"]), values.get("scope"))  # type: ignore[arg-type]
        conn.execute(users.update().where(users.c.name == name).values(**values))
        write_audit(
            conn,
            command=f"users {command} {name}",
            actor=actor,
            detail={"user": name, **detail},
        )


def set_enabled(engine: Engine, name: str, enabled: bool, *, actor: str | None) -> None:
    """Disable an account (it can no longer log in) or enable it again. Audited."""
    _change(
        engine,
        name,
        "enable" if enabled else "disable",
        actor,
        {},
        disabled=not enabled,
    )


def set_password(
    engine: Engine, name: str, password: str, *, actor: str | None
) -> None:
    """A new password. Audited (never the password)."""
    _check_password(password)
    _change(
        engine,
        name,
        "passwd",
        actor,
        {},
        password_hash=_HASHER.hash(password),
        password_changed_at=dt.datetime.now(dt.UTC),
    )


def set_role(
    engine: Engine, name: str, role: str, scope: str | None, *, actor: str | None
) -> None:
    """A new role and scope. Audited."""
    _change(
        engine,
        name,
        "role",
        actor,
        {"role": role, "scope": scope},
        role=role,
        scope=scope,
    )


def _recent_failures(conn: Connection, name: str, now: dt.datetime) -> int:
    """Failed logins for ``name`` in the window, since its last good one."""
    since = now - WINDOW
    last_good = conn.scalar(
        sa.select(sa.func.max(audit_log.c.id)).where(
            audit_log.c.command == "login", audit_log.c.actor == name
        )
    )
    query = sa.select(sa.func.count()).where(
        audit_log.c.command == "login-failed",
        audit_log.c.actor == name,
        audit_log.c.at >= since,
    )
    if last_good is not None:
        query = query.where(audit_log.c.id > last_good)
    return int(conn.scalar(query) or 0)


def authenticate(
    engine: Engine, name: str, password: str, *, now: dt.datetime | None = None
) -> User:
    """The user, when the name and password are right and the account is
    enabled; otherwise :class:`LoginRefused` with the same words whatever
    was wrong. Each attempt is audited with the name as actor; after
    ``MAX_FAILURES`` failures in ``WINDOW`` the name is held until the
    window passes."""
    now = now or dt.datetime.now(dt.UTC)
    name = name.strip()
    with transaction(engine) as conn:
        if _recent_failures(conn, name, now) >= MAX_FAILURES:
            write_audit(conn, command="login-held", actor=name or "—")
            held = True
        else:
            held = False
            row = conn.execute(sa.select(users).where(users.c.name == name)).first()
            ok = _verify(row.password_hash if row is not None else _dummy(), password)
            found = _user(row)
            if ok and found is not None and not found.disabled:
                if row is not None and _HASHER.check_needs_rehash(row.password_hash):
                    conn.execute(
                        users.update()
                        .where(users.c.name == name)
                        .values(password_hash=_HASHER.hash(password))
                    )
                write_audit(conn, command="login", actor=name)
                return found
            write_audit(conn, command="login-failed", actor=name or "—")
    if held:
        raise LoginRefused(
            N_("too many wrong passwords for {name}; try again in {minutes} minutes"),
            name=name,
            minutes=int(WINDOW.total_seconds() // 60),
        )
    raise LoginRefused(N_("wrong user name or password"))


def authenticate_external(engine: Engine, name: str, provider: str) -> User:
    """The enabled account called ``name`` for a login an identity provider
    has already checked (Streamlit's OIDC ``st.login``: the account's name is
    the provider's e-mail or user name). Roles and scopes stay in vetservice.
    Audited; an unknown or disabled name is refused like a wrong password."""
    name = name.strip()
    with transaction(engine) as conn:
        found = _user(
            conn.execute(sa.select(users).where(users.c.name == name)).first()
        )
        if found is not None and not found.disabled:
            write_audit(conn, command="login", actor=name, detail={"via": provider})
            return found
        write_audit(
            conn, command="login-failed", actor=name or "—", detail={"via": provider}
        )
    raise LoginRefused(N_("wrong user name or password"))


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _HASHER.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False
