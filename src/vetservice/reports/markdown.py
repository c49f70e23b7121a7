"""The Markdown report: every section of the report model as headings, paragraphs and tables."""

from __future__ import annotations

from collections.abc import Sequence

from vetservice.i18n import N_, gettext
from vetservice.indicators import Evaluation
from vetservice.indicators.grades import Grade
from vetservice.reports.attachments import gap_counts, grade_table
from vetservice.reports.build import build_report
from vetservice.reports.chapters import write_chapters
from vetservice.reports.charts import BAR_GRADES, grade_counts
from vetservice.reports.format import GRADE_MARKS
from vetservice.reports.full import FullReport
from vetservice.reports.model import Change, IndicatorRow, Report
from vetservice.reports.notice import blocks, notice


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    lines = ["| " + " | ".join(_cell(h) for h in header) + " |"]
    lines.append("|" + "---|" * len(header))
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return lines


def _change(change: Change | None) -> str:
    if change is None:
        return "—"
    return (
        f"{change.value_text}（{change.change_text}）"
        if change.change_text
        else change.value_text
    )


def _marked(cell: str, grade: Grade | None) -> str:
    return cell if grade is None else f"{GRADE_MARKS[grade]}{cell}"


def _status(row: IndicatorRow) -> str:
    return f"{GRADE_MARKS[row.grade]} {row.status_text}".strip()


