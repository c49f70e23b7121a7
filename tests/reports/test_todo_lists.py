"""The petitions to-do lists are true at the as-of date, not at E (issue 20).

Period 2026Q3 opened on 2026-11-28: E = 2026-09-30, as-of = 2026-11-28.
Handling deadline = accepted + 60 days (+ 30 extended); decision deadline =
received + 15 days. Days worked out by hand:

- A accepted 07-05, due 09-03, overdue at E, closed 10-18 (after E, before
  the as-of date): on the overdue list marked closed on 10-18.
- B accepted 08-12, due 10-11, open: 11 days left at E, overdue today by 48
  days (10-11 → 11-11 is 31 days, → 11-28 17 more).
- C accepted 09-25, extended, due 12-24: 26 days left today (2 to 11-30, 24
  more), on the watch list.
- D received 11-20, undecided, decision due 12-05: 7 days left today.
- F accepted 09-03, closed 09-20 (before E): on no list.
- G accepted 06-02, due 08-01, open: overdue at E and today, by 119 days
  (08-01 → 11-01 is 92 days, → 11-28 27 more).
- H received 10-20, undecided, decision due 11-04: overdue today by 24 days.
"""

from __future__ import annotations

import datetime as dt
import io
import json

import docx
import openpyxl
import pytest

import vetservice as vs
from vetservice.reports.build import build_report
from vetservice.testing import (
    AS_OF,
    BSJ,
    CITY,
    HJB,
    HJBC,
    LQC,
    SMALL_HIERARCHY,
    SMALL_STATIONS,
    YJL,
    load_records,
)

PETITIONS = f"""\
case_no,unit_code,received_on,channel,decision,accepted_on,extended,closed_on
A,{YJL},2026-07-01,visit,accepted,2026-07-05,,2026-10-18
B,{YJL},2026-08-05,visit,accepted,2026-08-12,,
C,{YJL},2026-09-20,visit,accepted,2026-09-25,是,
D,{YJL},2026-11-20,visit,,,,
F,{YJL},2026-09-01,visit,accepted,2026-09-03,,2026-09-20
G,{YJL},2026-06-01,visit,accepted,2026-06-02,,
H,{YJL},2026-10-20,visit,,,,
"""
E = dt.date(2026, 9, 30)


@pytest.fixture
def loaded(db: vs.Database) -> vs.Database:
    load_records(db, {"units": SMALL_HIERARCHY, "petitions": PETITIONS})
    return db


def test_the_figures_stay_at_e(loaded: vs.Database) -> None:
    ev = loaded.report(CITY, "2026Q3", as_of=AS_OF)
    # Open at E: A B C G (D H came later, F was closed); overdue at E: A G.
    assert ev["pet.open"].value == 4
    assert ev["pet.overdue"].value == 2


def test_the_watch_list_counts_days_from_the_as_of_date(loaded: vs.Database) -> None:
    ev = loaded.report(CITY, "2026Q3", as_of=AS_OF)
    watch = ev.watch_list
    assert (watch.as_of, watch.period_end) == (AS_OF, E)  # type: ignore[attr-defined]
    assert [(w.case_no, w.stage, w.deadline, w.days_left) for w in watch] == [
        ("D", "decision", dt.date(2026, 12, 5), 7),
        ("C", "handling", dt.date(2026, 12, 24), 26),
    ]
    # B's deadline 10-11 is past: it is not on the watch list with days left.
    assert all(w.days_left >= 0 for w in watch)


def test_overdue_today_and_closed_since_e(loaded: vs.Database) -> None:
    ev = loaded.report(CITY, "2026Q3", as_of=AS_OF)
    overdue = ev.overdue
    assert (overdue.as_of, overdue.period_end) == (AS_OF, E)  # type: ignore[attr-defined]
    assert [
        (o.case_no, o.stage, o.deadline, o.days_left, o.closed_on, o.overdue_at_end)
        for o in overdue
    ] == [
        ("G", "handling", dt.date(2026, 8, 1), -119, None, True),
        ("B", "handling", dt.date(2026, 10, 11), -48, None, False),
        ("H", "decision", dt.date(2026, 11, 4), -24, None, False),
        ("A", "handling", dt.date(2026, 9, 3), None, dt.date(2026, 10, 18), True),
    ]


