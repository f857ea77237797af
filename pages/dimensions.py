"""構面評分 — score against 配分 by dimension and sub-item, self against reviewer,
% by year overlaid on a radar, and the change per dimension."""
import plotly.express as px
import plotly.graph_objects as go
import streamlit as st

from ui import frame, theme
from ui.frame import tr

f = frame.filters()
st.title(tr("page.dimensions"))
by_year = frame.q("dimension_by_year", f)
if by_year.empty:
    frame.empty("dimension_scores")
    st.stop()
years = sorted(by_year["year"].unique())
year = st.selectbox(tr("dim.year"), years[::-1], key="dim_year", format_func=frame.ylabel)
items = frame.q("dimension_items", int(year))

st.subheader(tr("dim.items", year=frame.ylabel(year)))
shown = items.assign(label=items["dimension"] + "｜" + items["item"])
fig = go.Figure()
fig.add_bar(y=shown["label"], x=shown["points"], name=tr("col.points"), orientation="h", marker_color="#d9d9d9")
fig.add_bar(y=shown["label"], x=shown["self_score"], name=tr("col.self_score"), orientation="h",
            marker_color=[theme.color_for(d, theme.DIMENSION_COLORS) for d in shown["dimension"]])
if shown["review_score"].notna().any():
    fig.add_bar(y=shown["label"], x=shown["review_score"], name=tr("col.review_score"), orientation="h",
                marker_color="#333333", opacity=0.7)
fig.update_layout(barmode="overlay" if not shown["review_score"].notna().any() else "group")
fig.update_yaxes(autorange="reversed")
theme.style(fig, x_title=tr("col.score_axis"), height=max(380, 34 * len(shown)))
frame.chart(fig, items[["dimension", "item", "points", "self_score", "review_score", "self_pct", "review_pct"]].rename(columns={
    "dimension": tr("col.dimension"), "item": tr("col.item"), "points": tr("col.points"),
    "self_score": tr("col.self_score"), "review_score": tr("col.review_score"), "self_pct": tr("col.score_pct"),
    "review_pct": tr("col.review_pct")}), "dim_items", tr("dim.items", year=frame.ylabel(year)))

left, right = st.columns(2)
with left:
    st.subheader(tr("dim.radar"))
    fig = go.Figure()
    for y in years:
        part = by_year[by_year["year"] == y]
        fig.add_trace(go.Scatterpolar(r=list(part["self_pct"]) + [part["self_pct"].iat[0]],
                                      theta=list(part["dimension"]) + [part["dimension"].iat[0]],
                                      name=frame.ylabel(y), hovertemplate="%{theta} %{r:.1%}<extra>" + frame.ylabel(y) + "</extra>"))
    fig.update_layout(polar=dict(radialaxis=dict(range=[0, 1], tickformat=".0%")))
    theme.style(fig, height=440)
    frame.chart(fig, by_year.assign(year=by_year["year"].map(frame.ylabel))[
        ["year", "dimension", "points", "self_score", "self_pct", "review_score", "review_pct"]].rename(columns={
        "year": tr("col.year"), "dimension": tr("col.dimension"), "points": tr("col.points"),
        "self_score": tr("col.self_score"), "self_pct": tr("col.score_pct"), "review_score": tr("col.review_score"),
        "review_pct": tr("col.review_pct")}), "dim_radar", tr("dim.radar"))
with right:
    st.subheader(tr("dim.change", year=frame.ylabel(year), previous=frame.ylabel(year - 1)))
    change = frame.q("dimension_change", int(year))
    if change["previous"].isna().all():
        st.info(tr("overview.no_previous"))
    else:
        fig = px.bar(change, x="dimension", y="change", color="dimension", text=change["change"].map(lambda v: f"{v:+g}"),
                     color_discrete_map=theme.colors(change["dimension"], theme.DIMENSION_COLORS),
                     hover_data={"pct": ":.1%", "previous_pct": ":.1%", "change_pct": ":+.1%"},
                     labels={"dimension": tr("col.dimension"), "change": tr("col.change_points"),
                             "pct": frame.ylabel(year), "previous_pct": frame.ylabel(year - 1),
                             "change_pct": tr("col.change_pp")})
        theme.style(fig, y_title=tr("col.change_points"), x_title="").update_layout(showlegend=False)
        frame.chart(fig, change.rename(columns={
            "dimension": tr("col.dimension"), "points": tr("col.points"), "self_score": tr("col.self_score"),
            "pct": tr("col.score_pct"), "previous": tr("col.previous"), "previous_pct": tr("col.previous_pct"),
            "change": tr("col.change_points"), "change_pct": tr("col.change_pp")}), "dim_change",
            tr("dim.change", year=frame.ylabel(year), previous=frame.ylabel(year - 1)))
