"""The dashboard's click times in a real browser (issue 15).

    python -m benchmarks.browser URL [--unit CODE] [--runs 3]

Starts the Streamlit dashboard (``apps/streamlit``) on the database at URL,
on 127.0.0.1 and a free port, the way ``tests/dashboard/test_browser.py``
does, and measures in headless Chromium at 1366×768 how long each page takes
to be complete: the overview of UNIT (default: the first top unit), then a
click on its first unit below (进入下级单位), then on that unit's first unit
below. *Complete*: the page's heading names the unit, Streamlit's script has
finished its run, every Vega-Lite chart has drawn its marks and the heat
map's axis names every unit below (when there is a heat map).

Each run measures four situations, a fresh ``streamlit run`` for each of
the first three:

- *cold*: the figures store emptied, a fresh server (its first script run
  imports the library and opens the database);
- *store warm, fresh server*: after ``vetservice refresh``, a fresh server;
- *store warm, server running*: the same, the server having drawn another
  period's overview first (modules imported, the database open, nothing of
  this period in Streamlit's caches) — the dashboard after an import;
- *cached*: the same pages again in a new browser session on a running
  server, from Streamlit's caches.

Prints a Markdown section for results.md: medians of ``--runs`` runs. Needs
``/usr/bin/chromium`` and the ``playwright`` and ``streamlit`` packages
(the dev extra). Nothing here is a test: no timing is asserted.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import attrs

from .run import AS_OF, _forget_figures, open_builtin

CHROMIUM = Path("/usr/bin/chromium")
APP = (
    Path(__file__).resolve().parents[1]
    / "apps"
    / "streamlit"
    / "vetservice_dashboard"
    / "streamlit_app.py"
)
FLOOR = Path(__file__).resolve().parent / "floor_app.py"
PERIOD = "2026Q3"
OTHER_PERIOD = "2026Q1"  # what a running server drew before (its caches hold that)
WAIT = 600_000  # ms: a cold province computes its sets first
VIEWPORT = {"width": 1366, "height": 768}

# The page is complete: the heading names the unit, the script's run is
# over, every chart has drawn its marks, the heat map names every unit below.
COMPLETE = """([title, below]) => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  const headings = [...document.querySelectorAll('h1, h2, h3')].map(h => h.innerText);
  if (!headings.some(h => h.includes(title))) return false;
  const charts = [...document.querySelectorAll('[data-testid="stVegaLiteChart"]')];
  if (!charts.every(c => c.querySelector('svg .role-mark'))) return false;
  const heat = [...document.querySelectorAll('h2, h3')].some(h => h.innerText.includes('达标情况（红黄绿）'));
  if (!heat || !below.length || !charts.length) return true;
  const labels = new Set([...charts[0].querySelectorAll('.role-axis-label text')].map(t => t.textContent));
  return below.every(n => labels.has(n));
}"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def dashboard(url: str, log: Path, app: Path = APP) -> Iterator[str]:
    """A fresh ``streamlit run`` of the dashboard (or ``app``) on ``url``;
    yields its address."""
    port = _free_port()
    env = {
        **os.environ,
        "VETSERVICE_DB": url,
        "VETSERVICE_AS_OF": AS_OF.isoformat(),
        "VETSERVICE_DISABLE_PLUGIN_AUTOLOAD": "1",
    }
    env.pop("VETSERVICE_LANG", None)
    with log.open("a", encoding="utf-8") as out:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                str(app),
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
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 120
            while True:
                try:
                    with urllib.request.urlopen(
                        f"{base}/_stcore/health", timeout=2
                    ) as r:
                        if r.status == 200:
                            break
                except OSError:
                    pass
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"streamlit did not start; see {log}")
                time.sleep(0.3)
            yield base
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@attrs.frozen
class Timing:
    complete: float  # seconds until the page is complete
    server: float  # until the server's last script_finished message arrived
    connected: float  # until the page's websocket opened (0 on a click)


