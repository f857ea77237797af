"""The app in a real browser, for the browser tests and the screenshot script: start
`streamlit run app.py` on a database of one's own, launch Debian's Chromium through
Playwright, and wait until a page has finished drawing."""
from __future__ import annotations

import ctypes
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from ui import registry

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if os.path.exists("/usr/bin/chromium") else None)
# Chromium on a machine with no network beyond loopback: no background fetches.
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic"]
CHART = '[data-testid="stPlotlyChart"] .main-svg'
# URL path → title key of every registered page; the first is the default, at "/".
PAGES = {url: page.title for url, page in registry.by_url().items()}
PORTS = range(8700, 8800)     # kept for test servers on a shared build machine


def free_port(ports: range = PORTS) -> int:
    """A free port of ``ports``, tried in random order (two suites starting servers at
    once rarely collide); any free port when none of them is."""
    candidates = list(ports)
    random.shuffle(candidates)
    for port in [*candidates, 0]:
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return s.getsockname()[1]
    raise OSError("no free port")


def _die_with_parent():
    """In a server's child process: SIGTERM when whoever started it dies, however it dies."""
    ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)   # PR_SET_PDEATHSIG


class Server:
    """`streamlit run SCRIPT` with DASHBOARD_DB=db — the one launcher of the tests, the
    scripts and the benchmarks. Stopped on leaving the block, and sent SIGTERM by the
    kernel should the process that started it die first."""

    def __init__(self, script: str, db: Path, extra_env: dict | None = None, stderr=subprocess.DEVNULL,
                 root: Path = ROOT, ports: range = PORTS):
        self.port = free_port(ports)
        self.base = f"http://127.0.0.1:{self.port}"
        self.started = time.perf_counter()
        env = {**os.environ, "PYTHONPATH": str(root), "DASHBOARD_DB": str(db), **(extra_env or {})}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", script, "--server.port", str(self.port),
             "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false"],
            cwd=root, env=env, stdout=subprocess.DEVNULL, stderr=stderr, preexec_fn=_die_with_parent)

    def wait_healthy(self, timeout: float = 120) -> float:
        """Seconds from spawn until /_stcore/health answers."""
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"streamlit exited with {self.proc.returncode}")
            try:
                if urllib.request.urlopen(f"{self.base}/_stcore/health", timeout=1).read() == b"ok":
                    return time.perf_counter() - self.started
            except OSError:
                time.sleep(0.01)
        raise RuntimeError("streamlit did not start")

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


@contextmanager
def serve(db: Path, startup: float = 90, extra_env: dict | None = None):
    """`streamlit run app.py` on ``db``; yields its base URL, stops it afterwards."""
    with Server("app.py", db, extra_env) as server:
        server.wait_healthy(startup)
        yield server.base


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
