"""Accounts: who may log in to a city's dashboard, with which role and scope.

Passwords are kept only as Argon2 hashes (argon2-cffi, never hand-written
crypto); failed logins are audited and rate-limited; every change to an
account is audited with the person who made it.
"""

from __future__ import annotations

from vetservice.accounts.sessions import Session
from vetservice.accounts.users import (
    ROLES,
    LoginRefused,
    User,
    add_user,
    authenticate,
    authenticate_external,
    has_accounts,
    list_users,
    set_enabled,
    set_password,
    set_role,
    user,
)

__all__ = [
    "ROLES",
    "LoginRefused",
    "Session",
    "User",
    "add_user",
    "authenticate",
    "authenticate_external",
    "has_accounts",
    "list_users",
    "set_enabled",
    "set_password",
    "set_role",
    "user",
]
