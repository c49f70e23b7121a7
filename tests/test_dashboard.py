"""The leaders' dashboard through Streamlit's AppTest: every page runs, in Chinese,
and shows the library's figures for the same unit and period.

The database is the fixture ledgers of ``tests/fixtures/records`` (see
``tests/dashboard/__init__.py``), figures as of 2026-11-28, so the default
period is 2026Q3.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from dashboard import (
    APP,
    AS_OF,
    BAOTA,
    CITY,
    LIQU_TOWN,
    LIQU_VILLAGE,
    PERIOD,
    build_database,
)

import vetservice as vs
from vetservice.indicators import Area
from vetservice.reports.build import build_report
from vetservice.reports.model import Report
from vetservice.testing import make_plugins

pytest.importorskip("streamlit")
from streamlit.testing.v1 import AppTest

VIEWS = APP.parent / "views"


@pytest.fixture(scope="module")
def url(tmp_path_factory: pytest.TempPathFactory) -> str:
    return build_database(tmp_path_factory.mktemp("dashboard"))


@pytest.fixture(scope="module")
def library(url: str) -> Iterator[vs.Database]:
    # Built-ins only, as the app sees them (conftest switches autoload off per test).
    with vs.open(url, plugins=make_plugins()) as db:
        yield db


@pytest.fixture
def report(library: vs.Database):
    cache: dict[tuple[str, str], Report] = {}

    def _report(unit: str = CITY, lang: str = "zh") -> Report:
        if (unit, lang) not in cache:
            evaluation = library.report(unit, PERIOD, as_of=AS_OF)
            cache[unit, lang] = build_report(evaluation, lang)
        return cache[unit, lang]

    return _report


@pytest.fixture
def app(url: str, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    monkeypatch.setenv("VETSERVICE_DB", url)
    monkeypatch.setenv("VETSERVICE_AS_OF", AS_OF.isoformat())
    monkeypatch.delenv("VETSERVICE_LANG", raising=False)
    return AppTest.from_file(str(APP), default_timeout=60)


def _ok(at: AppTest) -> AppTest:
    assert not at.exception, [e.message for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    return at


def _page(at: AppTest, name: str) -> AppTest:
    """Open the page at the address ``name`` (after a first run)."""
    script = VIEWS / f"{name}.py"
    if script.is_file():
        return _ok(at.switch_page(str(script)).run())
    # A page drawn by a function (the area pages): AppTest.switch_page takes only
    # scripts, so pick the page st.navigation registered under that address.
    found = [
        page_hash
        for page_hash, info in at._registered_pages.items()
        if info.get("url_pathname") == name
    ]
    assert len(found) == 1, (name, at._registered_pages)
    at._page_hash = found[0]
    return _ok(at.run())


def _widget(widgets, prefix: str):
    """The sidebar's widgets carry their value in their key: find one by its prefix."""
    found = [w for w in widgets if w.key and w.key.startswith(prefix)]
    assert len(found) == 1, [w.key for w in widgets]
    return found[0]


def _column(at: AppTest, index: int, column: str) -> list:
    return list(at.dataframe[index].value[column])


# -- 总览 ----------------------------------------------------------------------


def test_overview_shows_the_city_in_chinese(app: AppTest, report):
    at = _ok(app.run())
    expected = report()
    assert at.header[0].value == "延安市 · 总览"
    assert "2026-07-01 至 2026-09-30" in at.caption[0].value
    metrics = {m.label: m.value for m in at.metric}
    for section in expected.areas:
        met = sum(r.status.value == "met" for r in section.rows)
        assessed = sum(r.status.value in ("met", "not_met") for r in section.rows)
        assert metrics[section.title] == f"{met}/{assessed}"
    for row in expected.headline:
        assert metrics[row.name] == row.value_text
    assert _column(at, 0, "单位名称") == [r.unit.name for r in expected.ranking]
    assert _column(at, 0, "达标率") == [r.share_text for r in expected.ranking]
    assert _widget(at.sidebar.selectbox, "pick_0_").value == CITY
    assert at.query_params["unit"] == CITY


def _chart_data(at: AppTest, index: int = 0) -> list:
    """The data frames an Altair chart on the page carries."""
    from streamlit import dataframe_util

    chart = at.get("vega_lite_chart")[index].proto
    return [
        dataframe_util.convert_arrow_bytes_to_pandas_df(d.data.data)
        for d in chart.datasets
    ]


