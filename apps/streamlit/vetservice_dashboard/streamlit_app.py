"""Entry point of the dashboard: ``streamlit run streamlit_app.py`` (or ``vetservice dashboard``).

Draws the sidebar (language, unit, period), then the page chosen in the
navigation: the built-in pages and those plugins add through the
``vetservice_dashboard_pages`` hook.
"""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st
from streamlit.navigation.page import StreamlitPage

from vetservice_dashboard import builtin, data, login, state
from vetservice_dashboard.hookspecs import DashboardPage
from vetservice_dashboard.texts import tr


@st.cache_resource(show_spinner=False)
def pages(url: str, scope: str | None) -> tuple[list[DashboardPage], list[str]]:
    """The built-in pages, then the plugins' pages, and the failures of the hook."""
    db = data.database(url, scope)
    if not db.plugins.pm.is_registered(builtin):
        db.plugins.pm.register(builtin, name="vetservice_dashboard.builtin")
    before = len(db.plugins.failures)
    found: Sequence[DashboardPage] = db.plugins.collect(data.PAGE_HOOK, DashboardPage)
    failures = [
        f"{f.plugin}: {f.error}"
        for f in db.plugins.failures[before:]
        if f.hook == data.PAGE_HOOK
    ]
    ordered = [p for p in builtin.BUILTIN_PAGES if p in found]
    seen = {p.url_path for p in ordered}
    for page in found:
        if page.url_path in seen:
            if page not in ordered:
                failures.append(f"{page.url_path}: duplicate url_path")
            continue
        seen.add(page.url_path)
        ordered.append(page)
    return ordered, failures


DEFAULT = "overview"  # the page at "/", also at "/overview"
ROOT = "start"  # the address the root's hidden entry reserves


def navigation(here: state.Here) -> StreamlitPage:
    found, failures = pages(here.url, here.scope)
    lang = here.lang
    sections: dict[str, list[st.Page]] = {}
    for section in builtin.SECTIONS:
        sections[section.render(lang)] = []
    for page in found:
        title = page.section_in(lang) or builtin.PLUGINS.render(lang)
        if title not in sections and page.section_in("zh") in {
            s.zh for s in builtin.SECTIONS
        }:
            title = next(
                s.render(lang)
                for s in builtin.SECTIONS
                if s.zh == page.section_in("zh")
            )
        if page.url_path == DEFAULT:
            # The default page is served at "/" and reserves its own address,
            # so "/overview" would say "Page not found": the app's root is a
            # hidden entry running the same page, and 总览 keeps its address.
            sections.setdefault(title, []).append(
                st.Page(
                    page.page,
                    title=page.title_in(lang),
                    url_path=ROOT,
                    icon=page.icon,
                    default=True,
                    visibility="hidden",
                )
            )
        sections.setdefault(title, []).append(
            st.Page(
                page.page,
                title=page.title_in(lang),
                url_path=page.url_path,
                icon=page.icon,
            )
        )
    for failure in failures:
        st.sidebar.warning(
            tr("插件 {plugin} 的页面无法加载：{error}", lang).format(
                plugin=failure.split(":", 1)[0], error=failure.split(":", 1)[-1]
            )
        )
    # The overview stands alone; the other sections open as menus.
    main = builtin.MAIN.render(lang)
    layout = {"": sections.pop(main)} | {k: v for k, v in sections.items() if v}
    return st.navigation(layout, position="top")


# Room for a 1366×768 laptop: less padding above the page, metric labels wrap
# instead of being cut.
STYLE = """<style>
[data-testid="stMainBlockContainer"] { padding-top: 3.5rem; padding-bottom: 2rem; }
[data-testid="stMetricLabel"] p { white-space: normal; overflow: visible; }
[data-testid="stSidebarUserContent"] { padding-top: 1rem; }
</style>"""


def run() -> None:
    st.set_page_config(
        page_title="退役军人服务保障体系",
        page_icon=":material/military_tech:",
        layout="wide",
    )
    st.set_option("client.toolbarMode", "minimal")  # leaders need no "Deploy"
    st.html(STYLE)
    url, scope = data.database_url(), data.scope()
    lang = st.session_state.get(state.LANG, "zh")
    allowed, user = login.gate(url, lang)  # a login first when accounts exist
    if not allowed:
        return
    if user is not None and user.scope is not None:
        scope = user.scope  # every read within the account's subtree
    data.follow_records(url, scope)
    try:
        here = state.sidebar(url, scope)
    except data.VetserviceError as e:
        st.error(e.message.render(lang))
        return
    if here is None:
        st.info(
            tr("数据库中还没有单位，请先导入单位（行政区划）台账。", lang)
            + " "
            + tr("数据库：{url}", lang).format(url=url)
        )
        return
    page = navigation(here)
    try:
        page.run()
    except data.VetserviceError as e:
        st.error(e.message.render(here.lang))


run()
