"""The dashboard's pure parts: periods, texts, the treemap layout, charts, the page hook."""

from __future__ import annotations

import ast
import datetime as dt
import functools
import json
from pathlib import Path

import pytest

import vetservice as vs
from vetservice.i18n import Bilingual
from vetservice.indicators import Area
from vetservice.testing import make_plugins

pytest.importorskip("streamlit")

from vetservice_dashboard import (
    DashboardPage,
    areas,
    builtin,
    charts,
    hookspecs,
    state,
    ui,
)
from vetservice_dashboard.texts import EN, tr

APP_DIR = Path(state.__file__).resolve().parent


# -- periods -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("as_of", "period"),
    [
        (dt.date(2026, 11, 28), "2026Q3"),
        (dt.date(2026, 9, 30), "2026Q3"),  # the quarter's last day: it is over
        (dt.date(2026, 1, 5), "2025Q4"),
    ],
)
def test_the_default_period_is_the_latest_quarter_over(as_of: dt.date, period: str):
    assert state.default_period(as_of) == period


def test_the_setting_may_open_the_quarter_under_way(monkeypatch: pytest.MonkeyPatch):
    as_of = dt.date(2026, 11, 28)
    assert state.default_period(as_of, current=True) == "2026Q4"
    monkeypatch.setenv("VETSERVICE_OPEN_PERIOD", "current")
    assert state.default_period(as_of) == "2026Q4"
    monkeypatch.setenv("VETSERVICE_OPEN_PERIOD", "last_complete")
    assert state.default_period(as_of) == "2026Q3"
    # On a quarter's last day the quarter is over either way.
    assert state.default_period(dt.date(2026, 9, 30), current=True) == "2026Q3"


def test_the_sidebar_says_whether_the_period_is_over():
    as_of = dt.date(2026, 11, 28)
    assert state.period_state("2026Q4", as_of, "zh") == (
        "当前报告期，尚未结束：数据截至 2026-11-28"
    )
    assert state.period_state("2026Q3", as_of, "zh") == (
        "已结束的报告期：指标截至 2026-09-30，待办清单截至 2026-11-28"
    )
    assert state.period_state("2026-11", dt.date(2026, 11, 30), "en") == (
        "The period ends today: figures as of 2026-11-30"
    )


def test_period_options_end_with_the_one_under_way():
    as_of = dt.date(2026, 11, 28)
    assert state.period_options("quarter", as_of)[:3] == ["2026Q4", "2026Q3", "2026Q2"]
    assert len(state.period_options("quarter", as_of)) == 8
    assert state.period_options("month", as_of)[:2] == ["2026-11", "2026-10"]
    assert state.period_options("year", as_of) == ["2026", "2025", "2024", "2023"]


def test_period_names_in_both_languages():
    as_of = dt.date(2026, 11, 28)
    assert state.period_name("2026Q3", as_of, "zh") == "2026年第3季度"
    assert state.period_name("2026Q4", as_of, "zh") == "2026年第4季度（未结束）"
    assert state.period_name("2026-03", as_of, "en") == "2026-03"
    assert state.period_name("2025", as_of, "en") == "2025"


# -- texts ---------------------------------------------------------------------


def _literals() -> set[str]:
    """Every Chinese literal the app passes to tr() or a page's t()/here.t()."""
    found = set()
    for path in APP_DIR.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            func = node.func
            name = (
                func.attr
                if isinstance(func, ast.Attribute)
                else getattr(func, "id", "")
            )
            first = node.args[0]
            if name in ("tr", "t") and isinstance(first, ast.Constant):
                found.add(first.value)
    return found


def test_every_fixed_text_has_an_english_translation():
    literals = _literals()
    assert len(literals) > 50
    missing = sorted(text for text in literals if text not in EN)
    assert not missing, missing
    # Those of state.py's tables too (kinds of period, period names).
    for text in [*state.KIND_NAMES.values(), "{year}年第{number}季度", "{year}年"]:
        assert text in EN


def test_placeholders_survive_translation():
    import string

    for zh, en in EN.items():
        fields = {f for _, f, _, _ in string.Formatter().parse(zh) if f}
        assert fields == {f for _, f, _, _ in string.Formatter().parse(en) if f}, zh
    assert tr("总览", "en") == "Overview"
    assert tr("总览", "zh") == "总览"


# -- treemap ---------------------------------------------------------------------


