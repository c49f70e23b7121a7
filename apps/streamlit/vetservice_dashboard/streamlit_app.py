"""Entry point of the dashboard: ``streamlit run streamlit_app.py`` (or ``vetservice dashboard``)."""

from __future__ import annotations

import streamlit as st

from vetservice_dashboard import data


def overview() -> None:
    st.title("退役军人服务保障体系")
    url = data.database_url()
    try:
        counts = data.record_counts(url)
        tops = data.top_units(url)
    except data.VetserviceError as e:
        st.error(str(e))
        return
    st.caption(f"数据库：{url}")
    if tops:
        st.subheader("、".join(f"{u['name']}（{u['code']}）" for u in tops))
    st.subheader("台账数据概况")
    st.dataframe(
        [{"台账": label, "记录数": count} for label, count in counts],
        hide_index=True,
        use_container_width=True,
    )


def run() -> None:
    st.set_page_config(page_title="退役军人服务保障", layout="wide")
    page = st.navigation(
        [st.Page(overview, title="总览", url_path="overview", default=True)]
    )
    page.run()


run()
