"""年度比較 — any two years: every KPI side by side, its change, and whether that is good."""
import plotly.express as px
import streamlit as st

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


def show(value, kind):
    if value is None or value != value:
        return "–"
    return frame.pct(value) if kind == "share" else frame.num(value, 0 if kind == "count" else 1)


def show_change(value, kind):
    if value is None or value != value:
        return "–"
    return f"{value * 100:+.1f} pp" if kind == "share" else f"{value:+,.{0 if kind == 'count' else 1}f}"


shown = table.assign(
    name=table["kpi"].map(lambda k: tr(f"kpi.{k}")),
    a_text=[show(v, k) for v, k in zip(table["a"], table["kind"])],
    b_text=[show(v, k) for v, k in zip(table["b"], table["kind"])],
    change_text=[show_change(v, k) for v, k in zip(table["change"], table["kind"])],
    pct_text=table["change_pct"].map(lambda v: "–" if v is None or v != v else f"{v:+.1%}"),
    verdict=table["good"].map({True: tr("ui.better"), False: tr("ui.worse")}).fillna(tr("ui.same")))
view = shown[["name", "a_text", "b_text", "change_text", "pct_text", "verdict"]].rename(columns={
    "name": tr("col.kpi"), "a_text": frame.ylabel(year_a), "b_text": frame.ylabel(year_b),
    "change_text": tr("col.change"), "pct_text": tr("col.change_pct"), "verdict": tr("col.verdict")})


def colour(row):
    good = row[tr("col.verdict")]
    tint = "background-color: #e3f4e1" if good == tr("ui.better") else (
        "background-color: #fbe3e3" if good == tr("ui.worse") else "")
    return [tint] * len(row)


st.dataframe(view.style.apply(colour, axis=1), hide_index=True, key="cmp_styled")
plotted = shown[shown["change_pct"].notna()]
fig = px.bar(plotted, x="change_pct", y="name", orientation="h", color="verdict",
             color_discrete_map={tr("ui.better"): theme.GOOD, tr("ui.worse"): theme.BAD, tr("ui.same"): "#999999"},
             hover_data={"a_text": True, "b_text": True, "change_text": True, "change_pct": ":+.1%"},
             labels={"change_pct": tr("col.change_pct"), "name": "", "verdict": tr("col.verdict"),
                     "a_text": frame.ylabel(year_a), "b_text": frame.ylabel(year_b), "change_text": tr("col.change")})
fig.update_xaxes(tickformat="+.0%")
theme.style(fig, x_title=tr("col.change_pct"))
frame.chart(fig, view, "cmp_changes", tr("page.compare"))
