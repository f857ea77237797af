"""Horizontal bar and dot charts with each category's name above its bar rather than
beside it: on a 390 px phone a column of names at the left would leave the bars too
little room (under 300 px), and names above bars read well at any width.

Every word these charts print is made to fit the narrowest plot (``theme.NARROWEST_PLOT``,
a 320 px phone) before Plotly lays it out: a long name wraps onto a second line above
its bar, the value axis runs far enough past the longest bar for its value to be
written after it, and a dot's value stands at the right end of its name's line,
where no interval or other dot can cover it."""
from __future__ import annotations

import hashlib
import pickle
import threading
from collections import OrderedDict
from dataclasses import dataclass, field

import plotly.graph_objects as go

from ui import theme
from ui.text import safe_figure


@dataclass
class Series:
    """One set of bars (or dots): a value per category, in one colour."""
    name: str
    values: list
    color: str
    text: list[str] | None = None          # shown at the end of each bar (a dot's: at the end of its name's line)
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


# The y axis is laid out in pixels: each category is its name (one line or more), then
# one band per series, then a gap.
ROW = 26          # px per series in a category
BAR = 21          # px, a bar's thickness
LABEL = 21        # px, the first line of a category's name
GAP = 6           # px after a category's last bar
VALUE_SIZE = 13   # a bar's or dot's value


def _number(value) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if number == number else None


def fit_range(low: float, high: float, ends: list, texts: list[str], size: float = VALUE_SIZE) -> list[float]:
    """The value axis widened until each text fits beside the bar end it belongs to
    (after a positive end, before a negative one) on the narrowest plot."""
    width = theme.NARROWEST_PLOT
    pairs = [(v, theme.text_px(text, size) + 6) for v, text in zip(ends, texts) if text and _number(v) is not None]
    data_span = (high - low) or 1.0
    for _ in range(6):
        for value, need in pairs:
            room = max(width - need, width * 0.3)
            if value >= 0:
                high = max(high, low + (value - low) * width / room)
            else:
                low = min(low, high - (high - value) * width / room)
    # Never more than three times the data's own span: a text that needs more is too long.
    return [max(low, high - 3 * data_span), high]


def _legend_rows(names: list[str]) -> int:
    """How many rows the key takes on the narrowest chart (a swatch and gap per entry)."""
    rows, used = 1, 0.0
    for name in names:
        need = theme.text_px(name, theme.FONT_SIZE) + 46
        if used and used + need > theme.NARROWEST_PLOT + 16:
            rows, used = rows + 1, 0.0
        used += need
    return rows


def _layout(fig, categories: list[str], n_series: int, x_title: str, percent: bool, x_range, legend: bool,
            values_right: list[str] | None = None, more: tuple[dict, ...] = ()) -> list[float]:
    """Names above the bars (wrapped to fit), the y axis in pixels, and a height that
    holds it all with the axis, its title and the key below. Returns each category's
    first bar centre."""
    names, centres, top = [], [], 0.0
    for i, name in enumerate(categories):
        right = values_right[i] if values_right else ""
        room = theme.NARROWEST_PLOT - (theme.text_px(right, VALUE_SIZE) + 12 if right else 0)
        lines = theme.wrap(name, room, theme.LABEL_SIZE)
        names.append((lines, top))
        top += LABEL + theme.LINE_PX * (len(lines) - 1)
        centres.append(top + ROW / 2)
        top += n_series * ROW + GAP
    annotations = []
    for i, (lines, y) in enumerate(names):
        # A line break is written "\n" and made a <br> by ui.text.safe_figure, after the
        # name itself is escaped: a name from a file never carries markup.
        annotations.append(dict(x=0, xref="paper", xanchor="left", y=y, yanchor="top", text="\n".join(lines),
                                showarrow=False, align="left", font=dict(color=theme.TEXT, size=theme.LABEL_SIZE),
                                bgcolor=theme.BACKGROUND))     # a zero line or gridline never runs through a name
        if values_right and values_right[i]:
            annotations.append(dict(x=1, xref="paper", xanchor="right", y=y, yanchor="top", text=values_right[i],
                                    showarrow=False, align="right", font=dict(color=theme.TEXT, size=VALUE_SIZE)))
    # All in one assignment: add_annotation copies and checks every earlier annotation
    # again, which made 40 units and 52 case types take 1.7 s to lay out.
    fig.update_layout(annotations=[*fig.layout.annotations, *annotations, *more])
    fig.update_yaxes(showticklabels=False, showgrid=False, zeroline=False, range=[top, -2])
    legend_px = (_legend_rows([t.name for t in fig.data if t.showlegend is not False]) * 22 + 6) if legend else 0
    height = int(top + 2 + 16 + 26 + (24 if x_title else 0) + legend_px + 10)
    theme.style(fig, x_title=x_title, percent_x=percent, height=max(160, height), legend=legend)
    if x_range is not None:
        fig.update_xaxes(range=list(x_range))
        if percent and x_range[0] >= -1e-9:
            fig.update_xaxes(tickvals=theme.share_ticks(x_range[0], x_range[1]))
    return centres


