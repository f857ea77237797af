"""案件量 — all cases month by month, up to five case types as small multiples, the
units of the year in view, each type against the year before, and timeliness."""
import plotly.graph_objects as go
import streamlit as st
from plotly.subplots import make_subplots

from analytics import metrics, summaries
from analytics.labels import month_label
from ui import charts, data, figures, filters, theme
from ui.formatting import missing
from ui.session import gregorian, label, lang, plabel, tr, versus, ylabel

MAX_TYPES = 5

f = filters.filters()
st.title(tr("page.cases"))
total = data.fetch(metrics.case_monthly_total, f)
if total.empty:
    charts.empty("case_volumes")
    st.stop()
words = summaries.Words(lang(), gregorian())
greg = gregorian()
count_title = tr("col.count_axis")
month_col, type_col, count_col = tr("col.month"), tr("col.case_type"), tr("col.count")

st.header(tr("cases.trend_total"))
shown = total.assign(label=total["month"].map(lambda m: month_label(m, greg)))
fig = go.Figure(go.Scatter(x=shown["label"], y=shown["count"], mode="lines+markers", line_color=theme.ACCENT,
                           hovertemplate="%{x}<br>%{y:,} " + tr("unit.cases") + "<extra></extra>"))
theme.values_inside(theme.style(fig, x_title=tr("col.month"), height=320, legend=False))
charts.chart(fig, shown[["label", "count"]].rename(columns={"label": month_col, "count": count_col}), "cases_total",
             tr("cases.trend_total"), summaries.monthly_total(total, words), {count_col: "count"})

st.header(tr("cases.trend_types"))
ranked = data.fetch(metrics.case_types_by_volume, f)
picked = st.multiselect(tr("cases.pick_types", most=MAX_TYPES), ranked, default=ranked[:3], key="cases_types_shown",
                        max_selections=MAX_TYPES, format_func=label)
if picked:
    monthly = data.fetch(metrics.case_monthly, f, tuple(picked))
    monthly = monthly.assign(label=monthly["month"].map(lambda m: month_label(m, greg)))
    months = sorted(monthly["label"].unique())   # ROC "110/07" and "2021-07" both sort by time
    fig = make_subplots(rows=len(picked), cols=1, shared_xaxes=True, vertical_spacing=0.08,
                        subplot_titles=[str(label(p)) for p in picked])
    for row, case_type in enumerate(picked, start=1):
        part = monthly[monthly["case_type"] == case_type]
        fig.add_trace(go.Scatter(x=part["label"], y=part["count"], mode="lines", line_color=theme.ACCENT,
                                 name=str(label(case_type)), hovertemplate="%{x}<br>%{y:,}<extra></extra>"),
                      row=row, col=1)
    fig.update_xaxes(categoryorder="array", categoryarray=months)
    fig.update_annotations(font_size=14, font_color=theme.TEXT, x=0, xanchor="left")
    theme.values_inside(theme.style(fig, height=70 + 150 * len(picked), legend=False))
    table = monthly[["label", "case_type", "count"]].assign(case_type=monthly["case_type"].map(label))
    charts.chart(fig, table.rename(columns={"label": month_col, "case_type": type_col, "count": count_col}),
                 "cases_trend", tr("cases.trend_types"), summaries.monthly_types(monthly, words), {count_col: "count"})
else:
    st.info(tr("cases.pick_none"))

year = f.years[1] if f.years else int(total["month"].iat[-1].year)
by_unit = data.fetch(metrics.case_by_unit, f, year)
period = data.fetch(metrics.comparison_periods, year - 1, year)[1]["case_volumes"]
title = tr("cases.by_unit", period=plabel(period))
st.header(title)
if by_unit.empty:
    st.info(tr("cases.no_year", year=ylabel(year)))
