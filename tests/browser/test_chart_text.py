"""Every word a chart prints can be read whole, in a real browser (Debian's Chromium
driven by Playwright) against `streamlit run` on the sample: on each page with charts,
at 1280, 390 and 320 px and at 200 % zoom (a 1280 px window zoomed to 200 % lays the
page out at 640 CSS px, twice as dense), in Chinese, and in English and with Gregorian
years at 320 px, the narrowest.

The check compares boxes, not pictures. For every SVG text inside a chart — tick
labels, axis titles, the key, the names above bars, values at bar ends, reference-line
labels, subplot titles —

- its box lies inside the chart's box, and inside the plot area where the plot clips
  it (a dot's value past 100 % was cut to "100.0"),
- it overlaps no other text of the chart (an axis title printed over the key,
  「整體 98.5%」 over a dot's value, month labels run together),
- and no axis prints a single tick label.

``test_the_check_sees_each_fault`` first shows that it finds each of these on a page
built to have them. On the code before issue 20 it reported 25 faults on 滿意度 at
1280 px, 26 at 320 px, 11 on 構面評分 at 320 px, 10 on 電話禮貌 at 320 px."""

import plotly.graph_objects as go
import plotly.io as pio
import pytest
from plotly.offline import get_plotlyjs

from browser_tier import app, browser, page_at, requirements, server  # noqa: F401 (fixtures)
from scripts.browser import settle

CHART_PAGES = ["", "case-volumes", "satisfaction-survey", "phone-courtesy", "dimension-scores", "year-over-year"]
# name: (CSS px wide, device pixels per CSS px); 200 % zoom of a 1280 px window is 640 CSS px.
VIEWS = {"1280": (1280, 1), "390": (390, 1), "320": (320, 1), "200%": (640, 2)}
VISITS = ([(slug, view, "") for slug in CHART_PAGES for view in VIEWS] +
          [(slug, "320", "lang=en") for slug in CHART_PAGES] +
          [(slug, "320", "cal=ad") for slug in ("case-volumes", "satisfaction-survey", "phone-courtesy")])
_mark = requirements()
if _mark:
    pytestmark = _mark

# Every fault of every chart on the page, as sentences. A text's box is its
# getBoundingClientRect; "the plot clips it" is any clip-path on its ancestors, whose
# rectangle is taken to the screen through its element's getScreenCTM.
TEXT_FAULTS = r"""() => {
  const faults = [];
  const heads = [...document.querySelectorAll('h1, h2')];
  const charts = [...document.querySelectorAll('[data-testid="stPlotlyChart"]')]
    .filter(c => c.getClientRects().length > 0);
  charts.forEach((chart, index) => {
    const above = heads.filter(h => h.compareDocumentPosition(chart) & Node.DOCUMENT_POSITION_FOLLOWING);
    const name = above.length ? above[above.length - 1].textContent.trim() : `chart ${index + 1}`;
    const frame = chart.querySelector('.plot-container, .js-plotly-plot');
    if (!frame || !chart.querySelector('.main-svg')) { faults.push(`${name}: not drawn`); return; }
    const box = frame.getBoundingClientRect();
    const clipOf = el => {
      let clip = null;
      for (let a = el; a && a !== chart; a = a.parentElement) {
        const ref = a.getAttribute && a.getAttribute('clip-path');
        const id = ref && ref.match(/url\(["']?#([^"')]+)/);
        const rect = id && document.getElementById(id[1]) && document.getElementById(id[1]).querySelector('rect');
        if (!rect) continue;
        const m = a.getScreenCTM();
        const x = +rect.getAttribute('x') || 0, y = +rect.getAttribute('y') || 0;
        const p = new DOMPoint(x, y).matrixTransform(m);
        const q = new DOMPoint(x + +rect.getAttribute('width'), y + +rect.getAttribute('height')).matrixTransform(m);
        const c = {left: Math.min(p.x, q.x), top: Math.min(p.y, q.y), right: Math.max(p.x, q.x), bottom: Math.max(p.y, q.y)};
        clip = clip ? {left: Math.max(clip.left, c.left), top: Math.max(clip.top, c.top),
                       right: Math.min(clip.right, c.right), bottom: Math.min(clip.bottom, c.bottom)} : c;
      }
      return clip;
    };
    const isTick = t => /^[xy]\d*tick$/.test((t.parentElement && t.parentElement.getAttribute('class')) || '');
    const texts = [...chart.querySelectorAll('.main-svg text')]
      .filter(t => !t.closest('.hoverlayer') && t.textContent.trim() !== '')
      .filter(t => { const s = getComputedStyle(t); return s.display !== 'none' && s.visibility !== 'hidden' && +s.opacity !== 0; })
      .map(t => ({text: t.textContent.trim(), tick: isTick(t), r: t.getBoundingClientRect(), clip: clipOf(t)}))
      .filter(t => t.r.width > 0.5 && t.r.height > 0.5);
    const outside = (r, c) => r.left < c.left - 1 || r.right > c.right + 1 || r.top < c.top - 1 || r.bottom > c.bottom + 1;
    for (const t of texts) {
      if (outside(t.r, box)) faults.push(`${name}: 「${t.text}」 runs past the chart's edge`);
      else if (t.clip && outside(t.r, t.clip)) faults.push(`${name}: 「${t.text}」 is cut by the plot area`);
    }
    for (let i = 0; i < texts.length; i++) for (let j = i + 1; j < texts.length; j++) {
      const a = texts[i].r, b = texts[j].r;
      const w = Math.min(a.right, b.right) - Math.max(a.left, b.left), h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
      if (w > 1 && h > 1) faults.push(`${name}: 「${texts[i].text}」 and 「${texts[j].text}」 overlap (${Math.round(w)}×${Math.round(h)} px)`);
    }
    for (const axis of chart.querySelectorAll('.xaxislayer-above, .yaxislayer-above')) {
      const ticks = [...axis.querySelectorAll('text')].filter(t => isTick(t) && t.textContent.trim() && t.getBoundingClientRect().width > 0);
      if (ticks.length === 1) faults.push(`${name}: an axis with one tick label, 「${ticks[0].textContent.trim()}」`);
    }
  });
  return {charts: charts.length, faults};
}"""


