"""The Markdown report: every section of the report model as headings, paragraphs and tables."""

from __future__ import annotations

from collections.abc import Sequence

from vetservice.i18n import N_, gettext
from vetservice.indicators import Evaluation
from vetservice.reports.build import build_report
from vetservice.reports.format import MARKS
from vetservice.reports.full import FullReport
from vetservice.reports.model import Change, IndicatorRow, Report


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


def _status(row: IndicatorRow) -> str:
    return f"{MARKS[row.status]} {row.status_text}".strip()


def render_markdown(report: Report) -> str:
    """The report as one Markdown document."""
    _ = lambda msgid: gettext(msgid, report.lang)  # noqa: E731 - a local shorthand
    out = [
        f"# {report.title}",
        "",
        _(N_("Period: {text}.")).format(text=report.period_text),
    ]
    if report.partial:
        out += [
            "",
            "> " + _(N_("The period is not over yet: the figures are partial.")),
        ]
    out += ["", "## " + _(N_("Briefing")), ""]
    for paragraph in report.briefing:
        out += [paragraph, ""]
    compared = any(r.previous or r.last_year or r.year_to_date for r in report.rows())
    header = [
        _(N_("indicator")),
        _(N_("value")),
        _(N_("numerator/denominator")),
        _(N_("target")),
        _(N_("status")),
    ]
    if compared:
        header += [
            _(N_("previous period")),
            _(N_("same period last year")),
            _(N_("year to date")),
        ]

    def line(row: IndicatorRow) -> list[str]:
        cells = [
            row.name + (f"（{row.coverage_text}）" if row.coverage_text else ""),
            row.value_text,
            row.fraction_text,
            row.target_text,
            _status(row),
        ]
        if compared:
            cells += [
                _change(row.previous),
                _change(row.last_year),
                _change(row.year_to_date),
            ]
        return cells

    if report.headline:
        out += ["## " + _(N_("Headline figures")), ""]
        out += _table(header, [line(r) for r in report.headline])
    for section in report.areas:
        out += ["", f"## {section.title}", ""]
        out += _table(header, [line(r) for r in section.rows])
        if report.children:
            out += ["", "### " + _(N_("Units one level down")), ""]
            out += _table(
                [_(N_("indicator")), *(c.name for c in report.children)],
                [[r.name, *(c.value_text for c in r.children)] for r in section.rows],
            )
    if report.ranking:
        out += ["", "## " + _(N_("Ranking of the units one level down")), ""]
        out += _table(
            [_(N_("rank")), _(N_("unit")), _(N_("indicators met")), _(N_("share met"))],
            [
                [str(r.rank), r.unit.name, f"{r.met}/{r.assessed}", r.share_text]
                for r in report.ranking
            ],
        )
    out += ["", "## " + _(N_("Gap list")), ""]
    if not report.gaps:
        out.append(_(N_("No unit falls short.")))
    current = None
    for gap in report.gaps:
        if gap.indicator != current:
            current = gap.indicator
            out += ["", f"**{gap.indicator_name}**（{gap.rule}）", ""]
        out.append(f"- {gap.unit_name}（{gap.unit}）：{gap.reason}")
    if report.breakdown:
        groups = list(
            dict.fromkeys(g[0] for row in report.breakdown for g in row.groups)
        )
        out += ["", "## " + _(N_("By kind of station")), ""]
        out += _table(
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
    for scoring in report.scorings:
        out += [
            "",
            "## " + _(N_("Assessment: {sheet}")).format(sheet=scoring.title),
            "",
        ]
        out.append(
            _(N_("{count} units of level {level} scored; full marks {max}.")).format(
                count=len(scoring.rows), level=scoring.level_text, max=scoring.max_text
            )
        )
        out.append("")
        out += _table(
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
    out += ["", "## " + _(N_("Petitions watch list")), ""]
    if report.watch_list:
        out += _table(
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
    else:
        out.append(_(N_("No open petition has a deadline to watch.")))
    if report.failures:
        out += ["", "## " + _(N_("Plugin failures")), ""]
        out += [f"- {failure}" for failure in report.failures]
    return "\n".join(out) + "\n"


def to_markdown(report: Evaluation | FullReport, lang: str = "zh") -> str:
    return render_markdown(build_report(report, lang))
