"""The hooks a county plugin (and every built-in feature) implements.

A plugin is a module or object with functions named like the specs below,
decorated with :data:`hookimpl`::

    import vetservice as vs

    @vs.hookimpl
    def vetservice_register_indicators():
        return [my_indicator]

Specs only gain arguments, never lose or rename them.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from vetservice.markers import PROJECT, hookimpl, hookspec

if TYPE_CHECKING:
    from vetservice.calendar.sensitive import SensitivePeriod
    from vetservice.imports.checks import Check
    from vetservice.indicators.model import Indicator, Override
    from vetservice.reports.notice import NoticeParagraphs, NoticeSettings
    from vetservice.reports.renderers import Renderer
    from vetservice.scoring import ScoringSheet

__all__ = ["PROJECT", "hookimpl", "hookspec"]


@hookspec
def vetservice_register_indicators() -> Iterable[Indicator]:
    """Contribute indicators.

    Returns:
        An iterable of :class:`vetservice.indicators.Indicator`. Ids must be
        unique across all plugins; a duplicate is rejected naming both plugins.

    Called once when the plugin manager's indicators are first needed. If the
    hook raises, the plugin's indicators are reported as ``failed`` and every
    other plugin's indicators are still evaluated.

    Example::

        from vetservice.indicators import Area, Kind, Target, facts, in_period, indicator

        @indicator(
            "baota.red_study",
            area=Area.ACTIVITIES,
            kind=Kind.RATIO,
            name=("学习教育活动用红色资源比例", "study activities using red resources"),
            rule=("学习教育活动中标注“红色资源”的比例", "share of study activities tagged 红色资源"),
            target=Target(">=", 0.5),
            source="利用延安独特的红色资源，组织他们学习……",
            scope=("610602000000",),  # 宝塔区 only
        )
        def red_study(ctx):
            # One fact per study activity in the period: 1 of 1 if tagged 红色资源.
            return facts(
                activities.c.unit_code,
                activities.c.title,
                met=activities.c.tags.contains("红色资源"),
            ).where(activities.c.type == "study", in_period(activities.c.held_on, ctx))

        @hookimpl
        def vetservice_register_indicators():
            return [red_study]

    .. versionadded:: 0.1
    """


@hookspec
def vetservice_register_overrides() -> Iterable[Override]:
    """Change indicator parameters or targets for a county's (or any unit's) subtree.

    Returns:
        An iterable of :class:`vetservice.indicators.Override` rows
        ``(indicator, unit, parameters, target)``. For any unit the override
        of its nearest ancestor (or itself) wins; the engine applies them in
        SQL, never one call per unit.

    Called once per plugin manager.

    Example::

        @hookimpl
        def vetservice_register_overrides():
            # 宝塔区: townships need at least three full-time workers.
            return [Override("staff.township_fulltime", "610602000000", {"min_fulltime": 3})]

    .. versionadded:: 0.1
    """


@hookspec
def vetservice_register_checks() -> Iterable[Check]:
    """Contribute cross-record checks run by ``vetservice validate``.

    Returns:
        An iterable of :class:`vetservice.imports.checks.Check`: each names a
        record kind, a message id and a function building one SELECT whose
        rows (the kind's key columns, then the message's parameters) break
        the rule.

    Called once per ``validate``. A check that raises is reported as a
    failure of its plugin; the other checks still run.

    Example::

        @hookimpl
        def vetservice_register_checks():
            return [Check("local.no_phone", "veterans", N_("no phone"), query)]

    .. versionadded:: 0.1
    """


@hookspec
def vetservice_register_renderers() -> Iterable[Renderer]:
    """Contribute output formats for reports.

    Returns:
        An iterable of :class:`vetservice.reports.Renderer`: a format name
        (``--format NAME``), a file extension, and ``render(evaluation, lang)``
        returning the file's text or bytes.

    Called when a report is written. A later plugin's renderer replaces an
    earlier one of the same name, so a county can restyle a format.

    Example::

        @hookimpl
        def vetservice_register_renderers():
            return [Renderer("csv", "csv", lambda ev, lang: my_csv(ev))]

    .. versionadded:: 0.1
    """


@hookspec
def vetservice_register_scoring_sheets() -> Iterable[ScoringSheet]:
    """Contribute 考核 scoring sheets.

    Returns:
        An iterable of :class:`vetservice.scoring.ScoringSheet` (build one in
        code, or load a county's YAML file with
        :func:`vetservice.scoring.load_sheet`). Sheet ids must be unique.

    Called when sheets are listed or a unit is scored.

    Example::

        @hookimpl
        def vetservice_register_scoring_sheets():
            return [load_sheet(Path(__file__).with_name("乡镇考核.yaml"))]

    .. versionadded:: 0.1
    """


@hookspec
def vetservice_register_sensitive_periods() -> Iterable[SensitivePeriod]:
    """Contribute sensitive periods (敏感时期), such as a county's own 两会.

    Returns:
        An iterable of :class:`vetservice.calendar.SensitivePeriod`: an id, a
        Chinese and English name, and a rule dating it in any year
        (:class:`~vetservice.calendar.FixedDates` for the same days every
        year, :class:`~vetservice.calendar.LunarDates` for lunar dates,
        :class:`~vetservice.calendar.DatesByYear` for dates set year by year,
        or any object with ``ranges(year)``). Ids must be unique across all
        plugins; a duplicate is rejected naming both plugins.

    Called once per plugin manager, when the sensitive periods are first
    needed (:func:`vetservice.calendar.collect_sensitive_periods`, for the
    petitions watch list). The built-in plugin contributes the defaults
    (元旦, 春节, 全国两会, 八一, 国庆); configuration then changes or switches
    off any period by id and dates the province's and the city's 两会.

    Example::

        @hookimpl
        def vetservice_register_sensitive_periods():
            return [SensitivePeriod(
                id="baota.lianghui",
                name=Bilingual("宝塔区两会", "Baota district Two Sessions"),
                rule=DatesByYear({"2026": ("2026-01-10", "2026-01-14")}),
            )]

    .. versionadded:: 0.1
    """


@hookspec
def vetservice_register_notice_parts() -> Iterable[NoticeSettings | NoticeParagraphs]:
    """Shape the 情况通报 of a unit: its 公文 settings and its own paragraphs.

    Returns:
        :class:`vetservice.reports.notice.NoticeSettings` (the 发文机关 and its
        标志, the 发文字号, 主送, 抄送, the 表号's 批准文号 and the deadline
        of the 下步要求, for one unit or, with ``unit=""``, for every unit)
        and :class:`vetservice.reports.notice.NoticeParagraphs` (paragraphs
        written from the notice, added to or replacing one of its four parts
        for the units in ``scope``). A ``write`` that raises is recorded as
        the plugin's failure and the 通报 keeps its own paragraphs.

    Example::

        @hookimpl
        def vetservice_register_notice_parts():
            return [
                NoticeSettings(unit="610602000000", code_prefix="宝区退役军人发"),
                NoticeParagraphs(
                    "achievements",
                    lambda notice: ["宝塔区红色教育基地接待退役军人1200人次。"],
                    scope=("610602000000",),
                ),
            ]

    .. versionadded:: 0.2
    """
