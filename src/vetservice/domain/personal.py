"""Kinds of personal data and how each is masked (privacy.md).

Which columns hold personal data is declared once, with the record kinds
(``column(..., personal=Personal.NAME)`` in :mod:`vetservice.domain.records`;
id numbers and phones by their value type). Every output masks a value from
such a column by its kind, whatever a plugin declares, unless ``show_pii``.
"""

from __future__ import annotations

import enum
import re

from vetservice.domain.identity import mask_id_number, mask_phone, mask_text

_ID_NUMBER = re.compile(r"^\d{17}[\dXx]$")


class Personal(enum.Enum):
    ID_NUMBER = "id_number"
    NAME = "name"
    PHONE = "phone"
    ADDRESS = "address"
    BANK_ACCOUNT = "bank_account"
    HEALTH = "health"
    # A value computed from personal columns (a name joined to a note, part
    # of an id number): masked whole.
    DERIVED = "derived"


HIDDEN = "***"


def mask_name(name: str) -> str:
    """``李**``: the surname's first character only."""
    return name[:1] + "*" * max(len(name) - 1, 1)


def mask_address(address: str) -> str:
    """The first six characters (province and city) only."""
    return address[:6] + HIDDEN if len(address) > 6 else HIDDEN


def mask_account(account: str) -> str:
    """The last four digits of a bank account only."""
    digits = "".join(account.split())
    return "*" * max(len(digits) - 4, 4) + digits[-4:] if len(digits) > 4 else HIDDEN


def mask_personal(kind: Personal, value: str) -> str:
    """A personal value as shown without ``show_pii``."""
    if not value:
        return value
    match kind:
        case Personal.ID_NUMBER:
            return mask_id_number(value)
        case Personal.PHONE:
            return mask_phone(value)
        case Personal.NAME:
            # A field holding a name or an id number (honors' recipient).
            return mask_text(value) if _ID_NUMBER.match(value) else mask_name(value)
        case Personal.ADDRESS:
            return mask_address(value)
        case Personal.BANK_ACCOUNT:
            return mask_account(value)
    return HIDDEN
