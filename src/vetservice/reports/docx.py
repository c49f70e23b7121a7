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

from __future__ import annotations

import copy
import datetime as dt
import io
import math
import unicodedata
import zipfile
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

import attrs
import docx
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, Twips
from lxml import etree

from vetservice.i18n import N_, gettext
from vetservice.indicators import Status
from vetservice.reports.format import status_text
from vetservice.reports.model import STATUS_COLOURS, is_ratio

if TYPE_CHECKING:
    from docx.document import Document
    from docx.oxml.xmlchemy import BaseOxmlElement
    from docx.styles.style import ParagraphStyle
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    from vetservice.reports.model import IndicatorRow, Report

# --- The page (GB/T 9704-2012 §5.2) ------------------------------------------

PAGE_WIDTH_MM, PAGE_HEIGHT_MM = 210, 297
TOP_MM, BOTTOM_MM, LEFT_MM, RIGHT_MM = 37, 35, 28, 26
LINES, CHARS = 22, 28


def _twips(mm: float) -> int:
    """Millimetres as Word stores them: whole twips (1/20 pt)."""
    return Mm(mm).twips


TEXT_WIDTH = _twips(PAGE_WIDTH_MM) - _twips(LEFT_MM) - _twips(RIGHT_MM)  # 8845 = 156 mm
# 12756 twips = 225 mm
TEXT_HEIGHT = _twips(PAGE_HEIGHT_MM) - _twips(TOP_MM) - _twips(BOTTOM_MM)

# --- Type sizes (号) in points -------------------------------------------------

TITLE_PT = 22  # 2号
BODY_PT = 16  # 3号
PAGE_NUMBER_PT = 14  # 4号
TABLE_PT = 12  # 小四
SMALL_TABLE_PT = 10.5  # 五号, for tables of more than five columns
NOTE_PT = 9  # 小五: a unit's code or a fraction under the main text of a cell

# 22 lines in 225 mm (637.8 pt) are 28.99 pt apart. Word keeps line spacing in
# twips, so the pitch is rounded *down* to 579 twips = 28.95 pt: 22 × 28.95 pt
# = 636.9 pt still fits, where 580 twips (29 pt) would push the 22nd line over.
LINE_TWIPS = TEXT_HEIGHT // LINES
LINE = Twips(LINE_TWIPS)

# 28 characters of 16 pt are 448 pt, more than the 442.25 pt of the type area
# (a pitch of 15.79 pt). The 3号 styles condense every character by 0.25 pt
# (w:spacing, in twentieths of a point, rounded down so that the 28th character
# fits: 28 × 15.75 pt = 441 pt), which Word and LibreOffice both honour; the
# section's grid holds the lines (docGrid type "lines", pitch 28.95 pt), so
# Word's page setup shows 22 lines, without snapping characters to a grid
# whose rendering differs between Word, WPS and LibreOffice.
CHAR_PITCH_TWIPS = TEXT_WIDTH / CHARS
CHAR_SPACING = math.floor(CHAR_PITCH_TWIPS - BODY_PT * 20)  # twips: −5

# Page numbers: the dash line's top 7 mm below the type area, in a 20 pt line.
PAGE_NUMBER_LINE = Pt(20)
FOOTER_DISTANCE = Mm(BOTTOM_MM - 7) - PAGE_NUMBER_LINE

# --- Fonts ---------------------------------------------------------------------

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING1_FONT = "黑体"
HEADING2_FONT = "楷体_GB2312"
PAGE_NUMBER_FONT = "宋体"
LATIN_FONT = "Times New Roman"  # digits and Latin letters, as bureaus set them

# A run names one East Asian font and OOXML has no per-run fallback list. The
# file format's own place for other names of a font is the font table's
# <w:altName> (ECMA-376 §17.8.3.1, "alternative names ... used to locate the
# font"), which Word reads together with the charset (86, GB2312) and family
# when it substitutes a missing font; so the fonts a clerk's computer may lack
# carry the common Windows font there (方正小标宋简体 → 宋体, as offices do when
# 小标宋 is missing). LibreOffice ignores <w:altName> and substitutes from its
# own table (Noto CJK here), so the document properties' comments say the same
# in words for whoever retypesets the document. A style named after the
# fallback would have been seen by nobody and used by no program.
FALLBACKS = {TITLE_FONT: "宋体", BODY_FONT: "仿宋", HEADING2_FONT: "楷体"}
# Font table entries: charset 86 is GB2312; family as Windows classifies them.
FONT_TABLE = {
    TITLE_FONT: "roman",
    BODY_FONT: "modern",
    HEADING1_FONT: "modern",
    HEADING2_FONT: "modern",
    PAGE_NUMBER_FONT: "auto",
}

