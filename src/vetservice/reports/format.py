"""How figures read in a report: percentages to one decimal, money in yuan."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from vetservice.domain import KINDS
from vetservice.i18n import N_, Bilingual, gettext
from vetservice.indicators import Figure, Kind, Status, Target
from vetservice.indicators.grades import Grade


def figure_text(kind: Kind, figure: Figure, lang: str) -> str:
    """A figure's value as a report shows it ("<k" when withheld)."""
    if figure.suppressed:
        return f"<{figure.suppressed}"
    return value_text(kind, figure.value, lang)


def value_text(kind: Kind, value: Any, lang: str) -> str:
    if value is None:
        return gettext(N_("no data"), lang)
    if kind in (Kind.COMPLIANCE, Kind.RATIO):
        return f"{float(value) * 100:.1f}%"
    if kind is Kind.MONEY:
        return f"{Decimal(value):,.2f}"
    return f"{int(value):,}"


def points_text(points: Decimal) -> str:
    """考核 points without trailing zeros: 10.0 → "10", 10.50 → "10.5"."""
    text = f"{points.normalize():f}"
    return "0" if text == "-0" else text


def fraction_text(kind: Kind, figure: Figure) -> str:
    if figure.suppressed and kind in (Kind.COMPLIANCE, Kind.RATIO):
        return f"<{figure.suppressed}"
    if kind in (Kind.COMPLIANCE, Kind.RATIO):
        return f"{figure.numerator}/{figure.denominator}"
    return ""


def target_text(kind: Kind, target: Target | None, lang: str) -> str:
    if target is None:
        return "—"
    return target.describe(kind)


def status_text(status: Status, lang: str) -> str:
    return status.display(lang)


# Drill-through columns the engine adds, beside the record fields.
_FACT_COLUMNS = {
    "unit_code": Bilingual("单位代码", "unit_code"),
    "unit_name": Bilingual("单位名称", "unit_name"),
    "numerator": Bilingual("计入分子", "numerator"),
    "denominator": Bilingual("计入分母", "denominator"),
    "month": Bilingual("月份", "month"),
}


def column_label(column: str, lang: str) -> str:
    """A drill-through column's header: the record field's Chinese name when there is one."""
    if column in _FACT_COLUMNS:
        return _FACT_COLUMNS[column].render(lang)
    if lang == "zh":
        # Veterans first: a fact's ``name`` is a person's 姓名 more often than a unit's 名称.
        kinds = sorted(KINDS.values(), key=lambda k: k.name != "veterans")
        for kind in kinds:
            for field in kind.fields:
                if field.name == column:
                    return field.zh
    return column


_QUARTERS = "一二三四"


def period_name(kind: str, year: int, number: int, lang: str) -> str:
    """ "2026年第三季度", "2026年11月", "2026年" (the label "2026Q3" is for files and JSON)."""
    if lang != "zh":
        if kind == "quarter":
            return f"Q{number} {year}"
        return f"{year}-{number:02d}" if kind == "month" else str(year)
    if kind == "quarter":
        return f"{year}年第{_QUARTERS[number - 1]}季度"
    if kind == "month":
        return f"{year}年{number}月"
    return f"{year}年"


def date_name(day: dt.date, lang: str) -> str:
    """ "2026年11月28日" (公文 dates in Arabic numerals, GB/T 9704-2012 §7.3.5.1)."""
    if lang != "zh":
        return day.isoformat()
    return f"{day.year}年{day.month}月{day.day}日"


def grade_text(grade: Grade, lang: str) -> str:
    return grade.display(lang)


GRADE_MARKS = {
    Grade.GREEN: "🟢",
    Grade.YELLOW: "🟡",
    Grade.RED: "🔴",
    Grade.NO_TARGET: "",
    Grade.NO_DATA: "⚪",
    Grade.FAILED: "⚠️",
}
