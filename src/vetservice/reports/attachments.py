"""The 通报's attachments as plain tables every renderer lays out the same way.

附件1 (:func:`grade_table`): one row per indicator with a target, one column
per child unit after the unit itself, each cell the figure and its 红黄绿
grade. 附件2 (:func:`gap_counts`): the gap list counted by child unit and
indicator. Each is a 统计报表 with a header and footer (:func:`table_frame`).
The full gap list and village ranking, with 县区/乡镇/村 names, are XLSX
sheets (:mod:`vetservice.reports.xlsx`).
"""

from __future__ import annotations

from collections import Counter

import attrs

from vetservice.domain.records import Unit
from vetservice.i18n import N_, gettext
from vetservice.indicators import Figure, Kind
from vetservice.indicators.grades import Grade, distance
from vetservice.reports.format import date_name, target_text
from vetservice.reports.model import IndicatorRow, Report

LEGEND = (Grade.GREEN, Grade.YELLOW, Grade.RED, Grade.NO_DATA)

# A rate and a count of one matter that may show different colours, with the
# reason a reader is given when they do.
CONTRADICTIONS = {
    ("pet.closed_on_time", "pet.overdue"): N_(
        "Note: the on-time closing rate counts petitions closed in the period; "
        "the overdue count counts those still open past their deadline at its "
        "end, so the two may differ in colour."
    ),
}


def band_text(lang: str) -> str:
    return gettext(
        N_(
            "close: within 10 percentage points of a ratio's target, or 90 % of "
            "a count's, unless the indicator sets its own band"
        ),
        lang,
    )


@attrs.frozen
class StatTable:
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    grades: tuple[tuple[Grade | None, ...], ...] = ()  # per cell, None: not graded
    notes: tuple[str, ...] = ()
    first_width: int = 2600  # twips of the first column in Word


@attrs.frozen
class Frame:
    """A 统计报表's header and footer lines."""

    head: tuple[str, ...]
    foot: tuple[str, ...]


def _(msgid: str, report: Report) -> str:
    return gettext(msgid, report.lang)


def table_frame(
    report: Report, number: int, *, issuer: str = "", approval: str = ""
) -> Frame:
    """表号, 制表机关, 批准（备案）文号 (when set), 填报单位, 报告期; 单位负责人,
    填表人, 联系电话 (left blank to fill in by hand) and 报出日期."""
    issuer = issuer or _(N_("{unit} Veterans Affairs Bureau"), report).format(
        unit=report.unit.name
    )
    head = [
        _(N_("Table No.: veterans' service statistics table {number}"), report).format(
            number=number
        ),
        _(N_("Made by: {issuer}"), report).format(issuer=issuer),
    ]
    if approval:
        head.append(_(N_("Approval No.: {approval}"), report).format(approval=approval))
    head += [
        _(N_("Reporting unit: {unit}"), report).format(unit=report.unit.name),
        _(N_("Reporting period: {period}"), report).format(period=report.period_name),
    ]
    blank = "　" * 4
    foot = (
        _(N_("Head of unit: {blank}"), report).format(blank=blank),
        _(N_("Filled in by: {blank}"), report).format(blank=blank),
        _(N_("Telephone: {blank}"), report).format(blank=blank),
        _(N_("Date reported: {date}"), report).format(
            date=date_name(report.as_of, report.lang)
        ),
    )
    return Frame(tuple(head), foot)


@attrs.frozen
class GradeCell:
    """One unit's figure of one indicator: its text and its 红黄绿 grade."""

    unit: Unit
    value_text: str
    grade: Grade
    distance: float = 0.0  # how far short of the target (grades.distance, at most 1)
    target_text: str = ""  # the unit's own target (an override may change it)


@attrs.frozen
class GradeLine:
    """One indicator of the grid: the report's unit first, then each child."""

    row: IndicatorRow
    cells: tuple[GradeCell, ...]

    @property
    def own(self) -> GradeCell:
        return self.cells[0]

    @property
    def below(self) -> tuple[GradeCell, ...]:
        return self.cells[1:]


@attrs.frozen
class GradeGrid:
    """附件1's grid and the dashboard's heat map: the indicators with a target
    that fall short somewhere, each at the report's unit and its children.

    ``all_met`` counts the indicators left out because every unit meets them;
    ``notes`` say so, and explain a rate and a count that differ in colour.
    """

    units: tuple[Unit, ...]  # the report's unit, then its children
    lines: tuple[GradeLine, ...]
    all_met: int
    notes: tuple[str, ...]

    def worst_first(self) -> GradeGrid:
        """The same grid, the children with the most 红 (then 黄) cells first,
        and the indicators red (then yellow) in the most children first; ties
        go to the furthest from the target (:func:`grades.distance` summed
        over the indicators, or the indicator's at the report's unit), then
        keep the report's order (children) and the catalogue's (indicators)."""

        def badness(i: int) -> tuple[int, int, float]:
            cells = [line.cells[i] for line in self.lines]
            grades = [c.grade for c in cells]
            return (
                -grades.count(Grade.RED),
                -grades.count(Grade.YELLOW),
                -sum(c.distance for c in cells),
            )

        order = [0, *sorted(range(1, len(self.units)), key=badness)]

        def weight(line: GradeLine) -> tuple[int, int, float]:
            grades = [c.grade for c in line.below]
            return (
                -grades.count(Grade.RED),
                -grades.count(Grade.YELLOW),
                -line.own.distance,
            )

        lines = sorted(self.lines, key=weight)
        return attrs.evolve(
            self,
            units=tuple(self.units[i] for i in order),
            lines=tuple(
                GradeLine(line.row, tuple(line.cells[i] for i in order))
                for line in lines
            ),
        )