class _Markdown:
    """The lines of one report, chapter by chapter."""

    def __init__(self, report: Report) -> None:
        self.report = report
        self.out: list[str] = []
        self.compared = any(
            r.previous or r.last_year or r.year_to_date for r in report.rows()
        )

    def _(self, msgid: str) -> str:
        return gettext(msgid, self.report.lang)

    def header(self) -> list[str]:
        """The columns of the headline and area tables."""
        _ = self._
        header = [
            _(N_("indicator")),
            _(N_("value")),
            _(N_("numerator/denominator")),
            _(N_("target")),
            _(N_("status")),
        ]
        if self.compared:
            header += [
                _(N_("previous period")),
                _(N_("same period last year")),
                _(N_("year to date")),
            ]
        return header

    def line(self, row: IndicatorRow) -> list[str]:
        cells = [
            row.name + (f"（{row.coverage_text}）" if row.coverage_text else ""),
            row.value_text,
            row.fraction_text,
            row.target_text,
            _status(row),
        ]
        if self.compared:
            cells += [
                _change(row.previous),
                _change(row.last_year),
                _change(row.year_to_date),
            ]
        return cells

    def document(self) -> str:
        report, _ = self.report, self._
        self.out = [
            f"# {report.title}",
            "",
            _(N_("Period: {text}.")).format(text=report.period_text),
        ]
        for line in report.sign_offs:  # 审核锁定, near the title
            self.out += ["", "> " + line]
        if report.partial:
            self.out += [
                "",
                "> " + _(N_("The period is not over yet: the figures are partial.")),
            ]
        write_chapters(self)
        return "\n".join(self.out) + "\n"

    def briefing(self) -> None:
        """The 通报 with the same words as the Word 公文, then its attachments."""
        report = self.report
        written = notice(report)
        self.out += ["", "## " + self._(N_("Briefing")), ""]
        for kind, text in blocks(written):
            if kind == "heading":
                self.out += [f"### {text}", ""]
            elif kind in ("mark", "title"):
                self.out += [f"**{text}**", ""]
            else:
                self.out += [text, ""]
        if not report.children:
            return
        for number, (name, table) in enumerate(
            (
                (written.attachments[0], grade_table(report)),
                (written.attachments[1], gap_counts(report).table),
            ),
            1,
        ):
            self.out += [
                "",
                "### "
                + self._(N_("Attachment {number}")).format(number=number)
                + f" {name}",
                "",
            ]
            rows = [
                [
                    _marked(cell, grades[i] if grades else None)
                    for i, cell in enumerate(line)
                ]
                for line, grades in zip(
                    table.rows, table.grades or [()] * len(table.rows), strict=True
                )
            ]
            self.out += _table(table.columns, rows)
            self.out += ["", *table.notes]
        # 附件3 is a chart elsewhere; Markdown gives the numbers it is drawn from.
        self.out += [
            "",
            "### "
            + self._(N_("Attachment {number}")).format(number=3)
            + f" {written.attachments[2]}",
            "",
        ]
        self.out += _table(
            [self._(N_("unit")), *(g.display(report.lang) for g in BAR_GRADES)],
            [
                [name, *(str(grades[g]) for g in BAR_GRADES)]
                for name, grades in grade_counts(report)
            ],
        )

    def headline(self) -> None:
        if self.report.headline:
            self.out += ["## " + self._(N_("Headline figures")), ""]
            rows = [self.line(r) for r in self.report.headline]
            self.out += _table(self.header(), rows)

    def areas(self) -> None:
        report, _ = self.report, self._
        for section in report.areas:
            self.out += ["", f"## {section.title}", ""]
            self.out += _table(self.header(), [self.line(r) for r in section.rows])
            if report.children:
                self.out += ["", "### " + _(N_("Units one level down")), ""]
                self.out += _table(
                    [_(N_("indicator")), *(c.name for c in report.children)],
                    [
                        [r.name, *(c.value_text for c in r.children)]
                        for r in section.rows
                    ],
                )

    def ranking(self) -> None:
        report, _ = self.report, self._
        if report.ranking:
            self.out += ["", "## " + _(N_("Ranking of the units one level down")), ""]
            self.out += _table(
                [
                    _(N_("rank")),
                    _(N_("unit")),
                    _(N_("indicators met")),
                    _(N_("share met")),
                ],
                [
                    [str(r.rank), r.unit.name, f"{r.met}/{r.assessed}", r.share_text]
                    for r in report.ranking
                ],
            )

    def gaps(self) -> None:
        """A unit without children lists its few gaps; otherwise they are
        counted in 附件2 and listed in full in the XLSX attachment."""
        report, _ = self.report, self._
        if report.children:
            return
        title = _(N_("Gap list"))
        if report.gaps_date_text:
            title = _(N_("{title} ({date})")).format(
                title=title, date=report.gaps_date_text
            )
        self.out += ["", "## " + title, ""]
        if not report.gaps:
            self.out.append(_(N_("No unit falls short.")))
        current = None
        for gap in report.gaps:
            if gap.indicator != current:
                current = gap.indicator
                self.out += ["", f"**{gap.indicator_name}**（{gap.rule}）", ""]
            fixed = f"（{gap.resolved_text}）" if gap.resolved_text else ""
            self.out.append(
                f"- {report.path(gap.unit, gap.unit_name)}：{gap.reason}{fixed}"
            )

    def breakdown(self) -> None:
        report, _ = self.report, self._
        if not report.breakdown:
            return
        groups = list(
            dict.fromkeys(g[0] for row in report.breakdown for g in row.groups)
        )
        self.out += ["", "## " + _(N_("By kind of station")), ""]
        self.out += _table(
            [_(N_("indicator")), *groups],
            [
                [
                    row.name,
                    *(
                        {g[0]: f"{g[4]}（{g[1]}/{g[2]}）" for g in row.groups}.get(
                            name, "—"
                        )
                        for name in groups
                    ),
                ]
                for row in report.breakdown
            ],
        )

    def scorings(self) -> None:
        _ = self._
        for scoring in self.report.scorings:
            self.out += [
                "",
                "## " + _(N_("Assessment: {sheet}")).format(sheet=scoring.title),
                "",
            ]
            self.out.append(
                _(
                    N_("{count} units of level {level} scored; full marks {max}.")
                ).format(
                    count=len(scoring.rows),
                    level=scoring.level_text,
                    max=scoring.max_text,
                )
            )
            self.out.append("")
            self.out += _table(
                [
                    _(N_("rank")),
                    _(N_("code")),
                    _(N_("unit")),
                    *scoring.line_names,
                    _(N_("total")),
                ],
                [
                    [
                        "—" if r.rank is None else str(r.rank),
                        r.unit.code,
                        r.unit.name,
                        *r.lines,
                        r.total_text,
                    ]
                    for r in scoring.rows
                ],
            )

    def watch_list(self) -> None:
        report, _ = self.report, self._
        self.out += [
            "",
            "## "
            + _(N_("{title} ({date})")).format(
                title=_(N_("Petitions watch list")), date=report.lists_date_text
            ),
            "",
        ]
        if not report.watch_list:
            self.out.append(_(N_("No open petition has a deadline to watch.")))
        else:
            self.out += _table(
                [
                    _(N_("case number")),
                    _(N_("unit")),
                    _(N_("received on")),
                    _(N_("next deadline")),
                    _(N_("deadline")),
                    _(N_("days left")),
                    _(N_("sensitive period")),
                ],
                [
                    [
                        w.case_no,
                        w.unit_name,
                        str(w.received_on),
                        w.stage_text,
                        str(w.deadline),
                        str(w.days_left),
                        w.sensitive_text or "—",
                    ]
                    for w in report.watch_list
                ],
            )
        if report.overdue:
            title = _(N_("{title} ({date})")).format(
                title=_(N_("Petitions past their deadline")),
                date=report.lists_date_text,
            )
            self.out += ["", "### " + title, ""]
            self.out += _table(
                [
                    _(N_("case number")),
                    _(N_("unit")),
                    _(N_("received on")),
                    _(N_("next deadline")),
                    _(N_("deadline")),
                    _(N_("state")),
                ],
                [
                    [
                        o.case_no,
                        o.unit_name,
                        str(o.received_on),
                        o.stage_text,
                        str(o.deadline),
                        o.state_text,
                    ]
                    for o in report.overdue
                ],
            )

    def failures(self) -> None:
        if self.report.failures:
            self.out += ["", "## " + self._(N_("Plugin failures")), ""]
            self.out += [f"- {failure}" for failure in self.report.failures]


def render_markdown(report: Report) -> str:
    """The report as one Markdown document."""
    return _Markdown(report).document()


def to_markdown(report: Evaluation | FullReport, lang: str = "zh") -> str:
    return render_markdown(build_report(report, lang))
