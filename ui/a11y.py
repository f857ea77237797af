"""Accessibility fixes for the whole app that need no page redesign, applied once per
run from app.py with ``apply(lang, page_title)``.

Why each trick is needed (Streamlit 1.67; tests/browser/test_accessibility.py proves them in Chromium):

- ``<html lang>``: Streamlit's index.html hard-codes ``lang="en"`` and nothing in its
  frontend ever changes it (streamlit/streamlit#15726), so screen readers read Chinese
  pages with an English voice. There is no setting for it; ``st.html`` with
  ``unsafe_allow_javascript=True`` runs one line of our own script (no user text in it)
  that sets ``zh-Hant`` or ``en`` from the session's language. A script is not
  style-only HTML, so Streamlit puts it in the main column; it sits in a keyed
  container hidden with ``display: none`` so it takes no space (scripts run all the same).
- ``<title>``: under ``st.navigation`` the frontend names the tab after the page only
  until some ``st.set_page_config(page_title=...)`` is made; app.py makes one for the
  whole app, so every page was titled "服務效能儀表板". Calling ``set_page_config``
  again once the page is known (calls are additive) gives each page its own title,
  "案件量 · 服務效能儀表板", also on in-app navigation and a change of language.
- Caption contrast is not here: ``st.caption`` draws the text colour at 60 % opacity
  (3.88:1 with Streamlit's #2f2d2b), so ``.streamlit/config.toml`` sets
  ``theme.textColor = "#0b0c0c"`` (GOV.UK's text colour): captions become 5.17:1 on
  white and 5.07:1 on the sidebar's #f8f8f7, with no CSS against Streamlit's markup.
"""
from __future__ import annotations

import json

import streamlit as st

from analytics.i18n import t

HTML_LANG = {"zh": "zh-Hant", "en": "en"}


def apply(lang: str, page_title: str) -> None:
    """Name this page in the browser tab and declare the page's language."""
    st.set_page_config(page_title=f"{page_title} · {t('app.title', lang)}")
    code = json.dumps(HTML_LANG.get(lang, "zh-Hant"))
    with st.container(key="a11y_head"):
        st.html(f"<style>.st-key-a11y_head {{ display: none; }}</style>"
                f"<script>document.documentElement.lang = {code};</script>", unsafe_allow_javascript=True)
