"""The HTML report, parsed with the standard library and checked against the JSON report.

Data on SMALL_HIERARCHY, period 2026Q3 (S = 2026-07-01, E = 2026-09-30):
stations SMALL_STATIONS, so 服务站建成率 at the
city is 7 of 10 (杨家岭社区 built the day after E, 黑家堡镇 and 黑家堡村
never) and 政治文化环境要素齐全率 is 3 of 8 stations (city, 宝塔区, 延长县
complete); care-fund donations of which only 5000.50 (宝塔区, on S) fall in
the period.
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import attrs
import pytest
from fixtures import CARE_FUND_ENTRIES, CARE_FUNDS, ENVIRONMENT_HEADER, inspection

import vetservice as vs
from vetservice.calendar import Period
from vetservice.i18n import Bilingual
from vetservice.indicators import Evaluation, GroupFigure, Kind, Status
from vetservice.reports.build import build_report
from vetservice.reports.format import value_text
from vetservice.reports.full import FullReport
from vetservice.reports.html import anchor, to_html
from vetservice.reports.json_report import report_dict
from vetservice.reports.model import STATUS_COLOURS, Report
from vetservice.reports.watch import WatchItem
from vetservice.testing import (
    AS_OF,
    BAOTA,
    CITY,
    SMALL_HIERARCHY,
    SMALL_STATIONS,
    YANCHANG,
    load_records,
)

AREAS = ["阵地建设", "队伍建设", "经常性工作", "服务保障", "信访工作"]
EVIL = "<script>alert('x')</script>"

ENVIRONMENT = "\n".join(
    [
        ENVIRONMENT_HEADER,
        inspection(CITY, "2026-01-10"),
        inspection(BAOTA, "2026-09-30"),
        inspection("610602001000", "2026-07-01", frozenset({5, 12})),
        inspection("610602100001", "2025-12-31", frozenset({0, 1, 2})),
        inspection(YANCHANG, "2026-05-05"),
        inspection("610621001000", "2026-06-30", frozenset({12})),
        inspection("610621001001", "2026-07-15", frozenset({7, 8, 9, 10})),
    ]
)


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[vs.Database]:
    path = tmp_path_factory.mktemp("html") / "vetservice.db"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("VETSERVICE_DISABLE_PLUGIN_AUTOLOAD", "1")
        db = vs.open(f"sqlite:///{path.as_posix()}", actor="tester")
        load_records(
            db,
            {
                "units": SMALL_HIERARCHY,
                "stations": SMALL_STATIONS,
                "environment": ENVIRONMENT,
                "care_funds": CARE_FUNDS,
                "care_fund_entries": CARE_FUND_ENTRIES,
            },
        )
        yield db
        db.close()


@pytest.fixture(scope="module")
def evaluation(database: vs.Database) -> Evaluation:
    return database.evaluate(CITY, "2026Q3", as_of=AS_OF)


def page(evaluation: Evaluation, lang: str = "zh") -> str:
    return to_html(build_report(evaluation, lang))


def tree(text: str) -> ET.Element:
    """The page as XML: the renderer writes well-formed markup."""
    return ET.fromstring(text)


def text_of(element: ET.Element) -> str:
    return "".join(element.itertext()).strip()


def with_class(root: ET.Element, tag: str, cls: str) -> list[ET.Element]:
    return [e for e in root.iter(tag) if cls in e.get("class", "").split()]


class Collector(HTMLParser):
    """Every start tag with its attributes, the style text and the data, as a browser reads them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.style = ""
        self.data: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in_style = tag == "style"

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.style += data
        self.data.append(data)


def collect(text: str) -> Collector:
    parser = Collector()
    parser.feed(text)
    parser.close()
    return parser


def test_a_self_contained_page_in_chinese(evaluation: Evaluation):
    text = page(evaluation)
    parsed = collect(text)
    tags = [t for t, _a in parsed.tags]
    assert tags[0] == "html"
    assert parsed.tags[0][1]["lang"] == "zh-CN"
    assert ("meta", {"charset": "utf-8"}) in parsed.tags
    # Nothing to fetch: no script, no stylesheet link, no external src or href.
    assert "script" not in tags
    assert "link" not in tags
    assert "iframe" not in tags
    assert "img" not in tags
    for _tag, attributes in parsed.tags:
        for name in ("src", "href", "xlink:href", "action"):
            value = (attributes.get(name) or "").strip().lower()
            assert not value.startswith(("http:", "https:", "//", "data:")), value
    assert "@import" not in parsed.style
    assert "url(" not in parsed.style
    assert "@font-face" not in parsed.style
    assert '"Noto Sans CJK SC"' in parsed.style
    assert "size: A4" in parsed.style
    assert "display: table-header-group" in parsed.style
    # Well-formed: the same text parses as XML.
    assert tree(text).tag == "html"