HEADER_FILL = "E7E6E6"
MARKER = "●"
EM_DASH = "—"

LEFT, CENTRE, RIGHT = (
    WD_ALIGN_PARAGRAPH.LEFT,
    WD_ALIGN_PARAGRAPH.CENTER,
    WD_ALIGN_PARAGRAPH.RIGHT,
)

# Successors of elements python-docx has no API for, in schema order, so that
# Word (which is strict about order) accepts the file.
_AFTER_SNAP = (
    "w:spacing",
    "w:ind",
    "w:contextualSpacing",
    "w:mirrorIndents",
    "w:suppressOverlap",
    "w:jc",
    "w:textDirection",
    "w:textAlignment",
    "w:textboxTightWrap",
    "w:outlineLvl",
    "w:divId",
    "w:cnfStyle",
    "w:rPr",
    "w:sectPr",
    "w:pPrChange",
)
_AFTER_AUTOSPACE = ("w:bidi", "w:adjustRightInd", "w:snapToGrid", *_AFTER_SNAP)
_AFTER_OUTLINE = ("w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")
_AFTER_TBLHEADER = ("w:tblCellSpacing", "w:jc", "w:hidden", "w:ins", "w:del")
_AFTER_CANTSPLIT = ("w:trHeight", "w:tblHeader", *_AFTER_TBLHEADER)
_AFTER_SHD = ("w:noWrap", "w:tcMar", "w:textDirection", "w:tcFitText", "w:vAlign")
_AFTER_CELLMAR = ("w:tblLook", "w:tblCaption", "w:tblDescription", "w:tblPrChange")
_AFTER_SPACING = (
    "w:w",
    "w:kern",
    "w:position",
    "w:sz",
    "w:szCs",
    "w:highlight",
    "w:u",
    "w:effect",
    "w:bdr",
    "w:shd",
    "w:fitText",
    "w:vertAlign",
    "w:rtl",
    "w:cs",
    "w:em",
    "w:lang",
    "w:eastAsianLayout",
    "w:specVanish",
    "w:oMath",
)


def _element(tag: str, **attributes: str) -> BaseOxmlElement:
    element = OxmlElement(tag)
    for name, value in attributes.items():
        element.set(qn(f"w:{name}"), value)
    return element


# --- Styles --------------------------------------------------------------------


def _set_fonts(rpr: BaseOxmlElement, east_asia: str, latin: str = LATIN_FONT) -> None:
    """Name the fonts explicitly (theme fonts would win over them)."""
    fonts = rpr.get_or_add_rFonts()  # type: ignore[attr-defined]
    for name in list(fonts.attrib):
        del fonts.attrib[name]
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:eastAsia"), east_asia)
    fonts.set(qn("w:cs"), latin)


def _no_snap(ppr: BaseOxmlElement) -> None:
    """Leave the section's line grid: the paragraph keeps its own line height."""
    ppr.insert_element_before(_element("w:snapToGrid", val="0"), *_AFTER_SNAP)


def _indent_chars(ppr: BaseOxmlElement, first_line: float) -> None:
    """A first-line indent in characters (w:firstLineChars) and in twips for older readers."""
    ind = ppr.get_or_add_ind()  # type: ignore[attr-defined]
    ind.set(qn("w:firstLineChars"), str(round(first_line * 100)))
    ind.set(qn("w:firstLine"), str(round(first_line * CHAR_PITCH_TWIPS)))


