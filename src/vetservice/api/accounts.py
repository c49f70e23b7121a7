"""Accounts on a database: users, roles and scopes, logging in and out."""

from __future__ import annotations

from vetservice import accounts
from vetservice.api.core import DatabaseCore
from vetservice.errors import OutOfScopeError
from vetservice.i18n import N_
from vetservice.store import transaction
from vetservice.store.audit_rows import write_audit


class Accounts(DatabaseCore):
    """Who may log in, with which role and scope. Managing accounts needs
    the whole database (no scope); each change is audited with the actor."""

    def _whole(self) -> None:
        if self.scope is not None:
            raise OutOfScopeError(
                N_("accounts cover the whole database; open it without a scope")
            )

    def has_accounts(self) -> bool:
        return accounts.has_accounts(self.engine)

    def users(self) -> list[accounts.User]:
        self._whole()
        return accounts.list_users(self.engine)

    def add_user(
        self, name: str, *, role: str, scope: str | None, password: str
    ) -> accounts.User:
        """A new account (``role`` admin, clerk or leader; ``scope`` a unit code)."""
        self._whole()
        return accounts.add_user(
            self.engine,
            name,
            role=role,
            scope=scope,
            password=password,
            actor=self.actor,
        )

    def set_user_enabled(self, name: str, enabled: bool) -> None:
        self._whole()
        accounts.set_enabled(self.engine, name, enabled, actor=self.actor)

    def set_password(self, name: str, password: str) -> None:
        self._whole()
        accounts.set_password(self.engine, name, password, actor=self.actor)

    def set_role(self, name: str, role: str, scope: str | None) -> None:
        self._whole()
        accounts.set_role(self.engine, name, role, scope, actor=self.actor)

    def login(self, name: str, password: str) -> accounts.Session:
        """A session for the user, or :class:`~vetservice.accounts.LoginRefused`
        (audited, rate-limited: see :func:`vetservice.accounts.authenticate`)."""
        return accounts.Session.start(
            accounts.authenticate(self.engine, name, password)
        )

    def login_external(self, name: str, provider: str = "oidc") -> accounts.Session:
        """A session for the account an identity provider vouches for (see
        :func:`vetservice.accounts.authenticate_external`)."""
        return accounts.Session.start(
            accounts.authenticate_external(self.engine, name, provider)
        )

    def logout(self, session: accounts.Session, *, expired: bool = False) -> None:
        """End the session for good. Audited."""
        session.end()
        with transaction(self.engine) as conn:
            write_audit(
                conn,
                command="logout (expired)" if expired else "logout",
                actor=session.user.name,
            )
