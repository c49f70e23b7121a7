"""Cached calls into the library; pages read widgets, call these, and render.

Every call is keyed by the database URL, the scope (a unit whose subtree
alone may be read: ``vetservice --scope CODE dashboard``), and
whatever else it depends on: unit, period, as-of date, language. Library
objects that cannot be pickled (an evaluation holds its indicators' query
builders) and the report built from it are kept with ``st.cache_resource``;
they are frozen, so sharing them between sessions is safe. Small, plain
results use ``st.cache_data``.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from typing import Any

import streamlit as st

import vetservice as vs
from vetservice import NotFoundError, VetserviceError
from vetservice.calendar import Period, periods_between
from vetservice.domain.records import Unit
from vetservice.i18n import N_
from vetservice.indicators import Figure, Kind
from vetservice.indicators.grades import figure_grade
from vetservice.reports.build import build_report
from vetservice.reports.format import (
    column_label,
    grade_text,
    status_text,
    target_text,
    value_text,
)
from vetservice.reports.full import FullReport
from vetservice.reports.model import Report
from vetservice.store import database_url as _database_url
from vetservice_dashboard import hookspecs

__all__ = [
    "NotFoundError",
    "VetserviceError",
    "ancestors",
    "children",
    "database",
    "database_url",
    "evaluation",
    "follow_records",
    "indicators",
    "level_tiles",
    "record_counts",
    "records",
    "report",
    "roots",
    "scope",
    "sensitive_calendar",
    "top_units",
    "trend",
    "unit",
    "unit_of_child",
]

# What is cached is also dropped when the records change (follow_records);
# the time bounds what a server holds.
TTL = dt.timedelta(minutes=10)
PAGE_HOOK = "vetservice_dashboard_pages"


def database_url() -> str:
    return _database_url(os.environ.get("VETSERVICE_DB"))


def scope() -> str | None:
    """The unit whose subtree alone the dashboard may show (``VETSERVICE_SCOPE``)."""
    return os.environ.get("VETSERVICE_SCOPE") or None


def default_as_of() -> dt.date:
    """``VETSERVICE_AS_OF`` (YYYY-MM-DD) if set, else today in China."""
    text = os.environ.get("VETSERVICE_AS_OF")
    if text:
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            pass
    from vetservice.calendar import today_in_china

    return today_in_china()


@st.cache_resource(show_spinner=False)
def database(url: str, scope: str | None) -> vs.Database:
    """The database, its plugins knowing the dashboard's page hook."""
    db = vs.open(url, scope=scope)
    pm = db.plugins.pm
    caller = getattr(pm.hook, PAGE_HOOK, None)
    if caller is None or not caller.has_spec():
        pm.add_hookspecs(hookspecs)
    return db


@st.cache_resource(show_spinner=False)
def _versions_seen() -> dict[tuple[str, str | None], str]:
    """The records' version each (database, scope) was last read at, for the
    whole server (every session)."""
    return {}


def follow_records(url: str, scope: str | None) -> None:
    """Forget every cached read once the records have changed since the last
    run (an import from the command line, an upload in any session): the next
    page shows the new figures, never those read before. One cheap statement
    a run."""
    version = database(url, scope).records_version()
    seen = _versions_seen()
    if seen.setdefault((url, scope), version) != version:
        st.cache_data.clear()
        evaluation.clear()
        report.clear()
        seen[url, scope] = version


# -- the hierarchy -----------------------------------------------------------


@st.cache_data(ttl=TTL, show_spinner=False)
def roots(url: str, scope: str | None) -> list[Unit]:
    """Where the unit picker starts: the scope, else the top units."""
    db = database(url, scope)
    return [db.unit(scope)] if scope else db.top_units()


@st.cache_data(ttl=TTL, show_spinner=False)
def unit(url: str, scope: str | None, code: str) -> Unit:
    return database(url, scope).unit(code)


