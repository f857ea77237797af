"""A chart as a manager meets it: the figure, one sentence saying what it shows with
its key numbers (also the chart's text alternative), and its table one click away under
a name that says which chart, paged rather than scrolled, downloadable as .xlsx, .ods
and .csv with exactly those rows and the filters in force, under a file name that says
which page, years and filters it holds.

A table is drawn twice, and CSS shows one: on a wide screen Streamlit's data grid with
every column; on a narrow one (a phone, or 1280 px at 200 % zoom) a plain table of the
columns that say what a row is and what it holds, whose cells wrap, so nothing needs a
sideways scroll — and a line naming the columns left out, which the downloads carry."""
from __future__ import annotations

import math
import re

import pandas as pd
import streamlit as st

from analytics import export
from ui import filters, theme
from ui.formatting import day, missing
from ui.session import lang, tr, ylabel
from ui.text import md, safe_figure

PAGE_ROWS = 25        # a longer table is paged: an inner scroll box would capture a phone's swipe
ROW_PX = 35
NARROW_MAX = 700      # px: at this width and below, tables show their narrow form
NARROW_ROOM = 330     # px of a 390 px phone's column the narrow table may fill
WIDEST_CELL = 130     # px: a longer text wraps within its cell
TABLE_KEY = "tbl_"    # + the table's key: its expander's, whose state says open or closed

# One rule for every table on the page, whichever is drawn first: a style-only block
# that Streamlit mounts without taking space.
# A narrow table's cells wrap between words, and inside one only when it cannot fit
# (keep-all keeps 未達成 and 以上 whole; a figure and its unit are joined by a no-break space).
_CSS = (f"<style>@media (max-width: {NARROW_MAX}px) {{ [class*='st-key-wide_'] {{ display: none; }} }}"
        f"@media (min-width: {NARROW_MAX + 1}px) {{ [class*='st-key-narrow_'] {{ display: none; }} }}"
        "[class*='st-key-narrow_'] :is(td, th) { word-break: keep-all; overflow-wrap: anywhere; }</style>")


def chart(fig, table: pd.DataFrame, key: str, title: str, summary: str, kinds: dict[str, str] | None = None,
          narrow: list[str] | None = None):
    """Draw ``fig`` with ``summary`` beside it and ``table`` under it. ``kinds`` tells
    which columns are counts, shares, scores or dates, for the on-screen table and the
    downloads' number formats; ``narrow`` which columns a phone shows (else as many as fit)."""
    st.plotly_chart(safe_figure(fig), key=f"chart_{key}", config=theme.CONFIG, theme=None, alt=summary)
    st.markdown(md(summary))
    table_with_downloads(table, key, title, kinds=kinds, narrow=narrow)


def _column_config(frame: pd.DataFrame, kinds: dict[str, str], key_columns: int = 1) -> dict:
    """Number formats by kind; the first ``key_columns`` columns (what a row is) pinned,
    so they stay in view while the grid scrolls the rest."""
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


def cell_text(value, kind: str | None = None) -> str:
    """A cell as the narrow table writes it: a share as 95.4%, a count as 1,593, a score
    with one decimal, a date in the calendar in use; a blank blank."""
    if missing(value):
        return ""
    if kind == "date":     # _shown has written it already (113/04/01 read again was the year 113: -1798/04/01)
        return value if isinstance(value, str) else day(value)
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if kind == "share":
            return f"{value:.1%}"
        if kind == "score":
            return f"{value:,.1f}"
        if kind == "count" or float(value).is_integer():
            return f"{value:,.0f}"
        return f"{value:,.2f}"
    return str(value)


# A space that may still break in a short cell: between Latin words, and after a figure
# before a Latin word ("90.0% | or more", "113 | (2024)"); not after a mark ("× not").
_LATIN_BREAK = re.compile(r"(?<=[0-9A-Za-z%)\]]) (?=[A-Za-z(])")


def joined(text: str) -> str:
    """A short cell kept whole where it reads as one thing: a figure and its unit, a
    year and its era (90.0%\u00a0以上, 民國\u00a0113\u00a0年, ROC\u00a0113) joined by
    no-break spaces. English words still wrap between them ("90.0% or more" held whole
    pushed a phone's targets table 12 px past the screen)."""
    if theme.text_px(text, 14) > WIDEST_CELL:
        return text
    keep = {m.start() for m in _LATIN_BREAK.finditer(text)}
    return "".join("\u00a0" if ch == " " and i not in keep else ch for i, ch in enumerate(text))


def narrow_columns(frame: pd.DataFrame, kinds: dict[str, str], key_columns: int = 1,
                   chosen: list[str] | None = None) -> list[str]:
    """The columns a phone shows: ``chosen`` where the page named them; else the key
    columns and then each next column while the estimated widths fit a 390 px column
    (a header or cell wider than WIDEST_CELL wraps)."""
    if chosen:
        return [c for c in chosen if c in frame.columns]
    columns = list(frame.columns)
    picked, used = [], 0.0
    for i, column in enumerate(columns):
        texts = [str(column), *(cell_text(v, kinds.get(column)) for v in frame[column].head(PAGE_ROWS))]
        width = min(max(theme.text_px(t, 14) for t in texts), WIDEST_CELL) + 18
        if i >= key_columns and used + width > NARROW_ROOM:
            break
        picked.append(column)
        used += width
    return picked


