"""The 情况通报 as a 公文: its parts and its text, written from the report's figures.

:func:`notice` turns a :class:`~vetservice.reports.model.Report` into a
:class:`Notice` — 版头 (发文机关标志, 发文字号), title, 主送, the body in its
four parts (总体情况, 主要成效, 存在问题, 下步要求), 附件 list, 落款, 成文日期
and 版记 (抄送, 印发机关和日期) — which the Word, HTML and Markdown renderers
lay out, each in its own way, with the same words.

Every sentence is a message of the catalogue filled with figures: no
network, no model, the same text every time. The problems are the targeted
indicators furthest below their target, weighted by how many units, people or
cases fall short, at most two of an area; each names its weakest child units
with their figures and gets one requirement, in the seed speech's own words
where the speech has words for it, with a deadline.

What a unit may set (the 发文机关标志, the 发文字号, 主送, 抄送, the
deadline) comes from :class:`NoticeSettings`, and a county plugin adds or
replaces paragraphs with :class:`NoticeParagraphs`; both are registered
through ``vetservice_register_notice_parts`` and handed to the renderers by
:func:`notice_parts`.
"""

from __future__ import annotations

import calendar
import contextlib
import contextvars
import datetime as dt
import math
from collections.abc import Callable, Iterator, Sequence

import attrs

from vetservice.domain import Level
from vetservice.i18n import N_, gettext
from vetservice.indicators import Area
from vetservice.indicators.grades import Grade, counts, distance
from vetservice.reports.format import date_name
from vetservice.reports.model import IndicatorRow, Report, is_ratio

PROBLEMS_MAX = 4  # with their requirements, a county's body and 版记 stay within 4 pages
PROBLEMS_MIN = 3
PER_AREA = 2  # problems of one area at most, so that the 通报 covers the work
WEAKEST = 3  # child units a problem names
BEST = 3  # child units 主要成效 names
MET_NAMED = 5  # indicators met that 主要成效 names
KEY_FIGURES = 3  # headline figures 总体情况 gives
DEADLINE_DAYS = 30

SECTIONS = ("overview", "achievements", "problems", "requirements")


class NoticePart:
    """What ``vetservice_register_notice_parts`` returns: settings or paragraphs."""


@attrs.frozen
class NoticeSettings(NoticePart):
    """What a unit sets in its 通报; empty fields take the defaults below.

    ``unit`` is the code of the unit whose 通报 it shapes ("" for every unit).
    Defaults: 发文机关 "<unit>退役军人事务局", 标志 the 发文机关 followed by "文件",
    发文字号 "<short name>退役军人发〔<year>〕<number>号" with the period's
    number, 主送 the child units' 退役军人 offices, 抄送 the unit's own 党委
    and 政府 offices.
    """

    unit: str = ""
    issuer: str = ""  # 发文机关全称
    mark: str = ""  # 发文机关标志
    code_prefix: str = ""  # 发文字号 before 〔year〕, e.g. "延市退役军人发"
    number: int | None = None
    recipients: str = ""  # 主送
    copy_to: str = ""  # 抄送
    deadline_days: int = DEADLINE_DAYS
    approval: str = ""  # 统计报表's 批准（备案）文号, printed in its header when set


@attrs.frozen
class NoticeParagraphs(NoticePart):
    """A plugin's own paragraphs for one part of the 通报 of units it covers.

    ``write`` gets the notice as written so far and returns paragraphs;
    they are added at the end of ``section`` (one of :data:`SECTIONS`), or
    replace its paragraphs when ``replace`` is true. ``scope`` lists the
    unit codes whose 通报 it changes (empty: every unit's).
    """

    section: str
    write: Callable[[Notice], Sequence[str]]
    scope: tuple[str, ...] = ()
    replace: bool = False


@attrs.frozen
class Part:
    """One of the four parts of the body: a heading and its paragraphs.

    ``numbered`` paragraphs begin with "（一）" and a short bold-read title
    (``titles``), as problems and requirements do.
    """

    key: str
    heading: str
    paragraphs: tuple[str, ...]
    titles: tuple[str, ...] = ()


