"""總覽 — the chosen year at a glance: KPIs against the same months of the year
before, the five dimensions, what moved most, and how fresh the data is."""
import streamlit as st

from analytics import kpis as kpi_registry
from analytics import metrics, summaries
from ui import charts, data, figures, filters, theme
from ui.formatting import delta_text, missing, num, pct, value
from ui.session import gregorian, label, lang, plabel, tr, versus, ylabel
from ui.text import md

f = filters.filters()
opts = data.fetch(metrics.options)
if not opts["years"]:
    st.title(tr("page.overview"))
    charts.empty("case_volumes")
    st.stop()
year = f.years[1] if f.years else opts["years"][-1]
table = data.fetch(metrics.kpi_comparison, f, year - 1, year).set_index("kpi")
headline = table.loc["case_total", "period_b"]
st.title(tr("overview.title", period=plabel(headline)))
words = summaries.Words(lang(), gregorian())

COLOURS = {kpi_registry.UP: "normal", kpi_registry.DOWN: "inverse", kpi_registry.NEITHER: "off"}
now = data.fetch(metrics.current_kpis, f, year)


def card(column, key: str, help_extra: str = ""):
    """A KPI card: a short value, its change against the same months of the year
    before (coloured only where one direction is better), the period in its help."""
    row = table.loc[key]
    kpi = kpi_registry.BY_KEY[key]
    delta = delta_text(row["change"], kpi.kind) if row["compared"] else None
    if row["compared"]:
        said = versus(row["period_b"], row["period_a"])
    elif missing(row["b"]):
        said = tr("ui.no_data_period", period=plabel(row["period_b"]))
    elif missing(row["a"]):
        said = tr("ui.no_previous_data", period=plabel(row["period_a"]))
    else:
        said = tr("ui.not_compared")
    column.metric(kpi.name(lang()), value(row["b"], kpi.kind), delta, delta_color=COLOURS[kpi.better], border=True,
                  help="  \n".join(x for x in (said, help_extra) if x))
    if not missing(row["target"]):
        column.caption(target_line(row))


def target_line(row) -> str:
    """目標 95.0%：✓ 達成 — the mark and the word, never colour alone."""
    state = "pending" if row["met"] is None else ("met" if row["met"] else "not_met")
    return tr("target.line", target=value(row["target"], row["kind"]), mark=TARGET_MARKS[state],
              verdict=tr(f"target.{state}"))


TARGET_MARKS = {"met": "✓", "not_met": "✗", "pending": "…"}


cards = st.columns(5)
card(cards[0], "case_total")
card(cards[1], "digital_share", tr("kpi.digital_share.help"))
ci = now["satisfaction_ci"]
card(cards[2], "satisfaction", tr("kpi.satisfaction.help", n=f"{now['satisfaction_n']:,}", low=pct(ci[0]),
                                  high=pct(ci[1])) if ci else "")
card(cards[3], "phone_pass_rate", tr("kpi.phone.help", n=f"{now['phone_tests']:,}") if now["phone_tests"] else "")
card(cards[4], "dimension_self", tr("kpi.dimension_self.of", points=num(now["dimension_points"]))
     if now["dimension_points"] else "")
for line in sorted({versus(p, a) for p, a, c in zip(table["period_b"], table["period_a"], table["compared"])
                    if c and not p.whole_year}):
    st.caption(tr("overview.compared", versus=line))

left, right = st.columns(2)
with left:
    title = tr("overview.scorecard", year=ylabel(year))
    st.header(title)
    dims = data.fetch(metrics.dimension_change, year)
    if dims.empty:
        charts.empty("dimension_scores")
    else:
        shown = dims.assign(name=dims["dimension"].map(label))
        fig = figures.bars(list(shown["name"]), [figures.Series(
            ylabel(year), list(shown["pct"]), theme.ACCENT, colors=[theme.color_for(d, theme.DIMENSION_COLORS)
                                                                   for d in shown["dimension"]],
            text=[pct(v) for v in shown["pct"]],
            hover=[f"{n}: {pct(v)} ({num(sc)} / {num(pt)})" for n, v, sc, pt in
                   zip(shown["name"], shown["pct"], shown["self_score"], shown["points"])])],
            x_title=tr("col.score_pct"), percent=True, x_range=[0, 1.15])
        shown = shown.assign(change_pct=shown["change_pct"] * 100)      # percentage points, as headed
        out = shown[["name", "points", "self_score", "pct", "previous", "previous_pct", "change", "change_pct"]].rename(
            columns={"name": tr("col.dimension"), "points": tr("col.points"), "self_score": tr("col.self_score"),
                     "pct": tr("col.score_pct"), "previous": tr("col.previous"), "previous_pct": tr("col.previous_pct"),
                     "change": tr("col.change"), "change_pct": tr("col.change_pp")})
        charts.chart(fig, out, "overview_scorecard", title, summaries.scorecard(dims, year, words),
                     {tr("col.score_pct"): "share", tr("col.previous_pct"): "share", tr("col.change_pp"): "score",
                      tr("col.points"): "score", tr("col.self_score"): "score", tr("col.previous"): "score",
                      tr("col.change"): "score"})
