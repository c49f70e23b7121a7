"""The dashboard in a real browser: ``streamlit run`` on a free port, headless
Chromium through Playwright.

A leader opens the city's overview in Chinese, drills down to a village and
back, finds every failing unit on the 差距清单 (and in its XLSX download), and
the overdue petitions on the watch list. Screenshots go under the test's
``tmp_path`` and, when ``VETSERVICE_SCREENSHOTS`` names a folder, there too.

Needs ``/usr/bin/chromium`` (never Playwright's own browsers): without it the
test is skipped with the reason, except under CI (``CI=true``), where it fails.
"""

from __future__ import annotations

import io
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest

import vetservice as vs
from dashboard import (
    AS_OF,
    BAOTA,
    CITY,
    LIQU_TOWN,
    LIQU_VILLAGE,
    PERIOD,
    build_database,
)
from vetservice.reports.build import build_report
from vetservice.testing import make_plugins

CHROMIUM = Path("/usr/bin/chromium")
APP = (
    Path(__file__).resolve().parents[2] / "apps" / "streamlit" / "vetservice_dashboard"
)
WAIT = 90_000  # ms: the first page of a cold database computes its report


def _unavailable() -> str | None:
    if not CHROMIUM.exists():
        return f"no Chromium at {CHROMIUM} (apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed (pip install playwright)"
    return None


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    reason = _unavailable()
    if reason:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI needs the browser test: {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield chromium
        chromium.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    folder = tmp_path_factory.mktemp("browser")
    url = build_database(folder)
    port = _free_port()
    env = {
        **os.environ,
        "VETSERVICE_DB": url,
        "VETSERVICE_AS_OF": AS_OF.isoformat(),
        "VETSERVICE_DISABLE_PLUGIN_AUTOLOAD": "1",
    }
    env.pop("VETSERVICE_LANG", None)
    log = (folder / "streamlit.log").open("w")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(APP / "streamlit_app.py"),
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
            "--browser.gatherUsageStats",
            "false",
            "--client.toolbarMode",
            "minimal",
        ],
        env=env,
        cwd=folder,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                log.flush()
                pytest.fail(
                    "streamlit did not start: "
                    + (folder / "streamlit.log").read_text(encoding="utf-8")[-2000:]
                )
            time.sleep(0.3)
        yield {"base": base, "url": url, "log": folder / "streamlit.log"}
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


@pytest.fixture(scope="module")
def expected(server: dict[str, Any]) -> Iterator[dict[str, Any]]:
    with vs.open(server["url"], plugins=make_plugins()) as db:
        yield {
            code: build_report(db.report(code, PERIOD, as_of=AS_OF), "zh")
            for code in (CITY, BAOTA, LIQU_TOWN, LIQU_VILLAGE)
        }


@pytest.fixture
def page(browser: Any, server: dict[str, Any], tmp_path: Path) -> Iterator[Any]:
    context = browser.new_context(
        viewport={"width": 1366, "height": 768}, locale="zh-CN"
    )
    tab = context.new_page()
    tab.set_default_timeout(WAIT)
    yield tab
    context.close()
    copy = os.environ.get("VETSERVICE_SCREENSHOTS")
    if copy:
        Path(copy).mkdir(parents=True, exist_ok=True)
        for shot in tmp_path.glob("*.png"):
            shutil.copy(shot, Path(copy) / shot.name)


def _heading(page: Any, text: str) -> None:
    page.get_by_role("heading", name=text).wait_for()


def _settled(page: Any) -> None:
    """Streamlit draws after load and after each rerun: wait for it to finish."""
    page.wait_for_timeout(300)
    page.locator(
        '[data-testid="stApp"][data-test-script-state="notRunning"]'
    ).wait_for()
    page.wait_for_timeout(500)  # charts and grids draw after the run


def _shoot(page: Any, folder: Path, name: str, *, top: bool = True) -> Path:
    if top:
        page.locator('[data-testid="stMain"]').evaluate("m => m.scrollTo(0, 0)")
        page.wait_for_timeout(200)
    path = folder / f"{name}.png"
    page.screenshot(path=str(path))
    assert path.stat().st_size > 10_000
    return path


def _sidebar_select(page: Any, index: int, option: str) -> None:
    page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').nth(
        index
    ).click()
    page.get_by_role("option", name=option, exact=True).click()


def _grid_cells(page: Any, index: int = 0) -> list[str]:
    grid = page.locator('[data-testid="stDataFrame"]').nth(index)
    grid.scroll_into_view_if_needed()
    cells = grid.locator('[role="gridcell"]')
    cells.first.wait_for(state="attached")  # the grid's accessible copy of its cells
    return cells.all_text_contents()


