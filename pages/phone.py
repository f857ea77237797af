"""電話禮貌 — pass rate by unit and by round, internal against cross-branch tests,
items as a share of their full marks, scores against the pass mark, and the tests
(names masked unless an editor asks)."""
import plotly.express as px
import streamlit as st

from analytics import comparison, metrics, signals, summaries, wording
from analytics.definitions import TEST_TYPES
from analytics.labels import round_label
from ui import auth, behaviour, charts, data, figures, filters, theme
from ui.formatting import missing, num, pct
from ui.session import gregorian, label, lang, plabel, tr, ylabel
from ui.text import md

f = filters.filters()
st.title(tr("page.phone"))
view = comparison.View(f)
passed = data.fetch(comparison.kpis, view)["phone_pass_rate"]
year = passed.year       # the last year of the range with tests under the filters: one year, never pooled
if year is None:
    charts.empty("phone_tests")
    st.stop()
if f.years and year != f.years[1]:
    st.caption(tr("ui.latest_year_of", dataset=tr("dataset.phone_tests"), year=ylabel(year), end=ylabel(f.years[1])))
one_year = f.with_years(year, year)
by_unit = data.fetch(metrics.phone_by, one_year, "unit")
words = summaries.Words(lang(), gregorian())
mark = data.fetch(metrics.pass_mark)
rate_title = tr("col.pass_rate")
COUNTS = {tr("col.tests"): "count", tr("col.passed"): "count", rate_title: "share", tr("col.mean_score"): "score"}
overall = passed.value
st.markdown(tr("phone.year_summary", year=md(plabel(passed.period)), rate=md(wording.value(passed, lang())),
               status=md(wording.status(passed, lang(), gregorian())),
               detail=tr("phone.year_detail", versus=md(wording.versus(passed, lang(), gregorian())),
                         change=md(wording.change(passed, lang())),
                         previous=md(wording.before_side(passed, lang(), gregorian())),
                         before=md(wording.before(passed, lang()))) if passed.is_compared else ""))
# (the catalog's bold stays bold; the figures are text) — and the note its 見註 points to
for note in wording.notes(passed, lang(), gregorian()):
    st.caption(md(note))

title = tr("phone.by_unit", year=ylabel(year))
st.header(title)
units = by_unit.assign(name=by_unit["group"].map(label)).sort_values(["pass_rate", "tests"], ascending=[False, False])
fig = figures.shared(figures.bars, list(units["name"]), [figures.Series(
    rate_title, list(units["pass_rate"]), theme.ACCENT, text=[pct(v) for v in units["pass_rate"]],
    hover=[f"{n}: {pct(r)} ({p_:,} / {t_:,})" for n, r, p_, t_ in
           zip(units["name"], units["pass_rate"], units["passed"], units["tests"])])],
    x_title=rate_title, percent=True, x_range=[0, 1.18], reference=(overall, tr("phone.branch_line", rate=pct(overall))))
charts.chart(fig, units[["name", "tests", "passed", "pass_rate", "mean_score"]].rename(columns={
    "name": tr("col.unit"), "tests": tr("col.tests"), "passed": tr("col.passed"), "pass_rate": rate_title,
    "mean_score": tr("col.mean_score")}), "phone_units", title,
    summaries.phone_units(units, overall, words), COUNTS)

years_said = tr("ui.years_span", first=ylabel(f.years[0]), last=ylabel(f.years[1])) if f.years and \
    f.years[0] != f.years[1] else ylabel(year)
title = tr("phone.by_round", years=years_said)
st.header(title)
rounds = data.fetch(metrics.phone_type_by_round, f)
round_names = {r: round_label(r, lang()) for r in rounds["round"].unique()}
rounds = rounds.assign(round_name=rounds["round"].map(round_names), type_name=rounds["test_type"].map(label))
round_order = list(round_names.values())[::-1]          # the latest round first
types = [*[t_ for t_ in TEST_TYPES if t_ in set(rounds["test_type"])], *sorted(set(rounds["test_type"]) - set(TEST_TYPES))]
series = []
for test_type in types:
    part = rounds[rounds["test_type"] == test_type].set_index("round_name").reindex(round_order)
    series.append(figures.Series(str(label(test_type)), list(part["pass_rate"]),
                                 theme.TEST_TYPE_COLORS.get(test_type, theme.OTHER),
                                 text=[pct(v) if not missing(v) else "" for v in part["pass_rate"]],
                                 hover=[f"{r} · {label(test_type)}: {pct(v)} (n = {num(n)})" for r, v, n in
                                        zip(round_order, part["pass_rate"], part["tests"])]))
fig = figures.shared(figures.bars, round_order, series, x_title=rate_title, percent=True, x_range=[0, 1.18])
charts.chart(fig, rounds[["round_name", "type_name", "tests", "pass_rate", "mean_score"]].rename(columns={
    "round_name": tr("col.round"), "type_name": tr("col.test_type"), "tests": tr("col.tests"),
    "pass_rate": rate_title, "mean_score": tr("col.mean_score")}), "phone_rounds", title,
    summaries.phone_rounds(rounds, round_names, words), COUNTS)

