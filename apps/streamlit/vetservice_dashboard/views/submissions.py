"""上报情况: for the period, which units have sent which ledgers, when, and
who has not (催报); the period's sign-off (审核锁定) and its reopening."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import streamlit as st

from vetservice.reporting.status import StatusRow
from vetservice_dashboard import login, ui
from vetservice_dashboard.state import current

here = current()
t = here.t
ui.header(here, t("上报情况"))
user = login.current_user()
status = here.database.submission_status(here.unit.code, here.period, as_of=here.as_of)


def _share(value: float | None) -> str:
    return "—" if value is None else f"{value:.1%}"


left, middle, right = st.columns(3)
left.metric(t("上报率"), _share(status.completeness))
middle.metric(t("及时率"), _share(status.timeliness))
right.metric(t("未上报"), len(status.missing))


def _state(row: StatusRow) -> str:
    if row.submitted_on is None:
        return t("未上报")
    return t("按时") if row.on_time else t("逾期")


def _frame(rows: Sequence[StatusRow]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                t("单位"): r.unit_name,
                t("台账"): r.kind_title,
                t("期间"): r.period,
                t("截止日"): r.deadline,
                t("上报日期"): r.submitted_on,
                t("状态"): _state(r),
            }
            for r in rows
        ]
    )


st.subheader(t("催报清单"))
if status.missing:
    st.dataframe(_frame(status.missing), hide_index=True, use_container_width=True)
else:
    st.success(t("本期应报的台账都已上报。"))
with st.expander(t("全部应报台账")):
    st.dataframe(_frame(status.rows), hide_index=True, use_container_width=True)

st.subheader(t("审核锁定"))
record = here.database.sign_offs(here.unit.code, here.period)
locked = bool(record) and record[-1].action == "sign"
if locked:
    last = record[-1]
    st.info(
        t(
            "{unit} {period} 已由 {actor} 于 {at} 审核锁定，之后改变该期数字的导入和删除都会被拒绝。"
        ).format(
            unit=here.unit.name,
            period=here.period,
            actor=last.actor,
            at=last.at.strftime("%Y-%m-%d %H:%M"),
        )
    )
can_sign = user is None or user.can_sign
can_reopen = user is None or (user.is_admin and user.scope is None)
# A refusal (a VetserviceError) is shown by the entry script, not a traceback.
if not locked and can_sign and st.button(t("审核签字并锁定本期"), key="sign_off"):
    login.writer(here.url, here.scope).sign_off(here.unit.code, here.period)
    st.rerun()
if locked and can_reopen:
    # The reason goes on the record and on the next report's title page.
    reason = st.text_input(t("解除锁定的原因"), key="reopen_note")
    if st.button(t("解除锁定"), key="reopen"):
        login.writer(here.url, None).reopen(
            here.unit.code, here.period, note=reason.strip() or None
        )
        st.rerun()
if record:
    st.dataframe(
        pd.DataFrame(
            [
                {
                    t("操作"): t("审核锁定") if r.action == "sign" else t("解除锁定"),
                    t("操作人"): r.actor,
                    t("时间"): r.at.strftime("%Y-%m-%d %H:%M"),
                    t("原因"): r.note or "",
                }
                for r in record
            ]
        ),
        hide_index=True,
    )
