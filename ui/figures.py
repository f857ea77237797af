"""Horizontal bar and dot charts with each category's name above its bar rather than
beside it: on a 390 px phone a column of names at the left would leave the bars too
little room (under 300 px), and names above bars read well at any width."""
from __future__ import annotations

from dataclasses import dataclass, field

import plotly.graph_objects as go

from ui import theme


@dataclass
class Series:
    """One set of bars (or dots): a value per category, in one colour."""
    name: str
    values: list
    color: str
    text: list[str] | None = None          # shown at the end of each bar
    hover: list | None = None              # per category, its hover: one line, or a tuple of lines
    colors: list[str] | None = None        # a colour per category instead of one
    errors: tuple[list, list] | None = None   # (below, above) for dots with an interval
    extra: dict = field(default_factory=dict)


def _hover(s: Series, count: int) -> dict:
    """The hover of each category as custom data, a line per column: the template joins
    the lines with <br> itself, so names from files (escaped by ui.text.safe_figure)
    never need to carry markup."""
    if not s.hover:
        return dict(customdata=[[""] for _ in range(count)], hovertemplate=None)
    lines = [h if isinstance(h, (tuple, list)) else (h,) for h in s.hover]
    width = max(len(h) for h in lines)
    return dict(customdata=[[*h, *[""] * (width - len(h))] for h in lines],
                hovertemplate="<br>".join(f"%{{customdata[{i}]}}" for i in range(width)) + "<extra></extra>")


ROW = 26          # px per series in a category
LABEL = 22        # px for the category's name above its bars


def _layout(fig, categories: list[str], n_series: int, x_title: str, percent: bool, x_range, legend: bool):
    step = n_series * 0.8 + 0.9
    positions = [i * step for i in range(len(categories))]
    # All names in one assignment: add_annotation copies and checks every earlier
    # annotation again, which made 40 units and 52 case types take 1.7 s to lay out.
    fig.update_layout(annotations=[*fig.layout.annotations, *(
        dict(x=0, xref="paper", xanchor="left", y=positions[i] - (n_series * 0.8) / 2 - 0.2, yanchor="bottom",
             text=name, showarrow=False, align="left", font=dict(color=theme.TEXT, size=13))
        for i, name in enumerate(categories))])
    fig.update_yaxes(showticklabels=False, showgrid=False, zeroline=False,
                     range=[positions[-1] + n_series * 0.4 + 0.3, -(n_series * 0.8) / 2 - 0.9] if positions else None)
    height = 70 + len(categories) * (n_series * ROW + LABEL) + (40 if legend else 0)
    theme.style(fig, x_title=x_title, percent_x=percent, height=max(180, height), legend=legend)
    if x_range is not None:
        fig.update_xaxes(range=x_range)
    if percent and x_range is not None and x_range[0] >= 0 and x_range[1] > 1:
        fig.update_xaxes(tickvals=[v / 10 for v in range(int(x_range[0] * 10), 11, 2)])   # no tick past 100 %
    return positions


def bars(categories: list[str], series: list[Series], *, x_title: str = "", percent: bool = False,
         x_range=None, legend: bool | None = None, stacked: bool = False) -> go.Figure:
    """Horizontal bars, one group per category (top to bottom in the given order);
    ``stacked`` puts the series end to end in one bar (shares of a whole)."""
    fig = go.Figure()
    n = 1 if stacked else len(series)
    step = n * 0.8 + 0.9
    for k, s in enumerate(series):
        y = [i * step + (0 if stacked else (k - (n - 1) / 2) * 0.8) for i in range(len(categories))]
        fig.add_trace(go.Bar(
            y=y, x=s.values, name=s.name, orientation="h", width=0.7,
            marker_color=s.colors or s.color, text=s.text, textposition="outside", cliponaxis=False,
            textfont=dict(color=theme.TEXT), **_hover(s, len(categories)), **s.extra))
    _layout(fig, categories, n, x_title, percent, x_range, len(series) > 1 if legend is None else legend)
    fig.update_layout(barmode="stack" if stacked else "overlay", legend_traceorder="normal")
    return fig


def dots(categories: list[str], series: list[Series], *, x_title: str = "", percent: bool = False,
         x_range=None, legend: bool | None = None) -> go.Figure:
    """Dots (with their intervals, where given), one row per category."""
    fig = go.Figure()
    n = len(series)
    step = n * 0.8 + 0.9
    for k, s in enumerate(series):
        y = [i * step + (k - (n - 1) / 2) * 0.8 for i in range(len(categories))]
        error = None
        if s.errors is not None:
            error = dict(type="data", symmetric=False, array=s.errors[1], arrayminus=s.errors[0],
                         color=theme.MUTED_TEXT, thickness=1.5, width=4)
        fig.add_trace(go.Scatter(
            y=y, x=s.values, name=s.name, mode="markers+text" if s.text else "markers", error_x=error,
            marker=dict(color=s.colors or s.color, size=11), text=s.text, textposition="top center",
            textfont=dict(color=theme.TEXT), **_hover(s, len(categories)), **s.extra))
    _layout(fig, categories, n, x_title, percent, x_range, n > 1 if legend is None else legend)
    return fig
