"""Seeing what is in the database: ``vetservice records`` and ``Database.list_records``.

The small ledgers of ``tests/fixtures/records``: five veterans, three in 宝塔区
(李保国 and 王志刚 in 杨家岭社区, 张小燕 in 李渠村 of 李渠镇) and two in 延长县
(陈德胜 and 刘小军 in 黑家堡村).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from fixtures import RECORDS
from openpyxl import load_workbook

import vetservice as vs
from vetservice.errors import ConfigurationError, NotFoundError, OutOfScopeError
from vetservice_cli.main import cli

BAOTA, LIQU, YANCHANG = "610602000000", "610602100000", "610621000000"
ZHANG_ID, ZHANG_PHONE = "610602199907090068", "13912345678"


def _load(db: vs.Database) -> None:
    db.import_files([(k, RECORDS / f"{k}.csv") for k in ("units", "staff", "veterans")])


@pytest.fixture
def loaded(db: vs.Database) -> vs.Database:
    _load(db)
    return db


def test_a_township_lists_exactly_its_veterans_masked(loaded: vs.Database):
    found = loaded.list_records("veterans", unit=LIQU)
    assert found.headers()[:3] == ["身份证号", "姓名", "性别"]
    # 联系电话, then 生效日期 (empty: the veteran's only version, always so).
    assert found.headers()[-2:] == ["联系电话", "生效日期"]
    [row] = found.text_rows()
    assert row[:5] == [
        "610602********0068",
        "张**",  # a name is personal data, declared with the record kinds
        "女",
        "1999-07-09",
        "610602100001",
    ]
    assert row[-2:] == ["139****5678", ""]
    assert ZHANG_ID not in found.table() and ZHANG_PHONE not in found.table()
    assert "张小燕" not in found.table()
    assert loaded.audit(command="show_pii") == []  # a masked listing is not a reveal


def test_the_unmasked_listing_is_audited(loaded: vs.Database):
    found = loaded.list_records(
        "veterans", unit="李渠镇", where={"性别": "女"}, show_pii=True
    )
    [row] = found.text_rows()
    assert (row[0], row[1], row[-2]) == (ZHANG_ID, "张小燕", ZHANG_PHONE)
    [entry] = loaded.audit(command="show_pii")
    assert entry.command == "show_pii records"
    assert entry.actor == "tester"
    assert entry.detail["kind"] == "veterans"
    assert entry.detail["unit"] == LIQU
    assert entry.detail["where"] == {"性别": "女"}
    assert entry.detail["rows"] == 1
    assert {"id_number", "name", "phone"} <= set(entry.detail["columns"])


def test_where_reads_values_with_the_fields_type(loaded: vs.Database):
    names = lambda table: [r[1] for r in table.text_rows()]  # noqa: E731
    assert names(loaded.list_records("veterans", where={"性别": "男"})) == [
        "刘**",
        "李**",
        "王**",
    ]
    assert names(loaded.list_records("veterans", where={"gender": "female"})) == [
        "张**"
    ]
    assert names(
        loaded.list_records(
            "veterans", unit=BAOTA, where={"党员": "是", "编入党支部": "是"}
        )
    ) == ["李**"]
    with pytest.raises(ConfigurationError) as unknown:
        loaded.list_records("veterans", where={"颜色": "红"})
    assert "退役军人没有“颜色”这一列" in str(unknown.value)
    assert "性别(gender)" in str(unknown.value)
    with pytest.raises(ConfigurationError) as bad:
        loaded.list_records("veterans", where={"性别": "未知"})
    assert str(bad.value).startswith("--where 性别：")


def test_kinds_reached_through_a_veteran_follow_the_unit(loaded: vs.Database):
    loaded.import_files([("visits", RECORDS / "visits.csv")], today=None)
    assert len(loaded.list_records("visits")) == 3
    assert len(loaded.list_records("visits", unit=YANCHANG)) == 1
    assert len(loaded.list_records("visits", unit="杨家岭社区")) == 2


def test_scope_limits_the_listing_and_refuses_a_unit_outside(db_url: str):
    with vs.open(db_url, actor="tester") as full:
        _load(full)
    with vs.open(db_url, scope=YANCHANG) as county:
        ids = [r[0] for r in county.list_records("veterans").text_rows()]
        assert ids == ["610621********0119", "612621********0093"]
        with pytest.raises(OutOfScopeError):
            county.list_records("veterans", unit="宝塔区")


def test_unit_names_resolve_when_unique(loaded: vs.Database, tmp_path: Path):
    assert loaded.unit_code("延长县") == YANCHANG
    assert loaded.unit_code(" 李渠镇 ") == LIQU
    assert loaded.unit_code(BAOTA) == BAOTA
    twin = tmp_path / "twin.csv"
    twin.write_text(
        "区划代码,名称,层级,上级代码\n610621100002,李渠村,村社区,610621100000\n",
        encoding="utf-8",
    )
    loaded.import_files([("units", twin)])
    with pytest.raises(ConfigurationError) as ambiguous:
        loaded.unit_code("李渠村")
    assert str(ambiguous.value) == (
        "有 2 个单位叫“李渠村”，请给出其中一个的代码："
        "610602100001（延安市/宝塔区/李渠镇）；610621100002（延安市/延长县/黑家堡镇）"
    )
    with pytest.raises(NotFoundError) as unknown:
        loaded.unit_code("吴起县")
    assert str(unknown.value) == "没有代码或名称为 吴起县 的单位"


def test_a_scope_picks_its_own_unit_among_namesakes(db_url: str, tmp_path: Path):
    twin = tmp_path / "twin.csv"
    twin.write_text(
        "区划代码,名称,层级,上级代码\n610621100002,李渠村,村社区,610621100000\n",
        encoding="utf-8",
    )
    with vs.open(db_url) as full:
        _load(full)
        full.import_files([("units", twin)])
    with vs.open(db_url, scope=YANCHANG) as county:
        assert county.unit_code("李渠村") == "610621100002"
        with pytest.raises(OutOfScopeError):
            county.unit_code("李渠镇")


# ---------------------------------------------------------------------------
# The command.


@pytest.fixture
def run(tmp_path: Path):
    url = f"sqlite:///{(tmp_path / 'cli.db').as_posix()}"

    def _run(*args: str) -> object:
        return CliRunner().invoke(cli, ["--db", url, *args], catch_exceptions=False)

    return _run


@pytest.fixture
def imported(run):
    result = run(
        "--actor",
        "李科员",
        "import",
        "auto",
        *(str(RECORDS / f"{k}.csv") for k in ("units", "staff", "veterans")),
    )
    assert result.exit_code == 0, result.stderr
    return run


def test_records_table_under_a_county_by_name(imported):
    result = imported("records", "veterans", "--unit", "宝塔区")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split()[:4] == ["身份证号", "姓名", "性别", "出生日期"]
    assert [line.split()[:2] for line in lines[1:]] == [
        ["610602********0068", "张**"],
        ["612601********0031", "李**"],
        ["612601********005X", "王**"],
    ]
    assert ZHANG_ID not in result.stdout and ZHANG_PHONE not in result.stdout
    assert result.stderr == "退役军人：3 条\n"


def test_records_csv_has_a_bom_and_chinese_headers(imported, tmp_path: Path):
    out = tmp_path / "女.csv"
    result = imported(
        "records", "veterans", "--where", "性别=女", "--format", "csv", "-o", str(out)
    )
    assert result.exit_code == 0, result.stderr
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    header, row = data.decode("utf-8-sig").splitlines()
    assert header.startswith("身份证号,姓名,性别,出生日期,现居村社区代码")
    assert row.startswith("610602********0068,张**,女,1999-07-09,610602100001,")
    assert result.stderr == f"退役军人：1 条，已写入 {out}\n"


def test_records_xlsx_keeps_codes_and_id_numbers_as_text(imported, tmp_path: Path):
    out = tmp_path / "退役军人.xlsx"
    assert imported("records", "veterans", "--format", "xlsx").exit_code == 2
    shown = imported(
        "--show-pii",
        "records",
        "veterans",
        "--unit",
        LIQU,
        "--format",
        "xlsx",
        "-o",
        str(out),
    )
    assert shown.exit_code == 0, shown.stderr
    sheet = load_workbook(out).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0][:2] == ["身份证号", "姓名"]
    assert rows[1][0] == ZHANG_ID and rows[1][4] == "610602100001"
    assert sheet["A2"].data_type == "s" and sheet["A2"].number_format == "@"
    assert rows[1][-2] == ZHANG_PHONE
    audit = json.loads(
        imported("audit", "--command", "show_pii", "--format", "json").output
    )
    assert [
        (r["command"], r["detail"]["unit"], r["detail"]["rows"]) for r in audit
    ] == [("show_pii records", LIQU, 1)]


def test_records_refuses_what_it_cannot_list(imported):
    unknown = imported("records", "veterans", "--where", "颜色=红")
    assert unknown.exit_code == 2
    assert unknown.stderr.startswith(
        "错误：退役军人没有“颜色”这一列；可用的列有：身份证号(id_number)"
    )
    malformed = imported("records", "veterans", "--where", "性别")
    assert malformed.exit_code == 2 and "--where 要写成“列名=值”" in malformed.stderr
    outside = imported("--scope", YANCHANG, "records", "veterans", "--unit", "宝塔区")
    assert outside.exit_code == 2
    assert outside.stderr == f"错误：单位 {BAOTA} 不在权限范围 {YANCHANG} 内\n"
    scoped = imported("--scope", YANCHANG, "records", "veterans")
    assert scoped.stderr == "退役军人：2 条\n"


# ---------------------------------------------------------------------------
# Opening the database: only init, demo and import create one.


def test_read_commands_do_not_create_a_missing_database(tmp_path: Path):
    missing = tmp_path / "typo.db"
    for command in (["records", "veterans"], ["validate"], ["audit"]):
        result = CliRunner().invoke(
            cli, ["--db", f"sqlite:///{missing.as_posix()}", *command]
        )
        assert result.exit_code == 2, command
        assert result.stderr == (
            f"错误：{missing} 处没有数据库；请先用“vetservice init”新建，"
            "或用“vetservice import”导入台账（导入时会新建）\n"
        )
    assert sorted(tmp_path.iterdir()) == []


def test_a_database_in_a_missing_folder_is_a_chinese_error(tmp_path: Path):
    folder = tmp_path / "没有的文件夹"
    for command in (
        ["init"],
        ["import", "units", str(RECORDS / "units.csv")],
        ["validate"],
    ):
        result = CliRunner().invoke(
            cli, ["--db", f"sqlite:///{(folder / 'a.db').as_posix()}", *command]
        )
        assert result.exit_code == 2, command
        assert result.stderr == (
            f"错误：数据库文件所在的文件夹 {folder} 不存在；请先建好这个文件夹，或检查 --db 中的路径\n"
        )
    assert not folder.exists()


def test_init_and_import_say_when_they_create_a_database(tmp_path: Path):
    path = tmp_path / "new.db"
    url = f"sqlite:///{path.as_posix()}"
    created = CliRunner().invoke(
        cli, ["--db", url, "import", "units", str(RECORDS / "units.csv")]
    )
    assert created.exit_code == 0, created.stderr
    # Then a line per period of the dashboard's figures made current.
    first, *periods = created.stderr.splitlines()
    assert first == f"已新建数据库：{path}"
    assert periods and all("（截至 " in line for line in periods)
    again = CliRunner().invoke(
        cli, ["--db", url, "import", "units", str(RECORDS / "units.csv")]
    )
    assert "已新建数据库" not in again.stderr
    assert all("已是最新" in line for line in again.stderr.splitlines())
    other = tmp_path / "other.db"
    init = CliRunner().invoke(cli, ["--db", f"sqlite:///{other.as_posix()}", "init"])
    assert init.exit_code == 0 and init.stderr == f"已新建数据库：{other}\n"
    assert (
        CliRunner()
        .invoke(cli, ["--db", f"sqlite:///{other.as_posix()}", "init"])
        .stderr
        == ""
    )


def test_python_users_still_get_a_new_database_from_open(tmp_path: Path):
    path = tmp_path / "python.db"
    with vs.open(f"sqlite:///{path.as_posix()}") as db:
        assert db.count("units") == 0
    assert path.exists()
    with pytest.raises(NotFoundError):
        vs.open(f"sqlite:///{(tmp_path / 'none.db').as_posix()}", create=False)
    assert not (tmp_path / "none.db").exists()
