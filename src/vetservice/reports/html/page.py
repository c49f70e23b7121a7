"""The page: its sections in order, the table of contents, header and footer."""

from __future__ import annotations

from collections.abc import Sequence

from vetservice.i18n import N_, gettext
from vetservice.indicators.grades import Grade
from vetservice.reports.attachments import (
    StatTable,
    gap_counts,
    grade_table,
    table_frame,
)
from vetservice.reports.chapters import write_chapters
from vetservice.reports.charts import grade_bars, svg
from vetservice.reports.html.charts import bar_chart, breakdown_chart
from vetservice.reports.html.markup import (
    anchor,
    badge,
    colour,
    esc,
    fill,
    stylesheet,
    table,
)
from vetservice.reports.model import (
    AreaSection,
    Change,
    Gap,
    IndicatorRow,
    Report,
    ScoringSection,
    is_ratio,
)
from vetservice.reports.notice import blocks, notice
from vetservice.version import __version__

ZH_NUMERALS = "一二三四五六七八九十"


class Writer:
    """The parts of one report, in the reader's language."""

    def __init__(self, report: Report) -> None:
        self.report = report
        self.lang = report.lang
        self.sections: list[
            tuple[str, str, str, bool]
        ] = []  # anchor, title, body, chapter

    def _(self, msgid: str) -> str:
        return gettext(msgid, self.lang)

    def colon(self) -> str:
        return "：" if self.lang == "zh" else ": "

    def numbered(self, index: int, title: str) -> str:
        if self.lang != "zh":
            return f"{index}. {title[:1].upper()}{title[1:]}"
        if index <= 10:
            number = ZH_NUMERALS[index - 1]
        elif index < 20:
            number = "十" + ZH_NUMERALS[index - 11]
        else:
            number = str(index)
        return f"{number}、{title}"

    def add(self, key: str, title: str, body: str, *, chapter: bool = True) -> None:
        self.sections.append((key, title, body, chapter))

    # -- small pieces --------------------------------------------------------

    def none(self) -> str:
        text = self._(N_("None."))
        return f'<p class="none">{esc(text)}</p>'

    def legend(self) -> str:
        parts = [
            f'<span class="key" style="background-color:{colour(g)}"></span>'
            f"{esc(g.display(self.lang))}"
            for g in (Grade.GREEN, Grade.YELLOW, Grade.RED, Grade.NO_TARGET)
        ]
        target = self._(N_("target"))
        parts.append(f'<span class="key line"></span>{esc(target)}')
        return f'<p class="legend">{"".join(parts)}</p>'

    # -- sections ------------------------------------------------------------

    def header(self) -> str:
        r = self.report
        period = self._(N_("Period"))
        # The period never wraps onto a line of its own.
        title = esc(r.title).replace(
            esc(r.period_name), f'<span class="nw">{esc(r.period_name)}</span>'
        )
        parts = [
            f"<h1>{title}</h1>",
            f'<p class="period">{esc(period)}{self.colon()}{esc(r.period_text)}</p>',
        ]
        if r.partial:
            notice = self._(
                N_(
                    "The period is not over yet: the figures are partial, as of {as_of}."
                )
            ).format(as_of=r.as_of)
            parts.append(f'<p class="partial">{esc(notice)}</p>')
        parts += [f'<p class="sign-off">{esc(line)}</p>' for line in r.sign_offs]
        code = self._(N_("Unit code"))
        parts.append(f'<p class="meta">{esc(code)}{self.colon()}{esc(r.unit.code)}</p>')
        return "<header>" + "".join(parts) + "</header>"

    def headline(self) -> None:
        r = self.report
        if not r.headline:
            return
        target = self._(N_("target"))
        previous = self._(N_("{change} on the previous period"))
        space = "　" if self.lang == "zh" else " · "
        cards = []
        for row in r.headline:
            lines = [
                f'<div class="name">{esc(row.name)}</div>',
                f'<div class="big">{esc(row.value_text)}</div>',
            ]
            detail = [row.fraction_text] if row.fraction_text else []
            detail.append(f"{target} {row.target_text}")
            pieces = space.join(f'<span class="nw">{esc(d)}</span>' for d in detail)
            lines.append(f'<div class="small">{pieces}</div>')
            lines.append(f"<div>{badge(row.grade, row.status_text)}</div>")
            if row.previous is not None and row.previous.change is not None:
                change = previous.format(change=row.previous.change_text)
                lines.append(f'<div class="small">{esc(change)}</div>')
            cards.append(
                f'<div class="card" style="--status:{colour(row.grade)}">'
                f'<a href="#{anchor("ind", row.id)}">{"".join(lines)}</a></div>'
            )
        self.add(
            "headline",
            self._(N_("Headline figures")),
            f'<div class="cards">{"".join(cards)}</div>',
            chapter=False,
        )

    def briefing(self) -> None:
        """The 通报 in the Word 公文's words, then its three attachments."""
        report = self.report
        written = notice(report)
        lines = [
            f'<p class="notice-{kind}">{esc(text)}</p>'
            if kind != "heading"
            else f'<h3 class="notice-heading">{esc(text)}</h3>'
            for kind, text in blocks(written)
        ]
        self.add(
            "briefing",
            self._(N_("Briefing")),
            f'<div class="briefing notice">{"".join(lines)}</div>',
            chapter=False,
        )
        if not report.children:
            return
        grid = grade_table(report)
        counted = gap_counts(report).table
        for number, (name, stat) in enumerate(
            ((written.attachments[0], grid), (written.attachments[1], counted)), 1
        ):
            label = self._(N_("Attachment {number}")).format(number=number)
            self.add(
                f"attachment-{number}",
                f"{label} {name}",
                self.stat_table(stat) + (self.legend() if number == 1 else ""),
                chapter=False,
            )
        label = self._(N_("Attachment {number}")).format(number=3)
        self.add(
            "attachment-3",
            f"{label} {written.attachments[2]}",
            f'<div class="chart">{svg(grade_bars(report))}</div>',
            chapter=False,
        )

    def stat_table(self, stat: StatTable) -> str:
        """A 统计报表 with its header and footer lines, graded cells filled."""
        frame = table_frame(self.report, 1)
        rows = []
        for index, line in enumerate(stat.rows):
            grades = stat.grades[index] if stat.grades else ()
            cells = [f'<th scope="row">{esc(line[0])}</th>']
            for col, cell in enumerate(line[1:], 1):
                grade = grades[col] if grades else None
                style = f' style="background-color:{fill(grade)}"' if grade else ""
                cells.append(f'<td class="num nw"{style}>{esc(cell)}</td>')
            rows.append(f"<tr>{''.join(cells)}</tr>")
        headers = [(stat.columns[0], ""), *((c, "num") for c in stat.columns[1:])]
        notes = "".join(f'<p class="muted">{esc(n)}</p>' for n in stat.notes)
        head = "　".join(esc(h) for h in frame.head[1:])
        foot = "　".join(esc(f) for f in frame.foot)
        return (
            f'<p class="stat-head">{head}</p><div class="wide">'
            f"{table(headers, rows, 'stat grid')}</div>{notes}"
            f'<p class="stat-foot">{foot}</p>'
        )

    def comparisons(self) -> list[tuple[str, str, str]]:
        """The comparison columns any indicator of the report has."""
        rows = self.report.rows()
        wanted = [
            ("previous", N_("previous period"), "previous"),
            ("last_year", N_("same period last year"), "last-year"),
            ("year_to_date", N_("year to date"), "year-to-date"),
        ]
        return [
            (attr, self._(label), cls)
            for attr, label, cls in wanted
            if any(getattr(row, attr) is not None for row in rows)
        ]

    def change_cell(self, change: Change | None, cls: str) -> str:
        if change is None:
            return f'<td class="num {cls}">—</td>'
        delta = (
            f'<span class="delta">{esc(change.change_text)}</span>'
            if change.change_text
            else ""
        )
        return f'<td class="num {cls}">{esc(change.value_text)}{delta}</td>'

    def area(self, section: AreaSection) -> None:
        comparisons = self.comparisons()
        headers = [
            (self._(N_("indicator")), ""),
            (self._(N_("value")), "num"),
            (self._(N_("numerator/denominator")), "num"),
            (self._(N_("target")), ""),
            (self._(N_("status")), ""),
            *((label, "num") for _attr, label, _cls in comparisons),
        ]
        coverage = self._(N_("coverage: {text}"))
        rows = []
        for row in section.rows:
            note = (
                f'<span class="note coverage">'
                f"{esc(coverage.format(text=row.coverage_text))}</span>"
                if row.coverage_text
                else ""
            )
            cells = [
                f'<th scope="row" class="name">{esc(row.name)}{note}</th>',
                f'<td class="num value">{esc(row.value_text)}</td>',
                f'<td class="num fraction">{esc(row.fraction_text)}</td>',
                f'<td class="center target">{esc(row.target_text)}</td>',
                f'<td class="center status">{badge(row.grade, row.status_text)}</td>',
                *(
                    self.change_cell(getattr(row, attr), cls)
                    for attr, _l, cls in comparisons
                ),
            ]
            rows.append(
                f'<tr id="{anchor("ind", row.id)}" data-indicator="{esc(row.id)}">'
                f"{''.join(cells)}</tr>"
            )
        body = [table(headers, rows, "indicators")]
        children = self._(N_("Units one level down"))
        charted = [r for r in section.rows if r.children and is_ratio(r.kind)]
        if charted:
            body.append(f'<h3 class="keep">{esc(children)}</h3>')
            body.append(self.legend())
            figures = [
                f'<figure class="chart" data-indicator="{esc(r.id)}">'
                f"<figcaption>{esc(r.name)}</figcaption>{bar_chart(r, self.lang)}</figure>"
                for r in charted
            ]
            body.append(f'<div class="charts">{"".join(figures)}</div>')
        counted = [r for r in section.rows if r.children and not is_ratio(r.kind)]
        if counted:
            if not charted:
                body.append(f'<h3 class="keep">{esc(children)}</h3>')
            body += [
                self.children_table(counted[i : i + 5])
                for i in range(0, len(counted), 5)
            ]
        self.add(anchor("area", section.area.value), section.title, "".join(body))

    def children_table(self, rows: Sequence[IndicatorRow]) -> str:
        headers = [(self._(N_("unit")), ""), *((r.name, "num") for r in rows)]
        lines = []
        for i, child in enumerate(self.report.children):
            cells = []
            for r in rows:
                figure = r.children[i]
                short = f" grade-{figure.grade.value}"
                cells.append(f'<td class="num{short}">{esc(figure.value_text)}</td>')
            lines.append(
                f'<tr><th scope="row">{esc(child.name)}</th>{"".join(cells)}</tr>'
            )
        return table(headers, lines, "children")

    def ranking(self) -> None:
        r = self.report
        if not r.children:
            return
        headers = [
            (self._(N_("rank")), "num"),
            (self._(N_("unit")), ""),
            (self._(N_("indicators met")), "num"),
            (self._(N_("indicators assessed")), "num"),
            (self._(N_("share met")), "num"),
            (self._(N_("indicators not met")), ""),
        ]
        rows = []
        for row in r.ranking:
            share_bar = ""
            if row.share is not None:
                share_bar = (
                    '<svg width="60" height="8" viewBox="0 0 60 8" role="presentation">'
                    '<rect x="0" y="0" width="60" height="8" fill="#e8eaed"/>'
                    f'<rect x="0" y="0" width="{60 * row.share:.1f}" height="8" '
                    'fill="#1a3e72"/></svg>'
                )
            missed = ("、" if self.lang == "zh" else ", ").join(row.not_met) or "—"
            rows.append(
                f'<tr data-unit="{esc(row.unit.code)}"><td class="num">{row.rank}</td>'
                f'<th scope="row">{esc(row.unit.name)}</th>'
                f'<td class="num">{row.met}</td><td class="num">{row.assessed}</td>'
                f'<td class="num share">{esc(row.share_text)}{share_bar}</td>'
                f'<td class="list">{esc(missed)}</td></tr>'
            )
        intro = self._(
            N_(
                "Units one level down, ranked by the share of their indicators with a "
                "target that are met."
            )
        )
        self.add(
            "ranking",
            self._(N_("Ranking")),
            f'<p class="muted">{esc(intro)}</p>{table(headers, rows, "ranking")}',
        )

    def gaps(self) -> None:
        gaps = self.report.gaps
        cut = ""
        if self.report.unlisted_total:
            cut = self._(
                N_(
                    "Listed down to {depth} levels below {unit}; the {count} gaps "
                    "further down are counted in attachment 2 and listed in the "
                    "XLSX gap list."
                )
            ).format(
                depth=self.report.list_depth,
                unit=self.report.unit.name,
                count=f"{self.report.unlisted_total:,}",
            )
            cut = f'<p class="muted">{esc(cut)}</p>'
        if not gaps:
            self.add("gaps", self._gaps_title(), cut or self.none())
            return
        groups: dict[str, list[Gap]] = {}
        for gap in gaps:
            groups.setdefault(gap.indicator, []).append(gap)
        summary = table(
            [(self._(N_("indicator")), ""), (self._(N_("entries")), "num")],
            (
                f'<tr><th scope="row"><a href="#{anchor("gap", key)}">'
                f"{esc(items[0].indicator_name)}</a></th>"
                f'<td class="num">{len(items)}</td></tr>'
                for key, items in groups.items()
            ),
            "gap-summary",
        )
        intro = self._(
            N_(
                "Every unit that falls short of a compliance indicator, "
                "what it lacks and the rule it breaks."
            )
        )
        parts = [f'<p class="muted">{esc(intro)}</p>', cut]
        if any(g.resolved_text for g in gaps):
            dated = self._(
                N_(
                    "The gaps are those at the end of the period ({end}); a unit "
                    "marked fixed meets the indicator as of {as_of}."
                )
            ).format(end=self.report.end, as_of=self.report.lists_as_of)
            parts.append(f'<p class="muted">{esc(dated)}</p>')
        parts.append(summary)
        rule_label, count = self._(N_("rule")), self._(N_("{count} units"))
        headers = [
            (self._(N_("No.")), "num"),
            (self._(N_("unit")), ""),
            (self._(N_("what is missing")), ""),
        ]
        for key, items in groups.items():
            rules = list(dict.fromkeys(g.rule for g in items))
            rule = f"{rule_label}{self.colon()}{'；'.join(rules)}"
            rows = (
                f'<tr class="gap" data-indicator="{esc(g.indicator)}" '
                f'data-unit="{esc(g.unit)}"><td class="num">{n}</td>'
                f'<th scope="row">{esc(self.report.path(g.unit, g.unit_name))}</th>'
                f'<td class="reason">{esc(g.reason)}{_fixed(g)}</td></tr>'
                for n, g in enumerate(items, 1)
            )
            # Collapsed: browsable on screen, left out of print (the full list
            # is the XLSX attachment's).
            parts.append(
                f'<details class="gap-group" id="{anchor("gap", key)}">'
                f'<summary class="keep">{esc(items[0].indicator_name)}'
                f'<span class="note">{esc(count.format(count=len(items)))}</span></summary>'
                f'<p class="keep rule">{esc(rule)}</p>'
                f"{table(headers, rows, 'gaps long')}</details>"
            )
        self.add("gaps", self._gaps_title(), "".join(parts))

    def _gaps_title(self) -> str:
        """差距清单（报告期末 2026年9月30日）: the gaps are of E."""
        title = self._(N_("Gap list"))
        if not self.report.gaps_date_text:
            return title
        return self._(N_("{title} ({date})")).format(
            title=title, date=self.report.gaps_date_text
        )

    def breakdown(self) -> None:
        rows = self.report.breakdown
        if not rows:
            return
        groups = list(dict.fromkeys(g[0] for row in rows for g in row.groups))
        headers = [(self._(N_("indicator")), ""), *((g, "num") for g in groups)]
        lines = []
        for row in rows:
            by_group = {g[0]: g for g in row.groups}
            cells = []
            for group in groups:
                entry = by_group.get(group)
                if entry is None or (not entry[2] and entry[3] is None):
                    cells.append('<td class="num">—</td>')
                    continue
                _g, num, den, _v, text = entry
                fraction = (
                    f'<span class="delta">{num}/{den}</span>'
                    if is_ratio(row.kind)
                    else ""
                )
                cells.append(f'<td class="num">{esc(text)}{fraction}</td>')
            lines.append(
                f'<tr data-indicator="{esc(row.id)}"><th scope="row">{esc(row.name)}</th>'
                f"{''.join(cells)}</tr>"
            )
        charted = [row for row in rows if is_ratio(row.kind)]
        body = [breakdown_chart(charted, groups, self.lang)] if charted else []
        body.append(table(headers, lines, "breakdown"))
        self.add("breakdown", self._(N_("By station kind")), "".join(body))

    def scorings(self) -> None:
        sections = self.report.scorings
        if not sections:
            return
        self.add(
            "scorings",
            self._(N_("Scoring ranking")),
            "".join(self.scoring(s) for s in sections),
        )

    def scoring(self, section: ScoringSection) -> str:
        headers = [
            (self._(N_("rank")), "num"),
            (self._(N_("unit")), ""),
            *((name, "num") for name in section.line_names),
            (self._(N_("total")), "num"),
        ]
        rows = (
            f'<tr data-unit="{esc(row.unit.code)}">'
            f'<td class="num">{"—" if row.rank is None else row.rank}</td>'
            f'<th scope="row">{esc(self.report.path(row.unit.code, row.unit.name))}</th>'
            + "".join(f'<td class="num">{esc(t)}</td>' for t in row.lines)
            + f'<td class="num"><b>{esc(row.total_text)}</b></td></tr>'
            for row in section.rows
        )
        about = self._(
            N_("{count} units of level {level} scored; full marks {max}.")
        ).format(
            count=len(section.rows), level=section.level_text, max=section.max_text
        )
        # Collapsed and left out of print, like the gap list: a village
        # ranking runs to thousands of rows (the XLSX attachment has it).
        return (
            f'<details class="scoring" id="{anchor("sheet", section.sheet_id)}">'
            f'<summary class="keep">{esc(section.title)}</summary>'
            f'<p class="muted keep">{esc(about)}</p>'
            f"{table(headers, rows, 'scoring long')}</details>"
        )

    def watch_list(self) -> None:
        report = self.report
        rows, overdue = report.watch_list, report.overdue
        if not rows and not overdue:
            return
        headers = [
            (self._(N_("case number")), ""),
            (self._(N_("unit")), ""),
            (self._(N_("received on")), "num"),
            (self._(N_("stage")), ""),
            (self._(N_("deadline")), "num"),
            (self._(N_("days left")), "num"),
            (self._(N_("sensitive period")), ""),
        ]
        lines = []
        for w in rows:
            cls = "late" if w.days_left < 0 else "soon" if w.days_left <= 7 else ""
            lines.append(
                f'<tr class="watch" data-case="{esc(w.case_no)}">'
                f'<th scope="row">{esc(w.case_no)}</th>'
                f'<td>{esc(w.unit_name)}<span class="note">{esc(w.unit)}</span></td>'
                f'<td class="num">{esc(w.received_on)}</td><td>{esc(w.stage_text)}</td>'
                f'<td class="num">{esc(w.deadline)}</td>'
                f'<td class="num {cls}">{w.days_left}</td>'
                f"<td>{esc(w.sensitive_text or '—')}</td></tr>"
            )
        intro = self._(
            N_(
                "Open petitions whose next legal deadline falls within 30 days or in a "
                "sensitive period; days left count from {as_of}, whatever the period."
            )
        ).format(as_of=report.lists_as_of)
        body = f'<p class="muted">{esc(intro)}</p>'
        if lines:
            body += table(headers, lines, "watch")
        if overdue:
            late = []
            for o in overdue:
                cls = "done" if o.closed_on is not None else "late"
                late.append(
                    f'<tr class="overdue" data-case="{esc(o.case_no)}">'
                    f'<th scope="row">{esc(o.case_no)}</th>'
                    f"<td>{esc(o.unit_name)}"
                    f'<span class="note">{esc(o.unit)}</span></td>'
                    f'<td class="num">{esc(o.received_on)}</td>'
                    f"<td>{esc(o.stage_text)}</td>"
                    f'<td class="num">{esc(o.deadline)}</td>'
                    f'<td class="{cls}">{esc(o.state_text)}</td></tr>'
                )
            title = self._(N_("{title} ({date})")).format(
                title=self._(N_("Petitions past their deadline")),
                date=report.lists_date_text,
            )
            body += f"<h3>{esc(title)}</h3>" + table(
                [*headers[:5], (self._(N_("state")), "")], late, "overdue"
            )
        self.add(
            "watch",
            self._(N_("{title} ({date})")).format(
                title=self._(N_("Petitions watch list")), date=report.lists_date_text
            ),
            body,
        )

    def failures(self) -> None:
        if not self.report.failures:
            return
        items = "".join(f"<li>{esc(f)}</li>" for f in self.report.failures)
        self.add(
            "failures",
            self._(N_("Plugin failures")),
            f'<ul class="failures">{items}</ul>',
            chapter=False,
        )

    # -- the page ------------------------------------------------------------

    def areas(self) -> None:
        for section in self.report.areas:
            self.area(section)

    def page(self) -> str:
        r = self.report
        write_chapters(self)
        toc = "".join(
            f'<li><a href="#{key}">{esc(self.numbered(i, title))}</a></li>'
            for i, (key, title, _b, _c) in enumerate(self.sections, 1)
        )
        body = "".join(
            f'<section id="{key}" class="{"chapter" if chapter else "part"}">'
            f"<h2>{esc(self.numbered(i, title))}</h2>{content}</section>"
            for i, (key, title, content, chapter) in enumerate(self.sections, 1)
        )
        generated = self._(N_("Generated by vetservice {version} on {time}.")).format(
            version=__version__, time=r.generated_at.strftime("%Y-%m-%d %H:%M")
        )
        lang = "zh-CN" if self.lang == "zh" else self.lang
        contents = self._(N_("Contents"))
        return (
            "<!DOCTYPE html>\n"
            f'<html lang="{lang}">\n<head>\n<meta charset="utf-8"/>\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1"/>\n'
            f'<meta name="generator" content="vetservice {esc(__version__)}"/>\n'
            f"<title>{esc(r.title)}</title>\n<style>\n{stylesheet()}</style>\n</head>\n"
            f"<body>\n{self.header()}\n"
            f'<nav class="toc"><h2>{esc(contents)}</h2><ol>{toc}</ol></nav>\n'
            f"{body}\n<footer><p>{esc(generated)}</p></footer>\n</body>\n</html>\n"
        )


def to_html(report: Report) -> str:
    """The report as one self-contained HTML page (UTF-8 text)."""
    return Writer(report).page()


def _fixed(gap: Gap) -> str:
    """After the reason: 已整改 and its date when the gap has been fixed
    since, else what is still missing at the as-of date."""
    if not gap.resolved_text:
        return ""
    state = "done fixed" if gap.resolved_on else "still"
    return f'<span class="{state}">{esc(gap.resolved_text)}</span>'