def test_the_treemap_is_coloured_by_the_figures_the_library_gives(
    app: AppTest, library: vs.Database
):
    at = _ok(app.run())
    chosen = at.session_state["tree_indicator"]
    leaves = next(f for f in _chart_data(at, 1) if "value" in f.columns)
    shown = dict(zip(leaves["code"], leaves["value"], strict=True))
    expected = {}
    for child in library.children(CITY):
        found = library.evaluate(child.code, PERIOD, as_of=AS_OF, indicators=[chosen])
        for below in found.children:
            value = found[chosen].figures[below.code].value
            expected[below.code] = None if value is None else float(value)
    assert shown.keys() == expected.keys()
    for code, value in expected.items():
        assert shown[code] == pytest.approx(value, nan_ok=True) or (
            value is None and shown[code] != shown[code]
        )
    assert "点击色块进入该单位" in [c.value for c in at.caption]


def _heat_cells(at: AppTest) -> dict[tuple[str, str], tuple[str, str]]:
    """(unit name, indicator id) → (value text, grade) of the heat map's cells."""
    cells = next(f for f in _chart_data(at, 0) if "grade" in f.columns)
    return {(r.unit, r.indicator): (r.value_text, r.grade) for r in cells.itertuples()}


def test_the_overview_opens_with_the_counties_heat_map_in_red_yellow_green(
    app: AppTest, report
):
    at = _ok(app.run())
    assert at.subheader[0].value == "各县区指标达标情况（红黄绿）"
    first = _heat_cells(at)
    assert {unit for unit, _ in first} == {"延安市", "宝塔区", "延长县"}
    assert len({indicator for _, indicator in first}) == 12  # the worst twelve
    at.toggle(key="heat_all").set_value(True)
    cells = _heat_cells(_ok(at.run()))
    # 服务站（中心）建成率, target ≥ 100 %, band 10 points: 宝塔区 has 4 of its
    # 5 units with a station (杨家岭社区 has none), 80.0 %, 20 points short: 红;
    # 延长县 none of 3, 0.0 %: 红.
    assert cells["宝塔区", "env.station_established"] == ("80.0%", "red")
    assert cells["延长县", "env.station_established"] == ("0.0%", "red")
    # 重点关注对象常态化联系率: 宝塔区 contacted its one key veteran (100.0 %,
    # 绿), 延长县 not its one (0.0 %, 红).
    assert cells["宝塔区", "visit.key_contact"] == ("100.0%", "green")
    assert cells["延长县", "visit.key_contact"] == ("0.0%", "red")
    # The same grid as the Word 附件1 (grade_table), cell for cell.
    from vetservice.reports.attachments import grade_table

    table = grade_table(report())
    names = {r.name: r.id for r in report().rows()}
    units = table.columns[2:]
    assert len(table.rows) == len({i for _, i in cells})
    for row, grades in zip(table.rows, table.grades, strict=True):
        for unit, text, grade in zip(units, row[2:], grades[2:], strict=True):
            assert grade is not None
            assert cells[unit, names[row[0]]] == (text, grade.value)


# -- drilling down and back --------------------------------------------------------


def test_drill_down_to_a_village_and_back(app: AppTest, report):
    at = _ok(app.run())
    _widget(at.sidebar.selectbox, "pick_1_").select(BAOTA)
    at = _ok(at.run())
    assert at.header[0].value == "宝塔区 · 总览"
    assert "延安市 › 宝塔区" in at.caption[0].value
    baota = report(BAOTA)
    assert _column(at, 0, "单位名称") == [r.unit.name for r in baota.ranking]
    metrics = {m.label: m.value for m in at.metric}
    for row in baota.headline:
        assert metrics[row.name] == row.value_text

    _widget(at.sidebar.selectbox, "pick_2_").select(LIQU_TOWN)
    at = _ok(at.run())
    # Into the village with the "enter a unit below" buttons of the overview.
    at.pills(key=f"enter_{LIQU_TOWN}").set_value(LIQU_VILLAGE)
    at = _ok(at.run())
    assert at.header[0].value == "李渠村 · 总览"
    assert _widget(at.sidebar.selectbox, "pick_3_").value == LIQU_VILLAGE
    assert "本单位没有下级单位。" in [c.value for c in at.caption]

    at.sidebar.button[0].click()  # 返回上一级
    at = _ok(at.run())
    assert at.header[0].value == "李渠镇 · 总览"
    _widget(at.sidebar.selectbox, "pick_1_").select("")  # (全部): back to the city
    at = _ok(at.run())
    assert at.header[0].value == "延安市 · 总览"