def _paragraph_style(
    document: Document,
    name: str,
    *,
    font: str,
    size: float,
    line: Twips | Pt,
    align: WD_ALIGN_PARAGRAPH | None = None,
    indent: float = 0,
    snap: bool = True,
    keep_with_next: bool = False,
    outline: int | None = None,
    condense: bool = False,
) -> ParagraphStyle:
    """A paragraph style from scratch (a built-in one is wiped first)."""
    styles = document.styles
    if name in [s.name for s in styles]:
        style = styles[name]
        style.element._remove_pPr()  # type: ignore[attr-defined]
        style.element._remove_rPr()  # type: ignore[attr-defined]
    else:
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    if name != "Normal":
        style.base_style = styles["Normal"]
    _set_fonts(style.element.get_or_add_rPr(), font)
    style.font.size = Pt(size)
    style.font.bold = False
    rpr = style.element.get_or_add_rPr()
    spacing = str(CHAR_SPACING if condense else 0)
    rpr.insert_element_before(_element("w:spacing", val=spacing), *_AFTER_SPACING)
    fmt = style.paragraph_format
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = line
    fmt.alignment = align
    fmt.keep_with_next = keep_with_next
    ppr = style.element.get_or_add_pPr()
    ind = ppr.get_or_add_ind()
    ind.set(qn("w:firstLineChars"), "0")
    ind.set(qn("w:firstLine"), "0")
    if indent:
        _indent_chars(ppr, indent)
    if not snap:
        _no_snap(ppr)
    if outline is not None:
        ppr.insert_element_before(
            _element("w:outlineLvl", val=str(outline)), *_AFTER_OUTLINE
        )
    return style


def _styles(document: Document) -> None:
    styles = document.styles
    # Document defaults: explicit fonts instead of the template's theme fonts
    # (whose East Asian face is Japanese), 3号, Chinese for East Asian text.
    defaults = styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
    _set_fonts(rpr, BODY_FONT)
    for tag in ("w:sz", "w:szCs"):
        rpr.find(qn(tag)).set(qn("w:val"), str(BODY_PT * 2))
    # Latin text is English whatever the report's language: marked Chinese,
    # LibreOffice breaks Latin words and numbers anywhere ("2026Q3").
    language = rpr.find(qn("w:lang"))
    language.set(qn("w:val"), "en-US")
    language.set(qn("w:eastAsia"), "zh-CN")
    spacing = defaults.find(f"{qn('w:pPrDefault')}/{qn('w:pPr')}/{qn('w:spacing')}")
    spacing.set(qn("w:after"), "0")
    spacing.set(qn("w:line"), "240")

    body = {"size": BODY_PT, "line": LINE, "condense": True}
    _paragraph_style(document, "Normal", font=BODY_FONT, **body)
    _paragraph_style(
        document,
        "Body Text",
        font=BODY_FONT,
        align=WD_ALIGN_PARAGRAPH.JUSTIFY,
        indent=2,
        **body,
    )
    # The title, the tables and the footer leave the line grid (snapToGrid off)
    # so that Word keeps their own line heights.
    _paragraph_style(
        document,
        "Title",
        font=TITLE_FONT,
        size=TITLE_PT,
        line=LINE,
        align=CENTRE,
        snap=False,
        keep_with_next=True,
    )
    _paragraph_style(document, "Subtitle", font=HEADING2_FONT, align=CENTRE, **body)
    for level, font in ((1, HEADING1_FONT), (2, HEADING2_FONT)):
        _paragraph_style(
            document,
            f"Heading {level}",
            font=font,
            align=WD_ALIGN_PARAGRAPH.JUSTIFY,
            indent=2,
            keep_with_next=True,
            outline=level - 1,
            **body,
        )
    _paragraph_style(document, "Attachment", font=HEADING1_FONT, **body)
    for suffix, size in (("", TABLE_PT), (" Small", SMALL_TABLE_PT)):
        # Table text takes a line of 1.3 times its size.
        line = Pt(math.ceil(size * 1.3))
        _paragraph_style(
            document,
            f"Table Text{suffix}",
            font=BODY_FONT,
            size=size,
            line=line,
            snap=False,
        )
        _paragraph_style(
            document,
            f"Table Heading{suffix}",
            font=HEADING1_FONT,
            size=size,
            line=line,
            align=CENTRE,
            snap=False,
        )
    footer = _paragraph_style(
        document,
        "Footer",
        font=PAGE_NUMBER_FONT,
        size=PAGE_NUMBER_PT,
        line=PAGE_NUMBER_LINE,
        snap=False,
    )
    _set_fonts(footer.element.get_or_add_rPr(), PAGE_NUMBER_FONT, PAGE_NUMBER_FONT)


# --- The page and its footer -------------------------------------------------


