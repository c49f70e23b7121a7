"""上报 and 审核锁定: submissions, the schedule, status and reminders, and
sign-offs that lock a unit's period; the guards every write goes through."""

from __future__ import annotations

from vetservice.reporting.locks import (
    SignOff,
    active_locks,
    reopen,
    sign_off,
    sign_offs,
    write_guards,
)
from vetservice.reporting.status import (
    ScheduleItem,
    Status,
    Submission,
    record_submissions,
    schedule,
    set_schedule,
    status,
    submissions,
)

__all__ = [
    "ScheduleItem",
    "SignOff",
    "Status",
    "Submission",
    "active_locks",
    "record_submissions",
    "reopen",
    "schedule",
    "set_schedule",
    "sign_off",
    "sign_offs",
    "status",
    "submissions",
    "write_guards",
]
