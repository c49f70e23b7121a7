"""The document's paragraph styles and its page, with page numbers in the footer."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, TypedDict

from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, Twips

from vetservice.reports.docx.layout import (
    BODY_FONT,
    BODY_PT,
    BOTTOM_MM,
    CENTRE,
    CHAR_PITCH_TWIPS,
    CHAR_SPACING,
    EM_DASH,
    FOOTER_DISTANCE,
    HEADING1_FONT,
    HEADING2_FONT,
    LATIN_FONT,
    LEFT,
    LEFT_MM,
    LINE,
    LINE_TWIPS,
    PAGE_HEIGHT_MM,
    PAGE_NUMBER_FONT,
    PAGE_NUMBER_LINE,
    PAGE_NUMBER_PT,
    PAGE_WIDTH_MM,
    RIGHT,
    RIGHT_MM,
    SMALL_TABLE_PT,
    TABLE_PT,
    TITLE_FONT,
    TITLE_PT,
    TOP_MM,
)
from vetservice.reports.docx.oxml import (
    AFTER_OUTLINE,
    AFTER_SNAP,
    AFTER_SPACING,
    add_run,
    element,
)

if TYPE_CHECKING:
    from docx.document import Document
    from docx.oxml.xmlchemy import BaseOxmlElement
    from docx.styles.style import ParagraphStyle
    from docx.text.paragraph import Paragraph
    from lxml import etree


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
    ppr.insert_element_before(element("w:snapToGrid", val="0"), *AFTER_SNAP)


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
    style: ParagraphStyle
    if name in [s.name for s in styles]:
        style = styles[name]
        style.element._remove_pPr()
        style.element._remove_rPr()
    else:
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    if name != "Normal":
        style.base_style = styles["Normal"]
    _set_fonts(style.element.get_or_add_rPr(), font)
    style.font.size = Pt(size)
    style.font.bold = False
    rpr = style.element.get_or_add_rPr()
    spacing = str(CHAR_SPACING if condense else 0)
    rpr.insert_element_before(element("w:spacing", val=spacing), *AFTER_SPACING)
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
            element("w:outlineLvl", val=str(outline)), *AFTER_OUTLINE
        )
    return style


class _Body(TypedDict):
    """What the 3号 styles share."""

    size: float
    line: Twips | Pt
    condense: bool


def styles(document: Document) -> None:
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

    body: _Body = {"size": BODY_PT, "line": LINE, "condense": True}
    _paragraph_style(document, "Normal", font=BODY_FONT, **body)
    _paragraph_style(
        document,
        "Body Text",
        font=BODY_FONT,
        # Flush left: justified, a line ending before an unbreakable figure
        # ("（1934/2089）") is spread out character by character.
        align=WD_ALIGN_PARAGRAPH.LEFT,
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


def page(document: Document) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(PAGE_WIDTH_MM), Mm(PAGE_HEIGHT_MM)
    section.top_margin, section.bottom_margin = Mm(TOP_MM), Mm(BOTTOM_MM)
    section.left_margin, section.right_margin = Mm(LEFT_MM), Mm(RIGHT_MM)
    section.footer_distance = FOOTER_DISTANCE
    section.gutter = Mm(0)
    grid = section._sectPr.find(qn("w:docGrid"))
    if grid is None:
        grid = element("w:docGrid")
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
    add_run(p, f"{EM_DASH} ", east_asia=True)
    p.append(_field_char("begin"))
    instruction = OxmlElement("w:r")
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = " PAGE "
    instruction.append(text)
    p.append(instruction)
    p.append(_field_char("separate"))
    add_run(p, "1")
    p.append(_field_char("end"))
    add_run(p, f" {EM_DASH}", east_asia=True)


def _field_char(kind: str) -> etree._Element:
    run = OxmlElement("w:r")
    run.append(element("w:fldChar", fldCharType=kind))
    return run
