"""信访工作: overdue cases and the watch list with days left, both as of the
as-of date (not the period's end), the sensitive-period calendar, and the
area's indicators."""

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
        # The lists a leader acts on are true today (the as-of date), whatever
        # the period; the indicators below keep the period (issue 20).
        dated = report.lists_date_text
        st.caption(
            t(
                "清单反映 {as_of} 的情况，剩余天数从这一天算起；指标按报告期 {period} 计算。"
            ).format(as_of=report.lists_as_of, period=report.period_text)
        )
        still_open = [o for o in report.overdue if o.closed_on is None]
        closed = [o for o in report.overdue if o.closed_on is not None]
        st.subheader(
            t("超期未办结信访件 {count} 件（{date}）").format(
                count=len(still_open), date=dated
            ),
            anchor=False,
        )
        if closed:
            st.caption(
                t("另有 {count} 件在报告期末已超期、此后已办结，标明办结日期。").format(
                    count=len(closed)
                )
            )
        if report.overdue:
            st.dataframe(
                pd.DataFrame(
                    {
                        t("信访件编号"): [o.case_no for o in report.overdue],
                        t("单位名称"): [o.unit_name for o in report.overdue],
                        t("登记日期"): [o.received_on for o in report.overdue],
                        t("所处环节"): [o.stage_text for o in report.overdue],
                        t("办理期限"): [o.deadline for o in report.overdue],
                        t("办理状态"): [o.state_text for o in report.overdue],
                    }
                ).style.map(
                    lambda state: (
                        "color: #1E8E3E"
                        if state.startswith(("已办结", "closed"))
                        else "color: #D93025; font-weight: bold"
                    ),
                    subset=[t("办理状态")],
                ),
                hide_index=True,
                width="stretch",
            )
        else:
            st.caption(t("暂无。"))
        st.subheader(
            t("临近期限或落在敏感时期的未办结信访件 {count} 件（{date}）").format(
                count=len(report.watch_list), date=dated
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
                    lambda days: "color: #E37400" if days <= 7 else "",
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
