"""Command-line interface of vetservice."""
