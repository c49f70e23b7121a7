"""上报台账: a clerk drops a ledger, confirms its kind, reads the dry run
(added, updated, unchanged, and every problem with sheet, row, column and
reason), then confirms. The same importer as ``vetservice import``: within
the account's scope, refused whole on any problem, recorded as the unit's
上报 for the period."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pandas as pd
import streamlit as st

from vetservice.domain import KINDS
from vetservice.errors import ImportRejected, ValidationError
from vetservice.i18n import Bilingual
from vetservice.imports import ImportResult, Problem, guess_kind
from vetservice_dashboard import login, ui
from vetservice_dashboard.state import current

here = current()
t = here.t
ui.header(here, t("上报台账"))
user = login.current_user()
if user is not None and not user.can_write:
    st.info(t("领导账号只能查看，不能上报台账。"))
    st.stop()

uploaded = st.file_uploader(
    t("选择台账文件（XLSX、XLS、CSV）"),
    type=["xlsx", "xls", "csv", "et", "ods"],
    key="upload_file",
)
if uploaded is None:
    st.stop()
name = Path(uploaded.name).name  # never a path the browser chose
guessed: str | None
try:
    guessed = guess_kind(name)
except ValidationError:
    guessed = None
kinds = list(KINDS)
kind = st.selectbox(
    t("台账种类"),
    kinds,
    index=kinds.index(guessed) if guessed else None,
    format_func=lambda k: KINDS[k].display_title(here.lang),
    placeholder=t("请选择"),
    key=f"upload_kind_{name}",
)
period = st.text_input(
    t("上报期间（如 2026-11 或 2026Q4；不填为上一个月或季度）"),
    key="upload_period",
).strip()
if kind is None:
    st.stop()
content = uploaded.getvalue()
chosen: str = kind


@contextmanager
def saved() -> Iterator[Path]:
    """The upload as a file of its own name (problems name the file)."""
    folder = Path(tempfile.mkdtemp(prefix="vetservice-upload-"))
    try:
        path = folder / name
        path.write_bytes(content)
        yield path
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _column(problem: Problem) -> str:
    column = problem.column
    if isinstance(column, Bilingual):
        return column.render(here.lang)
    return column or ""


def problems_frame(problems: list[Problem]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                t("工作表"): p.sheet or "",
                t("行"): p.row,
                t("列"): _column(p),
                t("原因"): p.message.render(here.lang),
            }
            for p in problems
        ]
    )


def run(dry_run: bool) -> ImportResult | None:
    db = login.writer(here.url, here.scope)
    try:
        with saved() as path:
            return db.import_files(
                [(chosen, path)],
                dry_run=dry_run,
                period=period or None,
                via="upload",
            )
    except ImportRejected as e:
        st.error(e.message.render(here.lang))
        st.dataframe(
            problems_frame(e.problems), hide_index=True, use_container_width=True
        )
        return None
    finally:
        db.close()


st.subheader(t("试导入（不写入）"))
trial = run(dry_run=True)
if trial is None:
    st.stop()
left, middle, right = st.columns(3)
left.metric(t("将新增"), trial.total("added"))
middle.metric(t("将更新"), trial.total("updated"))
right.metric(t("不变"), trial.total("unchanged"))
for report in trial.files:
    for note in report.notes:
        st.caption(note.render(here.lang))
if trial.warnings:
    st.dataframe(problems_frame(trial.warnings), hide_index=True)
if st.button(t("确认上报"), type="primary", key="upload_confirm"):
    done = run(dry_run=False)
    if done is not None:  # the next run forgets the figures cached before it
        st.success(" ".join(f.summary().render(here.lang) for f in done.files))