def test_squarify_fills_the_rectangle_in_proportion():
    sizes = [6, 6, 4, 3, 2, 2, 1]
    rects = charts.squarify(sizes, (0, 0, 600, 400))
    areas = [w * h for _x, _y, w, h in rects]
    assert sum(areas) == pytest.approx(600 * 400)
    for size, area in zip(sizes, areas, strict=True):
        assert area == pytest.approx(600 * 400 * size / sum(sizes))
    for x, y, w, h in rects:
        assert x >= 0 and x + w <= 600 + 1e-6 and y >= 0 and y + h <= 400 + 1e-6
    assert max(max(w / h, h / w) for _x, _y, w, h in rects) < 3


def _tile(group: str, code: str, name: str, value: float | None) -> dict:
    return {
        "group": group,
        "group_name": f"县{group}",
        "code": code,
        "name": name,
        "value": value,
        "value_text": "—",
        "status": "met",
        "status_text": "达标",
        "target_text": "≥ 100%",
        "grade": "green",
        "grade_text": "达标",
    }


def test_treemap_layout_groups_units_and_labels_those_that_fit():
    tiles = [_tile("A", f"A{i}", f"乡镇{i}", i / 10) for i in range(6)]
    tiles += [_tile("B", "B0", "一个名字非常长非常长非常长的乡镇", None)]
    groups, leaves = charts.treemap_layout(tiles, 640, 420)
    assert list(groups["code"]) == ["A", "B"]
    assert (
        groups.iloc[0]["x2"] - groups.iloc[0]["x"]
        > groups.iloc[1]["x2"] - groups.iloc[1]["x"]
    )
    assert set(leaves["code"]) == {t["code"] for t in tiles}
    long = leaves.set_index("code").loc["B0"]
    assert long["label"] == ""  # too long for its tile: the tooltip names it
    assert (leaves.set_index("code").loc["A1", "label"]) == "乡镇1"


def test_charts_carry_chinese_titles_and_a_unit_selection():
    tiles = [_tile("A", "A1", "李渠镇", 0.5), _tile("A", "A2", "河庄坪镇", None)]
    spec = charts.treemap(
        tiles,
        indicator="服务站（中心）建成率",
        lang="zh",
    ).to_dict()
    text = str(spec)
    assert "服务站（中心）建成率" in text and "上级单位" in text and "状态" in text
    assert charts.SELECT in text
    bars = charts.unit_bars(
        [
            {
                "code": "A1",
                "name": "李渠镇",
                "value": 0.5,
                "value_text": "50.0%",
                "grade": "red",
                "grade_text": "未达标",
            },
            {
                "code": "A2",
                "name": "河庄坪镇",
                "value": None,
                "value_text": "无数据",
                "grade": "no_data",
                "grade_text": "无数据",
            },
        ],
        ratio=True,
        target=1.0,
        target_text="≥ 100%",
        lang="zh",
    ).to_dict()
    assert "数值" in str(bars) and "目标" in str(bars) and charts.SELECT in str(bars)
    trend = charts.trend_chart(
        [
            {
                "period": "2026Q3",
                "value": 0.5,
                "value_text": "50.0%",
                "status_text": "未达标",
                "target": 1.0,
            }
        ],
        ratio=True,
        lang="en",
    ).to_dict()
    assert "Period" in str(trend)


# -- the page hook -----------------------------------------------------------------


class _Pages:
    @vs.hookimpl(optionalhook=True)
    def vetservice_dashboard_pages(self):
        return [
            DashboardPage(
                title=Bilingual("红色资源", "Red resources"),
                page=lambda: None,
                url_path="red",
            ),
            "not a page",
        ]


def test_a_plugin_declares_the_page_hook_without_the_dashboard_loaded():
    # The command line builds this manager without the dashboard's hook spec.
    plugins = make_plugins(_Pages())
    plugins.pm.add_hookspecs(hookspecs)
    plugins.pm.register(builtin, name="vetservice_dashboard.builtin")
    pages = plugins.collect("vetservice_dashboard_pages", DashboardPage)
    assert [p.url_path for p in pages][-1] == "red" or "red" in [
        p.url_path for p in pages
    ]
    assert {p.url_path for p in builtin.BUILTIN_PAGES} <= {p.url_path for p in pages}
    assert any("not a page" in f.error or "str" in f.error for f in plugins.failures)


def test_page_titles_in_both_languages():
    page = DashboardPage(
        title=Bilingual("红色资源", "Red"), page="x.py", url_path="red"
    )
    assert page.title_in("zh") == "红色资源"
    assert page.title_in("en") == "Red"
    assert page.section_in("zh") is None
    assert (
        DashboardPage(title="只有中文", page="x.py", url_path="zh").title_in("en")
        == "只有中文"
    )


