"""Every string that reaches a chart is shown as written, never read as Plotly's HTML
(issue 23): trace values, names and hovers, and the layout's titles, axis titles, tick
and category labels, legend, annotations (the names drawn above bars, subplot titles,
reference-line labels), shape labels and meta. Each place gets a payload in turn; the
test first shows that the unescaped figure carries live markup there (so the check
sees that place), then that ``safe_figure`` leaves none, decoding the JSON first."""
import html
import json

import plotly.graph_objects as go
import plotly.io as pio
import pytest
from plotly.subplots import make_subplots

from markup import decoded, raw_markup, strings
from ui import figures, theme
from ui.text import safe_figure

LINK = '<a href="https://evil.example/login">請點此重新登入</a>'
STYLE = '<span style="font-size:60px;color:red;background:url(http://127.0.0.1:9/x.png)">系統公告</span>'


def bar(**kw):
    return go.Figure(go.Bar(x=["甲", "乙"], y=[1, 2], **kw))


PLACES = {
    "trace category (x)": lambda p: go.Figure(go.Bar(x=[p, "乙"], y=[1, 2])),
    "trace category (y)": lambda p: go.Figure(go.Bar(y=[p, "乙"], x=[1, 2], orientation="h")),
    "trace text": lambda p: bar(text=[p, "乙"]),
    "trace hover text": lambda p: bar(hovertext=[p, "乙"]),
    "custom data in a hover": lambda p: bar(customdata=[[p], ["乙"]], hovertemplate="%{customdata[0]}<extra></extra>"),
    "data written into a hover template": lambda p: bar(hovertemplate=f"{p}<br>%{{y}}<extra></extra>"),
    "data written into a text template": lambda p: bar(texttemplate=f"{p} %{{y}}"),
    "trace name (legend)": lambda p: bar(name=p),
    "legend group title": lambda p: bar(legendgroup="g", legendgrouptitle_text=p),
    "pie labels": lambda p: go.Figure(go.Pie(labels=[p, "乙"], values=[1, 2])),
    "table cells": lambda p: go.Figure(go.Table(header=dict(values=[p]), cells=dict(values=[[p]]))),
    "chart title": lambda p: bar().update_layout(title_text=p),
    "x axis title": lambda p: bar().update_xaxes(title_text=p),
    "y axis title": lambda p: bar().update_yaxes(title_text=p),
    "second y axis title": lambda p: make_subplots(specs=[[{"secondary_y": True}]]).add_trace(
        go.Scatter(x=[1], y=[1]), secondary_y=True).update_yaxes(title_text=p, secondary_y=True),
    "tick labels": lambda p: bar().update_yaxes(tickvals=[1], ticktext=[p]),
    "category order": lambda p: bar().update_xaxes(categoryorder="array", categoryarray=[p, "甲"]),
    "legend title": lambda p: bar(name="甲").update_layout(legend_title_text=p, showlegend=True),
    "annotation": lambda p: bar().add_annotation(text=p, x=0, y=1, showarrow=False),
    "names above bars": lambda p: figures.bars([p, "乙"], [figures.Series("本年", [1, 2], theme.ACCENT)]),
    "dot chart names": lambda p: figures.dots([p, "乙"], [figures.Series("本年", [0.5, 0.6], theme.ACCENT)]),
    "hover lines of a bar": lambda p: figures.bars(["甲"], [figures.Series("本年", [1], theme.ACCENT, hover=[(p, "1")])]),
    "subplot titles": lambda p: make_subplots(rows=2, cols=1, subplot_titles=[p, "乙"]).add_trace(
        go.Scatter(x=[1], y=[1]), row=1, col=1),
    "reference line label": lambda p: theme.reference_line(bar(), 1, p),
    "shape label": lambda p: bar().add_shape(type="rect", x0=0, x1=1, y0=0, y1=1, label=dict(text=p)),
    "colour bar title": lambda p: go.Figure(go.Heatmap(z=[[1, 2]], colorbar=dict(title=dict(text=p)))),
    "menu button label": lambda p: bar().update_layout(updatemenus=[dict(buttons=[dict(label=p, method="restyle",
                                                                                     args=["visible", [True]])])]),
    "slider step label": lambda p: bar().update_layout(sliders=[dict(steps=[dict(label=p, method="restyle",
                                                                                 args=["visible", [True]])])]),
    "meta shown through a template": lambda p: bar(hovertemplate="%{meta[0]}<extra></extra>").update_layout(meta=[p]),
    "polar categories": lambda p: go.Figure(go.Barpolar(theta=[p, "乙"], r=[1, 2])).update_polars(
        angularaxis_categoryorder="array", angularaxis_categoryarray=[p, "乙"]),
}


