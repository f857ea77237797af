"""Who is reading and how: the language, the calendar, and the words for years,
periods and names from the data in that language."""
from __future__ import annotations

import streamlit as st

from analytics.i18n import t
from analytics.labels import data_label, year_label
from analytics.periods import Period


def lang() -> str:
    return st.session_state.get("lang", "zh")


def gregorian() -> bool:
    return bool(st.session_state.get("gregorian", False))


def tr(key: str, **params) -> str:
    return t(key, lang(), **params)


def ylabel(year: int) -> str:
    return year_label(int(year), lang(), gregorian())


def option_names(options, words):
    """A widget's ``format_func``: each option's ``words``, said now, in this run's
    language and calendar. Streamlit calls a format_func while the widget is drawn, but
    its test harness calls it again outside the run, where the session's language reads
    as Chinese and an English page's choice no longer matches its options."""
    said = {option: words(option) for option in options}
    return lambda option: said[option] if option in said else str(option)


def plabel(period: Period) -> str:
    """民國 114 年 1–3 月 (or the year alone when whole)."""
    return period.label(lang(), gregorian())


def versus(now: Period, before: Period) -> str:
    """民國 114 年 1–3 月 與 民國 113 年同期比較."""
    return now.versus(before, lang(), gregorian())


def label(value):
    """A name from the data (a unit, a dimension, an item) in the reader's language."""
    return data_label(value, lang())