def test_the_built_in_pages_exist():
    for page in builtin.BUILTIN_PAGES:
        assert callable(page.page) or Path(page.page).is_file(), page.url_path
    assert len({p.url_path for p in builtin.BUILTIN_PAGES}) == len(
        builtin.BUILTIN_PAGES
    )
    # The indicator page, which other pages open, is one of them.
    assert ui.INDICATOR_PAGE in [p.page for p in builtin.BUILTIN_PAGES]


def test_one_function_draws_every_area_page_but_petitions():
    drawn = {
        p.url_path: p.page.args
        for p in builtin.BUILTIN_PAGES
        if isinstance(p.page, functools.partial) and p.page.func is areas.draw
    }
    assert drawn == {
        "environment": (Area.ENVIRONMENT,),
        "staffing": (Area.STAFFING,),
        "activities": (Area.ACTIVITIES,),
        "services": (Area.SERVICES,),
    }


def _fills(spec: dict) -> dict[str, str]:
    """Each grade text → its fill, from the chart's colour scale."""
    found: dict[str, str] = {}
    for layer in spec.get("layer", []):
        colour = layer.get("encoding", {}).get("color", {})
        scale = colour.get("scale", {}) if isinstance(colour, dict) else {}
        if "domain" in scale:
            found.update(zip(scale["domain"], scale["range"], strict=True))
    return found


def test_treemap_and_heat_map_are_filled_by_grade_anchored_to_the_target():
    # 95.0 % and 50.0 % of a "≥ 100 %" target: 5 points short is within the
    # default 10-point band (接近), 50 points is not (未达标). The colour is the
    # grade's, the Word 附件1's fill, whatever the other values shown.
    near = {**_tile("A", "A1", "李渠镇", 0.95), "grade": "yellow", "grade_text": "接近"}
    far = {**_tile("A", "A2", "河庄坪镇", 0.5), "grade": "red", "grade_text": "未达标"}
    tree = charts.treemap([near, far], indicator="服务站（中心）建成率", lang="zh")
    assert _fills(tree.to_dict()) == {"接近": "#FFEB9C", "未达标": "#FFC7CE"}

    cells = [
        {
            "code": code,
            "unit": unit,
            "indicator": "env.station_established",
            "name": "服务站（中心）建成率",
            "value_text": text,
            "target_text": "≥ 100%",
            "grade": grade,
            "grade_text": grade_text,
        }
        for code, unit, text, grade, grade_text in [
            ("A1", "李渠镇", "95.0%", "yellow", "接近"),
            ("A2", "河庄坪镇", "50.0%", "red", "未达标"),
        ]
    ]
    spec = charts.heatmap(
        cells,
        units=["河庄坪镇", "李渠镇"],
        indicators=["服务站（中心）建成率"],
        lang="zh",
    ).to_dict()
    assert _fills(spec) == {"接近": "#FFEB9C", "未达标": "#FFC7CE"}
    # Clicking a cell selects its unit and indicator; the columns keep the order given.
    assert spec["params"][0]["select"]["fields"] == ["code", "indicator"]
    assert spec["layer"][0]["encoding"]["x"]["sort"] == ["河庄坪镇", "李渠镇"]


def test_a_heat_map_of_many_units_names_every_one_top_to_bottom():
    # 20 townships of 4-5 characters in 900 - 230 = 670 px: 33.5 px a column,
    # less than a 5-character name at 12 px (64 px): names go one character a
    # line, and none is dropped for overlapping its neighbour.
    units = [f"{'东西南北中'[i % 5]}{i:02d}街道" for i in range(20)]
    cells = [
        {
            "code": str(i),
            "unit": unit,
            "indicator": "si.entered",
            "name": "社保接续录入率",
            "value_text": "50.0%",
            "target_text": "≥ 100%",
            "grade": "red",
            "grade_text": "未达标",
        }
        for i, unit in enumerate(units)
    ]
    spec = charts.heatmap(
        cells, units=units, indicators=["社保接续录入率"], lang="zh", width=900
    ).to_dict()
    axis = spec["layer"][0]["encoding"]["x"]["axis"]
    assert axis["labelOverlap"] is False
    table = json.loads(axis["labelExpr"].removesuffix("[datum.label]"))
    assert table["东00街道"] == ["东", "0", "0", "街", "道"]
    assert set(table) == set(units)
    # Too narrow for "50.0%" in each cell: the colour and the tooltip say it.
    assert len(spec["layer"]) == 2  # the cells and the line after the unit itself
