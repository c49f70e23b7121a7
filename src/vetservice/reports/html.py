"""The HTML report: one self-contained file that a browser shows and prints on A4.

Nothing is fetched when the file is read: the CSS (``templates/report.css``)
is inlined, the charts are SVG drawn here, there is no script and no web
font. Every text that comes from the data goes through :func:`html.escape`.
The renderer lays out a :class:`~vetservice.reports.model.Report` and
computes no figure; the markup is also well-formed XML.
"""

from __future__ import annotations

import functools
import html
from collections.abc import Iterable, Sequence
from importlib import resources

from vetservice.i18n import N_, gettext
from vetservice.indicators import Status
from vetservice.reports.format import fraction_text, status_text
from vetservice.reports.model import (
    STATUS_COLOURS,
    AreaSection,
    BreakdownRow,
    Change,
    ChildFigure,
    Gap,
    IndicatorRow,
    Report,
    ScoringSection,
    is_ratio,
)
from vetservice.version import __version__

# Colours of the station kinds in the breakdown chart (distinct from the status colours).
GROUP_COLOURS = ("1A3E72", "3F7FD6", "7BAFD4", "8E6BBF", "C58A2C", "6C8E3F")
CHART_WIDTH = 440
FONT = 12
ZH_NUMERALS = "一二三四五六七八九十"


def esc(text: object) -> str:
    """Text from the data, safe in an element or a quoted attribute."""
    return html.escape(str(text), quote=True)


@functools.cache
def stylesheet() -> str:
    return (
        resources.files("vetservice.reports")
        .joinpath("templates", "report.css")
        .read_text(encoding="utf-8")
    )


def anchor(prefix: str, key: str) -> str:
    """An id made of letters, digits, '.', '_' and '-' only, one-to-one with ``key``."""
    safe = "".join(
        ch if (ch.isascii() and (ch.isalnum() or ch in "._")) else f"-{ord(ch):x}-"
        for ch in key
    )
    return f"{prefix}-{safe}"


def colour(status: Status) -> str:
    return "#" + STATUS_COLOURS[status]


def text_width(text: str, size: float = FONT) -> float:
    """About how wide ``text`` is in an SVG: CJK characters are square."""
    return sum(size if ord(ch) > 0x2E7F else size * 0.6 for ch in text)


def clip(text: str, width: float, size: float = FONT) -> str:
    if text_width(text, size) <= width:
        return text
    while text and text_width(text + "…", size) > width:
        text = text[:-1]
    return text + "…"


