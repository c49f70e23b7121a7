"""Pieces of the page: escaping, anchors, colours, the stylesheet, text measured for SVG."""

from __future__ import annotations

import functools
import html
from collections.abc import Iterable, Sequence
from importlib import resources

from vetservice.indicators.grades import Grade
from vetservice.reports.model import GRADE_COLOURS, GRADE_FILLS

FONT = 12  # the charts' text size


def esc(text: object) -> str:
    """Text from the data, safe in an element or a quoted attribute."""
    return html.escape(str(text), quote=True)


@functools.cache
def stylesheet() -> str:
    return (
        resources.files("vetservice.reports")
        .joinpath("templates", "report.css")
        .read_text(encoding="utf-8")
    )


def anchor(prefix: str, key: str) -> str:
    """An id made of letters, digits, '.', '_' and '-' only, one-to-one with ``key``."""
    safe = "".join(
        ch if (ch.isascii() and (ch.isalnum() or ch in "._")) else f"-{ord(ch):x}-"
        for ch in key
    )
    return f"{prefix}-{safe}"


def colour(grade: Grade) -> str:
    """A grade's 红黄绿 colour."""
    return "#" + GRADE_COLOURS[grade]


def fill(grade: Grade) -> str:
    """A grade's light cell fill (附件1's heat map)."""
    return "#" + GRADE_FILLS[grade]


def text_width(text: str, size: float = FONT) -> float:
    """About how wide ``text`` is in an SVG: CJK characters are square."""
    return sum(size if ord(ch) > 0x2E7F else size * 0.6 for ch in text)


def clip(text: str, width: float, size: float = FONT) -> str:
    if text_width(text, size) <= width:
        return text
    while text and text_width(text + "…", size) > width:
        text = text[:-1]
    return text + "…"


def wrap(text: str, width: float, size: float = FONT) -> list[str]:
    """``text`` cut into lines no wider than ``width`` (at most two, the second clipped)."""
    lines, line = [], ""
    for ch in text:
        if line and text_width(line + ch, size) > width:
            lines.append(line)
            line = ""
        line += ch
    lines.append(line)
    if len(lines) > 2:
        lines = [lines[0], clip("".join(lines[1:]), width, size)]
    return lines


def badge(grade: Grade, text: str) -> str:
    """A 红黄绿 grade as a coloured label."""
    return (
        f'<span class="badge grade-{esc(grade.value)}" '
        f'style="background-color:{colour(grade)}">{esc(text)}</span>'
    )


def table(
    headers: Sequence[tuple[str, str]],
    rows: Iterable[str],
    cls: str = "",
) -> str:
    """A table with a header row of (label, class) and the rows' markup."""
    head = "".join(
        f'<th scope="col" class="{c}">{esc(h)}</th>'
        if c
        else f'<th scope="col">{esc(h)}</th>'
        for h, c in headers
    )
    klass = f' class="{cls}"' if cls else ""
    return (
        f"<table{klass}><thead><tr>{head}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )
