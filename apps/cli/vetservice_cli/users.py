"""Accounts: ``vetservice users add|list|disable|enable|passwd|role``.

A password is read from a hidden prompt (asked twice) or, with
``--password-stdin``, from the first line of standard input; never from an
argument, which would stay in the shell's history and the process list.
"""

from __future__ import annotations

import sys

import click

from vetservice.i18n import N_, gettext
from vetservice_cli.common import Context, h, handle_errors, pass_context

ROLE = click.Choice(["admin", "clerk", "leader"])


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return str(
        click.prompt(gettext(N_("Password")), hide_input=True, confirmation_prompt=True)
    )


_stdin = click.option(
    "--password-stdin",
    is_flag=True,
    help=h(N_("Read the password from the first line of standard input.")),
)


@click.group(help=h(N_("Accounts of the dashboard: add, list, disable, change.")))
def users() -> None:
    pass


@users.command(
    "add",
    help=h(
        N_(
            "Add the account NAME: admin (the city's administrator), clerk or leader, "
            "with the unit whose subtree it sees."
        )
    ),
)
@click.argument("name")
@click.option("--role", type=ROLE, required=True)
@click.option(
    "--scope",
    "unit_scope",
    metavar="CODE",
    help=h(N_("Code of the unit whose subtree the account sees (admin: optional).")),
)
@_stdin
@pass_context
@handle_errors
def add(
    obj: Context, name: str, role: str, unit_scope: str | None, password_stdin: bool
) -> None:
    added = obj.open().add_user(
        name, role=role, scope=unit_scope, password=_password(password_stdin)
    )
    click.echo(
        gettext(N_("account {name} added: {role}, scope {scope}")).format(
            name=added.name, role=added.role, scope=added.scope or "—"
        )
    )


@users.command("list", help=h(N_("List the accounts: name, role, scope, state.")))
@pass_context
@handle_errors
def list_(obj: Context) -> None:
    for u in obj.open().users():
        state = gettext(N_("disabled")) if u.disabled else gettext(N_("enabled"))
        click.echo(f"{u.name}\t{u.role}\t{u.scope or '—'}\t{state}")


@users.command(help=h(N_("Disable the account NAME: it can no longer log in.")))
@click.argument("name")
@pass_context
@handle_errors
def disable(obj: Context, name: str) -> None:
    obj.open().set_user_enabled(name, False)
    click.echo(gettext(N_("account {name} disabled")).format(name=name))


@users.command(help=h(N_("Enable the account NAME again.")))
@click.argument("name")
@pass_context
@handle_errors
def enable(obj: Context, name: str) -> None:
    obj.open().set_user_enabled(name, True)
    click.echo(gettext(N_("account {name} enabled")).format(name=name))


@users.command(help=h(N_("Set a new password for the account NAME.")))
@click.argument("name")
@_stdin
@pass_context
@handle_errors
def passwd(obj: Context, name: str, password_stdin: bool) -> None:
    obj.open().set_password(name, _password(password_stdin))
    click.echo(gettext(N_("password of {name} changed")).format(name=name))


@users.command(help=h(N_("Give the account NAME a new role and scope.")))
@click.argument("name")
@click.option("--role", type=ROLE, required=True)
@click.option("--scope", "unit_scope", metavar="CODE")
@pass_context
@handle_errors
def role(obj: Context, name: str, role: str, unit_scope: str | None) -> None:
    obj.open().set_role(name, role, unit_scope)
    click.echo(
        gettext(N_("account {name} is now {role}, scope {scope}")).format(
            name=name, role=role, scope=unit_scope or "—"
        )
    )