class Tab:
    """One browser session (a new Streamlit session) and its timings."""

    def __init__(self, browser: Any, base: str) -> None:
        self.context = browser.new_context(viewport=VIEWPORT, locale="zh-CN")
        self.base = base
        self.finished: list[float] = []  # when each script_finished arrived
        self.connected: float | None = None  # when the websocket opened
        self.page = self._new_page()

    def _new_page(self) -> Any:
        page = self.context.new_page()
        page.set_default_timeout(WAIT)
        page.on("websocket", self._socket)
        return page

    def again(self) -> None:
        """Close the page and open a new one in the same browser profile: a
        new Streamlit session, Streamlit's JavaScript from the browser's cache."""
        page = self._new_page()
        self.page.close()
        self.page = page

    def _socket(self, socket: Any) -> None:
        self.connected = time.perf_counter()
        socket.on("framereceived", self._frame)

    def _frame(self, payload: bytes | str) -> None:
        """Note when the server says a script run is over (its ForwardMsg)."""
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        if isinstance(payload, str):
            return
        message = ForwardMsg()
        try:
            message.ParseFromString(payload)
        except Exception:  # not a ForwardMsg
            return
        if message.WhichOneof("type") == "script_finished":
            self.finished.append(time.perf_counter())

    def _complete(self, start: float, title: str, below: list[str]) -> Timing:
        """Seconds since ``start`` until the page is complete, and until the
        server's last script run for it was over."""
        self.page.wait_for_function(
            COMPLETE, arg=[title, below], polling=25, timeout=WAIT
        )
        done = time.perf_counter()
        server = max((t for t in self.finished if start < t <= done), default=done)
        opened = self.connected if self.connected and self.connected > start else start
        return Timing(done - start, server - start, opened - start)

    def open(self, unit: str, name: str, below: list[str], period: str) -> Timing:
        start = time.perf_counter()
        self.page.goto(f"{self.base}/?unit={unit}&period={period}")
        return self._complete(start, f"{name} · 总览", below)

    def click(self, name: str, below: list[str]) -> Timing:
        """Into the unit below named ``name`` (its button under 进入下级单位)."""
        button = self.page.get_by_role("radio", name=name, exact=True)
        button.scroll_into_view_if_needed()
        start = time.perf_counter()
        button.click()
        return self._complete(start, f"{name} · 总览", below)

    def close(self) -> None:
        self.context.close()


def _refresh(url: str) -> float:
    start = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "vetservice_cli.main",
            "--db",
            url,
            "--as-of",
            AS_OF.isoformat(),
            "refresh",
            "--period",
            PERIOD,
        ],
        check=True,
        capture_output=True,
        env={**os.environ, "VETSERVICE_DISABLE_PLUGIN_AUTOLOAD": "1"},
    )
    return time.perf_counter() - start


