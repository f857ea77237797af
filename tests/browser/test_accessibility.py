"""Accessibility in a real browser (Debian's Chromium driven by Playwright) against
`streamlit run` on the sample: axe-core's WCAG 2.1 A/AA rules on every page at 1280 px
and 390 px (Chinese; English at 1280 px) and on the results report's HTML, with no
violation of impact serious or critical; the page's language and title; headings that
go h1, h2 without skipping; a text alternative for every chart and a distinct name for
every table expander; chart toolbars that add at most one tab stop; plot areas at least
300 px wide on a phone.

Each page is opened once per width and language and everything is measured on that one
load (``visit``), so the whole module costs about 24 page loads."""
import os
import subprocess
import sys

import pytest

from analytics.i18n import t
from browser_tier import browser, requirements, server  # noqa: F401 (fixtures)
from conftest import ROOT
from scripts.browser import PAGES, settle, warm_up

VIEWPORTS = {1280: 900, 390: 844}
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = ("serious", "critical")
VISITS = [(slug, width, "zh") for slug in PAGES for width in VIEWPORTS] + [(slug, 1280, "en") for slug in PAGES]
_mark = requirements("axe_playwright_python.base")
if _mark:
    pytestmark = _mark


@pytest.fixture(scope="module")
def app(server, browser):
    """The server after one visit to "/" (scripts.browser.warm_up says why)."""
    base, db = server
    warm_up(browser, base)
    return base, db


def run_axe(page) -> list[dict]:
    """axe-core's WCAG 2.1 A/AA rules, injected into every frame first so that the
    report preview's iframe is checked as well."""
    from axe_playwright_python.base import AXE_SCRIPT   # axe-core itself
    for frame in page.frames:
        frame.evaluate(AXE_SCRIPT)
    return page.evaluate("options => axe.run(document, options)",
                         {"runOnly": {"type": "tag", "values": TAGS}, "resultTypes": ["violations"]})["violations"]


def blocking(violations: list[dict]) -> list[dict]:
    return [v for v in violations if v["impact"] in BLOCKING]


def explain(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}, {len(v['nodes'])} element(s)): {v['help']}")
        lines += [f"    {' >> '.join(n['target'])}" for n in v["nodes"][:3]]
    return "\n".join(lines)


MEASURE = """() => {
  const main = document.querySelector('[data-testid="stMain"]');
  const headings = [...main.querySelectorAll('h1, h2, h3, h4, h5, h6')]
    .filter(h => h.getClientRects().length > 0 && !h.closest('[data-testid="stDialog"]'))
    .map(h => [Number(h.tagName[1]), h.textContent.trim()]);
  const heads = [...main.querySelectorAll('h1, h2, h3, h4, h5, h6')];
  const charts = [...main.querySelectorAll('[data-testid="stPlotlyChart"]')].map(c => {
    const areas = [...c.querySelectorAll('.draglayer .nsewdrag, .polarlayer .bg')].map(e => e.getBoundingClientRect().width);
    const stops = [...c.querySelectorAll('a[href], button, input, select, textarea, [tabindex]')]
      .filter(e => e.tabIndex >= 0 && !e.disabled);
    const above = heads.filter(h => h.compareDocumentPosition(c) & Node.DOCUMENT_POSITION_FOLLOWING);
    const name = above.length ? above[above.length - 1].textContent.trim() : '';
    return {name, tab_stops: stops.length, plot_width: areas.length ? Math.round(Math.min(...areas)) : null,
            label: (c.getAttribute('aria-label') || '').trim()};
  });
  const expanders = [...main.querySelectorAll('[data-testid="stExpander"] summary')]
    .map(e => (e.querySelector('[data-testid="stMarkdownContainer"]') || e).textContent.trim());
  return {lang: document.documentElement.lang, title: document.title, headings, charts, expanders,
          dialog: document.querySelector('[data-testid="stDialog"]')?.innerText || null,
          overflow: Math.max(document.scrollingElement.scrollWidth, main.scrollWidth) - document.documentElement.clientWidth};
}"""


@pytest.fixture(scope="module")
def visit(app, browser):
    """Open a page at a width in a language once; its axe violations and measurements."""
    base, _ = app
    seen = {}

    def open_once(slug: str, width: int, lang: str) -> dict:
        if (slug, width, lang) not in seen:
            context = browser.new_context(viewport={"width": width, "height": VIEWPORTS[width]})
            page = context.new_page()
            try:
                page.goto(f"{base}/{slug}" + ("?lang=en" if lang == "en" else ""))
                settle(page)
                found = page.evaluate(MEASURE)
                assert found["dialog"] is None, f"/{slug} opened under a dialog: {found['dialog']}"
                found["violations"] = run_axe(page)
            finally:
                context.close()
            seen[slug, width, lang] = found
        return seen[slug, width, lang]

    return open_once


