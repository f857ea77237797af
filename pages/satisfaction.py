"""滿意度 — counter-service satisfaction with its uncertainty: items, distribution,
offices, trend, response rate, reliability, and the change from the year before."""
import math

import plotly.express as px
import plotly.graph_objects as go
import streamlit as st

from analytics.labels import quarter_label
from analytics import metrics
from analytics.metrics import ITEM_LABELS, ITEM_LABELS_EN
from ui import frame, theme
from ui.frame import tr

f = frame.filters()
st.title(tr("page.satisfaction"))
year = frame.q("latest_year", "survey_responses", f)  # the last year of the range that has answers
one_year = f.with_years(year, year) if year else f
items = frame.q("satisfaction_items", one_year) if year else None
if items is None or int(items["answered"].max()) == 0:
    frame.empty("survey_responses")
    st.stop()
labels = ITEM_LABELS if frame.lang() == "zh" else ITEM_LABELS_EN
rate_title = tr("col.satisfied_rate")

change = frame.q("satisfaction_change", f, year)
st.markdown(tr("sat.summary", year=frame.ylabel(year), rate=frame.pct(change["rate"]), n=change["n"],
               low=frame.pct(items.loc[items["item"] == "overall", "ci_low"].iat[0]),
               high=frame.pct(items.loc[items["item"] == "overall", "ci_high"].iat[0]),
               margin=f"{change['margin']:.1f}"))
if change["previous_n"]:
    key = "sat.change_significant" if change["significant"] else "sat.change_not_significant"
    direction = tr("sat.up") if change["change_points"] > 0 else tr("sat.down")
    st.markdown(tr(key, previous=frame.ylabel(year - 1), direction=direction,
                   points=f"{abs(change['change_points']):.1f}", p=f"{change['p']:.3f}",
                   before=frame.pct(change["previous"]), n0=change["previous_n"]))

alpha = frame.q("cronbach_alpha", one_year)
cols = st.columns(3)
cols[0].metric(tr("sat.alpha"), "–" if math.isnan(alpha["alpha"]) else f"{alpha['alpha']:.3f}",
               help=tr("sat.alpha.help", n=alpha["n"]), border=True)
cols[1].metric(tr("sat.alpha_band"), tr(alpha["band"]), border=True)
weak = metrics.lowest_items(items)
cols[2].metric(tr("sat.lowest"), "、".join(labels[i] for i in weak) or "–", border=True, help=tr("sat.lowest.help"))

st.subheader(tr("sat.items", year=frame.ylabel(year)))
shown = items.assign(label=items["item"].map(labels))
shown = shown.assign(flag=shown["item"].isin(weak).map({True: tr("sat.flag_low"), False: ""}))
fig = go.Figure(go.Bar(
    x=shown["label"], y=shown["rate"], text=shown["rate"].map(frame.pct), textposition="outside",
    marker_color=["#E45756" if i in weak else "#4C78A8" for i in shown["item"]],
    error_y=dict(type="data", symmetric=False, array=shown["ci_high"] - shown["rate"],
                 arrayminus=shown["rate"] - shown["ci_low"]),
    customdata=shown[["answered", "ci_low", "ci_high"]],
    hovertemplate="%{x}<br>" + rate_title + " %{y:.1%}<br>n = %{customdata[0]}<br>95% CI %{customdata[1]:.1%} – "
                  "%{customdata[2]:.1%}<extra></extra>"))
fig.update_yaxes(range=[0, 1.1])
theme.style(fig, y_title=rate_title, percent=True)
frame.chart(fig, shown[["label", "answered", "satisfied", "rate", "ci_low", "ci_high", "flag"]].rename(columns={
    "label": tr("col.item"), "answered": tr("col.answered"), "satisfied": tr("col.satisfied"), "rate": rate_title,
    "ci_low": tr("col.ci_low"), "ci_high": tr("col.ci_high"), "flag": tr("col.flag")}), "sat_items",
    tr("sat.items", year=frame.ylabel(year)))

st.subheader(tr("sat.distribution", year=frame.ylabel(year)))
dist = frame.q("likert_distribution", one_year)
dist = dist.assign(label=dist["item"].map(labels), answer_label=dist["answer"].map(lambda a: tr(f"likert.{a}")))
fig = px.bar(dist, y="label", x="share", color="answer_label", orientation="h",
             color_discrete_map={tr(f"likert.{a}"): c for a, c in theme.LIKERT_COLORS.items()},
             category_orders={"answer_label": [tr(f"likert.{a}") for a in range(1, 6)]},
             hover_data={"count": True, "share": ":.1%"},
             labels={"label": "", "share": tr("col.share"), "answer_label": tr("col.answer"), "count": tr("col.count")})
