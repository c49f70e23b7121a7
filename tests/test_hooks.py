"""Meta-tests: every hook is documented with its exact signature and exercised here."""

from __future__ import annotations

import datetime as dt
import inspect
from pathlib import Path
from typing import Any

import sqlalchemy as sa

import vetservice as vs
from vetservice import hookspecs
from vetservice.calendar import (
    DatesByYear,
    SensitivePeriod,
    collect_sensitive_periods,
    sensitive_on,
)
from vetservice.hookspecs import hookimpl
from vetservice.i18n import Bilingual
from vetservice.imports.checks import Check
from vetservice.indicators import Area, Indicator, Kind, Override
from vetservice.reports import NoticeParagraphs, NoticeSettings, Renderer
from vetservice.store import TABLES
from vetservice.testing import (
    BAOTA,
    SMALL_HIERARCHY,
    YANCHANG,
    load_records,
    make_plugins,
)

ROOT = Path(__file__).resolve().parent.parent
HOOKS = [n for n, _ in inspect.getmembers(hookspecs, inspect.isfunction) if n.startswith("vetservice_")]
units = TABLES["units"]


def test_every_hook_is_documented_with_its_signature():
    page = (ROOT / "docs" / "reference" / "plugin_hooks.md").read_text(encoding="utf-8")
    for name in HOOKS:
        signature = f"{name}{inspect.signature(getattr(hookspecs, name))}".replace("'", "")
        assert f"## {name}" in page and signature in page, name


def test_every_hook_has_a_test_here():
    here = Path(__file__).read_text(encoding="utf-8")
    for name in HOOKS:
        assert f"def test_hook_{name}(" in here, name


def _villages(ctx: Any) -> sa.Select[Any]:
    return sa.select(
        units.c.code.label("unit_code"), sa.literal(1).label("numerator"), sa.literal(0).label("denominator")
    ).where(units.c.level == "village")


class County:
    @hookimpl
    def vetservice_register_indicators(self) -> list[Indicator]:
        return [
            Indicator(
                id="county.villages", area=Area.ENVIRONMENT, kind=Kind.COUNT,
                name=Bilingual("村数", "villages"), rule=Bilingual("村数", "villages"),
                facts=_villages,
            )
        ]

    @hookimpl
    def vetservice_register_overrides(self) -> list[Override]:
        return [Override("env.elements", "610602000000", target=vs_target())]

    @hookimpl
    def vetservice_register_checks(self) -> list[Check]:
        def query() -> sa.Select[Any]:
            return sa.select(units.c.code).where(units.c.kind == "village")

        return [Check("county.village_kind", "units", "a village", query)]

    @hookimpl
    def vetservice_register_renderers(self) -> list[Renderer]:
        return [Renderer("txt", "txt", lambda ev, lang: f"{ev.unit.name} {ev.period.label}\n")]


def vs_target() -> Any:
    from vetservice.indicators import Target

    return Target(">=", 0.5)


def _db(tmp_path: Path, *plugins: object) -> vs.Database:
    db = vs.open(f"sqlite:///{tmp_path / 'h.db'}", plugins=make_plugins(County(), *plugins))
    load_records(db, {"units": SMALL_HIERARCHY})
    return db


def test_hook_vetservice_register_indicators(tmp_path: Path):
    ev = _db(tmp_path).evaluate("610600000000", "2026Q3", as_of=dt.date(2026, 11, 28))
    assert ev["county.villages"].value == 4
    assert ev.figure("county.villages", "610602000000").value == 2


def test_hook_vetservice_register_overrides(tmp_path: Path):
    ev = _db(tmp_path).evaluate("610600000000", "2026Q3", as_of=dt.date(2026, 11, 28))
    assert ev.figure("env.elements", "610602000000").target.value == 0.5
    assert ev.figure("env.elements", "610621000000").target.value == 1.0


def test_hook_vetservice_register_checks(tmp_path: Path):
    findings = _db(tmp_path).validate()
    assert sorted(f.key[0] for f in findings if f.check == "county.village_kind") == [
        "610602100001",
        "610621100001",
    ]


