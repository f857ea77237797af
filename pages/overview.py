"""總覽 — the chosen year at a glance: KPIs against the same months of the year
before, the five dimensions, what moved most, and how fresh the data is."""
import plotly.express as px
import streamlit as st

from analytics import kpis as kpi_registry
from ui import frame, theme
from ui.frame import tr
from ui.text import md

f = frame.filters()
opts = frame.q("options")
if not opts["years"]:
    st.title(tr("page.overview"))
    frame.empty("case_volumes")
    st.stop()
year = f.years[1] if f.years else opts["years"][-1]
table = frame.q("kpi_comparison", f, year - 1, year).set_index("kpi")
headline = table.loc["case_total", "period_b"]
st.title(tr("overview.title", period=frame.plabel(headline)))

COLOURS = {kpi_registry.UP: "normal", kpi_registry.DOWN: "inverse", kpi_registry.NEITHER: "off"}


def card(column, key: str, value: str, *, help_extra: str = ""):
    row = table.loc[key]
    kpi = kpi_registry.BY_KEY[key]
    delta = frame.delta_text(row["change"], kpi.kind) if row["compared"] else None
    if row["compared"]:
        versus = frame.versus(row["period_b"], row["period_a"])
    elif frame.missing(row["b"]):
        versus = tr("ui.no_data_period", period=frame.plabel(row["period_b"]))
    elif frame.missing(row["a"]):
        versus = tr("ui.no_previous_data", period=frame.plabel(row["period_a"]))
    else:
        versus = tr("ui.not_compared")
    column.metric(kpi.name(frame.lang()), value, delta, delta_color=COLOURS[kpi.better], border=True,
                  help="  \n".join(x for x in (versus, help_extra) if x))


now = frame.q("current_kpis", f, year)
cards = st.columns(5)
card(cards[0], "case_total", frame.num(table.loc["case_total", "b"]))
card(cards[1], "digital_share", frame.pct(table.loc["digital_share", "b"]), help_extra=tr("kpi.digital_share.help"))
ci = now["satisfaction_ci"]
card(cards[2], "satisfaction", frame.pct(now["satisfaction"]),
     help_extra=tr("kpi.satisfaction.help", n=f"{now['satisfaction_n']:,}", low=frame.pct(ci[0]),
                   high=frame.pct(ci[1])) if ci else "")
card(cards[3], "phone_pass_rate", frame.pct(now["phone_pass_rate"]),
     help_extra=tr("kpi.phone.help", n=f"{now['phone_tests']:,}") if now["phone_tests"] else "")
card(cards[4], "dimension_self", frame.num(now["dimension_self"]),
     help_extra=tr("kpi.dimension_self.of", points=frame.num(now["dimension_points"])) if now["dimension_points"] else "")
periods = {frame.versus(p, a) for p, a, c in zip(table["period_b"], table["period_a"], table["compared"])
           if c and not p.whole_year}
for line in sorted(periods):
    st.caption(tr("overview.compared", versus=line))

left, right = st.columns(2)
with left:
    st.subheader(tr("overview.scorecard"))
    dims = frame.q("dimension_change", year)
    if dims.empty:
        frame.empty("dimension_scores")
    else:
        fig = px.bar(dims, x="dimension", y="pct", color="dimension", text=dims["pct"].map(frame.pct),
                     color_discrete_map=theme.colors(dims["dimension"], theme.DIMENSION_COLORS),
                     hover_data={"self_score": True, "points": True, "pct": ":.1%"},
                     labels={"dimension": tr("col.dimension"), "pct": tr("col.score_pct"),
                             "self_score": tr("col.self_score"), "points": tr("col.points")})
        fig.update_yaxes(range=[0, 1])
        theme.style(fig, y_title=tr("col.score_pct"), x_title="", percent=True).update_layout(showlegend=False)
        shown = dims.rename(columns={"dimension": tr("col.dimension"), "points": tr("col.points"),
                                     "self_score": tr("col.self_score"), "pct": tr("col.score_pct"),
                                     "previous": tr("col.previous"), "previous_pct": tr("col.previous_pct"),
                                     "change": tr("col.change"), "change_pct": tr("col.change_pp")})
        frame.chart(fig, shown, "overview_scorecard", tr("overview.scorecard"))
with right:
    moves_title = tr("overview.moves", versus=frame.versus(headline, headline.before()))
    st.subheader(moves_title)
    moves = frame.q("biggest_moves", f, year)
    if moves.empty:
        st.info(tr("overview.no_previous"))
    else:
        verdicts = {"better": tr("ui.better"), "worse": tr("ui.worse"), "neither": tr("ui.neither"),
                    "same": tr("ui.same")}
        moves = moves.assign(
            label=[kpi_registry.BY_KEY[w].name(frame.lang()) if g == "kpi" else w
                   for g, w in zip(moves["group"], moves["what"])],
            verdict_label=moves["verdict"].map(verdicts))
        fig = px.bar(moves, x="change_pct", y="label", orientation="h", color="verdict_label",
                     text=[f"{v:+.1%} · {label}" for v, label in zip(moves["change_pct"], moves["verdict_label"])],
                     color_discrete_map={verdicts["better"]: theme.GOOD, verdicts["worse"]: theme.BAD,
                                         verdicts["neither"]: theme.NEUTRAL, verdicts["same"]: theme.NEUTRAL},
                     hover_data={"change_pct": ":+.1%"},
                     labels={"change_pct": tr("col.change_pct"), "label": "", "verdict_label": tr("col.verdict")})
        fig.update_xaxes(tickformat="+.0%")
        theme.style(fig, x_title=tr("col.change_pct"))
        shown = moves[["label", "a", "b", "change", "change_pct", "verdict_label"]].rename(columns={
            "label": tr("col.what"), "a": frame.plabel(headline.before()), "b": frame.plabel(headline),
            "change": tr("col.change"), "change_pct": tr("col.change_pct"), "verdict_label": tr("col.verdict")})
        frame.chart(fig, shown, "overview_moves", moves_title)

st.subheader(tr("overview.freshness"))
last = frame.q("last_import")
if last:
    st.caption(tr("overview.last_import", at=str(last["imported_at"])[:16], file=md(last["file"]),
                  user=md(last["user"] or "")))
coverage = frame.q("coverage")
if not coverage.empty:
    grid = coverage.assign(dataset=coverage["dataset"].map(lambda d: tr(f"dataset.{d}")),
                           year=coverage["year"].map(frame.ylabel))
    grid = grid.pivot_table(index="dataset", columns="year", values="rows", aggfunc="sum", fill_value=0)
    grid = grid.reset_index().rename(columns={"dataset": tr("overview.col.dataset")})
    frame.table_with_downloads(grid, "overview_coverage", tr("overview.freshness"), expanded=True)