@attrs.frozen
class Notice:
    lang: str
    unit_code: str
    unit_name: str
    mark: str
    issuer: str
    number_text: str
    title: str
    recipients: str
    opening: str
    parts: tuple[Part, ...]
    attachments: tuple[str, ...]
    date: dt.date
    date_text: str
    copy_to: str
    printed_by: str
    printed_on: str
    problems: tuple[str, ...] = ()  # indicator ids, for tests and the dashboard
    approval: str = ""

    def part(self, key: str) -> Part:
        return next(p for p in self.parts if p.key == key)


@attrs.frozen
class NoticeParts:
    settings: tuple[NoticeSettings, ...] = ()
    paragraphs: tuple[NoticeParagraphs, ...] = ()
    # Called with (plugin, error) when a plugin's ``write`` raises.
    failed: Callable[[NoticeParagraphs, Exception], None] | None = None


_PARTS: contextvars.ContextVar[NoticeParts | None] = contextvars.ContextVar(
    "vetservice_notice_parts", default=None
)


def _parts() -> NoticeParts:
    return _PARTS.get() or NoticeParts()


@contextlib.contextmanager
def notice_parts(parts: NoticeParts) -> Iterator[None]:
    """Use ``parts`` (the plugins' settings and paragraphs) for the 通报 written inside."""
    token = _PARTS.set(parts)
    try:
        yield
    finally:
        _PARTS.reset(token)


def _(msgid: str, lang: str) -> str:
    return gettext(msgid, lang)


def _sep(lang: str) -> str:
    return "、" if lang == "zh" else ", "


def _stop(lang: str) -> str:
    return "。" if lang == "zh" else "."


# --- Names -------------------------------------------------------------------

_NUMERALS = "〇一二三四五六七八九十"


def numeral(n: int) -> str:
    """一 … 十九: the 序号 of 公文 headings."""
    if n <= 10:
        return _NUMERALS[n]
    return "十" + _NUMERALS[n - 10]


def heading_number(n: int, lang: str) -> str:
    """ "一、" in Chinese, "1. " otherwise."""
    return f"{numeral(n)}、" if lang == "zh" else f"{n}. "


def item_number(n: int, lang: str) -> str:
    """ "（一）" in Chinese, "(1) " otherwise."""
    return f"（{numeral(n)}）" if lang == "zh" else f"({n}) "


def _scope_word(report: Report) -> str:
    """全市 / 全县 / 全区: the unit as its own 通报 calls it."""
    suffix = report.unit.name[-1:]
    return "全" + (suffix if suffix in "省市县区旗" else "市")


_CHILDREN = {
    Level.PROVINCE: "省",
    Level.CITY: "市",
    Level.COUNTY: "县区",
    Level.TOWNSHIP: "乡镇（街道）",
    Level.VILLAGE: "村（社区）",
}


def _children_word(report: Report) -> str:
    """县区 below a city, 乡镇（街道） below a county, 村（社区） below a township."""
    if report.lang != "zh":
        return "units one level down"
    below = list(Level)[min(report.unit.level.depth + 1, len(Level) - 1)]
    return _CHILDREN.get(below, "单位")


def _short_name(name: str) -> str:
    """延安市 → 延市, 延长县 → 延长, 富县 → 富县 (the 发文字号's 机关代字)."""
    if len(name) <= 2:
        return name
    if name.endswith("市") and len(name) == 3:
        return name[0] + "市"
    return name[:-1]


def _copy_to(report: Report) -> str:
    suffix = report.unit.name[-1:]
    head = suffix if suffix in "省市县区旗" else "市"
    return f"{head}委办公室，{head}人民政府办公室"


def settings_for(report: Report) -> NoticeSettings:
    """The plugins' settings for ``report``'s unit: its own, else every unit's."""
    chosen = NoticeSettings()
    for found in _parts().settings:
        if found.unit in ("", report.unit.code):
            chosen = found if found.unit or not chosen.unit else chosen
    return chosen


def _deadline(as_of: dt.date, days: int) -> dt.date:
    """``days`` after the as-of date, moved to the end of that month (a 公文 sets
    a deadline on a month's last day)."""
    day = as_of + dt.timedelta(days=days)
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


