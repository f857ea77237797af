"""Process behaviour charts on screen (analytics/spc.py computes them, analytics/signals.py
gives the series, analytics/spc_words.py says them): the values month by month (or
round by round), the mean and the process limits of each segment — stepped where a
recorded process change (流程變更) starts a new one, and where p′ limits widen with a
small n —, and every special-cause point marked by shape and colour together, with a
key; its table (each point with its limits and the rules that flagged it) and sentence
beside it, and how to read it one click away."""
from __future__ import annotations

import datetime as dt
import threading

import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from plotly.subplots import make_subplots

from analytics import signals, spc, spc_words
from analytics.labels import month_label, year_tick
from ui import charts, figures, theme
from ui.session import gregorian, lang, tr
from ui.text import md, safe_figure

# What a point is, by shape and colour together (never colour alone), in the key's order.
KINDS = {
    "common": ("circle", theme.EARLIER),
    spc.IMPROVEMENT: ("triangle-up", theme.VERDICT_COLORS["better"]),
    spc.CONCERN: ("triangle-down", theme.VERDICT_COLORS["worse"]),
    spc.NEUTRAL_HIGH: ("diamond", theme.NEUTRAL_SIGNAL),
    spc.NEUTRAL_LOW: ("diamond-open", theme.NEUTRAL_SIGNAL),
}


def _label(period) -> str:
    if isinstance(period, (dt.date, dt.datetime)):
        return month_label(period, gregorian())
    return spc_words.period_words(period, lang(), gregorian())


MONTH_STEPS = (1, 2, 3, 6, 12, 24, 36, 60)
ROUND_STEPS = (1, 2, 3, 4, 5, 6, 8, 10, 12, 20)


def _ticks(fig, chart: spc.Chart, x: list[str], at: dict):
    """Which months or rounds the axis names: as many as fit a phone, on calendar
    boundaries; a year apart or more, the year alone."""
    periods = [p.period for p in chart.points]
    if periods and all(isinstance(p, (dt.date, dt.datetime)) for p in periods):
        keys = [p.year * 12 + p.month - 1 for p in periods]
        coarse = [year_tick(p.year, lang(), gregorian()) for p in periods]
        theme.category_ticks(fig, x, keys, MONTH_STEPS, coarse=coarse, coarse_from=12, **at)
    else:
        theme.category_ticks(fig, x, list(range(len(x))), ROUND_STEPS, **at)


def _kind(point: spc.Point) -> str:
    return point.signal if point.special and point.signal in KINDS else "common"


def _add(fig, series: signals.Series, row: int | None = None, legend: bool = True):
    """One chart's traces: limits, mean, values, special-cause points and change lines."""
    chart = series.chart
    x = [_label(p.period) for p in chart.points]
    at = dict(row=row, col=1) if row else {}
    for name, values, dash, keyed in ((tr("spc.key.limits"), [p.upper for p in chart.points], "dot", True),
                                      (tr("spc.key.limits"), [p.lower for p in chart.points], "dot", False),
                                      (tr("spc.key.mean"), [p.mean for p in chart.points], "dash", True)):
        fig.add_trace(go.Scatter(x=x, y=values, mode="lines", name=name, legendgroup=name,
                                 line=dict(color=theme.REFERENCE, dash=dash, width=1.3, shape="hv"),
                                 hoverinfo="skip", showlegend=legend and keyed, connectgaps=False), **at)
    fig.add_trace(go.Scatter(x=x, y=[p.value for p in chart.points], mode="lines+markers", name=tr("spc.col.value"),
                             line=dict(color=theme.ACCENT, width=1.8), marker=dict(size=5, color=theme.ACCENT),
                             connectgaps=False, showlegend=False,
                             hovertemplate="%{x}: %{y}<extra></extra>"), **at)
    relevant = (spc.NEUTRAL_HIGH, spc.NEUTRAL_LOW) if chart.better == spc.NEITHER else (spc.IMPROVEMENT, spc.CONCERN)
    for kind, (symbol, colour) in KINDS.items():
        if kind not in relevant:
            continue
        picked = [i for i, p in enumerate(chart.points) if _kind(p) == kind]
        fig.add_trace(go.Scatter(
            x=[x[i] for i in picked] or [None], y=[chart.points[i].value for i in picked] or [None], mode="markers",
            name=tr(f"spc.key.{kind}"), legendgroup=kind, showlegend=legend,
            marker=dict(symbol=symbol, size=12, color=colour, line=dict(width=1.5, color=colour)),
            customdata=[[spc_words.rules_text(chart.points[i].rules, lang())] for i in picked] or [[""]],
            hovertemplate="%{x}: %{y}<br>%{customdata[0]}<extra></extra>"), **at)
    _ticks(fig, chart, x, at)
    # A change: a line at its month and its word at the top. Drawn as a shape and an
    # annotation of their own: add_vline's annotation places itself by averaging the
    # line's x, which fails on the category axis of ROC months ("112/01").
    for index, changes in series.changes.items():
        fig.add_shape(type="line", x0=x[index], x1=x[index], y0=0, y1=1, yref="y domain",
                      line=dict(color=theme.MUTED_TEXT, width=1, dash="longdash"), **at)
        fig.add_annotation(x=x[index], y=1, yref="y domain", text=tr("spc.change_mark"), showarrow=False,
                           xanchor="right", yanchor="top", font=dict(size=12, color=theme.MUTED_TEXT), **at)


