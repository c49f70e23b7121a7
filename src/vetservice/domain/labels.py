"""Enums whose members carry their Chinese label (the records contract)."""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING, Self

from vetservice.errors import ValidationError
from vetservice.i18n import N_, get_language


class LabelledEnum(enum.Enum):
    """An enum whose value is the English name and which knows its Chinese label."""

    _value_: str
    label: str

    def __new__(cls, value: str, label: str) -> Self:
        member = object.__new__(cls)
        member._value_ = value
        member.label = label
        return member

    if TYPE_CHECKING:
        # Members are made from (value, label) above; afterwards a call looks
        # one up by its value alone, as ``Level("county")``.
        def __init__(self, value: str, label: str = ...) -> None: ...

    def display(self, lang: str | None = None) -> str:
        """The label in ``lang``: Chinese label, or the English value in words."""
        if (lang or get_language()) == "zh":
            return self.label
        return self._value_.replace("_", " ")

    def render(self, lang: str | None = None) -> str:
        return self.display(lang)

    @classmethod
    def parse(cls, text: str) -> Self:
        key = text.strip()
        for member in cls:
            if key.lower() == member.value or key == member.label:
                return member
        choices = "、".join(f"{m.label}({m.value})" for m in cls)
        raise ValidationError(
            N_("'{value}' is not one of: {choices}"), value=key, choices=choices
        )
