"""The dashboard's own pages, registered through the same hook as a plugin's."""

from __future__ import annotations

import functools
from pathlib import Path

from vetservice.i18n import Bilingual
from vetservice.indicators import Area
from vetservice_dashboard import areas
from vetservice_dashboard.hookspecs import DashboardPage, hookimpl

# Not "pages/": Streamlit would run a file there on its own (its older multipage
# mode) when the first request of a session asks for its address, before
# st.navigation has run.
PAGES = Path(__file__).resolve().parent / "views"

MAIN = Bilingual("总览", "Overview")
AREAS = Bilingual("分领域", "Areas")
LISTS = Bilingual("清单与排名", "Lists and rankings")
REPORTING = Bilingual("上报", "Reporting")
PLUGINS = Bilingual("插件页面", "Plugin pages")
SECTIONS = (MAIN, AREAS, LISTS, REPORTING, PLUGINS)


def _page(file: str, zh: str, en: str, icon: str, section: Bilingual) -> DashboardPage:
    """A page drawn by its script ``views/<file>.py``, at the address ``file``."""
    return DashboardPage(
        title=Bilingual(zh, en),
        page=PAGES / f"{file}.py",
        url_path=file,
        icon=icon,
        section=section,
    )


def _area(area: Area, zh: str, en: str, icon: str) -> DashboardPage:
    """An area's page, drawn by :func:`vetservice_dashboard.areas.draw`, at the
    address of the area's id (``environment``)."""
    return DashboardPage(
        title=Bilingual(zh, en),
        page=functools.partial(areas.draw, area),
        url_path=area.value,
        icon=icon,
        section=AREAS,
    )


BUILTIN_PAGES = (
    _page("overview", "总览", "Overview", ":material/dashboard:", MAIN),
    _area(Area.ENVIRONMENT, "阵地建设", "Environment", ":material/home_work:"),
    _area(Area.STAFFING, "队伍建设", "Staffing", ":material/groups:"),
    _area(Area.ACTIVITIES, "经常性工作", "Regular work", ":material/event:"),
    _area(Area.SERVICES, "服务保障", "Services", ":material/volunteer_activism:"),
    _page("petitions", "信访工作", "Petitions", ":material/mail:", AREAS),
    _page("gaps", "差距清单", "Gap list", ":material/checklist:", LISTS),
    _page("rankings", "考核排名", "Rankings", ":material/leaderboard:", LISTS),
    _page("indicator", "指标详情", "Indicator", ":material/query_stats:", LISTS),
    _page("upload", "上报台账", "Send a ledger", ":material/upload_file:", REPORTING),
    _page("submissions", "上报情况", "Reporting status", ":material/fact_check:", REPORTING),
)


@hookimpl
def vetservice_dashboard_pages() -> tuple[DashboardPage, ...]:
    return BUILTIN_PAGES
