"""考核 results as data, a ranking table, Markdown, and the records behind each point."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from vetservice.i18n import N_, gettext, language
from vetservice.reports.format import column_label, points_text
from vetservice.scoring import (
    ItemKind,
    ItemScore,
    Scoring,
    ScoringSheet,
    Trace,
    UnitScore,
)


def _points(points: Decimal) -> int | float:
    return int(points) if points == points.to_integral_value() else float(points)


def sheet_dict(sheet: ScoringSheet, lang: str = "zh") -> dict[str, Any]:
    return {
        "id": sheet.id,
        "name": sheet.name.render(lang),
        "level": sheet.level.value,
        "max_score": _points(sheet.max_score),
        "description": sheet.description,
        "lines": [
            {
                "id": line.id,
                "name": line.name,
                "weight": _points(line.weight),
                "items": [
                    {
                        "id": item.id,
                        "name": item.name,
                        "kind": item.kind.value,
                        "indicators": list(item.indicators),
                        "count": item.count.value,
                        "points": _points(item.points),
                        "cap": None if item.cap is None else _points(item.cap),
                        "veto": item.veto.value if item.kind is ItemKind.VETO else None,
                    }
                    for item in line.items
                ],
            }
            for line in sheet.lines
        ],
    }


def _item(score: ItemScore) -> dict[str, Any]:
    instances = score.instances
    return {
        "id": score.item.id,
        "instances": str(instances) if isinstance(instances, Decimal) else instances,
        "points": _points(score.points),
        "vetoes": score.vetoes,
        "failed": score.failed,
    }


def scoring_dict(scoring: Scoring, lang: str = "zh") -> dict[str, Any]:
    """Sheet, period and every unit's lines, items, total and rank as plain data."""
    period = scoring.period
    with language(lang):
        return {
            "sheet": {**sheet_dict(scoring.sheet, lang), "plugin": scoring.plugin},
            "unit": {"code": scoring.unit.code, "name": scoring.unit.name},
            "period": period.label,
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
            "as_of": period.as_of.isoformat(),
            "partial": period.partial,
            "generated_at": scoring.generated_at.astimezone(dt.UTC).isoformat(),
            "scores": [
                {
                    "rank": s.rank,
                    "unit": {
                        "code": s.unit.code,
                        "name": s.unit.name,
                        "parent": s.unit.parent_code,
                    },
                    "total": _points(s.total),
                    "vetoed": s.vetoed,
                    "failed": s.failed,
                    "lines": [
                        {
                            "id": ln.line.id,
                            "score": _points(ln.score),
                            "deducted": _points(ln.deducted),
                            "bonus": _points(ln.bonus),
                            "vetoed": ln.vetoed,
                            "items": [_item(i) for i in ln.items],
                        }
                        for ln in s.lines
                    ],
                }
                for s in scoring.scores
            ],
            "failures": [f.as_json() for f in scoring.failures],
        }


def scoring_table(
    scoring: Scoring, lang: str = "zh"
) -> tuple[list[str], list[list[str]]]:
    """The ranking: rank, unit, one column per line, total; best first."""
    _ = lambda msgid: gettext(msgid, lang)  # noqa: E731 - a local shorthand
    header = [_(N_("rank")), _(N_("code")), _(N_("unit"))]
    header += [
        f"{line.name}（{points_text(line.weight)}）" for line in scoring.sheet.lines
    ]
    header.append(_(N_("total")) + f"（{points_text(scoring.sheet.max_score)}）")
    rows = []
    for s in scoring.scores:
        rank = "—" if s.rank is None else str(s.rank)
        lines = [_score(ln.score, ln.vetoed, False, lang) for ln in s.lines]
        total = _score(s.total, s.vetoed, s.failed, lang)
        rows.append([rank, s.unit.code, s.unit.name, *lines, total])
    return header, rows


def _score(points: Decimal, vetoed: bool, failed: bool, lang: str) -> str:
    text = points_text(points)
    if vetoed:
        text = gettext(N_("{score} (vetoed)"), lang).format(score=text)
    if failed:
        text = gettext(N_("{score} (incomplete)"), lang).format(score=text)
    return text


def scoring_markdown(scoring: Scoring, lang: str = "zh") -> str:
    """The ranking as a Markdown document a leader can read."""
    _ = lambda msgid: gettext(msgid, lang)  # noqa: E731 - a local shorthand
    period = scoring.period
    header, rows = scoring_table(scoring, lang)
    out = [
        "# "
        + _(N_("{unit}: {sheet}, {period}")).format(
            unit=scoring.unit.name,
            sheet=scoring.sheet.name.render(lang),
            period=period.label,
        ),
        "",
        _(N_("{count} units of level {level} scored; full marks {max}.")).format(
            count=len(scoring.scores),
            level=scoring.sheet.level.display(lang),
            max=points_text(scoring.sheet.max_score),
        ),
    ]
    if scoring.sheet.description:
        out += ["", scoring.sheet.description]
    if period.partial:
        out += [
            "",
            "> " + _(N_("The period is not over yet: the figures are partial.")),
        ]
    out += ["", _md_row(header), "|" + "---|" * len(header)]
    out += [_md_row(row) for row in rows]
    return "\n".join(out) + "\n"


def _md_row(cells: Sequence[str]) -> str:
    return "| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |"


def trace_dict(traces: Sequence[Trace], lang: str = "zh") -> list[dict[str, Any]]:
    """Each item that gave or took points at a unit, with the records behind it."""
    with language(lang):
        return [
            {
                "line": t.line.id,
                "item": t.item.item.id,
                "name": t.item.item.name,
                "kind": t.item.item.kind.value,
                "instances": _item(t.item)["instances"],
                "points": _points(t.item.points),
                "vetoes": t.item.vetoes,
                "records": [
                    {"indicator": e.indicator.id, **_plain(row)}
                    for e in t.explanations
                    for row in e.rows
                ],
            }
            for t in traces
        ]


def trace_report(
    scored: UnitScore, traces: Sequence[Trace], lang: str = "zh"
) -> dict[str, Any]:
    """A scored unit's rank and total, and the records behind each of its points."""
    return {
        "unit": {"code": scored.unit.code, "name": scored.unit.name},
        "rank": scored.rank,
        "total": _points(scored.total),
        "items": trace_dict(traces, lang),
    }


def _plain(row: Mapping[str, Any]) -> dict[str, Any]:
    return {
        k: v.isoformat()
        if isinstance(v, dt.date)
        else str(v)
        if isinstance(v, Decimal)
        else v
        for k, v in row.items()
    }


def trace_text(traces: Sequence[Trace], lang: str = "zh") -> str:
    """The traced items as text: one heading per item, then one line per record."""
    _ = lambda msgid: gettext(msgid, lang)  # noqa: E731 - a local shorthand
    out = []
    for entry in trace_dict(traces, lang):
        sign = "" if entry["points"] <= 0 else "+"
        effect = _(N_("veto")) if entry["vetoes"] else f"{sign}{entry['points']:g}"
        out.append(
            _(N_("{name}: {instances} times, {effect}")).format(
                name=entry["name"], instances=entry["instances"], effect=effect
            )
        )
        if not entry["records"]:
            out.append("    " + _(N_("no record in the period")))
        for record in entry["records"]:
            shown = {
                k: v
                for k, v in record.items()
                if k not in ("indicator", "unit_code", "numerator", "denominator")
                and v is not None
            }
            out.append(
                "    "
                + "  ".join(f"{column_label(k, lang)}：{v}" for k, v in shown.items())
            )
    return "\n".join(out) + ("\n" if out else "")