with right:
    title = tr("overview.moves", versus=versus(headline, headline.before()))
    st.header(title)
    moves = data.fetch(metrics.biggest_moves, f, year)
    if moves.empty:
        st.info(tr("overview.no_previous"))
    else:
        names = [kpi_registry.BY_KEY[w].name(lang()) if g == "kpi" else str(label(w))
                 for g, w in zip(moves["group"], moves["what"])]
        shown = moves.assign(name=names, verdict_label=[f"{theme.VERDICT_MARKS[v]} {tr('ui.' + v)}" for v in moves["verdict"]])
        low, high = min(0.0, float(shown["change_pct"].min())), max(0.0, float(shown["change_pct"].max()))
        span = max(0.05, high - low)
        fig = figures.bars(names, [figures.Series(
            tr("col.change_pct"), list(shown["change_pct"]), theme.ACCENT,
            colors=[theme.VERDICT_COLORS[v] for v in shown["verdict"]],
            text=[f"{v:+.1%} {theme.VERDICT_MARKS[d]}" for v, d in zip(shown["change_pct"], shown["verdict"])],
            hover=[f"{n}: {v:+.1%} ({m})" for n, v, m in zip(names, shown["change_pct"], shown["verdict_label"])])],
            x_title=tr("col.change_pct"), x_range=[low - span * 0.35 * (low < 0), high + span * 0.35])
        fig.update_xaxes(tickformat="+.0%", zeroline=True, zerolinecolor=theme.MUTED_TEXT)
        st.caption(tr("ui.verdict_key"))
        out = shown[["name", "a", "b", "change", "change_pct", "verdict_label"]].rename(columns={
            "name": tr("col.what"), "a": plabel(headline.before()), "b": plabel(headline),
            "change": tr("col.change"), "change_pct": tr("col.change_pct"), "verdict_label": tr("col.verdict")})
        charts.chart(fig, out, "overview_moves", title,
                     summaries.moves(shown, names, words),
                     {tr("col.change_pct"): "share"})

title = tr("overview.targets", year=ylabel(year))
st.header(title)
targeted = table[table["target"].notna()].reset_index()
if targeted.empty:
    st.info(tr("overview.targets_none", year=ylabel(year)))
else:
    order = {False: 0, None: 1, True: 2}
    targeted = targeted.assign(rank=targeted["met"].map(lambda m: order[m if m is None else bool(m)]))
    targeted = targeted.sort_values(["rank", "kpi"], key=lambda c: c if c.name == "rank" else c.map(
        {k.key: i for i, k in enumerate(kpi_registry.KPIS)}))
    shown = targeted.assign(
        name=targeted["kpi"].map(lambda k: kpi_registry.BY_KEY[k].name(lang())),
        actual=[value(v, k) for v, k in zip(targeted["b"], targeted["kind"])],
        goal=[value(v, k) for v, k in zip(targeted["target"], targeted["kind"])],
        state=[f"{TARGET_MARKS['pending' if m is None else ('met' if m else 'not_met')]} "
               f"{tr('target.' + ('pending' if m is None else ('met' if m else 'not_met')))}" for m in targeted["met"]])
    view = shown[["name", "state", "actual", "goal"]].rename(columns={
        "name": tr("col.kpi"), "state": tr("col.met"), "actual": tr("col.actual"), "goal": tr("col.target")})
    missed = int((targeted["met"] == False).sum())  # noqa: E712  (None is "not judged", not False)
    met = int((targeted["met"] == True).sum())  # noqa: E712
    pending = len(targeted) - met - missed
    st.markdown(tr("sum.targets", year=plabel(headline), total=len(targeted), met=met, missed=missed,
                   pending=tr("sum.targets_pending", n=pending) if pending else ""))
    charts.table_with_downloads(view, "overview_targets", title, expanded=True)

st.header(tr("overview.freshness"))
last = data.fetch(metrics.last_import)
if last:
    st.caption(tr("overview.last_import", at=str(last["imported_at"])[:16], file=md(last["file"]),
                  user=md(last["user"] or "")))
coverage = data.fetch(metrics.coverage)
if not coverage.empty:
    grid = coverage.assign(dataset=coverage["dataset"].map(lambda d: tr(f"dataset.{d}")),
                           year=coverage["year"].map(ylabel))
    grid = grid.pivot_table(index="dataset", columns="year", values="rows", aggfunc="sum", fill_value=0)
    grid = grid.reset_index().rename(columns={"dataset": tr("overview.col.dataset")})
    charts.table_with_downloads(grid, "overview_coverage", tr("overview.freshness"), expanded=True,
                                kinds={c: "count" for c in grid.columns[1:]})