else:
    units = by_unit.assign(name=by_unit["unit"].map(label))
    mean = units["count"].mean()
    fig = figures.bars(list(units["name"]), [figures.Series(
        plabel(period), list(units["count"]), theme.ACCENT, text=[f"{v:,.0f}" for v in units["count"]],
        hover=[f"{n}: {v:,.0f}" for n, v in zip(units["name"], units["count"])])], x_title=count_title,
        x_range=[0, units["count"].max() * 1.18])
    theme.reference_line(fig, mean, tr("cases.unit_mean", mean=f"{mean:,.0f}"))
    charts.chart(fig, units[["name", "count"]].rename(columns={"name": tr("col.unit"), "count": count_col}),
                 "cases_units", title, summaries.by_unit(by_unit, period, words), {count_col: "count"})

totals = data.fetch(metrics.case_year_totals, f.with_years(year, year))
title = tr("cases.year_totals", versus=versus(period, period.before()))
st.header(title)
if totals.empty:
    st.info(tr("cases.no_year", year=ylabel(year)))
else:
    now_label, before_label = plabel(period), plabel(period.before())
    rows = totals.assign(name=totals["case_type"].map(label))
    hover = [(n, f"{now_label}: {v:,.0f}", f"{before_label}: {'–' if missing(b) else f'{b:,.0f}'}")
             for n, v, b in zip(rows["name"], rows["total"], rows["previous"])]
    fig = figures.bars(list(rows["name"]), [
        figures.Series(now_label, list(rows["total"]), theme.ACCENT, text=[f"{v:,.0f}" for v in rows["total"]], hover=hover),
        figures.Series(before_label, list(rows["previous"]), theme.EARLIER, hover=hover)],
        x_title=count_title, x_range=[0, max(rows["total"].max(), rows["previous"].max(skipna=True) or 0) * 1.18])
    table = rows[["name", "total", "previous", "change", "change_pct"]].rename(columns={
        "name": type_col, "total": now_label, "previous": before_label, "change": tr("col.change"),
        "change_pct": tr("col.change_pct")})
    charts.chart(fig, table, "cases_totals", title, summaries.year_totals(totals, period, words),
                 {now_label: "count", before_label: "count", tr("col.change"): "count", tr("col.change_pct"): "share"})

timely = data.fetch(metrics.case_timeliness, f.with_years(year - 1, year))
for key, column, title_key, summary, axis, kind in (
        ("cases_on_time", "on_time_rate", "cases.on_time", summaries.on_time, tr("col.on_time_rate"), "share"),
        ("cases_days", "avg_days", "cases.days", summaries.days, tr("col.avg_days"), "score")):
    title = tr(title_key, year=ylabel(year))
    st.header(title)
    rows = timely[timely[column].notna()] if not timely.empty else timely
    if rows.empty or not (rows["year"] == year).any():
        st.info(tr("cases.no_timeliness"))
        continue
    rows = rows.assign(name=rows["case_type"].map(label), year_label=rows["year"].map(ylabel))
    order = rows[rows["year"] == year].sort_values(column, ascending=kind == "share")["name"].tolist()
    fmt = (lambda v: f"{v:.1%}") if kind == "share" else (lambda v: f"{v:.1f}")
    series = []
    for y, colour in ((year, theme.ACCENT), (year - 1, theme.EARLIER)):
        part = rows[rows["year"] == y].set_index("name").reindex(order)
        if part[column].notna().any():
            series.append(figures.Series(ylabel(y), list(part[column]), colour,
                                         text=[fmt(v) if not missing(v) else "" for v in part[column]] if y == year else None,
                                         hover=[f"{n} {ylabel(y)}: {fmt(v) if not missing(v) else '–'}"
                                                for n, v in zip(order, part[column])]))
    top = rows[column].max()
    fig = figures.bars(order, series, x_title=axis, percent=kind == "share",
                       x_range=[0, 1.18] if kind == "share" else [0, top * 1.2])
    table = rows[["year_label", "name", "counted", "on_time", "on_time_rate", "avg_days"]].rename(columns={
        "year_label": tr("col.year"), "name": type_col, "counted": count_col, "on_time": tr("col.on_time"),
        "on_time_rate": tr("col.on_time_rate"), "avg_days": tr("col.avg_days")})
    charts.chart(fig, table, key, title, summary(timely, year, words),
                 {count_col: "count", tr("col.on_time"): "count", tr("col.on_time_rate"): "share",
                  tr("col.avg_days"): "score"})
