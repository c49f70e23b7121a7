"""The report's charts as Vega-Lite specifications, one for every output.

:func:`grade_bars` is the 附件3 chart: for each child unit, how many of its
targeted indicators are 达标, 接近, 未达标 or without data, worst first.
The specification is plain data: the dashboard hands it to Vega-Lite in
the browser, the HTML report embeds it as SVG and the Word report as PNG,
both drawn offline by vl-convert (:func:`svg`, :func:`png`), so the three
cannot disagree. The counts come from the same grades as 附件1.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from vetservice.i18n import N_, gettext
from vetservice.indicators.grades import Grade
from vetservice.reports.model import GRADE_COLOURS, Report

# The grades a bar is made of, in stacking order (met on the left).
BAR_GRADES = (Grade.GREEN, Grade.YELLOW, Grade.RED, Grade.NO_DATA)
FONT = "Noto Sans CJK SC, Noto Sans CJK, sans-serif"
BAR_PX = 22  # a bar and its gap: 13 counties fit a half page
SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"


def grade_counts(report: Report) -> list[tuple[str, Counter[Grade]]]:
    """Each child unit's targeted indicators counted by grade, the one with
    the most 未达标 first (then most 接近, then code order)."""
    counted = []
    for index, child in enumerate(report.children):
        grades: Counter[Grade] = Counter()
        for row in report.targeted():
            if row.grade is Grade.FAILED:
                continue
            grades[row.children[index].grade] += 1
        counted.append((child.name, grades))
    return sorted(counted, key=lambda c: (-c[1][Grade.RED], -c[1][Grade.YELLOW]))


def grade_bars(report: Report) -> dict[str, Any]:
    """A stacked bar per child unit of its indicators by 红黄绿 grade."""
    lang = report.lang
    counts = grade_counts(report)
    values = [
        {"unit": name, "order": order, "grade": grade.display(lang), "count": grades[grade]}
        for name, grades in counts
        for order, grade in enumerate(BAR_GRADES)
        if grades[grade]
    ]
    names = [name for name, _ in counts]
    return {
        "$schema": SCHEMA,
        "title": gettext(N_("Targeted indicators by grade"), lang),
        "width": 640,
        "height": BAR_PX * max(len(names), 1),
        "data": {"values": values},
        "mark": {"type": "bar"},
        "encoding": {
            "y": {
                "field": "unit",
                "type": "nominal",
                "sort": names,
                "title": None,
                "axis": {"labelLimit": 200},
            },
            "x": {
                "field": "count",
                "type": "quantitative",
                "stack": "zero",
                "title": gettext(N_("indicators"), lang),
            },
            "color": {
                "field": "grade",
                "type": "nominal",
                "scale": {
                    "domain": [g.display(lang) for g in BAR_GRADES],
                    "range": [f"#{GRADE_COLOURS[g]}" for g in BAR_GRADES],
                },
                "legend": {"orient": "top", "title": None},
            },
            "order": {"field": "order", "type": "ordinal"},
            "tooltip": [
                {"field": "unit", "type": "nominal", "title": gettext(N_("unit"), lang)},
                {"field": "grade", "type": "nominal", "title": gettext(N_("grade"), lang)},
                {"field": "count", "type": "quantitative", "title": gettext(N_("indicators"), lang)},
            ],
        },
        "config": {"font": FONT, "view": {"stroke": None}},
    }


def svg(spec: dict[str, Any]) -> str:
    """The chart as SVG, drawn offline (for HTML)."""
    import vl_convert  # drawn on demand: a second or so to load

    return str(vl_convert.vegalite_to_svg(spec))


def png(spec: dict[str, Any], scale: float = 2) -> bytes:
    """The chart as PNG at ``scale`` times its size, drawn offline (for Word)."""
    import vl_convert

    return bytes(vl_convert.vegalite_to_png(spec, scale=scale))
