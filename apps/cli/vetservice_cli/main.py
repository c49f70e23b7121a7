"""The ``vetservice`` command: the group with every command attached.

The group (:mod:`vetservice_cli.group`) holds the options all commands share;
each command module holds the commands of one job. Every command parses,
calls one library function and prints. Help and messages come from the
library's catalogue, in Chinese unless ``--lang en`` (or ``VETSERVICE_LANG=en``)
is given.

The command modules import only click and the message catalogue when they
load; the database, the report renderers, openpyxl and the rest load inside
the command that needs them, so ``vetservice --help`` starts fast.
"""

from __future__ import annotations

from vetservice_cli import (
    admin,
    browse,
    dashboard,
    demo,
    merge,
    overrides,
    records,
    refresh,
    reports,
    scoring,
    submissions,
    trust,
    users,
)
from vetservice_cli.group import cli

cli.add_command(overrides.overrides)
cli.add_command(refresh.refresh)
for command in (
    admin.init,
    demo.demo,
    records.template,
    records.import_,
    records.delete,
    browse.records,
    admin.export,
    admin.pg_scope,
    records.validate,
    dashboard.dashboard,
    reports.report,
    reports.explain,
    reports.indicators,
    admin.plugins,
    admin.backup,
    scoring.sheets,
    scoring.score,
    trust.audit,
    trust.snapshots,
    users.users,
    submissions.submissions,
    submissions.schedule,
    submissions.sign_off,
    submissions.reopen,
    merge.merge,
):
    cli.add_command(command)

__all__ = ["cli"]

if __name__ == "__main__":  # pragma: no cover
    cli()