def test_overview_drill_down_to_a_village_and_back(
    page: Any, server: dict[str, Any], expected: dict[str, Any], tmp_path: Path
):
    page.goto(server["base"])
    _heading(page, "延安市 · 总览")
    page.get_by_text("下级单位排名").wait_for()
    _settled(page)
    city = expected[CITY]
    # The area cards draw last; on a busy machine after the run has ended.
    for section in city.areas:
        page.get_by_text(section.title, exact=True).first.wait_for()
    body = page.locator("body").inner_text()
    assert "2026-07-01 至 2026-09-30" in body
    for section in city.areas:
        assert section.title in body
    for row in city.headline:
        assert row.name in body
        assert row.value_text in body
    assert "Deploy" not in body
    _shoot(page, tmp_path, "1-overview-city")
    cells = _grid_cells(page)
    for ranked in city.ranking:
        assert ranked.unit.name in cells
        assert ranked.share_text in cells

    # Down to the county with the sidebar's picker.
    _sidebar_select(page, 1, "宝塔区")
    _heading(page, "宝塔区 · 总览")
    _settled(page)
    assert "延安市 › 宝塔区" in page.locator("body").inner_text()
    for row in expected[BAOTA].headline:
        assert row.value_text in page.locator("body").inner_text()
    _shoot(page, tmp_path, "2-overview-county")

    # To the township with the buttons of the units below.
    page.get_by_role("radio", name="李渠镇", exact=True).click()
    _heading(page, "李渠镇 · 总览")
    _settled(page)

    # To the village by selecting its row in the ranking.
    grid = page.locator('[data-testid="stDataFrame"]').first
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + 15, box["y"] + 35 + 17)  # the first row's checkbox
    _heading(page, "李渠村 · 总览")
    _settled(page)
    assert "本单位没有下级单位" in page.locator("body").inner_text()
    _shoot(page, tmp_path, "3-overview-village")

    # And back up.
    page.get_by_role("button", name="返回上一级").click()
    _heading(page, "李渠镇 · 总览")
    _settled(page)
    _sidebar_select(page, 1, "（全部）")
    _heading(page, "延安市 · 总览")
    _settled(page)
    assert f"unit={CITY}" in page.url
    _shoot(page, tmp_path, "4-overview-back")


def test_every_failing_unit_is_on_the_gap_list(
    page: Any, server: dict[str, Any], expected: dict[str, Any], tmp_path: Path
):
    gaps = expected[CITY].gaps
    page.goto(f"{server['base']}/gaps?unit={CITY}&period={PERIOD}")
    _heading(page, "延安市 · 差距清单")
    units = len({g.unit for g in gaps})
    page.get_by_text(f"共 {len(gaps)} 条，涉及 {units} 个单位").wait_for()
    _settled(page)
    grid = page.locator('[data-testid="stDataFrame"]').first
    assert grid.locator("table").get_attribute("aria-rowcount") == str(len(gaps) + 1)
    cells = _grid_cells(page)
    # The unit by its path (its code is the last column, off the first screen),
    # its gap at E and, the period being over, how it stands at the as-of date.
    first = gaps[0]
    assert expected[CITY].path(first.unit, first.unit_name) in cells
    assert first.reason in cells and first.resolved_text in cells
    _shoot(page, tmp_path, "5-gap-list")

    with page.expect_download() as download:
        page.get_by_role("button", name="下载 XLSX").click()
    workbook = openpyxl.load_workbook(
        io.BytesIO(Path(download.value.path()).read_bytes())
    )
    rows = list(workbook.active.iter_rows(min_row=3, values_only=True))
    assert [r[1] for r in rows] == [g.unit for g in gaps]
    assert {r[1] for r in rows} == {g.unit for g in gaps}


def test_overdue_petitions_are_on_the_watch_list(
    page: Any, server: dict[str, Any], expected: dict[str, Any], tmp_path: Path
):
    # Both lists are as of 2026-11-28, whatever the period (issue 20).
    overdue = expected[CITY].overdue
    still_open = [o for o in overdue if o.closed_on is None]
    watch = expected[CITY].watch_list
    assert overdue and watch
    page.goto(f"{server['base']}/petitions?unit={CITY}&period={PERIOD}")
    _heading(page, "延安市 · 信访工作")
    page.get_by_role(
        "heading", name=f"超期未办结信访件 {len(still_open)} 件（截至 2026年11月28日）"
    ).wait_for()
    _settled(page)
    cells = _grid_cells(page, 0)
    for case in overdue:
        assert case.case_no in cells
    watched = _grid_cells(page, 1)
    for item in watch:
        assert item.case_no in watched
        assert str(item.days_left) in watched
    _shoot(page, tmp_path, "6-petitions-watch-list")