# --- Figures ------------------------------------------------------------------


def _short(row: IndicatorRow) -> int:
    """How many units, people or cases fall short: a ratio's denominator less
    its numerator, a count's excess over its target."""
    figure = row.figure
    if figure.value is None or figure.target is None:
        return 0
    if is_ratio(row.kind):
        den = figure.denominator or 0
        return max(int(den) - int(figure.numerator), 0)
    return max(int(float(figure.value) - float(figure.target.value)), 0)


def _weight(row: IndicatorRow) -> float:
    """How much a problem weighs: how far below target (percentage points for
    ratios, a count over a target of 0 counting as 30 points) times the log of
    how many fall short, so that 20 points short for 1,000 people outweighs 40
    points short for 3 stations, but not 80 points."""
    off = distance(row.kind, row.figure.value, row.figure.target)
    if not is_ratio(row.kind):
        off = min(off, 1.0) * 0.3
    return off * math.log10(10 + _short(row))


def _figure(row: IndicatorRow, lang: str) -> str:
    """ "78.1%（4086/5235）" or "8"."""
    if row.fraction_text and is_ratio(row.kind) and not row.figure.suppressed:
        return f"{row.value_text}（{row.fraction_text}）"
    return row.value_text


def _gap_text(row: IndicatorRow, lang: str) -> str:
    off = distance(row.kind, row.figure.value, row.figure.target)
    if is_ratio(row.kind):
        return _(
            N_("{points} percentage points short of the target {target}"), lang
        ).format(points=f"{off * 100:.1f}", target=row.target_text.replace(" ", ""))
    return _(N_("against a target of {target}"), lang).format(
        target=row.target_text.replace(" ", "")
    )


def _target_value(row: IndicatorRow, lang: str) -> str:
    """The target's figure alone ("100%", "0"): "达到 ≥100%" reads badly."""
    target = row.figure.target
    if target is None:
        return "—"
    return f"{target.value * 100:g}%" if is_ratio(row.kind) else f"{target.value:g}"


def _weakest(row: IndicatorRow, report: Report) -> list[str]:
    """The children furthest from the target, furthest first, with their figures."""
    short = [
        c
        for c in row.children
        if c.grade in (Grade.RED, Grade.YELLOW) and c.figure.value is not None
    ]
    short.sort(
        key=lambda c: (
            -distance(row.kind, c.figure.value, c.figure.target),
            c.unit.code,
        )
    )
    return [f"{c.unit.name}（{c.value_text}）" for c in short[:WEAKEST]]


def _problems(report: Report) -> list[IndicatorRow]:
    candidates = [
        r
        for r in report.rows()
        if r.grade in (Grade.RED, Grade.YELLOW) and r.figure.value is not None
    ]
    candidates.sort(key=lambda r: (-_weight(r), r.id))
    chosen: list[IndicatorRow] = []
    per_area: dict[Area, int] = {}
    for row in candidates:
        if per_area.get(row.area, 0) >= PER_AREA:
            continue
        chosen.append(row)
        per_area[row.area] = per_area.get(row.area, 0) + 1
        if len(chosen) == PROBLEMS_MAX:
            break
    if len(chosen) < PROBLEMS_MIN:  # a small subtree: fill up beyond two an area
        chosen += [r for r in candidates if r not in chosen][
            : PROBLEMS_MIN - len(chosen)
        ]
    return chosen


# --- The seed speech's words for what to do -----------------------------------

