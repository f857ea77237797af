"""構面評分 — each sub-item's self and review score as a share of its 配分, each
dimension's rate against the year before, and the change per dimension."""
import streamlit as st

from analytics import comparison, metrics, summaries, wording
from ui import charts, compared, data, figures, filters, theme
from ui.formatting import missing, num, pct
from ui.session import gregorian, label, lang, option_names, tr, ylabel

f = filters.filters()
st.title(tr("page.dimensions"))
by_year = data.fetch(metrics.dimension_by_year, f)
if by_year.empty:
    charts.empty("dimension_scores")
    st.stop()
words = summaries.Words(lang(), gregorian())
years = sorted(int(y) for y in by_year["year"].unique())
latest = data.fetch(comparison.kpis, comparison.View(f))["dimension_self"].year or years[-1]
year = int(st.selectbox(tr("dim.year"), years[::-1], index=years[::-1].index(latest) if latest in years else 0,
                        key=f"dim_year_{years[0]}_{years[-1]}", format_func=option_names(years, ylabel),
                        placeholder=tr("ui.choose")))
items = data.fetch(metrics.dimension_items, year)
SCORES = {tr("col.points"): "score", tr("col.self_score"): "score", tr("col.review_score"): "score",
          tr("col.score_pct"): "share", tr("col.review_pct"): "share"}

reviewed = bool(items["review_score"].notna().any())
title = tr("dim.items" if reviewed else "dim.items_self", year=ylabel(year))   # titled by what it shows
st.header(title)
if not reviewed:
    st.caption(tr("dim.no_review", year=ylabel(year)))
names = [f"{label(d)}｜{label(i)}" for d, i in zip(items["dimension"], items["item"])]
series = [figures.Series(tr("col.self_score"), list(items["self_pct"]), theme.ACCENT,
                         text=[f"{pct(p)}（{num(s)}/{num(pt)}）" for p, s, pt in
                               zip(items["self_pct"], items["self_score"], items["points"])],
                         hover=[f"{n}: {pct(p)}" for n, p in zip(names, items["self_pct"])])]
if reviewed:
    series.append(figures.Series(tr("col.review_score"), list(items["review_pct"]), theme.OTHER,
                                 text=[pct(p) if not missing(p) else "" for p in items["review_pct"]],
                                 hover=[f"{n}: {pct(p)}" for n, p in zip(names, items["review_pct"])]))
fig = figures.shared(figures.bars, names, series, x_title=tr("col.score_pct"), percent=True, x_range=[0, 1.3])
charts.chart(fig, items.assign(dimension=items["dimension"].map(label), item=items["item"].map(label))[
    ["dimension", "item", "points", "self_score", "review_score", "self_pct", "review_pct"]].rename(columns={
        "dimension": tr("col.dimension"), "item": tr("col.item"), "points": tr("col.points"),
        "self_score": tr("col.self_score"), "review_score": tr("col.review_score"), "self_pct": tr("col.score_pct"),
        "review_pct": tr("col.review_pct")}), "dim_items", title, summaries.dimension_items(items, year, words), SCORES)

dims = data.fetch(comparison.dimensions, comparison.View(f, year=year))
title = tr("dim.by_year", year=ylabel(year))
st.header(title)
names = [str(label(d.name)) for d in dims]
series = [figures.Series(ylabel(year), [d.pct.value for d in dims], theme.ACCENT,
                         text=[wording.value(d.pct, lang()) for d in dims],
                         hover=[f"{n} {ylabel(year)}: {wording.value(d.pct, lang())}" for n, d in zip(names, dims)])]
if any(d.pct.before is not None for d in dims):
    series.append(figures.Series(ylabel(year - 1), [d.pct.before for d in dims], theme.EARLIER,
                                 hover=[f"{n} {ylabel(year - 1)}: {wording.before(d.pct, lang())}"
                                        for n, d in zip(names, dims)]))
fig = figures.shared(figures.dots, names, series, x_title=tr("col.score_pct"), percent=True, x_range=[0, 1.12])
charts.chart(fig, by_year.assign(year=by_year["year"].map(ylabel), dimension=by_year["dimension"].map(label))[
    ["year", "dimension", "points", "self_score", "self_pct", "review_score", "review_pct"]].rename(columns={
        "year": tr("col.year"), "dimension": tr("col.dimension"), "points": tr("col.points"),
        "self_score": tr("col.self_score"), "self_pct": tr("col.score_pct"), "review_score": tr("col.review_score"),
        "review_pct": tr("col.review_pct")}), "dim_years", title, summaries.dimension_years(dims, year, words), SCORES)

title = tr("dim.change", year=ylabel(year), previous=ylabel(year - 1))
st.header(title)
if all(d.score.change is None for d in dims):
    st.info(wording.reason(dims[0].score, lang(), gregorian()) if dims else tr("overview.no_previous"))
else:
    reach = max(1.0, max(abs(d.score.change) for d in dims if d.score.change is not None))
    fig = figures.shared(figures.bars, names, [figures.Series(
        tr("col.change_points"), [d.score.change for d in dims], theme.ACCENT,
        colors=[theme.VERDICT_COLORS[d.score.verdict] for d in dims],
        text=[f"{wording.change(d.score, lang(), relative=False)} {wording.verdict(d.score, lang())}"
              if d.score.is_compared else wording.reason(d.score, lang(), gregorian()) for d in dims],
        hover=[f"{n}: {wording.change(d.score, lang())}" for n, d in zip(names, dims)])],
        x_title=tr("col.change_points"), x_range=[-reach * 2, reach * 2], zeroline=True)
    charts.chart(fig, compared.dimension_table(dims, tr("col.change_points"), "score"), "dim_change", title,
                 summaries.dimension_change(dims, data.fetch(comparison.kpis, comparison.View(f, year=year))[
                     "dimension_self"], year, words), compared.dimension_kinds(tr("col.change_points")))
