"""Pieces the pages share: the page header, indicator tables, unit charts, cards.

They lay out what the library computed (the report model, figures, records);
they never compute an indicator.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from vetservice.indicators import Area, Status
from vetservice.indicators.grades import Grade, counts
from vetservice.reports.attachments import GradeGrid
from vetservice.reports.format import grade_text
from vetservice.reports.model import (
    GRADE_COLOURS,
    GRADE_FILLS,
    STATUS_COLOURS,
    AreaSection,
    Change,
    IndicatorRow,
    Report,
)
from vetservice_dashboard import charts, data, state
from vetservice_dashboard.state import (
    Here,
    current,
    drill,
    drill_from_chart,
    drill_from_table,
)

INDICATOR = state.INDICATOR  # session key: the indicator the indicator page shows
OPEN_INDICATOR = "_open_indicator"  # set by a heat-map click: go to that page
INDICATOR_PAGE = Path(__file__).resolve().parent / "views" / "indicator.py"


DOT = "●"
STREAMLIT_COLOURS = {  # st.markdown's colour names closest to the report's status colours
    Status.MET: "green",
    Status.NOT_MET: "red",
    Status.NO_DATA: "gray",
    Status.NO_TARGET: "gray",
    Status.FAILED: "orange",
}


@st.cache_data(ttl=data.TTL, max_entries=512, show_spinner=False)
def _spec(
    kind: str, rows: list[dict[str, Any]], options: dict[str, Any]
) -> dict[str, Any]:
    """A chart's Vega-Lite spec, built once per data (Altair's validation is slow)."""
    import altair as alt

    builders: dict[str, Callable[..., charts.Layered]] = {
        "treemap": charts.treemap,
        "heatmap": charts.heatmap,
        "bars": charts.unit_bars,
        "trend": charts.trend_chart,
        "calendar": charts.calendar_chart,
    }
    builder = builders[kind]
    with alt.theme.enable("none"):
        return builder(rows, **options).to_dict()


def chart(
    kind: str,
    rows: list[dict[str, Any]],
    *,
    key: str | None = None,
    on_select: Any = None,
    **options: Any,
) -> None:
    """Draw one of :mod:`charts` (cached); ``on_select`` makes its units clickable."""
    spec = _spec(kind, rows, options)
    if on_select is None:
        st.vega_lite_chart(spec, width="stretch", key=key)
    else:
        st.vega_lite_chart(
            spec,
            width="stretch",
            key=key,
            on_select=on_select,
            selection_mode=charts.SELECT,
        )


def status_label(status: Status, text: str) -> str:
    """ "● 未达标": a dot (coloured where the table is styled) and the status."""
    return f"{DOT} {text}"


def status_markdown(status: Status, text: str) -> str:
    return f":{STREAMLIT_COLOURS[status]}[{DOT} {text}]"


def table_height(rows: int, most: int = 460) -> int:
    """st.dataframe's height for ``rows`` rows (35 px each, plus the header)."""
    return min(35 * (rows + 1) + 3, most)


def colour_statuses(
    frame: pd.DataFrame, column: str, statuses: Sequence[Status]
) -> Any:
    """The frame styled so each status cell is written in its status colour."""
    colours = [f"color: #{STATUS_COLOURS[s]}" for s in statuses]
    return frame.style.apply(lambda _column: colours, subset=[column], axis=0)


def colour_grades(frame: pd.DataFrame, column: str, grades: Sequence[Grade]) -> Any:
    """The frame styled so each grade cell is written in its 红黄绿 colour."""
    colours = [f"color: #{GRADE_COLOURS[g]}" for g in grades]
    return frame.style.apply(lambda _column: colours, subset=[column], axis=0)


def header(here: Here, title: str, report: Report | None = None) -> None:
    """The page's title (unit · page), where the unit sits, and the period."""
    st.header(f"{here.unit.name} · {title}", anchor=False)
    where = " › ".join(u.name for u in here.chain)
    period = report.period_text if report is not None else here.period
    st.caption(f"{where}　｜　{period}")


