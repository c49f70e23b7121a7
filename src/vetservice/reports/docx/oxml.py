"""WordprocessingML that python-docx has no API for: elements in schema order, runs."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from lxml import etree

if TYPE_CHECKING:
    from docx.oxml.xmlchemy import BaseOxmlElement
    from docx.styles.style import ParagraphStyle
    from docx.text.paragraph import Paragraph


# Successors of elements python-docx has no API for, in schema order, so that
# Word (which is strict about order) accepts the file.
AFTER_SNAP = (
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
AFTER_AUTOSPACE = ("w:bidi", "w:adjustRightInd", "w:snapToGrid", *AFTER_SNAP)
AFTER_OUTLINE = ("w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")
AFTER_TBLHEADER = ("w:tblCellSpacing", "w:jc", "w:hidden", "w:ins", "w:del")
AFTER_CANTSPLIT = ("w:trHeight", "w:tblHeader", *AFTER_TBLHEADER)
AFTER_SHD = ("w:noWrap", "w:tcMar", "w:textDirection", "w:tcFitText", "w:vAlign")
AFTER_CELLMAR = ("w:tblLook", "w:tblCaption", "w:tblDescription", "w:tblPrChange")
AFTER_SPACING = (
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


def element(tag: str, **attributes: str) -> BaseOxmlElement:
    """A ``w:`` element with ``w:`` attributes.

    For a tag python-docx has no class for, this is a plain lxml element,
    which its ``insert_element_before`` (typed for its own classes) takes too.
    """
    made = cast("BaseOxmlElement", OxmlElement(tag))
    for name, value in attributes.items():
        made.set(qn(f"w:{name}"), value)
    return made


def set_style(paragraph: Paragraph, style: ParagraphStyle) -> None:
    """``paragraph.style = style`` without python-docx's scan of every style for the default."""
    paragraph._p.get_or_add_pPr().style = style.style_id


_R, _RPR, _RFONTS, _COLOUR, _SZ, _SZCS, _BR, _T = (
    qn(f"w:{tag}") for tag in ("r", "rPr", "rFonts", "color", "sz", "szCs", "br", "t")
)
_VAL, _HINT, _XML_SPACE = qn("w:val"), qn("w:hint"), qn("xml:space")


def add_run(
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
