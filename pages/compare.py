"""年度比較 — any two years: every KPI side by side, its change, and whether that is
better, worse, or neither (workload); a partial latest year against the same months."""
import streamlit as st

from analytics import kpis as kpi_registry
from analytics import metrics, summaries
from ui import charts, data, figures, filters, theme
from ui.formatting import delta_text, missing, signed_pct, value
from ui.session import gregorian, lang, tr, versus, ylabel

f = filters.filters()
st.title(tr("page.compare"))
years = data.fetch(metrics.options)["years"]
if len(years) < 2:
    charts.empty("case_volumes")
    st.stop()
a_col, b_col = st.columns(2)
year_a = a_col.selectbox(tr("compare.year_a"), years, index=len(years) - 2, key="cmp_a", format_func=ylabel)
year_b = b_col.selectbox(tr("compare.year_b"), years, index=len(years) - 1, key="cmp_b", format_func=ylabel)
table = data.fetch(metrics.kpi_comparison, f, int(year_a), int(year_b))
for line in sorted({versus(b, a) for a, b in zip(table["period_a"], table["period_b"]) if not b.whole_year}):
    st.caption(tr("overview.compared", versus=line))

names = [kpi_registry.BY_KEY[k].name(lang()) for k in table["kpi"]]
verdicts = [f"{theme.VERDICT_MARKS[v]} {tr('ui.' + v)}" if c else tr("ui.not_compared")
            for v, c in zip(table["verdict"], table["compared"])]
shown = table.assign(
    name=names, verdict_text=verdicts,
    months=[p.months(lang()) or tr("ui.whole_year") for p in table["period_b"]],
    a_text=[value(v, k) for v, k in zip(table["a"], table["kind"])],
    b_text=[value(v, k) for v, k in zip(table["b"], table["kind"])],
    change_text=[delta_text(v, k) or "–" for v, k in zip(table["change"], table["kind"])],
    pct_text=table["change_pct"].map(signed_pct),
    target_text=[value(v, k) for v, k in zip(table["target"], table["kind"])],
    met_text=["" if missing(t_) else (f"… {tr('target.pending')}" if m is None else
                                      (f"✓ {tr('target.met')}" if m else f"✗ {tr('target.not_met')}"))
              for t_, m in zip(table["target"], table["met"])])
target_col = tr("compare.target_of", year=ylabel(year_b))
view = shown[["name", "verdict_text", "months", "a_text", "b_text", "change_text", "pct_text", "target_text",
              "met_text"]].rename(columns={
    "name": tr("col.kpi"), "verdict_text": tr("col.verdict"), "months": tr("col.months"), "a_text": ylabel(year_a),
    "b_text": ylabel(year_b), "change_text": tr("col.change"), "pct_text": tr("col.change_pct"),
    "target_text": target_col, "met_text": tr("col.met")})
st.dataframe(view, hide_index=True, key="cmp_table", height=35 * (len(view) + 1) + 3)

title = tr("compare.chart", a=ylabel(year_a), b=ylabel(year_b))
st.header(title)
plotted = shown[shown["change_pct"].notna()]
low = min(0.0, float(plotted["change_pct"].min())) if len(plotted) else 0.0
high = max(0.0, float(plotted["change_pct"].max())) if len(plotted) else 0.05
span = max(0.05, high - low)
fig = figures.bars(list(plotted["name"]), [figures.Series(
    tr("col.change_pct"), list(plotted["change_pct"]), theme.ACCENT,
    colors=[theme.VERDICT_COLORS[v] for v in plotted["verdict"]],
    text=[f"{v:+.1%} {theme.VERDICT_MARKS[d]}" for v, d in zip(plotted["change_pct"], plotted["verdict"])],
    hover=[f"{n}: {a} → {b} ({v:+.1%})" for n, a, b, v in
           zip(plotted["name"], plotted["a_text"], plotted["b_text"], plotted["change_pct"])])],
    x_title=tr("col.change_pct"), x_range=[low - span * 0.3 * (low < 0), high + span * 0.3])
fig.update_xaxes(tickformat="+.0%", zeroline=True, zerolinecolor=theme.MUTED_TEXT)
st.caption(tr("ui.verdict_key"))
charts.chart(fig, view, "cmp_changes", title,
             summaries.comparison(table, names, summaries.Words(lang(), gregorian())))
