"""红黄绿: how far a figure is from its target, graded for a leader.

A figure with a target is 绿 (达标, met), 黄 (接近, short but within the
target's band) or 红 (未达标, further off). The band is the target's own
(:attr:`Target.band`), so an indicator declares it and an override changes it
for a subtree like the target itself; without one it is :data:`DEFAULT_BAND`:
10 percentage points for ratios, 10 % of the target (90 % of it reached) for
counts and money. Figures without a target, without data or whose
computation failed keep those grades, so a set of figures always adds up:
达标 + 接近 + 未达标 + 无目标 + 无数据 + 计算失败 = all of them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from decimal import Decimal

from vetservice.domain.labels import LabelledEnum
from vetservice.i18n import get_language
from vetservice.indicators.model import Kind, Status, Target
from vetservice.indicators.results import Figure

DEFAULT_BAND = 0.10

# Float noise ("0.9 >= 1.0 - 0.1" is False in binary) must not turn 黄 into 红.
_EPSILON = 1e-9


class Grade(LabelledEnum):
    GREEN = "green", "达标"
    YELLOW = "yellow", "接近"
    RED = "red", "未达标"
    NO_TARGET = "no_target", "无目标"
    NO_DATA = "no_data", "无数据"
    FAILED = "failed", "计算失败"

    def display(self, lang: str | None = None) -> str:
        """达标/接近/未达标… in Chinese; "met", "close", "not met"… otherwise."""
        if (lang or get_language()) == "zh":
            return self.label
        value: str = self._value_
        return _ENGLISH.get(value, value.replace("_", " "))


_ENGLISH = {"green": "met", "yellow": "close", "red": "not met"}


# The order a leader reads them in, worst first where it matters.
ORDER = (
    Grade.GREEN,
    Grade.YELLOW,
    Grade.RED,
    Grade.NO_TARGET,
    Grade.NO_DATA,
    Grade.FAILED,
)

_BY_STATUS = {
    Status.MET: Grade.GREEN,
    Status.NO_TARGET: Grade.NO_TARGET,
    Status.NO_DATA: Grade.NO_DATA,
    Status.FAILED: Grade.FAILED,
}


def _is_ratio(kind: Kind) -> bool:
    return kind in (Kind.COMPLIANCE, Kind.RATIO)


def band_of(target: Target) -> float:
    return DEFAULT_BAND if target.band is None else target.band


def distance(
    kind: Kind, value: float | int | Decimal | None, target: Target | None
) -> float:
    """How far ``value`` is on the wrong side of ``target``: percentage points
    as a fraction for ratios (0.25 = 25 个百分点), a share of the target for
    counts and money (a count target of 0 counts each unit over as 1.0);
    0 when met or when there is nothing to compare."""
    if value is None or target is None or target.met(value):
        return 0.0
    have, want = float(value), float(target.value)
    if target.op in (">=", ">"):
        off = want - have
    elif target.op in ("<=", "<"):
        off = have - want
    else:
        off = abs(have - want)
    if _is_ratio(kind):
        return max(off, 0.0)
    return max(off, 0.0) / abs(want) if want else max(off, 0.0)


def grade(
    kind: Kind,
    status: Status,
    value: float | int | Decimal | None,
    target: Target | None,
) -> Grade:
    """The 红黄绿 grade of a figure whose engine status is ``status``."""
    if status is not Status.NOT_MET:
        return _BY_STATUS[status]
    assert target is not None and value is not None  # NOT_MET has both
    band = band_of(target)
    if _is_ratio(kind) or target.value:
        return (
            Grade.YELLOW
            if distance(kind, value, target) <= band + _EPSILON
            else Grade.RED
        )
    # A count target of 0 ("no overdue petitions") has no room short of it.
    return Grade.RED


def figure_grade(kind: Kind, figure: Figure) -> Grade:
    """The grade of a computed figure; a withheld one (``suppressed``) has no
    value to grade, and its grade would tell, so it is graded without data."""
    if figure.suppressed:
        return grade(kind, Status.NO_DATA, None, figure.target)
    return grade(kind, figure.status, figure.value, figure.target)


def counts(grades: Iterable[Grade]) -> dict[Grade, int]:
    """How many of each grade, every grade present (0 when none)."""
    found = Counter(grades)
    return {g: found[g] for g in ORDER}
