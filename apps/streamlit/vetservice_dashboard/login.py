"""The login gate: when the database has accounts, nothing is drawn until the
reader logs in, and then everything is read within the account's scope.

A database without accounts (one person's laptop, the dashboard bound to
127.0.0.1) opens as before. The session lives on the server in Streamlit's
session state, never in the address or a cookie: a new tab, a reload or a
copied address asks for the login again, and a logged-out or expired session
cannot be used again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import streamlit as st

from vetservice.accounts import LoginRefused, Session, User
from vetservice_dashboard import data
from vetservice_dashboard.texts import tr

if TYPE_CHECKING:
    from vetservice.api import Database

SESSION = "vetservice_session"
ROLE_NAMES = {"admin": "市管理员", "clerk": "填报员", "leader": "领导"}


@st.cache_data(ttl=30, show_spinner=False)
def accounts_exist(url: str) -> bool:
    """Whether the database has accounts (checked again every 30 seconds)."""
    return bool(data.database(url, None).has_accounts())


def current_user() -> User | None:
    """The logged-in user of this session, if any."""
    session = st.session_state.get(SESSION)
    return session.user if isinstance(session, Session) else None


def gate(url: str, lang: str) -> tuple[bool, User | None]:
    """(may draw, user): draws the login form and stops when a login is needed."""
    if not accounts_exist(url):
        return True, None
    session = st.session_state.get(SESSION)
    if not isinstance(session, Session) and _oidc() and st.user.is_logged_in:
        session = _external(url, lang)
    if isinstance(session, Session):
        if session.touch():
            _logout_button(url, session, lang)
            return True, session.user
        data.database(url, None).logout(session, expired=True)
        _forget()
        st.warning(tr("登录已过期，请重新登录。", lang))
    _form(url, lang)
    return False, None


def _oidc() -> bool:
    """Whether the site set up an identity provider (``[auth]`` in Streamlit's
    secrets): then its login is offered beside the password form."""
    try:
        return "auth" in st.secrets
    except FileNotFoundError:
        return False


def _external(url: str, lang: str) -> Session | None:
    """The account the provider's user maps to (its e-mail, else its user name)."""
    name = str(st.user.get("email") or st.user.get("preferred_username") or "")
    try:
        session = data.database(url, None).login_external(name)
    except LoginRefused:
        st.error(
            tr("单位身份 {name} 没有对应的账号，请联系市管理员。", lang).format(
                name=name
            )
        )
        return None
    st.session_state[SESSION] = session
    return session


def _form(url: str, lang: str) -> None:
    st.title(tr("退役军人服务保障体系", lang))
    if _oidc():
        st.button(tr("用单位统一身份登录", lang), on_click=st.login)
    with st.form("login"):
        name = st.text_input(tr("用户名", lang))
        password = st.text_input(tr("密码", lang), type="password")
        submitted = st.form_submit_button(tr("登录", lang))
    if not submitted:
        return
    try:
        session = data.database(url, None).login(name, password)
    except LoginRefused as e:
        st.error(e.message.render(lang))
        return
    _forget()
    st.session_state[SESSION] = session
    st.rerun()


def _forget() -> None:
    """Drop everything this session chose or saw (unit, period, pages' state)."""
    for key in list(st.session_state.keys()):
        del st.session_state[key]


def _logout_button(url: str, session: Session, lang: str) -> None:
    user = session.user
    with st.sidebar:
        st.caption(
            tr("已登录：{name}（{role}）", lang).format(
                name=user.name, role=tr(ROLE_NAMES.get(user.role, user.role), lang)
            )
        )
        if st.button(tr("退出登录", lang), key="logout"):
            data.database(url, None).logout(session)
            _forget()
            if _oidc() and st.user.is_logged_in:
                st.logout()  # the provider's session too
            st.rerun()


def writer(url: str, scope: str | None) -> Database:
    """A database that writes as the logged-in user (actor) within ``scope``;
    without accounts, as the local user. Not cached: each write opens it."""
    import vetservice as vs

    user = current_user()
    return vs.open(url, scope=scope, actor=user.name if user else None)
