"""The code in the documentation runs: the plugin tutorial, the Python API example
and the walk from Excel files to a county's report.

A fenced block with ``title="path"`` is a file: blocks with the same title are
joined in the order they appear, written under a temporary folder and run here,
so a page whose code breaks fails the suite.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
import tomllib
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

import vetservice as vs

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
FENCE = re.compile(r"^```(\w*)([^\n]*)\n(.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL)
TITLE = re.compile(r'title="([^"]+)"')


def blocks(page: str) -> list[tuple[str, str | None, str]]:
    """(language, title, text) of every fenced block of a page, in order."""
    text = (DOCS / page).read_text(encoding="utf-8")
    found = []
    for language, attributes, body in FENCE.findall(text):
        title = TITLE.search(attributes)
        found.append((language, title.group(1) if title else None, body))
    return found


def files(page: str) -> dict[str, str]:
    """The page's titled blocks as files: title → text."""
    joined: dict[str, list[str]] = {}
    for _, title, body in blocks(page):
        if title:
            joined.setdefault(title, []).append(body.strip("\n"))
    return {title: "\n\n\n".join(parts) + "\n" for title, parts in joined.items()}


def write(folder: Path, found: dict[str, str]) -> None:
    for name, text in found.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("VETSERVICE_")}
    return {**env, **extra}


def vetservice_script() -> str:
    return str(
        Path(sys.executable).parent
        / ("vetservice.exe" if os.name == "nt" else "vetservice")
    )


# ---------------------------------------------------------------------------
# The plugin tutorial (docs/tutorial.md)


def test_every_code_block_of_the_tutorial_is_a_file_that_runs():
    untitled = [
        body[:60]
        for lang, title, body in blocks("tutorial.md")
        if lang in ("python", "yaml", "toml") and not title
    ]
    assert untitled == [], (
        "give these blocks a title so tests/test_docs_examples.py runs them"
    )
    assert set(files("tutorial.md")) == {
        "pyproject.toml",
        "src/vetservice_wuqi/__init__.py",
        "src/vetservice_wuqi/plugin.py",
        "src/vetservice_wuqi/village_annual.yaml",
        "tests/test_wuqi.py",
    }


