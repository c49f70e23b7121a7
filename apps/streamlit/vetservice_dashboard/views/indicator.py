"""指标详情: one indicator's definition, its figure and trend at the unit, the units
below, and the records behind it (personal data masked)."""

from __future__ import annotations

import streamlit as st

from vetservice.plugins import BUILTIN
from vetservice_dashboard import data, ui
from vetservice_dashboard.state import choice, current

SHOWN = 2000  # rows of records drawn at once

here = current()
t = here.t
report = here.report()
ui.header(here, t("指标详情"), report)

catalogue = {i["id"]: i for i in data.indicators(here.url, here.scope, here.lang)}
rows = {row.id: row for row in report.rows()}
ids = [i for i in catalogue if i in rows] or list(catalogue)
headline = [r.id for r in report.headline if r.id in ids]
chosen = choice(
    t("选择指标"),
    ids,
    ui.INDICATOR,
    format_func=lambda i: f"{catalogue[i]['area_text']} · {catalogue[i]['name']}",
    default=(headline or ids)[0],
)
info = catalogue[chosen]
st.query_params[ui.INDICATOR] = chosen  # the address opens this indicator again
row = rows.get(chosen)

definition, figures = st.columns([3, 2], gap="medium")
with definition.container(border=True):
    # No internal ids for a leader: the indicator's id stays in JSON and the
    # reference; a county plugin's indicator says which plugin it comes from.
    st.markdown(f"**{info['name']}**")
    st.markdown(info["rule"])
    facts = [
        (t("领域"), info["area_text"]),
        (t("类型"), info["kind_text"]),
        (t("目标"), row.target_text if row else info["target_text"]),
    ]
    if info["plugin"] != BUILTIN:
        facts.append((t("插件"), info["plugin"]))
    st.caption("　｜　".join(f"{label}：{value}" for label, value in facts))
    if info["source"]:
        st.caption(f"{t('考核依据')}：{info['source']}")
with figures:
    if row is not None:
        ui.indicator_metric(row, here, border=True)
        one, two = st.columns(2)
        with one:
            st.metric(
                t("去年同期"),
                row.last_year.value_text if row.last_year else "—",
                **ui.delta(row, row.last_year),
            )
        two.metric(t("累计"), row.year_to_date.value_text if row.year_to_date else "—")

trend = data.trend(
    here.url, here.scope, chosen, here.unit.code, here.period, here.as_of, here.lang
)
st.subheader(t("走势（近 {count} 期）").format(count=len(trend)), anchor=False)
ui.chart("trend", trend, ratio=data.is_ratio(info["kind"]), lang=here.lang)

if row is not None:
    ui.unit_chart(row, here, "indicator")

st.subheader(t("明细记录"), anchor=False)
found = data.records(
    here.url, here.scope, chosen, here.unit.code, here.period, here.as_of, here.lang
)
only_short = st.toggle(t("只看未计入分子的记录"), key="indicator_short")
picked = found["short"] if only_short else list(range(len(found["rows"])))
total = len(picked)
st.caption(
    (
        t("共 {count} 条记录，显示前 {shown} 条").format(count=total, shown=SHOWN)
        if total > SHOWN
        else t("共 {count} 条记录").format(count=total)
    )
    + "　"
    + t("身份证号、电话已脱敏。")
)
if total:
    st.dataframe(
        ui.records_frame(found, picked[:SHOWN]),
        hide_index=True,
        width="stretch",
        placeholder="—",
    )
