"""總覽 — the chosen year at a glance: KPIs against the year before, the five
dimensions, what moved most, and how fresh the data is."""
import plotly.express as px
import streamlit as st

from ui import frame, theme
from ui.frame import tr

f = frame.filters()
opts = frame.q("options")
if not opts["years"]:
    st.title(tr("page.overview"))
    frame.empty("case_volumes")
    st.stop()
year = f.years[1] if f.years else opts["years"][-1]
st.title(tr("overview.title", year=frame.ylabel(year)))

now, before = frame.q("kpis", f, year), frame.q("kpis", f, year - 1)


def delta(name, scale=1.0, fmt="{:+,.0f}"):
    a, b = now.get(name), before.get(name)
    return None if a is None or b is None else fmt.format((a - b) * scale)


cards = st.columns(5)
cards[0].metric(tr("kpi.case_total"), frame.num(now["case_total"]), delta("case_total"), border=True,
                help=tr("overview.vs_previous", year=frame.ylabel(year - 1)))
cards[1].metric(tr("kpi.digital_share"), frame.pct(now["digital_share"]),
                delta("digital_share", 100, "{:+.1f} pp"), border=True, help=tr("kpi.digital_share.help"))
ci = now["satisfaction_ci"]
cards[2].metric(tr("kpi.satisfaction"), frame.pct(now["satisfaction"]), delta("satisfaction", 100, "{:+.1f} pp"),
                border=True, help=tr("kpi.satisfaction.help", n=now["satisfaction_n"],
                                     low=frame.pct(ci[0] if ci else None), high=frame.pct(ci[1] if ci else None)))
cards[3].metric(tr("kpi.phone_pass_rate"), frame.pct(now["phone_pass_rate"]),
                delta("phone_pass_rate", 100, "{:+.1f} pp"), border=True,
                help=tr("kpi.phone.help", n=now["phone_tests"]))
cards[4].metric(tr("kpi.dimension_self"), f"{frame.num(now['dimension_self'])} / {frame.num(now['dimension_points'])}",
                delta("dimension_self", 1, "{:+,.0f}"), border=True)

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
        table = dims.rename(columns={"dimension": tr("col.dimension"), "points": tr("col.points"),
                                     "self_score": tr("col.self_score"), "pct": tr("col.score_pct"),
                                     "previous": tr("col.previous"), "previous_pct": tr("col.previous_pct"),
                                     "change": tr("col.change"), "change_pct": tr("col.change_pp")})
        frame.chart(fig, table, "overview_scorecard", tr("overview.scorecard"))
with right:
    st.subheader(tr("overview.moves", year=frame.ylabel(year - 1)))
    moves = frame.q("biggest_moves", f, year)
    if moves.empty:
        st.info(tr("overview.no_previous"))
    else:
        moves = moves.assign(label=[tr(f"kpi.{w}") if g == "kpi" else w for g, w in zip(moves["group"], moves["what"])])
        fig = px.bar(moves, x="change_pct", y="label", orientation="h",
                     color=moves["good"].map({True: tr("ui.better"), False: tr("ui.worse")}),
                     color_discrete_map={tr("ui.better"): theme.GOOD, tr("ui.worse"): theme.BAD},
                     hover_data={"a": ":,.3f", "b": ":,.3f", "change_pct": ":+.1%"},
                     labels={"change_pct": tr("col.change_pct"), "label": "", "a": frame.ylabel(year - 1),
                             "b": frame.ylabel(year)})
        fig.update_xaxes(tickformat="+.0%")
        theme.style(fig, x_title=tr("col.change_pct"))
        table = moves[["label", "a", "b", "change", "change_pct"]].rename(columns={
            "label": tr("col.what"), "a": frame.ylabel(year - 1), "b": frame.ylabel(year),
            "change": tr("col.change"), "change_pct": tr("col.change_pct")})
        frame.chart(fig, table, "overview_moves", tr("overview.moves", year=frame.ylabel(year - 1)))

st.subheader(tr("overview.freshness"))
last = frame.q("last_import")
if last:
    st.caption(tr("overview.last_import", at=str(last["imported_at"])[:16], file=last["file"], user=last["user"] or ""))
coverage = frame.q("coverage")
if not coverage.empty:
    grid = coverage.assign(dataset=coverage["dataset"].map(lambda d: tr(f"dataset.{d}")),
                           year=coverage["year"].map(frame.ylabel))
    grid = grid.pivot_table(index="dataset", columns="year", values="rows", aggfunc="sum", fill_value=0)
    grid = grid.reset_index().rename(columns={"dataset": tr("overview.col.dataset")})
    frame.table_with_downloads(grid, "overview_coverage", tr("overview.freshness"), expanded=True)
