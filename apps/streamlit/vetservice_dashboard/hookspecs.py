"""The dashboard's own hook: pages that county plugins add.

The hook is specified here, by the app that calls it, not by the core (which
never imports streamlit). Its project name is ``vetservice``, so a county
plugin implements it with :data:`vetservice.hookimpl` beside its indicators::

    import vetservice as vs
    from vetservice.i18n import Bilingual
    from vetservice_dashboard import DashboardPage

    def red_study():
        import streamlit as st
        from vetservice_dashboard import current

        here = current()
        st.title(f"{here.unit.name} · 红色资源")

    @vs.hookimpl(optionalhook=True)
    def vetservice_dashboard_pages():
        return [DashboardPage(title=Bilingual("红色资源", "Red resources"),
                              page=red_study, url_path="baota-red-study")]

``optionalhook=True`` tells the command line, which loads the same plugin
but not the dashboard, that it need not know this hook.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

import attrs

from vetservice.i18n import Bilingual
from vetservice.markers import PROJECT, hookimpl, hookspec

__all__ = ["PROJECT", "DashboardPage", "hookimpl", "hookspec"]


def _text(value: Bilingual | str | None, lang: str) -> str | None:
    if value is None or isinstance(value, str):
        return value
    return value.render(lang)


@attrs.frozen(kw_only=True)
class DashboardPage:
    """One page of the dashboard.

    Attributes:
        title: the page's title in the navigation (Chinese, or both languages).
        page: a function that draws the page, or the path of a page script.
        url_path: the page's address, unique among the pages (``baota-red-study``).
        icon: an emoji or ``:material/icon_name:``, shown before the title.
        section: the navigation section; a built-in section's Chinese title
            (``分领域``, ``清单与排名``) puts the page there, after the built-in
            pages; default ``插件页面``.
    """

    title: Bilingual | str
    page: Callable[[], None] | str | Path
    url_path: str
    icon: str | None = None
    section: Bilingual | str | None = None

    def title_in(self, lang: str) -> str:
        return _text(self.title, lang) or self.url_path

    def section_in(self, lang: str) -> str | None:
        return _text(self.section, lang)


@hookspec
def vetservice_dashboard_pages() -> Iterable[DashboardPage]:
    """Add pages to the leaders' dashboard.

    Returns:
        An iterable of :class:`DashboardPage`. A page draws itself with
        Streamlit and reads the current unit, period, as-of date and
        language from :func:`vetservice_dashboard.current`.

    Called once per database when the dashboard first opens it. If the hook
    raises or returns something else than pages, the plugin's pages are left
    out and the failure is shown in the sidebar; the other pages still work.

    Example::

        @vetservice.hookimpl(optionalhook=True)
        def vetservice_dashboard_pages():
            return [DashboardPage(title="红色资源", page=red_study,
                                  url_path="baota-red-study")]

    .. versionadded:: 0.1
    """
