"""構面評分 — each sub-item's self and review score as a share of its 配分, each
dimension's rate against the year before, and the change per dimension."""
import streamlit as st

from analytics import kpis as kpi_registry
from analytics import metrics, summaries
from ui import charts, data, figures, filters, theme
from ui.formatting import missing, num, pct
from ui.session import gregorian, label, lang, tr, ylabel

f = filters.filters()
st.title(tr("page.dimensions"))
by_year = data.fetch(metrics.dimension_by_year, f)
if by_year.empty:
    charts.empty("dimension_scores")
    st.stop()
words = summaries.Words(lang(), gregorian())
years = sorted(by_year["year"].unique())
year = int(st.selectbox(tr("dim.year"), years[::-1], key="dim_year", format_func=ylabel))
items = data.fetch(metrics.dimension_items, year)
SCORES = {tr("col.points"): "score", tr("col.self_score"): "score", tr("col.review_score"): "score",
          tr("col.score_pct"): "share", tr("col.review_pct"): "share"}

title = tr("dim.items", year=ylabel(year))
st.header(title)
names = [f"{label(d)}｜{label(i)}" for d, i in zip(items["dimension"], items["item"])]
series = [figures.Series(tr("col.self_score"), list(items["self_pct"]), theme.ACCENT,
                         text=[f"{pct(p)}（{num(s)}/{num(pt)}）" for p, s, pt in
                               zip(items["self_pct"], items["self_score"], items["points"])],
                         hover=[f"{n}: {pct(p)}" for n, p in zip(names, items["self_pct"])])]
if items["review_score"].notna().any():
    series.append(figures.Series(tr("col.review_score"), list(items["review_pct"]), theme.OTHER,
                                 text=[pct(p) if not missing(p) else "" for p in items["review_pct"]],
                                 hover=[f"{n}: {pct(p)}" for n, p in zip(names, items["review_pct"])]))
fig = figures.bars(names, series, x_title=tr("col.score_pct"), percent=True, x_range=[0, 1.3])
charts.chart(fig, items.assign(dimension=items["dimension"].map(label), item=items["item"].map(label))[
    ["dimension", "item", "points", "self_score", "review_score", "self_pct", "review_pct"]].rename(columns={
        "dimension": tr("col.dimension"), "item": tr("col.item"), "points": tr("col.points"),
        "self_score": tr("col.self_score"), "review_score": tr("col.review_score"), "self_pct": tr("col.score_pct"),
        "review_pct": tr("col.review_pct")}), "dim_items", title, summaries.dimension_items(items, year, words), SCORES)

title = tr("dim.by_year", year=ylabel(year))
st.header(title)
shown = by_year[by_year["year"].isin([year, year - 1])]
dimensions = list(dict.fromkeys(shown.sort_values("dim_order")["dimension"]))
series = []
for y, colour in ((year, theme.ACCENT), (year - 1, theme.EARLIER)):
    part = shown[shown["year"] == y].set_index("dimension").reindex(dimensions)
    if part["self_pct"].notna().any():
        series.append(figures.Series(ylabel(y), list(part["self_pct"]), colour,
                                     text=[pct(v) if not missing(v) else "" for v in part["self_pct"]] if y == year else None,
                                     hover=[f"{label(d)} {ylabel(y)}: {pct(v)}" for d, v in zip(dimensions, part["self_pct"])]))
fig = figures.dots([str(label(d)) for d in dimensions], series, x_title=tr("col.score_pct"), percent=True,
                   x_range=[0, 1.12])
charts.chart(fig, by_year.assign(year=by_year["year"].map(ylabel), dimension=by_year["dimension"].map(label))[
    ["year", "dimension", "points", "self_score", "self_pct", "review_score", "review_pct"]].rename(columns={
        "year": tr("col.year"), "dimension": tr("col.dimension"), "points": tr("col.points"),
        "self_score": tr("col.self_score"), "self_pct": tr("col.score_pct"), "review_score": tr("col.review_score"),
        "review_pct": tr("col.review_pct")}), "dim_years", title, summaries.dimension_years(by_year, year, words), SCORES)

title = tr("dim.change", year=ylabel(year), previous=ylabel(year - 1))
st.header(title)
change = data.fetch(metrics.dimension_change, year)
if change["previous"].isna().all():
    st.info(tr("overview.no_previous"))
else:
    kpi = kpi_registry.BY_KEY["dimension_self"]
    verdicts = [kpi.verdict(c) for c in change["change"]]
    reach = max(1.0, float(change["change"].abs().max()))
    fig = figures.bars([str(label(d)) for d in change["dimension"]], [figures.Series(
        tr("col.change_points"), list(change["change"]), theme.ACCENT, colors=[theme.VERDICT_COLORS[v] for v in verdicts],
        text=[f"{c:+g} {theme.VERDICT_MARKS[v]} {tr('ui.' + v)}" if not missing(c) else "" for c, v in
              zip(change["change"], verdicts)],
        hover=[f"{label(d)}: {c:+g}" if not missing(c) else str(label(d)) for d, c in
               zip(change["dimension"], change["change"])])],
        x_title=tr("col.change_points"), x_range=[-reach * 2, reach * 2])
    fig.update_xaxes(zeroline=True, zerolinecolor=theme.MUTED_TEXT)
    charts.chart(fig, change.assign(dimension=change["dimension"].map(label), change_pct=change["change_pct"] * 100).rename(columns={
        "dimension": tr("col.dimension"), "points": tr("col.points"), "self_score": tr("col.self_score"),
        "pct": tr("col.score_pct"), "previous": tr("col.previous"), "previous_pct": tr("col.previous_pct"),
        "change": tr("col.change_points"), "change_pct": tr("col.change_pp")}), "dim_change", title,
        summaries.dimension_change(change, year, words),
        {tr("col.points"): "score", tr("col.self_score"): "score", tr("col.score_pct"): "share",
         tr("col.previous"): "score", tr("col.previous_pct"): "share", tr("col.change_points"): "score",
         tr("col.change_pp"): "score"})