def test_the_current_period_has_nothing_closed_since_e(loaded: vs.Database) -> None:
    # 2026Q4 as of 11-28: E is the as-of date, so A (closed 10-18) is simply closed.
    ev = loaded.report(CITY, "2026Q4", as_of=AS_OF)
    assert [(o.case_no, o.days_left) for o in ev.overdue] == [
        ("G", -119),
        ("B", -48),
        ("H", -24),
    ]
    assert [w.case_no for w in ev.watch_list] == ["D", "C"]


def test_the_report_model_labels_both_views(loaded: vs.Database) -> None:
    report = build_report(loaded.report(CITY, "2026Q3", as_of=AS_OF), "zh")
    assert report.lists_as_of == AS_OF
    assert report.lists_date_text == "截至 2026年11月28日"
    assert [(o.case_no, o.state_text) for o in report.overdue] == [
        ("G", "未办结，超期 119 天"),
        ("B", "未办结，超期 48 天"),
        ("H", "未办结，超期 24 天"),
        ("A", "已办结（2026-10-18）"),
    ]


def test_json_carries_both_dates_on_every_list(loaded: vs.Database) -> None:
    data = json.loads(loaded.render(loaded.report(CITY, "2026Q3", as_of=AS_OF), "json"))
    assert data["watch_list"] == {
        "period_end": "2026-09-30",
        "as_of": "2026-11-28",
        "items": [
            {
                "case_no": "D",
                "unit": YJL,
                "name": "杨家岭社区",
                "received_on": "2026-11-20",
                "stage": "decision",
                "deadline": "2026-12-05",
                "days_left": 7,
                "sensitive": [],
            },
            {
                "case_no": "C",
                "unit": YJL,
                "name": "杨家岭社区",
                "received_on": "2026-09-20",
                "stage": "handling",
                "deadline": "2026-12-24",
                "days_left": 26,
                "sensitive": [],
            },
        ],
    }
    overdue = data["overdue"]
    assert (overdue["period_end"], overdue["as_of"]) == ("2026-09-30", "2026-11-28")
    assert overdue["items"][0] == {
        "case_no": "G",
        "unit": YJL,
        "name": "杨家岭社区",
        "received_on": "2026-06-01",
        "stage": "handling",
        "deadline": "2026-08-01",
        "days_left": -119,
        "closed_on": None,
        "overdue_at_end": True,
    }
    assert overdue["items"][3] == {
        "case_no": "A",
        "unit": YJL,
        "name": "杨家岭社区",
        "received_on": "2026-07-01",
        "stage": "handling",
        "deadline": "2026-09-03",
        "days_left": None,
        "closed_on": "2026-10-18",
        "overdue_at_end": True,
    }
    assert [o["case_no"] for o in overdue["items"]] == ["G", "B", "H", "A"]


def test_every_renderer_dates_the_lists_and_marks_the_closed_case(
    loaded: vs.Database,
) -> None:
    ev = loaded.report(CITY, "2026Q3", as_of=AS_OF)
    markdown = str(vs.render(ev, "md"))
    assert "## 信访关注清单（截至 2026年11月28日）" in markdown
    assert "### 超期信访件（截至 2026年11月28日）" in markdown
    assert (
        "| A | 杨家岭社区 | 2026-07-01 | 办理期限 | 2026-09-03 | 已办结（2026-10-18） |"
        in markdown
    )
    assert (
        "| B | 杨家岭社区 | 2026-08-05 | 办理期限 | 2026-10-11 | 未办结，超期 48 天 |"
        in markdown
    )
    # The figures keep the period: 报告期 07-01 … 09-30.
    assert "2026-07-01 至 2026-09-30" in markdown
    page = str(vs.render(ev, "html"))
    assert "信访关注清单（截至 2026年11月28日）</h2>" in page
    assert '<tr class="overdue" data-case="A">' in page
    assert '<td class="done">已办结（2026-10-18）</td>' in page
    book = openpyxl.load_workbook(io.BytesIO(bytes(vs.render(ev, "xlsx"))))
    overdue = book["信访超期清单"]
    cells = [
        str(c.value) for row in overdue.iter_rows() for c in row if c.value is not None
    ]
    assert any("信访超期清单（截至 2026年11月28日）" in c for c in cells)
    assert "已办结（2026-10-18）" in cells
    assert "未办结，超期 119 天" in cells
    watch = book["信访关注清单"]
    titles = [str(c.value) for c in watch["A"] if c.value is not None]
    assert any("信访关注清单（截至 2026年11月28日）" in t for t in titles)


