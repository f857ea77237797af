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

import math
import re
import unicodedata

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
# Likert 1–5 on a diverging scale whose neighbours also differ in lightness (普通 grey and
# 滿意 blue were 1.01:1 apart); the bars draw a white line between answers as well.
LIKERT_COLORS = {1: "#b2182b", 2: "#d6604d", 3: "#8c8c8c", 4: "#2b6cb0", 5: "#0b3d7a"}
VERDICT_COLORS = {"better": "#00796b", "worse": "#c62828", "workload": "#767676", "same": "#767676",
                  "not_compared": "#767676"}
VERDICT_MARKS = MARKS_OF_VERDICT           # one set of marks, beside every colour, everywhere
OTHER = "#595959"          # a category with no fixed colour
NEUTRAL_SIGNAL = "#6a3d9a"  # a special cause in workload: high or low, neither better nor worse
# A 95 % band: a light fill for the eye, and its edges drawn as lines that stand out
# from the background at 3:1 (the fill alone was 1.25:1).
BAND_FILL = "rgba(31,95,168,0.12)"
BAND_EDGE = "#5b8fc7"

# Colours anything else on the page may be asked for: every one is checked for contrast.
MARKS = (ACCENT, EARLIER, REFERENCE, OTHER, NEUTRAL_SIGNAL, BAND_EDGE, *DIMENSION_COLORS.values(), *TEST_TYPE_COLORS.values(),
         *LIKERT_COLORS.values(), *VERDICT_COLORS.values())
TEXTS = (TEXT, MUTED_TEXT)


def luminance(colour: str) -> float:
    """WCAG's relative luminance of an #rrggbb colour."""
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def text_on(colour: str) -> str:
    """The text colour for a bar's inside: white, the chart's text colour or black,
    the first that is 4.5:1 against ``colour`` (the best of them otherwise)."""
    choices = (BACKGROUND, TEXT, "#000000")
    return next((c for c in choices if contrast(c, colour) >= 4.5), max(choices, key=lambda c: contrast(c, colour)))


def color_for(name, mapping: dict) -> str:
    """The fixed colour of a known category; one neutral colour for any other."""
    return mapping.get(name, OTHER)


# Plotly lays a chart out in the browser, at whatever width the screen gives it; the
# app decides its text beforehand. Everything a chart writes is made to fit the
# narrowest plot the app is used at: a 320 px phone, where a chart is 288 px wide and its
# plot 272 px (at 640 px — 1280 px at 200 % zoom — columns stack and a plot is 592 px).
# A label that fits there fits everywhere; tests/browser/test_chart_text.py measures it.
NARROWEST_PLOT = 264      # px, a little under 272
FONT_SIZE = 14            # the template's text
LABEL_SIZE = 13           # names above bars, reference lines, change marks
TICK_SIZE = 13
LINE_PX = 18              # one more line of a wrapped name


def text_px(text: str, size: float = FONT_SIZE) -> float:
    """How wide ``text`` is drawn, estimated on the generous side: a Chinese character
    (or any full-width one) is one em, anything else 0.6 em (Noto Sans digits are 0.55,
    most Latin letters less)."""
    return sum(size if unicodedata.east_asian_width(ch) in "WFA" else 0.6 * size for ch in str(text))


def wrap(text: str, width: float = NARROWEST_PLOT, size: float = LABEL_SIZE) -> list[str]:
    """``text`` in lines no wider than ``width`` px: broken between words in English and
    between characters in Chinese (never inside a run of digits or Latin letters). The
    lines joined again are ``text`` exactly (a space at a break stays at the line's end)."""
    words = re.findall(r"[A-Za-z0-9.,:;%()'&/+\-–]+\s*|\s+|.", str(text))
    lines, line = [], ""
    for word in words:
        if line.strip() and text_px(line + word.rstrip(), size) > width:
            lines.append(line)
            line = word
        else:
            line += word
    lines.append(line)
    return lines


