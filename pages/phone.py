"""電話禮貌 — pass rate and mean score by unit and round, internal against
cross-branch tests, items weakest first, scores against the pass mark, staff."""
import plotly.express as px
import streamlit as st

from analytics.labels import round_label
from ui import auth, frame, theme
from ui.frame import tr
from ui.text import md

f = frame.filters()
st.title(tr("page.phone"))
by_unit = frame.q("phone_by", f, "unit")
if by_unit.empty:
    frame.empty("phone_tests")
    st.stop()
mark = frame.q("pass_mark")
rate_title = tr("col.pass_rate")


def rename(frame_, first):
    return frame_.rename(columns={"group": first, "tests": tr("col.tests"), "passed": tr("col.passed"),
                                  "pass_rate": rate_title, "mean_score": tr("col.mean_score")})


left, right = st.columns(2)
with left:
    st.subheader(tr("phone.by_unit"))
    fig = px.bar(by_unit, x="group", y="pass_rate", color="group", text=by_unit["pass_rate"].map(frame.pct),
                 color_discrete_map=theme.colors(by_unit["group"], theme.UNIT_COLORS),
                 hover_data={"tests": True, "passed": True, "mean_score": ":.1f", "group": False},
                 labels={"group": tr("col.unit"), "pass_rate": rate_title, "tests": tr("col.tests"),
                         "passed": tr("col.passed"), "mean_score": tr("col.mean_score")})
    fig.update_yaxes(range=[0, 1.1])
    theme.style(fig, y_title=rate_title, x_title="", percent=True).update_layout(showlegend=False)
    frame.chart(fig, rename(by_unit, tr("col.unit")), "phone_units", tr("phone.by_unit"))
with right:
    st.subheader(tr("phone.by_round"))
    rounds = frame.q("phone_type_by_round", f)
    rounds = rounds.assign(round_label=rounds["round"].map(lambda r: round_label(r, frame.lang())),
                           type_label=rounds["test_type"].map(lambda t_: tr(f"phone.type.{t_}")))
    fig = px.bar(rounds, x="round_label", y="pass_rate", color="type_label", barmode="group",
                 hover_data={"tests": True, "mean_score": ":.1f", "pass_rate": ":.1%"},
                 labels={"round_label": tr("col.round"), "pass_rate": rate_title, "type_label": tr("col.test_type"),
                         "tests": tr("col.tests"), "mean_score": tr("col.mean_score")})
    fig.update_yaxes(range=[0, 1.1])
    theme.style(fig, y_title=rate_title, x_title="", percent=True)
    frame.chart(fig, rounds[["round_label", "type_label", "tests", "pass_rate", "mean_score"]].rename(columns={
        "round_label": tr("col.round"), "type_label": tr("col.test_type"), "tests": tr("col.tests"),
        "pass_rate": rate_title, "mean_score": tr("col.mean_score")}), "phone_rounds", tr("phone.by_round"))

left, right = st.columns(2)
with left:
    st.subheader(tr("phone.items"))
    items = frame.q("phone_items", f)
    if items.empty:
        st.info(tr("phone.no_items"))
    else:
        fig = px.bar(items, x="share", y="item", orientation="h", text=items["share"].map(frame.pct),
                     hover_data={"mean": ":.2f", "points": ":g", "n": True, "share": ":.1%"},
                     labels={"share": tr("col.share_of_points"), "item": "", "mean": tr("col.mean_score"),
                             "points": tr("col.item_points"), "n": tr("col.tests")})
        fig.update_yaxes(autorange="reversed")
        fig.update_xaxes(tickformat=".0%", range=[0, 1.05])
        fig.add_vline(x=mark / 100, line_dash="dash", line_color=theme.BAD,
                      annotation_text=tr("phone.item_pass_line", share=f"{mark / 100:.0%}"))
        theme.style(fig, x_title=tr("col.share_of_points"))
        frame.chart(fig, items[["item", "n", "mean", "points", "share"]].rename(columns={
            "item": tr("col.item"), "n": tr("col.tests"), "mean": tr("col.mean_score"),
            "points": tr("col.item_points"), "share": tr("col.share_of_points")}), "phone_items", tr("phone.items"))
        unknown = items.loc[items["basis"] == "best", "item"]
        if len(unknown):
            st.caption(tr("phone.items_best_note", items="、".join(md(i) for i in unknown)))
with right:
    st.subheader(tr("phone.distribution", mark=f"{mark:g}"))
    bins = frame.q("phone_score_bins", f, 2.0)
    bins = bins.assign(type_label=bins["test_type"].map(lambda t_: tr(f"phone.type.{t_}")),
                       band_label=[f"{b:g}–{b + 2:g}" for b in bins["band"]])
    fig = px.bar(bins, x="band", y="tests", color="type_label", barmode="overlay", opacity=0.75,
                 hover_data={"band_label": True, "band": False, "tests": True, "passed": True},
                 labels={"band": tr("col.total"), "tests": tr("col.tests"), "type_label": tr("col.test_type"),
                         "band_label": tr("col.total"), "passed": tr("col.passed")})
    fig.update_traces(width=1.9, offset=0)
    fig.add_vline(x=mark, line_dash="dash", line_color=theme.BAD, annotation_text=tr("phone.pass_mark", mark=f"{mark:g}"))
    theme.style(fig, x_title=tr("col.total"), y_title=tr("col.tests"))
    frame.chart(fig, bins[["band_label", "type_label", "tests", "passed"]].rename(columns={
        "band_label": tr("col.total"), "type_label": tr("col.test_type"), "tests": tr("col.tests"),
        "passed": tr("col.passed")}), "phone_scores", tr("phone.distribution", mark=f"{mark:g}"))

st.subheader(tr("phone.staff"))
editor = auth.is_editor()
show_names = st.toggle(tr("phone.show_names"), key="phone_show_names", disabled=not editor,
                       help=tr("phone.show_names.help") if editor else tr("auth.editor_only")) and editor
staff = frame.q("phone_staff", f, not show_names)
staff = staff.assign(round=staff["round"].map(lambda r: round_label(r, frame.lang())),
                     test_type=staff["test_type"].map(lambda t_: tr(f"phone.type.{t_}")),
                     person=staff["person"].map(lambda p_: "" if frame.missing(p_) else p_),
                     passed=staff["passed"].map(lambda v: "" if frame.missing(v) else tr("phone.passed" if v else "phone.failed")))
frame.table_with_downloads(staff.rename(columns={
    "test_date": tr("col.date"), "round": tr("col.round"), "unit": tr("col.unit"), "test_type": tr("col.test_type"),
    "person": tr("col.person"), "total": tr("col.total"), "passed": tr("col.passed")}), "phone_staff", tr("phone.staff"),
    expanded=True)
