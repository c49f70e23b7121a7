"""考核 scoring sheets: loading with line numbers, scoring worked out by hand, ranking, tracing.

Period 2026 as of 2027-01-15 (a whole year): S = 2026-01-01, E = 2026-12-31.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from decimal import Decimal
from typing import Any

import pytest
import sqlalchemy as sa

import vetservice as vs
from vetservice.hookspecs import hookimpl
from vetservice.i18n import Bilingual
from vetservice.indicators import Area, Indicator, Kind, Override, Target
from vetservice.scoring import (
    Count,
    ItemKind,
    SheetError,
    VetoScope,
    load_sheet,
    parse_sheet,
)
from vetservice.testing import (
    BAOTA,
    CITY,
    HJBC,
    LQC,
    QLCS,
    SMALL_HIERARCHY,
    YJL,
    generated_hierarchy,
    id_number,
    load_records,
    make_plugins,
)

AS_OF = dt.date(2027, 1, 15)  # the year 2026, scored here, is over
V = [id_number("610602", "19700101", n) for n in range(1, 8)]

SHEET = """\
id: test_sheet
name: 测试考核表
level: village
lines:
  - id: veterans
    name: 退役军人
    weight: 10
    items:
      - id: plaque
        name: 光荣牌每遗落1人扣0.5分
        kind: deduction
        indicator: honor.plaque_hung
        count: shortfall
        points: 0.5
      - id: no_holiday
        name: 未开展节日走访扣1分
        kind: deduction
        indicator: visit.holiday
        count: zero
        points: 1
      - id: visits
        name: 节日走访每次加1分，最多加1.5分
        kind: bonus
        indicator: visit.holiday
        count: value
        points: 1
        cap: 1.5
  - id: petitions
    name: 信访
    weight: 5
    items:
      - id: reached
        name: 到县、到市信访每例扣2分
        kind: deduction
        indicator: [pet.reached.county, pet.reached.city]
        count: value
        points: 2
      - id: national
        name: 进京信访本项不得分
        kind: veto
        indicator: pet.reached.national
        count: value
      - id: group
        name: 集体访全表不得分
        kind: veto
        indicator: pet.group
        count: value
        veto: sheet
