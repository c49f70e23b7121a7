"""Small-cell suppression for published tables: a count below k is shown as "<k".

A table of 1s and 2s can point at a person in a small village. With
``--min-cell k`` every count below k (and every ratio whose denominator is
below k, which would reveal as much) is withheld: its figures become empty
and the reports show "<k". Zero is not withheld: it names nobody.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import overload

import attrs

from vetservice.indicators import Evaluation, Figure, Kind
from vetservice.reports.full import FullReport


def _small(number: object, k: int) -> bool:
    return isinstance(number, int) and 0 < number < k


def suppress_figure(kind: Kind, figure: Figure, k: int) -> Figure:
    """``figure`` withheld when it (or its denominator) is a count below ``k``."""
    if kind is Kind.COUNT:
        small = _small(figure.numerator, k)
    elif kind in (Kind.RATIO, Kind.COMPLIANCE):
        small = _small(figure.denominator, k)
    else:
        small = False  # money is not a count of people
    if not small:
        return figure
    # Figure types its numerator as always there; a withheld one has none.
    return attrs.evolve(
        figure,
        numerator=None,  # type: ignore[arg-type]
        denominator=None,
        value=None,
        suppressed=k,
    )


def _all(
    kinds: Mapping[str, Kind], figures: Mapping[str, Mapping[str, Figure]], k: int
) -> dict[str, dict[str, Figure]]:
    return {
        indicator: {
            code: suppress_figure(kinds[indicator], figure, k)
            for code, figure in by_unit.items()
        }
        for indicator, by_unit in figures.items()
        if indicator in kinds
    }


@overload
def suppress_small_cells(report: FullReport, k: int) -> FullReport: ...
@overload
def suppress_small_cells(report: Evaluation, k: int) -> Evaluation: ...
def suppress_small_cells(
    report: Evaluation | FullReport, k: int
) -> Evaluation | FullReport:
    """The report with every small cell withheld (``k`` ≤ 1: unchanged)."""
    if k <= 1:
        return report
    if isinstance(report, FullReport):
        evaluation = _suppressed(report.evaluation, k)
        kinds = {i: r.indicator.kind for i, r in evaluation.results.items()}
        return attrs.evolve(
            report,
            evaluation=evaluation,
            previous=_all(kinds, report.previous, k),
            last_year=_all(kinds, report.last_year, k),
            year_to_date=_all(kinds, report.year_to_date, k),
            # 率先完成: the counts of a small child withheld, its day kept.
            first_done=[
                attrs.evolve(f, met=None, applicable=None)
                if _small(f.applicable, k)
                else f
                for f in report.first_done
            ],
        )
    return _suppressed(report, k)


def _suppressed(evaluation: Evaluation, k: int) -> Evaluation:
    results = {
        i: attrs.evolve(
            r,
            figures={
                code: suppress_figure(r.indicator.kind, f, k)
                for code, f in r.figures.items()
            },
        )
        for i, r in evaluation.results.items()
    }
    return attrs.evolve(evaluation, results=results)
