"""The 通报 in Word: the 公文 parts of GB/T 9704-2012, then its attachments.

Portrait pages of 22 lines × 28 characters carry the 版头 (red 发文机关标志,
发文字号, red separator), the title, 主送, the four parts of the body, the
附件 list, 落款 and 成文日期, and the 版记 (抄送, 印发机关和日期). The
attachments follow in a landscape section: 附件1 the child units × indicators
in 红黄绿 on one page, 附件2 the gaps counted by child unit, each a 统计报表
with its header (表号, 制表机关, 填报单位, 报告期) and footer (单位负责人,
填表人, 联系电话, 报出日期), and 附件3 the children's grades as a bar chart
(the same Vega-Lite chart as the HTML report's, drawn as PNG). Long lists (the gap list, the village ranking)
live in the XLSX attachments only.
"""

from __future__ import annotations

import io
import struct
import unicodedata
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import attrs
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, Twips

from vetservice.i18n import N_, gettext
from vetservice.reports.attachments import (
    LEGEND,
    Frame,
    GapCounts,
    StatTable,
    band_text,
    gap_counts,
    grade_table,
    table_frame,
)
from vetservice.reports.charts import grade_bars, png
from vetservice.reports.docx.layout import (
    BODY_FONT,
    CENTRE,
    CHAR_PITCH_TWIPS,
    HEADING1_FONT,
    HEADING2_FONT,
    LEFT,
    RIGHT,
)
from vetservice.reports.docx.oxml import AFTER_AUTOSPACE, add_run, element, set_style
from vetservice.reports.model import GRADE_COLOURS, GRADE_FILLS
from vetservice.reports.notice import Notice, heading_number, item_number

if TYPE_CHECKING:
    from docx.document import Document
    from docx.styles.style import ParagraphStyle
    from docx.text.paragraph import Paragraph

    from vetservice.reports.model import Report

RED = "FF0000"
MARK_PT = 26  # the 发文机关标志: red 小标宋, smaller than 上边缘 allows (§7.2.3)
TITLE_CHARS = 20  # 2号 characters a title line holds in the 156 mm type area
LANDSCAPE_W, LANDSCAPE_H = 297, 210
LANDSCAPE_MARGIN = 12  # mm: an attachment table uses the page
GRID_PT = 7.5  # 附件1 type size: a city's 14 units × 50 indicators on one page
LINE_FACTOR = 1.15  # grid line height to type size: 60 rows of 6 pt fit one page


def _width(text: str) -> float:
    """Width in characters: full-width 1, half-width (digits, Latin) ½."""
    return sum(1 if unicodedata.east_asian_width(c) in "WFA" else 0.5 for c in text)


def title_lines(title: str, scope: str) -> list[str]:
    """The title in lines of at most :data:`TITLE_CHARS`, broken after the
    period and scope ("关于2026年第三季度全市" / "退役军人…的通报") so that no
    line holds the period alone and no number is split; else broken nearest
    the middle between two Chinese characters."""
    if _width(title) <= TITLE_CHARS:
        return [title]
    cut = title.find(scope) + len(scope) if scope and scope in title else -1
    if (
        cut > 0
        and _width(title[:cut]) <= TITLE_CHARS
        and _width(title[cut:]) <= TITLE_CHARS
    ):
        return [title[:cut], title[cut:]]
    middle = _width(title) / 2
    best, best_off = len(title) // 2, float("inf")
    for i in range(1, len(title)):
        if title[i - 1].isascii() or title[i].isascii():
            continue  # never inside "2026"
        off = abs(_width(title[:i]) - middle)
        if off < best_off:
            best, best_off = i, off
    return [title[:best], *title_lines(title[best:], "")]


