"""The XLSX report: a workbook laid out like an official 统计报表.

Sheets: 总览 (headline figures, 情况通报, ranking), one per area with every
indicator, its comparisons and the children's values, 差距清单, 排名, and
考核排名, 分类统计 and 信访关注清单 when the report carries them. Every sheet
opens with the report header (title, 填报单位, 报告期, 制表日期, 负责人 and
填表人 blanks), has frozen column headers, an autofilter on its table, and
prints on A4 landscape, one page wide.

Figures are stored as numbers (a ratio as 0.926 shown as 92.6%), exactly the
values of the JSON report; texts from records (unit names, reasons, case
numbers) are always stored as text, never as formulas.
"""

from vetservice.reports.xlsx.gap_list import gap_list_xlsx
from vetservice.reports.xlsx.workbook import to_xlsx

__all__ = ["gap_list_xlsx", "to_xlsx"]
