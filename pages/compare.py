"""年度比較 — any two years: every KPI side by side, its change, and whether that is
better, worse, or neither (workload); a partial latest year against the same months."""
import plotly.express as px
import streamlit as st

from analytics import kpis as kpi_registry
from ui import frame, theme
from ui.frame import tr

f = frame.filters()
st.title(tr("page.compare"))
years = frame.q("options")["years"]
if len(years) < 2:
    frame.empty("case_volumes")
    st.stop()
a_col, b_col = st.columns(2)
year_a = a_col.selectbox(tr("compare.year_a"), years, index=len(years) - 2, key="cmp_a", format_func=frame.ylabel)
year_b = b_col.selectbox(tr("compare.year_b"), years, index=len(years) - 1, key="cmp_b", format_func=frame.ylabel)
table = frame.q("kpi_comparison", f, int(year_a), int(year_b))
for line in sorted({frame.versus(b, a) for a, b in zip(table["period_a"], table["period_b"]) if not b.whole_year}):
    st.caption(tr("overview.compared", versus=line))


def show(value, kind):
    if frame.missing(value):
        return "–"
    return frame.pct(value) if kind == "share" else frame.num(value, 0 if kind == "count" else 1)


VERDICTS = {"better": tr("ui.better"), "worse": tr("ui.worse"), "same": tr("ui.same"), "neither": tr("ui.neither")}
shown = table.assign(
    name=table["kpi"].map(lambda k: kpi_registry.BY_KEY[k].name(frame.lang())),
    a_text=[show(v, k) for v, k in zip(table["a"], table["kind"])],
    b_text=[show(v, k) for v, k in zip(table["b"], table["kind"])],
    change_text=[frame.delta_text(v, k) or "–" for v, k in zip(table["change"], table["kind"])],
    pct_text=table["change_pct"].map(lambda v: "–" if frame.missing(v) else f"{v:+.1%}"),
    verdict_text=[VERDICTS[v] if c else tr("ui.not_compared") for v, c in zip(table["verdict"], table["compared"])],
    months=[p.months(frame.lang()) or tr("ui.whole_year") for p in table["period_b"]])
view = shown[["name", "verdict_text", "months", "a_text", "b_text", "change_text", "pct_text"]].rename(columns={
    "name": tr("col.kpi"), "verdict_text": tr("col.verdict"), "months": tr("col.months"), "a_text": frame.ylabel(year_a),
    "b_text": frame.ylabel(year_b), "change_text": tr("col.change"), "pct_text": tr("col.change_pct")})


def colour(row):
    verdict = row[tr("col.verdict")]
    tint = {VERDICTS["better"]: "background-color: #e3f4e1", VERDICTS["worse"]: "background-color: #fbe3e3"}
    return [tint.get(verdict, "")] * len(row)


st.dataframe(view.style.apply(colour, axis=1), hide_index=True, key="cmp_styled")
plotted = shown[shown["change_pct"].notna()]
fig = px.bar(plotted, x="change_pct", y="name", orientation="h", color="verdict_text",
             text=[f"{v:+.1%} · {w}" for v, w in zip(plotted["change_pct"], plotted["verdict_text"])],
             color_discrete_map={VERDICTS["better"]: theme.GOOD, VERDICTS["worse"]: theme.BAD,
                                 VERDICTS["same"]: theme.NEUTRAL, VERDICTS["neither"]: theme.NEUTRAL},
             hover_data={"a_text": True, "b_text": True, "change_text": True, "change_pct": ":+.1%"},
             labels={"change_pct": tr("col.change_pct"), "name": "", "verdict_text": tr("col.verdict"),
                     "a_text": frame.ylabel(year_a), "b_text": frame.ylabel(year_b), "change_text": tr("col.change")})
fig.update_xaxes(tickformat="+.0%")
theme.style(fig, x_title=tr("col.change_pct"))
frame.chart(fig, view, "cmp_changes", tr("page.compare"))