title = tr("phone.behaviour", years=years_said)
st.header(title)
by_round = data.fetch(signals.phone_pass_rate, f)
if by_round:
    behaviour.show(by_round, "phone_behaviour", title, percent=True)

title = tr("phone.items", year=ylabel(year))
st.header(title)
items = data.fetch(metrics.phone_items, one_year)
if items.empty:
    st.info(tr("phone.no_items"))
else:
    shown = items.assign(name=items["item"].map(label))
    fig = figures.shared(figures.bars, list(shown["name"]), [figures.Series(
        tr("col.share_of_points"), list(shown["share"]), theme.ACCENT, text=[pct(v) for v in shown["share"]],
        hover=[f"{n}: {pct(v)} ({m:.1f} / {num(pt)})" for n, v, m, pt in
               zip(shown["name"], shown["share"], shown["mean"], shown["points"])])],
        x_title=tr("col.share_of_points"), percent=True, x_range=[0, 1.18],
        reference=(mark / 100, tr("phone.item_pass_line", share=f"{mark / 100:.0%}")))
    charts.chart(fig, shown[["name", "n", "mean", "points", "share"]].rename(columns={
        "name": tr("col.item"), "n": tr("col.tests"), "mean": tr("col.mean_score"), "points": tr("col.item_points"),
        "share": tr("col.share_of_points")}), "phone_items", title, summaries.phone_items(items, words),
        {tr("col.tests"): "count", tr("col.mean_score"): "score", tr("col.item_points"): "score",
         tr("col.share_of_points"): "share"})
    unknown = items.loc[items["basis"] == "best", "item"]
    if len(unknown):
        st.caption(tr("phone.items_best_note", items=tr("sum.list_join").join(md(i) for i in unknown)))

title = tr("phone.distribution", mark=f"{mark:g}", year=ylabel(year))
st.header(title)
bins = data.fetch(metrics.phone_score_bins, one_year, 2.0)
bins = bins.assign(type_name=bins["test_type"].map(label), band_label=[f"{b:g}–{b + 2:g}" for b in bins["band"]])
# The two kinds of test stacked, never blended: each part its own colour, the second
# also hatched (the key shows both), with a white line between them.
fig = px.bar(bins, x="band", y="tests", color="test_type", barmode="stack", pattern_shape="test_type",
             pattern_shape_map={t_: ("" if i == 0 else "/") for i, t_ in enumerate(TEST_TYPES)},
             color_discrete_map=theme.TEST_TYPE_COLORS, custom_data=["band_label", "type_name"],
             labels={"band": tr("col.total"), "tests": tr("col.tests")})
fig.for_each_trace(lambda trace: trace.update(name=str(label(trace.name))))
fig.update_layout(legend_title_text="")
fig.update_traces(width=1.9, offset=0, marker_line=dict(color=theme.BACKGROUND, width=1),
                  marker_pattern=dict(fillmode="overlay", fgcolor=theme.BACKGROUND, size=7),
                  hovertemplate="%{customdata[1]}<br>%{customdata[0]}: %{y}<extra></extra>")
theme.style(fig, x_title=tr("col.total"), y_title=tr("col.tests"))
theme.reference_line(fig, mark, tr("phone.pass_mark", mark=f"{mark:g}"))
charts.chart(fig, bins[["band_label", "type_name", "tests", "passed"]].rename(columns={
    "band_label": tr("col.total"), "type_name": tr("col.test_type"), "tests": tr("col.tests"),
    "passed": tr("col.passed")}), "phone_scores", title, summaries.phone_scores(bins, mark, words),
    {tr("col.tests"): "count", tr("col.passed"): "count"})

st.header(tr("phone.staff", year=ylabel(year)))
editor = auth.is_editor()
show_names = st.toggle(tr("phone.show_names"), key="phone_show_names", disabled=not editor,
                       help=tr("phone.show_names.help") if editor else tr("auth.editor_only")) and editor
staff = data.fetch(metrics.phone_staff, one_year, not show_names)
staff = staff.assign(round=staff["round"].map(lambda r: round_label(r, lang())),
                     unit=staff["unit"].map(label), test_type=staff["test_type"].map(label),
                     person=staff["person"].map(lambda p_: "" if missing(p_) else p_),
                     passed=staff["passed"].map(lambda v: "" if missing(v) else tr("phone.passed" if v else "phone.failed")))
charts.table_with_downloads(staff.rename(columns={
    "test_date": tr("col.date"), "round": tr("col.round"), "unit": tr("col.unit"), "test_type": tr("col.test_type"),
    "person": tr("col.person"), "total": tr("col.total"), "passed": tr("col.passed")}), "phone_staff",
    tr("phone.staff", year=ylabel(year)),
    expanded=True, kinds={tr("col.date"): "date", tr("col.total"): "score"}, key_columns=1,
    narrow=[tr("col.date"), tr("col.unit"), tr("col.total"), tr("col.passed")])