def lower_is_better(row: IndicatorRow) -> bool:
    target = row.figure.target
    return bool(target and target.op in ("<=", "<"))


def delta(row: IndicatorRow, change: Change | None = None) -> dict[str, Any]:
    """st.metric's delta arguments for a comparison (default: the previous period)."""
    compared = row.previous if change is None else change
    amount = compared.change if compared else None
    if compared is None or amount is None:
        return {"delta": None}
    if abs(amount) < 1e-9:
        return {
            "delta": compared.change_text,
            "delta_arrow": "off",
            "delta_color": "gray",
        }
    better = (amount > 0) != lower_is_better(row)
    colour = "gray" if row.figure.target is None else ("green" if better else "red")
    return {
        "delta": compared.change_text,
        "delta_arrow": "up" if amount > 0 else "down",
        "delta_color": colour,
    }


def grade_badge(grade: Grade, lang: str) -> str:
    """ "● 未达标" in the grade's colour on its light fill (the heat map's)."""
    return (
        f":color[{DOT} {grade_text(grade, lang)}]"
        f'{{foreground="#{GRADE_COLOURS[grade]}" background="#{GRADE_FILLS[grade]}"}}'
    )


def target_line(row: IndicatorRow, here: Here) -> str:
    """ "目标 ≥ 95%　● 未达标": the card's target and 红黄绿 grade."""
    if row.figure.target is None:
        return grade_badge(row.grade, here.lang)
    target = here.t("目标 {target}").format(target=row.target_text)
    return f"{target}　{grade_badge(row.grade, here.lang)}"


def indicator_metric(row: IndicatorRow, here: Here, *, border: bool = False) -> None:
    """A card: the figure, its change since the previous period, its target and grade."""
    st.metric(
        row.name,
        row.value_text,
        help=row.fraction_text or None,
        border=border,
        delta_description=here.t("环比") if row.previous else None,
        **delta(row),
    )
    st.markdown(target_line(row, here))


def indicator_frame(rows: Sequence[IndicatorRow], here: Here) -> pd.DataFrame:
    t = here.t
    coverage = any(r.coverage_text for r in rows)
    frame = pd.DataFrame(
        {
            t("指标"): [r.name for r in rows],
            t("本期"): [r.value_text for r in rows],
            t("分子/分母"): [r.fraction_text for r in rows],
            t("目标"): [r.target_text for r in rows],
            t("状态"): [
                status_label(r.status, grade_text(r.grade, here.lang)) for r in rows
            ],
            t("环比"): [r.previous.change_text if r.previous else "—" for r in rows],
            t("同比"): [r.last_year.change_text if r.last_year else "—" for r in rows],
            t("累计"): [
                r.year_to_date.value_text if r.year_to_date else "—" for r in rows
            ],
        }
    )
    if coverage:
        frame.insert(4, t("覆盖"), [r.coverage_text for r in rows])
    return frame


def indicator_table(
    rows: Sequence[IndicatorRow], here: Here, key: str
) -> IndicatorRow | None:
    """The indicators as a table; the row the reader selects (else the first) is returned."""
    if not rows:
        st.info(here.t("暂无。"))
        return None
    frame = indicator_frame(rows, here)
    event = st.dataframe(
        colour_grades(frame, here.t("状态"), [r.grade for r in rows]),
        hide_index=True,
        width="stretch",
        on_select="rerun",
        selection_mode="single-row",
        key=f"{key}_{here.unit.code}_{here.period}",
        height=table_height(len(rows)),
    )
    st.caption(here.t("点击一行查看该指标的下级单位对比"))
    chosen = event.selection.rows if event is not None else []
    return rows[chosen[0]] if chosen else rows[0]