def _at(centres: list[float], n: int, k: int) -> list[float]:
    """Where series ``k`` of ``n`` sits in each category (``centres``: each first band's middle)."""
    return [c + k * ROW for c in centres]


def bars(categories: list[str], series: list[Series], *, x_title: str = "", percent: bool = False,
         x_range=None, legend: bool | None = None, stacked: bool = False,
         reference: tuple[float, str] | None = None, zeroline: bool = False) -> go.Figure:
    """Horizontal bars, one group per category (top to bottom in the given order);
    ``stacked`` puts the series end to end in one bar (shares of a whole), each part
    with its share written inside where it fits, and a white line between parts;
    ``reference`` (value, label) a dashed line as theme.reference_line draws it;
    ``zeroline`` a line at 0, for changes that run both ways."""
    fig = go.Figure()
    n = 1 if stacked else len(series)
    show_legend = len(series) > 1 if legend is None else legend
    if x_range is not None and not stacked:
        ends = [v for s in series for v in s.values]
        texts = [t for s in series for t in (s.text or [""] * len(s.values))]
        x_range = fit_range(x_range[0], x_range[1], ends, texts)
    shape = note = None
    if reference is not None:
        numbers = [v for s in series for v in map(_number, s.values) if v is not None]
        extent = tuple(x_range) if x_range is not None else (min(numbers), max(numbers)) if numbers else None
        shape, note = theme.vertical_reference(*reference, extent)
    for s in series:     # named first, so that the key's height is known to the layout
        fig.add_trace(go.Bar(name=s.name, orientation="h"))
    centres = _layout(fig, categories, n, x_title, percent, None, show_legend, more=(note,) if note else ())
    for k, s in enumerate(series):
        y = _at(centres, n, 0 if stacked else k)
        common = dict(y=y, x=s.values, name=s.name, orientation="h", width=BAR, marker_color=s.colors or s.color,
                      text=s.text, cliponaxis=False, **_hover(s, len(categories)))
        if stacked:     # a part's share written inside it only where it fits on the narrowest plot
            span = (x_range[1] - x_range[0]) if x_range is not None else 1.0
            common["text"] = [t if t and _number(v) is not None and
                              theme.text_px(t, VALUE_SIZE) + 6 <= _number(v) / span * theme.NARROWEST_PLOT else ""
                              for t, v in zip(s.text or [""] * len(y), s.values)]
            fig.data[k].update(**common, textposition="inside", insidetextanchor="middle", constraintext="none",
                               textfont=dict(color=[theme.text_on(c) for c in (s.colors or [s.color] * len(y))],
                                             size=VALUE_SIZE),
                               marker_line=dict(color=theme.BACKGROUND, width=1.5), **s.extra)
        else:
            fig.data[k].update(**common, textposition="outside", textfont=dict(color=theme.TEXT, size=VALUE_SIZE),
                               **s.extra)
    if x_range is not None:
        fig.update_xaxes(range=list(x_range))
        if percent and x_range[0] >= -1e-9:
            fig.update_xaxes(tickvals=theme.share_ticks(x_range[0], x_range[1]))
    fig.update_layout(barmode="stack" if stacked else "overlay", legend_traceorder="normal")
    if shape:
        fig.update_layout(shapes=[shape], margin_t=theme.reference_margin(fig))
    if zeroline:
        fig.update_xaxes(zeroline=True, zerolinecolor=theme.MUTED_TEXT)
    return fig


