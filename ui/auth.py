"""Who may change data: editors. With no password configured the app runs open (and
the import page says so); with one, an editor signs in with it; where ``[auth]`` is
configured in secrets, signing in through the agency's OIDC provider works as well."""
from __future__ import annotations

import hmac
import os

import streamlit as st

from ui.session import tr


def _secret(name: str):
    try:
        return st.secrets.get(name)
    except Exception:  # no secrets.toml at all: nothing configured
        return None


def editor_password() -> str | None:
    return os.environ.get("DASHBOARD_EDITOR_PASSWORD") or _secret("editor_password") or None


def oidc_configured() -> bool:
    return bool(_secret("auth"))


def is_open() -> bool:
    """No password and no OIDC: everyone is an editor."""
    return editor_password() is None and not oidc_configured()


def _oidc_user() -> str | None:
    try:
        if oidc_configured() and st.user.is_logged_in:
            return st.user.get("name") or st.user.get("email") or "oidc"
    except Exception:
        return None
    return None


def is_editor() -> bool:
    return is_open() or bool(st.session_state.get("editor")) or _oidc_user() is not None


def editor_name() -> str:
    """What the import history records as the user."""
    return _oidc_user() or st.session_state.get("editor_name") or ("editor" if not is_open() else "app")


def password_matches(entered: str, expected: str) -> bool:
    """Constant-time comparison of the UTF-8 bytes, so Chinese passwords work."""
    return hmac.compare_digest(entered.encode("utf-8"), expected.encode("utf-8"))


def _sign_in(expected: str):
    entered = st.session_state.get("editor_password_input", "")
    if password_matches(entered, expected):
        st.session_state["editor"] = True
        st.session_state["editor_name"] = st.session_state.get("editor_name_input", "").strip() or "editor"
        st.session_state["login_failed"] = False
    else:
        st.session_state["login_failed"] = True
    st.session_state["editor_password_input"] = ""


def _sign_out():
    for key in ("editor", "editor_name", "login_failed"):
        st.session_state.pop(key, None)


def editor_gate() -> bool:
    """Draw the sign-in (or the open-mode notice, or who is signed in); True when the
    rest of the page may let this session change data."""
    if is_open():
        st.info(tr("auth.open"), icon=":material/lock_open:")
        return True
    if is_editor():
        cols = st.columns([4, 1])
        cols[0].success(tr("auth.signed_in", name=editor_name()), icon=":material/verified_user:")
        if _oidc_user():
            cols[1].button(tr("auth.sign_out"), key="oidc_logout", on_click=st.logout)
        else:
            cols[1].button(tr("auth.sign_out"), key="editor_logout", on_click=_sign_out)
        return True
    expected = editor_password()
    if expected is not None:
        with st.form("editor_login"):
            st.markdown(tr("auth.need_editor"))
            st.text_input(tr("auth.name"), key="editor_name_input")
            st.text_input(tr("auth.password"), type="password", key="editor_password_input")
            st.form_submit_button(tr("auth.sign_in"), on_click=_sign_in, args=(expected,))
        if st.session_state.get("login_failed"):
            st.error(tr("auth.wrong_password"))
    if oidc_configured():
        st.button(tr("auth.oidc"), key="oidc_login", on_click=st.login)
    return False