def unit_chart(row: IndicatorRow, here: Here, key: str) -> None:
    """The children's values of one indicator; clicking a bar opens that unit."""
    st.markdown(f"**{here.t('下级单位对比：{indicator}').format(indicator=row.name)}**")
    if not row.children:
        st.caption(here.t("本单位没有下级单位。"))
        return
    bars = [
        {
            "code": c.unit.code,
            "name": c.unit.name,
            "value": None if c.figure.value is None else float(c.figure.value),
            "value_text": c.value_text,
            "grade": c.grade.value,
            "grade_text": grade_text(c.grade, here.lang),
        }
        for c in row.children
    ]
    target = row.figure.target
    chart_key = f"{key}_{row.id}_{here.unit.code}_{here.period}"
    chart(
        "bars",
        bars,
        key=chart_key,
        on_select=lambda: drill_from_chart(chart_key),
        ratio=data.is_ratio(row.kind),
        target=None if target is None else target.value,
        target_text=row.target_text,
        lang=here.lang,
    )


def open_indicator_button(row: IndicatorRow, here: Here, key: str) -> None:
    if st.button(
        here.t("查看指标详情"), icon=":material/query_stats:", key=f"{key}_{row.id}"
    ):
        st.session_state[INDICATOR] = row.id
        st.switch_page(INDICATOR_PAGE)


def area_counts(section: AreaSection) -> dict[str, int]:
    """The area's indicators by 红黄绿 grade (they add up to all of them), how
    many were assessed against a target, and how many were met before."""
    found = counts(r.grade for r in section.rows)
    result = {g.value: n for g, n in found.items()}
    result["met"] = found[Grade.GREEN]
    result["assessed"] = found[Grade.GREEN] + found[Grade.YELLOW] + found[Grade.RED]
    result["previous_met"] = sum(
        1 for r in section.rows if r.previous and r.previous.figure.status is Status.MET
    )
    return result


def grade_counts_text(section: AreaSection, here: Here) -> str:
    """ "达标 2 · 接近 1 · 未达标 5 · 无数据 1": every grade present, adding up."""
    found = counts(r.grade for r in section.rows)
    return " · ".join(
        f"{grade_text(g, here.lang)} {n}"
        for g, n in found.items()
        if n or g in (Grade.GREEN, Grade.YELLOW, Grade.RED)
    )


def area_table_and_chart(rows: Sequence[IndicatorRow], here: Here, key: str) -> None:
    """An area's (or a group's) indicators, then the units below on the chosen one."""
    chosen = indicator_table(rows, here, key)
    if chosen is None:
        return
    unit_chart(chosen, here, key)
    open_indicator_button(chosen, here, key)


def area_summary(section: AreaSection, here: Here) -> None:
    found = counts(r.grade for r in section.rows)
    st.markdown(
        "　　".join(
            f"{grade_badge(g, here.lang)} {n}"
            for g, n in found.items()
            if n or g in (Grade.GREEN, Grade.YELLOW, Grade.RED)
        )
    )


def legend(lang: str) -> str:
    """The grades a heat map or treemap shows, each in its colour."""
    shown = (Grade.GREEN, Grade.YELLOW, Grade.RED, Grade.NO_DATA)
    return "　".join(grade_badge(g, lang) for g in shown)


def drill_to_indicator(key: str) -> None:
    """A heat map's callback: open the clicked cell's unit, on the indicator page
    showing the cell's indicator (the page switches at the next run)."""
    event = st.session_state.get(key)
    chosen = event.selection.get(charts.SELECT) if event is not None else None
    if isinstance(chosen, list) and chosen:
        code, indicator = chosen[0].get("code"), chosen[0].get("indicator")
        if code and indicator:
            drill(str(code))
            st.session_state[INDICATOR] = str(indicator)
            st.session_state[OPEN_INDICATOR] = True


def follow_drill() -> None:
    """Go to the indicator page when a heat-map cell was clicked (a callback
    cannot switch pages itself)."""
    if st.session_state.pop(OPEN_INDICATOR, False):
        st.switch_page(INDICATOR_PAGE)


def heatmap_cells(grid: GradeGrid, lang: str) -> list[dict[str, Any]]:
    """The grid's cells as a chart's rows (:func:`charts.heatmap`)."""
    return [
        {
            "code": cell.unit.code,
            "unit": cell.unit.name,
            "indicator": line.row.id,
            "name": line.row.name,
            "value_text": cell.value_text,
            "target_text": cell.target_text,
            "grade": cell.grade.value,
            "grade_text": grade_text(cell.grade, lang),
        }
        for line in grid.lines
        for cell in line.cells
    ]


