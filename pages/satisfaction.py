"""滿意度 — counter-service satisfaction with its uncertainty: items, distribution,
offices, respondent types, trend, response rate, reliability, and the change from the
same months of the year before."""
import plotly.graph_objects as go
import streamlit as st

from analytics import comparison, metrics, signals, survey_stats, summaries, wording
from analytics.labels import quarter_label, year_tick
from analytics.metrics import ITEM_LABELS
from ui import behaviour, charts, data, figures, filters, theme
from ui.formatting import missing, pct
from ui.session import gregorian, label, lang, option_names, plabel, tr, ylabel
from ui.text import md

f = filters.filters()
st.title(tr("page.satisfaction"))
view = comparison.View(f)
figs = data.fetch(comparison.kpis, view)
sat = figs["satisfaction"]
year = sat.year    # the last year of the range that has answers under the filters
one_year = f.with_years(year, year) if year else f
items = data.fetch(metrics.satisfaction_items, one_year) if year else None
if items is None or int(items["answered"].max()) == 0:
    charts.empty("survey_responses")
    st.stop()
if f.years and year != f.years[1]:
    st.caption(tr("ui.latest_year_of", dataset=tr("dataset.survey_responses"), year=ylabel(year), end=ylabel(f.years[1])))
words = summaries.Words(lang(), gregorian())
names = {key: str(label(text)) for key, text in ITEM_LABELS.items()}
rate_title = tr("col.satisfied_rate")
SHARES = {rate_title: "share", tr("col.ci_low"): "share", tr("col.ci_high"): "share",
          tr("col.answered"): "count", tr("col.satisfied"): "count"}

period = sat.period or comparison.Period(year)
period_label = plabel(period)
overall = items.set_index("item").loc["overall"]
if sat.n:
    st.markdown(tr("sat.summary", year=period_label, rate=pct(sat.value), n=f"{sat.n:,}",
                   low=pct(overall["ci_low"]), high=pct(overall["ci_high"]),
                   margin=f"{survey_stats.margin_of_error(sat.n):.1f}"))
    if sat.is_compared:
        test = comparison.significance(sat)
        said = dict(versus=wording.versus(sat, lang(), gregorian()),
                    previous=wording.before_side(sat, lang(), gregorian()), before=pct(sat.before),
                    n0=f"{sat.before_n:,}", points=f"{abs(sat.change) * 100:.1f}",
                    direction=tr("sat.up") if sat.change > 0 else tr("sat.down"))
        if sat.verdict == "same":
            st.markdown(tr("sat.same", **said))
        else:
            key = "sat.change_significant" if test["significant"] else "sat.change_not_significant"
            st.markdown(tr(key, test=tr(f"sat.test.{test['method']}"), p=f"{test['p']:.3f}", **said))
    else:
        st.markdown(md(wording.reason(sat, lang(), gregorian())))
    for note in wording.notes(sat, lang(), gregorian()):
        st.caption(md(note))
else:
    st.info(tr("sat.no_overall", year=period_label))

alpha = data.fetch(metrics.cronbach_alpha, one_year)
limits = dict(min_items=survey_stats.MIN_ALPHA_ITEMS, min_n=survey_stats.MIN_ALPHA_N, n=f"{alpha['n']:,}")
cols = st.columns(3)
cols[0].metric(tr("sat.alpha", items=alpha["items"]), "–" if alpha["alpha"] is None else f"{alpha['alpha']:.3f}",
               help=tr("sat.alpha.help", **limits), border=True)
cols[1].metric(tr("sat.alpha_band"), tr(alpha["band"]) if alpha["alpha"] is not None else tr(f"alpha.short.{alpha['reason']}"),
               border=True, help=tr(f"sat.alpha.{alpha['reason']}", **limits) if alpha["reason"] else None)
weak = metrics.lowest_items(items)
rates = items.set_index("item")["rate"]
cols[2].metric(tr("sat.lowest"), pct(rates[weak[0]]) if weak else "–", border=True, help=tr("sat.lowest.help"))
if weak:   # the names below the cards: a card holds a short value, never cut-off text
    st.caption(tr("sat.lowest.list" if len(weak) <= 2 else "sat.lowest.list_tied",   # ties at the second: all named
                  items=tr("sum.list_join").join(f"{names[i]}（{pct(rates[i])}）" for i in weak)))
else:
    st.caption(tr("sat.lowest.none"))


def dot_plot(frame, name_col: str, reference: tuple[float, str] | None = None):
    """Rates as dots with their 95 % Wilson intervals and the rate as text; ``reference``
    (value, label) a dashed line."""
    low = max(0.0, float(frame["ci_low"].min()) - 0.12)
    return figures.shared(figures.dots, list(frame[name_col]), [figures.Series(
        rate_title, list(frame["rate"]), theme.ACCENT, colors=list(frame["colour"]), text=[pct(v) for v in frame["rate"]],
        errors=(list(frame["rate"] - frame["ci_low"]), list(frame["ci_high"] - frame["rate"])),
        hover=[f"{n}: {pct(r)} (95% CI {pct(a)} – {pct(b)}, n = {k:,})" for n, r, a, b, k in
               zip(frame[name_col], frame["rate"], frame["ci_low"], frame["ci_high"], frame["answered"])])],
        x_title=rate_title, percent=True, x_range=[low, 1.01], legend=False, reference=reference)


