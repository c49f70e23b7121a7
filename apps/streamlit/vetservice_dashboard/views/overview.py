"""总览, worst first: the units below × the indicators in 红黄绿, then the
areas and headline figures against their targets, the units below, their ranking."""

from __future__ import annotations

import attrs
import streamlit as st

from vetservice.reports.attachments import band_text, grade_grid
from vetservice.reports.charts import grade_bars
from vetservice_dashboard import data, ui
from vetservice_dashboard.state import (
    choice,
    current,
    drill_from_chart,
    drill_from_choice,
)

ui.follow_drill()  # a heat-map cell clicked: its unit's indicator page
here = current()
t = here.t
report = here.report()
ui.header(here, t("总览"), report)

# First: which units below are worst at what (the Word 附件1's grid, worst first).
FIRST_ROWS = 12  # what fits a 1366×768 screen under the title
if here.children:
    grid = grade_grid(report).worst_first()
    level = here.children[0].level.display(here.lang)
    st.subheader(t("各{level}指标达标情况（红黄绿）").format(level=level), anchor=False)
    if not grid.lines:
        st.caption(t("全部指标在各单位均已达标。"))
    else:
        st.markdown(
            ui.legend(here.lang)
            + "　"
            + t("越靠左、越靠上越差；点击格子查看该单位该指标的详情")
        )
        everything = len(grid.lines) <= FIRST_ROWS or st.session_state.get(
            "heat_all", False
        )
        shown = (
            grid if everything else attrs.evolve(grid, lines=grid.lines[:FIRST_ROWS])
        )
        ui.heatmap(shown, here, "heat")
        if len(grid.lines) > FIRST_ROWS:
            st.toggle(
                t(
                    "显示全部 {count} 项未全部达标的指标（默认显示最差的 {first} 项）"
                ).format(count=len(grid.lines), first=FIRST_ROWS),
                key="heat_all",
            )
        for note in (band_text(here.lang), *grid.notes):
            st.caption(note)

# One card per area: indicators met against their targets, by 红黄绿 grade, and
# the change since the previous period.
for column, section in zip(st.columns(len(report.areas)), report.areas, strict=True):
    counts = ui.area_counts(section)
    with column.container(border=True):
        st.metric(
            section.title,
            f"{counts['met']}/{counts['assessed']}",
            delta=counts["met"] - counts["previous_met"],
            delta_description=t("环比"),
            help=t("达标指标数/参评指标数"),
        )
        st.caption(ui.grade_counts_text(section, here))

# The headline figures, four to a row.
for start in range(0, len(report.headline), 4):
    row_columns = st.columns(4)
    for column, row in zip(
        row_columns, report.headline[start : start + 4], strict=False
    ):
        with column.container(border=True):
            ui.indicator_metric(row, here)

left, right = st.columns([3, 2], gap="medium")
with left:
    st.subheader(t("下级单位分布"), anchor=False)
    if not here.children:
        st.caption(t("本单位没有下级单位。"))
    else:
        rows = {row.id: row for row in report.rows() if row.figure.value is not None}
        choices = list(rows)
        default = next(
            (r.id for r in report.headline if r.id in rows),
            choices[0] if choices else None,
        )
        if choices:
            chosen = choice(
                t("按指标着色"),
                choices,
                "tree_indicator",
                format_func=lambda i: rows[i].name,
                default=default,
            )
            row = rows[chosen]
            tiles = data.level_tiles(
                here.url,
                here.scope,
                here.unit.code,
                here.period,
                here.as_of,
                chosen,
                here.lang,
            )
            tree_key = f"tree_{here.unit.code}_{here.period}_{chosen}"
            ui.chart(
                "treemap",
                tiles,
                key=tree_key,
                on_select=lambda: drill_from_chart(tree_key),
                indicator=row.name,
                lang=here.lang,
            )
            st.caption(t("点击色块进入该单位"))
with right:
    st.subheader(t("下级单位排名"), anchor=False)
    ui.ranking_table(report, here, "ranking", compact=True)
    if here.children:
        names = {c.code: c.name for c in here.children}
        pills_key = f"enter_{here.unit.code}"
        st.pills(
            t("进入下级单位"),
            list(names),
            format_func=names.__getitem__,
            key=pills_key,
            on_change=drill_from_choice,
            args=(pills_key,),
            wrap=True,
        )
        # The reports' 附件3, from the same Vega-Lite specification.
        st.vega_lite_chart(grade_bars(report), width="stretch", theme=None)

with st.expander(t("情况通报"), expanded=False):
    for paragraph in report.briefing:
        st.markdown(paragraph)