@attrs.define
class NoticeWriter:
    report: Report
    notice: Notice
    document: Document
    styles: dict[str, ParagraphStyle] = attrs.Factory(dict)

    def _(self, msgid: str) -> str:
        return gettext(msgid, self.report.lang)

    def paragraph(self, text: str = "", style: str = "Body Text") -> Paragraph:
        if style not in self.styles:
            self.styles[style] = self.document.styles[style]
        paragraph = self.document.add_paragraph(text)
        set_style(paragraph, self.styles[style])
        return paragraph

    def blank(self) -> None:
        self.paragraph("", "Normal")

    # -- 版头 ---------------------------------------------------------------

    def head(self) -> None:
        notice = self.notice
        mark = self.paragraph("", "Title")
        mark.alignment = CENTRE
        add_run(mark._p, notice.mark, colour=RED, size=MARK_PT)
        mark.paragraph_format.line_spacing = Pt(MARK_PT * 1.5)
        self.blank()
        number = self.paragraph(notice.number_text, "Normal")
        number.alignment = CENTRE
        # The red separator 4 mm under the 发文字号, as wide as the type area.
        ppr = number._p.get_or_add_pPr()
        borders = element("w:pBdr")
        borders.append(
            element("w:bottom", val="single", sz="12", space="11", color=RED)
        )
        ppr.insert_element_before(
            borders,
            "w:shd",
            "w:tabs",
            "w:suppressAutoHyphens",
            "w:kinsoku",
            "w:wordWrap",
            "w:overflowPunct",
            "w:topLinePunct",
            *AFTER_AUTOSPACE,
        )
        self.blank()

    def title(self) -> None:
        scope = "全" + self.report.unit.name[-1:] if self.report.lang == "zh" else ""
        for line in title_lines(self.notice.title, scope):
            self.paragraph(line, "Title")
        for text in self.report.sign_offs:  # 审核锁定, under the title
            self.paragraph(text, "Normal").alignment = CENTRE
        self.blank()

    def recipients(self) -> None:
        self.paragraph(self.notice.recipients + "：", "Normal")

    # -- 正文 -----------------------------------------------------------------

    def body(self) -> None:
        self.paragraph(self.notice.opening)
        for number, part in enumerate(self.notice.parts, 1):
            self.paragraph(
                heading_number(number, self.report.lang) + part.heading, "Heading 1"
            )
            for index, text in enumerate(part.paragraphs):
                title = part.titles[index] if index < len(part.titles) else ""
                if not title:
                    self.paragraph(text)
                    continue
                paragraph = self.paragraph("")
                # "（一）…。" in 楷体 on the paragraph's first line, the text after it.
                lang = self.report.lang
                stop = "。" if lang == "zh" else ". "
                run = paragraph.add_run(f"{item_number(index + 1, lang)}{title}{stop}")
                run.font.name = HEADING2_FONT
                run._r.get_or_add_rPr().get_or_add_rFonts().set(
                    qn("w:eastAsia"), HEADING2_FONT
                )
                paragraph.add_run(text)

    def attachment_list(self) -> None:
        attachments = self.notice.attachments
        if not attachments:
            return
        self.blank()
        label = self._(N_("Attachments: "))
        for index, name in enumerate(attachments, 1):
            numbered = f"{index}．{name}" if len(attachments) > 1 else name
            paragraph = self.paragraph(
                (label if index == 1 else "") + numbered, "Body Text"
            )
            if index > 1:  # aligned under the first item's name (§7.3.4)
                ind = paragraph._p.get_or_add_pPr().get_or_add_ind()
                chars = 2 + _width(label)
                ind.set(qn("w:leftChars"), str(round(chars * 100)))
                ind.set(qn("w:left"), str(round(chars * CHAR_PITCH_TWIPS)))
                ind.set(qn("w:firstLineChars"), "0")
                ind.set(qn("w:firstLine"), "0")

    def sign_off(self) -> None:
        """落款 and 成文日期 (§7.3.5.2): the date ends four characters in from the
        right edge, the issuer centred over the date."""
        notice = self.notice
        self.blank()
        date_end = 4
        date_width = _width(notice.date_text)
        name_width = _width(notice.issuer)
        name_end = date_end + (date_width - name_width) / 2
        for text, end in (
            (notice.issuer, max(name_end, 0)),
            (notice.date_text, date_end),
        ):
            paragraph = self.paragraph(text, "Normal")
            paragraph.alignment = RIGHT
            ppr = paragraph._p.get_or_add_pPr()
            for tag in ("w:autoSpaceDE", "w:autoSpaceDN"):
                ppr.insert_element_before(element(tag, val="0"), *AFTER_AUTOSPACE)
            ind = ppr.get_or_add_ind()
            ind.set(qn("w:rightChars"), str(round(end * 100)))
            ind.set(qn("w:right"), str(round(end * CHAR_PITCH_TWIPS)))

    def colophon(self) -> None:
        """版记 (§8): 抄送 and 印发机关和日期 in 4号 between 分隔线, the first and
        last thicker."""
        notice = self.notice
        self.blank()
        lines = [
            (
                self._(N_("Copy to: {copy_to}.")).format(copy_to=notice.copy_to),
                "",
                "top",
            ),
            (notice.printed_by, notice.printed_on, "bottom"),
        ]
        for left, right, edge in lines:
            paragraph = self.paragraph("", "Normal")
            paragraph.paragraph_format.keep_with_next = edge == "top"
            paragraph.paragraph_format.line_spacing = Pt(28)
            paragraph.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
            ppr = paragraph._p.get_or_add_pPr()
            borders = element("w:pBdr")
            thick = element(
                "w:" + edge, val="single", sz="8", space="1", color="000000"
            )
            borders.append(thick)
            if edge == "top":
                borders.append(
                    element("w:bottom", val="single", sz="4", space="1", color="000000")
                )
            else:
                borders.append(
                    element("w:top", val="single", sz="4", space="1", color="000000")
                )
            ppr.insert_element_before(borders, "w:shd", "w:tabs", *AFTER_AUTOSPACE)
            tabs = element("w:tabs")
            tabs.append(element("w:tab", val="right", pos=str(8845 - 280)))
            ppr.insert_element_before(tabs, "w:suppressAutoHyphens", *AFTER_AUTOSPACE)
            ind = ppr.get_or_add_ind()
            ind.set(qn("w:left"), "280")
            ind.set(qn("w:right"), "280")
            paragraph.add_run(left).font.size = Pt(14)
            if right:
                paragraph.add_run("\t" + right).font.size = Pt(14)

    # -- 附件 -----------------------------------------------------------------

    def landscape(self) -> None:
        section = self.document.add_section(WD_SECTION.NEW_PAGE)
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(LANDSCAPE_W), Mm(LANDSCAPE_H)
        for side in ("top_margin", "bottom_margin", "left_margin", "right_margin"):
            setattr(section, side, Mm(LANDSCAPE_MARGIN))
        section.footer_distance = Mm(6)

    def attachment_title(self, index: int, title: str, *, new_page: bool) -> None:
        label = self.paragraph(
            self._(N_("Attachment {number}")).format(number=index), "Attachment"
        )
        label.paragraph_format.page_break_before = new_page
        heading = self.paragraph("", "Title")
        add_run(heading._p, title, size=18)

    def stat_line(self, parts: Sequence[str], *, right: bool = False) -> None:
        paragraph = self.paragraph(
            "　　".join(p for p in parts if p), "Table Text Small"
        )
        paragraph.alignment = RIGHT if right else LEFT

    def grid_table(self, table: StatTable, *, size: float) -> None:
        """A table of short cells that never wrap a number, graded cells filled."""
        usable = Mm(LANDSCAPE_W - 2 * LANDSCAPE_MARGIN).twips
        first = table.first_width
        rest = (usable - first) / max(len(table.columns) - 1, 1)
        widths = [first] + [rest] * (len(table.columns) - 1)
        made = self.document.add_table(rows=0, cols=len(table.columns))
        made.style = self.document.styles["Table Grid"]
        made.alignment = WD_TABLE_ALIGNMENT.CENTER
        made.autofit = False
        tbl_pr = made._tbl.tblPr
        layout = element("w:tblLayout", type="fixed")
        tbl_pr.append(layout)
        margins = element("w:tblCellMar")
        for side, twips in (("top", 0), ("left", 28), ("bottom", 0), ("right", 28)):
            margins.append(element(f"w:{side}", w=str(twips), type="dxa"))
        tbl_pr.append(margins)
        for column, twips in zip(made.columns, widths, strict=True):
            column.width = Twips(int(twips))  # the grid LibreOffice lays out by
        for index, line in enumerate([table.columns, *table.rows]):
            row = made.add_row()
            tr_pr = row._tr.get_or_add_trPr()
            tr_pr.append(element("w:cantSplit"))
            if index == 0:
                tr_pr.append(element("w:tblHeader"))
            for col, (cell, value) in enumerate(zip(row.cells, line, strict=True)):
                cell.width = Twips(int(widths[col]))
                tc_pr = cell._tc.get_or_add_tcPr()
                grade = table.grades[index - 1][col] if index and table.grades else None
                fill = (
                    GRADE_FILLS[grade]
                    if grade is not None
                    else ("E7E6E6" if index == 0 else None)
                )
                if fill:
                    tc_pr.append(element("w:shd", val="clear", color="auto", fill=fill))
                if index and col:
                    tc_pr.append(element("w:noWrap"))
                tc_pr.append(element("w:vAlign", val="center"))
                paragraph = cell.paragraphs[0]
                set_style(paragraph, self.document.styles["Table Text Small"])
                paragraph.alignment = LEFT if col == 0 else CENTRE
                fmt = paragraph.paragraph_format
                fmt.line_spacing = Pt(size * LINE_FACTOR)
                run = paragraph.add_run(value)
                run.font.size = Pt(size)
                if index == 0 or col == 0:
                    run.font.name = HEADING1_FONT if index == 0 else BODY_FONT

    def legend(self) -> None:
        paragraph = self.paragraph("", "Table Text Small")
        for grade in LEGEND:
            add_run(paragraph._p, "■", colour=GRADE_COLOURS[grade])
            add_run(paragraph._p, grade.display(self.report.lang) + "　")
        add_run(paragraph._p, band_text(self.report.lang))

    def frame(self, number: int) -> Frame:
        notice = self.notice
        return table_frame(
            self.report, number, issuer=notice.issuer, approval=notice.approval
        )

    def attachments(self) -> None:
        report = self.report
        if not report.children:
            return
        self.landscape()
        grid = grade_table(report)
        frame = self.frame(1)
        self.attachment_title(1, self.notice.attachments[0], new_page=False)
        self.stat_line(frame.head)
        rows = len(grid.rows) + 1
        room = Mm(
            LANDSCAPE_H - 2 * LANDSCAPE_MARGIN - 60
        ).pt  # title, header, footer, notes
        size = max(min(GRID_PT, room / rows / (LINE_FACTOR + 0.05)), 6)
        self.grid_table(grid, size=size)
        self.legend()
        for note in grid.notes:
            self.paragraph(note, "Table Text Small")
        self.stat_line(frame.foot)
        counts: GapCounts = gap_counts(report)
        frame = self.frame(2)
        self.attachment_title(2, self.notice.attachments[1], new_page=True)
        self.stat_line(frame.head)
        self.grid_table(counts.table, size=9)
        for note in counts.notes:
            self.paragraph(note, "Table Text Small")
        self.stat_line(frame.foot)
        self.attachment_title(3, self.notice.attachments[2], new_page=True)
        self.chart(grade_bars(report))

    def chart(self, spec: dict[str, Any]) -> None:
        """A chart of the report's one specification, as a picture that fits
        the landscape page under its title."""
        image = png(spec)
        width, height = struct.unpack(">II", image[16:24])  # the PNG's IHDR
        room_w = LANDSCAPE_W - 2 * LANDSCAPE_MARGIN - 20
        room_h = LANDSCAPE_H - 2 * LANDSCAPE_MARGIN - 40
        paragraph = self.paragraph("", "Table Text Small")
        paragraph.alignment = CENTRE
        # The style's exact line height would crop the picture to one line.
        paragraph.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
        paragraph.add_run().add_picture(
            io.BytesIO(image), width=Mm(min(room_w, room_h * width / height))
        )


def write_notice(document: Document, report: Report, notice: Notice) -> None:
    writer = NoticeWriter(report, notice, document)
    writer.head()
    writer.title()
    writer.recipients()
    writer.body()
    writer.attachment_list()
    writer.sign_off()
    writer.colophon()
    writer.attachments()


__all__ = ["NoticeWriter", "title_lines", "write_notice"]