"""

VETERANS = f"""\
id_number,name,unit_code,plaque_approved_on,plaque_hung_on
{V[0]},甲,{YJL},2026-01-01,2026-02-01
{V[1]},乙,{YJL},2026-03-01,
{V[2]},丙,{LQC},2025-03-01,
{V[3]},丁,{LQC},2026-12-31,
{V[4]},戊,{LQC},2026-05-01,
{V[5]},己,{QLCS},2024-01-01,2024-02-01
{V[6]},庚,{HJBC},2027-01-01,
"""

VISITS = f"""\
id_number,visited_on,reason
{V[0]},2026-02-12,holiday
{V[1]},2026-07-30,holiday
{V[2]},2026-12-31,holiday
{V[3]},2027-01-01,holiday
{V[4]},2026-06-01,routine
{V[5]},2026-01-01,holiday
{V[6]},2025-12-31,holiday
"""

PETITIONS = f"""\
case_no,unit_code,received_on,channel,group,level_reached
P1,{YJL},2026-03-01,visit,,county
P2,{LQC},2026-05-01,visit,,city
P3,{LQC},2025-12-31,visit,,county
P4,{QLCS},2026-06-01,visit,,national
P5,{HJBC},2026-08-01,visit,是,county
P6,{LQC},2026-12-31,letter,,city
"""


@pytest.fixture
def db(db: vs.Database) -> vs.Database:
    load_records(
        db,
        {
            "units": SMALL_HIERARCHY,
            "veterans": VETERANS,
            "visits": VISITS,
            "petitions": PETITIONS,
        },
        today=AS_OF,
    )
    return db


def points(scoring: Any) -> dict[str, tuple[Any, ...]]:
    return {
        s.unit.code: (s.rank, s.total, *(ln.score for ln in s.lines))
        for s in scoring.scores
    }


def test_every_village_is_scored_and_ranked_by_hand(db: vs.Database):
    scoring = db.score(parse_sheet(SHEET), CITY, "2026", as_of=AS_OF)
    assert not scoring.period.partial
    # 杨家岭社区: 乙 missing a plaque -0.5, two holiday visits +1.5 (cap), P1 to county -2.
    # 李渠村: 丙 丁 戊 missing -1.5 (丁 approved on E), one visit on E +1 (丁's 01-01 is
    # outside), P2 and P6 (received on E) to the city -4; P3 is from 2025.
    # 七里村社区: visit on S +1; P4 to Beijing vetoes the line.
    # 黑家堡村: 庚's plaque approved after E and visit before S: no visit -1;
    # P5 to the county -2, and it is a group petition: the whole sheet is vetoed.
    assert points(scoring) == {
        YJL: (1, Decimal("14"), Decimal("11"), Decimal("3")),
        QLCS: (2, Decimal("11"), Decimal("11"), Decimal("0")),
        LQC: (3, Decimal("10.5"), Decimal("9.5"), Decimal("1")),
        HJBC: (4, Decimal("0"), Decimal("9"), Decimal("3")),
    }
    assert [s.unit.code for s in scoring.scores] == [YJL, QLCS, LQC, HJBC]
    qlcs, hjbc = scoring[QLCS], scoring[HJBC]
    assert qlcs.lines[1].vetoed and not qlcs.vetoed
    assert hjbc.vetoed and not hjbc.lines[1].vetoed
    lqc = {i.item.id: (i.instances, i.points) for _, i in scoring[LQC].items()}
    assert lqc == {
        "plaque": (3, Decimal("-1.5")),
        "no_holiday": (0, Decimal("0")),
        "visits": (1, Decimal("1")),
        "reached": (2, Decimal("-4")),
        "national": (0, Decimal("0")),
        "group": (0, Decimal("0")),
    }
    assert scoring.sheet.max_score == Decimal("15")


def test_scoring_a_county_scores_only_its_villages(db: vs.Database):
    scoring = db.score(parse_sheet(SHEET), BAOTA, "2026", as_of=AS_OF)
    assert [(s.unit.code, s.rank) for s in scoring.scores] == [(YJL, 1), (LQC, 2)]
    assert scoring.unit.name == "宝塔区"


NOT_MET = """\
id: local_target
name: 本地标准下的达标
level: village
lines:
  - id: plaques
    name: 光荣牌
    weight: 5
    items:
      - id: not_met
        name: 悬挂率未达标扣2分
        kind: deduction
        indicator: honor.plaque_hung
        count: not_met
        points: 2
"""


class HalfInBaota:
    """宝塔区 asks only half its veterans' plaques hung (a local target)."""

    @hookimpl
    def vetservice_register_overrides(self) -> list[Override]:
        return [Override("honor.plaque_hung", BAOTA, target=Target(">=", 0.5))]


def test_a_local_target_above_a_village_decides_its_status(db_url: str):
    """Read from the store unit by unit, each village still meets the target
    set above it: 杨家岭社区 hangs 1 of 2 plaques (met in 宝塔区 at 50 %), 李渠村 0
    of 3 (-2), 七里村社区 1 of 1 under the default target, 黑家堡村 has none to
    hang (no data: nothing deducted)."""
    with vs.open(db_url, plugins=make_plugins(HalfInBaota())) as db:
        load_records(
            db, {"units": SMALL_HIERARCHY, "veterans": VETERANS}, today=AS_OF
        )
        scoring = db.score(parse_sheet(NOT_MET), CITY, "2026", as_of=AS_OF)
    assert [(s.unit.code, s.rank, s.total) for s in scoring.scores] == [
        (YJL, 1, Decimal("5")),
        (QLCS, 1, Decimal("5")),
        (HJBC, 1, Decimal("5")),
        (LQC, 4, Decimal("3")),
    ]
    with vs.open(db_url) as db:  # the default target: 杨家岭社区 falls short too
        scoring = db.score(parse_sheet(NOT_MET), CITY, "2026", as_of=AS_OF)
    assert {s.unit.code: s.total for s in scoring.scores}[YJL] == Decimal("3")


