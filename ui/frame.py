"""The frame every page shares: language and calendar, the sidebar filters (kept in
session state across pages and in the URL), cached queries keyed by the filters and
the data version, and charts that carry their table and downloads."""
from __future__ import annotations

import math

import pandas as pd
import streamlit as st

from analytics import export, metrics, service, store
from analytics.i18n import t
from analytics.labels import year_label
from analytics.periods import Period
from ui.text import safe_figure



def lang() -> str:
    return st.session_state.get("lang", "zh")


def gregorian() -> bool:
    return bool(st.session_state.get("gregorian", False))


def tr(key: str, **params) -> str:
    return t(key, lang(), **params)


def ylabel(year: int) -> str:
    return year_label(int(year), lang(), gregorian())


def plabel(period: Period) -> str:
    """民國 114 年 1–3 月 (or the year alone when whole)."""
    return period.label(lang(), gregorian())


def versus(now: Period, before: Period) -> str:
    """民國 114 年 1–3 月 與 民國 113 年同期比較."""
    return now.versus(before, lang(), gregorian())


# ------------------------------------------------------------------ cached data

@st.cache_data(show_spinner=False, max_entries=1024)
def _cached(name: str, version: int, db: str, args: tuple):
    with service.opened(db) as con:
        return getattr(metrics, name)(con, *args)


def data_version() -> int:
    """The data version read once at the start of this run (app.py), so a page's many
    queries cost one look at the database, not one each."""
    if "_data_version" not in st.session_state:
        refresh_version()
    return st.session_state["_data_version"]


def refresh_version() -> int:
    """Read the version again: at the start of every run, and after this session wrote."""
    st.session_state["_data_version"] = service.data_version()
    st.session_state.pop("_sample_shown", None)
    return st.session_state["_data_version"]


def q(name: str, *args):
    """``analytics.metrics.<name>(con, *args)``, cached by its arguments and the data
    version that every import and undo bumps, so a change shows at once everywhere."""
    return _cached(name, data_version(), str(store.db_path()), args)


# ------------------------------------------------------------------ filters

def _from_url(opts: dict):
    """On a session's first run, take the filters from the link that opened it."""
    if st.session_state.get("_filters_from_url"):
        return
    st.session_state["_filters_from_url"] = True
    params = st.query_params
    years = opts["years"]
    if "years" in params and years:
        try:
            a, b = (int(x) for x in params["years"].split("-"))
            a, b = (a + 1911 if a < 1911 else a), (b + 1911 if b < 1911 else b)
            st.session_state["_years_span"] = snap_years((min(a, b), max(a, b)), years)
        except ValueError:
            pass
    for key, param, choices in (("f_units", "units", opts["units"]), ("f_offices", "offices", opts["offices"]),
                                ("f_types", "types", opts["case_types"])):
        if param in params:
            st.session_state[key] = [v for v in params[param].split(",") if v in choices]
    if params.get("lang") in ("zh", "en"):
        st.session_state["lang"] = params["lang"]
    if params.get("cal") == "ad":
        st.session_state["gregorian"] = True


def snap_years(span: tuple[int, int], years: list[int]) -> tuple[int, int]:
    """A year range from a link, moved onto the years the database holds: each end to
    the nearest stored year inside the range, else the nearest at all (a link may
    name 2017 where the data has 2016 and 2019, or years since removed)."""
    first, last = span
    inside = [y for y in years if first <= y <= last]
    if inside:
        return inside[0], inside[-1]
    nearest = min(years, key=lambda y: (min(abs(y - first), abs(y - last)), -y))
    return nearest, nearest


def _to_url(f: metrics.Filters):
    wanted = {}
    if f.years:
        wanted["years"] = f"{f.years[0]}-{f.years[1]}"
    for param, values in (("units", f.units), ("offices", f.offices), ("types", f.case_types)):
        if values:
            wanted[param] = ",".join(values)
    if lang() != "zh":
        wanted["lang"] = lang()
    if gregorian():
        wanted["cal"] = "ad"
    current = {k: st.query_params[k] for k in st.query_params}
    if current != wanted:
        st.query_params.from_dict(wanted)


