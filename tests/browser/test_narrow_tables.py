"""On a 390 px phone (and at 320 px, and at 200 % zoom: 640 CSS px) every table shows
the columns that say what a row is and what it holds, whole, with no sideways scroll:
each table is drawn as a plain table of those columns, whose cells wrap, and Streamlit's
data grid (which scrolled the rest off-screen: the targets table lost 目標值, 年度比較
its numbers, the phone-test list 總分 and 合格) is hidden there; at 1280 px it is the
other way round. Every table expander on every page is opened and measured."""
import pytest

from analytics.i18n import t
from browser_tier import app, browser, page_at, requirements, server  # noqa: F401 (fixtures)
from scripts.browser import PAGES, settle

VIEWS = {"390": (390, 1), "320": (320, 1), "200%": (640, 2), "1280": (1280, 1)}
# Columns a manager needs on a phone, per page, by the table's name (its expander's label).
NEEDED = {
    "": ["col.kpi", "col.met", "col.actual", "col.target"],
    "phone-courtesy": ["col.date", "col.unit", "col.total", "col.passed"],
    "year-over-year": ["col.kpi", "col.change"],
}
_mark = requirements()
if _mark:
    pytestmark = _mark

MEASURE = """() => {
  const main = document.querySelector('[data-testid="stMain"]');
  const width = document.documentElement.clientWidth;
  const shown = el => el.getClientRects().length > 0;
  const tables = [...main.querySelectorAll('[data-testid="stTable"]')].filter(shown).map(el => {
    const r = el.getBoundingClientRect();
    const scrollers = [el, ...el.querySelectorAll('*')].filter(e => e.scrollWidth > e.clientWidth + 1 &&
      ['auto', 'scroll'].includes(getComputedStyle(e).overflowX));
    const headers = [...el.querySelectorAll('th')].map(th => th.textContent.trim());
    const cut = [...el.querySelectorAll('th, td')].filter(c => c.getBoundingClientRect().right > width + 1)
      .map(c => c.textContent.trim());
    return {left: r.left, right: r.right, scrolls: scrollers.length, headers, cut};
  });
  const grids = [...main.querySelectorAll('[data-testid="stDataFrame"]')].filter(shown).length;
  return {width, tables, grids,
          overflow: Math.max(document.scrollingElement.scrollWidth, main.scrollWidth) - width};
}"""


def measure(browser, url: str, width: int, scale: int) -> dict:
    context, page = page_at(browser, width, scale)
    try:
        page.goto(url)
        settle(page)
        summaries = page.locator('[data-testid="stMain"] [data-testid="stExpander"] details > summary')
        for i in range(summaries.count()):
            if not summaries.nth(i).evaluate("s => s.parentElement.open"):
                summaries.nth(i).click()
                settle(page)            # opening a table reruns the page to draw it
        page.wait_for_timeout(800)
        return page.evaluate(MEASURE)
    finally:
        context.close()


def whole(found: dict, slug: str, view: str, lang: str = "zh"):
    assert found["grids"] == 0, f"/{slug} at {view}: a data grid that scrolls sideways is shown"
    for table in found["tables"]:
        assert table["right"] <= found["width"] + 1 and table["scrolls"] == 0 and not table["cut"], (slug, view, table)
    assert found["overflow"] <= 0, f"/{slug} at {view} scrolls sideways by {found['overflow']} px"
    if slug in NEEDED:
        needed = {t(key, lang) for key in NEEDED[slug]}
        assert any(needed <= set(table["headers"]) for table in found["tables"]), \
            (slug, needed, [table["headers"] for table in found["tables"]])


@pytest.mark.parametrize("view", ["390", "320", "200%"])
@pytest.mark.parametrize("slug", PAGES)
def test_a_phone_sees_every_table_whole(app, browser, slug, view):
    base, _ = app
    whole(measure(browser, f"{base}/{slug}", *VIEWS[view]), slug, view)


@pytest.mark.parametrize("view", ["390", "320"])
@pytest.mark.parametrize("slug", list(NEEDED))
def test_a_phone_sees_the_key_tables_whole_in_english(app, browser, slug, view):
    """English words are longer: "100.0% or more" held on one line pushed the targets
    table 12 px past a 390 px screen."""
    base, _ = app
    whole(measure(browser, f"{base}/{slug}?lang=en", *VIEWS[view]), slug, view, "en")


@pytest.mark.parametrize("slug", ["", "phone-courtesy", "year-over-year"])
def test_a_wide_screen_keeps_the_full_grid(app, browser, slug):
    base, _ = app
    found = measure(browser, f"{base}/{slug}", *VIEWS["1280"])
    assert found["grids"] > 0 and found["tables"] == [], (slug, found["grids"], len(found["tables"]))
