"""Every record kind imports from hand-made CSV and XLSX files and reads back equal."""

from __future__ import annotations

import csv
import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from fixtures import ALL_ROWS as ROWS
from fixtures import RECORDS as FIXTURES
from fixtures import SEED_RECORDS, ledger

import vetservice as vs
from vetservice.domain import KINDS
from vetservice.domain import enums as E
from vetservice.imports.headers import header_aliases, normalise_header
from vetservice.imports.importer import guess_kind
from vetservice.imports.rules import RULES, rules_of
from vetservice.testing import FIXTURE_TODAY as TODAY


def all_files(folder: Path | None = None, suffix: str = ".csv") -> list[tuple[str, Path]]:
    # Given in reverse order on purpose: the importer sorts them by dependency.
    if folder is None:
        return [(kind, ledger(kind)) for kind in reversed(list(KINDS))]
    return [(kind, folder / f"{kind}{suffix}") for kind in reversed(list(KINDS))]


@pytest.fixture
def loaded(db: vs.Database) -> vs.Database:
    result = db.import_files(all_files(), today=TODAY)
    assert {f.kind: f.added for f in result.files} == ROWS
    return db


def test_every_kind_counts(loaded: vs.Database):
    assert loaded.counts() == ROWS
    assert set(ROWS) == set(KINDS)


def test_values_read_back_as_written(loaded: vs.Database):
    unit = loaded.unit("610621100000")
    assert (unit.level, unit.kind, unit.parent_code) == (E.Level.TOWNSHIP, E.UnitKind.TOWN, "610621000000")
    station = loaded.records("stations", unit_code="610602100000")[0]
    assert station.established_on == dt.date(2021, 5, 5)
    assert (station.dedicated_space, station.has_support, station.model) == (False, False, None)
    assert loaded.records("stations", unit_code="610602001000")[0].model is E.StationModel.CITY
    inspection = loaded.records("environment", unit_code="610602100000")[0]
    assert (inspection.service_norms, inspection.hero_portraits, inspection.remarks) == (False, False, True)
    staff = loaded.records("staff", person_id="S003")[0]
    assert (staff.role, staff.full_time, staff.other_duties, staff.ended_on) == (
        E.StaffRole.STAFF, True, True, dt.date(2027, 6, 30))
    veteran = loaded.records("veterans", id_number="61260119781105005X")[0]  # x normalised
    assert (veteran.gender, veteran.phone, veteran.in_volunteer_team) == (E.Gender.MALE, "0911-2345678", True)
    young = loaded.records("veterans", id_number="610602199907090068")[0]
    assert (young.birth_date, young.phone, young.party_member, young.branch_enrolled) == (
        dt.date(1999, 7, 9), "13912345678", True, False)
    activity = loaded.records("activities", unit_code="610602100000")[0]
    assert activity.tags == ("红色资源", "植树") and activity.type is E.ActivityType.VOLUNTEER
    assert loaded.records("activities", unit_code="610602000000")[0].tags == ("红色资源", "党史")
    entries = {e.entry_no: e for e in loaded.records("care_fund_entries")}
    assert entries["JJ-001"].amount == Decimal("1234.50")
    assert entries["JJ-002"].amount == Decimal("1000.00") and entries["JJ-002"].kind is E.FundEntryKind.GRANT
    assert all(isinstance(e.amount, Decimal) for e in entries.values())
    payments = loaded.records("benefit_payments")
    assert [(p.month, p.amount) for p in payments] == [
        ("2026-01", Decimal("2310.00")), ("2026-02", Decimal("2310.00")), ("2026-01", Decimal("900.50"))]
    hardship = loaded.records("hardship", id_number="612621195801010093")[0]
    assert hardship.difficulty == (E.Difficulty.ILLNESS, E.Difficulty.DISABILITY)
    petition = loaded.records("petitions", case_no="YA2026-0001")[0]
    assert petition.handling == (E.Handling.RECEPTION, E.Handling.APPOINTMENT)
    assert petition.resolution == (E.Resolution.POLICY, E.Resolution.CARE)
    group = loaded.records("petitions", case_no="YA2026-0002")[0]
    assert (group.id_number, group.group, group.decision, group.effective_decision) == (
        None, True, None, E.Decision.ACCEPTED)


def test_reimport_changes_nothing(loaded: vs.Database):
    again = loaded.import_files(all_files(), today=TODAY)
    assert again.total("added") == again.total("updated") == 0
    assert again.total("unchanged") == sum(ROWS.values())


def test_a_corrected_ledger_fixes_the_mistake(loaded: vs.Database, tmp_path: Path):
    text = (FIXTURES / "veterans.csv").read_text(encoding="utf-8")
    # 李保国 moves to 李渠村 and his phone is cleared.
    fixed = text.replace("S003,2019-05-01,2019-06-01,13812345678", "S003,2019-05-01,2019-06-01,")
    fixed = fixed.replace("1965-03-12,610602001001", "1965-03-12,610602100001")
    path = tmp_path / "veterans.csv"
    path.write_text(fixed, encoding="utf-8")
    result = loaded.import_file("veterans", path, today=TODAY)
    assert (result.total("added"), result.total("updated"), result.total("unchanged")) == (0, 1, 4)
    veteran = loaded.records("veterans", id_number="612601196503120031")[0]
    assert (veteran.unit_code, veteran.phone) == ("610602100001", None)


