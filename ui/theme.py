"""One colour per unit and per dimension, the same on every page."""
import plotly.express as px

from analytics.datasets.dimension_scores import DEFAULT_DIMENSIONS
from analytics.units import UNITS

FONT = "Noto Sans CJK TC, Noto Sans TC, Microsoft JhengHei, PingFang TC, sans-serif"
_PALETTE = px.colors.qualitative.Dark24 + px.colors.qualitative.Light24
UNIT_COLORS = {name: _PALETTE[i] for i, name in enumerate(UNITS)}
OFFICE_COLORS = {"臺南分局": "#1f77b4", "嘉義辦事處": UNIT_COLORS["嘉義辦事處"], "斗六辦事處": UNIT_COLORS["斗六辦事處"]}
DIMENSION_COLORS = dict(zip((name for name, _ in DEFAULT_DIMENSIONS),
                            ("#4C78A8", "#F58518", "#54A24B", "#E45756", "#B279A2")))
LIKERT_COLORS = {1: "#d7191c", 2: "#fdae61", 3: "#d9d9d9", 4: "#a6d96a", 5: "#1a9641"}
GOOD, BAD, NEUTRAL = "#1a9641", "#d7191c", "#767676"


def color_for(name: str, mapping: dict) -> str:
    """A fixed colour for known names; a stable one from the palette for others."""
    if name in mapping:
        return mapping[name]
    return _PALETTE[(sum(map(ord, str(name))) + len(mapping)) % len(_PALETTE)]


def colors(names, mapping: dict) -> dict:
    return {n: color_for(n, mapping) for n in names}


def style(fig, *, y_title: str | None = None, x_title: str | None = None, percent: bool = False, height: int = 380):
    fig.update_layout(font_family=FONT, height=height, margin=dict(l=10, r=10, t=40, b=10),
                      legend_title_text="", hoverlabel_font_family=FONT)
    if y_title is not None:
        fig.update_yaxes(title_text=y_title)
    if x_title is not None:
        fig.update_xaxes(title_text=x_title)
    if percent:
        fig.update_yaxes(tickformat=".0%")
    return fig
