"""What the reader is looking at: unit, period, as-of date, language — and the sidebar.

The sidebar is drawn by the entry point before every page, so its widgets
keep their values across pages. The unit lives in ``st.session_state["unit"]``;
the cascade of pickers (市 → 县区 → 乡镇街道 → 村社区) is redrawn from it on
every run, and drilling in from a chart or a table only sets it. The unit,
period and language are mirrored in the address (``?unit=…&period=…``) so a
view can be bookmarked or sent.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from collections.abc import Callable
from typing import Any

import attrs
import streamlit as st

from vetservice import stored
from vetservice.calendar import Period
from vetservice.domain.records import Unit
from vetservice.i18n import LANGUAGES
from vetservice.reports.full import FullReport
from vetservice.reports.model import Report
from vetservice_dashboard import data
from vetservice_dashboard.texts import tr

UNIT, PERIOD, KIND, AS_OF, LANG = "unit", "period", "period_kind", "as_of", "lang"
INDICATOR = "indicator"  # the indicator the indicator page shows (and its address)
HERE = "_here"
LANGUAGE_NAMES = {"zh": "中文", "en": "English"}
KINDS = ("quarter", "month", "year")
KIND_NAMES = {"quarter": "季度", "month": "月度", "year": "年度"}
HOW_MANY = {"quarter": 8, "month": 12, "year": 4}


@attrs.frozen
class Here:
    """The current view: a plugin page reads it with :func:`current`."""

    url: str
    scope: str | None
    unit: Unit
    chain: tuple[Unit, ...]  # from the top (or the scope) down to ``unit``
    children: tuple[Unit, ...]
    period: str
    as_of: dt.date
    lang: str

    @property
    def database(self) -> Any:
        """The open :class:`vetservice.Database` (shared; do not close it)."""
        return data.database(self.url, self.scope)

    def t(self, text: str) -> str:
        return tr(text, self.lang)

    def evaluation(self) -> FullReport:
        with st.spinner(self._computing()):
            return data.evaluation(
                self.url, self.scope, self.unit.code, self.period, self.as_of
            )

    def report(self) -> Report:
        """The unit's report model in the reader's language (cached)."""
        with st.spinner(self._computing()):
            return data.report(
                self.url, self.scope, self.unit.code, self.period, self.as_of, self.lang
            )

    def _computing(self) -> str:
        return self.t("正在计算 {unit} 的指标，首次打开约需数秒……").format(
            unit=self.unit.name
        )


def current() -> Here:
    """The unit, period, as-of date and language the reader has chosen."""
    here = st.session_state.get(HERE)
    if not isinstance(here, Here):
        msg = "the dashboard's sidebar has not run yet"
        raise RuntimeError(msg)
    return here


# -- periods -----------------------------------------------------------------


def containing(kind: str, day: dt.date) -> Period:
    number = {"month": day.month, "quarter": (day.month - 1) // 3 + 1, "year": 1}
    return Period(kind, day.year, number[kind], day)


# VETSERVICE_OPEN_PERIOD: the quarter the dashboard opens on.
OPEN_PERIOD = "VETSERVICE_OPEN_PERIOD"
OPEN_CHOICES = ("last_complete", "current")


def opens_on_current() -> bool:
    """Whether the setting asks for the quarter under way (default: the last
    one over). An unknown value keeps the default."""
    return os.environ.get(OPEN_PERIOD, "").strip().lower() == "current"


def default_period(as_of: dt.date, current: bool | None = None) -> str:
    """The latest quarter over by the as-of date (the period imports warm), or
    the quarter under way when ``current`` (default: the setting) says so."""
    if current is None:
        current = opens_on_current()
    return stored.default_period(as_of, current=current).label


def period_state(label: str, as_of: dt.date, lang: str) -> str:
    """What the sidebar says of the chosen period: under way or over, and the
    day the figures and the to-do lists are true at."""
    period = Period.parse(label, as_of)
    if period.partial:
        text = tr("当前报告期，尚未结束：数据截至 {as_of}", lang)
    elif period.full_end < as_of:
        text = tr("已结束的报告期：指标截至 {end}，待办清单截至 {as_of}", lang)
    else:
        text = tr("报告期今天结束：数据截至 {as_of}", lang)
    return text.format(as_of=as_of, end=period.end)


def period_options(kind: str, as_of: dt.date) -> list[str]:
    """The latest periods of a kind up to the one under way, newest first."""
    period = containing(kind, as_of)
    labels = []
    for _ in range(HOW_MANY[kind]):
        labels.append(period.label)
        period = period.previous()
    return labels


def period_name(label: str, as_of: dt.date, lang: str) -> str:
    period = Period.parse(label, as_of)
    texts = {
        "quarter": "{year}年第{number}季度",
        "month": "{year}年{number}月",
        "year": "{year}年",
    }
    name = tr(texts[period.kind], lang).format(year=period.year, number=period.number)
    return name + tr("（未结束）", lang) if period.partial else name


# -- drilling ------------------------------------------------------------------


def drill(code: str) -> None:
    """Open another unit (a callback: it runs before the page is drawn again)."""
    st.session_state[UNIT] = code


def drill_from_table(key: str, codes: list[str]) -> None:
    """A callback for a table whose selected row is a unit to open."""
    event = st.session_state.get(key)
    rows = event.selection.rows if event is not None else []
    if rows and 0 <= rows[0] < len(codes):
        drill(codes[rows[0]])


def drill_from_chart(key: str, param: str = "unit") -> None:
    """A callback for a chart whose clicked mark carries a unit ``code``."""
    event = st.session_state.get(key)
    if event is None:
        return
    chosen = event.selection.get(param) or []
    if isinstance(chosen, list) and chosen and chosen[0].get("code"):
        drill(str(chosen[0]["code"]))


def drill_from_choice(key: str) -> None:
    """A callback for a widget (pills, selectbox) whose value is a unit to open."""
    chosen = st.session_state.get(key)
    if chosen:
        drill(str(chosen))


def _picked(key: str, parent: str | None) -> None:
    chosen = st.session_state.get(key)
    if chosen:
        drill(chosen)
    elif parent:
        drill(parent)


def _copy(key: str, into: str) -> None:
    """A widget's callback: its new value becomes the view's."""
    value = st.session_state.get(key)
    if value is not None:
        st.session_state[into] = value


def choice(
    label: str,
    options: list[str],
    into: str,
    *,
    format_func: Callable[[str], str],
    default: str | None = None,
) -> str:
    """A selectbox whose value is kept in ``st.session_state[into]`` (see below)."""
    current = st.session_state.get(into)
    if current not in options:
        current = default if default in options else options[0]
        st.session_state[into] = current
    key = f"{into}_{current}"
    st.selectbox(
        label,
        options,
        index=options.index(current),
        format_func=format_func,
        key=key,
        on_change=_copy,
        args=(key, into),
    )
    return current


def _kind_changed(key: str) -> None:
    kind = st.session_state.get(key) or "quarter"
    st.session_state[KIND] = kind
    as_of = st.session_state[AS_OF]
    st.session_state[PERIOD] = (
        default_period(as_of) if kind == "quarter" else period_options(kind, as_of)[0]
    )


# -- the sidebar -------------------------------------------------------------------
#
# The view (unit, period, kind, as-of date, language) lives in session state
# under keys no widget uses. Each widget starts from the view's value (its
# index or default) and has a key that names that value, so a new value — from
# the widget itself, a drill-down or the address — makes a new widget showing
# it. Writing widget keys from the code instead loses the value when the reader
# clicks while a page is still being drawn.


def _first_run(url: str, scope: str | None, roots: list[Unit]) -> None:
    """Start from the address (?unit=…&period=…&lang=…&as_of=…) or the defaults."""
    query = st.query_params
    as_of = data.default_as_of()
    if "as_of" in query:
        with contextlib.suppress(ValueError):
            as_of = dt.date.fromisoformat(query["as_of"])
    st.session_state[AS_OF] = as_of
    code = query.get("unit", "")
    st.session_state[UNIT] = code if _known(url, scope, code) else roots[0].code
    period = query.get("period", "")
    try:
        parsed = Period.parse(period, as_of)
    except data.VetserviceError:
        parsed = Period.parse(default_period(as_of), as_of)
    st.session_state[PERIOD] = parsed.label
    st.session_state[KIND] = parsed.kind
    lang = query.get("lang") or _env_language()
    st.session_state[LANG] = lang if lang in LANGUAGES else "zh"
    # The indicator page's own address (…&indicator=si.entered).
    if query.get(INDICATOR):
        st.session_state[INDICATOR] = query[INDICATOR]


def _known(url: str, scope: str | None, code: str) -> bool:
    try:
        return bool(code) and bool(data.ancestors(url, scope, code))
    except data.VetserviceError:
        return False


def _env_language() -> str:
    return os.environ.get("VETSERVICE_LANG", "zh")


def _unit_picker(url: str, scope: str | None, lang: str) -> tuple[Unit, ...]:
    options = data.roots(url, scope)
    if not _known(url, scope, st.session_state[UNIT]):
        st.session_state[UNIT] = options[0].code  # deleted since, or outside the scope
    chain = tuple(data.ancestors(url, scope, st.session_state[UNIT]))
    depth = 0
    while options:
        names = {u.code: u.name for u in options}
        codes = [u.code for u in options]
        parent = chain[depth - 1].code if depth else None
        choices = codes if depth == 0 else ["", *codes]
        value = chain[depth].code if depth < len(chain) else ""
        key = f"pick_{depth}_{value or parent}"
        st.selectbox(
            options[0].level.display(lang),
            choices,
            index=choices.index(value),
            format_func=_name_of(names, lang),
            key=key,
            on_change=_picked,
            args=(key, parent),
        )
        if depth >= len(chain):
            break
        options = data.children(url, scope, chain[depth].code)
        depth += 1
    if len(chain) > 1:
        st.button(
            tr("返回上一级", lang),
            icon=":material/arrow_upward:",
            on_click=drill,
            args=(chain[-2].code,),
            width="stretch",
        )
    return chain


def _name_of(names: dict[str, str], lang: str) -> Callable[[str], str]:
    return lambda code: names.get(code, tr("（全部）", lang))


def sidebar(url: str, scope: str | None) -> Here | None:
    """Draw the sidebar and return the current view (``None``: nothing to show)."""
    roots = data.roots(url, scope)
    if not roots:
        return None
    if UNIT not in st.session_state:
        _first_run(url, scope, roots)
    view = st.session_state
    lang: str = view[LANG]
    with st.sidebar:
        key = f"lang_{lang}"
        st.segmented_control(
            tr("语言", lang),
            list(LANGUAGES),
            default=lang,
            format_func=LANGUAGE_NAMES.__getitem__,
            key=key,
            required=True,
            on_change=_copy,
            args=(key, LANG),
        )
        chain = _unit_picker(url, scope, lang)
        as_of: dt.date = view[AS_OF]
        kind: str = view[KIND]
        key = f"kind_{kind}"
        st.segmented_control(
            tr("报告期", lang),
            KINDS,
            default=kind,
            format_func=lambda k: tr(KIND_NAMES[k], lang),
            key=key,
            required=True,
            on_change=_kind_changed,
            args=(key,),
        )
        period: str = view[PERIOD]
        options = period_options(kind, as_of)
        if period not in options:
            options.append(period)
        key = f"period_{period}_{as_of}"
        st.selectbox(
            tr("报告期", lang),
            options,
            index=options.index(period),
            format_func=lambda label: period_name(label, as_of, lang),
            key=key,
            label_visibility="collapsed",
            on_change=_copy,
            args=(key, PERIOD),
        )
        st.caption(period_state(period, as_of, lang))
        key = f"as_of_{as_of}"
        st.date_input(
            tr("数据截至", lang),
            value=as_of,
            key=key,
            format="YYYY-MM-DD",
            on_change=_copy,
            args=(key, AS_OF),
        )
        st.caption(tr("数据库：{url}", lang).format(url=_short(url)))
    unit = chain[-1]
    st.query_params.from_dict(
        {UNIT: unit.code, PERIOD: period, LANG: lang}
        | ({"as_of": as_of.isoformat()} if as_of != data.default_as_of() else {})
    )
    here = Here(
        url=url,
        scope=scope,
        unit=unit,
        chain=chain,
        children=tuple(data.children(url, scope, unit.code)),
        period=period,
        as_of=as_of,
        lang=lang,
    )
    view[HERE] = here
    return here


def _short(url: str) -> str:
    """The database's file name or server, not a full path."""
    if url.startswith("sqlite"):
        return url.rsplit("/", 1)[-1]
    return url.split("@")[-1]