def _page(document: Document) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(PAGE_WIDTH_MM), Mm(PAGE_HEIGHT_MM)
    section.top_margin, section.bottom_margin = Mm(TOP_MM), Mm(BOTTOM_MM)
    section.left_margin, section.right_margin = Mm(LEFT_MM), Mm(RIGHT_MM)
    section.footer_distance = FOOTER_DISTANCE
    section.gutter = Mm(0)
    grid = section._sectPr.find(qn("w:docGrid"))
    if grid is None:
        grid = _element("w:docGrid")
        section._sectPr.append(grid)
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(LINE_TWIPS))
    # Page numbers on the outside edge, as GB/T 9704-2012 §7.5 places them for
    # printing on both sides: odd pages on the right and even pages on the
    # left, one character in from the edge of the type area.
    document.settings.odd_and_even_pages_header_footer = True
    for footer, align in ((section.footer, RIGHT), (section.even_page_footer, LEFT)):
        footer.is_linked_to_previous = False
        paragraph = footer.paragraphs[0]
        paragraph.style = document.styles["Footer"]
        paragraph.alignment = align
        one_char = Pt(PAGE_NUMBER_PT)
        if align is RIGHT:
            paragraph.paragraph_format.right_indent = one_char
        else:
            paragraph.paragraph_format.left_indent = one_char
        _page_number(paragraph)


def _page_number(paragraph: Paragraph) -> None:
    """The page number "— 7 —": a PAGE field between em dashes (一字线)."""
    p = paragraph._p
    _add_run(p, f"{EM_DASH} ", east_asia=True)
    p.append(_field_char("begin"))
    instruction = OxmlElement("w:r")
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = " PAGE "
    instruction.append(text)
    p.append(instruction)
    p.append(_field_char("separate"))
    _add_run(p, "1")
    p.append(_field_char("end"))
    _add_run(p, f" {EM_DASH}", east_asia=True)


def _field_char(kind: str) -> BaseOxmlElement:
    run = OxmlElement("w:r")
    run.append(_element("w:fldChar", fldCharType=kind))
    return run


# --- Runs and tables -------------------------------------------------------------


_R, _RPR, _RFONTS, _COLOUR, _SZ, _SZCS, _BR, _T, _TC, _P = (
    qn(f"w:{tag}")
    for tag in ("r", "rPr", "rFonts", "color", "sz", "szCs", "br", "t", "tc", "p")
)
_VAL, _HINT, _XML_SPACE = qn("w:val"), qn("w:hint"), qn("xml:space")


def _add_run(
    p: BaseOxmlElement,
    text: str,
    *,
    colour: str | None = None,
    size: float | None = None,
    line_break: bool = False,
    east_asia: bool = False,
) -> None:
    """Append a run to the paragraph element ``p`` (plain lxml: tables have thousands)."""
    run = etree.SubElement(p, _R)
    if colour or size or east_asia:
        rpr = etree.SubElement(run, _RPR)
        if east_asia:  # the dash is the full-width 一字线, not a Latin dash
            etree.SubElement(rpr, _RFONTS).set(_HINT, "eastAsia")
        if colour:
            etree.SubElement(rpr, _COLOUR).set(_VAL, colour)
        if size:
            half_points = str(round(size * 2))
            etree.SubElement(rpr, _SZ).set(_VAL, half_points)
            etree.SubElement(rpr, _SZCS).set(_VAL, half_points)
    if line_break:
        etree.SubElement(run, _BR)
    t = etree.SubElement(run, _T)
    t.set(_XML_SPACE, "preserve")
    t.text = text


@attrs.frozen
class Cell:
    """A table cell: its text, a smaller second line, a status marker in colour."""

    text: str
    note: str = ""
    status: Status | None = None


@attrs.frozen
class Column:
    header: str
    width: float  # millimetres; a table's columns are scaled to fill 156 mm
    align: WD_ALIGN_PARAGRAPH = CENTRE
    note: str = ""


def _set_style(paragraph: Paragraph, style: ParagraphStyle) -> None:
    """``paragraph.style = style`` without python-docx's scan of every style for the default."""
    paragraph._p.get_or_add_pPr().style = style.style_id


def _fill(p: BaseOxmlElement, value: Cell | str) -> None:
    cell = value if isinstance(value, Cell) else Cell(value)
    if cell.status is not None:
        _add_run(p, MARKER, colour=STATUS_COLOURS[cell.status])
        _add_run(p, " ")
    _add_run(p, cell.text.replace("\n", " "))
    if cell.note:
        _add_run(p, cell.note, size=NOTE_PT, line_break=True)


