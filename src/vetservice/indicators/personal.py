"""Which columns of an indicator's facts come from personal data, by lineage.

An author cannot forget to declare personal data: each fact column is
followed back through its labels, expressions and subqueries to the record
tables, and a column drawn from a personal field (declared once with the
record kinds) is masked in drill-through, shortfalls and reports, whatever
the indicator's ``pii`` says. ``pii`` still adds columns (a staff number).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

import sqlalchemy as sa
from sqlalchemy.sql import visitors

from vetservice.domain import KINDS
from vetservice.domain.identity import mask_text
from vetservice.domain.personal import Personal, mask_personal

# The engine's own columns are counts and a unit code, never masked.
ENGINE_COLUMNS = frozenset({"unit_code", "numerator", "denominator"})


def _personal(column: Any) -> Personal | None:
    if isinstance(column, sa.Column) and isinstance(column.table, sa.Table):
        kind = KINDS.get(column.table.name)
        if kind is not None:
            return kind.personal.get(column.name)
    return None


# Every personal field's name: SQL written as text (literal_column("v.name"))
# cannot be followed back to a table, so naming one is enough to mask it.
_PERSONAL_NAMES = frozenset(n for kind in KINDS.values() for n in kind.personal)


def _textual(element: Any) -> bool:
    """SQL text (a literal column, a text clause) naming a personal field."""
    if isinstance(element, sa.ColumnClause) and element.table is None:
        text = element.name
    elif isinstance(element, sa.TextClause):
        text = element.text
    else:
        return False
    return not _PERSONAL_NAMES.isdisjoint(re.findall(r"\w+", text))


def _lineage(column: Any) -> Personal | None:
    """What personal data a selected column carries: the field's kind when it
    is a plain copy of one personal field, DERIVED when it is computed from
    any, None otherwise."""
    proxies = list(getattr(column, "proxy_set", ()) or (column,))
    direct = {_personal(p) for p in proxies} - {None}
    if len(direct) == 1 and all(
        isinstance(p, sa.Column | sa.Label) or p is column or _personal(p)
        for p in proxies
        if not isinstance(p, sa.ColumnClause)
    ):
        return direct.pop()
    if direct:
        return Personal.DERIVED
    for proxy in proxies:  # through subqueries to the CASE itself
        chosen = _chosen(proxy)
        if chosen is not None:
            return chosen
    for proxy in proxies:
        for element in visitors.iterate(proxy):
            if _personal(element) is not None or _textual(element):
                return Personal.DERIVED
            if (
                element is not proxy
                and isinstance(element, sa.ColumnClause)
                and _lineage(element) is not None
            ):
                return Personal.DERIVED
    return None


def _chosen(column: Any) -> Personal | None:
    """A CASE choosing between copies of one kind of personal field and NULL
    (a recipient shown only when it is a name) carries that kind, masked as
    such (李**) rather than hidden whole; anything else computed is not
    decided here."""
    element = column.element if isinstance(column, sa.Label) else column
    if not isinstance(element, sa.Case):
        return None
    branches = [result for _, result in element.whens]
    if element.else_ is not None:
        branches.append(element.else_)
    kinds = {
        _lineage(branch)
        for branch in branches
        if not isinstance(branch, sa.Null)
        and not (isinstance(branch, sa.BindParameter) and branch.value is None)
    }
    if len(kinds) == 1 and None not in kinds and Personal.DERIVED not in kinds:
        return kinds.pop()
    return None


def personal_columns(
    query: sa.Select[Any] | sa.Subquery, declared: Iterable[str] = ()
) -> dict[str, Personal]:
    """Column name → what personal data it carries, for the facts' columns
    (plus the ``declared`` ones, masked like id numbers)."""
    columns = query.selected_columns if isinstance(query, sa.Select) else query.c
    found: dict[str, Personal] = {}
    for column in columns:
        key = column.key
        if key is None or key in ENGINE_COLUMNS:
            continue
        carried = _lineage(column)
        if carried is not None:
            found[key] = carried
    for name in declared:
        if name not in ENGINE_COLUMNS:
            found.setdefault(
                name, Personal.PHONE if name.endswith("phone") else Personal.ID_NUMBER
            )
    return found


def mask_facts_row(
    row: Mapping[Any, Any], personal: Mapping[str, Personal]
) -> dict[str, Any]:
    """A fact row as shown without ``show_pii``: personal columns masked by
    what they hold, id numbers and phones in any other text masked too."""
    masked = dict(row)
    for column, value in masked.items():
        if not isinstance(value, str) or not value or column in ENGINE_COLUMNS:
            continue
        kind = personal.get(column)
        masked[column] = mask_personal(kind, value) if kind else mask_text(value)
    return masked
