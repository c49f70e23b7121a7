"""The leaders' dashboard of vetservice (Streamlit).

Plugins add pages through :func:`~vetservice_dashboard.hookspecs.vetservice_dashboard_pages`
and read the current unit, period and language with :func:`current`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from vetservice_dashboard.hookspecs import DashboardPage

if TYPE_CHECKING:
    from vetservice_dashboard.state import Here, current

__all__ = ["DashboardPage", "Here", "current"]


def __getattr__(name: str) -> Any:
    # Streamlit is imported only when a page asks, not by the CLI looking for the app.
    if name in ("Here", "current"):
        from vetservice_dashboard import state

        return getattr(state, name)
    raise AttributeError(name)
