"""總覽 — the year in view at a glance: KPI cards against the same months of the year
before, the five dimensions, what moved most, the targets and how fresh the data is.
Every figure and every change here is a comparison.Comparison, said by analytics.wording."""
import datetime

import pandas as pd
import streamlit as st

from analytics import comparison, kpis, metrics, signals, spc_words, summaries, survey_stats, wording
from analytics.labels import user_label
from ui import behaviour, charts, compared, data, figures, filters, theme
from ui.formatting import num, pct
from ui.session import gregorian, label, lang, tr, ylabel
from ui.text import md

f = filters.filters()
opts = data.fetch(metrics.options)
if not opts["years"]:
    st.title(tr("page.overview"))
    charts.empty("case_volumes")
    st.stop()
view = comparison.View(f)
figs = data.fetch(comparison.kpis, view)
years = data.fetch(comparison.years_in_view, view)
shown_years = [y for y in years.values() if y is not None]
headline = years["case_volumes"] or (max(shown_years) if shown_years else opts["years"][-1])
st.title(tr("overview.title", period=ylabel(headline)))
words = summaries.Words(lang(), gregorian())
end = f.years[1] if f.years else opts["years"][-1]
later = [tr("overview.year_of", dataset=tr(f"dataset.{name}"), year=ylabel(y)) for name, y in years.items()
         if y is not None and y != end]
if later:
    st.caption(tr("overview.years_differ", end=ylabel(end), which=tr("sum.list_join").join(later)))

COLOURS = {kpis.UP: "normal", kpis.DOWN: "inverse", kpis.NEITHER: "off"}
CARDS = ("case_total", "digital_share", "satisfaction", "phone_pass_rate", "dimension_self")


def card(column, c: comparison.Comparison, help_text: str = "", process=None):
    """A KPI card: a short value and its change, coloured only where one direction is
    better; below it, in words, the verdict and what it is compared with (a phone has no
    hover), the target, and what a total left out."""
    said = wording.change(c, lang(), relative=False) if c.is_compared else None
    colour = "off" if c.verdict in ("same", "workload") else COLOURS[c.kpi.better]
    # The verdict in words beside the change (▲ 較佳, ● 工作量): colour never says it alone,
    # and a screen reader hears it with the change.
    column.metric(wording.name(c, lang()), wording.value(c, lang()), said, delta_color=colour, border=True,
                  help=help_text or None, delta_description=wording.status(c, lang(), gregorian()) if said else None)
    lines = [] if said else [wording.status(c, lang(), gregorian())]     # compared: the card says its verdict
    lines.append(wording.versus(c, lang(), gregorian()) if c.is_compared else wording.period(c.period, lang(),
                                                                                              gregorian()))
    if c.target is not None:
        lines.append(wording.target(c, lang(), gregorian()))
    lines += wording.notes(c, lang(), gregorian())
    lines += behaviour.verdict(process)
    column.caption("  \n".join(md(x) for x in lines if x and x != wording.DASH))


dims = data.fetch(comparison.dimensions, view)
sat = figs["satisfaction"]
helps = {"digital_share": tr("kpi.digital_share.help"),
         "phone_pass_rate": tr("kpi.phone.help", n=f"{figs['phone_tests'].value or 0:,.0f}")}
if sat.n:
    low, high = survey_stats.wilson(int(sat.k), sat.n)
    helps["satisfaction"] = tr("kpi.satisfaction.help", n=f"{sat.n:,}", low=pct(low), high=pct(high))
if dims:
    helps["dimension_self"] = tr("kpi.dimension_self.of", points=num(sum(d.points or 0 for d in dims)))
every = data.fetch(signals.all_series, f)
process = {s.kpi: s for s in every if s.series == signals.ALL_SERIES}
cards = st.columns(len(CARDS))
for column, key in zip(cards, CARDS):
    card(column, figs[key], helps.get(key, ""), process.get(key))

st.header(tr("overview.signals"))
found = []
for s in every:
    if s.chart.latest is None:
        continue
    year = figs[s.kpi].year if s.kpi in figs else None
    since = datetime.date(year, 1, 1) if year else None
    if s.unit == signals.ROUND:       # rounds: the special cause the year's last round belongs to
        if year and s.starts and s.starts[-1].year == year:
            found += spc_words.special_cause_sentences(s.chart, spc_words.subject(s.kpi, s.series, lang()), lang(),
                                                       gregorian(), s.unit)[:1]
    elif since is not None:
        found += spc_words.special_cause_sentences(s.chart, spc_words.subject(s.kpi, s.series, lang()), lang(),
                                                   gregorian(), s.unit, since=since)
if found:
    st.markdown("\n".join(f"- {md(line)}" for line in found))
else:
    st.markdown(tr("overview.signals_none", year=ylabel(headline)))
st.caption(tr("overview.signals_note"))
behaviour.explain("overview")

