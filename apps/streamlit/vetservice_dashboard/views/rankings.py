"""考核排名: the units below ranked by indicators met, and by each scoring sheet
meant for this unit's subtree; selecting a row opens that unit."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from vetservice_dashboard import ui
from vetservice_dashboard.state import current, drill_from_table

here = current()
t = here.t
report = here.report()
ui.header(here, t("考核排名"), report)

titles = [t("达标排名"), *(s.title for s in report.scorings)]
tabs = st.tabs(titles, key="rankings_tab", on_change="rerun")
if tabs[0].open:
    with tabs[0]:
        ui.ranking_table(report, here, "rankings_share")
for tab, section in zip(tabs[1:], report.scorings, strict=True):
    if not tab.open:
        continue
    with tab:
        st.caption(
            t("{count} 个{level}参评，满分 {max}").format(
                count=len(section.rows), level=section.level_text, max=section.max_text
            )
        )
        frame = pd.DataFrame(
            {
                t("名次"): [
                    "—" if r.rank is None else str(r.rank) for r in section.rows
                ],
                t("单位名称"): [r.unit.name for r in section.rows],
                t("总分"): [r.total_text for r in section.rows],
                **{
                    name: [r.lines[i] for r in section.rows]
                    for i, name in enumerate(section.line_names)
                },
            }
        )
        key = f"scoring_{section.sheet_id}_{here.unit.code}_{here.period}"
        codes = [r.unit.code for r in section.rows]
        st.dataframe(
            frame,
            hide_index=True,
            width="stretch",
            on_select=lambda key=key, codes=codes: drill_from_table(key, codes),
            selection_mode="single-row",
            key=key,
            height=ui.table_height(len(frame), 560),
        )
        st.caption(t("点击一行进入该单位"))
if not report.scorings:
    st.caption(t("本单位下没有适用的考核细则。"))
