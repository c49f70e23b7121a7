"""What a full report carries besides the figures, worked out by hand.

Period 2026Q3 as of 2026-11-28: S = 2026-07-01, E = 2026-09-30. Previous
period 2026Q2 (E 06-30), same period last year 2025Q3 (E 2025-09-30), year
to date 2026-01-01 … 09-30.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from typing import Any

import docx
import openpyxl
import pytest

import vetservice as vs
from vetservice.calendar import DatesByYear, SensitivePeriod
from vetservice.hookspecs import hookimpl
from vetservice.i18n import Bilingual
from vetservice.reports.build import build_report
from vetservice.reports.chapters import CHAPTERS, Chapter
from vetservice.reports.full import FullReport
from vetservice.scoring import parse_sheet
from vetservice.testing import (
    AS_OF,
    CITY,
    HJBC,
    SMALL_HIERARCHY,
    YANCHANG,
    YJL,
    id_number,
    load_records,
    make_plugins,
)

V = [id_number("610602", "19700101", n) for n in range(1, 5)]

STATIONS = """\
unit_code,established_on,has_organization,has_posts,has_staff,has_funding,has_support
610602000000,2020-01-01,是,是,是,是,是
610602001000,2020-01-01,是,是,是,是,是
610602100000,2020-01-01,是,是,是,否,是
610602001001,2020-01-01,是,是,是,是,是
610602100001,2020-01-01,是,是,是,是,否
610621100000,2020-01-01,是,是,是,是,是
"""
VETERANS = f"""\
id_number,name,unit_code,plaque_approved_on,plaque_hung_on
{V[0]},甲,{YJL},2025-01-01,2025-02-01
{V[1]},乙,{YJL},2025-06-01,2026-05-01
{V[2]},丙,{YJL},2026-02-01,2026-08-01
{V[3]},丁,{YJL},2026-09-01,
"""
PETITIONS = f"""\
case_no,unit_code,received_on,channel,decision,accepted_on,extended,closed_on
W1,{YJL},2026-09-20,visit,,,,
W2,{YJL},2026-08-01,visit,accepted,2026-08-10,,
W3,{YJL},2026-09-01,visit,accepted,2026-09-05,是,
W5,{YJL},2026-06-01,visit,accepted,2026-06-05,,
W6,{YJL},2026-09-10,visit,accepted,2026-09-12,,2026-09-25
W7,{YJL},2026-09-25,visit,not_accepted,2026-09-27,,
W8,{HJBC},2026-09-20,visit,accepted,2026-09-23,,
W9,{YJL},2026-09-20,visit,accepted,2026-09-23,,
"""

TOWNSHIP_SHEET = """\
id: yanchang_test.townships
name: 延长县乡镇考核（测试）
level: township
scope: "610621000000"
lines:
  - id: petitions
    name: 信访
    weight: 10
    items:
      - id: overdue
        name: 超期未办结每件扣1分
        kind: deduction
        indicator: pet.overdue
        count: value
        points: 1