def test_the_contents_link_to_every_section(evaluation: Evaluation):
    root = tree(page(evaluation))
    ids = {e.get("id") for e in root.iter() if e.get("id")}
    toc = next(e for e in root.iter("nav") if "toc" in e.get("class", ""))
    links = [a.get("href", "") for a in toc.iter("a")]
    assert links, "the table of contents is empty"
    for href in links:
        assert href.startswith("#")
        assert href[1:] in ids, href
    # Every in-page link resolves too (headline cards, gap summary).
    for a in root.iter("a"):
        assert a.get("href", "")[1:] in ids, a.get("href")
    titles = [text_of(a) for a in toc.iter("a")]
    for area in AREAS[:1] + AREAS[3:4]:  # the areas with data loaded
        assert any(area in t for t in titles), (area, titles)
    assert any("差距清单" in t for t in titles)
    assert any("情况通报" in t for t in titles)


def test_every_indicator_shows_the_json_value(evaluation: Evaluation):
    data = report_dict(evaluation, "zh")
    root = tree(page(evaluation))
    rows = {
        r.get("data-indicator"): r
        for r in root.iter("tr")
        if r.get("id", "").startswith("ind-")
    }
    assert set(rows) == {entry["id"] for entry in data["indicators"]}
    for entry in data["indicators"]:
        row = rows[entry["id"]]
        cell = next(
            td for td in row.iter("td") if "value" in td.get("class", "").split()
        )
        assert text_of(cell) == value_text(Kind(entry["kind"]), entry["value"], "zh")
        if entry["kind"] in ("ratio", "compliance"):
            fraction = next(
                td for td in row.iter("td") if "fraction" in td.get("class", "")
            )
            assert text_of(fraction) == f"{entry['numerator']}/{entry['denominator']}"


def test_hand_worked_figures_appear(evaluation: Evaluation):
    root = tree(page(evaluation))

    def value(indicator: str) -> str:
        row = next(r for r in root.iter("tr") if r.get("data-indicator") == indicator)
        return next(text_of(td) for td in row.iter("td"))

    # 7 of 10 applicable units have a station by E; 3 of 8 stations are complete;
    # the care fund raised 5000.50 in the period (the other donations fall outside).
    assert value("env.station_established") == "70.0%"
    assert value("env.all_elements") == "37.5%"
    assert value("fund.raised") == "5,000.50"


def test_the_gap_list_has_every_shortfall(evaluation: Evaluation):
    data = report_dict(evaluation, "zh")
    expected = [
        (entry["id"], s["unit"], s["reason"])
        for entry in data["indicators"]
        for s in entry.get("shortfalls", [])
    ]
    root = tree(page(evaluation))
    rows = with_class(root, "tr", "gap")
    assert len(rows) == len(expected)
    shown = [
        (r.get("data-indicator"), r.get("data-unit"), text_of(r.findall("td")[-1]))
        for r in rows
    ]
    assert sorted(shown) == sorted(expected)
    # Grouped by indicator, each group naming the rule it checks.
    groups = with_class(root, "details", "gap-group")
    assert len(groups) == len({e[0] for e in expected})
    station = next(g for g in groups if g.get("id") == "gap-env.station_established")
    assert "考核要求" in text_of(station)
    assert len(with_class(station, "tr", "gap")) == 3


def test_texts_from_the_data_are_escaped(evaluation: Evaluation):
    report = build_report(evaluation, "zh")
    first = report.gaps[0]
    child = report.ranking[0]
    report = attrs.evolve(
        report,
        gaps=(
            attrs.evolve(first, unit_name=EVIL, reason=f"缺少：{EVIL}"),
            *report.gaps[1:],
        ),
        ranking=(
            attrs.evolve(child, unit=attrs.evolve(child.unit, name=EVIL)),
            *report.ranking[1:],
        ),
        failures=(f'plugin "x" failed: {EVIL}',),
    )
    text = to_html(report)
    assert "<script" not in text
    assert "&lt;script&gt;" in text
    parsed = collect(text)
    assert "script" not in [t for t, _a in parsed.tags]
    assert sum(EVIL in d for d in parsed.data) >= 3  # the names read as text


def test_svg_charts_with_chinese_labels_and_status_colours(evaluation: Evaluation):
    root = tree(page(evaluation))
    charts = [svg for svg in root.iter("svg") if "bars" in svg.get("class", "")]
    ratios = [
        r
        for r in report_dict(evaluation)["indicators"]
        if r["kind"] in ("ratio", "compliance")
    ]
    assert len(charts) == len(ratios)
    figure = next(
        f
        for f in root.iter("figure")
        if f.get("data-indicator") == "env.station_established"
    )
    svg = figure.find("svg")
    assert svg is not None
    labels = [text_of(t) for t in svg.iter("text")]
    assert "宝塔区" in labels
    assert "延长县" in labels
    assert "目标 ≥ 100%" in labels
    # Bars coloured by each child's status: 宝塔区 4/5 and 延长县 3/5 both fall short.
    fills = {r.get("fill") for r in svg.iter("rect")}
    assert fills == {"#" + STATUS_COLOURS[Status.NOT_MET]}
    assert [svg.get("viewBox") for svg in charts if svg.get("viewBox")]


