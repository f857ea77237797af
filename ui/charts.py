"""A chart as a manager meets it: the figure, one sentence saying what it shows with
its key numbers (also the chart's text alternative), and its table one click away under
a name that says which chart, paged rather than scrolled, downloadable as .xlsx, .ods
and .csv with exactly those rows and the filters in force."""
from __future__ import annotations

import math

import pandas as pd
import streamlit as st

from analytics import export
from ui import filters, theme
from ui.formatting import day
from ui.session import lang, tr
from ui.text import md, safe_figure

PAGE_ROWS = 25        # a longer table is paged: an inner scroll box would capture a phone's swipe
ROW_PX = 35


def chart(fig, table: pd.DataFrame, key: str, title: str, summary: str, kinds: dict[str, str] | None = None):
    """Draw ``fig`` with ``summary`` beside it and ``table`` under it. ``kinds`` tells
    which columns are counts, shares, scores or dates, for the on-screen table and the
    downloads' number formats."""
    st.plotly_chart(safe_figure(fig), key=f"chart_{key}", config=theme.CONFIG, theme=None, alt=summary)
    st.markdown(md(summary))
    table_with_downloads(table, key, title, kinds=kinds)


def _column_config(frame: pd.DataFrame, kinds: dict[str, str], key_columns: int = 1) -> dict:
    """Number formats by kind; the first ``key_columns`` columns (what a row is) pinned,
    so they stay in view while a narrow screen scrolls the rest."""
    config = {column: st.column_config.Column(pinned=True) for column in list(frame.columns)[:key_columns]}
    for column, kind in kinds.items():
        if column not in frame:
            continue
        pinned = True if column in list(frame.columns)[:key_columns] else None
        if kind == "share":
            config[column] = st.column_config.NumberColumn(format="percent", pinned=pinned)
        elif kind == "count":
            config[column] = st.column_config.NumberColumn(format="localized", pinned=pinned)
        elif kind == "score":
            config[column] = st.column_config.NumberColumn(format="%.1f", pinned=pinned)
    return config


def _shown(frame: pd.DataFrame, kinds: dict[str, str]) -> pd.DataFrame:
    """The table as the screen shows it: dates in the calendar in use, blanks blank."""
    out = frame.copy()
    for column, kind in kinds.items():
        if kind == "date" and column in out:
            out[column] = out[column].map(day)
    return out


def table_with_downloads(table: pd.DataFrame, key: str, title: str, *, expanded: bool = False,
                         kinds: dict[str, str] | None = None, key_columns: int = 1):
    kinds = kinds or {}
    with st.expander(tr("ui.show_table_of", chart=md(title)), expanded=expanded):
        shown = _shown(table, kinds)
        if len(shown) > PAGE_ROWS:
            pages = math.ceil(len(shown) / PAGE_ROWS)
            page = st.number_input(tr("ui.table_page", pages=pages, rows=f"{len(shown):,}"), min_value=1,
                                   max_value=pages, value=1, step=1, key=f"page_{key}")
            shown = shown.iloc[(page - 1) * PAGE_ROWS: page * PAGE_ROWS]
        st.dataframe(shown, hide_index=True, key=f"table_{key}", column_config=_column_config(shown, kinds, key_columns),
                     height=ROW_PX * (len(shown) + 1) + 3)
        cols = st.columns(3)
        notes = filters.describe(filters.filters()) + [(tr("ui.table"), title)]
        for col, fmt in zip(cols, export.FORMATS):
            col.download_button(f"{tr('ui.download')} .{fmt}",
                                data=lambda fmt=fmt: export.write_table(table, fmt, notes, lang(), kinds=kinds),
                                file_name=f"{title}.{fmt}", mime=export.MIME[fmt], key=f"dl_{key}_{fmt}",
                                on_click="ignore", help=tr("ui.download.help", chart=title, fmt=fmt))


def empty(what: str):
    """An empty result says what to import, and never raises."""
    st.info(tr("ui.empty", what=tr(f"dataset.{what}")), icon=":material/upload_file:")
