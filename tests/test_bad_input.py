"""Every kind of bad input a clerk's file can hold, through ``vetservice import``.

Each row of :data:`CASES` is one kind of bad input with its expected outcome
and why. A refused file exits with code 2, names the row, column and reason
in Chinese (where there is one) and leaves every table exactly as it was —
audit_log and the private tables included, compared row by row. Some inputs
are accepted by design (a byte-order mark, a GBK file, a mobile written with
dashes, SQL metacharacters in a name): they exit 0 and change only their own
rows. ``tests/test_import_errors.py`` covers more value rules through the
library; this table covers the issue's list end to end through the CLI.

Also here: a 100 MB file (refused in seconds, in a few MB of memory), and
that the exports (report XLSX and HTML, the import template) keep hostile
text inert.
"""

from __future__ import annotations

import io
import os
import re
import time
import tracemalloc
import uuid
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest
import sqlalchemy as sa
from click.testing import CliRunner
from openpyxl import Workbook, load_workbook

import vetservice as vs
from vetservice.domain import KINDS
from vetservice.imports import readers
from vetservice.store import TABLES
from vetservice.testing import SMALL_HIERARCHY, id_number, load_records
from vetservice_cli.main import cli

TODAY = "2026-11-28"
V1 = "612601196503120031"  # 李保国, male, born 1965-03-12
VX = "61260119780104123X"  # male, born 1978-01-04, check character X
FUTURE_BORN = id_number("612601", "20300101", 5)
FUND = "基金所属县区代码,凭证号,日期,收支类型,金额,捐赠方或受助人\n"
VETERANS = "身份证号,姓名,现居村社区代码\n"
RECIPIENTS = "身份证号,姓名,现居村社区代码,优抚类别,月发放标准,起始日期\n"

BASE = {
    "units": SMALL_HIERARCHY,
    "staff": "人员编号,区划代码,姓名,角色\nS1,610602001000,张强,工作人员\n",
    "veterans": f"{VETERANS}{V1},李保国,610602001001\n",
    "care_funds": "区划代码,成立日期\n610602000000,2020-01-01\n",
}


# ---------------------------------------------------------------------------
# What the database holds: every table, every row.


_REFLECTED: dict[tuple[str, tuple[str, ...]], sa.MetaData] = {}


