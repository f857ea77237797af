"""The app's way to the data: each figure fetched through ``fetch(metrics.<function>,
…)``, cached by its arguments and the data version that every import and undo bumps,
so a change shows at once in every open session."""
from __future__ import annotations

import atexit
import importlib
import sys
import threading
from contextlib import contextmanager
from typing import Callable

import streamlit as st

from analytics import comparison, metrics, service, signals

# Every operation opens its own short-lived connection (analytics/service.py), so that
# the command line can write while the app runs. Opening the file when no other
# connection of this process has it open makes a new DuckDB instance, 20–50 ms: a run
# of the overview made nine. While the app is busy with a database, one connection
# stays open to it, so the run's operations share one instance; it is closed once no
# operation has used the database for KEEP_OPEN_SECONDS, and the file is free again.
KEEP_OPEN_SECONDS = 1.0
_kept: dict[str, dict] = {}          # db → {"con", "users", "timer"}
_kept_lock = threading.Lock()


@contextmanager
def kept_open(db: str | None = None):
    """Within the block, and for KEEP_OPEN_SECONDS after the last such block ends,
    hold a connection to ``db`` open."""
    db = str(service.db_path(db))
    with _kept_lock:
        entry = _kept.get(db)
        if entry is None:
            entry = _kept[db] = {"con": None, "users": 0, "timer": None}
        entry["users"] += 1
        if entry["timer"] is not None:
            entry["timer"].cancel()
            entry["timer"] = None
    try:
        if entry["con"] is None:
            con = service.connection(db)      # outside the lock: it may wait for another process
            with _kept_lock:
                if entry["con"] is None:
                    entry["con"], con = con, None
            if con is not None:
                con.close()
        yield
    finally:
        with _kept_lock:
            entry["users"] -= 1
            if entry["users"] == 0:
                timer = threading.Timer(KEEP_OPEN_SECONDS, _release, (db, entry))
                timer.daemon = True
                entry["timer"] = timer
                timer.start()


def _release(db: str, entry: dict):
    with _kept_lock:
        if entry["users"] or _kept.get(db) is not entry or entry["timer"] is None:
            return
        con, entry["con"], entry["timer"] = entry["con"], None, None
        del _kept[db]
        if con is not None:     # under the lock, so close_kept never misses a close under way
            con.close()


@atexit.register
def close_kept():
    """Close every kept connection before the interpreter tears down. Left to its
    timer, a connection could be closed by a daemon thread while the interpreter is
    finalising, and DuckDB's destructor then aborts the process ("terminate called
    without an active exception", exit 134)."""
    with _kept_lock:
        entries = list(_kept.values())
        _kept.clear()
        timers = [e["timer"] for e in entries if e["timer"] is not None]
        cons = [e["con"] for e in entries if e["con"] is not None]
        for entry in entries:
            entry["timer"], entry["con"] = None, None
    for timer in timers:
        timer.cancel()
        if timer is not threading.current_thread():
            timer.join()
    for con in cons:
        con.close()


# The modules a page may ask for figures: each function takes a connection first. The
# report's (python-docx, odfpy behind it) is loaded by the page that asks for it, not
# at every start.
SOURCES = (metrics.__name__, comparison.__name__, signals.__name__, "analytics.report")


@st.cache_data(show_spinner=False, max_entries=1024)
def _cached(module: str, name: str, version: int, db: str, args: tuple):
    with kept_open(db), service.opened(db) as con:
        return getattr(importlib.import_module(module), name)(con, *args)


# The process behaviour series are frozen dataclasses in lists, never changed once made,
# and many: at a million case rows, 63 charts of 60–120 points. cache_data hands every
# run a copy, unpickled (14 ms a page, a tenth of the charts' share of a rerun);
# these are handed out as they are, one object for every session.
SHARED = {signals.__name__}


@st.cache_resource(show_spinner=False, max_entries=256)
def _shared(module: str, name: str, version: int, db: str, args: tuple):
    with kept_open(db), service.opened(db) as con:
        return getattr(importlib.import_module(module), name)(con, *args)


def fetch(function: Callable, *args):
    """``function(con, *args)`` for a function of analytics.metrics, .comparison,
    .signals or .report, cached by its arguments and the data version. The caller passes
    the function itself, so a rename fails where the page is loaded, not when a manager
    opens it. Never mutate what comes back: it is shared."""
    module = next((name for name in (function.__module__, *SOURCES) if name in SOURCES and name in sys.modules
                   and getattr(sys.modules[name], function.__name__, None) is function), None)
    if module is None:
        raise ValueError(f"{function.__name__} is not a function of {', '.join(SOURCES)}")
    cached = _shared if module in SHARED else _cached
    return cached(module, function.__name__, data_version(), str(service.db_path()), args)


def data_version() -> int:
    """The data version read once at the start of this run (app.py), so a page's many
    queries cost one look at the database, not one each."""
    if "_data_version" not in st.session_state:
        refresh_version()
    return st.session_state["_data_version"]


def refresh_version() -> int:
    """Read the version again: at the start of every run, and after this session wrote.
    Whether the sample is in force is read in the same look at the database."""
    with kept_open():
        st.session_state["_data_version"], st.session_state["_sample_shown"] = service.data_state()
    return st.session_state["_data_version"]


def sample_shown() -> bool:
    """Whether the bundled sample is in force (read once per run, with the version)."""
    if "_sample_shown" not in st.session_state:
        st.session_state["_sample_shown"] = service.sample_shown()
    return st.session_state["_sample_shown"]