def test_clicking_while_a_page_is_drawn_keeps_the_view(
    page: Any, server: dict[str, Any], tmp_path: Path
):
    """A tab clicked before the first run ends must not reset the sidebar's pickers."""
    page.goto(f"{server['base']}/petitions")
    page.get_by_role("tab", name="敏感时期日历").click()
    page.get_by_role("heading", name="的敏感时期", exact=False).wait_for()
    _settled(page)
    assert page.get_by_role("combobox", name="报告期").input_value() == "2026年第3季度"
    assert (
        page.get_by_role("radio", name="中文").get_attribute("aria-checked") == "true"
    )
    assert "2026-07-01 至 2026-09-30" in page.locator("body").inner_text()
    _shoot(page, tmp_path, "7-petitions-calendar")


def test_clicking_a_chart_drills_into_the_unit(
    page: Any, server: dict[str, Any], expected: dict[str, Any], tmp_path: Path
):
    page.goto(f"{server['base']}/?unit={CITY}&period={PERIOD}")
    _heading(page, "延安市 · 总览")
    _settled(page)
    # The middle of the treemap (under the heat map) is one of the units two
    # levels down.
    chart = page.locator('[data-testid="stVegaLiteChart"]').nth(1)
    below = [u for child in expected[CITY].children for u in _children(server, child)]
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    arrived = (
        "names => names.some(n => document.body.innerText.includes(n + ' · 总览'))"
    )
    for attempt in range(3):  # a click while the page still reruns is lost
        # On a loaded machine a rerun can follow the first: wait until no
        # element is still a placeholder and Vega has drawn the treemap.
        _settled(page)
        page.wait_for_function(
            "() => !document.querySelector('[data-testid=\"stSkeleton\"]')"
        )
        chart.scroll_into_view_if_needed()
        chart.locator("canvas, svg").first.wait_for()
        box = chart.bounding_box()
        assert box is not None
        if attempt == 0:
            _shoot(page, tmp_path, "8-treemap", top=False)
        page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 3)
        try:
            page.wait_for_function(arrived, arg=below, timeout=30_000)
            break
        except PlaywrightTimeout:
            if attempt == 2:
                raise

    # The top bar of an area page's chart is the unit below with the highest value.
    page.goto(f"{server['base']}/environment?unit={CITY}&period={PERIOD}")
    section = next(s for s in expected[CITY].areas if s.title == "阵地建设")
    top = max(
        section.rows[0].children,
        key=lambda c: -1 if c.figure.value is None else float(c.figure.value),
    )
    _heading(page, "延安市 · 阵地建设")
    _settled(page)
    chart = page.locator('[data-testid="stVegaLiteChart"]').first
    chart.scroll_into_view_if_needed()
    box = chart.bounding_box()
    assert box is not None
    _shoot(page, tmp_path, "9-area-bars", top=False)
    page.mouse.click(box["x"] + 200, box["y"] + 13)
    _heading(page, f"{top.unit.name} · 阵地建设")


def _children(server: dict[str, Any], unit: Any) -> list[str]:
    with vs.open(server["url"], plugins=make_plugins()) as db:
        return [u.name for u in db.children(unit.code)]


def test_the_first_screen_is_the_heat_map_with_every_county_named(
    page: Any, server: dict[str, Any], expected: dict[str, Any], tmp_path: Path
):
    from vetservice.reports.attachments import grade_grid

    city = expected[CITY]
    # The overview's own address opens it (it used to say "Page not found").
    page.goto(f"{server['base']}/overview?unit={CITY}&period={PERIOD}")
    _heading(page, "延安市 · 总览")
    page.get_by_role("heading", name="各县区指标达标情况（红黄绿）").wait_for()
    _settled(page)
    assert "Page not found" not in page.locator("body").inner_text()
    chart = page.locator('[data-testid="stVegaLiteChart"]').first
    chart.locator("svg").first.wait_for()
    _shoot(page, tmp_path, "10-first-screen-heat-map")
    # Whole on the first screen of a 1366×768 laptop, every county named on it.
    box = chart.bounding_box()
    assert box is not None and box["y"] > 0 and box["y"] + box["height"] <= 768
    labels = chart.locator(".role-axis-label text").all_text_contents()
    for county in city.children:
        assert county.name in labels
    # Worst first: the top row is the one red in the most counties.
    grid = grade_grid(city).worst_first()
    top = grid.lines[0]
    assert labels.index(top.row.name) == len(city.children) + 1  # after the units

    # A cell opens that county on that indicator's page.
    county = city.children[-1]
    cell = chart.locator(
        f'path[aria-label^="单位名称: {county.name}; 指标: {top.row.name};"]'
    )
    cell.click()
    _heading(page, f"{county.name} · 指标详情")
    _settled(page)
    assert (
        page.get_by_role("combobox", name="选择指标")
        .input_value()
        .endswith(top.row.name)
    )
    assert f"unit={county.code}" in page.url
    assert f"indicator={top.row.id}" in page.url  # the view has an address
    _shoot(page, tmp_path, "11-heat-map-cell-drilled")