TIES = """\
id: ties
name: 并列与保底
level: village
lines:
  - id: petitions
    name: 信访
    weight: 5
    items:
      - id: reached
        name: 到县、到市信访每例扣3分
        kind: deduction
        indicator: [pet.reached.county, pet.reached.city]
        count: value
        points: 3
"""


def test_equal_totals_share_a_rank_and_a_line_never_goes_below_zero(db: vs.Database):
    scoring = db.score(parse_sheet(TIES), CITY, "2026", as_of=AS_OF)
    # 七里村社区 5; 杨家岭社区 and 黑家堡村 5 - 3 = 2; 李渠村 5 - 6 floors at 0.
    assert [(s.unit.code, s.rank, s.total) for s in scoring.scores] == [
        (QLCS, 1, Decimal("5")),
        (YJL, 2, Decimal("2")),
        (HJBC, 2, Decimal("2")),
        (LQC, 4, Decimal("0")),
    ]
    assert scoring[LQC].lines[0].deducted == Decimal("6")


def test_each_point_is_traced_to_its_records(db: vs.Database):
    scoring = db.score(parse_sheet(SHEET), CITY, "2026", as_of=AS_OF)
    traces = {t.item.item.id: t for t in db.trace_score(scoring, LQC)}
    assert set(traces) == {"plaque", "visits", "reached"}  # items that moved points
    plaque = traces["plaque"]
    # 丙, 丁 and 戊 have no 户编号: three households of one, none hung.
    assert [r["members_approved"] for r in plaque.rows] == [1, 1, 1]
    # Id numbers are masked unless asked for.
    assert all("*" in r["id_number"] for r in plaque.rows)
    assert sorted(r["case_no"] for r in traces["reached"].rows) == ["P2", "P6"]
    shown = {t.item.item.id: t for t in db.trace_score(scoring, LQC, show_pii=True)}
    assert sorted(r["id_number"] for r in shown["plaque"].rows) == sorted(V[2:5])
    vetoes = {t.item.item.id: t for t in db.trace_score(scoring, QLCS)}
    assert vetoes["national"].item.vetoes
    assert [r["case_no"] for r in vetoes["national"].rows] == ["P4"]
    with pytest.raises(vs.NotFoundError, match="610602000000"):
        db.trace_score(scoring, BAOTA)


def test_statements_do_not_grow_with_villages(sqlite_url: str):
    counts = []
    for villages in (4, 49):
        with vs.open(sqlite_url) as db:
            with db.engine.begin() as conn:
                conn.execute(vs.store.TABLES["units"].delete())
            load_records(db, {"units": generated_hierarchy(villages)})
            scoring = db.score(parse_sheet(SHEET), CITY, "2026", as_of=AS_OF)
            assert len(scoring.scores) == 20 * villages
            counts.append(scoring.statements)
    assert counts[0] == counts[1]


class Broken:
    @hookimpl
    def vetservice_register_indicators(self) -> list[Indicator]:
        def facts(ctx: Any) -> sa.Select[Any]:
            return sa.select(sa.text("no_such_column AS unit_code"))

        return [
            Indicator(
                id="local.broken",
                area=Area.PETITIONS,
                kind=Kind.COUNT,
                name=Bilingual("坏", "broken"),
                rule=Bilingual("坏", "broken"),
                facts=facts,
            )
        ]


def test_a_failing_indicator_leaves_units_unranked(sqlite_url: str):
    db = vs.open(sqlite_url, plugins=make_plugins(Broken()))
    load_records(db, {"units": SMALL_HIERARCHY})
    sheet = parse_sheet(SHEET.replace("pet.group", "local.broken"))
    scoring = db.score(sheet, CITY, "2026", as_of=AS_OF)
    assert [f.indicator for f in scoring.failures] == ["local.broken"]
    assert all(s.failed and s.rank is None for s in scoring.scores)


# -- loading -------------------------------------------------------------------