"""


class County:
    @hookimpl
    def vetservice_register_sensitive_periods(self) -> list[SensitivePeriod]:
        return [
            SensitivePeriod(
                id="yanchang_test.meeting",
                name=Bilingual("延长县会期", "county meeting"),
                rule=DatesByYear({"2026": ("2026-11-20", "2026-11-25")}),
                scope=(YANCHANG,),
            )
        ]

    @hookimpl
    def vetservice_register_scoring_sheets(self) -> list[Any]:
        return [parse_sheet(TOWNSHIP_SHEET)]


@pytest.fixture
def db(db_url: str) -> vs.Database:
    database = vs.open(db_url, plugins=make_plugins(County()))
    load_records(
        database,
        {
            "units": SMALL_HIERARCHY,
            "stations": STATIONS,
            "veterans": VETERANS,
            "petitions": PETITIONS,
        },
    )
    return database


@pytest.fixture
def ev(db: vs.Database):
    return db.report(CITY, "2026Q3", as_of=AS_OF)


def fig(figures: Any, indicator: str, unit: str = CITY) -> tuple[Any, Any]:
    figure = figures[indicator][unit]
    return figure.numerator, figure.denominator


def test_previous_last_year_and_year_to_date(ev):
    # Plaques approved ≤ E: Q3 甲乙丙丁, hung 甲乙丙; Q2 (E 06-30) 甲乙丙, hung 甲乙;
    # 2025Q3 (E 2025-09-30) 甲乙, hung 甲. The year to date ends on E like Q3.
    assert (ev["honor.plaque_hung"].numerator, ev["honor.plaque_hung"].denominator) == (
        3,
        4,
    )
    assert fig(ev.previous, "honor.plaque_hung") == (2, 3)
    assert fig(ev.last_year, "honor.plaque_hung") == (1, 2)
    assert fig(ev.year_to_date, "honor.plaque_hung") == (3, 4)
    # Open at E: Q2 (06-30) W5 only; Q3 W1 W2 W3 W5 W8 W9.
    assert ev.previous["pet.open"][CITY].value == 1
    assert ev["pet.open"].value == 6
    row = build_report(ev, "zh").row("honor.plaque_hung")
    assert row.previous.change_text == "上升 8.3 个百分点"  # 75.0% − 66.7%
    assert row.last_year.change_text == "上升 25.0 个百分点"
    assert row.year_to_date.value_text == "75.0%"


def test_json_carries_the_comparisons(ev, db):
    data = json.loads(db.render(ev, "json"))
    plaque = next(i for i in data["indicators"] if i["id"] == "honor.plaque_hung")
    assert plaque["previous"] == {"numerator": 2, "denominator": 3, "value": 2 / 3}
    assert plaque["last_year"] == {"numerator": 1, "denominator": 2, "value": 0.5}
    assert plaque["year_to_date"] == {"numerator": 3, "denominator": 4, "value": 0.75}


def test_breakdown_by_station_kind(ev):
    # 五有: 宝塔区 centre yes; 宝塔山街道 yes; 李渠镇 no (经费), 黑家堡镇 yes;
    # 杨家岭社区 yes; 李渠村 no (保障). 延长县 has no centre of its own.
    groups = {
        g.group: (g.numerator, g.denominator) for g in ev.breakdown["env.five_haves"]
    }
    assert groups == {
        "county centres": (1, 1),
        "streets": (1, 1),
        "townships": (1, 2),
        "communities": (1, 1),
        "villages": (0, 1),
    }
    assert "honor.plaque_hung" not in ev.breakdown  # only 阵地建设 and 队伍建设


def test_watch_list_on_the_last_day_of_the_period(db):
    # Opened on E = 09-30 itself, the lists are true at E. W1 decision due
    # 09-20 + 15 = 10-05 (5 days, in 国庆 09-28 … 10-08); W2 handling due
    # 08-10 + 60 = 10-09 (9 days); W8 due 09-23 + 60 = 11-22 (53 days) inside
    # 延长县's own meeting 11-20 … 11-25; W9 has the same deadline in 宝塔区, where
    # that period does not apply. W3 (extended, 12-04, 65 days) is neither; W5
    # is already overdue; W6 is closed; W7 was not accepted (closed on its decision).
    on_e = db.report(CITY, "2026Q3", as_of=dt.date(2026, 9, 30))
    watched = [
        (w.case_no, w.stage, w.deadline, w.days_left, [n.zh for n in w.sensitive])
        for w in on_e.watch_list
    ]
    assert watched == [
        ("W1", "decision", dt.date(2026, 10, 5), 5, ["国庆"]),
        ("W2", "handling", dt.date(2026, 10, 9), 9, []),
        ("W8", "handling", dt.date(2026, 11, 22), 53, ["延长县会期"]),
    ]
    # W5 (accepted 06-05, due 08-04) is 57 days overdue at E.
    assert [(o.case_no, o.days_left) for o in on_e.overdue] == [("W5", -57)]


def test_watch_list_as_of_today(ev):
    # Opened on 11-28 for the same period: the lists are true on 11-28, not at
    # E. Only W3 (extended, due 09-05 + 90 = 12-04) has a deadline ahead: 6 days.
    watched = [(w.case_no, w.stage, w.deadline, w.days_left) for w in ev.watch_list]
    assert watched == [("W3", "handling", dt.date(2026, 12, 4), 6)]
    # Past their deadline on 11-28, longest first: W5 08-04 (116 days), W1's
    # decision 10-05 (54), W2 10-09 (50), W8 and W9 11-22 (6). Nothing open at E
    # was closed since (W6 and W7 closed before E).
    assert [(o.case_no, o.stage, o.days_left) for o in ev.overdue] == [
        ("W5", "handling", -116),
        ("W1", "decision", -54),
        ("W2", "handling", -50),
        ("W8", "handling", -6),
        ("W9", "handling", -6),
    ]


def test_scoring_sheets_inside_their_scope(db, ev):
    # The city report ranks its villages by the built-in sheet; 延长县's own township
    # sheet belongs to 延长县's report only.
    assert [s.sheet.id for s in ev.scorings] == ["village_annual"]
    county = db.report(YANCHANG, "2026Q3", as_of=AS_OF)
    assert [s.sheet.id for s in county.scorings] == [
        "village_annual",
        "yanchang_test.townships",
    ]


def test_briefing_is_the_notice_body(ev):
    report = build_report(ev, "zh")
    assert report.briefing[0] == (
        "现将2026年第三季度全市退役军人服务保障体系建设情况通报如下。"
    )
    headings = [p for p in report.briefing if p[1:2] == "、"]
    assert headings == ["一、总体情况", "二、主要成效", "三、存在问题", "四、下步要求"]
    problems = report.briefing[
        report.briefing.index("三、存在问题") + 1 : report.briefing.index("四、下步要求")
    ]
    assert 3 <= len(problems) <= 5
    assert all(p.startswith("（") for p in problems)
    english = build_report(ev, "en").briefing
    assert english[1] == "1. Overall situation"


def test_every_renderer_follows_the_chapter_order(db):
    county = db.report(YANCHANG, "2026Q3", as_of=AS_OF)
    report = build_report(county, "zh")
    # Every chapter but the failures has something to show; on 11-28 延长县's
    # W8 (due 11-22) is overdue, so the watch-list chapter holds the overdue list.
    assert report.breakdown and report.scorings and report.overdue
    areas = {section.title for section in report.areas}
    titles = {
        "情况通报": Chapter.BRIEFING,
        "总体情况": Chapter.BRIEFING,
        "主要指标": Chapter.HEADLINE,
        "分领域情况": Chapter.AREAS,
        **{title: Chapter.AREAS for title in areas},
        "排名": Chapter.RANKING,
        "下级单位排名": Chapter.RANKING,
        "差距清单": Chapter.GAPS,
        "分类统计": Chapter.BREAKDOWN,
        "考核排名": Chapter.SCORINGS,
        "信访关注清单": Chapter.WATCH_LIST,
        "信访超期清单": Chapter.WATCH_LIST,
        "附件": Chapter.BRIEFING,  # the 通报's attachments follow it
    }

    def chapters(labels: list[str]) -> list[Chapter]:
        found = [
            next(c for t, c in titles.items() if label.startswith(t))
            for label in labels
        ]
        return list(dict.fromkeys(found))

    expected = [c for c in CHAPTERS if c is not Chapter.FAILURES]
    markdown = str(vs.render(county, "md"))
    # Markdown counts the gaps in 附件2; the full list is the XLSX attachment's.
    assert chapters(re.findall(r"^## (\S+?)(?:（|：|$)", markdown, re.M)) == [
        c for c in expected if c is not Chapter.GAPS
    ]
    page = str(vs.render(county, "html"))
    sections = r'<section id="[^"]+" class="(?:chapter|part)"><h2>[^、]+、([^<]+)'
    assert chapters(re.findall(sections, page)) == expected
    # Word is the 通报 alone, in the four parts of a 公文.
    document = docx.Document(io.BytesIO(bytes(vs.render(county, "docx"))))
    numbered = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert numbered == ["一、总体情况", "二、主要成效", "三、存在问题", "四、下步要求"]
    book = openpyxl.load_workbook(io.BytesIO(bytes(vs.render(county, "xlsx"))))
    # The overview sheet holds the briefing, headline and ranking in brief.
    # 附件1 and 附件2 come first, as they follow the 通报.
    assert book.sheetnames[1:3] == ["附件1", "附件2"]
    assert chapters(book.sheetnames[3:]) == [
        c for c in expected if c not in (Chapter.BRIEFING, Chapter.HEADLINE)
    ]


def test_a_full_report_reads_like_its_evaluation(ev):
    evaluation = ev.evaluation
    assert ev["honor.plaque_hung"] is evaluation["honor.plaque_hung"]
    assert list(ev) == list(evaluation)
    assert (ev.unit, ev.children, ev.period) == (
        evaluation.unit,
        evaluation.children,
        evaluation.period,
    )
    assert ev.figure("honor.plaque_hung", CITY) == evaluation.figure(
        "honor.plaque_hung", CITY
    )
    assert FullReport.of(ev) is ev


def test_plain_evaluation_has_no_extras(db):
    plain = db.evaluate(CITY, "2026Q3", as_of=AS_OF)
    as_report = FullReport.of(plain)
    assert as_report.evaluation is plain
    assert not as_report.previous and not as_report.breakdown
    assert not as_report.watch_list and not as_report.scorings
    report = build_report(plain, "zh")
    assert report.row("honor.plaque_hung").previous is None


def test_the_provinces_two_sessions_come_from_a_settings_file(db, tmp_path):
    settings = tmp_path / "敏感时期.yaml"
    settings.write_text(
        "province_lianghui:\n  2026: [2026-10-09, 2026-10-12]\nnational_day: null\n",
        encoding="utf-8",
    )
    db.sensitive_config = str(settings)
    # Opened on E = 09-30, when W1 W2 W8 are still ahead (see above).
    ev = db.report(CITY, "2026Q3", as_of=dt.date(2026, 9, 30))
    # W2's deadline 10-09 is now in the province's 两会; 国庆 is switched off for W1.
    watched = {w.case_no: [n.zh for n in w.sensitive] for w in ev.watch_list}
    assert watched == {"W1": [], "W2": ["省两会"], "W8": ["延长县会期"]}


def test_a_bad_settings_file_is_a_clear_error(db, tmp_path):
    settings = tmp_path / "敏感时期.yaml"
    settings.write_text("bayi: [07-25]\n", encoding="utf-8")
    db.sensitive_config = settings
    with pytest.raises(vs.ConfigurationError, match="bayi"):
        db.report(CITY, "2026Q3", as_of=AS_OF)


def test_trend_over_quarters(db):
    points = db.trend("honor.plaque_hung", CITY, "2026Q3", count=4, as_of=AS_OF)
    # E = 2025-12-31: 甲乙 approved, 甲 hung; 2026-03-31: 甲乙丙 approved, 甲; 06-30: 甲乙; 09-30: 甲乙丙.
    assert [(p.label, f.numerator, f.denominator) for p, f in points] == [
        ("2025Q4", 1, 2),
        ("2026Q1", 1, 3),
        ("2026Q2", 2, 3),
        ("2026Q3", 3, 4),
    ]