# By indicator id prefix (longest match first), else by area.
DEMANDS: dict[str, str] = {
    "env.": N_(
        "Follow the standard and the model visit item by item, so that the "
        "political atmosphere of the two centres and two stations is strong"
    ),
    "staff.": N_(
        "Staff the posts strictly: townships and street offices must have 2 to 3 "
        "full-time staff who concentrate on veterans' work"
    ),
    "staff.monthly_guidance": N_(
        "Full-time township staff must visit every village and community they "
        "cover once a month and guide the work face to face"
    ),
    "staff.village_group": N_(
        "Bring the first secretary, the village official and group leaders into "
        "the village's leading group and recruit at least 2 volunteers"
    ),
    "staff.community_group": N_(
        "Bring grid workers into the community's leading group and recruit at "
        "least 3 volunteers"
    ),
    "act.": N_(
        "Hold study, Party, honour, visiting, volunteer and cultural activities "
        "regularly, so that stations gather and attract veterans"
    ),
    "party.": N_(
        "Enrol veteran Party members in a branch or group promptly and keep to "
        "the three meetings and one lesson"
    ),
    "honor.": N_(
        "Deliver honour plaques promptly to every veteran whose check is passed"
    ),
    "visit.": N_(
        "Set up regular contact with every veteran who needs attention, keeping "
        "to the nine visits, seven clear points and three things to remember"
    ),
    "si.": N_(
        "Enter everyone who qualifies for social insurance continuation without "
        "missing one, and explain the policy to those not approved"
    ),
    "hardship.": N_(
        "Study and set help measures for every family in particular hardship, "
        "giving priority under poverty relief and subsistence allowance policies"
    ),
    "emp.": N_(
        "Learn veterans' skills and wishes for work, hold job fairs and bring "
        "veterans into vocational training"
    ),
    "fund.": N_(
        "Set up and use the care fund, recommend openly and fairly, and let the "
        "neediest veterans be helped first"
    ),
    "benefit.": N_(
        "Check the recipients, standards and funds of preferential treatment and "
        "pay the benefits on time"
    ),
    "placement.": N_(
        "Place transferred officers and NCOs fairly and settle the placement "
        "problems left over, old accounts included"
    ),
    "service.": N_(
        "Sign up legal, psychological, medical, care and cultural professionals "
        "to bring services to communities and villages"
    ),
    "pet.rescreen": N_(
        "Re-screen every petition: whether it was answered on time under the "
        "policy, whether the policy was carried out, whether the problem was "
        "solved and whether the petitioner's thinking has rebounded"
    ),
    "pet.money_only": N_(
        "Do not settle petitions with money and goods alone; work on care, "
        "education, political guidance, law and help with difficulties"
    ),
    "pet.": N_(
        "Combine strict stabilisation with persuasion, and do receiving, "
        "appointed, visiting and supervised petition work well"
    ),
}
AREA_DEMANDS: dict[Area, str] = {
    Area.ENVIRONMENT: DEMANDS["env."],
    Area.STAFFING: DEMANDS["staff."],
    Area.ACTIVITIES: DEMANDS["act."],
    Area.SERVICES: N_(
        "Put yourselves in veterans' shoes and solve their difficulties with warmth"
    ),
    Area.PETITIONS: DEMANDS["pet."],
}


def demand(row: IndicatorRow) -> str:
    """The seed speech's words for what to do about ``row``'s indicator (a msgid)."""
    for prefix in sorted(DEMANDS, key=len, reverse=True):
        if row.id.startswith(prefix):
            return DEMANDS[prefix]
    return AREA_DEMANDS[row.area]


# --- The parts ------------------------------------------------------------------


def _overview(report: Report, scope: str) -> list[str]:
    lang = report.lang
    graded = counts(r.grade for r in report.rows())
    first = _(
        N_(
            "In {period}, of the {total} indicators {scope} computed, {green} met "
            "the target, {yellow} were close to it (within the band), {red} fell "
            "well short, {no_target} have no target and {no_data} had no data"
        ),
        lang,
    ).format(
        period=report.period_name,
        total=sum(graded.values()),
        scope=scope,
        green=graded[Grade.GREEN],
        yellow=graded[Grade.YELLOW],
        red=graded[Grade.RED],
        no_target=graded[Grade.NO_TARGET],
        no_data=graded[Grade.NO_DATA],
    )
    if graded[Grade.FAILED]:
        first += _(N_(", {failed} could not be computed"), lang).format(
            failed=graded[Grade.FAILED]
        )
    paragraphs = [first + _stop(lang)]
    shown = [
        r for r in report.headline if r.figure.value is not None
    ] or report.targeted()[:3]
    figures = []
    for row in shown[:KEY_FIGURES]:
        text = _(N_("{name} {value}"), lang).format(
            name=row.name, value=_figure(row, lang)
        )
        if row.previous and row.previous.change is not None:
            text += _(N_(", {change} on the previous period"), lang).format(
                change=row.previous.change_text.replace(" ", "")
            )
        figures.append(text)
    if figures:
        paragraphs.append(
            _(N_("Key figures: {figures}"), lang).format(figures="；".join(figures))
            + _stop(lang)
        )
    return paragraphs