def dots(categories: list[str], series: list[Series], *, x_title: str = "", percent: bool = False,
         x_range=None, legend: bool | None = None, reference: tuple[float, str] | None = None) -> go.Figure:
    """Dots (with their intervals, where given), one row per category; the first
    series with text writes it at the right end of the category's name line;
    ``reference`` (value, label) a dashed line as theme.reference_line draws it."""
    fig = go.Figure()
    n = len(series)
    show_legend = n > 1 if legend is None else legend
    said = next((s.text for s in series if s.text), None)
    shape = note = None
    if reference is not None:
        shape, note = theme.vertical_reference(*reference, tuple(x_range) if x_range is not None else None)
    for s in series:
        fig.add_trace(go.Scatter(name=s.name, mode="markers"))
    centres = _layout(fig, categories, n, x_title, percent, x_range, show_legend,
                      values_right=[t or "" for t in said] if said else None, more=(note,) if note else ())
    for k, s in enumerate(series):
        error = None
        if s.errors is not None:
            error = dict(type="data", symmetric=False, array=s.errors[1], arrayminus=s.errors[0],
                         color=theme.MUTED_TEXT, thickness=1.5, width=4)
        fig.data[k].update(y=_at(centres, n, k), x=s.values, error_x=error, mode="markers",
                           marker=dict(color=s.colors or s.color, size=11), cliponaxis=False,
                           **_hover(s, len(categories)), **s.extra)
    if shape:
        fig.update_layout(shapes=[shape], margin_t=theme.reference_margin(fig))
    return fig


# ------------------------------------------------------------------ figures kept between reruns
#
# Every click reruns a page's script, and with its data from the cache, building its
# figures was most of a rerun: on 案件量 60–100 ms of 120–180, more the more bars
# (bench/RESULTS.md §0d). A figure made by ``shared`` is built once for the same
# arguments, escaped (ui.text.safe_figure), and the same object is handed to every
# later rerun and session asking for it: nothing may change it afterwards (give
# ``bars``/``dots`` what the chart needs instead; a test reruns every page, compares
# every chart and checks no kept figure changed). Streamlit only reads the figure it
# is given, through ``to_dict``: a kept figure makes that once too (``keep``).


class KeptFigure(go.Figure):
    """A figure that is not changed any more: its plain form (``to_dict``, what
    st.plotly_chart turns into JSON: a deep copy of every part, most of its time) is
    made once and handed out as is; whoever receives it only reads it."""

    def to_dict(self):
        made = self.__dict__.get("_kept_dict")
        if made is None:
            made = self._kept_dict = super().to_dict()
        return made

    def __reduce__(self):
        """A duplicate (copy.deepcopy, pickle) is a plain figure of its own, built on a
        fresh plain form: plotly's own adds keys to the dict it duplicates, which here is
        the one handed out."""
        props = go.Figure.to_dict(self)
        props["_grid_str"], props["_grid_ref"] = self._grid_str, self._grid_ref
        return (go.Figure, (props,))

    def changed_since_kept(self) -> bool:
        """Whether the figure itself no longer matches what ``to_dict`` hands out."""
        return "_kept_dict" in self.__dict__ and go.Figure.to_dict(self) != self._kept_dict


def keep(fig: go.Figure) -> KeptFigure:
    """``fig`` (escaped, finished) as a ``KeptFigure``: the same object, from now on
    never changed."""
    if not isinstance(fig, KeptFigure):
        fig.__class__ = KeptFigure
    return fig


# The most kept (a few pages × their charts × filter choices × two languages; a figure of
# 52 case types with its plain form is under 1 MB); the least recently used goes first.
SHARED_FIGURES = 128
_SHARED: OrderedDict[bytes, go.Figure] = OrderedDict()
_SHARED_LOCK = threading.Lock()


def shared(build, *args, **kwargs) -> go.Figure:
    """``build(*args, **kwargs)`` (``bars`` or ``dots``), escaped, made once for the same
    arguments. Arguments that cannot be pickled build a new figure every time. Only this
    module's own builders: they depend on their arguments alone (every word comes in
    already in the reader's language and calendar), and a function is told apart by its
    name, which a closure or lambda does not make unique."""
    if build not in (bars, dots):
        raise TypeError(f"figures.shared builds with bars or dots, not {build!r}")
    try:
        key = hashlib.blake2b(pickle.dumps((build.__module__, build.__qualname__, args, kwargs), protocol=5),
                              digest_size=20).digest()
    except (pickle.PicklingError, TypeError, AttributeError):
        return safe_figure(build(*args, **kwargs))       # not kept: a figure of its own
    with _SHARED_LOCK:
        fig = _SHARED.get(key)
        if fig is not None:
            _SHARED.move_to_end(key)
            return fig
    fig = keep(safe_figure(build(*args, **kwargs)))      # built outside the lock; two at once keep one
    with _SHARED_LOCK:
        _SHARED[key] = fig
        while len(_SHARED) > SHARED_FIGURES:
            _SHARED.popitem(last=False)
    return fig
