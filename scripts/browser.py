"""The app in a real browser, for the browser tests and the screenshot script: start
`streamlit run app.py` on a database of one's own, launch Debian's Chromium through
Playwright, and wait until a page has finished drawing."""
from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if os.path.exists("/usr/bin/chromium") else None)
# Chromium on a machine with no network beyond loopback: no background fetches.
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic"]
CHART = '[data-testid="stPlotlyChart"] .main-svg'
# (url path, title key) of every page in app.py's PAGES; the first is the default, at "/".
_REGISTERED = re.findall(r'\("pages/[a-z_]+\.py", "(page\.[a-z]+)", "[^"]*", "([a-z-]+)"\)',
                         (ROOT / "app.py").read_text(encoding="utf-8"))
PAGES = {("" if i == 0 else slug): key for i, (key, slug) in enumerate(_REGISTERED)}
PORTS = range(8700, 8800)     # kept for test servers on a shared build machine


def free_port() -> int:
    for port in [*PORTS, 0]:
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return s.getsockname()[1]
    raise OSError("no free port")


@contextmanager
def serve(db: Path, startup: float = 90):
    """`streamlit run app.py` on ``db``; yields its base URL, stops it afterwards."""
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
                             "--server.address", "127.0.0.1", "--server.headless", "true"],
                            cwd=ROOT, env={**os.environ, "DASHBOARD_DB": str(db)},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + startup
        while True:
            try:
                if urllib.request.urlopen(f"{base}/_stcore/health", timeout=2).read() == b"ok":
                    break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise RuntimeError("streamlit did not start") from None
                time.sleep(0.3)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


@contextmanager
def chromium():
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield browser
        finally:
            browser.close()


def warm_up(browser, base: str):
    """One visit to "/": the first run loads the sample, and the first session of a
    server that opens on another page gets a "Page not found" dialog over the right
    page (streamlit/streamlit#8860, #9992)."""
    page = browser.new_page()
    page.goto(base)
    settle(page)
    page.close()


def settle(page, timeout: float = 120):
    """Wait until the script has stopped, no skeleton is left and every chart is drawn,
    three times in a row half a second apart."""
    deadline = time.monotonic() + timeout
    calm = 0
    while calm < 3:
        if time.monotonic() > deadline:
            raise TimeoutError(f"{page.url} did not finish running in {timeout} s")
        done = page.evaluate("""() => {
          const app = document.querySelector('[data-testid="stApp"]');
          if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
          if (document.querySelector('[data-testid="stSkeleton"]')) return false;
          return [...document.querySelectorAll('[data-testid="stPlotlyChart"]')].every(c => c.querySelector('.main-svg'))
              && document.querySelectorAll('[data-testid="stMain"] h1').length > 0;
        }""")
        calm = calm + 1 if done else 0
        page.wait_for_timeout(500)
