"""队伍建设: the area's indicators at the unit, and the units below on the one chosen."""

from __future__ import annotations

from vetservice.indicators import Area
from vetservice_dashboard import ui

here, report, section = ui.area_page(Area.STAFFING, "staffing")
if section is not None:
    ui.area_table_and_chart(section.rows, here, "staffing")
