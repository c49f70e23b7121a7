"""Indicators: the type, the set-based engine, roll-up, targets and drill-through."""

from vetservice.indicators.engine import (
    Coverage,
    Evaluation,
    Explanation,
    Figure,
    IndicatorResult,
    LevelFigures,
    Shortfall,
    evaluate,
    evaluate_level,
    explain,
)
from vetservice.indicators.model import (
    AT_LEAST_ALL,
    NONE_AT_ALL,
    Area,
    Context,
    Indicator,
    Kind,
    Override,
    Status,
    Target,
)

__all__ = [
    "AT_LEAST_ALL",
    "NONE_AT_ALL",
    "Area",
    "Context",
    "Coverage",
    "Evaluation",
    "Explanation",
    "Figure",
    "Indicator",
    "IndicatorResult",
    "Kind",
    "LevelFigures",
    "Override",
    "Shortfall",
    "Status",
    "Target",
    "evaluate",
    "evaluate_level",
    "explain",
]