def faults_on(browser, url: str, width: int, scale: int) -> dict:
    context, page = page_at(browser, width, scale)
    try:
        page.goto(url)
        settle(page)
        return page.evaluate(TEXT_FAULTS)
    finally:
        context.close()


@pytest.mark.parametrize("slug, view, query", VISITS)
def test_chart_text_is_whole_and_apart(app, browser, slug, view, query):
    base, _ = app
    width, scale = VIEWS[view]
    found = faults_on(browser, f"{base}/{slug}" + (f"?{query}" if query else ""), width, scale)
    assert found["charts"] > 0, f"/{slug}: no chart drawn"
    assert not found["faults"], f"/{slug} at {view} {query}:\n" + "\n".join(found["faults"])


def _page(figures: dict[str, go.Figure]) -> str:
    parts = []
    for i, (name, fig) in enumerate(figures.items()):
        spec = pio.to_json(fig)
        parts.append(f'<h2>{name}</h2><div data-testid="stPlotlyChart"><div id="f{i}"></div></div>'
                     f'<script>const s{i} = {spec}; Plotly.newPlot("f{i}", s{i}.data, s{i}.layout, '
                     f'{{displayModeBar: false}});</script>')
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><script>{get_plotlyjs()}</script></head>'
            f'<body>{"".join(parts)}</body></html>')


def test_the_check_sees_each_fault(browser):
    """A page made of the faults the check exists for: a value written past the chart's
    edge, a dot's value cut by its plot, two labels on top of each other, an axis
    title under the key, an axis with one tick label — and a clean chart beside them."""
    layout = dict(width=300, height=260, margin=dict(l=30, r=10, t=10, b=40), showlegend=False)
    figures = {
        "past the edge": go.Figure(go.Bar(x=[0.99], y=["甲"], orientation="h", text=["99.0%（甲乙丙丁）"],
                                          textposition="outside", cliponaxis=False), layout).update_xaxes(range=[0, 1]),
        "cut by the plot": go.Figure(go.Scatter(x=[1.0], y=[1], mode="markers+text", text=["100.0%"],
                                                textposition="middle right"), layout).update_xaxes(range=[0, 1.01]),
        "overlapping": go.Figure(go.Bar(x=[1, 2], y=[1, 2]), layout).add_annotation(
            x=1, y=1.5, text="整體 98.5%", showarrow=False).add_annotation(x=1.1, y=1.5, text="99.3%", showarrow=False),
        "title under the key": go.Figure([go.Bar(x=[1, 2], y=[1, 2], name="民國 113 年"),
                                          go.Bar(x=[1, 2], y=[2, 1], name="民國 112 年")],
                                         {**layout, "showlegend": True, "legend": dict(orientation="h", y=-0.12)}
                                         ).update_xaxes(title_text="如期完成率"),
        "one tick": go.Figure(go.Scatter(x=[0.91, 0.95], y=[1, 2]), layout).update_xaxes(
            range=[0.86, 1.01], tickvals=[0.8, 1.02, 0.9], tickformat=".0%"),
        "clean": go.Figure(go.Bar(x=[1, 2, 3], y=[3, 1, 2]), layout),
    }
    page = browser.new_page(viewport={"width": 400, "height": 900})
    try:
        page.set_content(_page(figures))
        page.wait_for_function("document.querySelectorAll('.main-svg').length >= 12")
        faults = page.evaluate(TEXT_FAULTS)["faults"]
    finally:
        page.close()
    said = "\n".join(faults)
    assert "past the edge: 「99.0%（甲乙丙丁）」 runs past the chart's edge" in said, said
    assert "cut by the plot: 「100.0%」 is cut by the plot area" in said, said
    assert "overlapping: 「整體 98.5%」 and 「99.3%」 overlap" in said, said
    assert any(f.startswith("title under the key:") and "如期完成率" in f and "overlap" in f for f in faults), said
    assert "one tick: an axis with one tick label, 「90%」" in said, said
    assert not [f for f in faults if f.startswith("clean:")], said
