"""The Word 通报 in 公文 layout, opened with python-docx.

Data: the hand-written ledgers of ``tests/fixtures/records`` (see
tests/test_report_end_to_end.py, whose figures were worked out by hand), city
延安市 with its counties 宝塔区 and 延长县, period 2026 as of 2026-11-28
(partial). 服务站建成率 is 4 of 8 at the city, 4 of 5 at 宝塔区 and 0 of 3
at 延长县: 50.0 %, 80.0 % and 0.0 %, each more than 10 points short (红).

GB/T 9704-2012: A4, margins 37/35/28/26 mm (type area 156 × 225 mm), 22 lines
of 28 characters, title 2号 小标宋, text 3号 仿宋_GB2312, headings 黑体 and
楷体_GB2312, page numbers "— 1 —" in 4号 宋体; 版头 in red, 版记 at the end.
The attachments are a landscape section; the gap list is not in the document.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from typing import Any

import docx
import pytest
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from fixtures import FILES

import vetservice as vs
from vetservice.reports.build import build_report
from vetservice.reports.docx import to_docx
from vetservice.reports.docx.notice import title_lines
from vetservice.reports.notice import notice
from vetservice.testing import AS_OF, CITY, YANCHANG, make_plugins


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[vs.Database]:
    """One database for the module, read only (the built-ins alone: no autoloading)."""
    path = tmp_path_factory.mktemp("docx") / "vetservice.db"
    database = vs.open(
        f"sqlite:///{path.as_posix()}", actor="tester", plugins=make_plugins()
    )
    database.import_files([(p.stem, p) for p in FILES], today=AS_OF)
    yield database
    database.close()


@pytest.fixture(scope="module")
def ev(db: vs.Database):
    return db.report(CITY, "2026", as_of=AS_OF)


def open_docx(content: bytes) -> Any:
    return docx.Document(io.BytesIO(content))


def render(ev: Any, lang: str = "zh") -> Any:
    return open_docx(to_docx(build_report(ev, lang)))


def east_asia(style: Any) -> str:
    return style.element.rPr.rFonts.get(qn("w:eastAsia"))


def mm(emu: int) -> float:
    return emu / 36000


def texts(document: Any) -> list[str]:
    return [p.text for p in document.paragraphs]


# --- The page ------------------------------------------------------------------


def test_a4_with_the_standard_margins(ev):
    section = render(ev).sections[0]
    assert mm(section.page_width) == pytest.approx(210, abs=0.05)
    assert mm(section.page_height) == pytest.approx(297, abs=0.05)
    assert mm(section.top_margin) == pytest.approx(37, abs=0.05)
    assert mm(section.bottom_margin) == pytest.approx(35, abs=0.05)
    assert mm(section.left_margin) == pytest.approx(28, abs=0.05)
    assert mm(section.right_margin) == pytest.approx(26, abs=0.05)
    # In EMU: 36 000 per millimetre, give or take the rounding to twips (635 EMU).
    assert abs(section.top_margin - 37 * 36000) <= 635


def test_22_lines_of_28_characters(ev):
    document = render(ev)
    section = document.sections[0]
    height = section.page_height - section.top_margin - section.bottom_margin
    width = section.page_width - section.left_margin - section.right_margin
    assert mm(height) == pytest.approx(225, abs=0.1)
    assert mm(width) == pytest.approx(156, abs=0.1)
    for name in ("Normal", "Body Text", "Heading 1", "Heading 2"):
        fmt = document.styles[name].paragraph_format
        assert fmt.line_spacing_rule is WD_LINE_SPACING.EXACTLY
        # 225 mm / 22 = 28.99 pt, rounded down to whole twips: 579 = 28.95 pt.
        assert fmt.line_spacing.pt == pytest.approx(28.95)
    line = document.styles["Body Text"].paragraph_format.line_spacing
    assert 22 * line <= height < 23 * line  # 22 lines fit, a 23rd would not
    grid = section._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:type")) == "lines"
    assert grid.get(qn("w:linePitch")) == "579"
    # 28 characters of 16 pt, each condensed by the style's spacing, fit in 156 mm.
    spacing = document.styles["Normal"].element.rPr.find(qn("w:spacing"))
    condensed = int(spacing.get(qn("w:val"))) / 20  # points
    assert 28 * (16 + condensed) * 12700 <= width < 29 * (16 + condensed) * 12700


def test_the_fallback_font_is_named_in_the_document(ev):
    content = to_docx(build_report(ev, "zh"))
    with zipfile.ZipFile(io.BytesIO(content)) as package:
        fonts = package.read("word/fontTable.xml").decode()
    assert '<w:font w:name="方正小标宋简体"><w:altName w:val="宋体"/>' in fonts
    assert "方正小标宋简体 → 宋体" in open_docx(content).core_properties.comments


def test_page_numbers_between_dashes_on_the_outside(ev):
    document = render(ev)
    assert document.settings.odd_and_even_pages_header_footer
    section = document.sections[0]
    for footer, align in (
        (section.footer, WD_ALIGN_PARAGRAPH.RIGHT),
        (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT),
    ):
        (paragraph,) = footer.paragraphs
        assert paragraph.alignment is align
        assert paragraph.text == "— 1 —"  # the field's placeholder result is 1
        instructions = paragraph._p.findall(f".//{qn('w:instrText')}")
        assert [i.text.strip() for i in instructions] == ["PAGE"]
        kinds = [c.get(qn("w:fldCharType")) for c in paragraph._p.iter(qn("w:fldChar"))]
        assert kinds == ["begin", "separate", "end"]
        style = paragraph.style
        assert east_asia(style) == "宋体"
        assert style.font.size.pt == 14
    # 一字线 7 mm below the type area: the footer's 20 pt line ends 28 mm above the edge.
    assert mm(section.footer_distance) + 20 * 25.4 / 72 == pytest.approx(28, abs=0.05)


# --- The 公文 -----------------------------------------------------------------


def test_the_parts_of_the_gongwen_in_order(ev):
    report = build_report(ev, "zh")
    written = notice(report)
    document = render(ev)
    lines = texts(document)
    assert lines[0] == "延安市退役军人事务局文件"
    mark = document.paragraphs[0].runs[0]
    assert mark.font.color.rgb is not None and str(mark.font.color.rgb) == "FF0000"
    assert lines[2] == "延市退役军人发〔2026〕1号"
    border = document.paragraphs[2]._p.pPr.find(qn("w:pBdr")).find(qn("w:bottom"))
    assert border.get(qn("w:color")) == "FF0000"  # the red 版头 separator
    title = [p.text for p in document.paragraphs if p.style.name == "Title"][1:3]
    assert (
        "".join(title)
        == written.title
        == ("关于2026年全市退役军人服务保障体系建设情况的通报")
    )
    assert "各县区退役军人事务局：" in lines
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings == ["一、总体情况", "二、主要成效", "三、存在问题", "四、下步要求"]
    order = [
        lines.index("附件：1．各县区主要指标完成情况（红黄绿）"),
        lines.index("2．各县区差距清单统计"),
        lines.index("延安市退役军人事务局"),
        lines.index("2026年11月28日"),
        lines.index("抄送：市委办公室，市人民政府办公室。"),
    ]
    assert order == sorted(order)
    printed = next(t for t in lines if t.startswith("延安市退役军人事务局办公室"))
    assert printed.endswith("2026年11月28日印发")
    for text in written.part("problems").paragraphs:
        assert any(text in line for line in lines)


def test_title_breaks_after_the_period_and_scope():
    title = "关于2026年第三季度全市退役军人服务保障体系建设情况的通报"
    assert title_lines(title, "全市") == [
        "关于2026年第三季度全市",
        "退役军人服务保障体系建设情况的通报",
    ]
    # Without the scope it is cut near the middle, never inside "2026".
    lines = title_lines(title, "")
    assert "".join(lines) == title
    assert all("2026" in line or "202" not in line for line in lines)


def test_the_body_is_flush_left(ev):
    document = render(ev)
    body = document.styles["Body Text"]
    assert body.paragraph_format.alignment is WD_ALIGN_PARAGRAPH.LEFT
    assert east_asia(body) == "仿宋_GB2312"
    assert body.font.size.pt == 16
    assert body.element.pPr.find(qn("w:ind")).get(qn("w:firstLineChars")) == "200"
    for name, font in (("Heading 1", "黑体"), ("Title", "方正小标宋简体")):
        assert east_asia(document.styles[name]) == font


def test_attachments_are_two_landscape_tables_and_no_gap_list(ev):
    report = build_report(ev, "zh")
    document = render(ev)
    assert len(document.sections) == 2
    assert document.sections[0].orientation is WD_ORIENT.PORTRAIT
    assert document.sections[1].orientation is WD_ORIENT.LANDSCAPE
    grid, counts = document.tables
    header = [c.text for c in grid.rows[0].cells]
    assert header[2:] == ["延安市", "宝塔区", "延长县"]
    rows = {r.cells[0].text: [c.text for c in r.cells] for r in grid.rows[1:]}
    assert rows["服务站（中心）建成率"][2:] == ["50.0%", "80.0%", "0.0%"]
    # Red cells are filled in the 红 fill.
    cell = grid.rows[1 + list(rows).index("服务站（中心）建成率")].cells[4]
    assert cell._tc.tcPr.find(qn("w:shd")).get(qn("w:fill")) == "FFC7CE"
    assert cell._tc.tcPr.find(qn("w:noWrap")) is not None  # no number split
    totals = [c.text for c in counts.rows[-1].cells]
    # 附件2 counts the gaps listed (to the townships) and those below them.
    total = len(report.gaps) + report.unlisted_total
    assert totals[0] == "合计" and totals[-1] == str(total)
    body = "\n".join(texts(document))
    assert report.unlisted_total and "李渠村" not in body  # no village list in Word
    lines = texts(document)
    assert any(t.startswith("表号：退役军人服务保障统计1表") for t in lines)
    assert any("报出日期：2026年11月28日" in t for t in lines)
    assert "env." not in body  # no internal ids


def test_a_county_notice_goes_to_its_townships(db):
    document = render(db.report(YANCHANG, "2026", as_of=AS_OF))
    lines = texts(document)
    assert lines[0] == "延长县退役军人事务局文件"
    assert "各乡镇（街道）退役军人服务站：" in lines
    assert "抄送：县委办公室，县人民政府办公室。" in lines


def test_the_renderer_is_registered(db: vs.Database, ev):
    content = db.render(ev, "docx")
    assert isinstance(content, bytes)
    assert open_docx(content).paragraphs[0].text == "延安市退役军人事务局文件"