title = tr("sat.items", year=period_label)
st.header(title)
shown = items[items["answered"] > 0]
shown = shown.assign(name=shown["item"].map(names), flag=shown["item"].isin(weak).map({True: tr("sat.flag_low"), False: ""}),
                     colour=[theme.VERDICT_COLORS["worse"] if i in weak else theme.ACCENT for i in shown["item"]])
fig = dot_plot(shown.assign(marked=[f"{n} ▼" if i in weak else n for n, i in zip(shown["name"], shown["item"])]),
               "marked")   # the mark beside the colour on the chart; the table has its own column
charts.chart(fig, shown[["name", "answered", "satisfied", "rate", "ci_low", "ci_high", "flag"]].rename(columns={
    "name": tr("col.item"), "answered": tr("col.answered"), "satisfied": tr("col.satisfied"), "rate": rate_title,
    "ci_low": tr("col.ci_low"), "ci_high": tr("col.ci_high"), "flag": tr("col.flag")}), "sat_items", title,
    summaries.items(items, period, names, weak, words), SHARES)

title = tr("sat.distribution", year=period_label)
st.header(title)
dist = data.fetch(metrics.likert_distribution, one_year)
dist = dist.assign(name=dist["item"].map(names), answer_label=dist["answer"].map(lambda a: tr(f"likert.{a}")))
item_names = [n for n in names.values() if n in set(dist["name"])]
series = []
for answer in range(1, 6):
    part = dist[dist["answer"] == answer].set_index("name").reindex(item_names)
    series.append(figures.Series(tr(f"likert.{answer}"), list(part["share"].fillna(0)), theme.LIKERT_COLORS[answer],
                                 text=[pct(v, 0) if v == v else "" for v in part["share"]],
                                 hover=[f"{n} · {tr(f'likert.{answer}')}: {pct(v)}" for n, v in
                                        zip(item_names, part["share"])]))
fig = figures.shared(figures.bars, item_names, series, x_title=tr("col.share"), percent=True, x_range=[0, 1],
                     stacked=True)
st.caption(tr("sat.likert_order", answers=tr("sum.list_join").join(tr(f"likert.{a}") for a in range(1, 6))))   # the key in words
charts.chart(fig, dist[["name", "answer", "answer_label", "count", "share"]].rename(columns={
    "name": tr("col.item"), "answer": tr("col.answer_code"), "answer_label": tr("col.answer"),
    "count": tr("col.count"), "share": tr("col.share")}), "sat_distribution", title,
    summaries.distribution(dist, words), {tr("col.count"): "count", tr("col.share"): "share"})

for by, title_key, column_key in (("office", "sat.by_office", "col.office"),
                                  ("respondent_type", "sat.by_respondent", "col.respondent_type")):
    title = tr(title_key, year=period_label)
    st.header(title)
    groups = data.fetch(metrics.satisfaction_by, one_year, by)
    if groups.empty:
        st.info(tr("sat.no_overall_here"))
        continue
    groups = groups.assign(group=groups["group"].map(lambda g: tr("ui.unspecified") if missing(g) else label(g)),
                           colour=theme.ACCENT).sort_values("rate", ascending=False)
    fig = dot_plot(groups, "group", None if missing(overall["rate"]) else
                   (float(overall["rate"]), tr("sat.overall_line", rate=pct(overall["rate"]))))
    charts.chart(fig, groups.drop(columns="colour").rename(columns={
        "group": tr(column_key), "answered": tr("col.answered"), "satisfied": tr("col.satisfied"), "rate": rate_title,
        "ci_low": tr("col.ci_low"), "ci_high": tr("col.ci_high")}), f"sat_{by}", title,
        summaries.groups(groups, words), SHARES)

years_said = tr("ui.years_span", first=ylabel(f.years[0]), last=ylabel(f.years[1])) if f.years and \
    f.years[0] != f.years[1] else ylabel(year)
title = tr("sat.trend", years=years_said)
st.header(title)
period = st.radio(tr("sat.period"), ["quarter", "year"], horizontal=True, key="sat_period",
                  format_func=option_names(["quarter", "year"], lambda p: tr(f"sat.period.{p}")))
trend = data.fetch(metrics.satisfaction_trend, f, period)
if trend.empty:
    st.info(tr("sat.no_overall_here"))
