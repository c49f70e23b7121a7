"""The Markdown report: headline, one section per area, children, shortfalls."""

from __future__ import annotations

from vetservice.i18n import N_, gettext, language
from vetservice.indicators import Area, Evaluation, IndicatorResult, Kind
from vetservice.reports.format import (
    MARKS,
    fraction_text,
    status_text,
    target_text,
    value_text,
)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(_cell(c) for c in cells) + " |"


def to_markdown(evaluation: Evaluation, lang: str = "zh") -> str:
    _ = lambda msgid: gettext(msgid, lang)  # noqa: E731 - a local shorthand
    period = evaluation.period
    unit = evaluation.unit
    lines = [
        "# "
        + _(N_("{unit}: veterans' service indicators, {period}")).format(
            unit=unit.name, period=period.label
        ),
        "",
        _(N_("Period {start} to {end}, as of {as_of}.")).format(
            start=period.start, end=period.end, as_of=period.as_of
        ),
    ]
    if period.partial:
        lines.append("")
        lines.append(
            "> " + _(N_("The period is not over yet: the figures are partial."))
        )
    with language(lang):
        by_area: dict[Area, list[IndicatorResult]] = {}
        for result in evaluation:
            by_area.setdefault(result.indicator.area, []).append(result)
        for area, results in by_area.items():
            lines += ["", f"## {area.display(lang)}", ""]
            lines.append(
                _row(
                    [
                        _(N_("indicator")),
                        _(N_("value")),
                        _(N_("numerator/denominator")),
                        _(N_("target")),
                        _(N_("status")),
                    ]
                )
            )
            lines.append("|---|---:|---:|---|---|")
            for r in results:
                kind = r.indicator.kind
                lines.append(
                    _row(
                        [
                            r.indicator.name.render(lang),
                            value_text(kind, r.value, lang),
                            fraction_text(kind, r.figure),
                            target_text(kind, r.figure.target, lang),
                            f"{MARKS[r.status]} {status_text(r.status, lang)}".strip(),
                        ]
                    )
                )
            if evaluation.children:
                lines += ["", "### " + _(N_("Units one level down")), ""]
                lines.append(
                    _row(
                        [
                            _(N_("unit")),
                            *(r.indicator.name.render(lang) for r in results),
                        ]
                    )
                )
                lines.append("|---" + "|---:" * len(results) + "|")
                for child in evaluation.children:
                    lines.append(
                        _row(
                            [
                                child.name,
                                *(
                                    value_text(
                                        r.indicator.kind,
                                        r.figures[child.code].value,
                                        lang,
                                    )
                                    for r in results
                                ),
                            ]
                        )
                    )
            gaps = [
                r
                for r in results
                if r.indicator.kind is Kind.COMPLIANCE and r.shortfalls
            ]
            if gaps:
                lines += ["", "### " + _(N_("Shortfalls")), ""]
                for r in gaps:
                    lines.append(f"- **{r.indicator.name.render(lang)}**")
                    for s in r.shortfalls:
                        lines.append(
                            f"  - {s.name}（{s.unit}）：{s.reason.render(lang)}"
                        )
        if evaluation.failures:
            lines += ["", "## " + _(N_("Plugin failures")), ""]
            for f in evaluation.failures:
                lines.append(
                    f"- {f.plugin} · {f.hook} · {f.indicator or '—'}: {f.error}"
                )
    return "\n".join(lines) + "\n"