def heatmap(grid: GradeGrid, here: Here, key: str) -> None:
    """The 红黄绿 grid, worst first; clicking a cell opens that unit and indicator."""
    chart_key = f"{key}_{here.unit.code}_{here.period}_{len(grid.lines)}"
    chart(
        "heatmap",
        heatmap_cells(grid, here.lang),
        key=chart_key,
        on_select=lambda: drill_to_indicator(chart_key),
        units=[u.name for u in grid.units],
        indicators=[line.row.name for line in grid.lines],
        lang=here.lang,
    )


def ranking_table(
    report: Report, here: Here, key: str, *, compact: bool = False
) -> None:
    """The children ranked by indicators met; selecting a row opens that unit.

    ``compact`` leaves out the names of the indicators not met (for narrow columns).
    """
    if not report.ranking:
        st.caption(here.t("本单位没有下级单位。"))
        return
    t = here.t
    separator = "、" if here.lang == "zh" else "; "
    frame = pd.DataFrame(
        {
            t("名次"): [r.rank for r in report.ranking],
            t("单位名称"): [r.unit.name for r in report.ranking],
            t("达标率"): [r.share_text for r in report.ranking],
            t("达标指标数"): [r.met for r in report.ranking],
            t("参评指标数"): [r.assessed for r in report.ranking],
            t("未达标指标"): [separator.join(r.not_met) for r in report.ranking],
        }
    )
    if compact:  # a third of a 1366 px screen: four narrow columns, no scrolling
        frame = pd.DataFrame(
            {
                t("名次"): [r.rank for r in report.ranking],
                t("单位名称"): [r.unit.name for r in report.ranking],
                t("达标率"): [r.share_text for r in report.ranking],
                t("达标/参评"): [f"{r.met}/{r.assessed}" for r in report.ranking],
            }
        )
    codes = [r.unit.code for r in report.ranking]
    table_key = f"{key}_{here.unit.code}_{here.period}"
    st.dataframe(
        frame,
        hide_index=True,
        width="stretch",
        on_select=lambda: drill_from_table(table_key, codes),
        selection_mode="single-row",
        key=table_key,
        height=table_height(len(frame), 500),
        column_config={
            t("名次"): st.column_config.NumberColumn(width=48),
            t("单位名称"): st.column_config.TextColumn(width=110 if compact else None),
            t("未达标指标"): st.column_config.TextColumn(width="large"),
        },
    )
    st.caption(t("点击一行进入该单位"))


def error(here_lang: str, e: data.VetserviceError) -> None:
    st.error(e.message.render(here_lang))


def area_section(report: Report, area: Area) -> AreaSection | None:
    return next((s for s in report.areas if s.area is area), None)


def area_page(area: Area) -> tuple[Here, Report, AreaSection | None]:
    """The head of an area's page: title, counts; returns what the page needs next."""
    here = current()
    report = here.report()
    section = area_section(report, area)
    ui_title = section.title if section else area.display(here.lang)
    header(here, ui_title, report)
    if section is None:
        st.info(here.t("暂无。"))
    else:
        area_summary(section, here)
    return here, report, section


def records_frame(
    found: dict[str, Any], rows: Sequence[int] | None = None, drop: Sequence[str] = ()
) -> pd.DataFrame:
    """Drill-through records (already masked) with their headers in the reader's language."""
    columns = {c: label for c, label in found["columns"].items() if c not in drop}
    picked = found["rows"] if rows is None else [found["rows"][i] for i in rows]
    order = ["unit_name", *[c for c in columns if c not in ("unit_name",)]]
    frame = pd.DataFrame(
        [{c: r.get(c) for c in order if c in columns} for r in picked],
        columns=[c for c in order if c in columns],
    )
    return frame.rename(columns=columns)
