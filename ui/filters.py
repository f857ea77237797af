"""The sidebar: language, calendar and the data filters (year range, units, offices,
case types), kept in session state across pages and carried in the URL, so a copied
link opens the same view."""
from __future__ import annotations

import streamlit as st

from analytics import metrics
from analytics.i18n import t
from ui import data
from ui.session import gregorian, label, lang, option_names, tr, ylabel


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
    name 2017 where the data has 2016 and 2019, or years since removed; a tie goes to
    the later year)."""
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
    opts = data.fetch(metrics.options)
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
        back = {text: y for y, text in labels.items()}
        first, last = snap_years(st.session_state.get("_years_span") or (years[max(0, len(years) - 5)], years[-1]),
                                 years)
        chosen = bar.select_slider(tr("filter.years"), options=list(labels.values()), key="f_years",
                                   value=(labels[min(first, last)], labels[max(first, last)]))
        span = (back[chosen[0]], back[chosen[1]])
        st.session_state["_years_span"] = span
    units = bar.multiselect(tr("filter.units"), opts["units"], key="f_units", placeholder=tr("filter.all"),
                            format_func=option_names(opts["units"], label))
    offices = bar.multiselect(tr("filter.offices"), opts["offices"], key="f_offices", placeholder=tr("filter.all"),
                              format_func=option_names(opts["offices"], label))
    types = bar.multiselect(tr("filter.case_types"), opts["case_types"], key="f_types", placeholder=tr("filter.all"),
                            format_func=option_names(opts["case_types"], label))
    f = metrics.Filters(tuple(span) if span else None, tuple(units), tuple(offices), tuple(types))
    _to_url(f)
    return f


def describe(f: metrics.Filters) -> list[tuple[str, str]]:
    """The filters in force (and whether the data is the sample), for the sheet that
    every download carries."""
    every = tr("filter.all")
    years = f"{ylabel(f.years[0])} – {ylabel(f.years[1])}" if f.years else every
    rows = [(tr("filter.years"), years), (tr("filter.units"), tr("sum.list_join").join(f.units) or every),
            (tr("filter.offices"), tr("sum.list_join").join(f.offices) or every), (tr("filter.case_types"), tr("sum.list_join").join(f.case_types) or every)]
    if data.sample_shown():
        rows.insert(0, (tr("export.source"), tr("export.sample")))
    return rows


def filters() -> metrics.Filters:
    """The filters app.py put in force (a page opened on its own draws them itself)."""
    if "filters" not in st.session_state:
        st.session_state["filters"] = sidebar()
    return st.session_state["filters"]
