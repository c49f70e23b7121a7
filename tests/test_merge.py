"""``vetservice merge`` (issue 19): 宝塔区 runs its own file made by
``export --scope``, then sends it back; the city checks its digest and
imports it as 宝塔区's 上报, writing nothing outside 宝塔区."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

import vetservice as vs
from vetservice.errors import ImportRejected, OutOfScopeError, ValidationError
from vetservice.store.files import file_digest
from vetservice.testing import (
    BAOTA,
    QLCS,
    SMALL_HIERARCHY,
    YANCHANG,
    YJL,
    id_number,
    load_records,
)
from vetservice_cli.main import cli

B1 = id_number("610602", "19700101", 1)
Y1 = id_number("610621", "19720101", 3)
DAY = dt.date(2026, 12, 3)


@pytest.fixture
def url(db_url: str) -> str:
    with vs.open(db_url) as db:
        load_records(
            db,
            {
                "units": SMALL_HIERARCHY,
                "veterans": f"id_number,name,unit_code\n{B1},宝甲,{YJL}\n{Y1},延甲,{QLCS}\n",
                "visits": f"id_number,visited_on,reason\n{B1},2026-07-01,holiday\n",
            },
        )
    return db_url


@pytest.fixture
def county_file(url: str, tmp_path: Path) -> Path:
    """宝塔区's export, in which the county changed a name and added a visit."""
    path = tmp_path / "baota.db"
    with vs.open(url) as city:
        city.export(path, scope=BAOTA)
    edits = tmp_path / "edits"
    edits.mkdir()
    (edits / "veterans.csv").write_text(
        f"id_number,name,unit_code\n{B1},宝甲甲,{YJL}\n", encoding="utf-8"
    )
    (edits / "visits.csv").write_text(
        f"id_number,visited_on,reason\n{B1},2026-11-05,routine\n", encoding="utf-8"
    )
    with vs.open(f"sqlite:///{path}") as county:
        county.import_files(
            [("veterans", edits / "veterans.csv"), ("visits", edits / "visits.csv")],
            today=DAY,
        )
    return path


def test_a_county_file_comes_back_as_its_submission(url: str, county_file: Path):
    with vs.open(url, actor="市管理员") as city:
        result = city.merge(county_file, sha256=file_digest(county_file), today=DAY)
        assert (result.total("added"), result.total("updated")) == (1, 1)
        assert [v.name for v in city.records("veterans")] == ["宝甲甲", "延甲"]
        # The county renamed on DAY (no 生效日期): the city keeps the old name
        # in force until the day before.
        before = city.list_records(
            "veterans", as_of=DAY - dt.timedelta(days=1), show_pii=True
        )
        assert [row[1] for row in before.rows] == ["宝甲", "延甲"]
        sent = {(s.unit_code, s.kind, s.period, s.via) for s in city.submissions()}
        assert (BAOTA, "visits", "2026-11", "merge") in sent
        entry = city.audit(command="merge")[0]
        assert (entry.command, entry.file_sha256) == (
            f"merge {BAOTA}",
            file_digest(county_file),
        )


def test_a_changed_file_or_the_wrong_county_is_refused(url: str, county_file: Path):
    with vs.open(url) as city:
        before = city.counts()
        with pytest.raises(ValidationError, match="SHA-256"):
            city.merge(county_file, sha256="0" * 64)
        with pytest.raises(ValidationError, match=YANCHANG):
            city.merge(county_file, sha256=file_digest(county_file), unit=YANCHANG)
        assert city.counts() == before
    with vs.open(url, scope=YANCHANG) as other, pytest.raises(OutOfScopeError):
        other.merge(county_file, sha256=file_digest(county_file))


def test_a_row_outside_the_county_refuses_the_whole_file(url: str, county_file: Path):
    engine = sa.create_engine(f"sqlite:///{county_file}")
    with engine.begin() as conn:  # a hand-edited file: 延甲 moved into it
        conn.execute(
            sa.text(
                "INSERT INTO veterans (id_number, name, unit_code) VALUES (:i, '延甲', :u)"
            ),
            {"i": Y1, "u": QLCS},
        )
    engine.dispose()
    with vs.open(url) as city:
        before = city.counts()
        with pytest.raises(ImportRejected) as e:
            city.merge(county_file, sha256=file_digest(county_file))
        assert any(
            QLCS in p.render("zh") and "权限范围" in p.render("zh")
            for p in e.value.problems
        )
        assert city.counts() == before
        assert [v.name for v in city.records("veterans")] == ["宝甲", "延甲"]


def test_a_signed_off_period_refuses_the_county_file_that_would_change_it(
    url: str, county_file: Path
):
    # 宝塔区's leader signed November off at the city; the file adds a visit
    # on 5 November: refused whole, naming who signed, nothing written.
    with vs.open(url, scope=BAOTA, actor="宝塔区领导") as leader:
        signed = leader.sign_off(BAOTA, "2026-11")
    at = signed.at.strftime("%Y-%m-%d %H:%M")
    with vs.open(url, actor="市管理员") as city:
        before = city.counts()
        with pytest.raises(ImportRejected) as e:
            city.merge(county_file, sha256=file_digest(county_file), today=DAY)
        # The file's visits in key order: row 2 is 1 July (unchanged), row 3
        # the new 5 November.
        assert [p.render("zh") for p in e.value.problems] == [
            f"visits.csv 第 3 行“走访日期”列：{BAOTA} 2026-11 已由 宝塔区领导 于 {at} "
            "审核锁定，这一行会改变该期数字，不能写入"
        ]
        assert city.counts() == before
        assert [v.name for v in city.records("veterans")] == ["宝甲", "延甲"]
        assert not city.submissions()
        # Reopened by the city, the same file goes in.
        city.reopen(BAOTA, "2026-11", note="合并宝塔区上报")
        result = city.merge(county_file, sha256=file_digest(county_file), today=DAY)
        assert (result.total("added"), result.total("updated")) == (1, 1)


def test_cli_merge_reads_the_digest_beside_the_file(url: str, county_file: Path):
    runner = CliRunner()
    missing = runner.invoke(cli, ["--db", url, "merge", str(county_file)])
    assert missing.exit_code == 2 and "sha256" in missing.output.lower()
    Path(f"{county_file}.sha256").write_text(
        f"{file_digest(county_file)}  baota.db\n", encoding="utf-8"
    )
    done = runner.invoke(
        cli, ["--db", url, "merge", str(county_file), "--today", "2026-12-03"]
    )
    assert done.exit_code == 0, done.output
    assert "visits.csv" in done.output