@pytest.fixture
def stations(db: vs.Database) -> vs.Database:
    load_records(db, {"units": SMALL_HIERARCHY, "stations": SMALL_STATIONS})
    return db


def test_gaps_fixed_since_e_are_marked_with_the_day(stations: vs.Database) -> None:
    # env.station_established at E = 09-30: 杨家岭社区 (built 10-01), 黑家堡镇 and
    # 黑家堡村 (no station) fall short. On 11-28 杨家岭社区's station stands, so
    # its gap is marked fixed on that day; the other two are still open.
    # env.five_haves: 宝塔山街道 (no funding) and 李渠村 (no staff) are short at E
    # and still are; 杨家岭社区 was not counted at E, so it is no gap of it.
    # A gap still open says what is missing on 11-28, read again that day.
    # Every level listed (the default stops at the townships), so that each
    # village's gap is read again on 11-28 too.
    ev = stations.report(CITY, "2026Q3", as_of=AS_OF, list_depth=None)
    assert ev.resolved == {"env.station_established": {YJL: AS_OF}}
    report = build_report(ev, "zh")
    marked = [
        (g.indicator, g.unit, g.resolved_on, g.resolved_text)
        for g in report.gaps
        if g.indicator in ("env.station_established", "env.five_haves")
    ]
    assert marked == [
        ("env.station_established", YJL, AS_OF, "已整改（截至 2026-11-28 已达标）"),
        ("env.station_established", HJB, None, "截至 2026-11-28 仍未整改（未建成服务站）"),
        ("env.station_established", HJBC, None, "截至 2026-11-28 仍未整改（未建成服务站）"),
        ("env.five_haves", BSJ, None, "截至 2026-11-28 仍未整改（缺少：有经费）"),
        ("env.five_haves", LQC, None, "截至 2026-11-28 仍未整改（缺少：有人员）"),
    ]
    data = json.loads(stations.render(ev, "json"))
    gaps = data["gaps"]
    assert (gaps["period_end"], gaps["as_of"]) == ("2026-09-30", "2026-11-28")
    established = [
        g for g in gaps["items"] if g["indicator"] == "env.station_established"
    ]
    assert [(g["unit"], g["resolved_on"], g["missing_as_of"]) for g in established] == [
        (YJL, "2026-11-28", None),
        (HJB, None, "未建成服务站"),
        (HJBC, None, "未建成服务站"),
    ]
    page = str(vs.render(ev, "html"))
    # The gap list is of E, and its heading says so.
    assert "差距清单（报告期末 2026年9月30日）</h2>" in page
    book = openpyxl.load_workbook(io.BytesIO(bytes(vs.render(ev, "xlsx"))))
    title = str(book["差距清单-宝塔区"]["A1"].value)
    assert title.endswith("差距清单（宝塔区）（报告期末 2026年9月30日）")
    assert "已整改（截至 2026-11-28 已达标）</span>" in page
    assert '<span class="still">截至 2026-11-28 仍未整改（缺少：有经费）</span>' in page
    assert (
        "清单是报告期末（2026-09-30）的差距；标“已整改”的单位截至 2026-11-28 已达标。"
        in page
    )


def test_no_gap_is_marked_while_the_period_runs(stations: vs.Database) -> None:
    # 2026Q4 as of 11-28: E is the as-of date; the gaps are today's.
    ev = stations.report(CITY, "2026Q4", as_of=AS_OF)
    assert ev.resolved == {}
    report = build_report(ev, "zh")
    assert all(g.resolved_on is None for g in report.gaps)
    assert report.gaps_date_text == "截至 2026年11月28日"


def test_the_notice_cites_the_live_lists_in_word_too(loaded: vs.Database) -> None:
    # 存在问题 keeps the period's figures; 下步要求 ends with the lists of 11-28:
    # G, B and H open past their deadline, D and C due within 30 days.
    ev = loaded.report(CITY, "2026Q3", as_of=AS_OF)
    requirement = (
        "截至2026年11月28日，全市仍有超期未办结信访件3件，另有2件法定期限在30天内"
        "或落在敏感时期，要逐件明确责任人，在时限内办结。"
    )
    assert build_report(ev, "zh").briefing[-1].endswith(requirement)
    document = docx.Document(io.BytesIO(bytes(vs.render(ev, "docx"))))
    assert any(requirement in p.text for p in document.paragraphs)
