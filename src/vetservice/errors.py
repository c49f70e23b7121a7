"""The exceptions vetservice raises. Every message is rendered in the reader's language."""

from __future__ import annotations

from typing import Any

from vetservice.i18n import Message


class VetserviceError(Exception):
    """Base class of every error vetservice raises on purpose."""

    def __init__(self, message: Message | str, **params: Any) -> None:
        self.message = (
            message if isinstance(message, Message) else Message(message, params)
        )
        super().__init__(self.message.msgid)

    def __str__(self) -> str:
        return self.message.render()


class ConfigurationError(VetserviceError):
    """A bad option, URL, period or setting."""


class ValidationError(VetserviceError, ValueError):
    """A value or record breaks the records contract."""


class ImportRejected(VetserviceError):
    """An import found bad rows and wrote nothing; ``problems`` lists every one."""

    def __init__(
        self, message: Message | str, problems: list[Any], **params: Any
    ) -> None:
        super().__init__(message, **params)
        self.problems = problems


class NotFoundError(VetserviceError, LookupError):
    """A unit, indicator or record that does not exist (or lies outside the scope)."""


class OutOfScopeError(NotFoundError):
    """A unit or record outside the scope the database was opened with."""


class StorageError(VetserviceError):
    """The database could not be read or written."""


class SchemaOutdatedError(StorageError):
    """The database schema is older than this version of vetservice."""


class PluginError(VetserviceError):
    """A plugin broke its contract or failed."""


class PluginLoadError(PluginError):
    """A plugin could not be loaded."""


class PluginContractError(PluginError):
    """A plugin returned something of the wrong type."""


class DuplicateIndicatorError(PluginError):
    """Two plugins registered the same indicator id."""
