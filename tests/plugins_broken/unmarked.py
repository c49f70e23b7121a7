"""A hook function without @hookimpl: pluggy ignores it without a word."""


def vetservice_register_overrides():
    return []
