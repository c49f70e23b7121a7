"""The 情况通报: plain paragraphs written from the figures, the same every time.

No network, no language model: each sentence is a message of the catalogue
filled with figures from the :class:`~vetservice.reports.model.Report`, so a
reviewer can check every word against the tables.
"""

from __future__ import annotations

from collections import Counter

from vetservice.i18n import N_, gettext
from vetservice.indicators import Kind, Status
from vetservice.reports.model import IndicatorRow, Report

LAST = 3  # how many of the weakest children a sentence names


def _(msgid: str, report: Report) -> str:
    return gettext(msgid, report.lang)


def _join(report: Report, parts: list[str]) -> str:
    return ("、" if report.lang == "zh" else ", ").join(parts)


def _end(report: Report, text: str) -> str:
    return text + ("。" if report.lang == "zh" else ".")


def _overview(report: Report) -> str:
    counts = Counter(row.status for row in report.rows())
    text = _(
        N_(
            "{period}: {unit} computed {total} indicators; {met} met the target, "
            "{not_met} fell short, {no_data} had no data"
        ),
        report,
    ).format(
        period=report.period_text,
        unit=report.unit.name,
        total=sum(counts.values()),
        met=counts[Status.MET],
        not_met=counts[Status.NOT_MET],
        no_data=counts[Status.NO_DATA],
    )
    return _end(report, text)


def _weakest(report: Report, row: IndicatorRow) -> list[str]:
    """The children short of the target with the lowest value, lowest first."""
    valued = [c for c in row.children if c.figure.status is Status.NOT_MET]
    valued.sort(key=lambda c: (float(c.figure.value or 0), c.unit.code))
    return [f"{c.unit.name}（{c.value_text}）" for c in valued[:LAST]]


def _indicator(report: Report, row: IndicatorRow) -> str:
    if row.figure.value is None:
        return _end(
            report,
            _(N_("{unit}'s {name}: no data"), report).format(
                unit=report.unit.name, name=row.name
            ),
        )
    parts = [
        _(N_("{unit}'s {name} is {value}"), report).format(
            unit=report.unit.name, name=row.name, value=row.value_text
        )
    ]
    if row.fraction_text:
        fraction = "（{}）" if report.lang == "zh" else " ({})"
        parts[0] += fraction.format(row.fraction_text)
    if row.previous and row.previous.change is not None:
        parts.append(
            _(N_("{change} on the previous period"), report).format(
                change=row.previous.change_text
            )
        )
    if row.last_year and row.last_year.change is not None:
        parts.append(
            _(N_("{change} on the same period last year"), report).format(
                change=row.last_year.change_text
            )
        )
    if row.kind in (Kind.COMPLIANCE, Kind.RATIO) and len(row.children) > LAST:
        weakest = _weakest(report, row)
        if weakest:
            parts.append(
                _(N_("the lowest are {units}"), report).format(
                    units=_join(report, weakest)
                )
            )
    return _end(report, ("，" if report.lang == "zh" else ", ").join(parts))


def _gaps(report: Report) -> str | None:
    if not report.gaps:
        return None
    units = len({g.unit for g in report.gaps})
    most = Counter(g.indicator_name for g in report.gaps).most_common(1)[0]
    return _end(
        report,
        _(
            N_(
                "The gap list has {count} entries in {units} units; "
                "the most frequent is {indicator} ({times})"
            ),
            report,
        ).format(count=len(report.gaps), units=units, indicator=most[0], times=most[1]),
    )


def _breakdown(report: Report) -> str | None:
    sentences = []
    for row in report.breakdown:
        if row.kind is not Kind.COMPLIANCE:
            continue
        shown = [f"{group} {text}" for group, _n, den, _v, text in row.groups if den]
        if len(shown) > 1:
            sentences.append(f"{row.name}：{_join(report, shown)}")
    if not sentences:
        return None
    return _end(
        report,
        _(N_("By kind of station: {figures}"), report).format(
            figures=("；" if report.lang == "zh" else "; ").join(sentences)
        ),
    )


def _watch(report: Report) -> str | None:
    if not report.watch_list:
        return None
    sensitive = sum(1 for w in report.watch_list if w.sensitive_text)
    return _end(
        report,
        _(
            N_(
                "{count} open petitions have a legal deadline within 30 days or in a "
                "sensitive period ({sensitive} in a sensitive period)"
            ),
            report,
        ).format(count=len(report.watch_list), sensitive=sensitive),
    )


def briefing(report: Report) -> list[str]:
    """The paragraphs of the 情况通报, in the report's language."""
    paragraphs = [_overview(report)]
    paragraphs += [_indicator(report, row) for row in report.headline]
    for extra in (_breakdown(report), _gaps(report), _watch(report)):
        if extra:
            paragraphs.append(extra)
    return paragraphs
