"""滿意度 — counter-service satisfaction with its uncertainty: items, distribution,
offices, trend, response rate, reliability, and the change from the year before."""
import math

import plotly.express as px
import plotly.graph_objects as go
import streamlit as st

from analytics.labels import quarter_label
from analytics import metrics, stats
from analytics.metrics import ITEM_LABELS, ITEM_LABELS_EN
from ui import frame, theme
from ui.frame import tr
from ui.text import md

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
period_label = frame.plabel(change["period"])
overall = items.set_index("item").loc["overall"]
if change["n"]:
    st.markdown(tr("sat.summary", year=period_label, rate=frame.pct(change["rate"]), n=f"{change['n']:,}",
                   low=frame.pct(overall["ci_low"]), high=frame.pct(overall["ci_high"]),
                   margin=f"{change['margin']:.1f}"))
    if change["previous_n"]:
        words = dict(previous=frame.plabel(change["period"].before()), before=frame.pct(change["previous"]),
                     n0=f"{change['previous_n']:,}", points=f"{abs(change['change_points']):.1f}",
                     direction=tr("sat.up") if change["change_points"] > 0 else tr("sat.down"))
        if change["change_points"] == 0:
            st.markdown(tr("sat.same", **words))
        elif change["too_small"]:
            st.markdown(tr("sat.change_too_small", minimum=stats.MIN_TEST_N, **words))
        else:
            key = "sat.change_significant" if change["significant"] else "sat.change_not_significant"
            st.markdown(tr(key, test=tr(f"sat.test.{change['method']}"), p=f"{change['p']:.3f}", **words))
else:
    st.info(tr("sat.no_overall", year=period_label))

alpha = frame.q("cronbach_alpha", one_year)
limits = dict(min_items=stats.MIN_ALPHA_ITEMS, min_n=stats.MIN_ALPHA_N, n=f"{alpha['n']:,}")
cols = st.columns(3)
cols[0].metric(tr("sat.alpha", items=alpha["items"]), "–" if alpha["alpha"] is None else f"{alpha['alpha']:.3f}",
               help=tr("sat.alpha.help", **limits), border=True)
cols[1].metric(tr("sat.alpha_band"), tr(alpha["band"]) if alpha["alpha"] is not None else tr(f"alpha.short.{alpha['reason']}"),
               border=True,
               help=tr(f"sat.alpha.{alpha['reason']}", **limits) if alpha["reason"] else None)
weak = metrics.lowest_items(items)
cols[2].metric(tr("sat.lowest"), "、".join(labels[i] for i in weak) or "–", border=True, help=tr("sat.lowest.help"))

st.subheader(tr("sat.items", year=period_label))
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
    tr("sat.items", year=period_label))

st.subheader(tr("sat.distribution", year=period_label))
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
    "count": tr("col.count"), "share": tr("col.share")}), "sat_distribution", tr("sat.distribution", year=period_label))

left, right = st.columns(2)
for column, by, title_key in ((left, "office", "sat.by_office"), (right, "respondent_type", "sat.by_respondent")):
    with column:
        st.subheader(tr(title_key, year=period_label))
        groups = frame.q("satisfaction_by", one_year, by)
        if groups.empty:
            st.info(tr("sat.no_overall_here"))
            continue
        groups = groups.assign(group=groups["group"].map(lambda g: tr("ui.unspecified") if frame.missing(g) else g))
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
                    f"sat_{by}", tr(title_key, year=period_label))

st.subheader(tr("sat.trend"))
period = st.radio(tr("sat.period"), ["quarter", "year"], horizontal=True, key="sat_period",
                  format_func=lambda p: tr(f"sat.period.{p}"))
trend = frame.q("satisfaction_trend", f, period)
if trend.empty:
    st.info(tr("sat.no_overall_here"))
else:
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
counted = rates[rates["issued"].notna()] if not rates.empty else rates
if counted.empty:
    st.info(tr("sat.no_issued"))
else:
    counted = counted.assign(year_label=counted["year"].map(frame.ylabel))
    fig = px.bar(counted, x="year_label", y="rate", color="office", barmode="group",
                 color_discrete_map=theme.colors(counted["office"], theme.OFFICE_COLORS),
                 hover_data={"issued": ":,", "returned": ":,", "rate": ":.1%"},
                 labels={"year_label": tr("col.year"), "rate": tr("col.response_rate"), "office": tr("col.office"),
                         "issued": tr("col.issued"), "returned": tr("col.returned")})
    fig.update_yaxes(range=[0, 1.05])
    theme.style(fig, y_title=tr("col.response_rate"), x_title="", percent=True)
    frame.chart(fig, counted[["year_label", "office", "issued", "returned", "rate", "over_issued"]].assign(
        over_issued=counted["over_issued"].map({True: tr("template.yes"), False: ""})).rename(columns={
        "year_label": tr("col.year"), "office": tr("col.office"), "issued": tr("col.issued"),
        "returned": tr("col.returned"), "rate": tr("col.response_rate"), "over_issued": tr("col.over_issued")}),
        "sat_response", tr("sat.response_rate"))
if not rates.empty:
    without = rates[rates["issued"].isna()]
    if len(without):
        st.caption(tr("sat.without_issued", offices="、".join(
            f"{md(o)}（{frame.ylabel(y)}）" for y, o in zip(without["year"], without["office"]))))
    over = rates[rates["over_issued"].fillna(False).astype(bool)]
    if len(over):
        st.warning(tr("sat.over_issued", offices="、".join(
            f"{md(o)}（{frame.ylabel(y)}）" for y, o in zip(over["year"], over["office"]))))