def _achievements(report: Report, scope: str) -> list[str]:
    lang = report.lang
    paragraphs = []
    ranked = [r for r in report.ranking if r.assessed]
    if ranked:
        best = [
            _(N_("{unit} ({met} of {assessed} met)"), lang).format(
                unit=r.unit.name, met=r.met, assessed=r.assessed
            )
            for r in ranked[:BEST]
        ]
        paragraphs.append(
            _(N_("Among the {children}, {units} met the most targets"), lang).format(
                children=_children_word(report), units=_sep(lang).join(best)
            )
            + _stop(lang)
        )
    # 率先完成任务的要进行表彰奖励: the first to enter all social insurance.
    first = [r for r in report.first_done if r.rank is not None][:BEST]
    if first:
        paragraphs.append(
            _(N_("Social insurance entry was finished first by {units}"), lang).format(
                units=_sep(lang).join(
                    _(N_("{unit} (on {date})"), lang).format(unit=r.name, date=r.done_text)
                    for r in first
                )
            )
            + _stop(lang)
        )
    risen = []
    for row in report.targeted():
        change = row.previous.change if row.previous else None
        if change is None or not is_ratio(row.kind) or row.figure.target is None:
            continue
        better = change if row.figure.target.op in (">=", ">") else -change
        if better > 1e-9:
            risen.append((better, row))
    risen.sort(key=lambda pair: (-pair[0], pair[1].id))
    if risen:
        shown = [
            _(N_("{name} up {points} percentage points to {value}"), lang).format(
                name=row.name, points=f"{better * 100:.1f}", value=row.value_text
            )
            if row.figure.target and row.figure.target.op in (">=", ">")
            else _(
                N_("{name} down {points} percentage points to {value}"), lang
            ).format(name=row.name, points=f"{better * 100:.1f}", value=row.value_text)
            for better, row in risen[:3]
        ]
        paragraphs.append(
            _(N_("On the previous period, {changes}"), lang).format(
                changes="；".join(shown)
            )
            + _stop(lang)
        )
    met = [r.name for r in report.targeted() if r.grade is Grade.GREEN]
    if met:
        names = _sep(lang).join(met[:MET_NAMED])
        if len(met) > MET_NAMED:
            names += _(N_(" and others, {total} in all"), lang).format(total=len(met))
        paragraphs.append(
            _(N_("{scope} met the target of {names}"), lang).format(
                scope=scope, names=names
            )
            + _stop(lang)
        )
    if not paragraphs:
        paragraphs.append(_(N_("No indicator met its target this period."), lang))
    return paragraphs


def _problem(report: Report, row: IndicatorRow, scope: str) -> tuple[str, str]:
    lang = report.lang
    title = _(N_("{name} is short of the target"), lang).format(name=row.name)
    text = _(N_("{scope}'s {name} is {figure}, {gap}"), lang).format(
        scope=scope, name=row.name, figure=_figure(row, lang), gap=_gap_text(row, lang)
    )
    short = _short(row)
    if short and is_ratio(row.kind):
        text += _(N_(", {short} still to be done"), lang).format(short=short)
    weakest = _weakest(row, report)
    if weakest:
        text += _(N_("; the furthest behind are {units}"), lang).format(
            units=_sep(lang).join(weakest)
        )
    return title, text + _stop(lang)