def dump_tables(engine: sa.Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every table of the database (audit_log, unit_closure and alembic_version
    included) as its rows, sorted, so two dumps compare equal only when no
    row was added, removed or changed anywhere."""
    with engine.connect() as conn:
        names = tuple(sorted(sa.inspect(conn).get_table_names()))
        key = (str(engine.url), names)
        if key not in _REFLECTED:
            metadata = sa.MetaData()
            metadata.reflect(conn, only=names)
            _REFLECTED[key] = metadata
        tables = _REFLECTED[key].tables
        return {
            name: sorted(
                (tuple(r) for r in conn.execute(sa.select(tables[name]))), key=repr
            )
            for name in names
        }


# ---------------------------------------------------------------------------
# The cases.

Content = bytes | Callable[[Path], None]


@attrs.frozen
class Case:
    """One kind of bad input and what must happen to it.

    ``where`` is the location the Chinese message must start with (``""`` for
    the file alone, ``"第 3 行"``, ``"第 2 行“姓名”列"``); ``words`` must be in
    the reason. An accepted case names the ``stored`` row it must leave.
    ``storage`` marks the cases whose outcome depends on the database (found
    by querying it, or written to it); they run on PostgreSQL as well.
    """

    id: str
    kind: str
    content: Content
    why: str
    refused: bool = True
    where: str = ""
    words: str = ""
    name: str = ""  # the file's name, else <kind>.csv
    stored: tuple[str, dict[str, Any]] | None = None
    storage: bool = False

    @property
    def file_name(self) -> str:
        return self.name or f"{self.kind}.csv"


def refused(
    id: str, kind: str, content: Content, where: str, words: str, why: str, **kw: Any
) -> Case:
    return Case(id, kind, content, why, True, where, words, **kw)


def accepted(
    id: str,
    kind: str,
    content: Content,
    stored: tuple[str, dict[str, Any]],
    why: str,
    **kw: Any,
) -> Case:
    return Case(id, kind, content, why, False, stored=stored, storage=True, **kw)


def utf8(text: str) -> bytes:
    return text.encode("utf-8")


def xlsx(rows: list[list[Any]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def truncated_xlsx() -> bytes:
    whole = xlsx([["区划代码", "建成日期"], ["610602000000", "2020-01-01"]])
    return whole[: len(whole) // 2]


def row(n: int, column: str = "") -> str:
    return f"第 {n} 行“{column}”列" if column else f"第 {n} 行"


CASES = [
    # -- encodings and what a file is ------------------------------------------
    refused(
        "utf16 without BOM",
        "units",
        "区划代码,名称,层级\n9001,甲,city\n".encode("utf-16-le"),
        "",
        "不带字节序标记（BOM）的 UTF-16",
        "no program a clerk uses writes it; guessing would garble the names",
        storage=True,
    ),
    refused(
        "big5 read as GBK",
        "units",
        "區劃代碼,名稱,層級\n9001,甲,city\n".encode("big5"),
        row(1),
        "没有一列",
        "Big5 bytes decode as GB18030 into nonsense: no header matches, and the "
        "message says to check the encoding",
    ),
    refused(
        "latin-1",
        "units",
        "区划代码,名称,层级\n9001,café,city\n".encode().replace("é".encode(), b"\xe9"),
        "",
        "既不是 UTF-8 也不是 GBK",
        "bytes that are neither UTF-8 nor GBK: refused, never imported half-decoded",
    ),
    accepted(
        "utf-8 with BOM",
        "stations",
        b"\xef\xbb\xbf" + utf8("区划代码,建成日期\n610602000000,2020-01-01\n"),
        ("stations", {"unit_code": "610602000000"}),
        "Excel's 'CSV UTF-8' writes a BOM (records.md): accepted",
    ),
    accepted(
        "two BOMs",
        "stations",
        b"\xef\xbb\xbf\xef\xbb\xbf"
        + utf8("区划代码,建成日期\n610621000000,2021-01-01\n"),
        ("stations", {"unit_code": "610621000000"}),
        "a file saved twice with a BOM keeps one in its first header; invisible in "
        "Excel, so the header still counts",
    ),
    accepted(
        "GBK",
        "staff",
        "人员编号,区划代码,姓名,角色\nS2,610602001000,王芳,工作人员\n".encode("gbk"),
        ("staff", {"person_id": "S2", "name": "王芳"}),
        "Chinese Excel saves CSV as GBK by default (records.md): accepted",
    ),
    accepted(
        "utf-16 text with tabs",
        "staff",
        "人员编号\t区划代码\t姓名\t角色\nS3\t610602001000\t赵敏\t工作人员\n".encode(
            "utf-16"
        ),
        ("staff", {"person_id": "S3", "name": "赵敏"}),
        "Excel's 'Unicode text' is UTF-16 with a BOM, tab-separated: accepted",
    ),
    refused(
        "binary",
        "units",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)),
        "",
        "二进制数据",
        "a picture renamed .csv",
    ),
    refused(
        "xlsx named .csv",
        "stations",
        xlsx([["区划代码"], ["610602000000"]]),
        "",
        "把扩展名改为 .xlsx",
        "the bytes are a workbook; the message says how to fix the name",
    ),
    refused(
        "csv named .xlsx",
        "stations",
        utf8("区划代码\n610602000000\n"),
        "",
        "把扩展名改为 .csv",
        "the bytes are text; the message says how to fix the name",
        name="stations.xlsx",
    ),
    refused(
        "xls or password-protected xlsx",
        "stations",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512),
        "",
        "设有密码的工作簿",
        "an OLE container: an old .xls, or an encrypted .xlsx; openpyxl reads neither",
        name="stations.xlsx",
    ),
    refused(
        "truncated xlsx",
        "stations",
        truncated_xlsx(),
        "",
        "不是可读取的 XLSX 工作簿",
        "a download cut short",
        name="stations.xlsx",
    ),
    refused(
        ".xls suffix",
        "stations",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512),
        "",
        "另存为 .xlsx",
        "openpyxl reads no .xls; the message says to save it again",
        name="stations.xls",
    ),
    refused(
        "empty file",
        "units",
        b"",
        "",
        "文件是空的",
        "nothing to import is an error, not a silent success",
    ),
    refused(
        "blank lines and a BOM",
        "units",
        b"\xef\xbb\xbf\r\n \r\n,,\r\n",
        "",
        "文件是空的",
        "blank lines and empty cells are no header",
    ),
    refused(
        "only headers",
        "units",
        utf8("区划代码,名称,层级\n"),
        row(1),
        "只有表头",
        "an export of an empty sheet: refused so the clerk notices",
    ),
    refused(
        "xlsx with only headers",
        "stations",
        xlsx([["区划代码", "建成日期"]]),
        row(1),
        "只有表头",
        "the same in a workbook",
        name="stations.xlsx",
    ),
    # -- headers and columns ------------------------------------------------------
    refused(
        "unknown column",
        "veterans",
        utf8(f"身份证号,姓名,现居村社区代码,籍贯\n{V1},李保国,610602001001,陕西\n"),
        row(1),
        "无法识别的列：籍贯",
        "extra columns are an error that names them (records.md)",
    ),
    refused(
        "another kind's file",
        "units",
        utf8(f"{VETERANS}{V1},李保国,610602001001\n"),
        row(1),
        "没有一列（身份证号、姓名、现居村社区代码）",
        "veterans imported as units: one message instead of a list of unknown "
        "and missing columns",
    ),
    accepted(
        "title row above the header",
        "units",
        utf8("延安市区划表,,\n区划代码,名称,层级\n9001,甲,city\n"),
        ("units", {"code": "9001", "name": "甲"}),
        "a title above the header is how clerks lay ledgers out: the header is "
        "found below it and the title skipped (tests/test_ledger_layouts.py)",
    ),
    refused(
        "missing column",
        "veterans",
        utf8(f"身份证号,姓名\n{V1},李保国\n"),
        row(1),
        "缺少必填列：现居村社区代码",
        "a required column is missing",
    ),
    refused(
        "duplicated column",
        "veterans",
        utf8(f"身份证号,姓名,姓名,现居村社区代码\n{V1},李保国,李保国,610602001001\n"),
        row(1, "姓名"),
        "出现了两次",
        "two columns for one field: which one counts is unclear",
    ),
    refused(
        "semicolon-separated",
        "units",
        utf8("区划代码;名称;层级\n9001;甲;city\n"),
        row(1),
        "没有一列",
        "Chinese Excel writes commas; a semicolon file is one column of nonsense",
    ),
    refused(
        "more cells than headers",
        "veterans",
        utf8(f"{VETERANS}{V1},李保国,610602001001,多出来的\n"),
        row(2),
        "单元格比表头多",
        "a cell under no header is data that would be lost",
    ),
    refused(
        "fewer cells than headers",
        "veterans",
        utf8(f"{VETERANS}{V1},李保国\n"),
        row(2, "现居村社区代码"),
        "必填，但为空",
        "a short row leaves a required cell empty",
    ),
    # -- broken CSV -----------------------------------------------------------------
    refused(
        "unclosed quote",
        "veterans",
        utf8(f'{VETERANS}{V1},"李保国,610602001001\n'),
        row(2),
        "没有结束引号",
        "the rest of the file would be one cell",
    ),
    refused(
        "stray quote",
        "veterans",
        utf8(f'{VETERANS}{V1},"李"保国,610602001001\n'),
        row(2),
        "引号要写成两个",
        "a quote in the middle of a quoted cell is ambiguous",
    ),
    refused(
        "a 200,000-character cell",
        "veterans",
        utf8(f"{VETERANS}{V1},{'李' * 200_000},610602001001\n"),
        row(2),
        "超过 131072 个字符",
        "no cell of a ledger is that long (Excel stops at 32,767)",
    ),
    refused(
        "NUL byte",
        "veterans",
        utf8(f"{VETERANS}{V1},李保国,610602001001\n") + b"\x00\n",
        "",
        "二进制数据",
        "NUL never occurs in CSV text",
    ),
    # -- id numbers, codes, phones --------------------------------------------------
    refused(
        "bad check digit",
        "veterans",
        utf8(f"{VETERANS}612601196503120032,李保国,610602001001\n"),
        row(2, "身份证号"),
        "身份证号“612601********0032”校验位错误",
        "GB 11643 check digit; the message masks the number",
        storage=True,
    ),
    refused(
        "id number cut short by Excel",
        "veterans",
        utf8(f"{VETERANS}6.12601E+17,李保国,610602001001\n"),
        row(2, "身份证号"),
        "科学计数法",
        "Excel shows 18 digits as 6.12601E+17 and saves that: the digits are lost",
    ),
    refused(
        "id number born in the future",
        "veterans",
        utf8(f"{VETERANS}{FUTURE_BORN},李保国,610602001001\n"),
        row(2, "身份证号"),
        "出生日期 2030-01-01 晚于今天",
        "a valid check digit does not make a birth date after today possible",
    ),
    accepted(
        "id number in full-width digits with spaces",
        "veterans",
        utf8(
            f"{VETERANS}６１２６０１\u00a0１９６５０３１２\u3000００３１,李保国,610602001001\n"
        ),
        ("veterans", {"id_number": V1}),
        "a Chinese input method in full-width mode, grouped for reading: the same "
        "number (it matches the existing veteran, nothing new is added)",
    ),
    refused(
        "code with letters",
        "stations",
        utf8("区划代码\n61060200000O\n"),
        row(2, "区划代码"),
        "只能是数字",
        "a letter O for a zero: division codes are digits",
    ),
    refused(
        "code cut short by Excel",
        "stations",
        utf8("区划代码\n6.10602E+11\n"),
        row(2, "区划代码"),
        "科学计数法",
        "Excel shows 12 digits as 6.10602E+11 and saves that",
    ),
    accepted(
        "mobile with dashes",
        "veterans",
        utf8(
            f"身份证号,姓名,现居村社区代码,联系电话\n{V1},李保国,610602001001,138-1234-5678\n"
        ),
        ("veterans", {"id_number": V1, "phone": "13812345678"}),
        "how people write a mobile; kept as its 11 digits",
    ),
    refused(
        "phone too short",
        "veterans",
        utf8(
            f"身份证号,姓名,现居村社区代码,联系电话\n{V1},李保国,610602001001,138-1234-567\n"
        ),
        row(2, "联系电话"),
        "不是有效的手机号",
        "ten digits are no mobile number",
    ),
    # -- dates ------------------------------------------------------------------------
    refused(
        "impossible date",
        "stations",
        utf8("区划代码,建成日期\n610602000000,2026-02-30\n"),
        row(2, "建成日期"),
        "不是真实存在的日期",
        "30 February",
    ),
    refused(
        "future date",
        "stations",
        utf8("区划代码,建成日期\n610602000000,2027-01-01\n"),
        row(2, "建成日期"),
        "晚于今天",
        "an event date after the import day (decisions.md)",
    ),
    refused(
        "year typo",
        "stations",
        utf8("区划代码,建成日期\n610602000000,0202-05-01\n"),
        row(2, "建成日期"),
        "早于 1900 年",
        "0202 for 2022: no record of the service predates 1900",
    ),
    refused(
        "not a date",
        "stations",
        utf8("区划代码,建成日期\n610602000000,去年五月\n"),
        row(2, "建成日期"),
        "不是日期",
        "words are no date",
    ),
    # -- money and counts ---------------------------------------------------------------
    refused(
        "negative money",
        "care_fund_entries",
        utf8(f"{FUND}610602000000,J1,2026-01-01,捐赠收入,-5,某公司\n"),
        row(2, "金额"),
        "为负数",
        "money > 0 (records.md)",
    ),
    refused(
        "three decimals",
        "care_fund_entries",
        utf8(f"{FUND}610602000000,J1,2026-01-01,捐赠收入,5.005,某公司\n"),
        row(2, "金额"),
        "超过两位小数",
        "yuan with at most two decimals (records.md)",
    ),
    refused(
        "minus zero for a fund entry",
        "care_fund_entries",
        utf8(f"{FUND}610602000000,J1,2026-01-01,捐赠收入,-0,某公司\n"),
        row(2, "金额"),
        "必须大于零",
        "-0 is zero, and a fund entry of zero is refused",
    ),
    accepted(
        "minus zero standard",
        "benefit_recipients",
        utf8(f"{RECIPIENTS}{V1},李保国,610602001001,残疾军人,-0,2025-01-01\n"),
        ("benefit_recipients", {"id_number": V1, "monthly_standard": 0}),
        "-0 is zero: stored as 0 fen and written out 0.00, never -0.00",
    ),
    refused(
        "an id number in the amount column",
        "care_fund_entries",
        utf8(f"{FUND}610602000000,J1,2026-01-01,捐赠收入,{V1},某公司\n"),
        row(2, "金额"),
        "过大",
        "no amount comes near a billion yuan; it would overflow the column",
        storage=True,
    ),
    refused(
        "count too large",
        "stations",
        utf8("区划代码,编制数\n610602000000,99999999999\n"),
        row(2, "编制数"),
        "作为数量过大",
        "a code typed as a count; PostgreSQL's integer column would overflow",
        storage=True,
    ),
    refused(
        "Excel error value",
        "veterans",
        utf8(f"{VETERANS}{V1},#N/A,610602001001\n"),
        row(2, "姓名"),
        "Excel 错误值 #N/A",
        "a failed VLOOKUP is no name",
    ),
    # -- enums, references, keys, the hierarchy ------------------------------------------
    refused(
        "unknown enum value",
        "staff",
        utf8("人员编号,区划代码,姓名,角色\nS9,610602001000,王芳,队长\n"),
        row(2, "角色"),
        "不是可选值之一",
        "only the listed roles; the message lists them",
    ),
    refused(
        "unknown unit",
        "stations",
        utf8("区划代码\n610602999000\n"),
        row(2, "区划代码"),
        "没有区划代码为 610602999000 的单位",
        "every unit_code must name a unit (records.md)",
        storage=True,
    ),
    refused(
        "parent at the wrong level",
        "units",
        utf8("区划代码,名称,层级,上级代码\n610602001009,丙村,village,610602000000\n"),
        row(2, "上级代码"),
        "上级必须是“乡镇街道”级",
        "a village's parent is a township",
        storage=True,
    ),
    refused(
        "cycle in the hierarchy",
        "units",
        utf8(
            "区划代码,名称,层级,上级代码\n"
            "610603000000,甲区,county,610603001000\n"
            "610603001000,甲街道,township,610603000000\n"
        ),
        row(2, "上级代码"),
        "上级必须是“市”级",
        "two units naming each other: the parent-one-level-up rule breaks every "
        "cycle; before the fix the closure refresh crashed on it",
        storage=True,
    ),
    refused(
        "its own parent",
        "units",
        utf8("区划代码,名称,层级,上级代码\n610602001009,丙村,village,610602001009\n"),
        row(2, "上级代码"),
        "不能是它自己",
        "the shortest cycle",
        storage=True,
    ),
    refused(
        "duplicate key in the file",
        "care_fund_entries",
        utf8(
            f"{FUND}610602000000,J1,2026-01-01,捐赠收入,5,某公司\n"
            "610602000000,J1,2026-01-02,捐赠收入,6,某公司\n"
        ),
        row(3),
        "与 care_fund_entries.csv 第 2 行重复",
        "which of the two rows counts would be a guess",
        storage=True,
    ),
    refused(
        "duplicate key spelled differently",
        "veterans",
        utf8(f"{VETERANS}{VX.lower()},甲,610602001001\n{VX},乙,610602001001\n"),
        row(3),
        "第 2 行重复",
        "x and X are one id number once normalised",
        storage=True,
    ),
    # -- formulas, markup, SQL -------------------------------------------------------------
    refused(
        "DDE formula",
        "care_fund_entries",
        utf8(f"{FUND}610602000000,J1,2026-01-01,捐赠收入,5,\"=cmd|' /C calc'!A0\"\n"),
        row(2, "捐赠方或受助人"),
        "以公式符号开头",
        "Excel would run it when an export is opened",
    ),
    refused(
        "plus formula",
        "veterans",
        utf8(f"{VETERANS}{V1},+cmd|' /C calc'!A0,610602001001\n"),
        row(2, "姓名"),
        "以公式符号开头",
        "+ starts a formula in Excel",
    ),
    refused(
        "at formula",
        "veterans",
        utf8(f"{VETERANS}{V1},@SUM(1+1)*cmd|' /C calc'!A0,610602001001\n"),
        row(2, "姓名"),
        "以公式符号开头",
        "@ starts a formula in Excel",
    ),
    refused(
        "minus formula",
        "veterans",
        utf8(f"{VETERANS}{V1},-2+3+cmd|' /C calc'!A0,610602001001\n"),
        row(2, "姓名"),
        "以公式符号开头",
        "a minus followed by a digit used to pass; only a plain number may start "
        "with one now",
    ),
    refused(
        "tab then formula",
        "veterans",
        utf8(f'{VETERANS}{V1},"\t=1+1",610602001001\n'),
        row(2, "姓名"),
        "以公式符号开头",
        "leading space is trimmed, the = stays",
    ),
    refused(
        "HYPERLINK in a case number",
        "petitions",
        utf8(
            "编号,属地代码,登记日期,信访形式\n"
            '"=HYPERLINK(""http://example.com"",""x"")",610602001001,2026-05-01,走访\n'
        ),
        row(2, "编号"),
        "以公式符号开头",
        "a case number is text like any other",
    ),
    refused(
        "script in a name",
        "veterans",
        utf8(f"{VETERANS}{V1},<script>alert(1)</script>,610602001001\n"),
        row(2, "姓名"),
        "网页标记",
        "markup is refused at the door (decisions.md) and escaped on output",
    ),
    refused(
        "bold tag in a name",
        "units",
        utf8(
            "区划代码,名称,层级,上级代码\n610602001009,<b>丙</b>村,village,610602001000\n"
        ),
        row(2, "名称"),
        "网页标记",
        "any tag, not only script",
    ),
    accepted(
        "angle bracket and ampersand without a tag",
        "units",
        utf8(
            "区划代码,名称,层级,上级代码\n610602001002,3<5 & 甲村,village,610602001000\n"
        ),
        ("units", {"code": "610602001002", "name": "3<5 & 甲村"}),
        "no tag: accepted as written and escaped on output (test below)",
    ),
    accepted(
        "SQL metacharacters in a name",
        "veterans",
        utf8(f'{VETERANS}{V1},"李\'; DROP TABLE veterans; --",610602001001\n'),
        ("veterans", {"id_number": V1, "name": "李'; DROP TABLE veterans; --"}),
        "statements are parameterised: stored verbatim, every table intact",
    ),
    refused(
        "SQL in a code",
        "stations",
        utf8("区划代码\n\"610602000000' OR '1'='1\"\n"),
        row(2, "区划代码"),
        "只能是数字",
        "a code is digits; the text never reaches a statement",
    ),
    refused(
        "control character",
        "veterans",
        utf8(f"{VETERANS}{V1},李\x1b保国,610602001001\n"),
        row(2, "姓名"),
        "控制字符",
        "an escape character would garble a terminal or a report",
    ),
    # -- what Excel or a careless save damaged -----------------------------------------
    refused(
        "id number cut to 15 digits in a CSV",
        "veterans",
        utf8(f"{VETERANS}612601196503120000,李保国,610602001001\n"),
        row(2, "身份证号"),
        "末三位是 000 且校验位不对",
        "a CSV saved from a number column: the message says Excel cut it, not "
        "only that the check digit is wrong",
    ),
    accepted(
        "code in a number cell",
        "stations",
        xlsx([["区划代码", "建成日期"], [610602001000.0, "2020-01-01"]]),
        ("stations", {"unit_code": "610602001000"}),
        "Excel shows 6.10602E+11 but keeps all 12 digits of a number: exact",
        name="stations.xlsx",
    ),
    refused(
        "name saved as GBK lost a character",
        "veterans",
        utf8(f"{VETERANS}{V1},李保?,610602001001\n"),
        row(2, "姓名"),
        "保存时丢失了字符",
        "GBK has no such character and wrote '?': the name is no longer the person's",
    ),
    refused(
        "replacement character in a name",
        "staff",
        utf8("人员编号,区划代码,姓名,角色\nS5,610602001000,王\ufffd,工作人员\n"),
        row(2, "姓名"),
        "保存时丢失了字符",
        "U+FFFD is what a decoder writes for bytes it could not read",
    ),
    refused(
        "direction override in a name",
        "veterans",
        utf8(f"{VETERANS}{V1},李\u202e国保,610602001001\n"),
        row(2, "姓名"),
        "改变文字方向",
        "shown as 李保国 but stored otherwise",
    ),
    refused(
        "zero-width space inside a name",
        "veterans",
        utf8(f"{VETERANS}{V1},李\u200b保国,610602001001\n"),
        row(2, "姓名"),
        "零宽字符",
        "invisible, yet a second 李保国 to every comparison",
    ),
    refused(
        "name too long",
        "veterans",
        utf8(f"{VETERANS}{V1},{'李' * 51},610602001001\n"),
        row(2, "姓名"),
        "最多 50 个字",
        "a paste gone wrong; names take at most 50 characters",
    ),
    accepted(
        "full-width spaces in a name",
        "staff",
        utf8(
            "人员编号,区划代码,姓名,角色\nS4,610602001000,王\u3000芳\u3000,工作人员\n"
        ),
        ("staff", {"person_id": "S4", "name": "王芳"}),
        "a two-character name aligned with three-character ones is the same name",
    ),
    refused(
        "petition accepted before it was received",
        "petitions",
        utf8(
            "编号,属地代码,登记日期,信访形式,受理（告知）日期\n"
            "YA1,610602001001,2026-05-10,走访,2026-05-09\n"
        ),
        row(2, "受理（告知）日期"),
        "早于登记日期",
        "a petition is received, then accepted, then closed",
    ),
    refused(
        "petition closed before it was accepted",
        "petitions",
        utf8(
            "编号,属地代码,登记日期,信访形式,受理（告知）日期,办结日期\n"
            "YA1,610602001001,2026-05-10,走访,2026-05-20,2026-05-19\n"
        ),
        row(2, "办结日期"),
        "早于受理（告知）日期",
        "the time limits would be counted from the wrong day",
    ),
    accepted(
        "headers clerks write",
        "veterans",
        utf8(
            f"公民身份号码,姓 名,村(社区)代码,手机号码\n{V1},李保国,610602001001,13900001111\n"
        ),
        ("veterans", {"id_number": V1, "phone": "13900001111"}),
        "身份证号码, 公民身份号码, 手机号码… are declared synonyms of the fields",
    ),
]


# ---------------------------------------------------------------------------
# One database per backend for the whole table.


@attrs.define
class Target:
    url: str
    engine: sa.Engine
    folder: Path


def _pg_schema_url() -> Iterator[str]:
    from conftest import _PG_UNAVAILABLE, PG_URL

    if _PG_UNAVAILABLE:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI needs PostgreSQL: {_PG_UNAVAILABLE}")
        pytest.skip(_PG_UNAVAILABLE)
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(PG_URL)
    with admin.begin() as conn:
        conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
    separator = "&" if "?" in PG_URL else "?"
    try:
        yield f"{PG_URL}{separator}options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as conn:
            conn.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
        admin.dispose()


def _base(url: str, folder: Path) -> Target:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("VETSERVICE_DISABLE_PLUGIN_AUTOLOAD", "1")
        db = vs.open(url, actor="tester")
        load_records(db, BASE)
        db.close()
    return Target(url, sa.create_engine(url), folder)


@pytest.fixture(scope="module")
def on_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Target]:
    folder = tmp_path_factory.mktemp("bad-input-sqlite")
    target = _base(f"sqlite:///{(folder / 'bad.db').as_posix()}", folder)
    yield target
    target.engine.dispose()


@pytest.fixture(scope="module")
def on_postgresql(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Target]:
    urls = _pg_schema_url()
    target = _base(next(urls), tmp_path_factory.mktemp("bad-input-postgresql"))
    yield target
    target.engine.dispose()
    for _ in urls:  # drops the schema
        pass


@pytest.fixture(
    params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)]
)
def target(request: pytest.FixtureRequest) -> Target:
    return request.getfixturevalue(f"on_{request.param}")


@pytest.fixture
def run(monkeypatch: pytest.MonkeyPatch) -> Callable[..., Any]:
    """``vetservice`` in-process; every database it opened is closed afterwards."""
    opened: list[vs.Database] = []
    real_open = vs.open

    def tracking_open(*args: Any, **kwargs: Any) -> vs.Database:
        db = real_open(*args, **kwargs)
        opened.append(db)
        return db

    monkeypatch.setattr(vs, "open", tracking_open)

    def _run(url: str, *args: str) -> Any:
        try:
            return CliRunner().invoke(cli, ["--db", url, *args])
        finally:
            while opened:
                opened.pop().close()

    return _run


def _write(case: Case, folder: Path) -> Path:
    path = folder / case.id.replace(" ", "_") / case.file_name
    path.parent.mkdir(parents=True, exist_ok=True)
    if callable(case.content):
        case.content(path)
    else:
        path.write_bytes(case.content)
    return path


def _located(stderr: str, file_name: str, where: str, words: str) -> bool:
    """Whether a line reads '<file> <where>：<reason with words>' (a workbook's
    lines name the sheet after the file: '<file> 工作表「Sheet」<where>')."""
    prefix = f"{file_name} {where}：" if where else f"{file_name}："
    for line in stderr.splitlines():
        line = re.sub(r"^(\S+) 工作表「[^」]*」", r"\1 ", line).replace(" ：", "：")
        if line.startswith(prefix) and words in line:
            return True
    return False


def test_the_table_covers_at_least_30_kinds_of_bad_input():
    assert len(CASES) >= 30
    assert len({c.id for c in CASES}) == len(CASES)
    assert sum(c.refused for c in CASES) >= 30


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input(on_sqlite: Target, run: Callable[..., Any], case: Case):
    check(on_sqlite, run, case)


STORAGE = [c for c in CASES if c.storage]


@pytest.mark.postgresql
@pytest.mark.parametrize("case", STORAGE, ids=[c.id for c in STORAGE])
def test_bad_input_on_postgresql(
    on_postgresql: Target, run: Callable[..., Any], case: Case
):
    check(on_postgresql, run, case)


def check(target: Target, run: Callable[..., Any], case: Case) -> None:
    path = _write(case, target.folder)
    before = dump_tables(target.engine)
    result = run(target.url, "import", "--today", TODAY, case.kind, str(path))
    after = dump_tables(target.engine)
    assert "Traceback" not in result.stderr, result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        result.exception
    )
    if case.refused:
        assert result.exit_code == 2, (case.why, result.stdout, result.stderr)
        assert _located(result.stderr, path.name, case.where, case.words), (
            case.why,
            result.stderr,
        )
        assert result.stderr.rstrip().endswith("未导入任何记录")
        assert after == before  # every table, audit_log included
        return
    assert result.exit_code == 0, (case.why, result.stderr)
    assert case.stored is not None
    table, values = case.stored
    columns = sa.Table(table, sa.MetaData(), autoload_with=target.engine).c
    with target.engine.connect() as conn:
        query = sa.select(sa.func.count()).where(
            *(columns[k] == v for k, v in values.items())
        )
        assert conn.execute(query).scalar_one() == 1, values
    # Only the file's own table (and the hierarchy's closure, or the versions
    # a state ledger's change replaced) changed, the audit log gained one row
    # for the command, and the figures store was warmed for the new data (its
    # tables are derived, keyed by data version).
    own = {table, "audit_log", "unit_closure" if table == "units" else table}
    own |= {"figure_sets", "figures", "figure_gaps", "figure_scores"}
    own |= {f"{table}_history"}
    assert {k: v for k, v in after.items() if k not in own} == {
        k: v for k, v in before.items() if k not in own
    }
    assert len(after["audit_log"]) == len(before["audit_log"]) + 1


def test_a_missing_file(target: Target, run: Callable[..., Any]):
    before = dump_tables(target.engine)
    missing = target.folder / "nowhere" / "units.csv"
    result = run(target.url, "import", "units", str(missing))
    assert result.exit_code == 2
    assert f"文件 {missing} 不存在" in result.stderr
    assert dump_tables(target.engine) == before


def test_one_bad_file_of_a_command_writes_nothing_from_the_others(
    target: Target, run: Callable[..., Any]
):
    folder = target.folder / "two-files"
    folder.mkdir(exist_ok=True)
    good = folder / "stations.csv"
    good.write_text("区划代码,建成日期\n610602100000,2020-01-01\n", encoding="utf-8")
    bad = folder / "activities.csv"
    bad.write_text(
        "区划代码,日期,活动类型,名称\n610602100000,2026-01-01,学习教育,=1+1\n",
        encoding="utf-8",
    )
    before = dump_tables(target.engine)
    result = run(target.url, "import", "auto", str(good), str(bad))
    assert result.exit_code == 2
    assert "activities.csv 第 2 行“名称”列：“=1+1”以公式符号开头" in result.stderr
    assert dump_tables(target.engine) == before


# ---------------------------------------------------------------------------
# Large files.

BIG = 100 * 1024 * 1024


def _big_file(path: Path, header: str, line: str) -> Path:
    """A file of ``header`` and copies of ``line`` up to 100 MB, written in blocks."""
    block = line * 20_000
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(header)
        while f.tell() < BIG:
            f.write(block)
    return path


def _measured(run: Callable[..., Any], *args: str) -> tuple[Any, float, float]:
    """The CLI's result, seconds taken and peak traced memory in MB."""
    tracemalloc.start()
    started = time.perf_counter()
    try:
        result = run(*args)
    finally:
        seconds = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return result, seconds, peak / 2**20


@pytest.fixture
def sqlite_target(tmp_path: Path) -> Target:
    url = f"sqlite:///{(tmp_path / 'big.db').as_posix()}"
    db = vs.open(url, actor="tester")
    load_records(db, BASE)
    db.close()
    return Target(url, sa.create_engine(url), tmp_path)


def test_a_100_mb_file_of_bad_rows_is_refused_in_seconds_and_little_memory(
    sqlite_target: Target, run: Callable[..., Any]
):
    # 2.7 million visits, every one with month 13. The file is streamed: the
    # importer stops after 1,000 problems instead of reading (and listing) them all.
    path = _big_file(
        sqlite_target.folder / "visits.csv",
        "身份证号,走访日期,走访事由\n",
        f"{V1},2026-13-01,重大节日\n",
    )
    assert path.stat().st_size >= BIG
    before = dump_tables(sqlite_target.engine)
    result, seconds, peak = _measured(
        run, sqlite_target.url, "import", "--today", TODAY, "visits", str(path)
    )
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert lines[0] == "visits.csv 第 2 行“走访日期”列：“2026-13-01”不是真实存在的日期"
    assert lines[-2] == (
        "visits.csv 第 1002 行：问题已超过 1000 处，读到这里停止；请先改正这些问题再重新导入"
    )
    assert lines[-1] == "发现 1001 处问题，未导入任何记录"
    assert dump_tables(sqlite_target.engine) == before
    print(f"100 MB of bad rows: {seconds:.1f} s, peak {peak:.1f} MB traced")
    assert peak < 50, peak  # the file is 100 MB; it is never held whole
    assert seconds < 30, seconds


def test_a_100_mb_file_with_a_wrong_header_is_refused_after_its_first_line(
    sqlite_target: Target, run: Callable[..., Any]
):
    path = _big_file(
        sqlite_target.folder / "visits.csv",
        "时间,级别,消息\n",
        "2026-11-28 10:00:01,INFO,某系统日志\n",
    )
    before = dump_tables(sqlite_target.engine)
    result, seconds, peak = _measured(
        run, sqlite_target.url, "import", "--today", TODAY, "visits", str(path)
    )
    assert result.exit_code == 2
    assert "visits.csv 第 1 行：没有一列（时间、级别、消息）" in result.stderr
    assert dump_tables(sqlite_target.engine) == before
    print(f"100 MB with a wrong header: {seconds:.1f} s, peak {peak:.1f} MB traced")
    assert peak < 20, peak
    assert seconds < 30, seconds


def test_a_file_over_the_size_limit_is_refused_unread(
    sqlite_target: Target, run: Callable[..., Any]
):
    path = sqlite_target.folder / "visits.csv"
    with open(path, "wb") as f:  # sparse: no disk is used, nothing can be read
        f.truncate(readers.MAX_FILE_BYTES + 1)
    result, seconds, _ = _measured(
        run, sqlite_target.url, "import", "visits", str(path)
    )
    assert result.exit_code == 2
    assert "visits.csv：文件超过 512 MB，请拆分成较小的文件" in result.stderr
    assert seconds < 5


def test_a_workbook_that_unpacks_to_too_much_is_refused(
    sqlite_target: Target, run: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
):
    # A zip bomb of real size takes minutes to build; the same check with a
    # lower limit on a small workbook.
    path = sqlite_target.folder / "stations.xlsx"
    path.write_bytes(xlsx([["区划代码"], ["610602000000"]] * 200))
    with zipfile.ZipFile(path) as archive:
        unpacked = sum(i.file_size for i in archive.infolist())
    monkeypatch.setattr(readers.workbook, "MAX_UNPACKED_BYTES", unpacked - 1)
    result = run(sqlite_target.url, "import", "stations", str(path))
    assert result.exit_code == 2
    assert "工作簿解压后超过" in result.stderr


# ---------------------------------------------------------------------------
# Exports keep hostile text inert.

HYPERLINK = '=HYPERLINK("http://example.com","点这里")'
SCRIPT = "<script>alert(1)</script>"


def test_exports_keep_formulas_as_text_and_escape_markup(tmp_path: Path):
    url = f"sqlite:///{(tmp_path / 'export.db').as_posix()}"
    runner = CliRunner()

    def run(*args: str) -> Any:
        result = runner.invoke(cli, ["--db", url, *args], catch_exceptions=False)
        assert result.exit_code == 0, result.stderr
        return result

    # What the importer allows: an ampersand, a lone angle bracket, quotes.
    allowed = '宝塔山街道 & "3<5"'
    units = tmp_path / "units.csv"
    units.write_text(
        SMALL_HIERARCHY.replace(
            "宝塔山街道", f'"{allowed.replace(chr(34), 2 * chr(34))}"'
        ),
        encoding="utf-8",
    )
    run("import", "--today", TODAY, "units", str(units))
    # What it refuses may still reach the database: written by another program
    # into a shared PostgreSQL database, or kept from before the rule.
    engine = sa.create_engine(url)
    table = TABLES["units"]
    with engine.begin() as conn:
        for code, name in (("610602000000", HYPERLINK), ("610621000000", SCRIPT)):
            conn.execute(table.update().where(table.c.code == code).values(name=name))
    engine.dispose()
    out = tmp_path / "reports"
    run(
        "--as-of",
        TODAY,
        "report",
        "--unit",
        "610600000000",
        "--period",
        "2026Q3",
        "--format",
        "xlsx,html",
        "--out",
        str(out),
    )
    (workbook,) = out.glob("*.xlsx")
    with zipfile.ZipFile(workbook) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in archive.read(name), name
    book = load_workbook(workbook)
    found: dict[str, int] = {HYPERLINK: 0, SCRIPT: 0, allowed: 0}
    for sheet in book.worksheets:
        for cells in sheet.iter_rows():
            for cell in cells:
                if isinstance(cell.value, str) and cell.value in found:
                    assert cell.data_type == "s", (sheet.title, cell.coordinate)
                    found[cell.value] += 1
    assert all(found.values()), found  # each name is in the workbook, as text
    (page,) = out.glob("*.html")
    html = page.read_text(encoding="utf-8")
    assert "<script" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "=HYPERLINK(&quot;http://example.com&quot;,&quot;点这里&quot;)" in html
    assert "宝塔山街道 &amp; &quot;3&lt;5&quot;" in html


def test_import_templates_hold_no_formula(tmp_path: Path):
    from vetservice.imports.templates import column_notes, write_template

    # What the writer puts in any kind's template: headers and column notes.
    for kind in KINDS.values():
        for lang in ("zh", "en"):
            texts = [f.header(lang) for f in kind.fields]
            texts += [t for row in column_notes(kind, lang) for t in row]
            assert not [t for t in texts if t[:1] in ("=", "+", "-", "@")], kind.name
    # And how it writes them: as text, never as formulas (the kind with most columns).
    path = write_template("petitions", tmp_path / "petitions.xlsx")
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in archive.read(name), name
    book = load_workbook(path, read_only=True)
    cells = [
        cell
        for sheet in book.worksheets
        for cells in sheet.iter_rows()
        for cell in cells
        if cell.value is not None
    ]
    assert len(cells) > 100 and all(cell.data_type == "s" for cell in cells)