def show_table(shown: pd.DataFrame, key: str, kinds: dict[str, str] | None = None, key_columns: int = 1,
               narrow: list[str] | None = None, height: int | None = None, name: str = ""):
    """``shown`` (rows as on screen) as the wide grid and the narrow table (named
    ``name`` for screen readers); CSS shows one."""
    kinds = kinds or {}
    st.html(_CSS)
    with st.container(key=f"wide_{key}"):
        st.dataframe(shown, hide_index=True, key=f"table_{key}", column_config=_column_config(shown, kinds, key_columns),
                     **({"height": height} if height else {}))
    columns = narrow_columns(shown, kinds, key_columns, narrow)
    with st.container(key=f"narrow_{key}"):
        cells = pd.DataFrame({md(c): [md(joined(cell_text(v, kinds.get(c)))) for v in shown[c]] for c in columns})
        st.table(cells, hide_index=True, alt=name or None)
        left_out = [c for c in shown.columns if c not in columns]
        if left_out:
            st.caption(tr("ui.narrow_left_out", columns=tr("sum.list_join").join(md(c) for c in left_out)))


# Spaces beside Chinese go (民國 113 年 → 民國113年); between Latin words they stay.
_CJK_SPACE = re.compile(r"\s*([\u3000-\u303f\u3400-\u9fff\uff00-\uffef])\s*")


def file_name(title: str, fmt: str) -> str:
    """A download's file name: the page, the table, the years and the filters in force,
    e.g. 電話禮貌_民國113年各單位合格率_民國109–113年_第一課.xlsx; what a file system
    refuses becomes _, and a long list of names ends with 等 n 項."""
    f = filters.filters()
    parts = [st.session_state.get("_page_title", ""), title]
    if f.years:
        span = ylabel(f.years[0]) if f.years[0] == f.years[1] else \
            tr("ui.years_span", first=ylabel(f.years[0]), last=ylabel(f.years[1]))
        if span.replace(" ", "") not in title.replace(" ", ""):
            parts.append(span)
    for chosen in (f.units, f.offices, f.case_types):
        if chosen:
            parts.append("、".join(chosen[:3]) + (tr("ui.and_more", n=len(chosen) - 3) if len(chosen) > 3 else ""))
    name = "_".join(_CJK_SPACE.sub(r"\1", " ".join(p.split())) for p in parts if p)
    name = re.sub(r'[\\/:*?"<>|\x00-\x1f]+', "_", name).strip("._ ")
    return f"{name[:150]}.{fmt}"


def table_with_downloads(table: pd.DataFrame, key: str, title: str, *, expanded: bool = False,
                         kinds: dict[str, str] | None = None, key_columns: int = 1, narrow: list[str] | None = None):
    """``table`` under an expander named after it, paged, with its three downloads.

    A closed expander holds nothing: the table, its narrow form and its download
    buttons are drawn only in the runs where it is open (opening it reruns the page,
    as any click does). Every chart's table was otherwise sent on every rerun to sit
    hidden — on 案件量 a tenth of a rerun at a million rows (bench/page_rerun.py)."""
    kinds = kinds or {}
    box = st.expander(tr("ui.show_table_of", chart=md(title)), expanded=expanded, key=f"{TABLE_KEY}{key}", on_change="rerun")
    if not box.open:
        return
    with box:
        shown = _shown(table, kinds)
        if len(shown) > PAGE_ROWS:
            pages = math.ceil(len(shown) / PAGE_ROWS)
            # kept under a key of its own: a closed table's widgets, and their state, are gone
            remembered = f"_table_page_{key}"
            page = st.number_input(tr("ui.table_page", pages=pages, rows=f"{len(shown):,}"), min_value=1,
                                   max_value=pages, value=min(st.session_state.get(remembered, 1), pages), step=1,
                                   key=f"page_{key}")
            st.session_state[remembered] = page
            shown = shown.iloc[(page - 1) * PAGE_ROWS: page * PAGE_ROWS]
        show_table(shown, key, kinds, key_columns, narrow, height=ROW_PX * (len(shown) + 1) + 3, name=title)
        cols = st.columns(3)
        notes = filters.describe(filters.filters()) + [(tr("ui.table"), title)]
        # The file is written when the button is pressed, on a thread of Streamlit's with
        # no session: everything it says is read now, in this run (the language too).
        language = lang()
        for col, fmt in zip(cols, export.FORMATS):
            col.download_button(f"{tr('ui.download')} .{fmt}",
                                data=lambda fmt=fmt: export.write_table(table, fmt, notes, language, kinds=kinds),
                                file_name=file_name(title, fmt), mime=export.MIME[fmt], key=f"dl_{key}_{fmt}",
                                on_click="ignore", help=tr("ui.download.help", chart=title, fmt=fmt))


def empty(what: str):
    """An empty result says what to import, and never raises."""
    st.info(tr("ui.empty", what=tr(f"dataset.{what}")), icon=":material/upload_file:")