def _widths(columns: Sequence[Column]) -> list[int]:
    total = sum(c.width for c in columns)
    widths = [int(TEXT_WIDTH * c.width / total) for c in columns]
    widths[-1] += TEXT_WIDTH - sum(widths)
    return widths


def _table(
    document: Document,
    columns: Sequence[Column],
    rows: Iterable[Sequence[Cell | str]],
    *,
    small: bool = False,
) -> Table:
    """A full-width table whose header row repeats on every page.

    Rows are copies of one prepared row (python-docx builds a row in about a
    millisecond; a city's gap list has thousands).
    """
    suffix = " Small" if small or len(columns) > 5 else ""
    text_style = document.styles[f"Table Text{suffix}"]
    heading_style = document.styles[f"Table Heading{suffix}"]
    widths = _widths(columns)
    table = document.add_table(rows=1, cols=len(columns))
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    tbl_pr = table._tbl.tblPr
    width = tbl_pr.find(qn("w:tblW"))
    width.set(qn("w:type"), "dxa")
    width.set(qn("w:w"), str(TEXT_WIDTH))
    margins = _element("w:tblCellMar")
    for side, size in (("top", 28), ("left", 57), ("bottom", 28), ("right", 57)):
        margins.append(_element(f"w:{side}", w=str(size), type="dxa"))
    tbl_pr.insert_element_before(margins, *_AFTER_CELLMAR)
    for column, twips in zip(table.columns, widths, strict=True):
        column.width = Twips(twips)

    header = table.rows[0]
    header_pr = header._tr.get_or_add_trPr()
    header_pr.insert_element_before(_element("w:cantSplit"), *_AFTER_CANTSPLIT)
    header_pr.insert_element_before(_element("w:tblHeader"), *_AFTER_TBLHEADER)
    for cell, column, twips in zip(header.cells, columns, widths, strict=True):
        cell.width = Twips(twips)
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        cell._tc.get_or_add_tcPr().insert_element_before(
            _element("w:shd", val="clear", color="auto", fill=HEADER_FILL), *_AFTER_SHD
        )
        paragraph = cell.paragraphs[0]
        _set_style(paragraph, heading_style)
        _fill(paragraph._p, Cell(column.header, note=column.note))

    prototype = table.add_row()
    prototype._tr.get_or_add_trPr().insert_element_before(
        _element("w:cantSplit"), *_AFTER_CANTSPLIT
    )
    for cell, column, twips in zip(prototype.cells, columns, widths, strict=True):
        cell.width = Twips(twips)
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        paragraph = cell.paragraphs[0]
        _set_style(paragraph, text_style)
        paragraph.alignment = column.align
    tr = prototype._tr
    table._tbl.remove(tr)
    for values in rows:
        row = copy.deepcopy(tr)
        for tc, value in zip(row.iterchildren(_TC), values, strict=True):
            _fill(tc.find(_P), value)
        table._tbl.append(row)
    return table


# --- Text helpers --------------------------------------------------------------


_NUMERALS = "〇一二三四五六七八九"


def _numeral(n: int, lang: str) -> str:
    """一, 二, … 十一 in Chinese; 1, 2, … otherwise."""
    if lang != "zh":
        return str(n)
    if n < 10:
        return _NUMERALS[n]
    tens, ones = divmod(n, 10)
    return (
        ("" if tens == 1 else _NUMERALS[tens])
        + "十"
        + (_NUMERALS[ones] if ones else "")
    )


def _width(text: str) -> float:
    """Width in 3号 characters: full-width 1, half-width (digits, Latin) ½."""
    return sum(1 if unicodedata.east_asian_width(c) in "WFA" else 0.5 for c in text)


