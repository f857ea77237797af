"""Who may change data: editors. With no password configured the app runs open (and
the import page says so); with one, an editor signs in with it; where ``[auth]`` is
configured in secrets, signing in through the agency's OIDC provider works as well.

Password guesses are throttled per client address across all sessions (``ui.throttle``;
which address, behind a proxy or not: ``ui.addresses``), and every attempt is logged
with its time and address (never the password)."""
from __future__ import annotations

import datetime as dt
import hmac
import logging
import math
import os

import streamlit as st

from ui import a11y, addresses
from ui.session import tr
from ui.text import md
from ui.throttle import OVERALL, SIGN_IN

log = logging.getLogger("dashboard.auth")
log.setLevel(logging.INFO)          # every sign-in attempt is recorded, whatever else logs


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
    """What the import history records as the user: the signed-in name, the name given
    in open mode, else "editor" or "app" (said in words by analytics.labels.user_label)."""
    given = (st.session_state.get("open_name") or "").strip() if is_open() else ""
    return _oidc_user() or st.session_state.get("editor_name") or given or ("editor" if not is_open() else "app")


def password_matches(entered: str, expected: str) -> bool:
    """Constant-time comparison of the UTF-8 bytes, so Chinese passwords work."""
    return hmac.compare_digest(entered.encode("utf-8"), expected.encode("utf-8"))


def trusted_proxies() -> addresses.Hosts:
    """The proxies whose X-Forwarded-For the app believes: DASHBOARD_TRUSTED_PROXIES (or
    ``trusted_proxies`` in secrets), addresses or networks, comma-separated; none by default."""
    return addresses.Hosts.parse(os.environ.get("DASHBOARD_TRUSTED_PROXIES") or _secret("trusted_proxies") or "")


def client() -> addresses.Client:
    """This session's client, as far as the connection and a trusted proxy tell it."""
    try:
        remote = st.context.ip_address
        headers = st.context.headers
        forwarded, real_ip = headers.get_all("X-Forwarded-For"), headers.get_all("X-Real-IP")
    except Exception:  # no script context (bare-mode tests)
        return addresses.Client(OVERALL, "-", False)
    remote = remote if isinstance(remote, str) and remote else None
    return addresses.client(remote, forwarded, real_ip, trusted_proxies())


def client_address() -> str | None:
    """The client's address the throttle counts by (None: a client that cannot be told
    apart from others, which share one count)."""
    key = client().key
    return None if key == OVERALL else key


def _sign_in(expected: str):
    entered = st.session_state.get("editor_password_input", "")
    st.session_state["editor_password_input"] = ""
    name = st.session_state.get("editor_name_input", "").strip() or "editor"
    address = client_address()
    key = address or OVERALL
    at = dt.datetime.now().astimezone().isoformat(timespec="seconds")
    waiting = SIGN_IN.wait(key)
    st.session_state["login_tried"] = True
    a11y.focus_next("auth_result")        # the result, said where focus lands
    if waiting > 0:   # not even compared: a right guess during the wait counts for nothing
        st.session_state["login_failed"] = True
        log.warning("sign-in refused, waiting %.0f s more: at %s, address %s, name %r", waiting, at,
                    address or "-", name[:80])
        return
    if password_matches(entered, expected):
        SIGN_IN.succeeded(key)
        st.session_state["editor"] = True
        st.session_state["editor_name"] = name
        st.session_state["login_failed"] = False
        log.info("sign-in succeeded: at %s, address %s, name %r", at, address or "-", name[:80])
    else:
        wait = SIGN_IN.failed(key)
        st.session_state["login_failed"] = True
        log.warning("sign-in failed: at %s, address %s, name %r, failure %d, next attempt in %.0f s", at,
                    address or "-", name[:80], SIGN_IN.failures(key), wait)


def _sign_out():
    for key in ("editor", "editor_name", "login_failed", "login_tried"):
        st.session_state.pop(key, None)


def editor_gate() -> bool:
    """Draw the sign-in (or the open-mode notice, or who is signed in); True when the
    rest of the page may let this session change data."""
    if is_open():
        st.info(tr("auth.open"), icon=":material/lock_open:")
        st.text_input(tr("auth.open_name"), key="open_name", autocomplete="name", max_chars=80)
        return True
    if is_editor():
        cols = st.columns([4, 1])
        with cols[0].container(key="auth_result"):
            st.success(tr("auth.signed_in", name=md(editor_name())), icon=":material/verified_user:")
        a11y.focus_here("auth_result")
        if _oidc_user():
            cols[1].button(tr("auth.sign_out"), key="oidc_logout", on_click=st.logout)
        else:
            cols[1].button(tr("auth.sign_out"), key="editor_logout", on_click=_sign_out)
        return True
    expected = editor_password()
    if expected is not None:
        waiting = SIGN_IN.wait(client_address() or OVERALL)
        with st.form("editor_login"):
            st.markdown(tr("auth.need_editor"))
            st.text_input(tr("auth.name"), key="editor_name_input", autocomplete="name", max_chars=80)
            st.text_input(tr("auth.password"), type="password", key="editor_password_input",
                          autocomplete="current-password")
            # The result under the field it is about, tied to it (aria-describedby) and focused.
            throttled = st.session_state.get("login_tried") and waiting > 0
            with st.container(key="auth_result"):
                if throttled:
                    st.error(tr("auth.throttled_now"))
                elif st.session_state.get("login_failed"):
                    st.error(tr("auth.wrong_password"))
            st.form_submit_button(tr("auth.sign_in"), on_click=_sign_in, args=(expected,))
        if throttled:
            _countdown()
        if st.session_state.get("login_failed"):
            a11y.describe("editor_password_input", "auth_result")
        a11y.focus_here("auth_result")
    if oidc_configured():
        st.button(tr("auth.oidc"), key="oidc_login", on_click=st.login)
    return False


@st.fragment(run_every=1)
def _countdown():
    """The wait, counted down each second as plain text (an alert repeated every second
    would be read out every second); when it is over, the page runs again without it."""
    waiting = SIGN_IN.wait(client_address() or OVERALL)
    if waiting > 0:
        st.caption(tr("auth.throttled", seconds=math.ceil(waiting)))
    else:
        st.rerun()
