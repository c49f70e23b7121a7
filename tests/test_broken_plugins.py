"""One county plugin per mistake (tests/plugins_broken/), each a named
failure of that plugin: never a traceback, never a stop for the others.

For each mistake, ``vetservice report`` of the city with the broken plugin
beside a correct one (``good.py``) must exit 1 naming the plugin, the hook
and the reason with its fix; the built-ins and the correct plugin still
report; ``--strict-plugins`` turns the same mistake into exit 2; and no
personal data reaches the output either way.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import attrs
import pytest
from click.testing import CliRunner

import vetservice as vs
from vetservice.testing import BAOTA, CITY, SMALL_HIERARCHY, load_records, make_plugins
from vetservice_cli.main import cli

BROKEN = Path(__file__).with_name("plugins_broken")
GOOD = str(BROKEN / "good.py")
ID, NAME, PHONE = "612601196503120031", "李保国", "13812345678"
ID2, NAME2 = "61260119800101123X", "王志刚"

# plugin → (hook of the failure, what stderr's line says after the hook)
CASES: dict[str, tuple[str, list[str]]] = {
    "hook_typo": (
        "register",
        [
            "vetservice_register_indicator 不是 vetservice 的钩子"
            "（是不是 vetservice_register_indicators？）"
        ],
    ),
    "wrong_signature": ("register", ["钩子的参数与规范不符", "不带参数"]),
    "import_error": ("load", ["ModuleNotFoundError", "vetservice_no_such_module"]),
    "wrapper": ("register", ["钩子包装器", "去掉 wrapper/hookwrapper"]),
    "duplicate_id": (
        "vetservice_register_indicators",
        ["env.elements", "vetservice.builtin"],
    ),
    "bad_scope": (
        "vetservice_register_indicators",
        ["scope.chars 的范围（scope）里是 '6'、'1'", "别漏了逗号"],
    ),
    "percent_target": (
        "vetservice_register_indicators",
        [
            "target.eighty 的目标值 80 不是小数",
            "Target('>=', 0.8) 或 Target.percent('>=', 80)",
        ],
    ),
    "text_numerator": ("facts", ["facts.text 的 numerator 列是 TEXT", "不是数字"]),
    "not_a_select": ("facts", ["facts.text_sql 的事实查询返回的是 str，不是 SELECT"]),
    "missing_columns": ("facts", ["facts.no_denominator 的事实查询缺少列 denominator"]),
    "bad_overrides": (
        "vetservice_register_overrides",
        [
            "staff.township_fultime 的本地标准：没有这个指标"
            "（是不是 staff.township_fulltime？）",
            "min_full_time 不是它的参数；它的参数有：min_fulltime",
            "单位 '宝塔区' 不是区划代码",
        ],
    ),
    "sheet_missing_indicator": (
        "vetservice_register_scoring_sheets",
        ["honor.plaque_hangs"],
    ),
    # The value a conversion choked on (a veteran's name) is quoted in the
    # error: hidden, the rest of the message kept for the author.
    "quoted_name": ("facts", ["ValueError: Invalid isoformat string: '***'"]),
    "reason_typo": ("facts", ["KeyError: 'telephone'"]),
    "period_scope": (
        "vetservice_register_sensitive_periods",
        ["period.chars 的范围（scope）里是 '6'、'1'", "别漏了逗号"],
    ),
    "reason_not_a_message": (
        "facts",
        [
            "reason.text 的原因函数（reason）返回的是 str，不是 Message：请返回 "
            "Message('{reason}', {'reason': Bilingual('…', '…')})"
        ],
    ),
}


@pytest.fixture(scope="module")
def url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("broken")
    url = f"sqlite:///{(folder / 'broken.db').as_posix()}"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("VETSERVICE_DISABLE_PLUGIN_AUTOLOAD", "1")
        db = vs.open(url, actor="tester")
        load_records(
            db,
            {
                "units": SMALL_HIERARCHY,
                "veterans": "身份证号,姓名,现居村社区代码,联系电话\n"
                f"{ID},{NAME},610602001001,{PHONE}\n"
                f"{ID2},{NAME2},610602001001,\n",
            },
        )
        db.close()
    yield url


@attrs.frozen
class Run:
    code: int
    stdout: str
    stderr: str
    report: dict[str, object] | None


def run(url: str, out: Path, *plugins: str, strict: bool = False) -> Run:
    args = ["--db", url, "--as-of", "2026-11-28"]
    for plugin in plugins:
        args += ["--plugins", plugin]
    if strict:
        args.append("--strict-plugins")
    args += ["report", "--unit", CITY, "--period", "2026", "--format", "json"]
    # Every level listed: a reason is read only for the gaps a report lists,
    # and the broken plugins' gaps are in the villages.
    args += ["--list-depth", "all", "--out", str(out)]
    result = CliRunner().invoke(cli, args)
    assert not result.exception or isinstance(result.exception, SystemExit), (
        result.exception
    )
    files = list(out.glob("*.json")) if out.exists() else []
    report = json.loads(files[0].read_text(encoding="utf-8")) if files else None
    return Run(result.exit_code, result.stdout, result.stderr, report)


def _ids(report: dict[str, object] | None) -> set[str]:
    assert report is not None
    return {i["id"] for i in report["indicators"]}  # type: ignore[index,union-attr]


def _no_personal_data(*texts: str) -> None:
    for text in texts:
        for secret in (ID, ID2, PHONE, NAME, NAME2):
            assert secret not in text


@pytest.fixture(autouse=True)
def _no_autoload(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VETSERVICE_DISABLE_PLUGIN_AUTOLOAD", "1")
    monkeypatch.delenv("VETSERVICE_PLUGINS", raising=False)


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_mistake_is_a_named_failure_of_its_plugin(
    url: str, tmp_path: Path, name: str
) -> None:
    plugin = str(BROKEN / f"{name}.py")
    hook, says = CASES[name]
    found = run(url, tmp_path / "lenient", GOOD, plugin)
    assert "Traceback" not in found.stderr
    lines = [
        line
        for line in found.stderr.splitlines()
        if line.startswith(f"插件故障：{plugin}（{hook}）：")
    ]
    for fragment in says:
        assert any(fragment in line for line in lines), (fragment, found.stderr)
    assert found.code == 1
    # The built-ins and the correct plugin still report.
    assert {"env.elements", "staff.township_fulltime", "good.villages"} <= _ids(
        found.report
    )
    assert not any(f["plugin"] == GOOD for f in found.report["failures"])  # type: ignore[index,union-attr]
    _no_personal_data(found.stdout, found.stderr, json.dumps(found.report))
    strict = run(url, tmp_path / "strict", GOOD, plugin, strict=True)
    assert strict.code == 2, strict.stderr
    assert "Traceback" not in strict.stderr and plugin in strict.stderr
    _no_personal_data(strict.stdout, strict.stderr)


def test_a_clash_keeps_the_built_in_and_the_plugins_other_indicators(
    url: str, tmp_path: Path
) -> None:
    found = run(url, tmp_path / "out", str(BROKEN / "duplicate_id.py"))
    assert found.report is not None
    (elements,) = [i for i in found.report["indicators"] if i["id"] == "env.elements"]  # type: ignore[union-attr,index]
    assert elements["name"] != "重复的编号"
    assert "dup.units" in _ids(found.report)


def test_a_function_without_hookimpl_is_a_warning(url: str, tmp_path: Path) -> None:
    plugin = str(BROKEN / "unmarked.py")
    found = run(url, tmp_path / "lenient", GOOD, plugin)
    assert (
        f"插件警告：{plugin}：vetservice_register_overrides 看起来是钩子，但没有标记 "
        "@hookimpl，永远不会被调用：在它上面加 @vs.hookimpl"
    ) in found.stderr.splitlines()
    assert found.code == 0
    assert "good.villages" in _ids(found.report)
    assert run(url, tmp_path / "strict", plugin, strict=True).code == 2


def test_open_raises_only_vetservice_errors(url: str) -> None:
    for name in CASES:
        db = vs.open(url, plugins=make_plugins(str(BROKEN / f"{name}.py")))
        db.close()
        with pytest.raises(vs.VetserviceError):
            strict = vs.open(
                url, plugins=make_plugins(str(BROKEN / f"{name}.py"), strict=True)
            )
            strict.evaluate(CITY, "2026", as_of=None)
            strict.scoring_sheets()
            strict.sensitive_periods()


def test_personal_data_is_masked_whatever_the_plugin_declares(url: str) -> None:
    db = vs.open(url, actor="tester", plugins=make_plugins(str(BROKEN / "no_pii.py")))
    found = db.explain("leak.phones", BAOTA, "2026")
    rows = sorted(found.rows, key=lambda r: r["card"])
    assert [(r["who"], r["card"], r["phone"], r["both"]) for r in rows] == [
        ("李**", "612601********0031", "138****5678", "***"),
        ("王**", "612601********123X", None, "***"),
    ]
    # The reason of the gap list sees the masked row only.
    evaluation = db.evaluate(BAOTA, "2026")
    (gap,) = evaluation["leak.phones"].shortfalls
    assert gap.reason.render() == "王** 612601********123X 没有电话"
    assert db.audit(command="show_pii") == []
    shown = db.explain("leak.phones", BAOTA, "2026", show_pii=True)
    assert {r["who"] for r in shown.rows} == {NAME, NAME2}
    (entry,) = db.audit(command="show_pii")
    assert entry.detail["indicator"] == "leak.phones"


def test_the_cli_explain_of_an_undeclared_plugin_is_masked(url: str) -> None:
    plugin = str(BROKEN / "no_pii.py")
    args = ["--db", url, "--plugins", plugin, "--as-of", "2026-11-28", "explain"]
    result = CliRunner().invoke(
        cli, [*args, "leak.phones", "--unit", "宝塔区", "--period", "2026"]
    )
    assert result.exit_code == 0, result.stderr
    assert "李**" in result.stdout and "138****5678" in result.stdout
    _no_personal_data(result.stdout, result.stderr)


def test_hook_call_order_tryfirst_and_trylast() -> None:
    """Items are collected built-ins first, then plugins in loading order;
    trylast puts a plugin's items first, tryfirst last, so for renderers
    (the last of a name wins) a tryfirst renderer replaces the others."""
    from vetservice.markers import hookimpl
    from vetservice.reports import Renderer, renderers

    def plugin(label: str, **order: bool) -> object:
        class Plugin:
            @hookimpl(**order)
            def vetservice_register_renderers(self) -> list[Renderer]:
                return [Renderer("md", "md", lambda ev, lang: label)]

        Plugin.__name__ = label
        return Plugin()

    manager = make_plugins(
        plugin("first", tryfirst=True), plugin("plain"), plugin("last", trylast=True)
    )
    found = [
        (name, item.render(None, "zh"))
        for name, item in manager.call("vetservice_register_renderers")
        if name != "vetservice.builtin"
    ]
    assert [label for _, label in found] == ["last", "plain", "first"]
    assert renderers(manager)["md"].render(None, "zh") == "first"


@pytest.mark.parametrize("name", ["text_numerator", "not_a_select", "missing_columns"])
def test_facts_are_checked_by_type_on_both_databases(db_url: str, name: str) -> None:
    """The same named failure on SQLite and PostgreSQL, before any SQL runs
    (SQLite alone would sum a text numerator as 0); the rest still counts."""
    plugins = make_plugins(str(BROKEN / f"{name}.py"), GOOD)
    with vs.open(db_url, plugins=plugins) as db:
        load_records(db, {"units": SMALL_HIERARCHY})
        evaluation = db.evaluate(BAOTA, "2026")
        (failure,) = [f for f in evaluation.failures if f.hook == "facts"]
        assert failure.plugin == str(BROKEN / f"{name}.py")
        assert failure.error.startswith("PluginContractError: ")
        assert evaluation["good.villages"].value == 2  # 杨家岭社区, 李渠村
    strict = make_plugins(str(BROKEN / f"{name}.py"), strict=True)
    with vs.open(db_url, plugins=strict) as db, pytest.raises(vs.PluginError):
        db.evaluate(BAOTA, "2026")


def test_sheets_names_a_sheet_with_a_missing_indicator(url: str) -> None:
    plugin = str(BROKEN / "sheet_missing_indicator.py")
    result = CliRunner().invoke(cli, ["--plugins", plugin, "sheets"])
    assert result.exit_code == 1
    assert result.stdout.startswith("village_annual\t")  # the built-in still listed
    assert "broken_sheet" not in result.stdout
    assert (
        f"插件故障：{plugin}（vetservice_register_scoring_sheets）：考核表 "
        "sheet_missing_indicator.py 第 11 行：细则 plaque：没有指标 honor.plaque_hangs"
    ) in result.stderr.splitlines()
    strict = CliRunner().invoke(
        cli, ["--strict-plugins", "--plugins", plugin, "sheets"]
    )
    assert strict.exit_code == 2 and "honor.plaque_hangs" in strict.stderr


def test_a_failing_query_never_quotes_a_name_on_either_database(db_url: str) -> None:
    """PostgreSQL refuses CAST(name AS INTEGER) quoting the name; SQLite
    casts it to 0 and reading the name as a date fails, quoting it. Either
    way the failure names the plugin, hides the quoted name, and the
    correct plugin still counts; explain of it is the same named failure."""
    plugin = str(BROKEN / "quoted_name.py")
    with vs.open(db_url, plugins=make_plugins(plugin, GOOD)) as db:
        load_records(
            db,
            {
                "units": SMALL_HIERARCHY,
                "veterans": f"身份证号,姓名,现居村社区代码\n{ID},{NAME},610602001001\n",
            },
        )
        evaluation = db.evaluate(BAOTA, "2026")
        (failure,) = [f for f in evaluation.failures if f.hook == "facts"]
        assert (failure.plugin, failure.indicator) == (plugin, "quoted.name")
        expected = (
            'invalid input syntax for type integer: "***"'
            if db_url.startswith("postgresql")
            else "ValueError: Invalid isoformat string: '***'"
        )
        assert expected in failure.error
        assert evaluation["good.villages"].value == 2
        with pytest.raises(vs.PluginError) as raised:
            db.explain("quoted.name", BAOTA, "2026")
        text = raised.value.message.render("zh")
        assert text.startswith(f"插件 {plugin} 在 facts 中出错：")
        assert expected in text
        _no_personal_data(failure.error, text)


def test_a_broken_check_is_named_and_findings_mask_personal_data(
    url: str,
) -> None:
    """validate with a check that raises next to one listing names and
    phones: the broken check is a named failure (exit 1, 2 when strict), the
    other plugin's findings still come, their names and phones masked."""
    broken, names = str(BROKEN / "check_raises.py"), str(BROKEN / "check_names.py")
    args = ["--db", url, "--plugins", broken, "--plugins", names]
    found = CliRunner().invoke(cli, [*args, "validate"])
    assert "Traceback" not in found.stderr
    assert found.stdout.splitlines() == [
        "退役军人 612601********0031：李** 138****5678",
        "退役军人 612601********123X：王** ",
        "共 2 条核查发现",
    ]
    assert found.stderr.splitlines() == [
        f"插件故障：{broken}（vetservice_register_checks）：核查 broken.phone 出错："
        "AttributeError: phone_number；它的 query() 应返回一条 SELECT："
        "先是这种台账的键列，再是消息里的参数"
    ]
    assert found.exit_code == 1
    strict = CliRunner().invoke(cli, ["--strict-plugins", *args, "validate"])
    assert strict.exit_code == 2 and "broken.phone" in strict.stderr
    assert "Traceback" not in strict.stderr
    _no_personal_data(found.stdout, found.stderr, strict.stdout, strict.stderr)


def test_lineage_through_sql_text_and_a_case() -> None:
    """SQL written as text naming a personal field is masked whole; a CASE
    choosing between one personal field and NULL is masked as that field."""
    import sqlalchemy as sa

    from vetservice.domain.personal import Personal
    from vetservice.indicators import facts
    from vetservice.indicators.personal import personal_columns
    from vetservice.store import TABLES

    veterans, units = TABLES["veterans"], TABLES["units"]
    query = facts(
        veterans.c.unit_code,
        sa.literal_column("veterans.name").label("text"),
        sa.case((veterans.c.party_member, veterans.c.name)).label("chosen"),
        sa.case(
            (veterans.c.party_member, veterans.c.name), else_=veterans.c.phone
        ).label("mixed"),
        count=True,
    )
    assert personal_columns(query) == {
        "text": Personal.DERIVED,
        "chosen": Personal.NAME,
        "mixed": Personal.DERIVED,
    }
    named = sa.select(units.c.code.label("unit_code"), units.c.name).subquery()
    assert personal_columns(facts(named.c.unit_code, named.c.name, count=True)) == {}