@attrs.define
class _Writer:
    """Writes one report into one document, numbering the sections as it goes."""

    report: Report
    document: Document
    sections: int = 0
    subsections: int = 0
    styles: dict[str, ParagraphStyle] = attrs.Factory(dict)

    def _(self, msgid: str) -> str:
        return gettext(msgid, self.report.lang)

    @property
    def lang(self) -> str:
        return self.report.lang

    def paragraph(self, text: str, style: str = "Body Text") -> Paragraph:
        if style not in self.styles:  # looking a style up by name scans them all
            self.styles[style] = self.document.styles[style]
        paragraph = self.document.add_paragraph(text)
        _set_style(paragraph, self.styles[style])
        return paragraph

    def heading(self, title: str) -> None:
        self.sections += 1
        self.subsections = 0
        number = _numeral(self.sections, self.lang)
        self.paragraph(
            self._(N_("{number}. {title}")).format(number=number, title=title),
            "Heading 1",
        )

    def subheading(self, title: str) -> None:
        self.subsections += 1
        number = _numeral(self.subsections, self.lang)
        self.paragraph(
            self._(N_("({number}) {title}")).format(number=number, title=title),
            "Heading 2",
        )

    def none(self) -> None:
        self.paragraph(self._(N_("None.")))

    def table(
        self,
        columns: Sequence[Column],
        rows: Iterable[Sequence[Cell | str]],
        *,
        small: bool = False,
    ) -> Table:
        return _table(self.document, columns, rows, small=small)

    # -- the sections ------------------------------------------------------

    def front(self) -> None:
        report = self.report
        self.paragraph(report.title, "Title")
        # The period text already says when the period is not over.
        self.paragraph(
            self._(N_("Period: {text}")).format(text=report.period_text), "Subtitle"
        )
        self.paragraph("", "Normal")

    def overview(self) -> None:
        self.heading(self._(N_("General situation")))
        if not self.report.briefing:
            self.none()
        for text in self.report.briefing:
            self.paragraph(text)

    def _indicator_columns(
        self, rows: Sequence[IndicatorRow], *, year_to_date: bool
    ) -> tuple[list[Column], list[list[Cell | str]]]:
        _ = self._
        columns = [
            Column(_(N_("indicator")), 30, LEFT),
            Column(_(N_("value")), 14),
            Column(_(N_("numerator/denominator")), 21),
            Column(_(N_("target")), 16),
            Column(_(N_("status")), 19),
        ]
        comparisons = [
            (N_("on the previous period"), "previous"),
            (N_("on the same period last year"), "last_year"),
        ]
        if year_to_date:
            comparisons.append((N_("year to date"), "year_to_date"))
        shown = [
            (label, key)
            for label, key in comparisons
            if any(getattr(row, key) is not None for row in rows)
        ]
        columns += [Column(_(label), 19) for label, _key in shown]
        cells: list[list[Cell | str]] = []
        for row in rows:
            line: list[Cell | str] = [
                Cell(row.name, note=row.coverage_text),
                row.value_text,
                row.fraction_text or "—",
                row.target_text,
                Cell(row.status_text, status=row.status),
            ]
            for _label, key in shown:
                change = getattr(row, key)
                if change is None:
                    line.append("—")
                elif key == "year_to_date":
                    line.append(change.value_text)
                else:
                    line.append(change.change_text)
            cells.append(line)
        return columns, cells

    def headline(self) -> None:
        self.heading(self._(N_("Key figures")))
        if not self.report.headline:
            self.none()
            return
        self.table(*self._indicator_columns(self.report.headline, year_to_date=False))

    def areas(self) -> None:
        self.heading(self._(N_("By area")))
        if not self.report.areas:
            self.none()
        for section in self.report.areas:
            self.subheading(section.title)
            self.table(*self._indicator_columns(section.rows, year_to_date=True))

    def ranking(self) -> None:
        _ = self._
        self.heading(_(N_("Ranking of the units one level down")))
        if not self.report.ranking:
            self.none()
            return
        separator = "、" if self.lang == "zh" else ", "
        self.table(
            [
                Column(_(N_("rank")), 12),
                Column(_(N_("unit")), 30, LEFT),
                Column(_(N_("met/assessed")), 20),
                Column(_(N_("share met")), 17),
                Column(_(N_("indicators not met")), 77, LEFT),
            ],
            (
                [
                    str(row.rank),
                    Cell(row.unit.name, note=row.unit.code),
                    f"{row.met}/{row.assessed}",
                    row.share_text,
                    separator.join(row.not_met) or "—",
                ]
                for row in self.report.ranking
            ),
            small=True,
        )

    def gaps(self) -> None:
        _ = self._
        self.heading(_(N_("Gap list")))
        if not self.report.gaps:
            self.none()
            return
        self.table(
            [
                Column(_(N_("No.")), 10),
                Column(_(N_("unit")), 27, LEFT),
                Column(_(N_("indicator")), 26, LEFT),
                Column(_(N_("what is missing")), 44, LEFT),
                Column(_(N_("rule")), 49, LEFT),
            ],
            (
                [
                    str(number),
                    Cell(gap.unit_name, note=gap.unit),
                    gap.indicator_name,
                    gap.reason,
                    gap.rule,
                ]
                for number, gap in enumerate(self.report.gaps, 1)
            ),
            small=True,
        )

    def scorings(self) -> None:
        if not self.report.scorings:
            return
        _ = self._
        self.heading(_(N_("Scoring ranking")))
        for section in self.report.scorings:
            self.subheading(section.title)
            self.paragraph(
                _(
                    N_("{count} units of level {level} scored; full marks {max}.")
                ).format(
                    count=len(section.rows),
                    level=section.level_text,
                    max=section.max_text,
                )
            )
            self.table(
                [
                    Column(_(N_("rank")), 12),
                    Column(_(N_("unit")), 34, LEFT),
                    Column(_(N_("total")), 14),
                    *(Column(name, 20) for name in section.line_names),
                ],
                (
                    [
                        "—" if row.rank is None else str(row.rank),
                        Cell(row.unit.name, note=row.unit.code),
                        row.total_text,
                        *row.lines,
                    ]
                    for row in section.rows
                ),
            )

    def watch_list(self) -> None:
        if not self.report.watch_list:
            return
        _ = self._
        self.heading(_(N_("Petitions watch list")))
        self.table(
            [
                Column(_(N_("case number")), 25),
                Column(_(N_("unit")), 30, LEFT),
                Column(_(N_("received on")), 21),
                Column(_(N_("stage")), 20),
                Column(_(N_("deadline")), 21),
                Column(_(N_("days left")), 13),
                Column(_(N_("sensitive period")), 26, LEFT),
            ],
            (
                [
                    row.case_no,
                    Cell(row.unit_name, note=row.unit),
                    row.received_on.isoformat(),
                    row.stage_text,
                    row.deadline.isoformat(),
                    str(row.days_left),
                    row.sensitive_text or "—",
                ]
                for row in self.report.watch_list
            ),
        )

    def breakdown(self) -> None:
        if not self.report.breakdown:
            return
        _ = self._
        self.heading(_(N_("By station kind")))
        groups: list[str] = []
        for row in self.report.breakdown:
            groups += [g[0] for g in row.groups if g[0] not in groups]
        columns = [
            Column(_(N_("indicator")), 40, LEFT),
            *(Column(group, 23) for group in groups),
        ]
        lines = []
        for row in self.report.breakdown:
            found = {g[0]: g for g in row.groups}
            line: list[Cell | str] = [row.name]
            for group in groups:
                if group not in found:
                    line.append("—")
                    continue
                _group, numerator, denominator, _value, text = found[group]
                note = f"{numerator}/{denominator}" if is_ratio(row.kind) else ""
                line.append(Cell(text, note=note))
            lines.append(line)
        self.table(columns, lines)

    def failures(self) -> None:
        if not self.report.failures:
            return
        self.heading(self._(N_("Plugin failures")))
        for failure in self.report.failures:
            self.paragraph(failure)

    def attachment_note(self) -> None:
        if not self.report.children:
            return
        self.paragraph("", "Normal")
        self.paragraph(
            self._(N_("Attachment: {title}")).format(title=self._attachment_title())
        )

    def _attachment_title(self) -> str:
        return self._(N_("Indicators of the units one level down"))

    def sign_off(self) -> None:
        """The issuing unit and the date, right-aligned (GB/T 9704-2012 §7.3.5.2).

        The name stands two characters in from the right edge and the date
        starts two characters right of the name's first character; whichever
        of the two is longer ends two characters in from the right edge.
        """
        report = self.report
        day: dt.date = report.generated_at.date()
        name = report.unit.name
        date = self._(N_("{year}-{month:02d}-{day:02d}")).format(
            year=day.year, month=day.month, day=day.day
        )
        name_end, date_end = _width(name), 2 + _width(date)
        right = max(name_end, date_end)
        self.paragraph("", "Normal")
        for text, end in ((name, name_end), (date, date_end)):
            paragraph = self.paragraph(text, "Normal")
            paragraph.alignment = RIGHT
            chars = 2 + right - end
            ppr = paragraph._p.get_or_add_pPr()
            # No extra space between the digits and 年月日, as the date is printed.
            for tag in ("w:autoSpaceDE", "w:autoSpaceDN"):
                ppr.insert_element_before(_element(tag, val="0"), *_AFTER_AUTOSPACE)
            ind = ppr.get_or_add_ind()
            ind.set(qn("w:rightChars"), str(round(chars * 100)))
            ind.set(qn("w:right"), str(round(chars * CHAR_PITCH_TWIPS)))

    def attachment(self) -> None:
        """Every indicator of every child, four indicators to a table, on a page of its own."""
        report = self.report
        if not report.children:
            return
        _ = self._
        label = self.paragraph(_(N_("Attachment")), "Attachment")
        label.paragraph_format.page_break_before = True
        self.paragraph("", "Normal")
        self.paragraph(self._attachment_title(), "Title")
        self.paragraph("", "Normal")
        legend = self.paragraph("", "Body Text")
        for status, colour in STATUS_COLOURS.items():
            _add_run(legend._p, MARKER, colour=colour)
            _add_run(legend._p, f" {status_text(status, self.lang)}　")
        self.subsections = 0
        per_table = 4
        for section in report.areas:
            self.subheading(section.title)
            for start in range(0, len(section.rows), per_table):
                rows = section.rows[start : start + per_table]
                columns = [
                    Column(_(N_("unit")), 30, LEFT),
                    *(Column(row.name, 30, note=row.target_text) for row in rows),
                ]
                lines: list[list[Cell | str]] = [
                    [
                        report.unit.name,
                        *(Cell(row.value_text, status=row.status) for row in rows),
                    ]
                ]
                for index, child in enumerate(report.children):
                    line: list[Cell | str] = [child.name]
                    for row in rows:
                        figure = row.children[index] if row.children else None
                        line.append(
                            Cell(figure.value_text, status=figure.figure.status)
                            if figure
                            else "—"
                        )
                    lines.append(line)
                self.table(columns, lines)
                self.paragraph("", "Table Text")


