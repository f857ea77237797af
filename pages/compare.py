"""年度比較 — two years of the sidebar's range side by side: every KPI with its change,
whether that is better, worse or workload (or why it is not compared), the months
compared, and the later year's target. The same comparisons as the overview and the
report (analytics.comparison), for any pair of years."""
import pandas as pd
import streamlit as st

from analytics import comparison, kpis, metrics, summaries, wording
from ui import charts, compared, data, filters
from ui.session import gregorian, lang, option_names, tr, ylabel
from ui.text import md

f = filters.filters()
st.title(tr("page.compare"))
stored = data.fetch(metrics.options)["years"]
if not stored:
    charts.empty("case_volumes")
    st.stop()
first, last = f.years if f.years else (stored[0], stored[-1])
# The sidebar's years, and the year before its first so that a range of one year still
# has a year to compare with.
choices = [y for y in stored if first - 1 <= y <= last]
if len(choices) < 2:
    st.info(tr("compare.one_year", year=ylabel(last)))
    st.stop()
a_col, b_col = st.columns(2)
later = b_col.selectbox(tr("compare.year_b"), choices[1:][::-1], key=f"cmp_b_{first}_{last}",
                       format_func=option_names(choices, ylabel),
                       placeholder=tr("ui.choose"))
earlier_choices = [y for y in choices if y < later][::-1]
earlier = a_col.selectbox(tr("compare.year_a"), earlier_choices, key=f"cmp_a_{first}_{last}_{later}",
                          format_func=option_names(earlier_choices, ylabel), placeholder=tr("ui.choose"))
view = comparison.View(f, year=int(later), against=int(earlier))
figs = data.fetch(comparison.kpis, view)
rows = [figs[k.key] for k in kpis.KPIS]
st.caption(tr("compare.rule"))

names = [wording.name(c, lang()) for c in rows]
table = pd.DataFrame({
    tr("col.kpi"): names,
    tr("col.verdict"): [wording.status(c, lang(), gregorian()) for c in rows],
    tr("col.months"): [wording.months(c, lang()) for c in rows],
    ylabel(earlier): [wording.before(c, lang()) for c in rows],
    ylabel(later): [wording.now(c, lang()) for c in rows],
    tr("col.change"): [wording.change(c, lang()) for c in rows],
    tr("compare.target_of", year=ylabel(later)): [wording.goal(c, lang()) for c in rows],
    tr("col.met"): [wording.judgment(c, lang(), gregorian()) for c in rows]})
notes = [f"{n}{tr('sum.label_sep')}{note}" for n, c in zip(names, rows)
         for note in wording.notes(c, lang(), gregorian(), in_row=True)]
charts.table_with_downloads(table, "cmp_table", tr("compare.table", a=ylabel(earlier), b=ylabel(later)),
                            expanded=True, key_columns=2,
                            narrow=[tr("col.kpi"), ylabel(earlier), ylabel(later), tr("col.change")])
for note in notes:
    st.caption(md(note))

title = tr("compare.chart", a=ylabel(earlier), b=ylabel(later))
st.header(title)
plotted = [c for c in rows if c.merit and c.moved() is not None]
if not plotted:
    st.info(tr("compare.nothing_to_plot"))
else:
    labels = [wording.name(c, lang()) for c in plotted]
    fig = compared.merit_bars(plotted, [f"{n}: {wording.before(c, lang())} → {wording.now(c, lang())} "
                                        f"({wording.change(c, lang())})" for n, c in zip(labels, plotted)])
    st.caption(tr("compare.chart_measure"))
    st.caption(tr("ui.verdict_key"))
    chart_table = pd.DataFrame({tr("col.kpi"): labels, tr("col.period"): [wording.versus(c, lang(), gregorian())
                                                                            for c in plotted],
                                ylabel(earlier): [wording.before(c, lang()) for c in plotted],
                                ylabel(later): [wording.now(c, lang()) for c in plotted],
                                tr("col.change"): [wording.change(c, lang()) for c in plotted],
                                tr("col.verdict"): [wording.verdict(c, lang()) for c in plotted]})
    charts.chart(fig, chart_table, "cmp_changes", title,
                 summaries.comparison(rows, summaries.Words(lang(), gregorian())))
