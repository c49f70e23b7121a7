"""The dashboard's charts (Altair), every title and tooltip in the reader's language.

Pure functions from plain rows to charts, so they can be tested without
Streamlit. Charts whose marks are units carry each unit's ``code`` and a
point selection named ``unit``: the page drills into the unit clicked.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from typing import Any

import altair as alt
import pandas as pd

from vetservice.indicators import Status
from vetservice.indicators.grades import ORDER
from vetservice.reports.format import grade_text, status_text
from vetservice.reports.model import GRADE_FILLS, STATUS_COLOURS
from vetservice_dashboard.texts import tr

INK = "#202124"  # dark text, readable on every grade's light fill
# Heights are the plotting area's: axes and legends come on top, so a chart with
# two bars is as readable as one with twenty (Vega-Lite's "fit" would squeeze them).
AUTOSIZE = alt.AutoSizeParams(type="fit-x", contains="padding")
SELECT = "unit"  # the selection parameter of charts whose marks are units
CHAR_PX = 12  # a Chinese character at the labels' size
# What every chart here is: Altair's layer() gives a facet chart when the layers
# share a facet encoding (none here do).
Layered = alt.LayerChart | alt.FacetChart


def _status_scale(lang: str, shown: Iterable[str] = ()) -> alt.Scale:
    """The report's status colours, for the statuses ``shown`` (all when empty)."""
    wanted = set(shown)
    statuses = [s for s in Status if not wanted or status_text(s, lang) in wanted]
    return alt.Scale(
        domain=[status_text(s, lang) for s in statuses],
        range=[f"#{STATUS_COLOURS[s]}" for s in statuses],
    )


def grade_scale(lang: str, shown: Iterable[str] = ()) -> alt.Scale:
    """红黄绿: the reports' light fill of each grade (the Word 附件1's), for the
    grades ``shown`` (as values, e.g. "red"; all when empty)."""
    wanted = set(shown)
    grades = [g for g in ORDER if not wanted or g.value in wanted]
    return alt.Scale(
        domain=[grade_text(g, lang) for g in grades],
        range=[f"#{GRADE_FILLS[g]}" for g in grades],
    )


def _value_axis(ratio: bool, title: str) -> alt.Axis:
    return alt.Axis(format=".0%" if ratio else ",d", title=title)


# -- treemap -------------------------------------------------------------------


Rect = tuple[float, float, float, float]  # x, y, width, height


def _worst(row: Sequence[float], side: float) -> float:
    total = sum(row)
    return max(
        max(side * side * a / (total * total), total * total / (side * side * a))
        for a in row
    )


def squarify(sizes: Sequence[float], rect: Rect) -> list[Rect]:
    """Squarified treemap layout (Bruls, Huizing, van Wijk): one rectangle per size,
    in the order given (largest first lays out best), filling ``rect`` exactly."""
    x, y, w, h = rect
    total = float(sum(sizes))
    if not sizes or total <= 0 or w <= 0 or h <= 0:
        return [(x, y, 0.0, 0.0) for _ in sizes]
    areas = [s * w * h / total for s in sizes]
    rects: list[Rect] = []
    i = 0
    while i < len(areas):
        side = min(w, h)
        row = [areas[i]]
        i += 1
        while i < len(areas) and _worst([*row, areas[i]], side) <= _worst(row, side):
            row.append(areas[i])
            i += 1
        strip = sum(row)
        if w >= h:  # a column on the left
            width = strip / h
            top = y
            for a in row:
                rects.append((x, top, width, a / width))
                top += a / width
            x, w = x + width, w - width
        else:  # a row at the top
            height = strip / w
            left = x
            for a in row:
                rects.append((left, y, a / height, height))
                left += a / height
            y, h = y + height, h - height
    return rects


