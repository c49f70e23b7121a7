"""上报 status and sign-off (issue 19), on SQLite and PostgreSQL.

The testing hierarchy: 延安市 → 宝塔区 (宝塔山街道 → 杨家岭社区, 李渠镇 → 李渠村)
and 延长县 (七里村街道 → 七里村社区, 黑家堡镇 → 黑家堡村). The schedule is
cut down to two lines so the figures can be worked by hand: each county
sends 信访 monthly, each township 走访 monthly, due the 5th of the next month.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

import vetservice as vs
from vetservice.errors import ConfigurationError, ImportRejected, OutOfScopeError
from vetservice.testing import (
    BAOTA,
    CITY,
    HJB,
    QLC,
    QLCS,
    SMALL_HIERARCHY,
    YANCHANG,
    YJL,
    id_number,
    load_records,
)

B1 = id_number("610602", "19700101", 1)
Y1 = id_number("610621", "19720101", 3)
AS_OF = dt.date(2026, 12, 20)


@pytest.fixture
def url(db_url: str) -> str:
    with vs.open(db_url, actor="市管理员") as db:
        load_records(
            db,
            {
                "units": SMALL_HIERARCHY,
                "veterans": f"id_number,name,unit_code\n{B1},宝甲,{YJL}\n{Y1},延甲,{QLCS}\n",
                "visits": (
                    "id_number,visited_on,reason\n"
                    f"{B1},2026-07-01,holiday\n{Y1},2026-07-02,holiday\n"
                ),
            },
        )
        for item in db.schedule():
            db.set_schedule(item.kind, item.level, None)
        db.set_schedule("petitions", "county", "month", 5)
        db.set_schedule("visits", "township", "month", 5)
    return db_url


def _file(tmp_path: Path, name: str, text: str) -> Path:
    folder = tmp_path / str(len(list(tmp_path.iterdir())))
    folder.mkdir()
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def _send(
    url: str, scope: str, kind: str, path: Path, day: dt.date, period: str | None
):
    with vs.open(url, scope=scope, actor=f"{scope}填报员") as db:
        return db.import_file(kind, path, today=day, period=period)


@pytest.fixture
def sent(url: str, tmp_path: Path) -> str:
    petitions = _file(
        tmp_path,
        "petitions.csv",
        f"case_no,unit_code,received_on,channel,level_reached\nP1,{YJL},2026-11-10,visit,county\n",
    )
    visits = _file(
        tmp_path,
        "visits.csv",
        f"id_number,visited_on,reason\n{B1},2026-11-02,routine\n",
    )
    late = _file(
        tmp_path,
        "visits.csv",
        f"id_number,visited_on,reason\n{Y1},2026-11-03,routine\n",
    )
    # 宝塔区 sends its 信访 and its townships' 走访 on 3 December (on time, the
    # period left to default: the last month over); 七里村街道 its own 走访 on
    # 8 December, after the 5th.
    _send(url, BAOTA, "petitions", petitions, dt.date(2026, 12, 3), None)
    _send(url, BAOTA, "visits", visits, dt.date(2026, 12, 3), None)
    _send(url, QLC, "visits", late, dt.date(2026, 12, 8), "2026-11")
    return url


def test_each_scoped_import_is_a_submission(sent: str):
    with vs.open(sent) as db:
        found = [
            (s.unit_code, s.kind, s.period, s.submitted_on, s.actor, s.via, s.rows)
            for s in db.submissions()
        ]
    assert found == [
        (QLC, "visits", "2026-11", dt.date(2026, 12, 8), f"{QLC}填报员", "import", 1),
        (
            BAOTA,
            "visits",
            "2026-11",
            dt.date(2026, 12, 3),
            f"{BAOTA}填报员",
            "import",
            1,
        ),
        (
            BAOTA,
            "petitions",
            "2026-11",
            dt.date(2026, 12, 3),
            f"{BAOTA}填报员",
            "import",
            1,
        ),
    ]
    with vs.open(sent, scope=YANCHANG) as county:
        assert [s.unit_code for s in county.submissions("2026-11")] == [QLC]


def test_status_completeness_timeliness_and_the_chase_list(sent: str):
    with vs.open(sent) as db:
        status = db.submission_status(CITY, "2026-11", as_of=AS_OF)
    # Expected: 2 counties × 信访 + 4 townships × 走访 = 6. Sent: 宝塔区 信访,
    # 宝塔山街道 and 李渠镇 (covered by 宝塔区's file), 七里村街道 (late) = 4;
    # on time: 3.
    assert len(status.rows) == 6
    assert status.completeness == pytest.approx(4 / 6)
    assert status.timeliness == pytest.approx(3 / 6)
    assert [(r.unit_code, r.kind, r.deadline) for r in status.missing] == [
        (YANCHANG, "petitions", dt.date(2026, 12, 5)),
        (HJB, "visits", dt.date(2026, 12, 5)),
    ]
    late = next(r for r in status.rows if r.unit_code == QLC)
    assert (late.submitted_on, late.on_time) == (dt.date(2026, 12, 8), False)


def test_the_indicators_roll_up_like_the_others(sent: str):
    with vs.open(sent) as db:
        results = db.evaluate(
            CITY,
            "2026-11",
            as_of=AS_OF,
            indicators=["report.completeness", "report.timeliness"],
        ).results
    complete, timely = results["report.completeness"], results["report.timeliness"]
    figures = {u: (f.numerator, f.denominator) for u, f in complete.figures.items()}
    assert figures[CITY] == (4, 6)
    assert figures[BAOTA] == (3, 3)
    assert figures[YANCHANG] == (1, 3)
    timely_figures = {
        u: (f.numerator, f.denominator) for u, f in timely.figures.items()
    }
    assert timely_figures[CITY] == (3, 6)
    assert timely_figures[YANCHANG] == (0, 3)
    # Ratios, like the other shares: the units short are on the 催报 list, not
    # a shortfall list.
    assert (complete.figures[CITY].value, timely.figures[CITY].value) == (
        pytest.approx(4 / 6),
        pytest.approx(3 / 6),
    )
    assert complete.figures[CITY].status.value == "not_met"
    assert complete.figures[BAOTA].status.value == "met"


def test_a_quarter_expects_each_month_a_monthly_ledger_is_due(sent: str):
    # 2026Q4 as of 20 December: October, November and December have begun,
    # so each of the 6 ledgers is due three times: 18; 4 of them sent.
    with vs.open(sent) as db:
        status = db.submission_status(CITY, "2026Q4", as_of=AS_OF)
    assert len(status.rows) == 18
    assert sum(r.submitted_on is not None for r in status.rows) == 4


def test_a_sign_off_locks_the_county_period_until_the_city_reopens_it(
    url: str, tmp_path: Path
):
    with vs.open(url, scope=BAOTA, actor="宝塔区领导") as leader:
        signed = leader.sign_off(BAOTA, "2026Q3")
        with pytest.raises(ConfigurationError, match="宝塔区领导"):
            leader.sign_off(BAOTA, "2026Q3")
        with pytest.raises(OutOfScopeError):
            leader.reopen(BAOTA, "2026Q3")
        with pytest.raises(OutOfScopeError):
            leader.sign_off(YANCHANG, "2026Q3")
    at = signed.at.strftime("%Y-%m-%d %H:%M")
    in_q3 = _file(
        tmp_path,
        "visits.csv",
        f"id_number,visited_on,reason\n{B1},2026-08-01,routine\n",
    )
    with vs.open(url, actor="市管理员") as city, pytest.raises(ImportRejected) as e:
        city.import_file("visits", in_q3)  # the lock binds the city too
    assert [p.render("zh") for p in e.value.problems] == [
        f"visits.csv 第 2 行“走访日期”列：{BAOTA} 2026Q3 已由 宝塔区领导 于 {at} 审核锁定，"
        "这一行会改变该期数字，不能写入"
    ]
    same = _file(
        tmp_path,
        "visits.csv",
        f"id_number,visited_on,reason\n{B1},2026-07-01,holiday\n",
    )
    october = _file(
        tmp_path,
        "visits.csv",
        f"id_number,visited_on,reason\n{B1},2026-10-01,routine\n",
    )
    other = _file(
        tmp_path,
        "visits.csv",
        f"id_number,visited_on,reason\n{Y1},2026-08-01,routine\n",
    )
    with vs.open(url) as city:
        assert (
            city.import_file("visits", same).total("unchanged") == 1
        )  # no change: passes
        assert city.import_file("visits", october).total("added") == 1  # Q4 is open
        assert city.import_file("visits", other).total("added") == 1  # 延长县 is open
        with pytest.raises(ImportRejected, match="未删除"):
            city.delete_file("visits", same)
        veterans = _file(
            tmp_path, "veterans.csv", f"id_number,name,unit_code\n{B1},宝甲改,{YJL}\n"
        )
        assert city.import_file("veterans", veterans).total("updated") == 1  # undated
    with vs.open(url, actor="市管理员") as city:
        city.reopen(BAOTA, "2026Q3", note="补录八月走访")
        assert city.import_file("visits", in_q3).total("added") == 1
        record = [(s.action, s.actor) for s in city.sign_offs(BAOTA, "2026Q3")]
        assert record == [("sign", "宝塔区领导"), ("reopen", "市管理员")]
        commands = [e.command for e in city.audit(command="sign-off")] + [
            e.command for e in city.audit(command="reopen")
        ]
        assert commands == [f"sign-off {BAOTA} 2026Q3", f"reopen {BAOTA} 2026Q3"]


def test_a_city_sign_off_locks_every_county(url: str, tmp_path: Path):
    with vs.open(url, actor="市领导") as city:
        city.sign_off(CITY, "2026-07")
        july = _file(
            tmp_path,
            "visits.csv",
            f"id_number,visited_on,reason\n{Y1},2026-07-20,routine\n",
        )
        with pytest.raises(ImportRejected) as e:
            city.import_file("visits", july)
        assert f"{CITY} 2026-07 已由 市领导" in e.value.problems[0].render("zh")
        with pytest.raises(ConfigurationError):
            city.reopen(BAOTA, "2026-07")  # 宝塔区 itself was never signed


def test_cli_status_schedule_sign_off_and_reopen(sent: str, tmp_path: Path):
    from click.testing import CliRunner

    from vetservice_cli.main import cli

    runner = CliRunner()
    status = runner.invoke(
        cli,
        [
            "--db",
            sent,
            "--as-of",
            "2026-12-20",
            "submissions",
            "--unit",
            CITY,
            "--period",
            "2026-11",
        ],
    )
    assert status.exit_code == 1  # ledgers are missing
    lines = status.output.splitlines()
    assert "66.7%" in lines[0] and "50.0%" in lines[0]
    assert [line.split("\t")[0] for line in lines[1:]] == [YANCHANG, HJB]
    listed = runner.invoke(cli, ["--db", sent, "schedule"])
    assert sorted(listed.output.splitlines()) == [
        "petitions\tcounty\tmonth\t5",
        "visits\ttownship\tmonth\t5",
    ]
    signed = runner.invoke(
        cli,
        [
            "--db",
            sent,
            "--scope",
            BAOTA,
            "--actor",
            "宝塔区领导",
            "sign-off",
            "--unit",
            BAOTA,
            "--period",
            "2026Q3",
        ],
    )
    assert signed.exit_code == 0, signed.output
    q3 = _file(
        tmp_path,
        "visits.csv",
        f"id_number,visited_on,reason\n{B1},2026-09-09,routine\n",
    )
    refused = runner.invoke(cli, ["--db", sent, "import", "visits", str(q3)])
    assert refused.exit_code == 2 and "宝塔区领导" in refused.output
    held = runner.invoke(
        cli,
        [
            "--db",
            sent,
            "--scope",
            BAOTA,
            "reopen",
            "--unit",
            BAOTA,
            "--period",
            "2026Q3",
        ],
    )
    assert held.exit_code == 2
    reopened = runner.invoke(
        cli, ["--db", sent, "reopen", "--unit", BAOTA, "--period", "2026Q3"]
    )
    assert reopened.exit_code == 0, reopened.output
    assert (
        runner.invoke(cli, ["--db", sent, "import", "visits", str(q3)]).exit_code == 0
    )


def test_a_frozen_report_records_the_sign_off(url: str):
    with vs.open(url, actor="宝塔区领导") as db:
        signed = db.sign_off(BAOTA, "2026Q3")
        db.freeze(
            db.evaluate(
                BAOTA, "2026Q3", as_of=AS_OF, indicators=["report.completeness"]
            )
        )
    with vs.open(url) as city:
        entry = city.audit(command="freeze")[0]
    assert entry.detail["sign_offs"] == [
        {
            "unit": BAOTA,
            "action": "sign",
            "actor": "宝塔区领导",
            "at": signed.at.strftime("%Y-%m-%d %H:%M"),
        }
    ]


def _at(monkeypatch: pytest.MonkeyPatch, moment: dt.datetime) -> None:
    """Sign off and reopen at ``moment`` (UTC) instead of now."""
    from vetservice.reporting import locks

    monkeypatch.setattr(locks, "_now", lambda: moment)


def _lines(url: str, unit: str, period: str = "2026Q3") -> list[dict[str, object]]:
    with vs.open(url) as db:
        report = db.report(unit, period, as_of=AS_OF)
        return list(json.loads(db.render(report, "json"))["sign_offs"])


def test_a_report_shows_the_sign_off_and_then_the_reopening(
    url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
):
    # Signed at 10:30 on 20 November in China (02:30 UTC).
    _at(monkeypatch, dt.datetime(2026, 11, 20, 2, 30, tzinfo=dt.UTC))
    with vs.open(url, scope=BAOTA, actor="宝塔区领导") as leader:
        leader.sign_off(BAOTA, "2026Q3")
    signed = {
        "unit": BAOTA,
        "name": "宝塔区",
        "action": "sign",
        "actor": "宝塔区领导",
        "at": "2026-11-20T10:30:00+08:00",
        "note": None,
        "text": "宝塔区本期数据已由 宝塔区领导 于 2026年11月20日 审核锁定",
    }
    assert _lines(url, BAOTA) == [signed]
    assert _lines(url, YJL) == [signed]  # a village of 宝塔区 is locked with it
    assert _lines(url, YANCHANG) == []  # another county
    assert _lines(url, CITY) == []  # the city itself is not signed
    assert _lines(url, BAOTA, "2026Q4") == []  # another period
    # Reopened at 01:05 on 22 November in China: 17:05 UTC on the 21st.
    _at(monkeypatch, dt.datetime(2026, 11, 21, 17, 5, tzinfo=dt.UTC))
    with vs.open(url, actor="市管理员") as city:
        city.reopen(BAOTA, "2026Q3", note="补录八月走访")
    reopened = {
        "unit": BAOTA,
        "name": "宝塔区",
        "action": "reopen",
        "actor": "市管理员",
        "at": "2026-11-22T01:05:00+08:00",
        "note": "补录八月走访",
        "text": "2026年11月22日 市管理员 重新开放宝塔区本期数据：补录八月走访",
    }
    # Open again: the sign-off is no longer the state, the reopening is shown.
    assert _lines(url, BAOTA) == [reopened]
    # The city signs its whole period on the 25th: both lines, oldest first.
    _at(monkeypatch, dt.datetime(2026, 11, 25, 8, 0, tzinfo=dt.UTC))
    with vs.open(url, actor="市领导") as city:
        city.sign_off(CITY, "2026Q3")
    city_signed = {
        "unit": CITY,
        "name": "延安市",
        "action": "sign",
        "actor": "市领导",
        "at": "2026-11-25T16:00:00+08:00",
        "note": None,
        "text": "延安市本期数据已由 市领导 于 2026年11月25日 审核锁定",
    }
    assert _lines(url, BAOTA) == [reopened, city_signed]
    assert _lines(url, YANCHANG) == [city_signed]
    # 宝塔区 signs again on the 26th, without a note: the reopening stays on
    # the record, the second sign-off is the state.
    _at(monkeypatch, dt.datetime(2026, 11, 26, 1, 0, tzinfo=dt.UTC))
    with vs.open(url, scope=BAOTA, actor="宝塔区领导") as leader:
        leader.sign_off(BAOTA, "2026Q3")
    again = signed | {
        "at": "2026-11-26T09:00:00+08:00",
        "text": "宝塔区本期数据已由 宝塔区领导 于 2026年11月26日 审核锁定",
    }
    assert _lines(url, BAOTA) == [reopened, city_signed, again]


def test_every_format_shows_the_sign_off_near_the_title(
    url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
):
    import docx
    import openpyxl

    _at(monkeypatch, dt.datetime(2026, 11, 20, 2, 30, tzinfo=dt.UTC))
    with vs.open(url, scope=BAOTA, actor="宝塔区领导") as leader:
        leader.sign_off(BAOTA, "2026Q3")
    _at(monkeypatch, dt.datetime(2026, 11, 22, 1, 0, tzinfo=dt.UTC))
    with vs.open(url, actor="市管理员") as city:
        city.reopen(BAOTA, "2026Q3")  # no note: no colon after it
    line = "2026年11月22日 市管理员 重新开放宝塔区本期数据"
    with vs.open(url) as db:
        report = db.report(BAOTA, "2026Q3", as_of=AS_OF)
        for fmt in ("md", "html", "docx", "xlsx"):
            db.render(report, fmt, tmp_path / f"report.{fmt}")
        english = json.loads(db.render(report, "json", lang="en"))["sign_offs"]
    assert english[0]["text"] == (
        "2026-11-22: 市管理员 reopened the figures of 宝塔区 for this period"
    )
    markdown = (tmp_path / "report.md").read_text(encoding="utf-8").splitlines()
    # The title, a blank line, the period, a blank line, then the line.
    assert markdown[0].startswith("# 宝塔区")
    assert markdown[4] == f"> {line}"
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    header = html[html.index("<header>") : html.index("</header>")]
    assert f'<p class="sign-off">{line}</p>' in header
    paragraphs = [p.text for p in docx.Document(str(tmp_path / "report.docx")).paragraphs]
    at = paragraphs.index(line)
    # Under the title, before the 主送 line that opens the body.
    assert paragraphs[at - 1] and paragraphs[at + 1] == ""
    assert paragraphs[at + 2].endswith("：")
    book = openpyxl.load_workbook(tmp_path / "report.xlsx")
    overview = book.worksheets[0]
    found = [
        (c.row, c.column)
        for r in overview.iter_rows(max_row=10)
        for c in r
        if c.value == line
    ]
    assert found == [(4, 1)]  # the first row under the three header rows


def test_the_hand_written_statements_give_the_same_figures(
    sent: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """benchmarks/handwritten/reporting.py against the engine, with figures
    worked by hand for a quarterly ledger as well as the monthly ones."""
    monkeypatch.syspath_prepend(str(Path(__file__).resolve().parents[1]))
    from benchmarks.handwritten.check import hand_figures, library_figures

    from vetservice.calendar import Period

    with vs.open(sent, actor="市管理员") as city:
        city.set_schedule("veterans", "county", "quarter", 10)
    veterans = _file(tmp_path, "veterans.csv", f"id_number,name,unit_code\n{Y1},延甲,{QLCS}\n")
    # 延长县 sends its 2026Q3 退役军人 on 12 October, after the 10th.
    _send(sent, YANCHANG, "veterans", veterans, dt.date(2026, 10, 12), "2026Q3")
    expected = {
        # July to September: 6 monthly ledgers × 3 months, none sent; the
        # quarter's 退役军人 of 2 counties, 延长县's sent late.
        ("2026Q3", AS_OF, "report.completeness"): {CITY: (1, 20), YANCHANG: (1, 10)},
        ("2026Q3", AS_OF, "report.timeliness"): {CITY: (0, 20), YANCHANG: (0, 10)},
        # November: 4 of the 6 sent, 3 in time (as worked above); no quarter.
        ("2026-11", AS_OF, "report.completeness"): {CITY: (4, 6), BAOTA: (3, 3)},
        ("2026-11", AS_OF, "report.timeliness"): {CITY: (3, 6), YANCHANG: (0, 3)},
        # October's report asks nothing of the quarterly ledger; 2026Q4 cut
        # at 15 October asks October's 6 and the quarter's 2.
        ("2026-10", dt.date(2026, 10, 15), "report.completeness"): {CITY: (0, 6)},
        ("2026Q4", dt.date(2026, 10, 15), "report.completeness"): {CITY: (0, 8)},
        # The year to 20 December: 12 months × 6 + 4 quarters × 2 = 80.
        ("2026", AS_OF, "report.completeness"): {CITY: (5, 80)},
        ("2026", AS_OF, "report.timeliness"): {CITY: (3, 80)},
    }
    with vs.open(sent) as db:
        for (name, as_of, indicator_id), figures in expected.items():
            period = Period.parse(name, as_of)
            library = library_figures(db, indicator_id, CITY, period)
            # A connection of its own: one held open across the evaluation
            # would keep the figures store waiting for its lock.
            with db.engine.connect() as conn:
                hand = hand_figures(conn, indicator_id, CITY, period)
            assert {c: hand.get(c, (0, 0)) for c in library} == library, name
            assert {c: library[c] for c in figures} == figures, name


def test_a_frozen_full_report_keeps_the_sign_off_lines(
    url: str, monkeypatch: pytest.MonkeyPatch
):
    _at(monkeypatch, dt.datetime(2026, 11, 20, 2, 30, tzinfo=dt.UTC))
    with vs.open(url, scope=BAOTA, actor="宝塔区领导") as leader:
        leader.sign_off(BAOTA, "2026Q3")
        frozen = leader.freeze(leader.report(BAOTA, "2026Q3", as_of=AS_OF))
    with vs.open(url) as city:
        kept = city.snapshot(frozen.id)
    assert kept.figures is not None
    assert [line["text"] for line in kept.figures["sign_offs"]] == [
        "宝塔区本期数据已由 宝塔区领导 于 2026年11月20日 审核锁定"
    ]