def test_the_shipped_sheet_loads_and_is_registered(sqlite_url: str):
    db = vs.open(sqlite_url)
    plugin, sheet = db.scoring_sheets()["village_annual"]
    assert plugin == "vetservice.builtin" and sheet.level is vs.Level.VILLAGE
    assert [(ln.name, ln.weight) for ln in sheet.lines] == [
        ("武装工作（退役军人工作部分）", Decimal("10")),
        ("信访", Decimal("10")),
    ]
    plaque = sheet.lines[0].items[0]
    assert (plaque.kind, plaque.count, plaque.points) == (
        ItemKind.DEDUCTION,
        Count.SHORTFALL,
        Decimal("0.5"),
    )
    veto = sheet.lines[1].items[-1]
    assert veto.kind is ItemKind.VETO and veto.veto is VetoScope.LINE
    # Every indicator it names exists and is read the right way.
    vs.scoring.check_sheet(sheet, db.indicators())


def test_a_sheet_file_can_be_scored_directly(db: vs.Database, tmp_path):
    path = tmp_path / "乡镇考核.yaml"
    path.write_text(SHEET, encoding="utf-8")
    assert load_sheet(path).id == "test_sheet"
    assert db.score(str(path), CITY, "2026", as_of=AS_OF)[YJL].total == Decimal("14")
    with pytest.raises(vs.NotFoundError, match="village_annual"):
        db.score("no_such_sheet", CITY, "2026", as_of=AS_OF)


def _error(text: str) -> SheetError:
    with pytest.raises(SheetError) as info:
        parse_sheet(textwrap.dedent(text), source="县考核.yaml")
    return info.value


MINIMAL = """\
id: s
name: 表
level: village
lines:
  - id: a
    name: 项
    weight: 10
    items:
      - id: i
        name: 条
        kind: deduction
        indicator: pet.group
        count: value
        points: 1
"""


@pytest.mark.parametrize(
    ("change", "line", "words"),
    [
        (("weight: 10", "weight: 十"), 7, "十"),
        (("weight: 10", "weight: -1"), 7, "-1"),
        (("points: 1", "points: 1\n        pionts: 2"), 15, "pionts"),
        (("count: value", "count: sum"), 13, "sum"),
        (("kind: deduction", "kind: 奖励"), 11, "奖励"),
        (("level: village", "level: 组"), 3, "组"),
        (("        points: 1\n", ""), 9, "points"),
        (("kind: deduction", "kind: veto"), 14, "points"),
        (("count: value", "count: value\n        veto: sheet"), 14, "veto"),
        (("indicator: pet.group", "indicator: pet group"), 12, "pet group"),
        (("name: 表", "name: 表\nname: 另一表"), 3, "name"),
        (("items:", "itemz:"), 8, "itemz"),
        (("  - id: a", "  - id: a\n    weight: 5"), 8, "weight"),
        (("id: s\n", "id: s\n  bad: [\n"), 2, ""),
    ],
)
def test_a_bad_sheet_names_the_line(change: tuple[str, str], line: int, words: str):
    error = _error(MINIMAL.replace(*change, 1))
    assert error.line == line
    text = str(error)
    assert "县考核.yaml" in text and f"第 {line} 行" in text and words in text


def test_two_items_with_one_id_are_refused():
    text = MINIMAL + MINIMAL[MINIMAL.index("      - id: i") :]
    assert _error(text).line == 15


def test_an_empty_list_of_lines_is_refused():
    text = MINIMAL[: MINIMAL.index("lines:")] + "lines: []\n"
    assert _error(text).line == 4


def test_an_empty_file_is_refused():
    assert "空" in str(_error(""))


def test_unknown_indicators_and_wrong_counts_name_the_item_line(sqlite_url: str):
    registry = vs.open(sqlite_url).indicators()
    cases = [
        ("indicator: pet.group", "indicator: pet.nothing", "pet.nothing"),
        ("indicator: pet.group", "indicator: honor.plaque_hung", "value"),
        ("count: value", "count: shortfall", "shortfall"),
        ("indicator: pet.group", "indicator: [pet.group, fund.raised]", ""),
    ]
    for old, new, words in cases:
        sheet = parse_sheet(MINIMAL.replace(old, new), source="县考核.yaml")
        with pytest.raises(SheetError) as info:
            vs.scoring.check_sheet(sheet, registry)
        assert info.value.line == 9 and words in str(info.value)