def figure(series: list[signals.Series], titles: list[str] | None = None, percent: bool = False) -> go.Figure:
    """One chart, or several as small multiples (one row each, their own limits)."""
    if len(series) == 1:
        fig = go.Figure()
        _add(fig, series[0])
        height = 360
    else:
        fig = make_subplots(rows=len(series), cols=1, vertical_spacing=0.1 / max(1, len(series) - 1) * 2,
                            subplot_titles=titles)
        fig.update_annotations(font_size=14, font_color=theme.TEXT, x=0, xanchor="left")   # the titles only
        for row, s in enumerate(series, start=1):
            _add(fig, s, row=row, legend=row == 1)
        height = 90 + 230 * len(series)
    theme.values_inside(theme.style(fig, height=height, legend=True, percent=percent))
    if len(series) > 1:        # the first small multiple's title sits above its plot
        fig.update_layout(margin_t=34)
    return fig


def table(series: list[signals.Series], names: list[str], percent: bool = False) -> pd.DataFrame:
    """Every point with its limits and the rules that flagged it: the chart's table."""
    rows = []
    for s, name in zip(series, names):
        for p in s.chart.points:
            rows.append({tr("spc.col.series"): name, tr("spc.col.period"): _label(p.period),
                         tr("spc.col.value"): p.value, tr("spc.col.n"): p.n, tr("spc.col.mean"): p.mean,
                         tr("spc.col.lower"): p.lower, tr("spc.col.upper"): p.upper,
                         tr("spc.col.verdict"): spc_words.variation_label(p.signal, lang()) if p.special else
                         (tr("spc.common") if p.mean is not None and p.value is not None else ""),
                         tr("spc.col.rules"): spc_words.rules_text(p.rules, lang())})
    frame = pd.DataFrame(rows)
    if not any(s.chart.kind == spc.PPRIME for s in series):
        frame = frame.drop(columns=tr("spc.col.n"))
    return frame


def kinds(percent: bool, whole: bool = False) -> dict[str, str]:
    """The table's number formats: shares as percentages; a chart of counts (``whole``)
    writes its values whole (1,329, not 1,329.0) and its mean and limits with one decimal."""
    number = "share" if percent else "score"
    return {tr("spc.col.value"): "count" if whole and not percent else number, tr("spc.col.mean"): number,
            tr("spc.col.lower"): number, tr("spc.col.upper"): number, tr("spc.col.n"): "count"}


# The figure and table of a set of series, kept while those series are the very objects
# data.fetch hands out (one per query and data version, shared by every session): a
# rerun, which every click is, then builds no figure again. Building the small multiples
# of five case types was most of what the charts added to a rerun at a million rows
# (bench/page_rerun.py). Keyed by everything else that shapes them: the names, the
# percent axis, the language and the calendar. Never changed once made.
_DRAWN: dict[tuple, tuple] = {}
_DRAWN_AT_MOST = 64
_DRAWN_LOCK = threading.Lock()


def _drawn(series: list[signals.Series], names: list[str], percent: bool) -> tuple[go.Figure, pd.DataFrame]:
    key = (tuple(id(s) for s in series), tuple(names), percent, lang(), gregorian())
    with _DRAWN_LOCK:
        kept = _DRAWN.get(key)
    if kept is not None and all(a is b for a, b in zip(kept[0], series)):   # the same objects, not reused ids
        return kept[1], kept[2]
    # escaped here, once, before any session can see it (charts.chart's call is then a no-op)
    drawn = (figures.keep(safe_figure(figure(series, names if len(series) > 1 else None, percent))),
             table(series, names, percent))
    with _DRAWN_LOCK:
        while len(_DRAWN) >= _DRAWN_AT_MOST:
            _DRAWN.pop(next(iter(_DRAWN)))
        _DRAWN[key] = (tuple(series), *drawn)
    return drawn


def show(series: list[signals.Series], key: str, title: str, percent: bool = False, how: bool = True):
    """The chart (or small multiples) with its sentence, the process changes in words, and
    its table with downloads; how to read it one click away (``how``: once a page)."""
    names = [spc_words.subject(s.kpi, s.series, lang()) for s in series]
    said = [spc_words.describe(s, lang(), gregorian())["sentence"] for s in series]
    fig, frame = _drawn(series, names, percent)
    workload = all(s.chart.better == spc.NEITHER for s in series)
    st.caption(tr("spc.key_line.workload" if workload else "spc.key_line.merit"))
    whole = all(p.value is None or float(p.value).is_integer() for s in series for p in s.chart.points)
    charts.chart(fig, frame, key, title, " ".join(said), kinds(percent, whole))
    for s, name in zip(series, names):
        for index, changes in s.changes.items():
            for change in changes:
                st.caption(tr("spc.change_note", name=md(name),
                              start=spc_words.period_words(s.chart.points[index].period, lang(), gregorian()),
                              description=md(change.description or "")))
    if how:
        explain(key)


def explain(key: str):
    """How to read a process behaviour chart, in the reader's language."""
    with st.expander(tr("spc.how_title")):
        st.markdown(tr("spc.how"))


def verdict(series: signals.Series | None) -> list[str]:
    """A KPI card's lines about its process behaviour: variation and assurance, each a
    mark and words."""
    if series is None:
        return []
    d = spc_words.verdicts(series, lang())
    out = [f"{d['variation_mark']} {d['variation']}"]
    if d["assurance"]:
        out.append(f"{d['assurance_mark']} {d['assurance']}")
    return out