@st.cache_data(ttl=TTL, show_spinner=False)
def children(url: str, scope: str | None, code: str) -> list[Unit]:
    return database(url, scope).children(code)


@st.cache_data(ttl=TTL, show_spinner=False)
def ancestors(url: str, scope: str | None, code: str) -> list[Unit]:
    """The unit and its ancestors, the top (or the scope) first."""
    chain = list(reversed(database(url, scope).ancestors(code)))
    if scope:
        codes = [u.code for u in chain]
        if scope not in codes:
            raise NotFoundError(N_("no unit with code {code}"), code=code)
        chain = chain[codes.index(scope) :]
    return chain


@st.cache_data(ttl=TTL, show_spinner=False)
def unit_of_child(url: str, scope: str | None, code: str) -> dict[str, str]:
    """Each unit under ``code`` → the child of ``code`` it belongs to (for filters)."""
    db = database(url, scope)
    found: dict[str, str] = {}
    for child in db.children(code):
        for below in db.descendants(child.code):
            found[below.code] = child.code
    return found


@st.cache_data(ttl=TTL, show_spinner=False)
def top_units(url: str) -> list[dict[str, Any]]:
    return [{"code": u.code, "name": u.name} for u in database(url, None).top_units()]


@st.cache_data(ttl=TTL, show_spinner=False)
def record_counts(url: str) -> list[tuple[str, int]]:
    db = database(url, None)
    return [(vs.KINDS[kind].title, count) for kind, count in db.counts().items()]


# -- reports and figures -----------------------------------------------------


@st.cache_resource(ttl=TTL, max_entries=64, show_spinner=False)
def evaluation(
    url: str, scope: str | None, code: str, period: str, as_of: dt.date
) -> FullReport:
    """The full evaluation a report shows (figures, comparisons, watch list, scorings)."""
    return database(url, scope).report(code, Period.parse(period, as_of))


@st.cache_resource(ttl=TTL, max_entries=128, show_spinner=False)
def report(
    url: str, scope: str | None, code: str, period: str, as_of: dt.date, lang: str
) -> Report:
    """The report model of a unit, exactly what the HTML/XLSX/DOCX reports lay out."""
    return build_report(evaluation(url, scope, code, period, as_of), lang)


@st.cache_data(ttl=TTL, show_spinner=False)
def indicators(url: str, scope: str | None, lang: str) -> list[dict[str, Any]]:
    """Every loaded indicator's definition, in the catalogue's order."""
    rows = []
    for indicator_id, (plugin, indicator) in database(url, scope).indicators().items():
        rows.append(
            {
                "id": indicator_id,
                "name": indicator.name.render(lang),
                "area": indicator.area,
                "area_text": indicator.area.display(lang),
                "kind": indicator.kind,
                "kind_text": indicator.kind.display(lang),
                "rule": indicator.rule.render(lang),
                "target_text": target_text(indicator.kind, indicator.target, lang),
                "source": indicator.source,
                "plugin": plugin,
                "lower_is_better": bool(
                    indicator.target and indicator.target.op in ("<=", "<")
                ),
            }
        )
    return rows