def treemap_layout(
    tiles: Sequence[dict[str, Any]], width: float, height: float, header: float = 18
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Rectangles for units grouped under their parent, one unit one equal share.

    Returns (groups, leaves) frames with x, y, x2, y2; each group keeps
    ``header`` units at its top for its name.
    """
    groups: dict[str, list[dict[str, Any]]] = {}
    for tile in tiles:
        groups.setdefault(tile["group"], []).append(tile)
    order = sorted(groups, key=lambda g: -len(groups[g]))
    outer = squarify([len(groups[g]) for g in order], (0, 0, width, height))
    group_rows, leaf_rows = [], []
    for code, (x, y, w, h) in zip(order, outer, strict=True):
        members = groups[code]
        nested = len(members) > 1 or members[0]["code"] != code
        group_rows.append(
            {
                "code": code,
                "name": members[0]["group_name"],
                "x": x,
                "y": y,
                "x2": x + w,
                "y2": y + h,
                "label": members[0]["group_name"]
                if nested and w >= CHAR_PX * len(members[0]["group_name"]) + 6
                else "",
            }
        )
        top = header if nested and h > 2 * header else 0
        inner = squarify([1] * len(members), (x + 1, y + top, w - 2, h - top - 1))
        for tile, (lx, ly, lw, lh) in zip(members, inner, strict=True):
            fits = lw >= CHAR_PX * len(tile["name"]) + 6 and lh >= 16
            leaf_rows.append(
                {
                    **tile,
                    "x": lx,
                    "y": ly,
                    "x2": lx + lw,
                    "y2": ly + lh,
                    "cx": lx + lw / 2,
                    "cy": ly + lh / 2,
                    "label": tile["name"] if fits else "",
                }
            )
    return pd.DataFrame(group_rows), pd.DataFrame(leaf_rows)


def treemap(
    tiles: Sequence[dict[str, Any]],
    *,
    indicator: str,
    lang: str,
    height: int = 360,
    width: int = 640,
) -> Layered:
    """Units below the current one, grouped by child, filled by their 红黄绿 grade
    on one indicator: the colours are the target's (met, within its band, further
    off), the same at every level, never a scale stretched over the values shown."""
    groups, leaves = treemap_layout(tiles, width, height)
    x_scale = alt.Scale(domain=[0, width], nice=False)
    y_scale = alt.Scale(domain=[0, height], nice=False, reverse=True)  # y down
    x = alt.X("x:Q", axis=None, scale=x_scale)
    y = alt.Y("y:Q", axis=None, scale=y_scale)
    pick = alt.selection_point(name=SELECT, fields=["code"], on="click")
    shown: list[str] = [] if leaves.empty else list(leaves["grade"].unique())
    colour = alt.Color(
        "grade_text:N",
        scale=grade_scale(lang, shown),
        legend=alt.Legend(
            title=indicator, orient="bottom", symbolStrokeColor="#5F6368"
        ),
    )
    boxes = (
        alt.Chart(groups)
        .mark_rect(fill="#FFFFFF", stroke="#5F6368", strokeWidth=1.5)
        .encode(x=x, y=y, x2="x2:Q", y2="y2:Q")
    )
    group_labels = (
        alt.Chart(groups)
        .mark_text(align="left", baseline="top", dx=4, dy=3, fontWeight="bold")
        .encode(x=x, y=y, text="label:N")
    )
    tooltip = [
        alt.Tooltip("group_name:N", title=tr("上级单位", lang)),
        alt.Tooltip("name:N", title=tr("单位名称", lang)),
        alt.Tooltip("value_text:N", title=tr("数值", lang)),
        alt.Tooltip("target_text:N", title=tr("目标", lang)),
        alt.Tooltip("grade_text:N", title=tr("状态", lang)),
    ]
    cells = (
        alt.Chart(leaves)
        .mark_rect(stroke="#FFFFFF", strokeWidth=1, cursor="pointer")
        .encode(
            x=x,
            y=y,
            x2="x2:Q",
            y2="y2:Q",
            color=colour,
            opacity=alt.condition(pick, alt.value(1.0), alt.value(0.85)),
            tooltip=tooltip,
        )
        .add_params(pick)
    )
    # Labels carry no tooltip: Vega leaves them out of pointer events, so a
    # click on a name reaches the tile under it.
    labels = (
        alt.Chart(leaves)
        .mark_text(fontSize=11, color=INK)
        .encode(
            x=alt.X("cx:Q", axis=None, scale=x_scale),
            y=alt.Y("cy:Q", axis=None, scale=y_scale),
            text=alt.Text("label:N", title=tr("单位名称", lang)),
        )
    )
    return alt.layer(boxes, cells, group_labels, labels).properties(
        height=height,
        width="container",
        autosize=AUTOSIZE,
        config=alt.Config(view=alt.ViewConfig(stroke=None)),
    )


# -- heat map ---------------------------------------------------------------------

LABEL_WIDTH = 230  # px for the indicators' names left of the grid
LINE_PX = 13  # a line of a name written top to bottom


def _vertical(names: Sequence[str], lines: int) -> str:
    """A Vega expression: each name as a list of its characters, blank lines
    first so that every name has ``lines`` and all end just above the grid (Vega
    draws a label's lines downwards from where its first one sits)."""
    table = {n: ["\u3000"] * (lines - len(n)) + list(n) for n in names}
    return f"{json.dumps(table, ensure_ascii=False)}[datum.label]"


ROW_PX = 24


def heatmap(
    cells: Sequence[dict[str, Any]],
    *,
    units: Sequence[str],
    indicators: Sequence[str],
    lang: str,
    width: int = 900,
) -> Layered:
    """Indicators (rows) × units (columns), in the order given, each cell filled
    by its 红黄绿 grade and showing the figure (when the column has room).

    A cell: ``code`` and ``unit`` (the unit's code and name), ``indicator`` and
    ``name`` (the indicator's id and name), ``value_text``, ``target_text``,
    ``grade`` and ``grade_text``. Clicking one selects its ``code`` and
    ``indicator`` (the selection :data:`SELECT`).
    """
    frame = pd.DataFrame(cells)
    column = (width - LABEL_WIDTH) / max(len(units), 1)
    longest = max((len(u) for u in units), default=0)
    upright = column >= CHAR_PX * longest + 4
    pick = alt.selection_point(name=SELECT, fields=["code", "indicator"], on="click")
    # Field titles in the reader's language (screen readers say them), no axis titles.
    # Names too wide for their column are written top to bottom, one character
    # a line (as Chinese is set vertically), none left out.
    unit_axis = alt.Axis(
        title=None,
        orient="top",
        labelAngle=0,
        labelAlign="center",
        labelBaseline="bottom",
        labelFontSize=12,
        labelFontWeight="bold",
        labelLimit=0,
        labelOverlap=False,
        labelLineHeight=LINE_PX,
        labelPadding=4 if upright else 4 + LINE_PX * (longest - 1),
        labelExpr="datum.label" if upright else _vertical(units, longest),
        ticks=False,
        domain=False,
    )
    x = alt.X("unit:N", sort=list(units), title=tr("单位名称", lang), axis=unit_axis)
    y = alt.Y(
        "name:N",
        sort=list(indicators),
        title=tr("指标", lang),
        axis=alt.Axis(
            title=None,
            labelLimit=LABEL_WIDTH,
            labelFontSize=12,
            ticks=False,
            domain=False,
        ),
    )
    tooltip = [
        alt.Tooltip("unit:N", title=tr("单位名称", lang)),
        alt.Tooltip("name:N", title=tr("指标", lang)),
        alt.Tooltip("value_text:N", title=tr("数值", lang)),
        alt.Tooltip("target_text:N", title=tr("目标", lang)),
        alt.Tooltip("grade_text:N", title=tr("状态", lang)),
    ]
    shown: list[str] = [] if frame.empty else list(frame["grade"].unique())
    boxes = (
        alt.Chart(frame)
        .mark_rect(stroke="#FFFFFF", strokeWidth=1.5, cursor="pointer")
        .encode(
            x=x,
            y=y,
            color=alt.Color(
                "grade_text:N",
                scale=grade_scale(lang, shown),
                legend=None,
                title=tr("状态", lang),
            ),
            opacity=alt.condition(pick, alt.value(1.0), alt.value(0.9)),
            tooltip=tooltip,
        )
        .add_params(pick)
    )
    layers: list[alt.Chart] = [boxes]
    if len(units) > 1:  # a line between the unit itself and the units below it
        layers.append(
            alt.Chart(pd.DataFrame([{"unit": units[1]}]))
            .mark_rule(color="#5F6368", strokeWidth=2)
            .encode(x=alt.X("unit:N", sort=list(units), bandPosition=0, axis=unit_axis))
        )
    if column >= 44:  # "100.0%" at 11 px
        layers.append(
            alt.Chart(frame)
            .mark_text(fontSize=11, color=INK)
            # No tooltip: a click on the figure reaches the cell under it.
            .encode(x=x, y=y, text=alt.Text("value_text:N", title=tr("数值", lang)))
        )
    return alt.layer(*layers).properties(
        height=ROW_PX * max(len(indicators), 1),
        width="container",
        autosize=AUTOSIZE,
        config=alt.Config(view=alt.ViewConfig(stroke=None)),
    )


# -- bars, trend, calendar ------------------------------------------------------------


def unit_bars(
    rows: Sequence[dict[str, Any]],
    *,
    ratio: bool,
    target: float | None,
    target_text: str,
    lang: str,
) -> Layered:
    """One bar per unit (``code``, ``name``, ``value``, ``value_text``, and its
    红黄绿 ``grade`` and ``grade_text``), filled by its grade."""
    frame = pd.DataFrame(rows)
    frame["shown"] = frame["value"].fillna(0)
    frame = frame.sort_values("shown", ascending=False, kind="stable")
    pick = alt.selection_point(name=SELECT, fields=["code"], on="click")
    y = alt.Y("name:N", sort=None, title=None)
    bars = (
        alt.Chart(frame)
        .mark_bar(cursor="pointer", stroke="#5F6368", strokeWidth=0.5)
        .encode(
            x=alt.X("shown:Q", axis=_value_axis(ratio, tr("数值", lang))),
            y=y,
            color=alt.Color(
                "grade_text:N",
                scale=grade_scale(lang, frame["grade"]),
                legend=alt.Legend(
                    title=tr("状态", lang),
                    orient="bottom",
                    symbolStrokeColor="#5F6368",
                ),
            ),
            opacity=alt.condition(pick, alt.value(1.0), alt.value(0.75)),
            tooltip=[
                alt.Tooltip("name:N", title=tr("单位名称", lang)),
                alt.Tooltip("value_text:N", title=tr("数值", lang)),
                alt.Tooltip("grade_text:N", title=tr("状态", lang)),
            ],
        )
        .add_params(pick)
    )
    text = bars.mark_text(align="left", dx=3, color="#202124").encode(
        text="value_text:N", color=alt.value("#202124")
    )
    layers: list[alt.Chart] = [bars, text]
    if target is not None:
        rule = pd.DataFrame([{"target": target, "text": target_text}])
        layers.append(
            alt.Chart(rule)
            .mark_rule(color="#202124", strokeDash=[4, 3])
            .encode(x="target:Q", tooltip=alt.Tooltip("text:N", title=tr("目标", lang)))
        )
    return alt.layer(*layers).properties(
        height=bars_height(len(frame)), width="container", autosize=AUTOSIZE
    )


def bars_height(count: int) -> int:
    """The plotting area's height: 26 px a bar."""
    return max(60, 26 * count)


def trend_chart(points: Sequence[dict[str, Any]], *, ratio: bool, lang: str) -> Layered:
    """The indicator over the periods, its value text on each point, the target dashed."""
    frame = pd.DataFrame(points)
    x = alt.X(
        "period:O", sort=None, title=tr("期别", lang), axis=alt.Axis(labelAngle=0)
    )
    y = alt.Y(
        "value:Q",
        axis=_value_axis(ratio, tr("数值", lang)),
        scale=alt.Scale(zero=False, padding=24),
    )
    tooltip = [
        alt.Tooltip("period:N", title=tr("期别", lang)),
        alt.Tooltip("value_text:N", title=tr("数值", lang)),
        alt.Tooltip("status_text:N", title=tr("状态", lang)),
    ]
    base = alt.Chart(frame).encode(x=x, y=y, tooltip=tooltip)
    layers: list[alt.Chart] = [
        base.mark_line(point=True, color="#1A73E8"),
        base.mark_text(dy=-10, color="#202124").encode(text="value_text:N"),
    ]
    if frame["target"].notna().any():
        layers.append(
            alt.Chart(frame)
            .mark_line(color="#D93025", strokeDash=[4, 3])
            .encode(x=x, y="target:Q")
        )
    return alt.layer(*layers).properties(
        height=240, width="container", autosize=AUTOSIZE
    )


def calendar_chart(
    occurrences: Sequence[dict[str, Any]],
    *,
    today: dt.date,
    deadlines: Sequence[dict[str, Any]] = (),
    lang: str,
) -> Layered:
    """Sensitive periods as bars on a time line; open petitions' deadlines as ticks."""
    frame = pd.DataFrame(occurrences)
    x = alt.X("start:T", title=tr("日期", lang), axis=alt.Axis(format="%m-%d"))
    bars = (
        alt.Chart(frame)
        .mark_bar(color="#E37400", cornerRadius=3, height=16)
        .encode(
            x=x,
            x2="end:T",
            y=alt.Y("name:N", title=None, sort=None),
            tooltip=[
                alt.Tooltip("name:N", title=tr("名称", lang)),
                alt.Tooltip("start:T", title=tr("开始", lang), format="%Y-%m-%d"),
                alt.Tooltip("end:T", title=tr("结束", lang), format="%Y-%m-%d"),
            ],
        )
    )
    marks = pd.DataFrame([{"day": today, "text": tr("数据截至", lang)}])
    layers: list[alt.Chart] = [
        bars,
        alt.Chart(marks)
        .mark_rule(color="#1A73E8", strokeWidth=2)
        .encode(x="day:T", tooltip=alt.Tooltip("text:N", title=tr("日期", lang))),
    ]
    if deadlines:
        ticks = pd.DataFrame(deadlines)
        layers.append(
            alt.Chart(ticks)
            .mark_point(shape="diamond", size=90, filled=True, color="#D93025")
            .encode(
                x="deadline:T",
                y=alt.Y("row:N", title=None, sort=None),
                tooltip=[
                    alt.Tooltip("case_no:N", title=tr("信访件编号", lang)),
                    alt.Tooltip(
                        "deadline:T", title=tr("办理期限", lang), format="%Y-%m-%d"
                    ),
                ],
            )
        )
    return alt.layer(*layers).properties(
        height=max(60, 30 * (len(frame) + (1 if len(deadlines) else 0))),
        width="container",
        autosize=AUTOSIZE,
    )
