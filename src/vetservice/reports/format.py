"""How figures read in a report: percentages to one decimal, money in yuan."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from vetservice.i18n import N_, gettext
from vetservice.indicators import Figure, Kind, Status, Target


def value_text(kind: Kind, value: Any, lang: str) -> str:
    if value is None:
        return gettext(N_("no data"), lang)
    if kind in (Kind.COMPLIANCE, Kind.RATIO):
        return f"{float(value) * 100:.1f}%"
    if kind is Kind.MONEY:
        return f"{Decimal(value):,.2f}"
    return f"{int(value):,}"


def fraction_text(kind: Kind, figure: Figure) -> str:
    if kind in (Kind.COMPLIANCE, Kind.RATIO):
        return f"{figure.numerator}/{figure.denominator}"
    return ""


def target_text(kind: Kind, target: Target | None, lang: str) -> str:
    if target is None:
        return "—"
    return target.describe(kind)


def status_text(status: Status, lang: str) -> str:
    return status.display(lang)


MARKS = {
    Status.MET: "✅",
    Status.NOT_MET: "❌",
    Status.NO_DATA: "⚪",
    Status.NO_TARGET: "",
    Status.FAILED: "⚠️",
}
