"""Records keyed by an id number sit in that veteran's unit."""

from __future__ import annotations

import sqlalchemy as sa

from vetservice.indicators.builtin.common import T

veterans = T["veterans"]

# The fact column holding a veteran's id number, masked in drill-through.
ID_PII = ("id_number",)


def with_veteran(table: sa.Table) -> sa.Join:
    """``table`` joined to its veteran, for the veteran's unit and name."""
    return table.join(veterans, veterans.c.id_number == table.c.id_number)
