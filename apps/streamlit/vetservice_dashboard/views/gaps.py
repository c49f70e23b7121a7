"""差距清单: every shortfall under the unit, filtered by unit, indicator and text,
downloadable as XLSX; selecting a row opens that unit."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from vetservice.reports.xlsx import gap_list_xlsx
from vetservice_dashboard import data, ui
from vetservice_dashboard.state import current, drill_from_table

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

here = current()
t = here.t
report = here.report()
ui.header(here, t("差距清单"), report)

names = {c.code: c.name for c in here.children}
indicators: dict[str, str] = {}
for gap in report.gaps:
    indicators.setdefault(gap.indicator, gap.indicator_name)

left, middle, right = st.columns([2, 3, 2])
children = left.multiselect(
    t("下级单位"),
    list(names),
    format_func=names.__getitem__,
    key=f"gaps_children_{here.unit.code}",
    disabled=not names,
    placeholder=t("请选择"),
)
chosen = middle.multiselect(
    t("指标"),
    list(indicators),
    format_func=indicators.__getitem__,
    key="gaps_indicators",
    placeholder=t("请选择"),
)
keyword = right.text_input(
    t("关键词"), placeholder=t("单位名称、差距情况中的文字"), key="gaps_keyword"
).strip()

owner = data.unit_of_child(here.url, here.scope, here.unit.code) if children else {}
gaps = [
    g
    for g in report.gaps
    if (not children or owner.get(g.unit) in children)
    and (not chosen or g.indicator in chosen)
    and (not keyword or keyword in g.unit_name or keyword in g.reason)
]

count_column, button_column = st.columns([3, 1])
count_column.markdown(
    "**"
    + t("共 {count} 条，涉及 {units} 个单位").format(
        count=len(gaps), units=len({g.unit for g in gaps})
    )
    + "**"
)
title = t("{unit}{period}差距清单").format(unit=here.unit.name, period=report.period)
button_column.download_button(
    t("下载 XLSX"),
    data=lambda: gap_list_xlsx(gaps, here.lang, title=title),
    file_name=f"{title}.xlsx",
    mime=XLSX,
    icon=":material/download:",
    on_click="ignore",
    width="stretch",
)

frame = pd.DataFrame(
    {
        # Each unit with the units above it (县区 乡镇 村): village names repeat.
        t("单位名称"): [report.path(g.unit, g.unit_name) for g in gaps],
        t("指标"): [g.indicator_name for g in gaps],
        t("差距情况"): [g.reason for g in gaps],
        # 整改情况 at the as-of date, once the period is over: 已整改 with
        # the date, or what is still missing then (the gap is of the period).
        **(
            {t("整改情况"): [g.resolved_text for g in gaps]}
            if any(g.resolved_text for g in gaps)
            else {}
        ),
        t("考核要求"): [g.rule for g in gaps],
        t("单位代码"): [g.unit for g in gaps],  # last: not what a leader reads
    }
)
table_key = f"gaps_{here.unit.code}_{here.period}"
codes = [g.unit for g in gaps]
st.dataframe(
    frame,
    hide_index=True,
    width="stretch",
    on_select=lambda: drill_from_table(table_key, codes),
    selection_mode="single-row",
    key=table_key,
    height=ui.table_height(len(frame), 560),
    # The unit, the indicator and what is missing fit 1366 px beside the sidebar.
    column_config={
        t("单位名称"): st.column_config.TextColumn(width=210),
        t("指标"): st.column_config.TextColumn(width=180),
        t("差距情况"): st.column_config.TextColumn(width=260),
        t("考核要求"): st.column_config.TextColumn(width="medium"),
    },
)
st.caption(t("点击一行进入该单位"))
if report.unlisted_total:  # the list is cut: the rest are counted, not read
    st.caption(
        t(
            "另有 {count} 条差距在更下级的单位，此处未逐条列出："
            "进入下级单位查看，或在报表的 XLSX 差距清单中查看全部。"
        ).format(count=f"{report.unlisted_total:,}")
    )
