"""A scoring sheet whose item names an indicator no plugin provides."""

import vetservice as vs
from vetservice.scoring import parse_sheet

SHEET = """
id: broken_sheet
name: 缺指标的考核表
name_en: sheet with a missing indicator
level: village
lines:
  - id: veterans
    name: 退役军人工作
    weight: 10
    items:
      - id: plaque
        name: 光荣牌未挂的扣分
        kind: deduction
        indicator: honor.plaque_hangs
        count: shortfall
        points: 0.5
"""


@vs.hookimpl
def vetservice_register_scoring_sheets():
    return [parse_sheet(SHEET, source="sheet_missing_indicator.py")]