@pytest.fixture(scope="module")
def wuqi(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("tutorial") / "vetservice-wuqi"
    write(folder, files("tutorial.md"))
    return folder


def test_tutorial_plugin_passes_its_own_tests(wuqi: Path):
    tests = (wuqi / "tests" / "test_wuqi.py").read_text(encoding="utf-8")
    count = len(re.findall(r"^def test_", tests, re.MULTILINE))
    assert count == 4
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests"],
        cwd=wuqi,
        env=clean_env(PYTHONPATH=str(wuqi / "src")),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"{count} passed" in result.stdout, result.stdout


def test_tutorial_package_declares_its_entry_point(wuqi: Path):
    project = tomllib.loads((wuqi / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["entry-points"]["vetservice"] == {
        "wuqi": "vetservice_wuqi.plugin"
    }
    package = project["tool"]["hatch"]["build"]["targets"]["wheel"]["packages"]
    assert package == ["src/vetservice_wuqi"]
    assert (wuqi / "src" / "vetservice_wuqi" / "plugin.py").exists()


def test_tutorial_plugin_loads_from_the_command_line(wuqi: Path):
    # "不打包也能用": the command the tutorial shows, with every plugin fault an error.
    plugin = wuqi / "src" / "vetservice_wuqi" / "plugin.py"
    assert "vetservice --plugins src/vetservice_wuqi/plugin.py" in (
        DOCS / "tutorial.md"
    ).read_text(encoding="utf-8")
    listed = {}
    for command in ("indicators", "sheets"):
        result = subprocess.run(
            [
                vetservice_script(),
                "--strict-plugins",
                "--plugins",
                str(plugin),
                command,
            ],
            cwd=wuqi,
            env=clean_env(VETSERVICE_DB=f"sqlite:///{(wuqi / 'cli.db').as_posix()}"),
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr
        listed[command] = result.stdout
    assert (
        "wuqi.special_activity\t经常性工作\t达标率\t服务站特色活动开展率\t≥ 100%"
        in listed["indicators"]
    )
    assert (
        "wuqi.village_annual\t吴起县村（社区）退役军人工作年度考核（示例）\t村社区\t20"
        in listed["sheets"]
    )


def test_tutorial_plugin_passes_plugins_check(wuqi: Path):
    # Section 八: the dry run on an empty database and the demo finds nothing.
    result = subprocess.run(
        [
            vetservice_script(),
            "--plugins",
            "src/vetservice_wuqi/plugin.py",
            "plugins",
            "--check",
            "plugin",
        ],
        cwd=wuqi,
        env=clean_env(),
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    shown = (
        "已检查 src/vetservice_wuqi/plugin.py：1 个指标、2 条本地标准、1 张考核表；"
        "发现 0 个问题"
    )
    assert result.stdout.splitlines() == [shown]
    assert shown in (DOCS / "tutorial.md").read_text(encoding="utf-8")


# ---------------------------------------------------------------------------
# The Python API example (docs/api.md)


def test_api_example_prints_what_the_page_says(tmp_path: Path):
    found = files("api.md")
    write(tmp_path, {"example.py": found["example.py"]})
    result = subprocess.run(
        [sys.executable, "example.py"],
        cwd=tmp_path,
        env=clean_env(PYTHONIOENCODING="utf-8"),
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == found["输出"]
    assert (tmp_path / "吴起县.md").read_text(encoding="utf-8").startswith("# 吴起县")


def test_api_analysis_example_prints_what_the_page_says(tmp_path: Path):
    found = files("api.md")
    write(tmp_path, {n: found[n] for n in ("example.py", "analysis.py")})
    for script in ("example.py", "analysis.py"):
        result = subprocess.run(
            [sys.executable, script],
            cwd=tmp_path,
            env=clean_env(PYTHONIOENCODING="utf-8"),
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=120,
        )
        assert result.returncode == 0, result.stderr
    assert result.stdout == found["分析输出"]


# ---------------------------------------------------------------------------
# From Excel files to a county's report (docs/from_excel.md)

# What a clerk types into the templates (first sheet, from row 2), in Chinese.
FILLED = {
    "stations.xlsx": [
        ["610626000000", "2019-06-01", "是", 5, "是", "是", "是", "是", "是", ""],
        [
            "610626001000",
            "2019-08-01",
            "是",
            2,
            "是",
            "是",
            "是",
            "是",
            "是",
            "省级示范型",
        ],
        ["610626001004", "2019-09-01", "否", "", "是", "是", "是", "否", "是", ""],
    ],
    "staff.xlsx": [
        [
            "W001",
            "610626000000",
            "张三",
            "主任",
            "是",
            "否",
            "是",
            "",
            "2019-06-01",
            "",
        ],
        [
            "W002",
            "610626001000",
            "李四",
            "主任",
            "是",
            "否",
            "否",
            "",
            "2019-08-01",
            "",
        ],
    ],
    "activities.xlsx": [
        ["610626001000", "2026-07-08", "学习教育", "七月学习", "12", "红色资源"],
        ["610626001000", "2026-08-08", "特色", "参观长征落脚点纪念馆", "20", ""],
    ],
}


def _fill(folder: Path) -> None:
    for name, rows in FILLED.items():
        book = openpyxl.load_workbook(folder / name)
        sheet = book.worksheets[0]
        for r, row in enumerate(rows, start=2):
            for c, value in enumerate(row, start=1):
                sheet.cell(r, c, value)
        book.save(folder / name)


def _commands(page: str) -> list[list[str]]:
    """The ``$ vetservice …`` lines of the page's console blocks, split like a shell."""
    commands = []
    for language, _, body in blocks(page):
        if language != "console":
            continue
        for line in body.splitlines():
            if line.startswith("$ vetservice "):
                commands.append(shlex.split(line[2:], comments=True))
    return commands


def test_from_excel_walkthrough_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    from vetservice_cli.main import cli

    found = files("from_excel.md")
    write(tmp_path, {"本县单位.py": found["本县单位.py"]})
    result = subprocess.run(
        [sys.executable, "本县单位.py"],
        cwd=tmp_path,
        env=clean_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    units = (tmp_path / "units.csv").read_text(encoding="utf-8-sig").splitlines()
    assert units[0] == "code,name,level,parent_code,kind"
    # 陕西省, 延安市, and 吴起县 with its 9 townships and 99 villages
    assert len(units) == 1 + 2 + 109
    assert units[3] == "610626000000,吴起县,county,610600000000,县"

    commands = _commands("from_excel.md")
    names = [" ".join(c[1:2]) for c in commands]
    assert names[:1] == ["template"] and {"import", "validate", "report"} <= set(names)
    for variable in [v for v in os.environ if v.startswith("VETSERVICE_")]:
        monkeypatch.delenv(variable)
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    filled = False
    for command in commands:
        if command[1] == "import" and not filled:
            _fill(tmp_path)  # the clerk fills the templates in Excel
            filled = True
        args = []
        for arg in command[1:]:
            args += sorted(p.name for p in tmp_path.glob(arg)) if "*" in arg else [arg]
        if command[1] == "dashboard":
            continue  # starts a server; tests/test_dashboard.py covers it
        outcome = runner.invoke(cli, args, catch_exceptions=False)
        assert outcome.exit_code == 0, (command, outcome.output)
    reports = sorted(p.name for p in (tmp_path / "报表").iterdir())
    assert (
        "610626000000-吴起县.html" in reports and "610626000000-吴起县.docx" in reports
    )
    db = vs.open("sqlite:///vetservice.db")
    try:
        assert db.count("units") == 111 and db.count("stations") == 3
        ev = db.evaluate("610626000000", "2026Q3")
        assert (
            ev["env.station_established"].numerator,
            ev["env.station_established"].denominator,
        ) == (3, 109)
    finally:
        db.close()