def test_the_first_screen_says_the_period_is_over(app: AppTest):
    # Opened on 2026-11-28 by default: 2026Q3, over on 09-30; the to-do lists
    # are of 11-28 all the same.
    at = _ok(app.run())
    assert _widget(at.sidebar.selectbox, "period_").value == "2026Q3"
    captions = [c.value for c in at.sidebar.caption]
    assert "已结束的报告期：指标截至 2026-09-30，待办清单截至 2026-11-28" in captions


def test_a_setting_opens_the_period_under_way(
    app: AppTest, monkeypatch: pytest.MonkeyPatch
):
    # VETSERVICE_OPEN_PERIOD=current: 2026Q4, cut at 11-28 and marked so.
    monkeypatch.setenv("VETSERVICE_OPEN_PERIOD", "current")
    at = _ok(app.run())
    period = _widget(at.sidebar.selectbox, "period_")
    assert period.value == "2026Q4"
    assert period.format_func(period.value) == "2026年第4季度（未结束）"
    captions = [c.value for c in at.sidebar.caption]
    assert "当前报告期，尚未结束：数据截至 2026-11-28" in captions
    assert "2026-10-01 至 2026-12-31，数据截至 2026-11-28（报告期尚未结束）" in (
        at.caption[0].value
    )


def test_the_address_opens_a_unit_and_period(app: AppTest, report):
    app.query_params["unit"] = BAOTA
    app.query_params["period"] = "2026"
    at = _ok(app.run())
    assert at.header[0].value == "宝塔区 · 总览"
    assert _widget(at.sidebar.selectbox, "period_").value == "2026"
    assert _widget(at.sidebar.segmented_control, "kind_").value == "year"


def test_an_unknown_unit_in_the_address_opens_the_top(app: AppTest):
    app.query_params["unit"] = "999999999999"
    at = _ok(app.run())
    assert at.header[0].value == "延安市 · 总览"


def test_english(app: AppTest, report):
    at = _ok(app.run())
    _widget(at.sidebar.segmented_control, "lang_").set_value("en")
    at = _ok(at.run())
    assert at.header[0].value == "延安市 · Overview"
    english = report(CITY, "en")
    metrics = {m.label: m.value for m in at.metric}
    assert {s.title for s in english.areas} <= set(metrics)
    assert list(at.dataframe[0].value.columns)[:2] == ["Rank", "Unit"]


# -- the pages -------------------------------------------------------------------

AREA_PAGES = {
    "environment": Area.ENVIRONMENT,
    "staffing": Area.STAFFING,
    "activities": Area.ACTIVITIES,
    "petitions": Area.PETITIONS,
}


@pytest.mark.parametrize("name", ["environment", "staffing", "activities"])
def test_area_pages_show_the_reports_rows(app: AppTest, report, name: str):
    at = _page(_ok(app.run()), name)
    section = next(s for s in report().areas if s.area is AREA_PAGES[name])
    assert at.header[0].value == f"延安市 · {section.title}"
    table = at.dataframe[0].value
    assert list(table["指标"]) == [r.name for r in section.rows]
    assert list(table["本期"]) == [r.value_text for r in section.rows]
    assert list(table["目标"]) == [r.target_text for r in section.rows]
    # The chart below compares the children on the first indicator.
    assert f"下级单位对比：{section.rows[0].name}" in at.markdown[-1].value or any(
        section.rows[0].name in m.value for m in at.markdown
    )


def test_services_are_grouped_by_id_prefix(app: AppTest, report):
    at = _page(_ok(app.run()), "services")
    section = next(s for s in report().areas if s.area is Area.SERVICES)
    labels = [t.label for t in at.tabs]
    assert labels[:7] == [
        "社保接续（2）",
        "困难帮扶（2）",
        "就业创业（3）",
        "关爱基金（8）",
        "优抚（3）",
        "安置（2）",
        "上门服务（2）",
    ]
    first = [r for r in section.rows if r.id.startswith("si.")]
    assert list(at.dataframe[0].value["本期"]) == [r.value_text for r in first]
    at.session_state["services_group"] = labels[3]
    at = _ok(at.run())
    fund = [r for r in section.rows if r.id.startswith("fund.")]
    assert list(at.dataframe[0].value["指标"]) == [r.name for r in fund]


