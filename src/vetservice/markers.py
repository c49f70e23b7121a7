"""The hook markers, in a module that imports nothing but pluggy.

Built-in features, county plugins and the dashboard's own hook specs all mark
their hooks with these, so marking a hook never pulls in the rest of the
library (and never makes an import cycle through :mod:`vetservice.hookspecs`).
"""

from __future__ import annotations

import pluggy

PROJECT = "vetservice"

hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)

__all__ = ["PROJECT", "hookimpl", "hookspec"]
