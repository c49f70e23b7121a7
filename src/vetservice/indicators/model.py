"""What an indicator is: a set-based query of facts, plus how to read them.

An indicator's ``facts`` builds one SELECT over the record tables with one
row per fact (a unit, a veteran, a (station, month) pair, a payment…) and at
least the columns ``unit_code``, ``numerator`` and ``denominator``. The
engine sums those up the hierarchy with one join on the ancestor table,
lists failing facts as shortfalls, and lists any unit's facts for
drill-through. Extra columns describe the fact (a name, a key, what is
missing) for shortfall reasons and drill-through.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from typing import Any

import attrs
import sqlalchemy as sa

from vetservice.calendar import Period
from vetservice.domain.labels import LabelledEnum
from vetservice.domain.values import one_or_many
from vetservice.errors import ConfigurationError
from vetservice.i18n import N_, Bilingual, Message


class Area(LabelledEnum):
    ENVIRONMENT = "environment", "阵地建设"
    STAFFING = "staffing", "队伍建设"
    ACTIVITIES = "activities", "经常性工作"
    SERVICES = "services", "服务保障"
    PETITIONS = "petitions", "信访工作"


class Kind(LabelledEnum):
    COMPLIANCE = "compliance", "达标率"
    RATIO = "ratio", "比率"
    COUNT = "count", "数量"
    MONEY = "money", "金额"


class Status(LabelledEnum):
    MET = "met", "达标"
    NOT_MET = "not_met", "未达标"
    NO_DATA = "no_data", "无数据"
    NO_TARGET = "no_target", "无目标"
    FAILED = "failed", "计算失败"


_OPS: dict[str, Callable[[Any, Any], bool]] = {
    ">=": lambda a, b: a >= b,
    "<=": lambda a, b: a <= b,
    "==": lambda a, b: a == b,
    ">": lambda a, b: a > b,
    "<": lambda a, b: a < b,
}


@attrs.frozen
class Target:
    """``value op target``: ``Target(">=", 1.0)`` means at least 100%."""

    op: str
    value: float
    # How far from the target still reads 接近 (黄) rather than 未达标 (红):
    # percentage points as a fraction for ratios (0.1 = 10 个百分点), a share
    # of the target for counts and money (0.1 = within 10 %); None is the
    # default (vetservice.indicators.grades.DEFAULT_BAND). An override's
    # target carries its own band, so bands vary by subtree like targets.
    band: float | None = None

    def __attrs_post_init__(self) -> None:
        if self.op not in _OPS:
            raise ConfigurationError(N_("unknown target operator {op}"), op=self.op)

    @classmethod
    def percent(cls, op: str, value: float) -> Target:
        """A ratio's target written in percent: ``Target.percent(">=", 80)`` is
        ``Target(">=", 0.8)``. ``Target(">=", 80)`` on a ratio is refused, never
        shown as 8000%."""
        return cls(op, value / 100)

    def met(self, value: float | int | Decimal) -> bool:
        return _OPS[self.op](float(value), float(self.value))

    def as_json(self) -> dict[str, Any]:
        shown: dict[str, Any] = {"op": self.op, "value": self.value}
        if self.band is not None:
            shown["band"] = self.band
        return shown

    def describe(self, kind: Kind) -> str:
        shown = (
            f"{self.value * 100:g}%"
            if kind in (Kind.COMPLIANCE, Kind.RATIO)
            else f"{self.value:g}"
        )
        symbol = {">=": "≥", "<=": "≤", "==": "="}.get(self.op, self.op)
        return f"{symbol} {shown}"


AT_LEAST_ALL = Target(">=", 1.0)
NONE_AT_ALL = Target("<=", 0)


@attrs.frozen
class Override:
    """Local parameters and/or target for an indicator in a unit's subtree."""

    indicator: str
    unit: str
    parameters: Mapping[str, Any] = attrs.field(factory=dict)
    target: Target | None = None