def test_petitions_show_overdue_cases_the_watch_list_and_the_calendar(
    app: AppTest, report, library: vs.Database
):
    at = _page(_ok(app.run()), "petitions")
    # The lists are true on the as-of date 2026-11-28, the figures of 2026Q3
    # (07-01 … 09-30). YA2026-0002 (accepted 05-12, extended, due 05-12 + 90 =
    # 08-10) is 110 days overdue; YA2026-0004's decision was due 09-20 + 15 =
    # 10-05, 54 days ago (at E it had 5 days left, in 国庆); YA2026-0005's
    # decision is due 11-20 + 15 = 12-05, 7 days from 11-28.
    subheaders = [s.value for s in at.subheader]
    assert "超期未办结信访件 2 件（截至 2026年11月28日）" in subheaders
    assert (
        "临近期限或落在敏感时期的未办结信访件 1 件（截至 2026年11月28日）" in subheaders
    )
    captions = [c.value for c in at.caption]
    assert (
        "清单反映 2026-11-28 的情况，剩余天数从这一天算起；"
        "指标按报告期 2026-07-01 至 2026-09-30 计算。"
    ) in captions
    overdue = at.dataframe[0].value
    assert list(overdue["信访件编号"]) == ["YA2026-0002", "YA2026-0004"]
    assert list(overdue["办理状态"]) == ["未办结，超期 110 天", "未办结，超期 54 天"]
    assert [o.case_no for o in report().overdue] == ["YA2026-0002", "YA2026-0004"]
    table = at.dataframe[1].value
    assert list(table["信访件编号"]) == ["YA2026-0005"]
    assert list(table["剩余天数"]) == [7]
    assert list(table["办理期限"]) == [dt.date(2026, 12, 5)]
    # The figure stays at E: only YA2026-0002 was overdue on 09-30.
    assert report().row("pet.overdue").value_text == "1"

    at.session_state["petitions_tab"] = "敏感时期日历"
    at = _ok(at.run())
    names = list(at.dataframe[0].value["名称"])
    assert names[:2] == [
        "八一",
        "国庆",
    ]  # from 2026-07-01 to 90 days after the as-of date
    assert "元旦" in names

    at.session_state["petitions_tab"] = "指标"
    at = _ok(at.run())
    section = next(s for s in report().areas if s.area is Area.PETITIONS)
    assert list(at.dataframe[0].value["本期"]) == [r.value_text for r in section.rows]


def test_the_gap_list_filters_and_downloads(app: AppTest, report, library):
    at = _page(_ok(app.run()), "gaps")
    gaps = report().gaps
    assert len(at.dataframe[0].value) == len(gaps)
    units = len({g.unit for g in gaps})
    assert f"共 {len(gaps)} 条，涉及 {units} 个单位" in at.markdown[0].value
    assert at.download_button[0].label == "下载 XLSX"
    # The city's list stops at its townships and says how many lie below.
    below = report().unlisted_total
    assert below and all(len(report().paths.get(g.unit, ())) <= 2 for g in gaps)
    assert any(f"另有 {below:,} 条差距在更下级的单位" in c.value for c in at.caption)

    at.multiselect(key=f"gaps_children_{CITY}").set_value([BAOTA])
    at = _ok(at.run())
    in_baota = {u.code for u in library.descendants(BAOTA)}
    expected = [g.unit for g in gaps if g.unit in in_baota]
    assert expected and len(expected) < len(gaps)
    assert list(at.dataframe[0].value["单位代码"]) == expected
    # Townships with their county (names repeat across a city).
    named = dict(
        zip(
            at.dataframe[0].value["单位代码"],
            at.dataframe[0].value["单位名称"],
            strict=True,
        )
    )
    assert named == {code: report().path(code) for code in expected}
    assert "宝塔区 宝塔山街道" in named.values()

    indicator = gaps[0].indicator
    at.multiselect(key="gaps_indicators").set_value([indicator])
    at.text_input(key="gaps_keyword").input(gaps[0].unit_name[:2])
    at = _ok(at.run())
    table = at.dataframe[0].value
    assert set(table["指标"]) <= {gaps[0].indicator_name}
    assert all(gaps[0].unit_name[:2] in n for n in table["单位名称"])