def sidebar() -> metrics.Filters:
    """Draw the language, calendar and data filters; return the filters in force."""
    opts = q("options")
    _from_url(opts)
    bar = st.sidebar
    bar.radio(t("app.language"), ["zh", "en"], key="lang", horizontal=True,
              format_func=lambda code: {"zh": "繁體中文", "en": "English"}[code])
    bar.toggle(tr("filter.gregorian"), key="gregorian")
    years = opts["years"]
    span = None
    if len(years) == 1:
        span = (years[0], years[0])
        bar.caption(tr("filter.only_year", year=ylabel(years[0])))
    elif years:
        # The slider's options are the year labels themselves (ROC or Gregorian, in the
        # chosen language); the span in years is kept aside so a change of language
        # or calendar keeps the same years.
        labels = {y: ylabel(y) for y in years}
        back = {label: y for y, label in labels.items()}
        first, last = snap_years(st.session_state.get("_years_span") or (years[max(0, len(years) - 5)], years[-1]),
                                 years)
        chosen = bar.select_slider(tr("filter.years"), options=list(labels.values()), key="f_years",
                                   value=(labels[min(first, last)], labels[max(first, last)]))
        span = (back[chosen[0]], back[chosen[1]])
        st.session_state["_years_span"] = span
    units = bar.multiselect(tr("filter.units"), opts["units"], key="f_units", placeholder=tr("filter.all"))
    offices = bar.multiselect(tr("filter.offices"), opts["offices"], key="f_offices", placeholder=tr("filter.all"))
    types = bar.multiselect(tr("filter.case_types"), opts["case_types"], key="f_types", placeholder=tr("filter.all"))
    f = metrics.Filters(tuple(span) if span else None, tuple(units), tuple(offices), tuple(types))
    _to_url(f)
    return f


def describe(f: metrics.Filters) -> list[tuple[str, str]]:
    """The filters in force, for the sheet that every download carries."""
    every = tr("filter.all")
    years = f"{ylabel(f.years[0])} – {ylabel(f.years[1])}" if f.years else every
    rows = [(tr("filter.years"), years), (tr("filter.units"), "、".join(f.units) or every),
            (tr("filter.offices"), "、".join(f.offices) or every), (tr("filter.case_types"), "、".join(f.case_types) or every)]
    if sample_shown():
        rows.insert(0, (tr("export.source"), tr("export.sample")))
    return rows


def sample_shown() -> bool:
    """Whether the bundled sample is in force (read once per run, like the version)."""
    if "_sample_shown" not in st.session_state:
        st.session_state["_sample_shown"] = service.sample_shown()
    return st.session_state["_sample_shown"]


def filters() -> metrics.Filters:
    """The filters app.py put in force (a page opened on its own draws them itself)."""
    if "filters" not in st.session_state:
        st.session_state["filters"] = sidebar()
    return st.session_state["filters"]


# ------------------------------------------------------------------ charts and tables

def chart(fig, table: pd.DataFrame, key: str, name: str):
    """A chart with its table one click away, the table downloadable as .xlsx, .ods
    and .csv with exactly the rows plotted and the filters in force."""
    st.plotly_chart(safe_figure(fig), key=f"chart_{key}", config={"displaylogo": False})
    table_with_downloads(table, key, name)


def table_with_downloads(table: pd.DataFrame, key: str, name: str, *, expanded: bool = False):
    with st.expander(tr("ui.show_table"), expanded=expanded):
        st.dataframe(table, hide_index=True, key=f"table_{key}")
        cols = st.columns(3)
        notes = describe(filters()) + [(tr("ui.table"), name)]
        for col, fmt in zip(cols, export.FORMATS):
            col.download_button(f"{tr('ui.download')} .{fmt}",
                                data=lambda fmt=fmt: export.write_table(table, fmt, notes, lang()),
                                file_name=f"{name}.{fmt}", mime=export.MIME[fmt], key=f"dl_{key}_{fmt}",
                                on_click="ignore")


def empty(what: str):
    """An empty result says what to import, and never raises."""
    st.info(tr("ui.empty", what=tr(f"dataset.{what}")), icon=":material/upload_file:")


def missing(value) -> bool:
    """None, NaN, NA, NaT or an infinite number: nothing to show."""
    if value is None:
        return True
    try:
        return bool(pd.isna(value)) or (isinstance(value, float) and math.isinf(value))
    except (TypeError, ValueError):
        return False


def pct(value, digits: int = 1) -> str:
    return "–" if missing(value) else f"{value:.{digits}%}"


def delta_text(change, kind: str) -> str | None:
    """A change as a KPI card shows it: +1,234 / +1.2 個百分點 / +3.5."""
    if missing(change):
        return None
    if kind == "share":
        return tr("delta.points", value=f"{change * 100:+.1f}")
    return f"{change:+,.0f}" if kind == "count" else f"{change:+,.1f}"


def num(value, digits: int = 0) -> str:
    return "–" if missing(value) else f"{value:,.{digits}f}"
