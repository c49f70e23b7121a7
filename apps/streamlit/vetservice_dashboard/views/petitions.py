"""信访工作: overdue cases and the watch list with days left, the sensitive-period
calendar, and the area's indicators."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from vetservice.indicators import Area
from vetservice_dashboard import data, ui

LOOK_AHEAD = dt.timedelta(days=90)  # how far past the as-of date the calendar shows

here, report, section = ui.area_page(Area.PETITIONS)
t = here.t
watch, calendar, indicators = st.tabs(
    [t("关注清单"), t("敏感时期日历"), t("指标")],
    key="petitions_tab",
    on_change="rerun",
)

if watch.open:
    with watch:
        overdue = data.records(
            here.url,
            here.scope,
            "pet.overdue",
            here.unit.code,
            here.period,
            here.as_of,
            here.lang,
        )
        st.subheader(
            t("超期未办结信访件 {count} 件").format(count=len(overdue["rows"])),
            anchor=False,
        )
        if overdue["rows"]:
            st.dataframe(
                ui.records_frame(
                    overdue, drop=("unit_code", "numerator", "denominator")
                ),
                hide_index=True,
                width="stretch",
                placeholder="—",
            )
        else:
            st.caption(t("暂无。"))
        st.subheader(
            t("临近期限或落在敏感时期的未办结信访件 {count} 件").format(
                count=len(report.watch_list)
            ),
            anchor=False,
        )
        if report.watch_list:
            frame = pd.DataFrame(
                {
                    t("信访件编号"): [w.case_no for w in report.watch_list],
                    t("单位名称"): [w.unit_name for w in report.watch_list],
                    t("登记日期"): [w.received_on for w in report.watch_list],
                    t("所处环节"): [w.stage_text for w in report.watch_list],
                    t("办理期限"): [w.deadline for w in report.watch_list],
                    t("剩余天数"): [w.days_left for w in report.watch_list],
                    t("敏感时期"): [w.sensitive_text for w in report.watch_list],
                }
            )
            st.dataframe(
                frame.style.map(
                    lambda days: (
                        "color: #D93025; font-weight: bold"
                        if days < 0
                        else ("color: #E37400" if days <= 7 else "")
                    ),
                    subset=[t("剩余天数")],
                ),
                hide_index=True,
                width="stretch",
            )
        else:
            st.caption(t("暂无。"))

if calendar.open:
    with calendar:
        start = min(report.start, here.as_of)
        end = here.as_of + LOOK_AHEAD
        occurrences = data.sensitive_calendar(
            here.url, here.scope, here.unit.code, start, end, here.lang
        )
        st.subheader(
            t("{start} 至 {end} 的敏感时期").format(start=start, end=end), anchor=False
        )
        if occurrences:
            deadlines = [
                {"row": t("办理期限"), "case_no": w.case_no, "deadline": w.deadline}
                for w in report.watch_list
            ]
            ui.chart(
                "calendar",
                occurrences,
                today=here.as_of,
                deadlines=deadlines,
                lang=here.lang,
            )
            st.dataframe(
                pd.DataFrame(
                    {
                        t("名称"): [o["name"] for o in occurrences],
                        t("开始"): [o["start"] for o in occurrences],
                        t("结束"): [o["end"] for o in occurrences],
                        t("天数"): [o["days"] for o in occurrences],
                    }
                ),
                hide_index=True,
                width="stretch",
            )
        else:
            st.caption(t("暂无。"))

if indicators.open and section is not None:
    with indicators:
        ui.area_table_and_chart(section.rows, here, "petitions")
