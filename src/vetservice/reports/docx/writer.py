"""The sections of the document, numbered as they are written."""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

import attrs
from docx.oxml.ns import qn

from vetservice.i18n import N_, gettext
from vetservice.reports.chapters import write_chapters
from vetservice.reports.docx.layout import (
    CHAR_PITCH_TWIPS,
    LEFT,
    MARKER,
    RIGHT,
)
from vetservice.reports.docx.oxml import AFTER_AUTOSPACE, add_run, element, set_style
from vetservice.reports.docx.tables import Cell, Column, add_table
from vetservice.reports.format import status_text
from vetservice.reports.model import STATUS_COLOURS, is_ratio

if TYPE_CHECKING:
    from docx.document import Document
    from docx.styles.style import ParagraphStyle
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    from vetservice.reports.model import IndicatorRow, Report


_NUMERALS = "〇一二三四五六七八九"


def _numeral(n: int, lang: str) -> str:
    """一, 二, … 十一 in Chinese; 1, 2, … otherwise."""
    if lang != "zh":
        return str(n)
    if n < 10:
        return _NUMERALS[n]
    tens, ones = divmod(n, 10)
    return (
        ("" if tens == 1 else _NUMERALS[tens])
        + "十"
        + (_NUMERALS[ones] if ones else "")
    )


def _width(text: str) -> float:
    """Width in 3号 characters: full-width 1, half-width (digits, Latin) ½."""
    return sum(1 if unicodedata.east_asian_width(c) in "WFA" else 0.5 for c in text)