def _requirement(
    report: Report, row: IndicatorRow, deadline: dt.date
) -> tuple[str, str]:
    lang = report.lang
    title = _(demand(row), lang)
    weakest = [w.split("（")[0] for w in _weakest(row, report)]
    who = _sep(lang).join(weakest) if weakest else _(N_("every unit"), lang)
    text = _(
        N_(
            "{units} in particular must check {name} unit by unit against the "
            "standard, reach {target} by {deadline} and report how it was put right"
        ),
        lang,
    ).format(
        units=who,
        name=row.name,
        target=_target_value(row, lang),
        deadline=date_name(deadline, lang),
    )
    return title, text + _stop(lang)


def _petitions_requirement(report: Report, scope: str) -> tuple[str, str] | None:
    """下步要求 cites the live petitions lists (true at the as-of date, not at
    E, issue 20): the open cases past their deadline and those due soon."""
    lang = report.lang
    overdue = sum(1 for o in report.overdue if o.closed_on is None)
    if not overdue and not report.watch_list:
        return None
    title = _(N_("Close the petitions past or near their deadline"), lang)
    watch = len(report.watch_list)
    if overdue and watch:
        found = N_(
            "as of {date}, {scope} still has {overdue} petitions past their legal "
            "deadline and {watch} more due within 30 days or in a sensitive period"
        )
    elif overdue:
        found = N_(
            "as of {date}, {scope} still has {overdue} petitions past their legal "
            "deadline"
        )
    else:
        found = N_(
            "as of {date}, {scope} has {watch} open petitions due within 30 days "
            "or in a sensitive period"
        )
    text = _(found, lang).format(
        date=date_name(report.lists_as_of or report.as_of, lang),
        scope=scope,
        overdue=overdue,
        watch=watch,
    ) + _(
        N_("; each must have a person responsible and be closed within its time limit"),
        lang,
    )
    return title, text[:1].upper() + text[1:] + _stop(lang)


def _attachments(report: Report) -> tuple[str, ...]:
    lang = report.lang
    if not report.children:
        return ()
    return (
        _(N_("{children} by indicator, in red, amber and green"), lang).format(
            children=_children_word(report)
        ),
        _(N_("Gaps by {children}"), lang).format(children=_children_word(report)),
        _(N_("{children} by grade, as a chart"), lang).format(
            children=_children_word(report)
        ),
    )


def notice(report: Report) -> Notice:
    """The 情况通报 of ``report``, with the plugins' settings and paragraphs."""
    lang = report.lang
    settings = settings_for(report)
    scope = _scope_word(report) if lang == "zh" else report.unit.name
    issuer = settings.issuer or _(N_("{unit} Veterans Affairs Bureau"), lang).format(
        unit=report.unit.name
    )
    year = report.as_of.year
    # The period's own number (the third quarter's 通报 is 3号) unless set.
    label = report.period  # "2026Q3", "2026-07" or "2026"
    number = settings.number or (
        int(label.replace("-", "Q").split("Q")[-1]) if len(label) > 4 else 1
    )
    prefix = settings.code_prefix or _(N_("{short} Veterans Affairs"), lang).format(
        short=_short_name(report.unit.name)
    )
    deadline = _deadline(report.as_of, settings.deadline_days)
    problems = _problems(report)
    problem_parts = [_problem(report, row, scope) for row in problems]
    requirement_parts: list[tuple[str, str]] = []
    for row in problems:
        title, text = _requirement(report, row, deadline)
        if any(title == t for t, _x in requirement_parts):  # two problems, one demand
            title = _(N_("Keep at {name}"), lang).format(name=row.name)
        requirement_parts.append((title, text))
    live = _petitions_requirement(report, scope)
    if live is not None:
        requirement_parts.append(live)
    parts = [
        Part(
            "overview",
            _(N_("Overall situation"), lang),
            tuple(_overview(report, scope)),
        ),
        Part(
            "achievements",
            _(N_("Main achievements"), lang),
            tuple(_achievements(report, scope)),
        ),
        Part(
            "problems",
            _(N_("Problems"), lang),
            tuple(text for _t, text in problem_parts),
            tuple(title for title, _x in problem_parts),
        ),
        Part(
            "requirements",
            _(N_("Next steps"), lang),
            tuple(text for _t, text in requirement_parts),
            tuple(title for title, _x in requirement_parts),
        ),
    ]
    written = Notice(
        lang=lang,
        unit_code=report.unit.code,
        unit_name=report.unit.name,
        mark=settings.mark or _(N_("{issuer} Document"), lang).format(issuer=issuer),
        issuer=issuer,
        number_text=f"{prefix}〔{year}〕{number}号",
        title=_(
            N_(
                "Notice on the building of the veterans' service support system "
                "{scope} in {period}"
            ),
            lang,
        ).format(scope=scope, period=report.period_name),
        recipients=settings.recipients
        or _(
            N_("Veterans affairs offices of every {children}")
            if report.unit.level.depth < Level.COUNTY.depth
            else N_("Veterans service stations of every {children}"),
            lang,
        ).format(children=_children_word(report)),
        opening=_(
            N_(
                "The building of the veterans' service support system {scope} "
                "in {period} is notified as follows."
            ),
            lang,
        ).format(scope=scope, period=report.period_name),
        parts=tuple(parts),
        attachments=_attachments(report),
        date=report.as_of,
        date_text=date_name(report.as_of, lang),
        copy_to=settings.copy_to or _copy_to(report),
        printed_by=_(N_("{unit} Veterans Affairs Bureau Office"), lang).format(
            unit=report.unit.name
        ),
        printed_on=_(N_("Printed on {date}"), lang).format(
            date=date_name(report.as_of, lang)
        ),
        problems=tuple(row.id for row in problems),
        approval=settings.approval,
    )
    return _amend(written)