fig.update_layout(barmode="stack")
fig.update_xaxes(tickformat=".0%")
theme.style(fig, x_title=tr("col.share"))
frame.chart(fig, dist[["label", "answer", "answer_label", "count", "share"]].rename(columns={
    "label": tr("col.item"), "answer": tr("col.answer_code"), "answer_label": tr("col.answer"),
    "count": tr("col.count"), "share": tr("col.share")}), "sat_distribution", tr("sat.distribution", year=frame.ylabel(year)))

left, right = st.columns(2)
for column, by, title_key in ((left, "office", "sat.by_office"), (right, "respondent_type", "sat.by_respondent")):
    with column:
        st.subheader(tr(title_key, year=frame.ylabel(year)))
        groups = frame.q("satisfaction_by", one_year, by)
        fig = go.Figure(go.Bar(
            x=groups["group"], y=groups["rate"], text=groups["rate"].map(frame.pct), textposition="outside",
            marker_color=[theme.color_for(g, theme.OFFICE_COLORS) for g in groups["group"]],
            error_y=dict(type="data", symmetric=False, array=groups["ci_high"] - groups["rate"],
                         arrayminus=groups["rate"] - groups["ci_low"]),
            customdata=groups[["answered"]],
            hovertemplate="%{x}<br>%{y:.1%}<br>n = %{customdata[0]}<extra></extra>"))
        fig.update_yaxes(range=[0, 1.1])
        theme.style(fig, y_title=rate_title, percent=True)
        frame.chart(fig, groups.rename(columns={"group": tr(f"col.{by}"), "answered": tr("col.answered"),
                                                "satisfied": tr("col.satisfied"), "rate": rate_title,
                                                "ci_low": tr("col.ci_low"), "ci_high": tr("col.ci_high")}),
                    f"sat_{by}", tr(title_key, year=frame.ylabel(year)))

st.subheader(tr("sat.trend"))
period = st.radio(tr("sat.period"), ["quarter", "year"], horizontal=True, key="sat_period",
                  format_func=lambda p: tr(f"sat.period.{p}"))
trend = frame.q("satisfaction_trend", f, period)
trend = trend.assign(label=[quarter_label(p, frame.lang(), frame.gregorian()) if period == "quarter"
                            else frame.ylabel(p) for p in trend["period"]])
fig = go.Figure([
    go.Scatter(x=trend["label"], y=trend["ci_high"], line=dict(width=0), showlegend=False, hoverinfo="skip"),
    go.Scatter(x=trend["label"], y=trend["ci_low"], line=dict(width=0), fill="tonexty", fillcolor="rgba(76,120,168,.2)",
               name="95% CI", hoverinfo="skip"),
    go.Scatter(x=trend["label"], y=trend["rate"], mode="lines+markers", name=rate_title, customdata=trend[["answered"]],
               hovertemplate="%{x}<br>%{y:.1%}<br>n = %{customdata[0]}<extra></extra>")])
theme.style(fig, y_title=rate_title, x_title=tr(f"sat.period.{period}"), percent=True)
frame.chart(fig, trend[["label", "answered", "satisfied", "rate", "ci_low", "ci_high"]].rename(columns={
    "label": tr(f"sat.period.{period}"), "answered": tr("col.answered"), "satisfied": tr("col.satisfied"),
    "rate": rate_title, "ci_low": tr("col.ci_low"), "ci_high": tr("col.ci_high")}), "sat_trend", tr("sat.trend"))

st.subheader(tr("sat.response_rate"))
rates = frame.q("response_rates", f)
if rates.empty:
    st.info(tr("sat.no_issued"))
else:
    rates = rates.assign(year_label=rates["year"].map(frame.ylabel))
    fig = px.bar(rates, x="year_label", y="rate", color="office", barmode="group",
                 color_discrete_map=theme.colors(rates["office"], theme.OFFICE_COLORS),
                 hover_data={"issued": ":,", "returned": ":,", "rate": ":.1%"},
                 labels={"year_label": tr("col.year"), "rate": tr("col.response_rate"), "office": tr("col.office"),
                         "issued": tr("col.issued"), "returned": tr("col.returned")})
    theme.style(fig, y_title=tr("col.response_rate"), x_title="", percent=True)
    frame.chart(fig, rates[["year_label", "office", "issued", "returned", "rate"]].rename(columns={
        "year_label": tr("col.year"), "office": tr("col.office"), "issued": tr("col.issued"),
        "returned": tr("col.returned"), "rate": tr("col.response_rate")}), "sat_response", tr("sat.response_rate"))