@attrs.define
class Writer:
    """Writes one report into one document, numbering the sections as it goes."""

    report: Report
    document: Document
    sections: int = 0
    subsections: int = 0
    styles: dict[str, ParagraphStyle] = attrs.Factory(dict)

    def _(self, msgid: str) -> str:
        return gettext(msgid, self.report.lang)

    @property
    def lang(self) -> str:
        return self.report.lang

    def paragraph(self, text: str, style: str = "Body Text") -> Paragraph:
        if style not in self.styles:  # looking a style up by name scans them all
            self.styles[style] = self.document.styles[style]
        paragraph = self.document.add_paragraph(text)
        set_style(paragraph, self.styles[style])
        return paragraph

    def heading(self, title: str) -> None:
        self.sections += 1
        self.subsections = 0
        number = _numeral(self.sections, self.lang)
        self.paragraph(
            self._(N_("{number}. {title}")).format(number=number, title=title),
            "Heading 1",
        )

    def subheading(self, title: str) -> None:
        self.subsections += 1
        number = _numeral(self.subsections, self.lang)
        self.paragraph(
            self._(N_("({number}) {title}")).format(number=number, title=title),
            "Heading 2",
        )

    def none(self) -> None:
        self.paragraph(self._(N_("None.")))

    def table(
        self,
        columns: Sequence[Column],
        rows: Iterable[Sequence[Cell | str]],
        *,
        small: bool = False,
    ) -> Table:
        return add_table(self.document, columns, rows, small=small)

    # -- the sections ------------------------------------------------------

    def front(self) -> None:
        report = self.report
        self.paragraph(report.title, "Title")
        # The period text already says when the period is not over.
        self.paragraph(
            self._(N_("Period: {text}")).format(text=report.period_text), "Subtitle"
        )
        self.paragraph("", "Normal")

    def chapters(self) -> None:
        """Every chapter, numbered 一、二、… in the order they are written."""
        write_chapters(self)

    def briefing(self) -> None:
        self.heading(self._(N_("General situation")))
        if not self.report.briefing:
            self.none()
        for text in self.report.briefing:
            self.paragraph(text)

    def _indicator_columns(
        self, rows: Sequence[IndicatorRow], *, year_to_date: bool
    ) -> tuple[list[Column], list[list[Cell | str]]]:
        _ = self._
        columns = [
            Column(_(N_("indicator")), 30, LEFT),
            Column(_(N_("value")), 14),
            Column(_(N_("numerator/denominator")), 21),
            Column(_(N_("target")), 16),
            Column(_(N_("status")), 19),
        ]
        comparisons = [
            (N_("on the previous period"), "previous"),
            (N_("on the same period last year"), "last_year"),
        ]
        if year_to_date:
            comparisons.append((N_("year to date"), "year_to_date"))
        shown = [
            (label, key)
            for label, key in comparisons
            if any(getattr(row, key) is not None for row in rows)
        ]
        columns += [Column(_(label), 19) for label, _key in shown]
        cells: list[list[Cell | str]] = []
        for row in rows:
            line: list[Cell | str] = [
                Cell(row.name, note=row.coverage_text),
                row.value_text,
                row.fraction_text or "—",
                row.target_text,
                Cell(row.status_text, status=row.status),
            ]
            for _label, key in shown:
                change = getattr(row, key)
                if change is None:
                    line.append("—")
                elif key == "year_to_date":
                    line.append(change.value_text)
                else:
                    line.append(change.change_text)
            cells.append(line)
        return columns, cells

    def headline(self) -> None:
        self.heading(self._(N_("Key figures")))
        if not self.report.headline:
            self.none()
            return
        self.table(*self._indicator_columns(self.report.headline, year_to_date=False))

    def areas(self) -> None:
        self.heading(self._(N_("By area")))
        if not self.report.areas:
            self.none()
        for section in self.report.areas:
            self.subheading(section.title)
            self.table(*self._indicator_columns(section.rows, year_to_date=True))

    def ranking(self) -> None:
        _ = self._
        self.heading(_(N_("Ranking of the units one level down")))
        if not self.report.ranking:
            self.none()
            return
        separator = "、" if self.lang == "zh" else ", "
        self.table(
            [
                Column(_(N_("rank")), 12),
                Column(_(N_("unit")), 30, LEFT),
                Column(_(N_("met/assessed")), 20),
                Column(_(N_("share met")), 17),
                Column(_(N_("indicators not met")), 77, LEFT),
            ],
            (
                [
                    str(row.rank),
                    Cell(row.unit.name, note=row.unit.code),
                    f"{row.met}/{row.assessed}",
                    row.share_text,
                    separator.join(row.not_met) or "—",
                ]
                for row in self.report.ranking
            ),
            small=True,
        )

    def gaps(self) -> None:
        _ = self._
        self.heading(_(N_("Gap list")))
        if not self.report.gaps:
            self.none()
            return
        self.table(
            [
                Column(_(N_("No.")), 10),
                Column(_(N_("unit")), 27, LEFT),
                Column(_(N_("indicator")), 26, LEFT),
                Column(_(N_("what is missing")), 44, LEFT),
                Column(_(N_("rule")), 49, LEFT),
            ],
            (
                [
                    str(number),
                    Cell(gap.unit_name, note=gap.unit),
                    gap.indicator_name,
                    gap.reason,
                    gap.rule,
                ]
                for number, gap in enumerate(self.report.gaps, 1)
            ),
            small=True,
        )

    def scorings(self) -> None:
        if not self.report.scorings:
            return
        _ = self._
        self.heading(_(N_("Scoring ranking")))
        for section in self.report.scorings:
            self.subheading(section.title)
            self.paragraph(
                _(
                    N_("{count} units of level {level} scored; full marks {max}.")
                ).format(
                    count=len(section.rows),
                    level=section.level_text,
                    max=section.max_text,
                )
            )
            self.table(
                [
                    Column(_(N_("rank")), 12),
                    Column(_(N_("unit")), 34, LEFT),
                    Column(_(N_("total")), 14),
                    *(Column(name, 20) for name in section.line_names),
                ],
                (
                    [
                        "—" if row.rank is None else str(row.rank),
                        Cell(row.unit.name, note=row.unit.code),
                        row.total_text,
                        *row.lines,
                    ]
                    for row in section.rows
                ),
            )

    def watch_list(self) -> None:
        if not self.report.watch_list:
            return
        _ = self._
        self.heading(_(N_("Petitions watch list")))
        self.table(
            [
                Column(_(N_("case number")), 25),
                Column(_(N_("unit")), 30, LEFT),
                Column(_(N_("received on")), 21),
                Column(_(N_("stage")), 20),
                Column(_(N_("deadline")), 21),
                Column(_(N_("days left")), 13),
                Column(_(N_("sensitive period")), 26, LEFT),
            ],
            (
                [
                    row.case_no,
                    Cell(row.unit_name, note=row.unit),
                    row.received_on.isoformat(),
                    row.stage_text,
                    row.deadline.isoformat(),
                    str(row.days_left),
                    row.sensitive_text or "—",
                ]
                for row in self.report.watch_list
            ),
        )

    def breakdown(self) -> None:
        if not self.report.breakdown:
            return
        _ = self._
        self.heading(_(N_("By station kind")))
        groups: list[str] = []
        for row in self.report.breakdown:
            groups += [g[0] for g in row.groups if g[0] not in groups]
        columns = [
            Column(_(N_("indicator")), 40, LEFT),
            *(Column(group, 23) for group in groups),
        ]
        lines = []
        for row in self.report.breakdown:
            found = {g[0]: g for g in row.groups}
            line: list[Cell | str] = [row.name]
            for group in groups:
                if group not in found:
                    line.append("—")
                    continue
                _group, numerator, denominator, _value, text = found[group]
                note = f"{numerator}/{denominator}" if is_ratio(row.kind) else ""
                line.append(Cell(text, note=note))
            lines.append(line)
        self.table(columns, lines)

    def failures(self) -> None:
        if not self.report.failures:
            return
        self.heading(self._(N_("Plugin failures")))
        for failure in self.report.failures:
            self.paragraph(failure)

    def attachment_note(self) -> None:
        if not self.report.children:
            return
        self.paragraph("", "Normal")
        self.paragraph(
            self._(N_("Attachment: {title}")).format(title=self._attachment_title())
        )

    def _attachment_title(self) -> str:
        return self._(N_("Indicators of the units one level down"))

    def sign_off(self) -> None:
        """The issuing unit and the date, right-aligned (GB/T 9704-2012 §7.3.5.2).

        The name stands two characters in from the right edge and the date
        starts two characters right of the name's first character; whichever
        of the two is longer ends two characters in from the right edge.
        """
        report = self.report
        day: dt.date = report.generated_at.date()
        name = report.unit.name
        date = self._(N_("{year}-{month:02d}-{day:02d}")).format(
            year=day.year, month=day.month, day=day.day
        )
        name_end, date_end = _width(name), 2 + _width(date)
        right = max(name_end, date_end)
        self.paragraph("", "Normal")
        for text, end in ((name, name_end), (date, date_end)):
            paragraph = self.paragraph(text, "Normal")
            paragraph.alignment = RIGHT
            chars = 2 + right - end
            ppr = paragraph._p.get_or_add_pPr()
            # No extra space between the digits and 年月日, as the date is printed.
            for tag in ("w:autoSpaceDE", "w:autoSpaceDN"):
                ppr.insert_element_before(element(tag, val="0"), *AFTER_AUTOSPACE)
            ind = ppr.get_or_add_ind()
            ind.set(qn("w:rightChars"), str(round(chars * 100)))
            ind.set(qn("w:right"), str(round(chars * CHAR_PITCH_TWIPS)))

    def attachment(self) -> None:
        """Every indicator of every child, four indicators to a table, on a page of its own."""
        report = self.report
        if not report.children:
            return
        _ = self._
        label = self.paragraph(_(N_("Attachment")), "Attachment")
        label.paragraph_format.page_break_before = True
        self.paragraph("", "Normal")
        self.paragraph(self._attachment_title(), "Title")
        self.paragraph("", "Normal")
        legend = self.paragraph("", "Body Text")
        for status, colour in STATUS_COLOURS.items():
            add_run(legend._p, MARKER, colour=colour)
            add_run(legend._p, f" {status_text(status, self.lang)}　")
        self.subsections = 0
        per_table = 4
        for section in report.areas:
            self.subheading(section.title)
            for start in range(0, len(section.rows), per_table):
                rows = section.rows[start : start + per_table]
                columns = [
                    Column(_(N_("unit")), 30, LEFT),
                    *(Column(row.name, 30, note=row.target_text) for row in rows),
                ]
                lines: list[list[Cell | str]] = [
                    [
                        report.unit.name,
                        *(Cell(row.value_text, status=row.status) for row in rows),
                    ]
                ]
                for index, child in enumerate(report.children):
                    line: list[Cell | str] = [child.name]
                    for row in rows:
                        figure = row.children[index] if row.children else None
                        line.append(
                            Cell(figure.value_text, status=figure.figure.status)
                            if figure
                            else "—"
                        )
                    lines.append(line)
                self.table(columns, lines)
                self.paragraph("", "Table Text")
