"""One message catalogue for everything a user reads.

Message ids are English (the code's language); the Chinese catalogue lives in
``locale/zh/LC_MESSAGES/vetservice.po`` and is read with Babel. Chinese is the
default language; ``set_language("en")`` switches the current context to
English, where a message id is its own translation.
"""

from __future__ import annotations

import contextvars
import functools
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from importlib import resources
from typing import Any

import attrs
from babel.messages.pofile import read_po

LANGUAGES = ("zh", "en")
DEFAULT_LANGUAGE = "zh"

_language: contextvars.ContextVar[str] = contextvars.ContextVar(
    "vetservice_language", default=DEFAULT_LANGUAGE
)


def set_language(language: str) -> None:
    """Make ``language`` ("zh" or "en") the language of this context."""
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}; choose one of {LANGUAGES}")
    _language.set(language)


def get_language() -> str:
    return _language.get()


@contextmanager
def language(lang: str) -> Iterator[None]:
    """Temporarily switch the language, e.g. to render one report in English."""
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; choose one of {LANGUAGES}")
    token = _language.set(lang)
    try:
        yield
    finally:
        _language.reset(token)


@functools.cache
def catalogue(lang: str) -> Mapping[str, str]:
    """The translations of ``lang`` as a mapping from message id to text."""
    if lang == "en":
        return {}
    path = (
        resources.files("vetservice")
        / "locale"
        / lang
        / "LC_MESSAGES"
        / "vetservice.po"
    )
    with path.open("rb") as f:
        parsed = read_po(f, locale=lang)
    # Plural entries (ids as tuples) are not used by vetservice.
    return {
        m.id: m.string
        for m in parsed
        if isinstance(m.id, str) and isinstance(m.string, str)
        and m.id and m.string and not m.fuzzy
    }


def gettext(msgid: str, lang: str | None = None) -> str:
    """Translate ``msgid`` into ``lang`` (default: the current language)."""
    return catalogue(lang or get_language()).get(msgid, msgid)


_ = gettext


def N_(msgid: str) -> str:
    """Mark a string for the catalogue without translating it now."""
    return msgid


@attrs.frozen
class Message:
    """A message id with its parameters, rendered late in the reader's language.

    Parameters that can render themselves (a Message, a :class:`Bilingual`, an
    enum member) are rendered in the same language.
    """

    msgid: str
    params: Mapping[str, Any] = attrs.field(factory=dict)

    def render(self, lang: str | None = None) -> str:
        lang = lang or get_language()
        params = {
            k: v.render(lang) if hasattr(v, "render") else v
            for k, v in self.params.items()
        }
        return gettext(self.msgid, lang).format(**params)

    def __str__(self) -> str:
        return self.render()


def message(msgid: str, **params: Any) -> Message:
    return Message(msgid, params)


@attrs.frozen
class Bilingual:
    """A term that is data, not code: a field's Chinese header and English name."""

    zh: str
    en: str

    def render(self, lang: str | None = None) -> str:
        return self.zh if (lang or get_language()) == "zh" else self.en

    def __str__(self) -> str:
        return self.render()