@st.cache_data(ttl=TTL, show_spinner=False)
def level_tiles(
    url: str,
    scope: str | None,
    code: str,
    period: str,
    as_of: dt.date,
    indicator: str,
    lang: str,
) -> list[dict[str, Any]]:
    """One indicator at every unit two levels down (or one, when that is the bottom).

    Each row: the child (``group``) and the unit (``code``, ``name``) with the
    figure's value, its text, status, target and 红黄绿 grade (the reports'
    :func:`~vetservice.indicators.grades.figure_grade`), read from the stored figures: one
    call per level, whatever the number of units.
    """
    db = database(url, scope)
    at = Period.parse(period, as_of)
    rows: list[dict[str, Any]] = []
    registry = db.indicators()
    if indicator not in registry:
        return rows
    kind = registry[indicator][1].kind
    top = db.unit(code)
    children = db.children(code)
    levels = list(vs.Level)
    grand: Mapping[str, Figure] = {}
    if not children or top.level.depth + 2 >= len(levels):
        below: dict[str, list[Unit]] = {}
    else:
        found = db.level_figures(
            code, at, levels[top.level.depth + 2], indicators=[indicator]
        )
        below = {}
        for each in found.units:
            below.setdefault(each.parent_code or "", []).append(each)
        grand = found.figures.get(indicator, {})
    leaves = [c for c in children if c.code not in below]
    own = (
        db.level_figures(
            code, at, children[0].level, indicators=[indicator]
        ).figures.get(indicator, {})
        if leaves
        else {}
    )
    for child in children:
        units = below.get(child.code) or [child]
        figures = grand if child.code in below else own
        for each in units:
            figure = figures.get(each.code)
            if figure is None:
                continue
            grade = figure_grade(kind, figure)
            rows.append(
                {
                    "group": child.code,
                    "group_name": child.name,
                    "code": each.code,
                    "name": each.name,
                    "value": None if figure.value is None else float(figure.value),
                    "value_text": value_text(kind, figure.value, lang),
                    "status": figure.status.value,
                    "status_text": status_text(figure.status, lang),
                    "target_text": target_text(kind, figure.target, lang),
                    "grade": grade.value,
                    "grade_text": grade_text(grade, lang),
                }
            )
    return rows


@st.cache_data(ttl=TTL, show_spinner=False)
def trend(
    url: str,
    scope: str | None,
    indicator: str,
    code: str,
    period: str,
    as_of: dt.date,
    lang: str,
    count: int = 8,
) -> list[dict[str, Any]]:
    """The indicator at the unit over ``count`` periods, oldest first."""
    db = database(url, scope)
    kind = db.indicators()[indicator][1].kind
    points = db.trend(indicator, code, Period.parse(period, as_of), count=count)
    return [
        {
            "period": each.label,
            "value": None if figure.value is None else float(figure.value),
            "value_text": value_text(kind, figure.value, lang),
            "status_text": status_text(figure.status, lang),
            "target": None if figure.target is None else figure.target.value,
        }
        for each, figure in points
    ]


@st.cache_data(ttl=TTL, show_spinner=False)
def records(
    url: str,
    scope: str | None,
    indicator: str,
    code: str,
    period: str,
    as_of: dt.date,
    lang: str,
) -> dict[str, Any]:
    """The records behind an indicator at the unit, personal data masked.

    ``columns`` maps each column to its header in ``lang``; ``rows`` are the
    facts, and ``short`` the positions of those not counted in full (counted
    in the denominator more than in the numerator).
    """
    found = database(url, scope).explain(
        indicator, code, Period.parse(period, as_of), show_pii=False
    )
    columns = {c: column_label(c, lang) for c in found.columns}
    rows = [dict(r) for r in found.rows]
    short = [
        i
        for i, r in enumerate(rows)
        if (r.get("numerator") or 0) < (r.get("denominator") or 0)
    ]
    return {"columns": columns, "rows": rows, "short": short}


@st.cache_data(ttl=TTL, show_spinner=False)
def sensitive_calendar(
    url: str,
    scope: str | None,
    code: str,
    start: dt.date,
    end: dt.date,
    lang: str,
) -> list[dict[str, Any]]:
    """The sensitive periods concerning the unit between ``start`` and ``end``."""
    db = database(url, scope)
    chain = [u.code for u in db.ancestors(code)]
    periods = [p for p in db.sensitive_periods() if p.applies_to(chain)]
    return [
        {
            "id": o.id,
            "name": o.name.render(lang),
            "start": o.start,
            "end": o.end,
            "days": (o.end - o.start).days + 1,
        }
        for o in periods_between(periods, start, end)
    ]


def is_ratio(kind: Kind) -> bool:
    return kind in (Kind.COMPLIANCE, Kind.RATIO)
