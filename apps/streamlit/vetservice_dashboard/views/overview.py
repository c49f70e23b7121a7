"""总览: the unit's areas against their targets, the units below, their ranking."""

from __future__ import annotations

import streamlit as st

from vetservice_dashboard import data, ui
from vetservice_dashboard.state import (
    choice,
    current,
    drill_from_chart,
    drill_from_choice,
)

here = current()
t = here.t
report = here.report()
ui.header(here, t("总览"), report)

# One card per area: indicators met against their targets, and the change since
# the previous period.
for column, section in zip(st.columns(len(report.areas)), report.areas, strict=True):
    counts = ui.area_counts(section)
    with column.container(border=True):
        st.metric(
            section.title,
            f"{counts['met']}/{counts['assessed']}",
            delta=counts["met"] - counts["previous_met"],
            delta_description=t("环比"),
            help=t("达标 {met} 项 · 未达标 {not_met} 项 · 无数据 {no_data} 项").format(
                **counts
            ),
        )
        st.caption(
            t("达标 {met} 项 · 未达标 {not_met} 项 · 无数据 {no_data} 项").format(
                **counts
            )
        )

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
                ratio=data.is_ratio(row.kind),
                lower_is_better=ui.lower_is_better(row),
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

with st.expander(t("情况通报"), expanded=False):
    for paragraph in report.briefing:
        st.markdown(paragraph)