def _to_xlsx(csv_path: Path, xlsx_path: Path) -> None:
    from openpyxl import Workbook

    kind = KINDS[csv_path.stem]
    with csv_path.open(encoding="utf-8") as f:
        rows = list(csv.reader(f))
    aliases = header_aliases(kind)
    book = Workbook()
    sheet = book.active
    sheet.append(rows[0])
    for row in rows[1:]:
        cells: list[object] = []
        for header, value in zip(rows[0], row, strict=True):
            field = kind.field(aliases[normalise_header(header)])
            if field.type.name == "date" and value and value[:4].isdigit() and "-" in value:
                cells.append(dt.datetime.fromisoformat(value))  # a real Excel date cell
            elif field.type.name == "int" and value:
                cells.append(int(value))
            else:
                cells.append(value or None)
        sheet.append(cells)
    book.save(xlsx_path)


def test_xlsx_imports_the_same(db: vs.Database, tmp_path: Path):
    for kind in KINDS:
        _to_xlsx(ledger(kind), tmp_path / f"{kind}.xlsx")
    db.import_files(all_files(tmp_path, ".xlsx"), today=TODAY)
    with vs.open(f"sqlite:///{tmp_path / 'from-csv.db'}") as reference:
        reference.import_files(all_files(), today=TODAY)
        for kind in KINDS:
            assert db.records(kind) == reference.records(kind), kind


@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "utf-8-sig"])
def test_chinese_encodings(db: vs.Database, tmp_path: Path, encoding: str):
    db.import_file("units", FIXTURES / "units.csv", today=TODAY)
    path = tmp_path / "veterans.csv"
    path.write_bytes((FIXTURES / "veterans.csv").read_text(encoding="utf-8").encode(encoding))
    db.import_files([("staff", FIXTURES / "staff.csv"), ("veterans", path)], today=TODAY)
    assert sorted(v.name for v in db.records("veterans")) == sorted(
        ["李保国", "王志刚", "张小燕", "陈德胜", "刘小军"]
    )


def test_delete_by_key_and_refuse_while_named(loaded: vs.Database, tmp_path: Path):
    keys = tmp_path / "delete.csv"
    keys.write_text("身份证号,走访日期,走访事由\n612621195801010093,2026-05-06,生病住院\n", encoding="utf-8")
    assert loaded.delete_file("visits", keys).total("deleted") == 1
    assert loaded.count("visits") == 2
    veteran = tmp_path / "veteran.csv"
    veteran.write_text("身份证号\n612601196503120031\n", encoding="utf-8")
    with pytest.raises(vs.ImportRejected) as caught:
        loaded.delete_file("veterans", veteran)
    assert any("走访慰问" in p.render() for p in caught.value.problems)
    assert loaded.count("veterans") == 5
    missing = tmp_path / "missing.csv"
    missing.write_text("区划代码\n610699999999\n", encoding="utf-8")
    with pytest.raises(vs.ImportRejected):
        loaded.delete_file("stations", missing)


def test_the_fixture_folder_is_complete():
    # gbk_veterans.csv is the GBK twin of veterans.csv, not a kind of its own.
    files = [*FIXTURES.glob("*.csv"), *SEED_RECORDS.glob("*.csv")]
    kinds = sorted(p.stem for p in files if not p.stem.startswith("gbk_"))
    assert kinds == sorted(KINDS)


@pytest.mark.parametrize(
    ("file_name", "kind"),
    [
        ("区划.xlsx", "units"),
        ("吴起县单位.csv", "units"),
        ("veterans.xlsx", "veterans"),
        ("退役军人台账.xlsx", "veterans"),
        ("困难退役军人家庭台账.xlsx", "hardship"),
        ("优抚金发放.xlsx", "benefit_payments"),
        ("优抚对象.xlsx", "benefit_recipients"),
        ("关爱基金收支2026.xlsx", "care_fund_entries"),
        ("关爱基金.xlsx", "care_funds"),
        ("服务中心（站）.xlsx", "stations"),
    ],
)
def test_import_auto_tells_the_kind_from_the_file_name(file_name: str, kind: str):
    assert guess_kind(file_name) == kind


def test_a_file_name_naming_no_kind_is_refused():
    with pytest.raises(vs.ValidationError, match="请指明种类"):
        guess_kind("站点.xlsx")


def test_the_rules_per_kind_name_kinds_and_cover_every_reference():
    # imports/rules.py is keyed by kind name: a typo there would silently
    # switch a kind's rules off, and a reference to a kind without a message
    # for a missing row would fail at the first bad row.
    assert set(RULES) <= set(KINDS)
    references = [
        ref
        for kind in KINDS.values()
        for ref in (*kind.references, *rules_of(kind.name).checked_after_write)
    ]
    assert all(ref.target in KINDS for ref in references)
    assert all(rules_of(ref.target).missing for ref in references)