def test_english_headings(evaluation: Evaluation):
    root = tree(page(evaluation, "en"))
    assert root.get("lang") == "en"
    headings = [text_of(h) for h in root.iter("h2")]
    assert "Contents" in headings
    # 2026Q3 as of 2026-11-28: the gaps are those of E, 09-30.
    assert any(h.endswith("Gap list (end of the period, 2026-09-30)") for h in headings)
    assert any(h.endswith("Briefing") for h in headings)
    assert any(
        h.endswith("Environment") or "environment" in h.lower() for h in headings
    )
    assert not any(re.search(r"[\u4e00-\u9fff]", h) for h in headings), headings


def test_partial_period_says_so(database: vs.Database, evaluation: Evaluation):
    period = Period.parse("2026Q4", dt.date(2026, 11, 15))
    root = tree(page(database.evaluate(CITY, period)))
    notice = with_class(root, "p", "partial")
    assert len(notice) == 1
    assert "尚未结束" in text_of(notice[0])
    assert "2026-11-15" in text_of(notice[0])
    assert not with_class(tree(page(evaluation)), "p", "partial")


def test_optional_sections_are_left_out_when_empty(evaluation: Evaluation):
    root = tree(page(evaluation))
    ids = {e.get("id") for e in root.iter("section")}
    assert {"breakdown", "watch", "scorings", "failures"}.isdisjoint(ids)
    headers = [text_of(th) for th in root.iter("th") if th.get("scope") == "col"]
    assert "上期" not in headers
    assert "ranking" in ids


def test_comparisons_breakdown_and_watch_list_when_present(evaluation: Evaluation):
    station = evaluation["env.station_established"]
    then = {
        "env.station_established": {
            CITY: attrs.evolve(station.figure, numerator=6, value=0.6)
        }
    }
    full = FullReport(
        evaluation,
        previous=then,
        year_to_date=then,
        breakdown={
            "env.station_established": [
                GroupFigure("county centres", 2, 2, 1.0),
                GroupFigure("villages", 1, 4, 0.25),
            ]
        },
        watch_list=[
            WatchItem(
                case_no=f"P-{EVIL}",
                unit=BAOTA,
                unit_name="宝塔区",
                received_on=dt.date(2026, 9, 20),
                stage="decision",
                deadline=dt.date(2026, 10, 5),
                days_left=5,
                sensitive=(Bilingual("国庆", "National Day"),),
            )
        ],
    )
    report: Report = build_report(full, "zh")
    root = tree(to_html(report))
    row = next(
        r
        for r in root.iter("tr")
        if r.get("data-indicator") == "env.station_established"
    )
    previous = next(td for td in row.iter("td") if "previous" in td.get("class", ""))
    # 6 of 10 then, 7 of 10 now: up 10 percentage points.
    assert text_of(previous).startswith("60.0%")
    assert report.row("env.station_established").previous.change_text in text_of(
        previous
    )
    headers = [text_of(th) for th in root.iter("th") if th.get("scope") == "col"]
    assert "上期" in headers
    assert "累计" in headers
    assert "去年同期" not in headers  # no same-period figures were given
    breakdown = next(s for s in root.iter("section") if s.get("id") == "breakdown")
    grouped = [s for s in breakdown.iter("svg") if "grouped" in s.get("class", "")]
    assert len(grouped) == 1
    bars = [text_of(t) for t in grouped[0].iter("text")]
    assert "25.0%" in bars
    assert "100.0%" in bars
    watch = with_class(root, "tr", "watch")
    assert len(watch) == 1
    assert text_of(watch[0]).startswith(f"P-{EVIL}")
    assert "国庆" in text_of(watch[0])


def test_written_through_the_renderer_registry(evaluation: Evaluation, tmp_path: Path):
    path = tmp_path / "report.html"
    vs.render(evaluation, "html", path, lang="zh")
    text = path.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>")
    assert tree(text).get("lang") == "zh-CN"


def test_a_full_report_shows_every_part(database: vs.Database):
    full = database.report(CITY, "2026Q3", as_of=AS_OF)
    report = build_report(full, "zh")
    assert report.scorings, "the built-in village sheet scores the four villages"
    root = tree(to_html(report))
    sections = {s.get("id"): s for s in root.iter("section")}
    assert {"breakdown", "scorings", "ranking", "gaps"} <= set(sections)
    for scoring in report.scorings:
        sheet = next(
            s
            for s in sections["scorings"].iter("details")
            if s.get("id") == anchor("sheet", scoring.sheet_id)
        )
        rows = [r for r in sheet.iter("tr") if r.get("data-unit")]
        assert [r.get("data-unit") for r in rows] == [s.unit.code for s in scoring.rows]
        assert [text_of(r.findall("td")[-1]) for r in rows] == [
            s.total_text for s in scoring.rows
        ]
    # The breakdown table has a row per indicator the engine broke down.
    rows = [r for r in sections["breakdown"].iter("tr") if r.get("data-indicator")]
    assert [r.get("data-indicator") for r in rows] == list(full.breakdown)