# --- The document ---------------------------------------------------------------


def _properties(document: Document, report: Report) -> None:
    props = document.core_properties
    props.title = report.title
    props.subject = report.period_text
    props.author = report.unit.name
    props.last_modified_by = report.unit.name
    props.keywords = report.period
    props.language = "zh-CN" if report.lang == "zh" else "en-US"
    moment = report.generated_at.astimezone(dt.UTC).replace(tzinfo=None)
    props.created = props.modified = moment
    props.revision = 1
    fallbacks = "; ".join(f"{font} → {alt}" for font, alt in FALLBACKS.items())
    props.comments = gettext(N_("Font fallbacks: {fonts}"), report.lang).format(
        fonts=fallbacks
    )


W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _font_table(xml: bytes) -> bytes:
    """Declare the 公文 fonts, with their alternatives (see ``FALLBACKS``)."""
    root = etree.fromstring(xml)
    for name, family in FONT_TABLE.items():
        font = etree.SubElement(root, f"{{{W}}}font")
        font.set(f"{{{W}}}name", name)
        if name in FALLBACKS:
            etree.SubElement(font, f"{{{W}}}altName").set(
                f"{{{W}}}val", FALLBACKS[name]
            )
        etree.SubElement(font, f"{{{W}}}charset").set(f"{{{W}}}val", "86")
        etree.SubElement(font, f"{{{W}}}family").set(f"{{{W}}}val", family)
        etree.SubElement(font, f"{{{W}}}pitch").set(f"{{{W}}}val", "variable")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _rewrite(data: bytes) -> bytes:
    """The saved package with the font table amended (python-docx has no API for it)."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "word/fontTable.xml":
                content = _font_table(content)
            target.writestr(info, content)
    return out.getvalue()


def to_docx(report: Report) -> bytes:
    """The report as a Word document in 公文 layout."""
    document = docx.Document()
    _styles(document)
    _page(document)
    _properties(document, report)
    # The template's body starts empty but for the section properties.
    writer = _Writer(report, document)
    writer.front()
    writer.overview()
    writer.headline()
    writer.areas()
    writer.ranking()
    writer.gaps()
    writer.scorings()
    writer.watch_list()
    writer.breakdown()
    writer.failures()
    writer.attachment_note()
    writer.sign_off()
    writer.attachment()
    buffer = io.BytesIO()
    document.save(buffer)
    return _rewrite(buffer.getvalue())
