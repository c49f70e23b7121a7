"""The command line: parse, call the library, print; exit codes 0, 1, 2."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from fixtures import RECORDS as FIXTURES
from openpyxl import load_workbook

from vetservice.domain import KINDS
from vetservice_cli.main import cli


@pytest.fixture
def run(tmp_path: Path):
    url = f"sqlite:///{tmp_path / 'cli.db'}"

    def _run(*args: str) -> object:
        return CliRunner().invoke(cli, ["--db", url, *args], catch_exceptions=False)

    return _run


def test_init_import_and_counts(run, tmp_path: Path):
    assert run("init").exit_code == 0
    result = run("import", "units", str(FIXTURES / "units.csv"))
    assert result.exit_code == 0
    assert "units.csv：新增 9 条，更新 0 条，未变 0 条" in result.output
    # Then the dashboard's figures are made current, a line per period.
    assert "已计算，用时" in result.stderr
    again = run("import", "units", str(FIXTURES / "units.csv"))
    assert "新增 0 条，更新 0 条，未变 9 条" in again.output
    assert "已是最新" in again.stderr  # nothing changed: the sets still hold


def test_bad_row_exits_2_and_writes_nothing(run, tmp_path: Path):
    run("import", "units", str(FIXTURES / "units.csv"))
    bad = tmp_path / "stations.csv"
    bad.write_text(
        "区划代码,建成日期\n610602000000,2020-01-01\n610602000099,2020-01-01\n",
        encoding="utf-8",
    )
    result = run("import", "stations", str(bad))
    assert result.exit_code == 2
    assert "stations.csv 第 3 行“区划代码”列" in result.stderr
    assert "Traceback" not in result.stderr
    english = run("--lang", "en", "import", "stations", str(bad))
    assert (
        "stations.csv, row 3, column unit_code: unknown unit code 610602000099"
        in english.stderr
    )
    skipped = run("import", "--skip-bad-rows", "stations", str(bad))
    assert skipped.exit_code == 1 and "新增 1 条" in skipped.output


def test_import_auto_orders_by_file_names(run):
    result = run(
        "import",
        "auto",
        str(FIXTURES / "veterans.csv"),
        str(FIXTURES / "staff.csv"),
        str(FIXTURES / "units.csv"),
    )
    assert result.exit_code == 0, result.stderr
    assert result.output.index("units.csv") < result.output.index("veterans.csv")


def test_unknown_kind_is_a_clear_error(run, tmp_path: Path):
    result = run("import", "soldiers", str(FIXTURES / "units.csv"))
    assert result.exit_code == 2
    assert (
        "没有“soldiers”这种台账" in result.stderr and "Traceback" not in result.stderr
    )


def test_delete_and_validate(run, tmp_path: Path):
    run(
        "import",
        "auto",
        *(str(FIXTURES / f"{k}.csv") for k in ("units", "staff", "veterans")),
    )
    assert run("validate").exit_code == 0
    wrong = tmp_path / "veterans.csv"
    wrong.write_text(
        "身份证号,姓名,现居村社区代码,光荣牌审核通过日期,光荣牌悬挂日期\n"
        "612601196503120031,李保国,610602001001,2019-05-01,2019-04-01\n",
        encoding="utf-8",
    )
    run("import", "veterans", str(wrong))
    result = run("validate")
    assert result.exit_code == 1
    assert "光荣牌悬挂日期（2019-04-01）早于审核通过日期（2019-05-01）" in result.output
    keys = tmp_path / "delete.csv"
    keys.write_text("身份证号\n610621200105200119\n", encoding="utf-8")
    assert run("delete", "veterans", str(keys)).exit_code == 0
    assert run("delete", "veterans", str(keys)).exit_code == 2


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_template_has_headers_dropdowns_and_notes(run, tmp_path: Path, kind: str):
    path = tmp_path / f"{kind}.xlsx"
    assert run("template", kind, "-o", str(path)).exit_code == 0
    book = load_workbook(path)
    sheet, notes = book.worksheets
    fields = KINDS[kind].fields
    assert [c.value for c in sheet[1]] == [f.zh for f in fields]
    lists = {
        str(dv.sqref).split(":")[0].rstrip("0123456789")
        for dv in sheet.data_validations.dataValidation
    }
    choice_columns = [
        i for i, f in enumerate(fields) if f.type.name in ("enum", "bool")
    ]
    assert len(lists) == len(choice_columns)
    assert [row[1] for row in notes.iter_rows(min_row=2, values_only=True)] == [
        f.name for f in fields
    ]


def test_template_round_trip(run, tmp_path: Path):
    path = tmp_path / "units.xlsx"
    run("template", "units", "-o", str(path))
    book = load_workbook(path)
    book.worksheets[0].append(["610600000000", "延安市", "市", None, None])
    book.worksheets[0].append(["610602000000", "宝塔区", "县区", "610600000000", "区"])
    book.save(path)
    assert "新增 2 条" in run("import", "units", str(path)).output
    csv_template = tmp_path / "units.csv"
    run("template", "units", "--format", "csv", "-o", str(csv_template))
    assert csv_template.read_bytes().startswith(b"\xef\xbb\xbf")
    english = tmp_path / "en.xlsx"
    run("--lang", "en", "template", "units", "-o", str(english))
    assert [c.value for c in load_workbook(english).worksheets[0][1]] == [
        f.name for f in KINDS["units"].fields
    ]


def test_report_json_and_markdown_and_a_failing_loose_plugin(run, tmp_path: Path):
    import json

    run("import", "units", str(FIXTURES / "units.csv"))
    out = tmp_path / "out"
    ok = run(
        "--as-of",
        "2026-11-28",
        "report",
        "--unit",
        "610600000000",
        "--period",
        "2026Q3",
        "--out",
        str(out),
        "--each-child",
    )
    assert ok.exit_code == 0, ok.stderr
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted(
        f"{code}-{name}.{ext}"
        for code, name in (
            ("610600000000", "延安市"),
            ("610602000000", "宝塔区"),
            ("610621000000", "延长县"),
        )
        for ext in ("html", "xlsx", "docx", "md", "json")
    )
    data = json.loads((out / "610600000000-延安市.json").read_text(encoding="utf-8"))
    assert (data["period"], data["end"], data["partial"], data["schema_version"]) == (
        "2026Q3",
        "2026-09-30",
        False,
        1,
    )
    assert [c["unit"]["code"] for c in data["children"]] == [
        "610602000000",
        "610621000000",
    ]
    plugin = tmp_path / "broken_county.py"
    plugin.write_text(
        "import vetservice as vs\n\n@vs.hookimpl\ndef vetservice_register_indicators():\n"
        "    raise RuntimeError('表格缺失 13812345678')\n",
        encoding="utf-8",
    )
    failed = run(
        "--plugins",
        str(plugin),
        "--as-of",
        "2026-11-28",
        "report",
        "--unit",
        "610600000000",
        "--period",
        "2026Q3",
        "--out",
        str(out),
    )
    assert failed.exit_code == 1
    assert (
        "插件故障" in failed.stderr
        and "138****5678" in failed.stderr
        and "13812345678" not in failed.stderr
    )
    strict = run(
        "--plugins",
        str(plugin),
        "--strict-plugins",
        "report",
        "--unit",
        "610600000000",
        "--period",
        "2026Q3",
        "--out",
        str(out),
    )
    assert strict.exit_code == 2
    listed = run("--plugins", str(plugin), "plugins")
    assert str(plugin) in listed.output


# -- how the command line is put together -------------------------------------

CLI = Path(__file__).resolve().parents[1] / "apps" / "cli" / "vetservice_cli"
HEAVY = ("sqlalchemy", "alembic", "openpyxl", "docx", "streamlit", "vetservice.api")


def _fresh(code: str) -> str:
    """What ``code`` prints in a new interpreter (a test's imports don't leak in)."""
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_help_lists_every_command_without_loading_the_library():
    out = _fresh(
        "import sys\n"
        "from vetservice_cli.main import cli\n"
        "cli(['--help'], prog_name='vetservice', standalone_mode=False)\n"
        f"print('LOADED', [m for m in {HEAVY!r} if m in sys.modules])\n"
    )
    assert out.rstrip().endswith("LOADED []"), out
    for name in cli.commands:
        assert f"  {name} " in out, name
    assert "vetservice, version" in _fresh(
        "from vetservice_cli.main import cli\n"
        "cli(['--version'], prog_name='vetservice', standalone_mode=False)\n"
    )


def test_plugins_are_listed_without_opening_a_database(run, tmp_path: Path):
    listed = run("plugins")
    assert listed.exit_code == 0
    assert "vetservice.indicators.builtin.environment" in listed.output
    assert not (tmp_path / "cli.db").exists()


def test_commands_are_attached_to_the_group_only_by_the_entry_point():
    import ast

    for path in sorted(CLI.glob("*.py")):
        imported = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                names = (f"{node.module}.{a.name}" for a in node.names)
                imported |= {node.module, *names}
            elif isinstance(node, ast.Import):
                imported |= {a.name for a in node.names}
        assert "vetservice_cli.main" not in imported, path.name
        if path.name != "main.py":
            assert "vetservice_cli.group" not in imported, path.name


def test_explain_has_chinese_headers_and_takes_a_unit_name(run):
    for kind in ("units", "staff", "veterans", "visits"):
        assert (
            run(
                "import", "--today", "2026-11-28", kind, str(FIXTURES / f"{kind}.csv")
            ).exit_code
            == 0
        )
    args = (
        "--as-of",
        "2026-11-28",
        "explain",
        "visit.holiday",
        "--unit",
        "宝塔区",
        "--period",
        "2026",
    )
    table = run(*args)
    assert table.exit_code == 0, table.stderr
    header, *rows, total = table.output.splitlines()
    assert header.split("\t")[:5] == [
        "单位代码",
        "计入分子",
        "计入分母",
        "身份证号",
        "姓名",
    ]
    assert [r.split("\t")[3:5] for r in rows] == [["612601********0031", "李**"]] * 2
    assert total == "分子 2，分母 0，共 2 行"
    csv_text = run(*args, "--format", "csv").output
    assert csv_text.splitlines()[0].startswith(
        "单位代码,计入分子,计入分母,身份证号,姓名,"
    )


def test_indicators_and_sheets_are_listed_without_a_database(run, tmp_path: Path):
    listed = run("indicators")
    assert listed.exit_code == 0 and "env.station_established" in listed.output
    assert run("sheets").exit_code == 0
    assert not (tmp_path / "cli.db").exists()