@pytest.mark.parametrize("slug, width, lang", VISITS)
def test_axe_finds_nothing_serious(visit, slug, width, lang):
    found = blocking(visit(slug, width, lang)["violations"])
    if found:
        pytest.fail(f"/{slug} at {width} px ({lang}):\n{explain(found)}", pytrace=False)


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("slug", PAGES)
def test_the_page_says_its_language(visit, slug, lang):
    declared = visit(slug, 1280, lang)["lang"]
    assert declared.startswith("zh" if lang == "zh" else "en"), f"/{slug} ({lang}) declares lang={declared!r}"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_page_has_its_own_title(visit, lang):
    titles = {slug: visit(slug, 1280, lang)["title"] for slug in PAGES}
    assert titles == {slug: f"{t(key, lang)} · {t('app.title', lang)}" for slug, key in PAGES.items()}
    assert len(set(titles.values())) == len(PAGES)


@pytest.mark.parametrize("slug", PAGES)
def test_headings_go_h1_then_h2_without_skipping(visit, slug):
    levels = [level for level, _ in visit(slug, 1280, "zh")["headings"]]
    assert levels[:1] == [1] and levels.count(1) == 1, visit(slug, 1280, "zh")["headings"]
    skips = [(a, b) for a, b in zip(levels, levels[1:]) if b > a + 1]
    assert not skips, f"/{slug}: heading levels {levels}"


@pytest.mark.parametrize("slug", PAGES)
def test_every_chart_has_a_text_alternative(visit, slug):
    unnamed = [c["name"] for c in visit(slug, 1280, "zh")["charts"] if not c["label"]]
    assert not unnamed, f"/{slug}: charts without a text alternative (st.plotly_chart(alt=...)) under {unnamed}"


@pytest.mark.parametrize("slug", PAGES)
def test_table_expanders_say_which_table(visit, slug):
    labels = visit(slug, 1280, "zh")["expanders"]
    repeated = sorted({label for label in labels if labels.count(label) > 1})
    assert not repeated, f"/{slug}: expanders with the same name {repeated} ({len(labels)} expanders)"


@pytest.mark.parametrize("slug", PAGES)
def test_chart_toolbars_add_at_most_one_tab_stop(visit, slug):
    charts = visit(slug, 1280, "zh")["charts"]
    heavy = [(c["name"], c["tab_stops"]) for c in charts if c["tab_stops"] > 1]
    assert not heavy, f"/{slug}: tab stops inside charts {heavy}"


@pytest.mark.parametrize("slug", PAGES)
def test_a_phone_gets_wide_plots_and_no_sideways_scroll(visit, slug):
    found = visit(slug, 390, "zh")
    narrow = [(c["name"], c["plot_width"]) for c in found["charts"] if c["plot_width"] is not None and c["plot_width"] < 300]
    assert not narrow, f"/{slug} at 390 px: plot areas under 300 px {narrow}"
    assert found["overflow"] <= 0, f"/{slug} at 390 px scrolls sideways by {found['overflow']} px"


def test_switching_language_and_page_in_the_app_updates_lang_and_title(app, browser):
    base, _ = app
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        page.goto(f"{base}/case-volumes")
        settle(page)
        assert page.evaluate("document.documentElement.lang") == "zh-Hant"
        assert page.locator(".st-key-a11y_head").bounding_box() is None  # the helper takes no space
        page.locator('[data-testid="stSidebar"] label', has_text="English").click()
        page.wait_for_function("document.documentElement.lang === 'en'", timeout=60_000)
        settle(page)
        assert page.title() == f"{t('page.cases', 'en')} · {t('app.title', 'en')}"
        page.locator('[data-testid="stSidebarNavLink"]', has_text=t("page.satisfaction", "en")).click()
        page.wait_for_function("title => document.title === title", arg=f"{t('page.satisfaction', 'en')} · "
                               f"{t('app.title', 'en')}", timeout=60_000)
        assert page.evaluate("document.documentElement.lang") == "en"
    finally:
        page.close()


@pytest.mark.parametrize("lang, width", [("zh", 1280), ("zh", 390), ("en", 1280)])
def test_report_html_passes_axe(app, browser, tmp_path, lang, width):
    _, db = app
    out = tmp_path / f"report-{lang}.html"
    subprocess.run([sys.executable, "-m", "analytics", "report", "110", "--format", "html", "-o", str(out),
                    "--lang", lang], cwd=ROOT, env={**os.environ, "DASHBOARD_DB": str(db)}, check=True,
                   capture_output=True, timeout=120)
    page = browser.new_page(viewport={"width": width, "height": VIEWPORTS[width]})
    try:
        page.set_content(out.read_text(encoding="utf-8"))
        assert page.evaluate("document.documentElement.lang").startswith(lang)
        found = blocking(run_axe(page))
    finally:
        page.close()
    if found:
        pytest.fail(f"report HTML ({lang}, {width} px):\n{explain(found)}", pytrace=False)
