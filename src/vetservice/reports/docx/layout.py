"""The 公文 layout (GB/T 9704-2012) in numbers: the page, type sizes and fonts."""

from __future__ import annotations

import math

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt, Twips

# --- The page (GB/T 9704-2012 §5.2) ------------------------------------------

PAGE_WIDTH_MM, PAGE_HEIGHT_MM = 210, 297
TOP_MM, BOTTOM_MM, LEFT_MM, RIGHT_MM = 37, 35, 28, 26
LINES, CHARS = 22, 28


def _twips(mm: float) -> int:
    """Millimetres as Word stores them: whole twips (1/20 pt)."""
    return int(Mm(mm).twips)


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