def _cell(
    kind: Kind, unit: Unit, figure: Figure, text: str, graded: Grade, lang: str
) -> GradeCell:
    # The unit's own target (an override may change it for a subtree); a
    # withheld figure is graded without data and stays at 0. A count whose
    # target is 0 is as far off as a ratio at 0 % at most, for the ordering.
    short = graded in (Grade.RED, Grade.YELLOW)
    far = distance(kind, figure.value, figure.target) if short else 0.0
    aim = target_text(kind, figure.target, lang)
    return GradeCell(unit, text, graded, min(far, 1.0), aim)


def grade_grid(report: Report) -> GradeGrid:
    """The indicators with a target × the unit and its children, in 红黄绿, in
    the catalogue's order; indicators met everywhere and failed ones left out."""
    lines = []
    all_met = 0
    for row in report.targeted():
        if row.grade is Grade.FAILED:
            continue
        if row.grade is Grade.GREEN and all(
            c.grade is Grade.GREEN for c in row.children
        ):
            all_met += 1  # a leader's one page shows what is short somewhere
            continue
        lang = report.lang
        cells = [
            _cell(row.kind, report.unit, row.figure, row.value_text, row.grade, lang)
        ]
        cells += [
            _cell(row.kind, c.unit, c.figure, c.value_text, c.grade, lang)
            for c in row.children
        ]
        lines.append(GradeLine(row, tuple(cells)))
    notes = []
    if all_met:
        notes.append(
            _(
                N_(
                    "{count} more indicators met the target in every unit and are not listed."
                ),
                report,
            ).format(count=all_met)
        )
    by_id = {r.id: r for r in report.rows()}
    for (rate, count), note in CONTRADICTIONS.items():
        if (
            rate in by_id
            and count in by_id
            and _differ(by_id[rate].grade, by_id[count].grade)
        ):
            notes.append(_(note, report))
    return GradeGrid(
        (report.unit, *report.children), tuple(lines), all_met, tuple(notes)
    )


def grade_table(report: Report) -> StatTable:
    """附件1: :func:`grade_grid` as a table of texts, each cell with its grade."""
    grid = grade_grid(report)
    rows, grades = [], []
    for line in grid.lines:
        row = line.row
        rows.append(
            (
                row.name,
                row.target_text.replace(" ", ""),
                *(c.value_text for c in line.cells),
            )
        )
        grades.append((None, None, *(c.grade for c in line.cells)))
    columns = (
        _(N_("indicator"), report),
        _(N_("target"), report),
        *(u.name for u in grid.units),
    )
    return StatTable(columns, tuple(rows), tuple(grades), grid.notes, first_width=4600)


def _differ(a: Grade, b: Grade) -> bool:
    shown = (Grade.GREEN, Grade.YELLOW, Grade.RED)
    return a in shown and b in shown and a is not b


@attrs.frozen
class GapCounts:
    table: StatTable
    total: int
    notes: tuple[str, ...] = ()


def child_of(report: Report, code: str) -> str:
    """The name of the report's child unit above ``code`` (its path's first name)."""
    path = report.paths.get(code)
    return path[0] if path else ""


def gap_counts(report: Report) -> GapCounts:
    """附件2: how many gaps each child unit has, by indicator, with totals."""
    counted: Counter[tuple[str, str]] = Counter()
    for gap in report.gaps:
        counted[(child_of(report, gap.unit) or gap.unit_name, gap.indicator_name)] += 1
    names = [c.name for c in report.children]
    # Gaps further down than the list goes are counted all the same.
    for (name, indicator), count in report.unlisted.items():
        if name in names:
            counted[(name, indicator)] += count
    present = {indicator for _name, indicator in counted}
    indicators = list(dict.fromkeys(r.name for r in report.rows() if r.name in present))
    rows = []
    for name in names:
        line = [counted[(name, i)] for i in indicators]
        rows.append((name, *(str(n) if n else "—" for n in line), str(sum(line))))
    totals = [sum(counted[(n, i)] for n in names) for i in indicators]
    rows.append((_(N_("Total"), report), *(str(n) for n in totals), str(sum(totals))))
    columns = (_(N_("unit"), report), *indicators, _(N_("Total"), report))
    notes = (
        _(
            N_(
                "The full gap list, with county, township and village names, is in "
                "the XLSX attachment."
            ),
            report,
        ),
    )
    return GapCounts(
        StatTable(columns, tuple(rows), first_width=1900),
        sum(totals),
        notes,
    )
