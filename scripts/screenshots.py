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
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic"]
WIDTHS = {1440: 900, 390: 844}
# URL paths from app.py's PAGES; the first page is the default, served at "/".
SLUGS = re.findall(r'\("pages/[a-z_]+\.py", "page\.[a-z]+", "[^"]*", "([a-z-]+)"\)', (ROOT / "app.py").read_text(encoding="utf-8"))


def free_port() -> int:
    """A free port, from 8700–8799 when one is free there."""
    for port in [*range(8700, 8800), 0]:
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return s.getsockname()[1]
    raise OSError("no free port")


def start_server(db: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
                             "--server.address", "127.0.0.1", "--server.headless", "true"],
                            cwd=ROOT, env={**os.environ, "DASHBOARD_DB": str(db)},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if urllib.request.urlopen(f"{base}/_stcore/health", timeout=2).read() == b"ok":
                return proc, base
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise SystemExit("streamlit did not start")


def settle(page, timeout: float = 120) -> None:
    """Until the script has stopped and every chart is drawn, three times 0.5 s apart."""
    deadline = time.monotonic() + timeout
    calm = 0
    while calm < 3:
        if time.monotonic() > deadline:
            raise SystemExit(f"{page.url} did not finish running in {timeout} s")
        done = page.evaluate("""() => {
          const app = document.querySelector('[data-testid="stApp"]');
          if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
          if (document.querySelector('[data-testid="stSkeleton"]')) return false;
          return [...document.querySelectorAll('[data-testid="stPlotlyChart"]')].every(c => c.querySelector('.main-svg'))
              && document.querySelectorAll('[data-testid="stMain"] h1').length > 0;
        }""")
        calm = calm + 1 if done else 0
        page.wait_for_timeout(500)


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
    chromium = shutil.which("chromium")
    if chromium is None:
        raise SystemExit("no chromium on PATH (apt-get install chromium fonts-noto-cjk)")
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        proc, base = start_server(Path(tmp) / "dash.duckdb")
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=chromium, args=ARGS)
                first = browser.new_page()  # loads the sample, and avoids streamlit#8860 ("Page not found" over the first deep link)
                first.goto(base)
                settle(first)
                first.close()
                for i, slug in enumerate(SLUGS):
                    name = "overview" if i == 0 else slug
                    path = "" if i == 0 else slug
                    for width in WIDTHS:
                        target = args.out / f"{name}-{width}{'' if args.lang == 'zh' else '-en'}.png"
                        shoot(browser, f"{base}/{path}" + ("?lang=en" if args.lang == "en" else ""), width, target)
                        print(target.relative_to(ROOT) if target.is_relative_to(ROOT) else target, flush=True)
                browser.close()
        finally:
            proc.terminate()
            proc.wait(timeout=20)
    return 0


if __name__ == "__main__":
    sys.exit(main())