else:
    labels = [quarter_label(p, lang(), gregorian()) if period == "quarter" else ylabel(p) for p in trend["period"]]
    trend = trend.assign(label=labels)
    # The band's edges are drawn (3:1 against the page), its fill only guides the eye.
    edge = dict(color=theme.BAND_EDGE, width=1.2, dash="dot")
    fig = go.Figure([
        go.Scatter(x=trend["label"], y=trend["ci_high"], line=edge, showlegend=False, hoverinfo="skip"),
        go.Scatter(x=trend["label"], y=trend["ci_low"], line=edge, fill="tonexty", fillcolor=theme.BAND_FILL,
                   name=tr("col.ci"), hoverinfo="skip"),
        go.Scatter(x=trend["label"], y=trend["rate"], mode="lines+markers", name=rate_title, line_color=theme.ACCENT,
                   customdata=trend[["answered"]], hovertemplate="%{x}<br>%{y:.1%}<br>n = %{customdata[0]:,}<extra></extra>")])
    theme.values_inside(theme.style(fig, x_title=tr(f"sat.period.{period}"), percent=True))
    if period == "quarter":    # a label per quarter where they fit, else each first quarter as its year
        keys = [int(p) // 10 * 4 + int(p) % 10 - 1 for p in trend["period"]]
        coarse = [year_tick(int(p) // 10, lang(), gregorian()) for p in trend["period"]]
        theme.category_ticks(fig, labels, keys, (1, 2, 4, 8, 12, 20), coarse=coarse, coarse_from=4)
    else:
        theme.category_ticks(fig, labels, [int(p) for p in trend["period"]], (1, 2, 3, 5, 10))
    charts.chart(fig, trend[["label", "answered", "satisfied", "rate", "ci_low", "ci_high"]].rename(columns={
        "label": tr(f"sat.period.{period}"), "answered": tr("col.answered"), "satisfied": tr("col.satisfied"),
        "rate": rate_title, "ci_low": tr("col.ci_low"), "ci_high": tr("col.ci_high")}), "sat_trend", title,
        summaries.trend(trend, labels, words), SHARES)

title = tr("sat.behaviour", years=years_said)
st.header(title)
monthly = data.fetch(signals.satisfaction, f)
if monthly:
    behaviour.show(monthly, "sat_behaviour", title, percent=True)
else:
    st.info(tr("sat.no_overall_here"))

title = tr("sat.response_title", year=ylabel(year))
st.header(title)
rates = data.fetch(metrics.response_rates, f)
this_year = rates[(rates["year"] == year) & rates["issued"].notna()] if not rates.empty else rates
if this_year.empty:
    st.info(tr("sat.no_issued"))
else:
    branch = {"rate": figs["response_rate"].value}
    offices = this_year.assign(name=this_year["office"].map(label)).sort_values("rate", ascending=False)
    fig = figures.shared(figures.bars, list(offices["name"]), [figures.Series(
        tr("col.response_rate"), list(offices["rate"]), theme.ACCENT, text=[pct(v) for v in offices["rate"]],
        hover=[f"{n}: {pct(r)} ({k:,.0f} / {i:,.0f})" for n, r, k, i in
               zip(offices["name"], offices["rate"], offices["counted"], offices["issued"])])],
        x_title=tr("col.response_rate"), percent=True, x_range=[0, 1.18],
        reference=None if branch["rate"] is None else (branch["rate"], tr("sat.branch_rate", rate=pct(branch["rate"]))))
    table = rates[rates["issued"].notna()].assign(
        year_label=lambda r: r["year"].map(ylabel), name=lambda r: r["office"].map(label),
        over_issued=lambda r: r["over_issued"].map({True: tr("template.yes"), False: ""}))
    charts.chart(fig, table[["year_label", "name", "issued", "returned", "rate", "over_issued"]].rename(columns={
        "year_label": tr("col.year"), "name": tr("col.office"), "issued": tr("col.issued"),
        "returned": tr("col.returned"), "rate": tr("col.response_rate"), "over_issued": tr("col.over_issued")}),
        "sat_response", title, summaries.response(offices, year, branch["rate"], words) +
        (" " + tr("sat.response_change", status=wording.status(figs["response_rate"], lang(), gregorian()),
                  versus=wording.versus(figs["response_rate"], lang(), gregorian()),
                  change=wording.change(figs["response_rate"], lang()))
         if figs["response_rate"].is_compared else
         " " + wording.status(figs["response_rate"], lang(), gregorian()) if figs["response_rate"].before_period
         else ""),
        {tr("col.issued"): "count", tr("col.returned"): "count", tr("col.response_rate"): "share"})
    for note in wording.notes(figs["response_rate"], lang(), gregorian()):    # the note the sentence points to
        st.caption(md(f"{tr('col.response_rate')}{tr('sum.label_sep')}{note}"))
if not rates.empty:
    without = rates[rates["issued"].isna()]
    if len(without):
        st.caption(tr("sat.without_issued", offices=tr("sum.list_join").join(
            f"{md(label(o))}（{ylabel(y)}）" for y, o in zip(without["year"], without["office"]))))
    over = rates[rates["over_issued"].fillna(False).astype(bool)]
    if len(over):
        st.warning(tr("sat.over_issued", offices=tr("sum.list_join").join(
            f"{md(label(o))}（{ylabel(y)}）" for y, o in zip(over["year"], over["office"]))))
