"""The figures store: every indicator at every unit, computed once per period
and kept in the database, under the data version and the definitions it was
computed from (see ``docs/architecture.md``, 指标数据存储).

:func:`figure_set` gives the current set of a period (computing it when it
is missing); the engine reads figures from it (``evaluate(..., stored=…)``).
"""

from vetservice.stored.keys import data_version, definitions_digest
from vetservice.stored.sets import (
    FigureSet,
    Key,
    Sets,
    comparisons,
    default_period,
    figure_set,
    refresh,
    report_periods,
    stored_set,
)

__all__ = [
    "FigureSet",
    "Key",
    "Sets",
    "comparisons",
    "data_version",
    "default_period",
    "definitions_digest",
    "figure_set",
    "refresh",
    "report_periods",
    "stored_set",
]
