"""The app's way to the data: each figure fetched through ``fetch(metrics.<function>,
…)``, cached by its arguments and the data version that every import and undo bumps,
so a change shows at once in every open session."""
from __future__ import annotations

from typing import Callable

import streamlit as st

from analytics import metrics, service


@st.cache_data(show_spinner=False, max_entries=1024)
def _cached(name: str, version: int, db: str, args: tuple):
    with service.opened(db) as con:
        return getattr(metrics, name)(con, *args)


def fetch(function: Callable, *args):
    """``function(con, *args)`` for a function of analytics.metrics, cached. The caller
    passes the function itself, so a rename fails where the page is loaded, not when
    a manager opens it. Never mutate what comes back: it is shared."""
    if getattr(metrics, function.__name__, None) is not function:
        raise ValueError(f"{function.__name__} is not a function of analytics.metrics")
    return _cached(function.__name__, data_version(), str(service.db_path()), args)


def data_version() -> int:
    """The data version read once at the start of this run (app.py), so a page's many
    queries cost one look at the database, not one each."""
    if "_data_version" not in st.session_state:
        refresh_version()
    return st.session_state["_data_version"]


def refresh_version() -> int:
    """Read the version again: at the start of every run, and after this session wrote.
    Whether the sample is in force is read in the same look at the database."""
    st.session_state["_data_version"], st.session_state["_sample_shown"] = service.data_state()
    return st.session_state["_data_version"]


def sample_shown() -> bool:
    """Whether the bundled sample is in force (read once per run, with the version)."""
    if "_sample_shown" not in st.session_state:
        st.session_state["_sample_shown"] = service.sample_shown()
    return st.session_state["_sample_shown"]
