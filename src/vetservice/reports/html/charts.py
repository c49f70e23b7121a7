"""The SVG charts: the children's values as bars, and the breakdown by station kind."""

from __future__ import annotations

from collections.abc import Sequence

from vetservice.i18n import N_, gettext
from vetservice.reports.format import fraction_text
from vetservice.reports.html.markup import FONT, clip, colour, esc, text_width, wrap
from vetservice.reports.model import BreakdownRow, ChildFigure, IndicatorRow

# Colours of the station kinds in the breakdown chart (distinct from the status colours).
GROUP_COLOURS = ("1A3E72", "3F7FD6", "7BAFD4", "8E6BBF", "C58A2C", "6C8E3F")
CHART_WIDTH = 440


def bar_chart(row: IndicatorRow, lang: str) -> str:
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
                f'fill="{colour(child.grade)}">'
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
        label = gettext(N_("target"), lang) + " " + target.describe(row.kind)
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


def breakdown_chart(rows: Sequence[BreakdownRow], groups: list[str], lang: str) -> str:
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
    blocks: list[tuple[list[tuple[str, int, int, float, str]], list[str], int]] = []
    for row in rows:
        present = [(g, n, d, v, t) for g, n, d, v, t in row.groups if v is not None]
        name_lines = wrap(row.name, name_w)
        height = max(len(name_lines) * line_h, len(present) * step) + 10
        blocks.append((present, name_lines, height))
    height = top + sum(b[2] for b in blocks) + 16

    def x(value: float) -> float:
        return x0 + (x1 - x0) * min(max(value, 0.0), 1.0)

    title = gettext(N_("By station kind"), lang)
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
    caption = esc(gettext(N_("Compliance and ratios by station kind"), lang))
    return (
        f'<figure class="chart wide"><figcaption>{caption}</figcaption>'
        f'<p class="legend">{keys}</p>{"".join(out)}</figure>'
    )