class _Writer:
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

    def badge(self, status: Status, text: str) -> str:
        return (
            f'<span class="badge status-{esc(status.value)}" '
            f'style="background-color:{colour(status)}">{esc(text)}</span>'
        )

    def table(
        self,
        headers: Sequence[tuple[str, str]],
        rows: Iterable[str],
        cls: str = "",
    ) -> str:
        head = "".join(
            f'<th scope="col" class="{c}">{esc(h)}</th>'
            if c
            else f'<th scope="col">{esc(h)}</th>'
            for h, c in headers
        )
        klass = f' class="{cls}"' if cls else ""
        return (
            f"<table{klass}><thead><tr>{head}</tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>"
        )

    def none(self) -> str:
        text = self._(N_("None."))
        return f'<p class="none">{esc(text)}</p>'

    def legend(self) -> str:
        parts = [
            f'<span class="key" style="background-color:{colour(s)}"></span>'
            f"{esc(status_text(s, self.lang))}"
            for s in (Status.MET, Status.NOT_MET, Status.NO_TARGET)
        ]
        target = self._(N_("target"))
        parts.append(f'<span class="key line"></span>{esc(target)}')
        return f'<p class="legend">{"".join(parts)}</p>'

    # -- sections ------------------------------------------------------------

    def header(self) -> str:
        r = self.report
        period = self._(N_("Period"))
        parts = [
            f"<h1>{esc(r.title)}</h1>",
            f'<p class="period">{esc(period)}{self.colon()}{esc(r.period_text)}</p>',
        ]
        if r.partial:
            notice = self._(
                N_(
                    "The period is not over yet: the figures are partial, as of {as_of}."
                )
            ).format(as_of=r.as_of)
            parts.append(f'<p class="partial">{esc(notice)}</p>')
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
            lines.append(f"<div>{self.badge(row.status, row.status_text)}</div>")
            if row.previous is not None and row.previous.change is not None:
                change = previous.format(change=row.previous.change_text)
                lines.append(f'<div class="small">{esc(change)}</div>')
            cards.append(
                f'<div class="card" style="--status:{colour(row.status)}">'
                f'<a href="#{anchor("ind", row.id)}">{"".join(lines)}</a></div>'
            )
        self.add(
            "headline",
            self._(N_("Headline figures")),
            f'<div class="cards">{"".join(cards)}</div>',
            chapter=False,
        )

    def briefing(self) -> None:
        paragraphs = "".join(f"<p>{esc(p)}</p>" for p in self.report.briefing)
        self.add(
            "briefing",
            self._(N_("Briefing")),
            f'<div class="briefing">{paragraphs or self.none()}</div>',
            chapter=False,
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
                f'<td class="center status">{self.badge(row.status, row.status_text)}</td>',
                *(
                    self.change_cell(getattr(row, attr), cls)
                    for attr, _l, cls in comparisons
                ),
            ]
            rows.append(
                f'<tr id="{anchor("ind", row.id)}" data-indicator="{esc(row.id)}">'
                f"{''.join(cells)}</tr>"
            )
        body = [self.table(headers, rows, "indicators")]
        children = self._(N_("Units one level down"))
        charted = [r for r in section.rows if r.children and is_ratio(r.kind)]
        if charted:
            body.append(f'<h3 class="keep">{esc(children)}</h3>')
            body.append(self.legend())
            figures = [
                f'<figure class="chart" data-indicator="{esc(r.id)}">'
                f"<figcaption>{esc(r.name)}</figcaption>{self.bar_chart(r)}</figure>"
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
                short = " short" if figure.figure.status is Status.NOT_MET else ""
                cells.append(f'<td class="num{short}">{esc(figure.value_text)}</td>')
            lines.append(
                f'<tr><th scope="row">{esc(child.name)}</th>{"".join(cells)}</tr>'
            )
        return self.table(headers, lines, "children")

    def bar_chart(self, row: IndicatorRow) -> str:
        """The children's values as horizontal bars, coloured by status, the target dashed."""
        items: list[ChildFigure] = sorted(
            row.children,
            key=lambda c: (
                c.figure.value is None,
                -float(c.figure.value or 0),
                c.unit.code,
            ),
        )
        bar, gap, top, bottom = 14, 5, 18, 18
        label_w = min(max(text_width(c.unit.name) for c in items), FONT * 7) + 8
        value_w = 50
        x0, x1 = label_w, CHART_WIDTH - value_w
        values = [float(c.figure.value) for c in items if c.figure.value is not None]
        top_value = max([1.0, *values])
        height = top + len(items) * (bar + gap) - gap + bottom

        def x(value: float) -> float:
            return x0 + (x1 - x0) * value / top_value

        out = [
            f'<svg class="chart bars" viewBox="0 0 {CHART_WIDTH} {height}" '
            f'width="{CHART_WIDTH}" height="{height}" role="img" '
            f'aria-label="{esc(row.name)}" font-size="{FONT}">',
            f"<title>{esc(row.name)}</title>",
        ]
        for tick in (0, 0.25, 0.5, 0.75, 1.0):
            tx = x(tick)
            out.append(
                f'<line class="grid" x1="{tx:.1f}" y1="{top - 4}" x2="{tx:.1f}" '
                f'y2="{height - bottom + 2}"/>'
            )
            out.append(
                f'<text class="axis" x="{tx:.1f}" y="{height - 4}" font-size="10" '
                f'text-anchor="middle">{tick * 100:g}%</text>'
            )
        for i, child in enumerate(items):
            y = top + i * (bar + gap)
            name = child.unit.name
            shown = clip(name, label_w - 8)
            label = (
                f'<text x="{x0 - 6}" y="{y + bar - 3}" text-anchor="end">'
                f"{esc(shown)}</text>"
            )
            if shown != name:  # the whole name as a tooltip
                label = f"<g><title>{esc(name)}</title>{label}</g>"
            out.append(label)
            if child.figure.value is not None:
                width = max(x(float(child.figure.value)) - x0, 0.5)
                out.append(
                    f'<rect x="{x0}" y="{y}" width="{width:.1f}" height="{bar}" '
                    f'fill="{colour(child.figure.status)}">'
                    f"<title>{esc(name)} {esc(child.value_text)} "
                    f"({esc(fraction_text(row.kind, child.figure))})</title></rect>"
                )
            out.append(
                f'<text x="{CHART_WIDTH - 2}" y="{y + bar - 3}" text-anchor="end" '
                f'font-size="11">{esc(child.value_text)}</text>'
            )
        targets = {c.figure.target for c in items}
        if len(targets) == 1 and (target := targets.pop()) is not None:
            tx = x(float(target.value))
            out.append(
                f'<line class="target" x1="{tx:.1f}" y1="{top - 6}" x2="{tx:.1f}" '
                f'y2="{height - bottom + 2}"/>'
            )
            label = self._(N_("target")) + " " + target.describe(row.kind)
            anchor_side = "end" if tx > (x0 + x1) / 2 else "start"
            out.append(
                f'<text class="axis" x="{tx:.1f}" y="{top - 8}" font-size="10" '
                f'text-anchor="{anchor_side}">{esc(label)}</text>'
            )
        else:
            for i, child in enumerate(items):
                target = child.figure.target
                if target is None:
                    continue
                tx = x(float(target.value))
                y = top + i * (bar + gap)
                out.append(
                    f'<line class="target" x1="{tx:.1f}" y1="{y - 2}" x2="{tx:.1f}" '
                    f'y2="{y + bar + 2}"/>'
                )
        out.append("</svg>")
        return "".join(out)

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
            f'<p class="muted">{esc(intro)}</p>{self.table(headers, rows, "ranking")}',
        )

    def gaps(self) -> None:
        gaps = self.report.gaps
        if not gaps:
            self.add("gaps", self._(N_("Gap list")), self.none())
            return
        groups: dict[str, list[Gap]] = {}
        for gap in gaps:
            groups.setdefault(gap.indicator, []).append(gap)
        summary = self.table(
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
        parts = [f'<p class="muted">{esc(intro)}</p>', summary]
        rule_label, count = self._(N_("rule")), self._(N_("{count} units"))
        headers = [
            (self._(N_("No.")), "num"),
            (self._(N_("unit")), ""),
            (self._(N_("code")), ""),
            (self._(N_("what is missing")), ""),
        ]
        for key, items in groups.items():
            rules = list(dict.fromkeys(g.rule for g in items))
            rule = f"{rule_label}{self.colon()}{'；'.join(rules)}"
            rows = (
                f'<tr class="gap" data-indicator="{esc(g.indicator)}" '
                f'data-unit="{esc(g.unit)}"><td class="num">{n}</td>'
                f'<th scope="row">{esc(g.unit_name)}</th>'
                f'<td class="center">{esc(g.unit)}</td>'
                f'<td class="reason">{esc(g.reason)}</td></tr>'
                for n, g in enumerate(items, 1)
            )
            parts.append(
                f'<section class="gap-group" id="{anchor("gap", key)}">'
                f'<h3 class="keep">{esc(items[0].indicator_name)}'
                f'<span class="note">{esc(count.format(count=len(items)))}</span></h3>'
                f'<p class="keep rule">{esc(rule)}</p>'
                f"{self.table(headers, rows, 'gaps long')}</section>"
            )
        self.add("gaps", self._(N_("Gap list")), "".join(parts))

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
        body = [self.breakdown_chart(charted, groups)] if charted else []
        body.append(self.table(headers, lines, "breakdown"))
        self.add("breakdown", self._(N_("By station kind")), "".join(body))

    def breakdown_chart(self, rows: Sequence[BreakdownRow], groups: list[str]) -> str:
        """One grouped bar chart: per indicator a bar per station kind with data."""
        colours = {
            g: "#" + GROUP_COLOURS[i % len(GROUP_COLOURS)] for i, g in enumerate(groups)
        }
        small = 10
        width, name_w, bar, step, line_h = 680, 170, 11, 13, 15
        group_w = max(text_width(g, small) for g in groups) + 6
        x0 = name_w + 8 + group_w + 4
        x1 = width - 44
        top = 6
        blocks = []
        for row in rows:
            present = [g for g in row.groups if g[3] is not None]
            name_lines = wrap(row.name, name_w)
            height = max(len(name_lines) * line_h, len(present) * step) + 10
            blocks.append((present, name_lines, height))
        height = top + sum(b[2] for b in blocks) + 16

        def x(value: float) -> float:
            return x0 + (x1 - x0) * min(max(value, 0.0), 1.0)

        title = self._(N_("By station kind"))
        out = [
            f'<svg class="chart grouped" viewBox="0 0 {width} {height}" width="{width}" '
            f'height="{height}" role="img" font-size="{FONT}" aria-label="{esc(title)}">',
            f"<title>{esc(title)}</title>",
        ]
        for tick in (0, 0.25, 0.5, 0.75, 1.0):
            tx = x(tick)
            out.append(
                f'<line class="grid" x1="{tx:.1f}" y1="{top}" x2="{tx:.1f}" '
                f'y2="{height - 16}"/>'
            )
            out.append(
                f'<text class="axis" x="{tx:.1f}" y="{height - 4}" font-size="{small}" '
                f'text-anchor="middle">{tick * 100:g}%</text>'
            )
        y = top
        for present, name_lines, block in blocks:
            for i, line in enumerate(name_lines):
                out.append(f'<text x="0" y="{y + 11 + i * line_h}">{esc(line)}</text>')
            for j, (group, num, den, value, text) in enumerate(present):
                by = y + j * step
                end = x(float(value))
                out.append(
                    f'<text class="axis" x="{x0 - 4}" y="{by + bar - 2}" '
                    f'font-size="{small}" text-anchor="end">{esc(group)}</text>'
                )
                out.append(
                    f'<rect x="{x0}" y="{by}" width="{max(end - x0, 0.5):.1f}" '
                    f'height="{bar}" fill="{colours[group]}"><title>{esc(group)} '
                    f"{esc(text)} ({num}/{den})</title></rect>"
                )
                out.append(
                    f'<text x="{end + 3:.1f}" y="{by + bar - 2}" '
                    f'font-size="{small}">{esc(text)}</text>'
                )
            y += block
            out.append(
                f'<line class="grid" x1="0" y1="{y - 5}" x2="{width}" y2="{y - 5}"/>'
            )
        out.append("</svg>")
        keys = "".join(
            f'<span class="key" style="background-color:{c}"></span>{esc(g)}'
            for g, c in colours.items()
        )
        caption = esc(self._(N_("Compliance and ratios by station kind")))
        return (
            f'<figure class="chart wide"><figcaption>{caption}</figcaption>'
            f'<p class="legend">{keys}</p>{"".join(out)}</figure>'
        )

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
            f'<th scope="row">{esc(row.unit.name)}</th>'
            + "".join(f'<td class="num">{esc(t)}</td>' for t in row.lines)
            + f'<td class="num"><b>{esc(row.total_text)}</b></td></tr>'
            for row in section.rows
        )
        about = self._(
            N_("{count} units of level {level} scored; full marks {max}.")
        ).format(
            count=len(section.rows), level=section.level_text, max=section.max_text
        )
        return (
            f'<section class="scoring" id="{anchor("sheet", section.sheet_id)}">'
            f'<h3 class="keep">{esc(section.title)}</h3>'
            f'<p class="muted keep">{esc(about)}</p>'
            f"{self.table(headers, rows, 'scoring long')}</section>"
        )

    def watch_list(self) -> None:
        rows = self.report.watch_list
        if not rows:
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
                "sensitive period."
            )
        )
        self.add(
            "watch",
            self._(N_("Petitions watch list")),
            f'<p class="muted">{esc(intro)}</p>{self.table(headers, lines, "watch")}',
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

    def page(self) -> str:
        r = self.report
        self.headline()
        self.briefing()
        for section in r.areas:
            self.area(section)
        self.ranking()
        self.gaps()
        self.breakdown()
        self.scorings()
        self.watch_list()
        self.failures()
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


def wrap(text: str, width: float, size: float = FONT) -> list[str]:
    """``text`` cut into lines no wider than ``width`` (at most two, the second clipped)."""
    lines, line = [], ""
    for ch in text:
        if line and text_width(line + ch, size) > width:
            lines.append(line)
            line = ""
        line += ch
    lines.append(line)
    if len(lines) > 2:
        lines = [lines[0], clip("".join(lines[1:]), width, size)]
    return lines


def to_html(report: Report) -> str:
    """The report as one self-contained HTML page (UTF-8 text)."""
    return _Writer(report).page()
