"""考核 scoring sheets: lines, per-instance deductions, bonuses and vetoes, scored set-based."""

from vetservice.scoring.engine import (
    ItemScore,
    LineScore,
    Scoring,
    Sheets,
    Trace,
    UnitScore,
    check_sheet,
    collect_sheets,
    score,
    trace,
)
from vetservice.scoring.loader import load_sheet, parse_sheet
from vetservice.scoring.model import (
    Count,
    Item,
    ItemKind,
    Line,
    ScoringSheet,
    SheetError,
    VetoScope,
)

__all__ = [
    "Count",
    "Item",
    "ItemKind",
    "ItemScore",
    "Line",
    "LineScore",
    "Scoring",
    "ScoringSheet",
    "SheetError",
    "Sheets",
    "Trace",
    "UnitScore",
    "VetoScope",
    "check_sheet",
    "collect_sheets",
    "load_sheet",
    "parse_sheet",
    "score",
    "trace",
]
