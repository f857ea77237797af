"""案件量 — monthly trend by case type, by unit, year totals with change, timeliness."""
import plotly.express as px
import streamlit as st

from analytics.labels import month_label
from analytics.periods import Period
from analytics.units import display_order
from ui import frame, theme
from ui.frame import tr

f = frame.filters()
st.title(tr("page.cases"))
monthly = frame.q("case_monthly", f, 10, tr("ui.other"))
if monthly.empty:
    frame.empty("case_volumes")
    st.stop()

greg = frame.gregorian()
count_title = tr("col.count_axis")

st.subheader(tr("cases.trend"))
st.caption(tr("cases.top_note", top=10))
monthly = monthly.assign(label=monthly["month"].map(lambda m: month_label(m, greg)))
months = sorted(monthly["label"].unique())  # ROC "110/07" and "2021-07" both sort by time
fig = px.line(monthly, x="label", y="count", color="case_type", markers=True,
              category_orders={"label": months}, hover_data={"count": ":,"},
              labels={"month": tr("col.month"), "count": count_title, "case_type": tr("col.case_type"),
                      "label": tr("col.month")})
theme.style(fig, y_title=count_title, x_title=tr("col.month"), height=420)
frame.chart(fig, monthly[["label", "case_type", "count"]].rename(columns={
    "label": tr("col.month"), "case_type": tr("col.case_type"), "count": tr("col.count")}), "cases_trend", tr("cases.trend"))

st.subheader(tr("cases.by_unit"))
units = frame.q("case_by_unit", f, 14, tr("ui.other"))
units = units.assign(label=units["month"].map(lambda m: month_label(m, greg)))
fig = px.bar(units, x="label", y="count", color="unit", color_discrete_map=theme.colors(units["unit"], theme.UNIT_COLORS),
             category_orders={"label": sorted(units["label"].unique()), "unit": display_order(units["unit"].unique())},
             hover_data={"count": ":,"},
             labels={"month": tr("col.month"), "count": count_title, "unit": tr("col.unit"), "label": tr("col.month")})
fig.update_layout(barmode="stack")
theme.style(fig, y_title=count_title, x_title=tr("col.month"), height=420)
frame.chart(fig, units[["label", "unit", "count"]].rename(columns={
    "label": tr("col.month"), "unit": tr("col.unit"), "count": tr("col.count")}), "cases_units", tr("cases.by_unit"))

st.subheader(tr("cases.year_totals"))
totals = frame.q("case_year_totals", f)
totals = totals.assign(year_label=[frame.plabel(Period(int(y), int(m))) for y, m in zip(totals["year"], totals["last_month"])])
for y, m in {(int(y), int(m)) for y, m in zip(totals["year"], totals["last_month"]) if m < 12}:
    st.caption(tr("overview.compared", versus=frame.versus(Period(y, m), Period(y - 1, m))))
fig = px.bar(totals, x="case_type", y="total", color="year_label", barmode="group",
             hover_data={"change": ":+,", "change_pct": ":+.1%", "year_label": False},
             labels={"case_type": tr("col.case_type"), "total": count_title, "year_label": tr("col.year"),
                     "change": tr("col.change"), "change_pct": tr("col.change_pct")})
theme.style(fig, y_title=count_title, x_title="", height=420)
frame.chart(fig, totals[["year_label", "case_type", "total", "previous", "change", "change_pct"]].rename(columns={
    "year_label": tr("col.year"), "case_type": tr("col.case_type"), "total": tr("col.count"),
    "previous": tr("col.previous"), "change": tr("col.change"), "change_pct": tr("col.change_pct")}),
    "cases_totals", tr("cases.year_totals"))

st.subheader(tr("cases.timeliness"))
timely = frame.q("case_timeliness", f)
if timely.empty:
    st.info(tr("cases.no_timeliness"))
else:
    timely = timely.assign(year_label=timely["year"].map(frame.ylabel))
    fig = px.bar(timely, x="case_type", y="on_time_rate", color="year_label", barmode="group",
                 hover_data={"on_time": ":,", "counted": ":,", "avg_days": ":.1f", "year_label": False},
                 labels={"case_type": tr("col.case_type"), "on_time_rate": tr("col.on_time_rate"),
                         "year_label": tr("col.year"), "on_time": tr("col.on_time"), "counted": tr("col.count"),
                         "avg_days": tr("col.avg_days")})
    fig.update_yaxes(range=[0, 1.05])
    theme.style(fig, y_title=tr("col.on_time_rate"), x_title="", percent=True)
    frame.chart(fig, timely[["year_label", "case_type", "counted", "on_time", "on_time_rate", "avg_days"]].rename(columns={
        "year_label": tr("col.year"), "case_type": tr("col.case_type"), "counted": tr("col.count"),
        "on_time": tr("col.on_time"), "on_time_rate": tr("col.on_time_rate"), "avg_days": tr("col.avg_days")}),
        "cases_timeliness", tr("cases.timeliness"))
