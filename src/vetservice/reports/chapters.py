"""The chapters of a report, in the one order every renderer follows.

The reader's guide to the reports lists them in this order (情况通报,
主要指标, 分领域情况, 下级单位排名, 差距清单, 分类统计, 考核排名,
信访关注清单, 插件故障). Each renderer maps every chapter to what draws it
and walks :data:`CHAPTERS`; a chapter with nothing to show may be left
out. What frames the chapters (the title and period before them, the Word
document's sign-off and attachment after them) is not a chapter.
"""

from __future__ import annotations

import enum
from typing import Protocol


class Chapter(enum.Enum):
    BRIEFING = "briefing"  # 情况通报
    HEADLINE = "headline"  # 主要指标
    AREAS = "areas"  # 分领域情况, one section per area
    RANKING = "ranking"  # 下级单位排名
    GAPS = "gaps"  # 差距清单
    BREAKDOWN = "breakdown"  # 分类统计
    SCORINGS = "scorings"  # 考核排名
    WATCH_LIST = "watch_list"  # 信访关注清单
    FAILURES = "failures"  # 插件故障


CHAPTERS: tuple[Chapter, ...] = tuple(Chapter)


class ChapterWriter(Protocol):
    """A renderer that draws each chapter with the method of its name (and may
    draw nothing for a chapter with nothing to show)."""

    def briefing(self) -> None: ...
    def headline(self) -> None: ...
    def areas(self) -> None: ...
    def ranking(self) -> None: ...
    def gaps(self) -> None: ...
    def breakdown(self) -> None: ...
    def scorings(self) -> None: ...
    def watch_list(self) -> None: ...
    def failures(self) -> None: ...


def write_chapters(writer: ChapterWriter) -> None:
    """Draw every chapter, in the one order."""
    for chapter in CHAPTERS:
        getattr(writer, chapter.value)()
