"""The built-in indicators, each area a plugin module like a county's own."""
