"""A city's dashboard with accounts, in a real browser (issue 19).

``vetservice dashboard`` (the command, with its safe defaults) on the
fixture ledgers, on SQLite and on PostgreSQL, with three accounts: the city's administrator, 宝塔区's
clerk and 宝塔区's leader. Headless Chromium through Playwright logs in,
guesses passwords, reads out of scope through the dashboard's address,
uploads a ledger with an error and then a good one, signs a period off and
sees an import refused, logs out and finds the session gone.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import pg_schema

import vetservice as vs
from dashboard import AS_OF, BAOTA, CITY, build_database

CHROMIUM = Path("/usr/bin/chromium")
WAIT = 90_000
PASSWORDS = {
    "city": "市局管理员-口令-01",
    "clerk": "宝塔区填报员-口令-02",
    "leader": "宝塔区领导-口令-03",
}
VETERAN = "612601196503120031"  # 李保国, 杨家岭社区 (宝塔区)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI needs the browser test: no Chromium at {CHROMIUM}")
        pytest.skip(f"no Chromium at {CHROMIUM}")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        chromium = p.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield chromium
        chromium.close()


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(
    scope="module",
    params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)],
)
def database(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Path, str]]:
    """The fixture ledgers in a new database, once on SQLite and once in a
    PostgreSQL schema of its own (skipped with the reason when the server
    cannot be reached, failed under CI)."""
    folder = tmp_path_factory.mktemp(f"accounts-{request.param}")
    if request.param == "sqlite":
        yield folder, build_database(folder)
        return
    with pg_schema() as url:
        yield folder, build_database(folder, url)


@pytest.fixture(scope="module")
def server(database: tuple[Path, str]) -> Iterator[dict[str, Any]]:
    folder, url = database
    with vs.open(url, actor="部署人员") as db:
        db.add_user("city", role="admin", scope=None, password=PASSWORDS["city"])
        db.add_user("clerk", role="clerk", scope=BAOTA, password=PASSWORDS["clerk"])
        db.add_user("leader", role="leader", scope=BAOTA, password=PASSWORDS["leader"])
    port = _free_port()
    env = {
        **os.environ,
        "VETSERVICE_AS_OF": AS_OF.isoformat(),
        "VETSERVICE_DISABLE_PLUGIN_AUTOLOAD": "1",
    }
    env.pop("VETSERVICE_LANG", None)
    log = (folder / "streamlit.log").open("w")
    # The command itself, so that its serving defaults are what is tested;
    # its own process group, so that Streamlit below it stops with it.
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "vetservice_cli.main",
            "--db",
            url,
            "dashboard",
            "--port",
            str(port),
        ],
        env=env,
        cwd=folder,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
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
                    + (folder / "streamlit.log").read_text()[-2000:]
                )
            time.sleep(0.3)
        yield {"base": base, "url": url, "folder": folder}
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
        log.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(
        viewport={"width": 1366, "height": 768}, locale="zh-CN"
    )
    tab = context.new_page()
    tab.set_default_timeout(WAIT)
    yield tab
    context.close()


def _settled(page: Any) -> None:
    page.wait_for_timeout(300)
    page.locator(
        '[data-testid="stApp"][data-test-script-state="notRunning"]'
    ).wait_for()
    page.wait_for_timeout(400)


def _login(page: Any, name: str, password: str) -> None:
    page.get_by_label("用户名").fill(name)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    _settled(page)


def _open(page: Any, section: str, title: str) -> None:
    page.locator('[data-testid="stTopNavSection"]', has_text=section).click()
    page.get_by_role("menuitem", name=title).click()
    _settled(page)
    page.get_by_role("heading", name=title, exact=False).first.wait_for()


def test_nothing_is_shown_before_a_login_and_a_wrong_password_is_refused(page, server):
    page.goto(server["base"])
    page.get_by_role("button", name="登录").wait_for()
    page.get_by_label("用户名").wait_for()
    page.get_by_label("密码").wait_for()
    body = page.locator("body").inner_text()
    assert "延安市" not in body and "宝塔区" not in body
    _login(page, "clerk", "not-the-password")
    page.get_by_text("用户名或密码不对").wait_for()
    assert "宝塔区" not in page.locator("body").inner_text()


def test_password_guessing_holds_the_name(page, server, browser):
    page.goto(server["base"])
    page.get_by_role("button", name="登录").wait_for()
    for attempt in range(5):
        _login(page, "city", f"guess-{attempt}")
        page.get_by_text("用户名或密码不对").wait_for()
    _login(page, "city", PASSWORDS["city"])  # right, but held now
    page.get_by_text("密码错误次数太多").wait_for()
    with vs.open(server["url"]) as db:
        commands = [e.command for e in db.audit(actor="city")]
    assert commands.count("login-failed") == 5 and commands.count("login-held") == 1


def test_a_leader_sees_only_the_county_whatever_the_address_says(page, server):
    for unit in (CITY, "610621000000"):  # the city, another county
        page.goto(f"{server['base']}/?unit={unit}&period=2026Q3")
        _login(page, "leader", PASSWORDS["leader"])
        page.get_by_role("heading", name="宝塔区 · 总览").wait_for()
        body = page.locator("body").inner_text()
        assert "延安市 · 总览" not in body and "延长县" not in body
        page.get_by_role("button", name="退出登录").click()
        _settled(page)
    # A leader reads: the upload page says so and offers no file.
    page.goto(server["base"])
    _login(page, "leader", PASSWORDS["leader"])
    _open(page, "上报", "上报台账")
    page.get_by_text("领导账号只能查看，不能上报台账。").wait_for()
    assert page.locator('[data-testid="stFileUploader"]').count() == 0


def test_logged_out_or_reloaded_the_session_is_gone(page, server):
    page.goto(server["base"])
    _login(page, "clerk", PASSWORDS["clerk"])
    page.get_by_role("heading", name="宝塔区 · 总览").wait_for()
    page.reload()  # a new connection is a new session: the login again
    page.get_by_role("button", name="登录").wait_for()
    _login(page, "clerk", PASSWORDS["clerk"])
    page.get_by_role("button", name="退出登录").click()
    _settled(page)
    page.get_by_role("button", name="登录").wait_for()
    page.go_back()
    _settled(page)
    page.get_by_role("button", name="登录").wait_for()
    assert "宝塔区 · 总览" not in page.locator("body").inner_text()


def _cells(page: Any) -> list[str]:
    """The first table's cells (the grid's accessible copy of them)."""
    grid = page.locator('[data-testid="stDataFrame"]').first
    grid.scroll_into_view_if_needed()
    grid.locator('[role="gridcell"]').first.wait_for(state="attached")
    return list(grid.locator('[role="gridcell"]').all_text_contents())


def _upload(page: Any, path: Path) -> None:
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(
        str(path)
    )
    _settled(page)


def test_a_clerk_uploads_a_bad_then_a_good_ledger_and_a_sign_off_locks_it(page, server):
    folder: Path = server["folder"]
    bad = folder / "visits.csv"
    bad.write_text(
        "id_number,visited_on,reason\n"
        f"{VETERAN},2026-10-15,holiday\n"
        "612601196503120099,2026-10-16,holiday\n",  # row 3: no such veteran
        encoding="utf-8",
    )
    page.goto(server["base"])
    _login(page, "clerk", PASSWORDS["clerk"])
    _open(page, "上报", "上报台账")
    _upload(page, bad)
    page.get_by_text("未导入任何记录").wait_for()
    cells = _cells(page)
    # Sheet (none in a CSV), row, column, reason.
    assert cells[1:3] == ["3", "id_number"]
    assert "校验位错误" in cells[3] and "612601196503120099" not in cells[3]  # masked
    # A visit to 延长县's 陈德胜: outside 宝塔区, refused whole, named.
    outside = folder / "outside" / "visits.csv"
    outside.parent.mkdir()
    outside.write_text(
        "id_number,visited_on,reason\n"
        f"{VETERAN},2026-10-15,holiday\n"
        "612621195801010093,2026-10-16,holiday\n",
        encoding="utf-8",
    )
    _upload(page, outside)
    page.get_by_text("未导入任何记录").wait_for()
    cells = _cells(page)
    assert cells[1] == "3" and "不在权限范围 610602000000 之内" in cells[3]
    good = folder / "good" / "visits.csv"
    good.parent.mkdir()
    good.write_text(
        f"id_number,visited_on,reason\n{VETERAN},2026-10-15,holiday\n", encoding="utf-8"
    )
    _upload(page, good)
    page.get_by_text("将新增").wait_for()
    page.get_by_role("button", name="确认上报").click()
    _settled(page)
    page.get_by_text("1 条新增", exact=False).or_(
        page.get_by_text("新增 1", exact=False)
    ).first.wait_for()
    with vs.open(server["url"]) as db:
        assert [
            (v.visited_on.isoformat()) for v in db.records("visits", id_number=VETERAN)
        ][-1] == "2026-10-15"
        sent = db.submissions()
        assert [(s.unit_code, s.kind, s.actor, s.via) for s in sent][:1] == [
            (BAOTA, "visits", "clerk", "upload")
        ]
    page.get_by_role("button", name="退出登录").click()
    _settled(page)

    # The leader signs 2026Q3 off; the clerk's change to a Q3 visit is refused.
    _login(page, "leader", PASSWORDS["leader"])
    _open(page, "上报", "上报情况")
    page.get_by_role("button", name="审核签字并锁定本期").click()
    _settled(page)
    page.get_by_text("已由 leader 于", exact=False).first.wait_for()
    page.get_by_role("button", name="退出登录").click()
    _settled(page)
    locked = folder / "locked" / "visits.csv"
    locked.parent.mkdir()
    locked.write_text(
        f"id_number,visited_on,reason\n{VETERAN},2026-08-15,holiday\n", encoding="utf-8"
    )
    _login(page, "clerk", PASSWORDS["clerk"])
    _open(page, "上报", "上报台账")
    _upload(page, locked)
    page.get_by_text("未导入任何记录").wait_for()
    assert any(f"{BAOTA} 2026Q3 已由 leader 于" in c for c in _cells(page))
    with vs.open(server["url"]) as db:
        assert not [
            v
            for v in db.records("visits", id_number=VETERAN)
            if v.visited_on.isoformat() == "2026-08-15"
        ]


def test_the_city_reopens_with_a_reason_and_the_next_report_says_so(page, server):
    # After the test above: 宝塔区's 2026Q3 is signed off by its leader. The
    # account "city" is held by the guessing test: another administrator.
    password = "市局第二管理员-口令-04"
    with vs.open(server["url"], actor="部署人员") as db:
        db.add_user("市管理员", role="admin", scope=None, password=password)
    page.goto(f"{server['base']}/?unit={BAOTA}&period=2026Q3")
    _login(page, "市管理员", password)
    _open(page, "上报", "上报情况")
    page.get_by_text("已由 leader 于", exact=False).first.wait_for()
    page.get_by_label("解除锁定的原因").fill("补录八月走访")
    page.get_by_role("button", name="解除锁定").click()
    _settled(page)
    page.get_by_role("button", name="审核签字并锁定本期").wait_for()
    with vs.open(server["url"]) as db:
        last = db.sign_offs(BAOTA, "2026Q3")[-1]
        assert (last.action, last.actor, last.note) == (
            "reopen",
            "市管理员",
            "补录八月走访",
        )
        report = db.report(BAOTA, "2026Q3", as_of=AS_OF)
        lines = json.loads(db.render(report, "json"))["sign_offs"]
    day = last.at.astimezone(dt.timezone(dt.timedelta(hours=8))).date()
    assert [line["text"] for line in lines] == [
        f"{day.year}年{day.month}月{day.day}日 市管理员 重新开放宝塔区本期数据：补录八月走访"
    ]
