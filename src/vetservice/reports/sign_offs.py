"""审核锁定 on a report: who signed the period off, and who reopened it.

A report of a unit for a period says, near its title, whether its figures
are signed off (at the unit or any unit above it) and every reopening of
them: "宝塔区本期数据已由 宝塔区领导 于 2026年11月20日 审核锁定",
"2026年11月22日 市管理员 重新开放宝塔区本期数据：补录八月走访". One statement
reads the sign-off record (``sign_offs``, issue 19) of the unit's chain.

For each unit of the chain the report keeps every reopening, and the
latest row when it is a sign-off (the period is locked): a period signed,
reopened and signed again shows the reopening and the second sign-off; one
signed and reopened shows the reopening only (it is open again).
"""

from __future__ import annotations

import datetime as dt

import attrs
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from vetservice.calendar.periods import CHINA
from vetservice.i18n import N_, gettext
from vetservice.reports.format import date_name
from vetservice.store import TABLES, reading, unit_closure
from vetservice.store.schema import sign_offs

SIGN = "sign"
REOPEN = "reopen"


@attrs.frozen
class SignOffLine:
    """One sign-off or reopening a report shows."""

    unit: str
    name: str  # the unit's name
    action: str  # sign, reopen
    at: dt.datetime  # aware
    actor: str
    note: str | None = None

    @property
    def day(self) -> dt.date:
        """The day in China (where the period is kept)."""
        return self.at.astimezone(CHINA).date()

    def text(self, lang: str) -> str:
        """The line a reader sees, in ``lang``."""
        day = date_name(self.day, lang)
        if self.action == SIGN:
            msgid = N_(
                "the figures of {unit} for this period were signed off by {actor} on {date}"
            )
        elif self.note:
            msgid = N_(
                "{date}: {actor} reopened the figures of {unit} for this period: {note}"
            )
        else:
            msgid = N_("{date}: {actor} reopened the figures of {unit} for this period")
        text = gettext(msgid, lang).format(
            unit=self.name, actor=self.actor, date=day, note=self.note or ""
        )
        return text[:1].upper() + text[1:] if lang != "zh" else text

    def as_json(self, lang: str) -> dict[str, str | None]:
        return {
            "unit": self.unit,
            "name": self.name,
            "action": self.action,
            "actor": self.actor,
            "at": self.at.astimezone(CHINA).isoformat(timespec="seconds"),
            "note": self.note,
            "text": self.text(lang),
        }


def _aware(value: dt.datetime) -> dt.datetime:
    # SQLite hands back naive datetimes; they were written in UTC.
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)


def sign_off_lines(engine: Engine, unit: str, period: str) -> list[SignOffLine]:
    """The sign-offs and reopenings of ``period`` (its label, "2026Q3") a
    report of ``unit`` shows: at the unit and above it, oldest first."""
    units = TABLES["units"]
    query = (
        sa.select(
            sign_offs.c.unit_code,
            units.c.name,
            sign_offs.c.action,
            sign_offs.c.at,
            sign_offs.c.actor,
            sign_offs.c.note,
        )
        .join(unit_closure, unit_closure.c.ancestor == sign_offs.c.unit_code)
        .outerjoin(units, units.c.code == sign_offs.c.unit_code)
        .where(unit_closure.c.descendant == unit, sign_offs.c.period == period)
        .order_by(sign_offs.c.id)
    )
    with reading(engine) as conn:
        rows = conn.execute(query).all()
    latest = {row.unit_code: index for index, row in enumerate(rows)}
    return [
        SignOffLine(
            row.unit_code,
            row.name or row.unit_code,
            row.action,
            _aware(row.at),
            row.actor,
            row.note,
        )
        for index, row in enumerate(rows)
        if row.action == REOPEN or (row.action == SIGN and latest[row.unit_code] == index)
    ]