def _amend(written: Notice) -> Notice:
    """The plugins' paragraphs added or put in place of a part's own."""
    parts = _parts()
    for extra in parts.paragraphs:
        if extra.scope and written.unit_code not in extra.scope:
            continue
        if extra.section not in SECTIONS:
            continue
        try:
            added = tuple(str(p) for p in extra.write(written))
        except Exception as e:  # a plugin's bug must not lose the 通报
            if parts.failed:
                parts.failed(extra, e)
            continue
        changed = []
        for part in written.parts:
            if part.key == extra.section:
                titles = part.titles
                if extra.replace:
                    part = attrs.evolve(part, paragraphs=added, titles=())
                else:
                    part = attrs.evolve(
                        part,
                        paragraphs=part.paragraphs + added,
                        titles=titles + ("",) * len(added) if titles else (),
                    )
            changed.append(part)
        written = attrs.evolve(written, parts=tuple(changed))
    return written


def blocks(written: Notice) -> list[tuple[str, str]]:
    """The notice as (kind, text) in reading order, for renderers of plain text:
    kinds ``mark``, ``number``, ``title``, ``recipients``, ``heading``,
    ``paragraph``, ``attachments``, ``issuer``, ``date``, ``copy_to``,
    ``printed``. Numbered paragraphs start "（一）<title>。"."""
    lang = written.lang
    found = [
        ("mark", written.mark),
        ("number", written.number_text),
        ("title", written.title),
        ("recipients", written.recipients + ("：" if lang == "zh" else ":")),
        ("paragraph", written.opening),
    ]
    for number, part in enumerate(written.parts, 1):
        found.append(("heading", heading_number(number, lang) + part.heading))
        for index, text in enumerate(part.paragraphs):
            title = part.titles[index] if index < len(part.titles) else ""
            found.append(
                (
                    "paragraph",
                    f"{item_number(index + 1, lang)}{title}{_stop(lang)}{text}"
                    if title
                    else text,
                )
            )
    if written.attachments:
        label = _(N_("Attachments: "), lang)
        found.append(
            (
                "attachments",
                label
                + "；".join(
                    f"{i}．{name}" for i, name in enumerate(written.attachments, 1)
                ),
            )
        )
    found += [
        ("issuer", written.issuer),
        ("date", written.date_text),
        ("copy_to", _(N_("Copy to: {copy_to}."), lang).format(copy_to=written.copy_to)),
        ("printed", f"{written.printed_by}　{written.printed_on}"),
    ]
    return found


def body_text(written: Notice) -> list[str]:
    """The body's headings and paragraphs, as the report's 情况通报 in any format."""
    return [text for kind, text in blocks(written) if kind in ("heading", "paragraph")]
