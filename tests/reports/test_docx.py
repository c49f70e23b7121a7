"""The Word report in 公文 layout, opened with python-docx and checked against the JSON report.

Data: the hand-written ledgers of ``tests/fixtures/records`` (see
tests/test_report_end_to_end.py, whose figures were worked out by hand), city
延安市 with its counties 宝塔区 and 延长县, period 2026 as of 2026-11-28
(partial). Among them: 服务站建成率 is 4 of 8 at the city (宝塔区, 宝塔山街道,
李渠镇 and 李渠村 have a station; 杨家岭社区, 延长县, 黑家堡镇 and 黑家堡村 do
not), 4 of 5 at 宝塔区 and 0 of 3 at 延长县; the compliance indicators have
4 + 3 + 2 + 3 + 1 + 2 + 1 + 2 + 4 + 1 + 1 + 2 = 26 shortfalls in the city.

GB/T 9704-2012: A4, margins 37/35/28/26 mm (type area 156 × 225 mm), 22 lines
of 28 characters, title 2号 小标宋, text 3号 仿宋_GB2312, headings 黑体 and
楷体_GB2312, page numbers "— 1 —" in 4号 宋体.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Iterator
from typing import Any

import attrs
import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph
from fixtures import FILES

import vetservice as vs
from vetservice.indicators import Figure, GroupFigure, Kind, Status, Target
from vetservice.reports.build import build_report
from vetservice.reports.docx import to_docx
from vetservice.reports.format import value_text
from vetservice.reports.full import FullReport
from vetservice.reports.json_report import report_dict
from vetservice.reports.model import STATUS_COLOURS
from vetservice.reports.watch import WatchItem
from vetservice.testing import AS_OF, BAOTA, CITY, YANCHANG, YJL, make_plugins

AREAS = ["阵地建设", "队伍建设", "经常性工作", "服务保障", "信访工作"]
NOT_MET = STATUS_COLOURS[Status.NOT_MET]


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
    return db.evaluate(CITY, "2026", as_of=AS_OF)


def open_docx(content: bytes) -> Any:
    return docx.Document(io.BytesIO(content))


def render(ev: Any, lang: str = "zh") -> Any:
    return open_docx(to_docx(build_report(ev, lang)))


def blocks(document: Any) -> list[tuple[str, str, Any]]:
    """(first-level heading, second-level heading, paragraph or table) in order."""
    found, h1, h2 = [], "", ""
    for element in document.element.body.iterchildren():
        if element.tag == qn("w:tbl"):
            found.append((h1, h2, Table(element, document)))
        elif element.tag == qn("w:p"):
            paragraph = Paragraph(element, document)
            style = paragraph.style.name
            if style in ("Heading 1", "Attachment"):
                h1, h2 = paragraph.text, ""
            elif style == "Heading 2":
                h2 = paragraph.text
            found.append((h1, h2, paragraph))
    return found


def tables(document: Any, h1: str, h2: str | None = None) -> list[Table]:
    return [
        block
        for first, second, block in blocks(document)
        if isinstance(block, Table) and first == h1 and (h2 is None or second == h2)
    ]


def texts(table: Table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def by_header(table: Table) -> list[dict[str, str]]:
    rows = texts(table)
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def headings(document: Any, style: str = "Heading 1") -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name == style]


def east_asia(style: Any) -> str:
    return style.element.rPr.rFonts.get(qn("w:eastAsia"))


def mm(emu: int) -> float:
    return emu / 36000


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


def test_fonts_of_title_text_and_headings(ev):
    report = build_report(ev, "zh")
    document = render(ev)
    title = document.paragraphs[0]
    assert title.text == report.title
    assert title.style.name == "Title"
    assert east_asia(title.style) == "方正小标宋简体"
    assert title.style.font.size.pt == 22
    assert title.style.paragraph_format.alignment is WD_ALIGN_PARAGRAPH.CENTER
    body = document.styles["Body Text"]
    assert east_asia(body) == "仿宋_GB2312"
    assert body.font.size.pt == 16
    ind = body.element.pPr.find(qn("w:ind"))
    assert ind.get(qn("w:firstLineChars")) == "200"  # two characters
    assert body.paragraph_format.first_line_indent.pt == pytest.approx(
        2 * 15.79, abs=0.1
    )
    for name, font in (("Heading 1", "黑体"), ("Heading 2", "楷体_GB2312")):
        style = document.styles[name]
        assert east_asia(style) == font
        assert style.font.size.pt == 16
        assert not style.font.bold
    # No run overrides the styles' fonts.
    for paragraph in document.paragraphs:
        for run in paragraph.runs:
            assert run.font.name is None
            assert (
                run._r.rPr is None
                or run._r.rPr.rFonts is None
                or (run._r.rPr.rFonts.get(qn("w:eastAsia")) is None)
            )
    briefing = [p.text for p in document.paragraphs if p.style.name == "Body Text"]
    assert briefing[: len(report.briefing)] == list(report.briefing)


def test_the_fallback_font_is_named_in_the_document(ev):
    content = to_docx(build_report(ev, "zh"))
    with zipfile.ZipFile(io.BytesIO(content)) as package:
        fonts = package.read("word/fontTable.xml").decode()
    assert '<w:font w:name="方正小标宋简体"><w:altName w:val="宋体"/>' in fonts
    assert "方正小标宋简体 → 宋体" in open_docx(content).core_properties.comments


def test_period_line_under_the_title(ev):
    report = build_report(ev, "zh")
    assert report.partial  # as of 2026-11-28, before the end of 2026
    document = render(ev)
    assert document.paragraphs[1].style.name == "Subtitle"
    # The model's period text says that the period is not over.
    assert document.paragraphs[1].text == f"报告期：{report.period_text}"
    assert "2026-11-28" in report.period_text


def test_section_order_of_a_plain_evaluation(ev):
    document = render(ev)
    assert headings(document) == [
        "一、总体情况",
        "二、主要指标",
        "三、分领域情况",
        "四、下级单位排名",
        "五、差距清单",
    ]
    assert headings(document, "Heading 2") == [
        f"（{n}）{area}" for n, area in zip("一二三四五", AREAS, strict=True)
    ] + [f"（{n}）{area}" for n, area in zip("一二三四五", AREAS, strict=True)]


# --- Tables ----------------------------------------------------------------------


def test_every_table_repeats_its_header_row_and_keeps_rows_whole(ev):
    document = render(ev)
    assert len(document.tables) > 10
    for table in document.tables:
        first, *rest = table.rows
        assert first._tr.trPr.find(qn("w:tblHeader")) is not None
        assert all(row._tr.trPr.find(qn("w:tblHeader")) is None for row in rest)
        assert all(
            row._tr.trPr.find(qn("w:cantSplit")) is not None for row in table.rows
        )


def check_indicator_rows(rows: list[dict[str, str]], indicators: dict[str, dict]):
    for row in rows:
        name = row["指标"].split("\n")[0]
        indicator = indicators[name]
        kind = Kind(indicator["kind"])
        assert row["数值"] == value_text(kind, indicator["value"], "zh"), name
        if kind in (Kind.COMPLIANCE, Kind.RATIO):
            fraction = f"{indicator['numerator']}/{indicator['denominator']}"
        else:
            fraction = "—"
        assert row["分子/分母"] == fraction, name
        status = Status(indicator["status"]).display("zh")
        assert row["状态"] == f"● {status}", name


def test_headline_and_area_tables_match_the_json(ev):
    data = report_dict(ev, "zh")
    indicators = {i["name"]: i for i in data["indicators"]}
    document = render(ev)
    (headline,) = tables(document, "二、主要指标")
    rows = by_header(headline)
    assert list(rows[0]) == ["指标", "数值", "分子/分母", "目标", "状态"]
    check_indicator_rows(rows, indicators)
    # Worked out by hand: 4 of the 8 units have a station.
    established = next(r for r in rows if r["指标"] == "服务站（中心）建成率")
    assert (established["数值"], established["分子/分母"]) == ("50.0%", "4/8")
    assert established["目标"] == "≥ 100%"

    seen = []
    for n, area in zip("一二三四五", AREAS, strict=True):
        (table,) = tables(document, "三、分领域情况", f"（{n}）{area}")
        rows = by_header(table)
        check_indicator_rows(rows, indicators)
        for row in rows:
            assert (
                indicators[row["指标"].split("\n")[0]]["area"]
                == {
                    "阵地建设": "environment",
                    "队伍建设": "staffing",
                    "经常性工作": "activities",
                    "服务保障": "services",
                    "信访工作": "petitions",
                }[area]
            )
        seen += [row["指标"].split("\n")[0] for row in rows]
    assert sorted(seen) == sorted(indicators)  # every indicator, once


def test_status_is_text_with_a_coloured_marker(ev):
    (headline,) = tables(render(ev), "二、主要指标")
    cell = headline.rows[1].cells[4]
    marker, _space, text = cell.paragraphs[0].runs
    assert marker.text == "●"
    assert str(marker.font.color.rgb) == NOT_MET  # 服务站建成率 is short of 100%
    assert text.text == "未达标"


def test_gap_table_has_every_shortfall(ev):
    data = report_dict(ev, "zh")
    shortfalls = [
        (s["unit"], s["name"], i["name"], s["reason"])
        for i in data["indicators"]
        if i["kind"] == "compliance"
        for s in i["shortfalls"]
    ]
    assert len(shortfalls) == 26
    (gaps,) = tables(render(ev), "五、差距清单")
    rows = by_header(gaps)
    assert len(rows) == len(shortfalls)
    assert list(rows[0]) == ["序号", "单位", "指标", "差距情况", "考核要求"]
    for number, (row, (code, name, indicator, reason)) in enumerate(
        zip(rows, shortfalls, strict=True), 1
    ):
        assert row["序号"] == str(number)
        assert row["单位"] == f"{name}\n{code}"
        assert (row["指标"], row["差距情况"]) == (indicator, reason)
    # The rule each unit breaks, from the indicator's definition.
    first = next(r for r in rows if r["指标"] == "服务站（中心）建成率")
    assert first["考核要求"] == ev["env.station_established"].indicator.rule.render(
        "zh"
    )


def test_ranking_lists_every_child(ev):
    (ranking,) = tables(render(ev), "四、下级单位排名")
    rows = by_header(ranking)
    assert sorted(r["单位"] for r in rows) == [
        f"宝塔区\n{BAOTA}",
        f"延长县\n{YANCHANG}",
    ]
    report = build_report(ev, "zh")
    for row, ranked in zip(rows, report.ranking, strict=True):
        assert row["名次"] == str(ranked.rank)
        assert row["达标数/参评数"] == f"{ranked.met}/{ranked.assessed}"


# --- Comparisons, watch list, breakdown, scoring -------------------------------------


def figure(numerator: int, denominator: int) -> Figure:
    return Figure(
        CITY,
        numerator,
        denominator,
        numerator / denominator,
        Status.NOT_MET,
        Target(">=", 1.0),
    )


@pytest.fixture
def full(db: vs.Database, ev):
    """The evaluation with hand-made comparisons, a watch item, a breakdown and a sheet."""
    return FullReport(
        ev,
        previous={"env.station_established": {CITY: figure(3, 8)}},
        last_year={"env.station_established": {CITY: figure(4, 8)}},
        year_to_date={"env.station_established": {CITY: figure(4, 8)}},
        breakdown={
            "env.station_established": [
                GroupFigure("streets", 1, 1, 1.0),
                GroupFigure("villages", 1, 3, 1 / 3),
            ]
        },
        watch_list=[
            WatchItem(
                "YA2026-000001",
                YJL,
                "杨家岭社区",
                dt.date(2026, 11, 20),
                "decision",
                dt.date(2026, 12, 5),
                7,
            )
        ],
        scorings=[db.score("village_annual", CITY, "2026", as_of=AS_OF)],
    )


def test_comparisons_show_when_present(full):
    document = render(full)
    (headline,) = tables(document, "二、主要指标")
    rows = by_header(headline)
    assert list(rows[0]) == [
        "指标",
        "数值",
        "分子/分母",
        "目标",
        "状态",
        "环比",
        "同比",
    ]
    established = next(r for r in rows if r["指标"] == "服务站（中心）建成率")
    # 4/8 now, 3/8 the period before: up 12.5 points; 4/8 a year ago: unchanged.
    row = build_report(full, "zh").row("env.station_established")
    assert row.previous.change == pytest.approx(0.125)
    assert "12.5" in row.previous.change_text
    assert established["环比"] == row.previous.change_text
    assert row.last_year.change == 0
    assert established["同比"] == row.last_year.change_text
    assert {r["环比"] for r in rows if r is not established} == {"—"}
    (environment,) = tables(document, "三、分领域情况", "（一）阵地建设")
    rows = by_header(environment)
    assert list(rows[0])[-3:] == ["环比", "同比", "累计"]
    established = next(r for r in rows if r["指标"] == "服务站（中心）建成率")
    assert established["累计"] == "50.0%"


def test_breakdown_scoring_and_watch_list_show_when_present(full):
    document = render(full)
    assert headings(document)[5:] == [
        "六、分类统计",
        "七、考核排名",
        "八、信访关注清单",
    ]
    (scoring,) = tables(document, "七、考核排名")
    rows = by_header(scoring)
    scores = full.scorings[0].scores
    assert len(rows) == len(scores) == 3  # the three villages of the fixtures
    assert [r["单位"].split("\n")[0] for r in rows] == [s.unit.name for s in scores]
    (watch,) = tables(document, "八、信访关注清单")
    (row,) = by_header(watch)
    assert row["信访件编号"] == "YA2026-000001"
    assert row["单位"] == f"杨家岭社区\n{YJL}"
    assert (row["办理期限"], row["剩余天数"]) == ("2026-12-05", "7")
    (breakdown,) = tables(document, "六、分类统计")
    (row,) = by_header(breakdown)
    assert row["指标"] == "服务站（中心）建成率"
    report = build_report(full, "zh")
    streets, villages = (g[0] for g in report.breakdown[0].groups)
    assert (row[streets], row[villages]) == ("100.0%\n1/1", "33.3%\n1/3")


def test_a_unit_without_children_shows_none_instead_of_tables(db: vs.Database):
    ev = db.evaluate(YJL, "2026", as_of=AS_OF)
    document = render(ev)
    after = {}
    for first, _second, block in blocks(document):
        if first and not isinstance(block, Table) and block.style.name == "Body Text":
            after.setdefault(first, block.text)
    assert after["四、下级单位排名"] == "无。"
    assert not tables(document, "四、下级单位排名")
    assert "附件" not in [p.text for p in document.paragraphs]


def test_an_empty_report_says_none_and_failures_are_listed(ev):
    report = attrs.evolve(
        build_report(ev, "zh"),
        briefing=(),
        headline=(),
        areas=(),
        ranking=(),
        gaps=(),
        children=(),
        failures=("county_x · vetservice_register_indicators · —: boom",),
    )
    document = open_docx(to_docx(report))
    assert headings(document) == [
        "一、总体情况",
        "二、主要指标",
        "三、分领域情况",
        "四、下级单位排名",
        "五、差距清单",
        "六、插件故障",
    ]
    assert not document.tables
    body = [p.text for p in document.paragraphs if p.style.name == "Body Text"]
    assert body == ["无。"] * 5 + [report.failures[0]]


# --- Footer, sign-off and attachment ---------------------------------------------


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


def test_sign_off_is_the_unit_and_the_date_on_the_right(ev):
    document = render(ev)
    paragraphs = document.paragraphs
    label = next(i for i, p in enumerate(paragraphs) if p.text == "附件")
    name, date = paragraphs[label - 2], paragraphs[label - 1]
    day = ev.generated_at.astimezone(dt.timezone(dt.timedelta(hours=8))).date()
    assert name.text == "延安市"
    assert date.text == f"{day.year}年{day.month}月{day.day}日"
    assert name.alignment is date.alignment is WD_ALIGN_PARAGRAPH.RIGHT
    assert paragraphs[label - 4].text == "附件：下级单位指标明细"


def test_attachment_has_every_child_figure(ev):
    document = render(ev)
    label = next(p for p in document.paragraphs if p.text == "附件")
    assert label.paragraph_format.page_break_before
    attached = tables(document, "附件")
    cells = {}
    for table in attached:
        for row in by_header(table):
            for header, value in row.items():
                cells[(row["单位"], header.split("\n")[0])] = value
    # 宝塔区 4 of 5, 延长县 0 of 3 stations (worked out by hand).
    assert cells[("宝塔区", "服务站（中心）建成率")] == "● 80.0%"
    assert cells[("延长县", "服务站（中心）建成率")] == "● 0.0%"
    assert cells[("延安市", "服务站（中心）建成率")] == "● 50.0%"
    assert len({name for _unit, name in cells}) - 1 == len(ev.results)


# --- Languages and registration ----------------------------------------------------


def test_english_headings(ev):
    document = render(ev, "en")
    assert document.paragraphs[0].text == build_report(ev, "en").title
    assert headings(document) == [
        "1. General situation",
        "2. Key figures",
        "3. By area",
        "4. Ranking of the units one level down",
        "5. Gap list",
    ]
    (headline,) = tables(document, "2. Key figures")
    assert texts(headline)[0][:3] == ["indicator", "value", "numerator/denominator"]
    assert document.core_properties.language == "en-US"


def test_the_renderer_is_registered(db: vs.Database, ev):
    content = db.render(ev, "docx")
    assert isinstance(content, bytes)
    assert open_docx(content).paragraphs[0].text == build_report(ev, "zh").title
