"""Full-page screenshots of every page at 1440 px and 390 px, in Traditional Chinese,
into docs/screenshots/<page>-<width>.png.

    python scripts/screenshots.py [--out DIR] [--lang zh|en]

Starts its own `streamlit run app.py` on a new database in a temporary folder (the
first start loads the bundled sample) and drives Debian's Chromium with Playwright.

Streamlit scrolls its main column inside the window rather than the document, so a
"full page" screenshot of the window would stop at the first screen: the window is
made as tall as the page's content first, then photographed."""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scripts.browser import CHROMIUM, PAGES, ROOT, chromium, serve, settle, warm_up  # noqa: E402

WIDTHS = {1440: 900, 390: 844}


def shoot(browser, url: str, width: int, path: Path) -> None:
    context = browser.new_context(viewport={"width": width, "height": WIDTHS[width]}, device_scale_factor=1)
    page = context.new_page()
    try:
        page.goto(url)
        settle(page)
        height = page.evaluate("""() => Math.max(
            document.querySelector('[data-testid="stMain"]').scrollHeight,
            document.querySelector('[data-testid="stSidebarContent"]')?.getBoundingClientRect().width > 0
              ? document.querySelector('[data-testid="stSidebarContent"]').scrollHeight : 0)""")
        page.set_viewport_size({"width": width, "height": max(WIDTHS[width], height)})
        settle(page)
        page.screenshot(path=str(path), full_page=True)
    finally:
        context.close()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--lang", choices=("zh", "en"), default="zh")
    args = parser.parse_args(argv)
    if CHROMIUM is None:
        raise SystemExit("no chromium on PATH (apt-get install chromium fonts-noto-cjk)")
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp, serve(Path(tmp) / "dash.duckdb") as base, chromium() as browser:
        warm_up(browser, base)
        for i, slug in enumerate(PAGES):
            name = "overview" if i == 0 else slug
            for width in WIDTHS:
                target = args.out / f"{name}-{width}{'' if args.lang == 'zh' else '-en'}.png"
                shoot(browser, f"{base}/{slug}" + ("?lang=en" if args.lang == "en" else ""), width, target)
                print(target.relative_to(ROOT) if target.is_relative_to(ROOT) else target, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
