"""案件量 — all cases month by month, up to five case types as small multiples, the
units of the year in view, each type against the year before, and timeliness."""
import pandas as pd
import streamlit as st

from analytics import comparison, metrics, signals, summaries, wording
from ui import behaviour, charts, data, figures, filters, theme
from ui.session import gregorian, label, lang, option_names, plabel, tr, ylabel

MAX_TYPES = 5

f = filters.filters()
st.title(tr("page.cases"))
total = data.fetch(metrics.case_monthly_total, f)
if total.empty:
    charts.empty("case_volumes")
    st.stop()
words = summaries.Words(lang(), gregorian())
count_title = tr("col.count_axis")
type_col, count_col = tr("col.case_type"), tr("col.count")

span_label = tr("ui.years_span", first=ylabel(f.years[0]), last=ylabel(f.years[1])) if f.years and f.years[0] != f.years[1] \
    else ylabel(int(total["month"].iat[-1].year))
title = tr("cases.trend_total", years=span_label)
st.header(title)
total_series = data.fetch(signals.case_totals, f)
if total_series:
    behaviour.show(total_series, "cases_total", title)

title = tr("cases.trend_types", years=span_label)
st.header(title)
ranked = data.fetch(metrics.case_types_by_volume, f)
picked = st.multiselect(tr("cases.pick_types", most=MAX_TYPES), ranked, default=ranked[:3], key="cases_types_shown",
                        max_selections=MAX_TYPES, format_func=option_names(ranked, label),
                        placeholder=tr("cases.pick_placeholder"))
if picked:
    by_type = {s_.series: s_ for s_ in data.fetch(signals.case_types, f)}
    behaviour.show([by_type[t_] for t_ in picked if t_ in by_type], "cases_trend", title, how=not total_series)
else:
    st.info(tr("cases.pick_none"))

view = comparison.View(f)
figs = data.fetch(comparison.kpis, view)
whole = figs["case_total"]
year = whole.year
if whole.period is not None and f.years and year != f.years[1]:
    st.caption(tr("ui.latest_year_of", dataset=tr("dataset.case_volumes"), year=ylabel(year), end=ylabel(f.years[1])))
period = whole.period
title = tr("cases.by_unit", period=plabel(period))
st.header(title)
by_unit = data.fetch(metrics.case_by_unit, f, period)
if by_unit.empty:
    st.info(tr("cases.no_year", year=ylabel(year)))
else:
    units = by_unit.assign(name=by_unit["unit"].map(label))
    mean = units["count"].mean()
    fig = figures.shared(figures.bars, list(units["name"]), [figures.Series(
        plabel(period), list(units["count"]), theme.ACCENT, text=[f"{v:,.0f}" for v in units["count"]],
        hover=[f"{n}: {v:,.0f}" for n, v in zip(units["name"], units["count"])])], x_title=count_title,
        x_range=[0, units["count"].max() * 1.18], reference=(mean, tr("cases.unit_mean", mean=f"{mean:,.0f}")))
    charts.chart(fig, units[["name", "count"]].rename(columns={"name": tr("col.unit"), "count": count_col}),
                 "cases_units", title, summaries.by_unit(by_unit, period, words), {count_col: "count"})

types = data.fetch(comparison.case_types, view)
title = tr("cases.year_totals", versus=wording.versus(whole, lang(), gregorian()))
st.header(title)
if not types:
    st.info(tr("cases.no_year", year=ylabel(year)))
else:
    now_label, before_label = plabel(whole.window), plabel(whole.before_period)
    names = [str(label(c.name)) for c in types]
    hover = [(n, f"{now_label}: {wording.value(c, lang())}", f"{before_label}: {wording.before(c, lang())}")
             for n, c in zip(names, types)]
    values = [c.value for c in types]
    befores = [c.before for c in types]
    top = max([v for v in values + befores if v is not None] or [1])
    fig = figures.shared(figures.bars, names, [
        figures.Series(now_label, values, theme.ACCENT, text=[wording.value(c, lang()) for c in types], hover=hover),
        figures.Series(before_label, befores, theme.EARLIER, hover=hover)],
        x_title=count_title, x_range=[0, top * 1.18])
    table = pd.DataFrame({type_col: names, now_label: values, before_label: befores,
                          tr("col.change"): [c.change for c in types], tr("col.change_pct"): [c.change_pct for c in types],
                          tr("col.note"): [wording.reason(c, lang(), gregorian()) or "；".join(
                              wording.notes(c, lang(), gregorian())) for c in types]})
    charts.chart(fig, table, "cases_totals", title, summaries.year_totals(types, words),
                 {now_label: "count", before_label: "count", tr("col.change"): "count", tr("col.change_pct"): "share"})

for key, kpi_key, title_key, axis, kind in (
        ("cases_on_time", "on_time_rate", "cases.on_time", tr("col.on_time_rate"), "share"),
        ("cases_days", "processing_days", "cases.days", tr("col.avg_days"), "days")):
    rows = data.fetch(comparison.case_types, view, kpi_key)
    rows = [c for c in rows if c.value is not None]
    title = tr(title_key, year=wording.versus(whole, lang(), gregorian()))
    st.header(title)
    if not rows:
        st.info(tr("cases.no_timeliness"))
        continue
    rows.sort(key=lambda c: c.value, reverse=kind == "share")
    names = [str(label(c.name)) for c in rows]
    series = [figures.Series(plabel(whole.window), [c.value for c in rows], theme.ACCENT,
                             text=[wording.value(c, lang()) for c in rows],
                             hover=[f"{n} {plabel(whole.window)}: {wording.value(c, lang())}" for n, c in zip(names, rows)])]
    if any(c.before is not None for c in rows):
        series.append(figures.Series(plabel(whole.before_period), [c.before for c in rows], theme.EARLIER,
                                     hover=[f"{n} {plabel(whole.before_period)}: {wording.before(c, lang())}"
                                            for n, c in zip(names, rows)]))
    top = max(v for c in rows for v in (c.value, c.before) if v is not None)
    fig = figures.shared(figures.bars, names, series, x_title=axis, percent=kind == "share",
                       x_range=[0, 1.18] if kind == "share" else [0, top * 1.2])
    table = pd.DataFrame({type_col: names, plabel(whole.window): [c.value for c in rows],
                          plabel(whole.before_period): [c.before for c in rows],
                          tr("col.change"): [wording.change(c, lang()) for c in rows],
                          tr("col.verdict"): [wording.status(c, lang(), gregorian()) for c in rows]})
    number_kind = "share" if kind == "share" else "score"
    charts.chart(fig, table, key, title, summaries.per_type(rows, kpi_key, words),
                 {plabel(whole.window): number_kind, plabel(whole.before_period): number_kind})