left, right = st.columns(2)
with left:
    year = years["dimension_scores"]
    title = tr("overview.scorecard", year=ylabel(year)) if year else tr("overview.scorecard_none")
    st.header(title)
    if not dims:
        charts.empty("dimension_scores")
    else:
        names = [str(label(d.name)) for d in dims]
        fig = figures.shared(figures.bars, names, [figures.Series(
            ylabel(year), [d.pct.value for d in dims], theme.ACCENT,
            colors=[theme.color_for(d.name, theme.DIMENSION_COLORS) for d in dims],
            text=[wording.value(d.pct, lang()) for d in dims],
            hover=[f"{n}: {wording.value(d.pct, lang())} ({num(d.score.value)} / {num(d.points)})"
                   for n, d in zip(names, dims)])],
            x_title=tr("col.score_pct"), percent=True, x_range=[0, 1.15])
        charts.chart(fig, compared.dimension_table(dims, tr("col.change"), "pct"), "overview_scorecard", title,
                     summaries.scorecard(dims, year, words), compared.dimension_kinds(tr("col.change")))
with right:
    title = tr("overview.moves_title")
    st.header(title)
    moved = data.fetch(comparison.moves, view)
    merit, workload = moved["merit"], moved["workload"]
    if not merit and not workload:
        st.info(tr("overview.no_previous"))
    else:
        st.caption(tr("overview.moves_measure"))
        if merit:
            fig = compared.merit_bars(merit, [f"{wording.name(c, lang())}: {wording.moved(c, lang())} · "
                                              f"{wording.versus(c, lang(), gregorian())}" for c in merit])
            st.caption(tr("ui.verdict_key"))
        else:
            fig = None
        rows = [*merit, *workload]
        table = pd.DataFrame({
            tr("col.what"): [wording.name(c, lang()) for c in rows],
            tr("col.kind"): [tr("overview.merit") if c.merit else tr("overview.workload") for c in rows],
            tr("col.period"): [wording.versus(c, lang(), gregorian()) for c in rows],
            tr("col.before_value"): [wording.before(c, lang()) for c in rows],
            tr("col.now_value"): [wording.now(c, lang()) for c in rows],
            tr("col.change"): [wording.moved(c, lang()) for c in rows],
            tr("col.verdict"): [wording.status(c, lang(), gregorian()) for c in rows]})
        sentence = summaries.moves(merit, workload, words)
        if fig is not None:
            charts.chart(fig, table, "overview_moves", title, sentence)
        else:
            st.markdown(md(sentence))
            charts.table_with_downloads(table, "overview_moves", title, expanded=True)
        # the rows show the part both years hold (wording.now); what a total left out, and its whole
        for c in rows:
            for note in wording.notes(c, lang(), gregorian(), in_row=True):
                st.caption(md(f"{wording.name(c, lang())}{tr('sum.label_sep')}{note}"))

year = years["case_volumes"] or headline
targeted = [c for key, c in figs.items() if c.target is not None and key in kpis.BY_KEY]
# each KPI's target is that of its own year in view: the heading names every year among them
target_years = sorted({c.year for c in targeted if c.year}) or [year]
title = tr("overview.targets", year=tr("sum.list_join").join(ylabel(y) for y in target_years))
st.header(title)
if not targeted:
    st.info(tr("overview.targets_none", year=ylabel(year)))
else:
    order = {"not_met": 0, "pending": 1, "no_data": 1, "met": 2}
    targeted.sort(key=lambda c: order[c.target.state])
    view_table = pd.DataFrame({
        tr("col.kpi"): [wording.name(c, lang()) for c in targeted],
        tr("col.met"): [wording.judgment(c, lang(), gregorian()) for c in targeted],
        tr("col.actual"): [wording.value(c, lang()) for c in targeted],
        tr("col.target"): [wording.goal(c, lang()) for c in targeted],
        tr("col.period"): [wording.period(c.period, lang(), gregorian()) for c in targeted]})
    st.markdown(md(summaries.targets(targeted, target_years[0] if len(target_years) == 1 else target_years, words)))
    charts.table_with_downloads(view_table, "overview_targets", title,
                                narrow=[tr("col.kpi"), tr("col.met"), tr("col.actual"), tr("col.target")])

st.header(tr("overview.freshness"))
last = data.fetch(metrics.last_import)
if last:
    st.caption(tr("overview.last_import", at=str(last["imported_at"])[:16], file=md(last["file"]),
                  user=md(user_label(last["user"], lang()))))
coverage = data.fetch(metrics.coverage)
if not coverage.empty:
    grid = coverage.assign(dataset=coverage["dataset"].map(lambda d: tr(f"dataset.{d}")),
                           year=coverage["year"].map(ylabel))
    grid = grid.pivot_table(index="dataset", columns="year", values="rows", aggfunc="sum", fill_value=0)
    grid = grid.reset_index().rename(columns={"dataset": tr("overview.col.dataset")})
    charts.table_with_downloads(grid, "overview_coverage", tr("overview.freshness"),
                                kinds={c: "count" for c in grid.columns[1:]})