class TwoPlugins:
    @hookimpl
    def vetservice_register_scoring_sheets(self) -> list[Any]:
        return [parse_sheet(MINIMAL.replace("id: s", "id: village_annual"))]


def test_duplicate_sheet_ids_name_both_plugins(sqlite_url: str):
    # The built-in keeps its id; the plugin's sheet is refused and named.
    db = vs.open(sqlite_url, plugins=make_plugins(TwoPlugins()))
    plugin, sheet = db.scoring_sheets()["village_annual"]
    assert plugin == "vetservice.builtin" and len(sheet.lines) > 1
    (failure,) = db.plugins.failures
    assert "TwoPlugins" in failure.plugin and "vetservice.builtin" in failure.error
    strict = vs.open(sqlite_url, plugins=make_plugins(TwoPlugins(), strict=True))
    with pytest.raises(vs.PluginContractError) as info:
        strict.scoring_sheets()
    assert "vetservice.builtin" in str(info.value) and "TwoPlugins" in str(info.value)


# -- the command line ------------------------------------------------------------


def test_cli_lists_scores_and_traces(sqlite_url: str, tmp_path):
    import json

    from click.testing import CliRunner

    from vetservice_cli.main import cli

    db = vs.open(sqlite_url)
    load_records(
        db,
        {
            "units": SMALL_HIERARCHY,
            "veterans": VETERANS,
            "visits": VISITS,
            "petitions": PETITIONS,
        },
        today=AS_OF,
    )
    sheet = tmp_path / "村考核.yaml"
    sheet.write_text(SHEET, encoding="utf-8")

    def run(*args: str) -> Any:
        return CliRunner().invoke(
            cli,
            ["--db", sqlite_url, "--as-of", "2027-01-15", *args],
            catch_exceptions=False,
        )

    listed = run("sheets")
    assert (
        listed.exit_code == 0 and "village_annual\t村（社区）年度考核" in listed.output
    )
    table = run("score", str(sheet), "--unit", CITY, "--period", "2026")
    assert table.exit_code == 0
    lines = table.output.splitlines()
    assert lines[0] == "名次\t代码\t单位\t退役军人（10）\t信访（5）\t总分（15）"
    assert lines[1] == f"1\t{YJL}\t杨家岭社区\t11\t3\t14"
    assert lines[2] == f"2\t{QLCS}\t七里村社区\t11\t0（否决）\t11"
    assert lines[4] == f"4\t{HJBC}\t黑家堡村\t9\t3\t0（否决）"
    data = json.loads(
        run(
            "score", str(sheet), "--unit", CITY, "--period", "2026", "--format", "json"
        ).output
    )
    assert [(s["unit"]["code"], s["total"]) for s in data["scores"]] == [
        (YJL, 14),
        (QLCS, 11),
        (LQC, 10.5),
        (HJBC, 0),
    ]
    assert data["sheet"]["max_score"] == 15 and data["partial"] is False
    md = run(
        "score", str(sheet), "--unit", CITY, "--period", "2026", "--format", "md"
    ).output
    assert (
        md.startswith("# 延安市：测试考核表（2026）")
        and f"| 3 | {LQC} | 李渠村 | 9.5 | 1 | 10.5 |" in md
    )
    traced = run(
        "score", str(sheet), "--unit", CITY, "--period", "2026", "--trace", LQC
    )
    assert traced.output.startswith("李渠村：10.5 分，第 3 名（共 4 个）")
    assert "光荣牌每遗落1人扣0.5分：3 次，-1.5" in traced.output
    assert "姓名：丙" in traced.output and V[2] not in traced.output
    assert "编号：P6" in traced.output
    traced_json = json.loads(
        run(
            "score", str(sheet), "--unit", CITY, "--period", "2026",
            "--trace", LQC, "--format", "json",
        ).output
    )
    assert (traced_json["rank"], traced_json["total"]) == (3, 10.5)
    reached = next(i for i in traced_json["items"] if i["item"] == "reached")
    assert reached["points"] == -4 and [r["case_no"] for r in reached["records"]] == ["P2", "P6"]
    missing = run("score", "no_such_sheet", "--unit", CITY, "--period", "2026")
    assert missing.exit_code == 2 and "village_annual" in missing.stderr