def test_rankings(app: AppTest, report):
    at = _page(_ok(app.run()), "rankings")
    expected = report()
    assert [t.label for t in at.tabs] == [
        "达标排名",
        *(s.title for s in expected.scorings),
    ]
    assert _column(at, 0, "达标率") == [r.share_text for r in expected.ranking]
    at.session_state["rankings_tab"] = expected.scorings[0].title
    at = _ok(at.run())
    section = expected.scorings[0]
    assert _column(at, 0, "单位名称") == [r.unit.name for r in section.rows]
    assert _column(at, 0, "总分") == [r.total_text for r in section.rows]


def test_indicator_page_with_trend_and_masked_records(
    app: AppTest, report, library: vs.Database
):
    at = _ok(app.run())
    at.session_state["indicator"] = "env.station_established"
    at = _page(at, "indicator")
    row = report().row("env.station_established")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics[row.name] == row.value_text
    assert metrics["去年同期"] == row.last_year.value_text
    assert f"**{row.name}**" in [m.value for m in at.markdown]
    # No internal id (nor the built-in plugin's name) on a leader's page.
    shown = [m.value for m in at.markdown] + [c.value for c in at.main.caption]
    assert not any("env.station_established" in t for t in shown)
    assert not any("vetservice.builtin" in t for t in shown)
    trend = library.trend("env.station_established", CITY, PERIOD, as_of=AS_OF)
    assert f"走势（近 {len(trend)} 期）" in [s.value for s in at.subheader]
    found = library.explain("env.station_established", CITY, PERIOD, as_of=AS_OF)
    assert f"共 {len(found.rows)} 条记录" in at.main.caption[-1].value
    records = at.dataframe[-1].value
    assert list(records["单位代码"]) == [r["unit_code"] for r in found.rows]

    at.toggle(key="indicator_short").set_value(True)
    at = _ok(at.run())
    short = [r for r in found.rows if r["numerator"] < r["denominator"]]
    assert list(at.dataframe[-1].value["单位代码"]) == [r["unit_code"] for r in short]


def test_the_indicator_page_has_its_own_address(app: AppTest, report):
    app.query_params["unit"] = BAOTA
    app.query_params["indicator"] = "visit.key_contact"
    at = _page(_ok(app.run()), "indicator")
    assert at.header[0].value == "宝塔区 · 指标详情"
    assert _widget(at.selectbox, "indicator_").value == "visit.key_contact"
    assert at.query_params["indicator"] == "visit.key_contact"
    row = report(BAOTA).row("visit.key_contact")
    assert {m.label: m.value for m in at.metric}[row.name] == row.value_text


def test_records_mask_personal_data(app: AppTest, library: vs.Database):
    at = _ok(app.run())
    indicator = "honor.plaque_hung"
    at.session_state["indicator"] = indicator
    at = _page(at, "indicator")
    found = library.explain(indicator, CITY, PERIOD, as_of=AS_OF)
    assert found.rows
    shown = at.dataframe[-1].value
    raw = library.explain(indicator, CITY, PERIOD, as_of=AS_OF, show_pii=True)
    pii = [c for c in found.indicator.pii if c in found.columns]
    assert pii
    for column in pii:
        values = {str(r[column]) for r in raw.rows if r[column]}
        assert not values & {str(v) for v in shown.to_numpy().ravel()}