def engines():
    """Plotly's JSON writers here: the standard library's always, orjson when installed.
    Either way the test reads the decoded result."""
    out = ["json"]
    try:
        import orjson  # noqa: F401
        out.append("orjson")
    except ImportError:
        pass
    return out


@pytest.mark.parametrize("payload", [LINK, STYLE], ids=["link", "style"])
@pytest.mark.parametrize("place", PLACES)
def test_every_place_in_a_figure_is_escaped(place, payload):
    raw = PLACES[place](payload)
    # The check sees this place: left alone, the figure carries live markup there.
    assert raw_markup(raw), f"the check found no markup at {place}: it would pass whatever safe_figure did"
    fig = safe_figure(PLACES[place](payload))
    for engine in engines():
        spec = json.loads(pio.to_json(fig, engine=engine, validate=False))
        assert raw_markup(spec) == [], (place, engine)
        # … and the payload still reads as written once Plotly turns the entities back
        # (a long name above a bar may be wrapped: its line breaks aside).
        assert any(payload in html.unescape(text).replace("<br>", "") for _, text in strings(spec)), place


def test_a_figure_is_escaped_once():
    fig = bar(text=["a < b & c"])
    safe_figure(safe_figure(fig))
    assert decoded(fig)["data"][0]["text"] == ["a &lt; b &amp; c"]      # once, not &amp;lt;


def test_templates_keep_the_app_s_own_line_breaks_and_lose_everything_else():
    fig = safe_figure(bar(hovertemplate='%{x}<br>%{y}<b>!</b><a href="x">y</a><br style="x"><extra></extra>'))
    assert decoded(fig)["data"][0]["hovertemplate"] == (
        '%{x}<br>%{y}<b>!</b>&lt;a href="x"&gt;y&lt;/a&gt;&lt;br style="x"&gt;<extra></extra>')


def test_numbers_and_numeric_arrays_pass_untouched():
    import numpy as np
    values = np.arange(5, dtype=float)
    fig = safe_figure(go.Figure(go.Scatter(x=values, y=values * 2, text=np.array(["<b>x</b>"] * 5, dtype=object))))
    spec = decoded(fig)
    assert spec["data"][0]["text"] == ["&lt;b&gt;x&lt;/b&gt;"] * 5
    assert fig.data[0].x is not None and list(fig.data[0].x) == list(values)


def test_the_page_check_fails_when_a_chart_goes_out_unescaped(tmp_path, monkeypatch):
    """tests/app/test_injection.py's page check, run on 案件量 with the escaping taken
    out (where charts are drawn and where kept figures are made, ui.figures.shared): it
    must find the payload live in the subplot titles and names above bars."""
    from streamlit.testing.v1 import AppTest

    from analytics import importer, store
    from conftest import ROOT
    from payloads import payload_workbook
    import ui.charts
    import ui.figures

    path = tmp_path / "dash.duckdb"
    con = store.connect(path)
    importer.import_file(con, payload_workbook(tmp_path / "payload.xlsx"))
    con.close()
    monkeypatch.setenv("DASHBOARD_DB", str(path))
    monkeypatch.setattr(ui.charts, "safe_figure", lambda fig: fig)
    monkeypatch.setattr(ui.figures, "safe_figure", lambda fig: fig)      # figures kept between reruns too
    monkeypatch.setattr(ui.figures, "_SHARED", type(ui.figures._SHARED)())
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    at.switch_page("pages/cases.py").run()
    assert not at.exception
    found = [where for chart in at.get("plotly_chart") for where, _ in raw_markup(chart.proto.spec)]
    assert any(".layout.annotations" in where for where in found), found
