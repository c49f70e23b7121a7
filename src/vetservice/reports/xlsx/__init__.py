"""The XLSX report: a workbook laid out like an official 统计报表.

Sheets, in the order of the report's chapters: 总览 (情况通报, headline
figures, ranking in brief, plugin failures), one per area with every
indicator, its comparisons and the children's values, 排名, 差距清单, and
分类统计, 考核排名 and 信访关注清单 when the report carries them. Every sheet
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
