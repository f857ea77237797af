"""The look of every chart, in one place.

Colour carries meaning or nothing: the year in view in one accent and earlier years in
grey; fixed colours for fixed categories (the five dimensions, 內部測試 / 跨分局互測,
Likert 1–5 on a diverging scale, better / worse / neither); bars of units or offices in
the accent, sorted, with the branch average as a line. The palettes start from
Okabe & Ito's colour-blind-safe set, darkened where needed so that every mark is at
least 3:1 and every text at least 4.5:1 against the white background
(tests/unit/test_theme.py measures them).
"""
from __future__ import annotations

import plotly.graph_objects as go

from analytics.datasets.dimension_scores import DEFAULT_DIMENSIONS
from analytics.definitions import CROSS, INTERNAL
from analytics.wording import MARKS as MARKS_OF_VERDICT

FONT = "Noto Sans CJK TC, Noto Sans TC, Microsoft JhengHei, PingFang TC, sans-serif"
BACKGROUND = "#ffffff"
TEXT = "#1f1f1f"          # titles, labels: 16:1
MUTED_TEXT = "#444444"    # ticks, axis titles, annotations: 9.7:1
GRID = "#e3e3e3"          # gridlines are not marks; they only guide the eye

ACCENT = "#1f5fa8"        # the year (or the thing) in view: 6.4:1
EARLIER = "#8c8c8c"       # earlier years: 3.4:1
REFERENCE = "#444444"     # averages, pass lines, targets

DIMENSION_COLORS = dict(zip((name for name, _ in DEFAULT_DIMENSIONS),
                            ("#0072B2", "#D55E00", "#007A5E", "#A1457D", "#9A6700")))
TEST_TYPE_COLORS = {INTERNAL: "#1f5fa8", CROSS: "#B35C00"}
LIKERT_COLORS = {1: "#b2182b", 2: "#d6604d", 3: "#8c8c8c", 4: "#4393c3", 5: "#2166ac"}
VERDICT_COLORS = {"better": "#00796b", "worse": "#c62828", "workload": "#767676", "same": "#767676",
                  "not_compared": "#767676"}
VERDICT_MARKS = MARKS_OF_VERDICT           # one set of marks, beside every colour, everywhere
OTHER = "#595959"          # a category with no fixed colour
NEUTRAL_SIGNAL = "#6a3d9a"  # a special cause in workload: high or low, neither better nor worse

# Colours anything else on the page may be asked for: every one is checked for contrast.
MARKS = (ACCENT, EARLIER, REFERENCE, OTHER, NEUTRAL_SIGNAL, *DIMENSION_COLORS.values(), *TEST_TYPE_COLORS.values(),
         *LIKERT_COLORS.values(), *VERDICT_COLORS.values())
TEXTS = (TEXT, MUTED_TEXT)


def color_for(name, mapping: dict) -> str:
    """The fixed colour of a known category; one neutral colour for any other."""
    return mapping.get(name, OTHER)


TEMPLATE = go.layout.Template(layout=go.Layout(
    font=dict(family=FONT, color=TEXT, size=14),
    paper_bgcolor=BACKGROUND, plot_bgcolor=BACKGROUND,
    colorway=[ACCENT, EARLIER, OTHER],
    hoverlabel=dict(font_family=FONT, bgcolor="#ffffff", font_color=TEXT, bordercolor=MUTED_TEXT),
    legend=dict(orientation="h", yanchor="top", y=-0.18, xanchor="left", x=0, title_text="",
                font=dict(color=TEXT)),
    xaxis=dict(gridcolor=GRID, zerolinecolor=MUTED_TEXT, linecolor=MUTED_TEXT, tickfont=dict(color=MUTED_TEXT),
               title_font=dict(color=MUTED_TEXT), automargin=True),
    yaxis=dict(gridcolor=GRID, zerolinecolor=MUTED_TEXT, linecolor=MUTED_TEXT, tickfont=dict(color=MUTED_TEXT),
               title_font=dict(color=MUTED_TEXT), automargin=True),
    margin=dict(l=8, r=8, t=16, b=8),
    bargap=0.25,
    dragmode=False,       # no drag to zoom: on a phone the chart must not capture the page's swipe
    separators=".,",
))

# Plotly's mode bar would add a dozen tab stops per chart; the table and its downloads
# below every chart do its job.
CONFIG = {"displayModeBar": False, "displaylogo": False, "responsive": True}


def style(fig, *, y_title: str | None = None, x_title: str | None = None, percent: bool = False,
          percent_x: bool = False, height: int = 360, legend: bool = True):
    """Apply the theme and the usual axis settings to a figure."""
    fig.update_layout(template=TEMPLATE, height=height, showlegend=legend)
    if y_title is not None:
        fig.update_yaxes(title_text=y_title)
    if x_title is not None:
        fig.update_xaxes(title_text=x_title)
    if percent:
        fig.update_yaxes(tickformat=".0%")
    if percent_x:
        fig.update_xaxes(tickformat=".0%")
    return fig


def reference_line(fig, value: float, label: str, *, horizontal: bool = False):
    """A dashed line for an average, a pass mark or a target, labelled in words."""
    add = fig.add_hline if horizontal else fig.add_vline
    add(value, line_dash="dash", line_color=REFERENCE, line_width=1.5,
        annotation_text=label, annotation_font_color=MUTED_TEXT, annotation_font_size=13,
        annotation_position="top right" if not horizontal else "top left")
    return fig


def values_inside(fig):
    """Tick labels of the value axis inside the plot, above their gridlines (the unit is
    in the chart's heading): the plot keeps the full width of a phone's screen."""
    fig.update_yaxes(title_text="", ticklabelposition="inside top", ticks="")
    return fig