TEMPLATE = go.layout.Template(layout=go.Layout(
    font=dict(family=FONT, color=TEXT, size=FONT_SIZE),
    paper_bgcolor=BACKGROUND, plot_bgcolor=BACKGROUND,
    colorway=[ACCENT, EARLIER, OTHER],
    hoverlabel=dict(font_family=FONT, bgcolor="#ffffff", font_color=TEXT, bordercolor=MUTED_TEXT),
    # The key sits at the foot of the chart, measured from the chart's bottom edge
    # (yref "container"): Plotly then reserves its height apart from the axis and its
    # title above it, which a key placed under the plot by a fraction of its height
    # overlapped at 390 px. Clicking it hides nothing: its entries cannot take focus,
    # so what a mouse could do there a keyboard could not (WCAG 2.1.1).
    legend=dict(orientation="h", xref="paper", x=0, xanchor="left", yref="container", y=0, yanchor="bottom",
                title_text="", font=dict(color=TEXT), itemclick=False, itemdoubleclick=False),
    xaxis=dict(gridcolor=GRID, zerolinecolor=MUTED_TEXT, linecolor=MUTED_TEXT, tickangle=0,
               tickfont=dict(color=MUTED_TEXT, size=TICK_SIZE), title_font=dict(color=MUTED_TEXT), automargin=True),
    yaxis=dict(gridcolor=GRID, zerolinecolor=MUTED_TEXT, linecolor=MUTED_TEXT, tickfont=dict(color=MUTED_TEXT, size=TICK_SIZE),
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
    fig.update_layout(template=TEMPLATE, height=height, showlegend=legend,
                      margin=TEMPLATE.layout.margin)      # plotly.express sets a 60 px top of its own
    if y_title is not None:
        fig.update_yaxes(title_text=y_title)
    if x_title is not None:
        fig.update_xaxes(title_text=x_title)
    if percent:
        fig.update_yaxes(tickformat=".0%")
    if percent_x:
        fig.update_xaxes(tickformat=".0%")
    return fig


def _x_extent(fig) -> tuple[float, float] | None:
    """The x range a figure shows: its set range, else the span of its numeric x values."""
    if fig.layout.xaxis.range is not None:
        return tuple(fig.layout.xaxis.range)
    values = [v for trace in fig.data if trace.x is not None for v in trace.x
              if isinstance(v, (int, float)) and v == v]
    return (min(values), max(values)) if values else None


def vertical_reference(value: float, label: str, extent: tuple[float, float] | None) -> tuple[dict, dict]:
    """The dashed line and its label of ``reference_line`` (vertical) as plain layout
    parts, for a figure that adds all its annotations in one assignment (ui/figures.py:
    adding one to a figure copies and checks every earlier one again)."""
    share = (value - extent[0]) / (extent[1] - extent[0]) if extent and extent[1] > extent[0] else 0.5
    shape = dict(type="line", x0=value, x1=value, xref="x", y0=0, y1=1, yref="y domain",
                 line=dict(dash="dash", color=REFERENCE, width=1.5))
    note = dict(x=value, xref="x", y=1, yref="paper", yanchor="bottom", showarrow=False, text=label,
                xanchor="right" if share > 0.5 else "left", xshift=-3 if share > 0.5 else 3,
                font=dict(color=MUTED_TEXT, size=LABEL_SIZE))
    return shape, note


def reference_margin(fig) -> int:
    """The top margin that holds a vertical reference line's label."""
    return max(fig.layout.margin.t or 0, 16) + LINE_PX + 4


def reference_line(fig, value: float, label: str, *, horizontal: bool = False):
    """A dashed line for an average, a pass mark or a target, labelled in words. A
    vertical line's label sits above the plot, in a margin of its own, so it never
    lands on a bar's value or a category's name; it runs away from the nearer edge of
    the chart, so it is never cut (整體 98.5% near 100 % reads leftwards from its line)."""
    line = dict(line_dash="dash", line_color=REFERENCE, line_width=1.5)
    if horizontal:
        fig.add_hline(value, annotation_text=label, annotation_font_color=MUTED_TEXT,
                      annotation_font_size=LABEL_SIZE, annotation_position="top left", **line)
        return fig
    fig.add_vline(value, **line)        # on every subplot
    _, note = vertical_reference(value, label, _x_extent(fig))
    fig.add_annotation(note)
    fig.update_layout(margin_t=reference_margin(fig))
    return fig


def values_inside(fig):
    """Tick labels of the value axis inside the plot, above their gridlines (the unit is
    in the chart's heading): the plot keeps the full width of a phone's screen."""
    fig.update_yaxes(title_text="", ticklabelposition="inside top", ticks="")
    return fig


def share_ticks(low: float, high: float) -> list[float]:
    """Ticks for a share axis from ``low`` to ``high``: at least two, at most six, none
    past 100 %, each a round step (1, 2, 5, 10, 20, 25 %)."""
    top = min(high, 1.0)
    for step in (0.01, 0.02, 0.05, 0.1, 0.2, 0.25, 0.5):
        first = math.ceil(round(low / step, 9)) * step
        ticks = [round(first + i * step, 10) for i in range(int(math.floor(round((top - first) / step, 9))) + 1)]
        if len(ticks) <= 6:
            return ticks if len(ticks) >= 2 else [round(low, 4), round(top, 4)]
    return [0.0, 0.5, 1.0]


def spaced_labels(labels: list[str], keys: list[int], steps: tuple[int, ...], coarse: list[str] | None = None,
                  coarse_from: int | None = None, size: float = TICK_SIZE) -> tuple[list[int], list[str]]:
    """Which of a category axis's ``labels`` to print, and as what, so that they never
    touch on the narrowest plot: the smallest step of ``steps`` at which they fit,
    taking the categories whose ``key`` (a month or quarter counted from year 0, or a
    position) the step divides, so labels fall on calendar boundaries (each January,
    each first quarter). From ``coarse_from`` on, a label is its ``coarse`` form (the
    year alone: 「110 年」 rather than 「110/01」). Never a single label where there are
    two categories or more: the first and the last, if nothing else fits."""
    count = len(labels)
    for step in steps:
        texts = coarse if coarse is not None and coarse_from is not None and step >= coarse_from else labels
        picked = [i for i, key in enumerate(keys) if key % step == 0]
        if len(picked) < 2:
            continue
        widest = max(text_px(texts[i], size) for i in picked) + 6
        # Categories are evenly spaced across the plot, which gives up half a label at
        # each end to the margins: labels ``step`` apart sit step × (plot ÷ count) px apart.
        if (NARROWEST_PLOT - widest) / count * step >= widest:
            return picked, [texts[i] for i in picked]
    ends = [0, count - 1] if count > 1 else [0]
    return ends, [labels[i] for i in ends]


def category_ticks(fig, labels: list[str], keys: list[int], steps: tuple[int, ...], coarse: list[str] | None = None,
                   coarse_from: int | None = None, **at):
    """A category x axis (never read as dates: "2023-01" would become "Jan 2023") that
    prints only the labels ``spaced_labels`` picks, level and uncut."""
    shown, texts = spaced_labels(labels, keys, steps, coarse, coarse_from)
    fig.update_xaxes(type="category", tickmode="array", tickvals=[labels[i] for i in shown], ticktext=texts,
                     tickangle=0, **at)
    return fig