@attrs.frozen
class Context:
    """What an indicator's query may use: the period and its parameters.

    ``param(name, unit_column)`` is a SQL expression giving the parameter's
    value for the unit in that column: the nearest override up the hierarchy,
    else the indicator's default. With no override it is a plain literal.
    """

    period: Period
    indicator_id: str
    defaults: Mapping[str, Any]
    overrides: tuple[Override, ...] = ()
    # The state ledgers whose rows in force at E differ from today's
    # (vetservice.store.history.dated_ledgers): the engine reads them as of E.
    dated: frozenset[str] = frozenset()

    @property
    def start(self) -> dt.date:
        return self.period.start

    @property
    def end(self) -> dt.date:
        return self.period.end

    @property
    def year_start(self) -> dt.date:
        return self.period.year_start

    @property
    def months(self) -> list[str]:
        return self.period.months

    def param(
        self, name: str, unit_column: sa.ColumnElement[Any]
    ) -> sa.ColumnElement[Any]:
        from vetservice.store import unit_closure

        default = self.defaults[name]
        rows = [
            (o.unit, o.parameters[name])
            for o in self.overrides
            if o.indicator == self.indicator_id and name in o.parameters
        ]
        if not rows:
            return sa.literal(default)
        # A small literal table of the overrides (VALUES lists do not compile on SQLite).
        local = sa.union_all(
            *(
                sa.select(
                    sa.literal(unit, sa.String).label("unit"),
                    sa.literal(value, _sql_type(default)).label("value"),
                )
                for unit, value in rows
            )
        ).subquery(f"param_{name}")
        nearest = (
            sa.select(local.c.value)
            .join(unit_closure, unit_closure.c.ancestor == local.c.unit)
            .where(unit_closure.c.descendant == unit_column)
            .order_by(unit_closure.c.depth)
            .limit(1)
            .scalar_subquery()
        )
        return sa.func.coalesce(nearest, sa.literal(default))


def _sql_type(value: Any) -> Any:
    if isinstance(value, bool):
        return sa.Boolean
    if isinstance(value, int):
        return sa.Integer
    if isinstance(value, float | Decimal):
        return sa.Numeric
    return sa.String


Facts = Callable[[Context], sa.Select[Any]]
Reason = Callable[[Mapping[str, Any]], Message]
Text = Bilingual | tuple[str, str]


def _bilingual(text: Text) -> Bilingual:
    """A name or rule given as ``("中文", "English")`` or a :class:`Bilingual`."""
    return text if isinstance(text, Bilingual) else Bilingual(*text)


@attrs.frozen(kw_only=True)
class Indicator:
    """One indicator: its identity, how to compute it, and how to read it.

    Attributes:
        id: public, stable id such as ``env.all_elements``.
        area: the section of the seed speech it measures.
        kind: compliance, ratio, count or money.
        name: Chinese and English names.
        rule: one sentence saying what counts, in both languages.
        facts: builds the SELECT of facts (see the module docstring).
        target: the default target, or None (status ``no_target``).
        parameters: defaults of the numbers a county may change.
        reason: for compliance, turns a failing fact row into a sentence.
        source: the sentence of the seed speech the rule comes from.
        scope: unit codes whose subtrees alone the indicator covers (a
            county plugin's own indicators); empty means everywhere.
        pii: fact columns holding personal data, masked in drill-through.
        headline: one of the few figures a report shows a leader first.
    """

    id: str
    area: Area
    kind: Kind
    name: Bilingual = attrs.field(converter=_bilingual)
    rule: Bilingual = attrs.field(converter=_bilingual)
    facts: Facts
    target: Target | None = None
    parameters: Mapping[str, Any] = attrs.field(factory=dict)
    reason: Reason | None = None
    source: str = ""
    scope: tuple[str, ...] = attrs.field(default=(), converter=one_or_many)
    pii: tuple[str, ...] = attrs.field(default=(), converter=one_or_many)
    headline: bool = False

    def __attrs_post_init__(self) -> None:
        if self.kind is Kind.COMPLIANCE and self.reason is None:
            raise ConfigurationError(
                N_("compliance indicator {id} needs a reason for its shortfalls"),
                id=self.id,
            )


def indicator(
    id: str,
    *,
    area: Area,
    kind: Kind,
    name: Text,
    rule: Text,
    target: Target | None = None,
    parameters: Mapping[str, Any] | None = None,
    reason: Reason | None = None,
    source: str = "",
    scope: str | Iterable[str] = (),
    pii: str | Iterable[str] = (),
    headline: bool = False,
) -> Callable[[Facts], Indicator]:
    """Declare an indicator on the function that builds its facts::

        @indicator(
            "env.dedicated_space",
            area=Area.ENVIRONMENT,
            kind=Kind.COMPLIANCE,
            name=("乡村服务站独立场所率", "dedicated space"),
            rule=("乡镇和村级服务站有独立场所", "township and village stations have their own space"),
            target=AT_LEAST_ALL,
            reason=lambda row: Message(N_("only a window inside a general service hall")),
            source="有的在门口挂了退役军人服务站……",
        )
        def dedicated_space(ctx: Context) -> sa.Select[Any]:
            return per_unit(met=..., levels=["township", "village"])

    The decorated name is the :class:`Indicator` itself, ready to return from
    ``vetservice_register_indicators``.
    """

    def declare(facts: Facts) -> Indicator:
        return Indicator(
            id=id,
            area=area,
            kind=kind,
            name=name,
            rule=rule,
            facts=facts,
            target=target,
            parameters=dict(parameters or {}),
            reason=reason,
            source=source,
            scope=scope,
            pii=pii,
            headline=headline,
        )

    return declare
