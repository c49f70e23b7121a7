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
