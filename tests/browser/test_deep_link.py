"""A bookmarked link opened first thing after the server starts (streamlit/streamlit#8860):
the page asked for, with no "Page not found" dialog over it (ui/a11y.py closes the one
Streamlit shows in a server's first session). Each test starts its own server, so the
link is that server's first visit."""

from analytics.i18n import t
from browser_tier import browser, requirements  # noqa: F401 (fixture)
from scripts.browser import serve, settle

_mark = requirements()
if _mark:
    pytestmark = _mark

DIALOG = '[role="dialog"]'


def first_visit(browser, base: str, path: str):
    """Open ``path`` in a new tab; what it shows once drawn: (dialogs' text, the main h1)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.goto(f"{base}/{path}")
        settle(page)
        page.wait_for_timeout(1000)      # a dialog that came late would be up by now
        return page.locator(DIALOG).all_inner_texts(), page.locator('[data-testid="stMain"] h1').first.inner_text()
    finally:
        context.close()


def test_a_restarted_server_opens_a_deep_link_without_page_not_found(browser, tmp_path):
    db = tmp_path / "dash.duckdb"
    with serve(db) as base:                       # the very first start (the sample loads)
        dialogs, heading = first_visit(browser, base, "satisfaction-survey")
    assert dialogs == [], dialogs
    assert heading.startswith(t("page.satisfaction", "zh")), heading
    with serve(db) as base:                       # the same database, the server started again
        dialogs, heading = first_visit(browser, base, "phone-courtesy?lang=en")
    assert dialogs == [], dialogs
    assert heading.startswith(t("page.phone", "en")), heading


def test_an_address_that_is_no_page_still_says_so(browser, tmp_path):
    """The dialog is closed only for our own pages: a mistyped link is still told."""
    with serve(tmp_path / "dash.duckdb") as base:
        dialogs, _ = first_visit(browser, base, "no-such-page")
    assert any("Page not found" in d for d in dialogs), dialogs
