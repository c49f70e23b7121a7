"""The Word report in 公文 layout (GB/T 9704-2012): the 情况通报 a bureau circulates.

The page follows the standard's 版心 (type area): A4, margins 37 mm top, 35 mm
bottom, 28 mm left and 26 mm right, which leaves 156 × 225 mm for 22 lines of
28 characters. The title is 2号 方正小标宋简体, the text 3号 仿宋_GB2312 with a
first-line indent of two characters, first-level headings (一、) 黑体 and
second-level headings (（一）) 楷体_GB2312, all 3号. Page numbers sit below the
type area as "— 1 —" in 4号 宋体.

Like every renderer it lays out a :class:`~vetservice.reports.model.Report` and
computes no figure; every fixed label comes from the message catalogue.
"""

from vetservice.reports.docx.document import to_docx

__all__ = ["to_docx"]