def measure(url: str, unit: str | None, runs: int, log: Path) -> None:
    from playwright.sync_api import sync_playwright

    db = open_builtin(url)
    top = db.unit(unit) if unit else db.top_units()[0]
    county = db.children(top.code)[0]
    town = db.children(county.code)[0]
    levels = [
        (top, [u.name for u in db.children(top.code)]),
        (county, [u.name for u in db.children(county.code)]),
        (town, [u.name for u in db.children(town.code)]),
    ]
    situations = [
        "cold (store emptied), fresh server",
        "store warm, fresh server",
        "store warm, server running (after an import)",
        "cached (Streamlit's caches, a new session)",
        "cached, opened again in the same browser (its cache kept)",
    ]
    short_names = ["cold", "warm fresh", "warm running", "cached", "cached again"]
    times: dict[str, list[list[Timing]]] = {s: [] for s in situations}
    refreshes = []
    floors: list[list[Timing]] = []

    def pages(tab: Tab) -> list[Timing]:
        (first, first_below), *below = levels
        found = [tab.open(first.code, first.name, first_below, PERIOD)]
        for each, names in below:
            found.append(tab.click(each.name, names))
        return found

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        try:
            for _ in range(runs):
                _forget_figures(db)
                with dashboard(url, log) as base:
                    tab = Tab(browser, base)
                    times[situations[0]].append(pages(tab))
                    tab.close()
                _forget_figures(db)  # refresh computes the sets again
                refreshes.append(_refresh(url))
                with dashboard(url, log) as base:
                    tab = Tab(browser, base)
                    times[situations[1]].append(pages(tab))
                    tab.close()
                with dashboard(url, log) as base:
                    tab = Tab(browser, base)
                    top_unit, top_below = levels[0]
                    tab.open(top_unit.code, top_unit.name, top_below, OTHER_PERIOD)
                    tab.close()
                    tab = Tab(browser, base)
                    times[situations[2]].append(pages(tab))
                    tab.close()
                    tab = Tab(browser, base)
                    times[situations[3]].append(pages(tab))
                    tab.again()
                    times[situations[4]].append(pages(tab))
                    tab.close()
                floors.append(floor(browser, log))
        finally:
            browser.close()

    names = [top.name, county.name, town.name]
    print(
        f"### The dashboard in Chromium: {top.code} {top.name}, {PERIOD} as of {AS_OF}, "
        f"{db.engine.dialect.name}"
    )
    print()
    print(
        f"{db.count('units'):,} units, {sum(db.counts().values()):,} rows. Seconds from "
        f"the address entered (first page) or the click (进入下级单位) until the page is "
        f"complete, median of {runs} runs at 1366×768; in brackets, until the "
        f"server's message that its script run was over (`script_finished`) "
        f"reached the browser: the rest is the browser drawing what it was sent. `vetservice refresh --period {PERIOD}` on the emptied store took "
        f"{statistics.median(refreshes):.1f} s (whole process)."
    )
    print()
    print(
        f"| situation | first page: {names[0]} | drill-down: {names[1]} "
        f"| drill-down: {names[2]} |"
    )
    print("|---|---|---|---|")
    medians: dict[str, list[float]] = {}
    for situation in situations:
        runs_of = times[situation]
        medians[situation] = [
            statistics.median(r[i].complete for r in runs_of)
            for i in range(len(levels))
        ]
        server = [
            statistics.median(r[i].server for r in runs_of) for i in range(len(levels))
        ]
        cells = " | ".join(
            f"{m:.2f} ({r:.2f})"
            for m, r in zip(medians[situation], server, strict=True)
        )
        print(f"| {situation} | {cells} |")
    print()
    cold, warm, running, cached, again = (medians[s][0] for s in situations)
    print(
        f"First page: cold ÷ store warm (fresh server) {cold / warm:.1f}; "
        f"fresh ÷ running server {warm / running:.1f}; running ÷ cached "
        f"{running / cached:.1f}. Every run's first page: "
        + "; ".join(
            f"{short} " + ", ".join(f"{r[0].complete:.2f}" for r in times[s])
            for s, short in zip(situations, short_names, strict=True)
        )
        + "."
    )
    print()
    connecting = statistics.median(
        r[0].connected for situation in situations[:4] for r in times[situation]
    )
    reconnecting = statistics.median(r[0].connected for r in times[situations[4]])
    print(
        f"Of each first page, {connecting:.2f} s (median) went before the dashboard's "
        f"websocket opened: the page, Streamlit's JavaScript and the connection, in a "
        f"new browser session; {reconnecting:.2f} s opened again in the same browser."
    )
    print()
    bare = [statistics.median(r[i].complete for r in floors) for i in range(4)]
    print(
        f"Streamlit's floor, measured in the same runs (`benchmarks/floor_app.py`: the "
        f"page settings, a heading and the buttons, nothing else): first page "
        f"{bare[0]:.2f} s in a new browser session, {bare[1]:.2f} s opened again in the "
        f"same browser; a click {bare[2]:.2f} s and {bare[3]:.2f} s. The dashboard "
        f"against it: first page cached {cached / bare[0]:.1f}×, opened again "
        f"{again / bare[1]:.1f}×; drill-downs (cached) "
        f"{medians[situations[3]][1] / bare[2]:.1f}× and "
        f"{medians[situations[3]][2] / bare[3]:.1f}×."
    )
    print()


def floor(browser: Any, log: Path) -> list[Timing]:
    """Streamlit's own times for the same steps: a first page in a new
    browser session, the same opened again, and two clicks."""
    from .floor_app import NAMES

    with dashboard("sqlite://", log, app=FLOOR) as base:
        tab = Tab(browser, base)
        tab.open("", NAMES[0], [], PERIOD)  # the server's first run imports Streamlit
        tab.close()
        tab = Tab(browser, base)
        found = [tab.open("", NAMES[0], [], PERIOD)]
        tab.again()
        found.append(tab.open("", NAMES[0], [], PERIOD))
        found += [tab.click(name, []) for name in NAMES[1:]]
        tab.close()
    return found


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.browser")
    parser.add_argument("url")
    parser.add_argument(
        "--unit", help="the overview's unit (default: the first top unit)"
    )
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--log",
        type=Path,
        default=Path("benchmarks/data/streamlit.log"),
        help="the servers' output",
    )
    args = parser.parse_args(argv)
    args.log.parent.mkdir(parents=True, exist_ok=True)
    print(
        f"<!-- {' '.join(['python -m benchmarks.browser', *argv])}; {os.cpu_count()} cores; "
        f"Python {sys.version.split()[0]}; {dt.date.today()} -->"
    )
    measure(args.url, args.unit, args.runs, args.log)


if __name__ == "__main__":
    main(sys.argv[1:])
