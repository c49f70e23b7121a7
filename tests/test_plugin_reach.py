"""Plugins in output (issue 16): a county's indicators and sheets only where
they apply, its local standards visible, the analyst's figures of every unit
of a level in one call, and ``vetservice plugins --check``.

Hand-worked figures. Township stations at the end of 2026 (SMALL_STATIONS):
宝塔山街道, 李渠镇 (宝塔区) and 七里村街道 (延长县); 黑家堡镇 has none.
Full-time workers: 宝塔山街道 2, 李渠镇 3, 七里村街道 2. 宝塔区's plugin asks
its townships for at least 3 (the city's rule: 2), so 宝塔山街道 falls short
(2 < 3) and 李渠镇 meets it; 七里村街道 meets the city's 2.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import vetservice_baota.plugin as baota
import vetservice_yanchang.plugin as yanchang
from click.testing import CliRunner

import vetservice as vs
from vetservice.testing import (
    BAOTA,
    BSJ,
    CITY,
    HJB,
    LQ,
    QLC,
    SMALL_HIERARCHY,
    SMALL_STATIONS,
    YANCHANG,
    load_records,
    make_plugins,
)
from vetservice_cli.main import cli

BROKEN = Path(__file__).with_name("plugins_broken")
STAFF = "人员编号,区划代码,姓名,角色,专职\n" + "".join(
    f"S{n},{unit},工作人员{n},工作人员,是\n"
    for n, unit in enumerate([BSJ, BSJ, LQ, LQ, LQ, QLC, QLC], start=1)
)
TOWNSHIPS = "staff.township_fulltime"


@pytest.fixture(scope="module")
def url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    path = tmp_path_factory.mktemp("reach") / "reach.db"
    url = f"sqlite:///{path.as_posix()}"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("VETSERVICE_DISABLE_PLUGIN_AUTOLOAD", "1")
        db = vs.open(url)
        load_records(
            db, {"units": SMALL_HIERARCHY, "stations": SMALL_STATIONS, "staff": STAFF}
        )
        db.close()
    yield url


@pytest.fixture
def db(url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[vs.Database]:
    monkeypatch.setenv("VETSERVICE_DISABLE_PLUGIN_AUTOLOAD", "1")
    monkeypatch.delenv("VETSERVICE_PLUGINS", raising=False)
    with vs.open(url, plugins=make_plugins(baota, yanchang)) as found:
        yield found


def test_a_scoped_indicator_is_only_in_reports_of_its_county_and_above(db):
    assert "baota.red_study" in db.evaluate(BAOTA, "2026").results
    assert "baota.red_study" not in db.evaluate(YANCHANG, "2026").results
    city = db.evaluate(CITY, "2026")["baota.red_study"]
    coverage = city.figure.coverage
    assert coverage is not None and (coverage.reporting, coverage.of) == (1, 2)
    # At the city, 延长县's cell is not applicable (not 无数据); 宝塔区's applies.
    assert [city.figures[c].outside for c in (CITY, BAOTA, YANCHANG)] == [False, False, True]
    from vetservice.reports.attachments import grade_table
    from vetservice.reports.build import build_report

    model = build_report(db.report(CITY, "2026"), "zh")
    row = model.row("baota.red_study")
    cells = {c.unit.code: (c.value_text, c.status_text) for c in row.children}
    assert cells[YANCHANG] == ("—", "不适用")
    assert cells[BAOTA][1] != "不适用"
    grid = grade_table(model)  # 附件1: the cell is blank, not grey
    (line,) = [line for line in grid.rows if line[0] == row.name]
    assert line[grid.columns.index("延长县")] == "—"


def test_the_gap_heading_uses_the_local_value(db):
    result = db.evaluate(BAOTA, "2026")[TOWNSHIPS]
    assert (result.numerator, result.denominator) == (1, 2)  # 李渠镇 3 ≥ 3
    assert result.indicator.rule.zh == (
        "本地标准：乡镇（街道）服务站专职人员不少于 3 人（vetservice_baota.plugin）"
    )
    (gap,) = result.shortfalls
    assert gap.unit == BSJ and "3" in gap.reason.render("zh")
    # 延长县 keeps the city's rule; the city names 宝塔区's below it.
    assert db.evaluate(YANCHANG, "2026")[TOWNSHIPS].indicator.rule.zh == (
        "乡镇（街道）服务站专职人员不少于 2 人"
    )
    assert db.evaluate(CITY, "2026")[TOWNSHIPS].indicator.rule.zh == (
        "乡镇（街道）服务站专职人员不少于 2 人；"
        "宝塔区：乡镇（街道）服务站专职人员不少于 3 人（vetservice_baota.plugin）"
    )


def test_the_report_notes_the_local_standard(db, tmp_path: Path):
    from vetservice.reports.build import build_report

    model = build_report(db.report(BAOTA, "2026"), "zh")
    (gap,) = [g for g in model.gaps if g.indicator == TOWNSHIPS]  # 宝塔山街道
    assert gap.rule == (
        "本地标准：乡镇（街道）服务站专职人员不少于 3 人（vetservice_baota.plugin）"
    )
    assert (
        gap.reason == "专职人员 2 人，应不少于 3 人"
    )  # the item says 3, as the heading
    (js,) = db.write_reports(BAOTA, "2026", ["json"], tmp_path, lang="zh")
    entries = json.loads(js.read_text(encoding="utf-8"))["indicators"]
    (entry,) = [e for e in entries if e["id"] == TOWNSHIPS]
    assert entry["rule"] == (
        "本地标准：乡镇（街道）服务站专职人员不少于 3 人（vetservice_baota.plugin）"
    )


def test_overrides_in_force_are_listed_with_their_plugin(db):
    (standard,) = db.overrides_in_force()
    assert (standard.indicator, standard.unit, standard.unit_name) == (
        TOWNSHIPS,
        BAOTA,
        "宝塔区",
    )
    assert standard.plugin == "vetservice_baota.plugin"
    assert standard.rule == "乡镇（街道）服务站专职人员不少于 3 人"
    assert db.overrides_in_force(CITY) == [standard]  # under the city
    assert db.overrides_in_force("李渠镇") == [standard]  # in force above it
    assert db.overrides_in_force(YANCHANG) == []


def test_a_sheet_outside_its_scope_is_refused_and_above_ranks_its_units(db):
    sheet = "yanchang.township_annual"
    with pytest.raises(vs.ConfigurationError) as refused:
        db.score(sheet, BAOTA, "2026")
    assert "只适用于 610621000000" in str(refused.value)
    assert "610602000000 不在其范围内" in str(refused.value)
    # Asked at the city, the county's sheet ranks the county's townships only.
    ranked = db.score(sheet, CITY, "2026")
    assert ranked.unit.code == YANCHANG
    assert sorted(s.unit.code for s in ranked.scores) == [QLC, HJB]


def test_figures_of_every_township_in_one_call(db):
    table = db.figures(
        "2026", level="township", under=CITY, indicators=[TOWNSHIPS, "baota.red_study"]
    )
    rows = {(r["unit_code"], r["indicator"]): r for r in table}
    # 宝塔区's indicator only at 宝塔区's townships: not 无数据 in 延长县.
    assert sorted(rows) == sorted(
        [(u, TOWNSHIPS) for u in (BSJ, LQ, QLC, HJB)]
        + [(BSJ, "baota.red_study"), (LQ, "baota.red_study")]
    )
    # The override applies: 宝塔山街道's 2 workers fall short of 3.
    assert [
        (rows[(u, TOWNSHIPS)]["numerator"], rows[(u, TOWNSHIPS)]["status"])
        for u in (BSJ, LQ, QLC, HJB)
    ] == [(0, "not_met"), (1, "met"), (1, "met"), (0, "no_data")]
    frame = table.to_pandas()
    assert list(frame.columns)[:2] == ["unit_code", "unit_name"] and len(frame) == 6
    wide = frame.pivot(index="unit_name", columns="indicator", values="numerator")
    assert wide.loc["李渠镇", TOWNSHIPS] == 1
    arrow = table.to_arrow()
    assert arrow.num_rows == 6 and arrow.column_names == list(table.columns)
    # Set-based: the villages of the whole city take as many statements.
    villages = db.figures(
        "2026", level="村社区", under=CITY, indicators=[TOWNSHIPS, "baota.red_study"]
    )
    assert villages.statements == table.statements


def test_the_dashboards_tiles_of_a_county_indicator_stay_in_its_county(db):
    """level_figures (the dashboard's heat map, treemap and tiles): 宝塔区's
    indicator has figures at 宝塔区's townships only, and at the county
    level at 宝塔区 alone; the built-in at every township and county."""
    townships = db.level_figures(
        CITY, "2026", vs.Level.TOWNSHIP, indicators=[TOWNSHIPS, "baota.red_study"]
    )
    assert sorted(townships.figures["baota.red_study"]) == [BSJ, LQ]
    assert sorted(townships.figures[TOWNSHIPS]) == sorted([BSJ, LQ, QLC, HJB])
    assert townships.figures[TOWNSHIPS][QLC].numerator == 1  # 2 ≥ the city's 2
    counties = db.level_figures(
        CITY, "2026", vs.Level.COUNTY, indicators=["baota.red_study"]
    )
    assert list(counties.figures["baota.red_study"]) == [BAOTA]
    # Asked under 延长县, the indicator has no unit to show at all.
    inside = db.level_figures(
        YANCHANG, "2026", vs.Level.TOWNSHIP, indicators=["baota.red_study"]
    )
    assert inside.figures["baota.red_study"] == {}
    assert [u.code for u in inside.units] == [QLC, HJB]


def test_explain_rows_convert_to_pandas(db):
    rows = db.explain(TOWNSHIPS, BAOTA, "2026").to_pandas()
    assert sorted(rows["unit_code"]) == [BSJ, LQ]
    assert sorted(rows["fulltime"]) == [2, 3] and sorted(rows["required"]) == [3, 3]


def test_the_cli_lists_the_overrides(url: str, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("VETSERVICE_DISABLE_PLUGIN_AUTOLOAD", "1")
    base = ["--db", url, "--plugins", "vetservice_baota.plugin"]
    result = CliRunner().invoke(cli, [*base, "overrides"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.split("\t")[:4] == [
        TOWNSHIPS,
        "乡镇（街道）专职人员配备达标率",
        BAOTA,
        "宝塔区",
    ]
    none = CliRunner().invoke(cli, [*base, "overrides", "--unit", "延长县"])
    assert (none.exit_code, none.stdout, none.stderr) == (0, "", "没有生效的本地标准\n")
    # A well-formed code the database does not hold is the plugin's failure.
    plugin = tmp_path / "elsewhere.py"
    plugin.write_text(
        "import vetservice as vs\n"
        "from vetservice.indicators import Override\n\n"
        "@vs.hookimpl\n"
        "def vetservice_register_overrides():\n"
        "    return [Override('staff.township_fulltime', '610699000000',"
        " {'min_fulltime': 4})]\n",
        encoding="utf-8",
    )
    unknown = CliRunner().invoke(
        cli, ["--db", url, "--plugins", str(plugin), "overrides"]
    )
    assert unknown.exit_code == 1
    assert (
        f"插件故障：{plugin}（vetservice_register_overrides）："
        "staff.township_fulltime 的本地标准：库里没有单位 610699000000"
    ) in unknown.stderr.splitlines()


def test_plugins_check_dry_runs_and_says_the_fix(monkeypatch) -> None:
    monkeypatch.setenv("VETSERVICE_DISABLE_PLUGIN_AUTOLOAD", "1")
    broken = str(BROKEN / "text_numerator.py")
    good = str(BROKEN / "good.py")
    found = CliRunner().invoke(
        cli,
        [
            "--plugins",
            broken,
            "--plugins",
            good,
            "plugins",
            "--check",
            "text_numerator",
        ],
    )
    assert found.exit_code == 1, found.stderr
    lines = found.stdout.splitlines()
    assert lines[0].startswith(
        f"✗ {broken}｜facts.text：facts.text 的 numerator 列是 TEXT"
    )
    assert "请用 met=…、count=… 或数值列计数" in lines[0]
    assert lines[-1] == (
        f"已检查 {broken}：1 个指标、0 条本地标准、0 张考核表；发现 1 个问题"
    )
    strict = CliRunner().invoke(
        cli, ["--strict-plugins", "--plugins", broken, "plugins", "--check"]
    )
    assert strict.exit_code == 2
    fine = CliRunner().invoke(cli, ["--plugins", good, "plugins", "--check", "good"])
    assert fine.exit_code == 0, fine.stdout
    assert fine.stdout.endswith("1 个指标、0 条本地标准、0 张考核表；发现 0 个问题\n")


def test_plugins_check_reads_the_values_asks_the_reasons_and_runs_the_checks(
    monkeypatch,
) -> None:
    """What only reading rows shows (a name read as a date), a reason that
    fails on a fact falling short, and a cross-record check that cannot be
    built: each named with its plugin, no personal data quoted."""
    monkeypatch.setenv("VETSERVICE_DISABLE_PLUGIN_AUTOLOAD", "1")
    plugins = [str(BROKEN / f"{n}.py") for n in ("quoted_name", "reason_typo")]
    checks = str(BROKEN / "check_raises.py")
    args = [a for p in (*plugins, checks) for a in ("--plugins", p)]
    found = CliRunner().invoke(cli, [*args, "plugins", "--check"])
    assert found.exit_code == 1, found.stderr
    assert found.stdout.splitlines() == [
        f"✗ {checks}｜broken.phone：核查 broken.phone 出错：AttributeError: "
        "phone_number；它的 query() 应返回一条 SELECT：先是这种台账的键列，再是消息里的参数",
        f"✗ {plugins[0]}｜quoted.name（延安市演示库）：事实查询出错："
        "ValueError: Invalid isoformat string: '***'；"
        "用 vetservice explain 对一个单位运行它看看，并用 facts(…) 构造查询",
        f"✗ {plugins[1]}｜reason.typo（延安市演示库）："
        "它的原因函数（reason）在一个未达标的事实上出错：KeyError: 'telephone'；"
        "它按列名取事实的各列（个人信息已遮蔽），返回一个 Message",
        f"已检查 {checks}、{plugins[0]}、{plugins[1]}："
        "2 个指标、0 条本地标准、0 张考核表；发现 3 个问题",
    ]
    strict = CliRunner().invoke(cli, ["--strict-plugins", *args, "plugins", "--check"])
    assert strict.exit_code == 2
