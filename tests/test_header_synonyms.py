"""The headers clerks really write: declared with the kinds, never ambiguous."""

from __future__ import annotations

from pathlib import Path

import pytest

import vetservice as vs
from vetservice.domain import KINDS, RecordKind
from vetservice.imports.headers import header_aliases, normalise_header
from vetservice.testing import SMALL_HIERARCHY, load_records

LI = "612601196503120031"


def spellings(kind: RecordKind) -> dict[str, set[str]]:
    """Every field's accepted headers, normalised as the importer compares them."""
    result = {}
    for f in kind.fields:
        written = {f.name, f.zh, f.zh.split("（")[0], *f.aliases}
        result[f.name] = {normalise_header(s) for s in written}
    return result


@pytest.mark.parametrize("kind", KINDS.values(), ids=list(KINDS))
def test_no_header_names_two_fields_of_a_kind(kind: RecordKind):
    owner: dict[str, str] = {}
    for name, written in spellings(kind).items():
        for spelling in written:
            assert owner.setdefault(spelling, name) == name, (
                f"{kind.name}: '{spelling}' names both {owner[spelling]} and {name}"
            )


@pytest.mark.parametrize("kind", KINDS.values(), ids=list(KINDS))
def test_every_declared_spelling_is_accepted(kind: RecordKind):
    aliases = header_aliases(kind)
    for name, written in spellings(kind).items():
        for spelling in written:
            assert aliases[spelling] == name


@pytest.mark.parametrize(
    ("kind", "header", "field"),
    [
        ("veterans", "身份证号码", "id_number"),
        ("veterans", "公民身份号码", "id_number"),
        ("veterans", "身份证", "id_number"),
        ("visits", "公民身份号码", "id_number"),
        ("petitions", "身份证号码", "id_number"),
        ("veterans", "联系电话", "phone"),
        ("veterans", "手机号", "phone"),
        ("veterans", "手机号码", "phone"),
        ("veterans", "电话", "phone"),
        ("veterans", "姓 名", "name"),
        ("veterans", "村(社区)代码", "unit_code"),
        ("veterans", "所属村（社区）代码", "unit_code"),
        ("veterans", "出生年月日", "birth_date"),
        ("veterans", "退役时间", "discharged_on"),
        ("veterans", "退伍时间", "discharged_on"),
        ("veterans", "是否党员", "party_member"),
        ("stations", "是否独立场所", "dedicated_space"),
        ("petitions", "受理日期", "accepted_on"),
        ("petitions", "受理", "accepted_on"),  # the header before its brackets
        ("petitions", "办结时间", "closed_on"),
        ("benefit_recipients", "优抚对象类别", "category"),
        ("units", "行政区划代码", "code"),
    ],
)
def test_the_spellings_clerks_use(kind: str, header: str, field: str):
    assert header_aliases(KINDS[kind])[normalise_header(header)] == field


@pytest.mark.parametrize(
    ("kind", "header"),
    [
        # Holds the village's name, not its code: still an unknown column.
        ("veterans", "所属村（社区）"),
        # No field of the contract holds it.
        ("veterans", "入伍时间"),
        # 出生年月 is a month (1965.03); the field is a date.
        ("veterans", "出生年月"),
    ],
)
def test_headers_that_would_mislead_stay_unknown(kind: str, header: str):
    assert normalise_header(header) not in header_aliases(KINDS[kind])


def test_a_ledger_with_clerks_headers_imports(db: vs.Database, tmp_path: Path):
    load_records(db, {"units": SMALL_HIERARCHY})
    path = tmp_path / "veterans.csv"
    path.write_text(
        "公民身份号码,姓 名,村(社区)代码,手机号码,退役时间,是否党员\n"
        f"{LI},李保国,610602001001,13812345678,1985-10-01,是\n",
        encoding="utf-8",
    )
    db.import_file("veterans", path)
    (veteran,) = db.records("veterans")
    assert (veteran.id_number, veteran.phone, veteran.party_member) == (
        LI,
        "13812345678",
        True,
    )
    assert veteran.discharged_on.isoformat() == "1985-10-01"


def test_the_template_notes_list_the_other_headers(tmp_path: Path):
    from openpyxl import load_workbook

    from vetservice.imports.templates import write_template

    path = write_template("veterans", tmp_path / "退役军人.xlsx")
    notes = load_workbook(path).worksheets[1]
    header = [c.value for c in notes[1]]
    assert header[-1] == "也认的表头"
    rows = {row[0]: row[-1] for row in notes.iter_rows(min_row=2, values_only=True)}
    assert "公民身份号码" in rows["身份证号"].split("、")
