"""What every browser test module needs first: Chromium and Playwright, or a loud skip
— and under CI=true, where .ci/run installs them, a failure instead of a skip."""
import importlib
import os

import pytest

from scripts.browser import CHROMIUM


def requirements(*modules: str):
    """A ``pytestmark`` for a browser test module: None when Chromium and ``modules``
    are there; a skip that says what is missing otherwise (an error under CI=true)."""
    missing = [] if CHROMIUM else ["Debian's chromium (apt-get install chromium fonts-noto-cjk)"]
    for module in ("playwright.sync_api", *modules):
        try:
            importlib.import_module(module)
        except ImportError:
            missing.append(f"{module} (pip install -r requirements-dev.txt)")
    if not missing:
        return None
    if os.environ.get("CI") == "true":
        raise RuntimeError("CI=true but missing: " + "; ".join(missing))
    return pytest.mark.skip(reason="BROWSER TESTS SKIPPED, missing: " + "; ".join(missing))


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """`streamlit run app.py` on a new database (its first start loads the sample),
    for one test module: (base URL, database path)."""
    from scripts.browser import serve
    db = tmp_path_factory.mktemp("served") / "dash.duckdb"
    with serve(db) as base:
        yield base, db


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium through Playwright, for one test module."""
    from scripts.browser import chromium
    with chromium() as b:
        yield b


@pytest.fixture(scope="module")
def app(server, browser):
    """The module's server after one visit to "/" (``warm_up``): the sample loaded and
    the first session's "Page not found" out of the way: (base URL, database path)."""
    from scripts.browser import warm_up
    base, db = server
    warm_up(browser, base)
    return base, db


def page_at(browser, width: int, scale: int = 1):
    """A new context and page ``width`` CSS pixels wide at zoom ``scale`` (2 = 200 %):
    (context, page); the caller closes the context."""
    context = browser.new_context(viewport={"width": width, "height": 900 // scale}, device_scale_factor=scale)
    return context, context.new_page()
