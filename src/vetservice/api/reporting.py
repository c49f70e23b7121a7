"""上报 and 审核锁定 on a database: submissions, status, schedule, sign-offs."""

from __future__ import annotations

import datetime as dt

from vetservice import reporting
from vetservice.api.core import DatabaseCore
from vetservice.calendar import Period
from vetservice.errors import OutOfScopeError
from vetservice.i18n import N_
from vetservice.store import reading


class Reporting(DatabaseCore):
    """Who has sent which ledger for a period, and which periods are locked."""

    def submission_status(
        self, unit: str, period: str, *, as_of: dt.date | None = None
    ) -> reporting.Status:
        """For ``period``: every ledger the schedule expects from the units of
        ``unit``'s subtree (within the scope), sent or not, and when; its
        ``missing`` is the 催报 list."""
        code = self.unit_code(unit)
        return reporting.status(self.engine, period, scope=code, as_of=as_of)

    def submissions(self, period: str | None = None) -> list[reporting.Submission]:
        """The submissions (of one period), newest first, within the scope."""
        return reporting.submissions(self.engine, period=period, scope=self.scope)

    def schedule(self) -> list[reporting.ScheduleItem]:
        with reading(self.engine) as conn:
            return reporting.schedule(conn)

    def set_schedule(
        self, kind: str, level: str, frequency: str | None, deadline_day: int = 5
    ) -> None:
        """Expect ``kind`` from each unit at ``level`` monthly or quarterly
        (None: no longer), due by ``deadline_day`` of the month after. Audited."""
        if self.scope is not None:
            raise OutOfScopeError(
                N_("the schedule covers the whole database; open it without a scope")
            )
        reporting.set_schedule(
            self.engine, kind, level, frequency, deadline_day, actor=self.actor
        )

    def sign_off(
        self, unit: str, period: str, note: str | None = None
    ) -> reporting.SignOff:
        """Lock ``unit``'s ``period`` (in the scope): afterwards an import or
        delete that would change a figure of the subtree for the period is
        refused, naming who signed and when. Audited."""
        code = self.unit_code(unit)
        Period.parse(period)
        return reporting.sign_off(
            self.engine, code, period, actor=self.actor, note=note
        )

    def reopen(
        self, unit: str, period: str, note: str | None = None
    ) -> reporting.SignOff:
        """Unlock a signed-off period. Only without a scope (the city). Audited."""
        if self.scope is not None:
            raise OutOfScopeError(
                N_("only the city's administrator reopens a signed-off period")
            )
        code = self.unit_code(unit)
        return reporting.reopen(self.engine, code, period, actor=self.actor, note=note)

    def sign_offs(
        self, unit: str | None = None, period: str | None = None
    ) -> list[reporting.SignOff]:
        """The sign-off record (signs and reopenings), oldest first."""
        code = self.unit_code(unit) if unit is not None else self.scope
        label = Period.parse(period).label if period is not None else None
        with reading(self.engine) as conn:
            return reporting.sign_offs(conn, code, label)
