"""Free text and names: nothing a spreadsheet or a browser would run, and
nothing a careless save or a copy from a chat left inside.

What is harmless is normalised (full-width and no-break spaces, blanks and
zero-width characters at the ends); what changes the meaning unseen is
refused: control characters, direction overrides, zero-width characters
inside, characters a save lost (``王?``), and text longer than the column.
"""

from __future__ import annotations

import re
from typing import Any

from vetservice.domain.cells import check_excel_error
from vetservice.errors import ValidationError
from vetservice.i18n import N_

# The longest text each kind of column takes (characters): a person's name or
# an identifier (人员编号, 编号, 凭证号); the name of a unit, an organisation or
# a provider; a note, a measure, a title. Longer is a paste gone wrong.
NAME_MAX = 50
TITLE_MAX = 100
TEXT_MAX = 500

# Text a spreadsheet could run as a formula, or markup a browser could run.
# A leading minus is allowed only on a plain number ("-5") or as a dash alone
# ("-" for "none"): "-2+3+cmd|…" runs.
_FORMULA_START = re.compile(r"^[=+@\t\r]|^-(?!-*$|\d*\.?\d+$)")
_MARKUP = re.compile(r"<\s*[A-Za-z/!?]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Direction overrides and isolates reorder what is shown ("Trojan source").
_BIDI = re.compile(r"[\u202a-\u202e\u2066-\u2069]")
# Invisible, but two names that differ by one are two people.
_ZERO_WIDTH = "\u200b\u200c\u200d\u200e\u200f\u2060\ufeff\u061c"
_EDGES = re.compile(rf"^[\s{_ZERO_WIDTH}]+|[\s{_ZERO_WIDTH}]+$")
_INSIDE_ZERO_WIDTH = re.compile(f"[{_ZERO_WIDTH}]")
_SPACES = re.compile(r"[\u00a0\u2000-\u200a\u202f\u205f\u3000]")
_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
# A GBK (ANSI) save writes "?" for a character GBK lacks; a decoder writes
# U+FFFD for bytes it cannot read. "?" between two Chinese characters is never
# typed: a Chinese input method gives "？".
_LOST_IN_TEXT = re.compile(rf"\ufffd|[{_CJK}]\?+[{_CJK}]")
_LOST_IN_NAME = re.compile(r"[?\ufffd]")
_SPACE_IN_NAME = re.compile(rf"(?<=[{_CJK}]) +(?=[{_CJK}])")
_LINE_BREAK = re.compile(r"[\t\n\r\u2028\u2029]")


def _clean(cell: Any) -> str:
    """The text of a cell with what is harmless normalised and the rest checked."""
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    text = _EDGES.sub("", _SPACES.sub(" ", str(cell)))
    check_excel_error(text)
    if _FORMULA_START.match(text):
        raise ValidationError(
            N_("'{value}' starts like a spreadsheet formula; remove the leading sign"),
            value=text[:40],
        )
    if _MARKUP.search(text):
        raise ValidationError(
            N_("'{value}' contains HTML markup; remove the angle brackets"),
            value=text[:40],
        )
    if _CONTROL.search(text):
        raise ValidationError(N_("the text contains control characters"))
    if _BIDI.search(text):
        raise ValidationError(
            N_(
                "the text contains invisible characters that reverse its direction; "
                "type it again"
            )
        )
    if _INSIDE_ZERO_WIDTH.search(text):
        raise ValidationError(
            N_(
                "'{value}' contains invisible zero-width characters, left by a copy "
                "from a web page or a chat; type it again"
            ),
            value=_INSIDE_ZERO_WIDTH.sub("", text)[:40],
        )
    return text


def _lost(text: str) -> ValidationError:
    return ValidationError(
        N_(
            "'{value}' has lost characters: a '?' or '\ufffd' stands where a "
            "character was, because the file was saved in an encoding that lacks it "
            "(such as GBK, Excel's ANSI); save the file as CSV UTF-8 or XLSX and "
            "type the lost characters again"
        ),
        value=text[:40],
    )


def _not_longer(text: str, limit: int) -> str:
    if len(text) > limit:
        raise ValidationError(
            N_(
                "the text has {length} characters, more than the {limit} this column takes"
            ),
            length=len(text),
            limit=limit,
        )
    return text


def parse_text(cell: Any, limit: int = TEXT_MAX) -> str:
    """Free text (a note, a measure, a title): line breaks allowed, a "?"
    after Latin text allowed, a "?" between Chinese characters not."""
    text = _clean(cell)
    if _LOST_IN_TEXT.search(text):
        raise _lost(text)
    return _not_longer(text, limit)


def parse_name(cell: Any, limit: int = NAME_MAX, *, person: bool = False) -> str:
    """A name or an identifier: one line, no "?" at all. A person's name loses
    the spaces between Chinese characters (``王　芳`` aligned with 3-character
    names is 王芳)."""
    text = _clean(cell)
    if _LOST_IN_NAME.search(text):
        raise _lost(text)
    if _LINE_BREAK.search(text):
        raise ValidationError(
            N_("'{value}' is written on more than one line; a name takes one line"),
            value=_LINE_BREAK.sub(" ", text)[:40],
        )
    if person:
        text = _SPACE_IN_NAME.sub("", text)
    return _not_longer(text, limit)