def test_a_plugin_adds_a_page(app: AppTest, tmp_path: Path, monkeypatch):
    page = tmp_path / "red_study.py"
    page.write_text(
        "import streamlit as st\n"
        "from vetservice_dashboard import current\n"
        "here = current()\n"
        "st.header(f'{here.unit.name} · 红色资源')\n",
        encoding="utf-8",
    )
    plugin = tmp_path / "red_plugin.py"
    plugin.write_text(
        "import vetservice as vs\n"
        "from vetservice.i18n import Bilingual\n"
        "from vetservice_dashboard import DashboardPage\n"
        "@vs.hookimpl(optionalhook=True)\n"
        "def vetservice_dashboard_pages():\n"
        f"    return [DashboardPage(title=Bilingual('红色资源', 'Red'), page={str(page)!r},"
        " url_path='red-study', section='分领域')]\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("VETSERVICE_PLUGINS", str(plugin))
    # A fresh URL, so the cached database is opened with the plugin loaded.
    monkeypatch.setenv("VETSERVICE_DB", build_database(tmp_path))
    at = _ok(app.run())
    at = _ok(at.switch_page(str(page)).run())
    assert at.header[0].value == "延安市 · 红色资源"


def test_a_failing_plugin_page_is_reported_and_the_rest_works(
    app: AppTest, tmp_path: Path, monkeypatch
):
    plugin = tmp_path / "broken_plugin.py"
    plugin.write_text(
        "import vetservice as vs\n"
        "@vs.hookimpl(optionalhook=True)\n"
        "def vetservice_dashboard_pages():\n"
        "    raise RuntimeError('no pages today')\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("VETSERVICE_PLUGINS", str(plugin))
    monkeypatch.setenv("VETSERVICE_DB", build_database(tmp_path))
    at = _ok(app.run())
    assert at.header[0].value == "延安市 · 总览"
    warnings = [w.value for w in at.sidebar.warning]
    assert any("no pages today" in w for w in warnings)


def test_an_empty_database_says_what_to_do(app: AppTest, tmp_path: Path, monkeypatch):
    monkeypatch.setenv(
        "VETSERVICE_DB", f"sqlite:///{(tmp_path / 'empty.db').as_posix()}"
    )
    at = _ok(app.run())
    assert "请先导入单位" in at.info[0].value


def test_records_imported_elsewhere_show_at_the_next_click(
    app: AppTest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """A clerk imports a ledger from the command line while a leader has the
    overview open: the leader's next click shows the new figures, not those
    the dashboard cached before (its caches follow the records' version)."""
    from dashboard import WATCHED
    from fixtures import FILES

    url = build_database(tmp_path)
    monkeypatch.setenv("VETSERVICE_DB", url)
    at = _ok(app.run())
    assert {m.label: m.value for m in at.metric}["超期未办结信访件数"] == "1"
    # Accepted 06-01 and never closed: past its 60 days by 09-30 (E).
    header = (
        next(f for f in FILES if f.name == "petitions.csv")
        .read_text(encoding="utf-8")
        .splitlines()[0]
    )
    row = WATCHED.splitlines()[0].split(",")
    row[0], row[3], row[8], row[9] = "YA2026-0006", "2026-05-25", "受理", "2026-06-01"
    ledger = tmp_path / "new_petition.csv"
    ledger.write_text(f"{header}\n{','.join(row)}\n", "utf-8")
    with vs.open(url) as db:
        db.import_files([("petitions", ledger)], today=AS_OF)
    at = _ok(at.run())
    assert {m.label: m.value for m in at.metric}["超期未办结信访件数"] == "2"
    # Nothing changed since: the same figures, from the caches.
    assert {m.label: m.value for m in _ok(at.run()).metric}["超期未办结信访件数"] == "2"


def test_a_scoped_dashboard_starts_at_its_county_and_goes_no_higher(
    app: AppTest, monkeypatch: pytest.MonkeyPatch
):
    county = "610602000000"
    monkeypatch.setenv("VETSERVICE_SCOPE", county)
    at = _ok(app.run())
    assert at.header[0].value == "宝塔区 · 总览"
    assert _widget(at.sidebar.selectbox, "pick_0_").value == county
    # The city never appears, even as the way back up.
    texts = " ".join(str(getattr(e, "value", "")) for e in at.sidebar.selectbox)
    assert "610600000000" not in texts


def test_the_overview_draws_the_reports_attachment_3_from_the_same_chart(
    app: AppTest, report
):
    """The bar chart of grades per county is the Word and HTML 附件3's own
    Vega-Lite specification, with the same counts."""
    import json

    from streamlit import dataframe_util

    from vetservice.reports.charts import grade_bars

    at = _ok(app.run())
    (chart,) = [
        c
        for c in at.get("vega_lite_chart")
        if json.loads(c.proto.spec).get("title") == "有目标指标的完成情况"
    ]
    expected = grade_bars(report())
    # Streamlit moves the values out of the specification, as a table.
    frame = dataframe_util.convert_arrow_bytes_to_pandas_df(chart.proto.data.data)
    shown = sorted(
        (r["unit"], r["grade"], int(r["count"])) for r in frame.to_dict("records")
    )
    assert shown == sorted(
        (v["unit"], v["grade"], v["count"]) for v in expected["data"]["values"]
    )
    spec = json.loads(chart.proto.spec)
    assert spec["encoding"]["color"]["scale"] == expected["encoding"]["color"]["scale"]
