"""The JSON report: the contract of ``interfaces.md`` ("JSON report"), schema_version 1."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

from vetservice.calendar.periods import CHINA
from vetservice.domain.records import Unit
from vetservice.i18n import Message, language
from vetservice.indicators import Evaluation, Figure, IndicatorResult, Kind
from vetservice.reports.full import FullReport
from vetservice.version import __version__

SCHEMA_VERSION = 1


def _unit(unit: Unit) -> dict[str, Any]:
    return {"code": unit.code, "name": unit.name, "level": unit.level.value}


def _number(value: Any) -> Any:
    """Money as a string with two decimals; everything else as it is."""
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    return value


def _figure(result: IndicatorResult, figure: Figure) -> dict[str, Any]:
    data: dict[str, Any] = {
        "numerator": _number(figure.numerator),
        "denominator": figure.denominator,
        "value": _number(figure.value),
        "status": figure.status.value,
    }
    if figure.coverage is not None:
        data["coverage"] = figure.coverage.as_json()
    if figure.suppressed:
        data["suppressed"] = figure.suppressed  # withheld: a count below k
    return data


def _day(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _text(message: Message | None, lang: str) -> str | None:
    return message.render(lang) if message is not None else None


def _dated(items: list[dict[str, Any]], full: FullReport) -> dict[str, Any]:
    """A to-do list with the dates it is about: E and the day it is true at."""
    return {
        "period_end": full.period.end.isoformat(),
        "as_of": full.lists_as_of.isoformat(),
        "items": items,
    }


def _watch_list(full: FullReport, lang: str) -> dict[str, Any]:
    return _dated(
        [
            {
                "case_no": w.case_no,
                "unit": w.unit,
                "name": w.unit_name,
                "received_on": w.received_on.isoformat(),
                "stage": w.stage,
                "deadline": w.deadline.isoformat(),
                "days_left": w.days_left,
                "sensitive": [n.render(lang) for n in w.sensitive],
            }
            for w in full.watch_list
        ],
        full,
    )


def _overdue(full: FullReport) -> dict[str, Any]:
    return _dated(
        [
            {
                "case_no": o.case_no,
                "unit": o.unit,
                "name": o.unit_name,
                "received_on": o.received_on.isoformat(),
                "stage": o.stage,
                "deadline": o.deadline.isoformat(),
                "days_left": o.days_left,
                "closed_on": _day(o.closed_on),
                "overdue_at_end": o.overdue_at_end,
            }
            for o in full.overdue
        ],
        full,
    )


def report_dict(report: Evaluation | FullReport, lang: str = "zh") -> dict[str, Any]:
    """The report as plain data, names and reasons in ``lang``."""
    full = FullReport.of(report)
    evaluation = full.evaluation
    period = evaluation.period
    with language(lang):
        indicators = []
        gaps: list[dict[str, Any]] = []
        for result in evaluation:
            indicator = result.indicator
            entry: dict[str, Any] = {
                "id": indicator.id,
                "area": indicator.area.value,
                "kind": indicator.kind.value,
                "name": indicator.name.render(lang),
                # with the local standard in force (本地标准：…（插件）)
                "rule": indicator.rule.render(lang),
                **_figure(result, result.figure),
                "target": result.figure.target.as_json()
                if result.figure.target
                else None,
                "plugin": result.plugin,
            }
            for key, figures in (
                ("previous", full.previous),
                ("last_year", full.last_year),
                ("year_to_date", full.year_to_date),
            ):
                other = figures.get(indicator.id, {}).get(evaluation.unit.code)
                if other is not None:
                    entry[key] = {
                        "numerator": _number(other.numerator),
                        "denominator": other.denominator,
                        "value": _number(other.value),
                    }
            if indicator.kind is Kind.COMPLIANCE:
                fixed = full.resolved.get(indicator.id, {})
                missing = full.still_missing.get(indicator.id, {})
                entry["shortfalls"] = [
                    {
                        "unit": s.unit,
                        "name": s.name,
                        "reason": s.reason.render(lang),
                        "resolved_on": _day(fixed.get(s.unit)),
                        "missing_as_of": _text(missing.get(s.unit), lang),
                    }
                    for s in result.shortfalls
                ]
                if full.list_depth is not None:  # the list is cut there
                    entry["shortfalls_unlisted"] = result.unlisted.get(
                        evaluation.unit.code, 0
                    )
                gaps += [{"indicator": indicator.id, **s} for s in entry["shortfalls"]]
            indicators.append(entry)
        children = [
            {
                "unit": _unit(child),
                "indicators": [
                    {"id": r.indicator.id, **_figure(r, r.figures[child.code])}
                    for r in evaluation
                ],
            }
            for child in evaluation.children
        ]
        return {
            "unit": _unit(evaluation.unit),
            "period": period.label,
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
            "as_of": period.as_of.isoformat(),
            "partial": period.partial,
            "schema_version": SCHEMA_VERSION,
            "generated_at": evaluation.generated_at.astimezone(CHINA).isoformat(
                timespec="seconds"
            ),
            "vetservice_version": __version__,
            "indicators": indicators,
            "children": children,
            "failures": [f.as_json() for f in evaluation.failures],
            # The to-do lists: true at as_of, whatever the period (issue 20).
            # Listed down to list_depth levels below the unit (null: every
            # level); "unlisted" counts those further down.
            "gaps": {
                **_dated(gaps, full),
                "list_depth": full.list_depth,
                "unlisted": sum(
                    r.unlisted.get(evaluation.unit.code, 0) for r in evaluation
                ),
            },
            "watch_list": _watch_list(full, lang),
            "overdue": _overdue(full),
            "first_done": [
                {
                    "unit": f.unit,
                    "name": f.name,
                    "met": f.met,
                    "applicable": f.applicable,
                    "done_on": f.done_on.isoformat() if f.done_on else None,
                    "rank": f.rank,
                }
                for f in full.first_done
            ],
            "sign_offs": [line.as_json(lang) for line in full.sign_offs],
        }


def to_json(report: Evaluation | FullReport, lang: str = "zh") -> str:
    return json.dumps(report_dict(report, lang), ensure_ascii=False, indent=2) + "\n"
