"""服务保障: the indicators grouped by their id prefix, one tab per group."""

from __future__ import annotations

import streamlit as st

from vetservice.indicators import Area
from vetservice.reports.model import IndicatorRow
from vetservice_dashboard import ui

GROUPS = (
    ("si", "社保接续"),
    ("hardship", "困难帮扶"),
    ("emp", "就业创业"),
    ("fund", "关爱基金"),
    ("benefit", "优抚"),
    ("placement", "安置"),
    ("service", "上门服务"),
)

here, report, section = ui.area_page(Area.SERVICES, "services")
if section is not None:
    grouped: dict[str, list[IndicatorRow]] = {prefix: [] for prefix, _name in GROUPS}
    other: list[IndicatorRow] = []
    for row in section.rows:
        grouped.get(row.id.split(".", 1)[0], other).append(row)
    shown = [
        (here.t(name), grouped[prefix]) for prefix, name in GROUPS if grouped[prefix]
    ]
    if other:
        shown.append((here.t("其他"), other))
    tabs = st.tabs(
        [f"{name}（{len(rows)}）" for name, rows in shown],
        key="services_group",
        on_change="rerun",
    )
    for tab, (name, rows) in zip(tabs, shown, strict=True):
        if tab.open:
            with tab:
                ui.area_table_and_chart(rows, here, f"services_{name}")
