"""The area pages — 阵地建设, 队伍建设, 经常性工作, 服务保障 — drawn by one function.

Each shows the area's indicators at the unit and, on the one chosen, the units
below. 服务保障 has many indicators, so they are grouped by their id prefix,
one tab per group. (信访工作 shows cases and a calendar too: ``views/petitions.py``.)
"""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from vetservice.indicators import Area
from vetservice.reports.model import IndicatorRow
from vetservice_dashboard import ui
from vetservice_dashboard.state import Here

# An area listed here is shown in tabs: (indicator id prefix, group name).
GROUPS: dict[Area, tuple[tuple[str, str], ...]] = {
    Area.SERVICES: (
        ("si", "社保接续"),
        ("hardship", "困难帮扶"),
        ("emp", "就业创业"),
        ("fund", "关爱基金"),
        ("benefit", "优抚"),
        ("placement", "安置"),
        ("service", "上门服务"),
    ),
}


def draw(area: Area) -> None:
    """The page of ``area``: its header and counts, then its indicators."""
    here, _report, section = ui.area_page(area)
    if section is None:
        return
    groups = GROUPS.get(area)
    if groups is None:
        ui.area_table_and_chart(section.rows, here, area.value)
    else:
        _grouped(section.rows, here, area.value, groups)


def _grouped(
    rows: Sequence[IndicatorRow],
    here: Here,
    key: str,
    groups: tuple[tuple[str, str], ...],
) -> None:
    """One tab per group of indicators (those of no group under 其他)."""
    grouped: dict[str, list[IndicatorRow]] = {prefix: [] for prefix, _name in groups}
    other: list[IndicatorRow] = []
    for row in rows:
        grouped.get(row.id.split(".", 1)[0], other).append(row)
    shown = [
        (here.t(name), grouped[prefix]) for prefix, name in groups if grouped[prefix]
    ]
    if other:
        shown.append((here.t("其他"), other))
    tabs = st.tabs(
        [f"{name}（{len(members)}）" for name, members in shown],
        key=f"{key}_group",
        on_change="rerun",
    )
    for tab, (name, group) in zip(tabs, shown, strict=True):
        if tab.open:
            with tab:
                ui.area_table_and_chart(group, here, f"{key}_{name}")