def test_hook_vetservice_register_renderers(tmp_path: Path):
    db = _db(tmp_path)
    ev = db.evaluate("610600000000", "2026Q3", as_of=dt.date(2026, 11, 28))
    assert db.render(ev, "txt") == "延安市 2026Q3\n"


def test_hook_vetservice_register_notice_parts(tmp_path: Path):
    class Notices:
        @hookimpl
        def vetservice_register_notice_parts(self) -> list[Any]:
            def broken(notice: Any) -> list[str]:
                raise ValueError("bad paragraph")

            return [
                NoticeSettings(unit=BAOTA, code_prefix="宝区退役军人发", number=7),
                NoticeParagraphs(
                    "achievements",
                    lambda notice: [f"{notice.unit_name}红色教育基地接待退役军人1200人次。"],
                    scope=(BAOTA,),
                ),
                NoticeParagraphs("problems", broken),
            ]

    db = _db(tmp_path, Notices())
    as_of = dt.date(2026, 11, 28)
    baota = db.render(db.report(BAOTA, "2026Q3", as_of=as_of), "md")
    assert "宝区退役军人发〔2026〕7号" in baota
    achievements = baota.split("### 二、主要成效")[1].split("### 三、")[0]
    assert "宝塔区红色教育基地接待退役军人1200人次。" in achievements
    yanchang = db.render(db.report(YANCHANG, "2026Q3", as_of=as_of), "md")
    assert "红色教育基地" not in yanchang and "宝区退役军人发" not in yanchang
    # The raising paragraph is its plugin's failure; the 通报 keeps its own.
    assert "（一）" in baota.split("### 三、存在问题")[1]
    assert [(f.plugin.rsplit(".", 1)[-1], f.hook, f.error) for f in db.plugins.failures] == [
        ("Notices", "vetservice_register_notice_parts", "ValueError: bad paragraph")
    ]


def test_hook_vetservice_register_scoring_sheets(tmp_path: Path):
    from vetservice.scoring import parse_sheet

    text = """\
id: county.township
name: 乡镇年度考核
level: township
lines:
  - id: petitions
    name: 信访
    weight: 10
    items:
      - id: overdue
        name: 超期未办结每件扣1分
        kind: deduction
        indicator: pet.overdue
        count: value
        points: 1
"""

    class Sheets:
        @hookimpl
        def vetservice_register_scoring_sheets(self) -> list[Any]:
            return [parse_sheet(text)]

    class Broken:
        @hookimpl
        def vetservice_register_scoring_sheets(self) -> list[Any]:
            raise ValueError("bad sheet")

    db = _db(tmp_path, Sheets(), Broken())
    sheets = db.scoring_sheets()
    # The built-in example sheet comes through the same hook.
    assert list(sheets) == ["village_annual", "county.township"]
    assert sheets["county.township"][0].rsplit(".", 1)[-1] == "Sheets"
    assert [f.hook for f in db.plugins.failures] == ["vetservice_register_scoring_sheets"]
    scoring = db.score("county.township", "610600000000", "2026Q3", as_of=dt.date(2026, 11, 28))
    assert [s.total for s in scoring.scores] == [10, 10, 10, 10]  # four townships, no petitions


def test_hook_vetservice_register_sensitive_periods():
    class Sessions:
        @hookimpl
        def vetservice_register_sensitive_periods(self) -> list[SensitivePeriod]:
            dates = DatesByYear({"2026": ("2026-01-10", "2026-01-14")})
            return [SensitivePeriod(id="county.lianghui", name=Bilingual("县两会", "county Two Sessions"), rule=dates)]

    periods = collect_sensitive_periods(make_plugins(Sessions()))
    assert [o.id for o in sensitive_on(periods, dt.date(2026, 1, 12))] == ["county.lianghui"]
    assert [o.id for o in sensitive_on(periods, dt.date(2026, 2, 12))] == ["spring_festival"]
