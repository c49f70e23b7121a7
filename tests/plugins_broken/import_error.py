"""A plugin importing a module that is not installed."""

import vetservice_no_such_module  # noqa: F401
