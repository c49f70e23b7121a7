"""Streamlit's floor for ``benchmarks.browser``: a page with nothing but the
dashboard's page settings, a heading and the buttons that drill down, so that
what Streamlit and the browser cost before any figure is drawn is measured
in the same run as the dashboard."""

NAMES = ["延安市", "宝塔区", "宝塔山街道"]  # the heading's unit, then the buttons'

if __name__ == "__main__":  # as ``streamlit run`` runs it, not when imported
    import streamlit as st

    st.set_page_config(page_title="退役军人服务保障体系", layout="wide")
    st.title(f"{st.session_state.get('enter') or NAMES[0]} · 总览")
    st.pills("进入下级单位", NAMES, key="enter")
