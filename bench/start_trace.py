"""Where a cold start's time goes in the browser: for each app, two loads, the moment
(ms from navigation) each kind of element first appears, when each frontend module of
interest was fetched, and the main thread's long tasks (over 80 ms).

    python bench/start_trace.py [--script app.py] [--script bench/one_chart.py]

The database is prepared once with the sample, as bench/cold_start.py does. Read it
beside that benchmark's ratio: it says why, not how much.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import CHART, Server, chromium, load_sample  # noqa: E402

WATCH = """window.__lt = []; new PerformanceObserver(l => { for (const e of l.getEntries())
  window.__lt.push([Math.round(e.startTime), Math.round(e.duration)]); }).observe({type: 'longtask', buffered: true});
window.__m = {}; const sel = {radio: '[data-testid=stRadio]', metric: '[data-testid=stMetric]',
  chart: '[data-testid=stPlotlyChart] .main-svg', h1: '[data-testid=stMain] h1'};
new MutationObserver(() => { for (const k in sel) if (!window.__m[k] && document.querySelector(sel[k]))
  window.__m[k] = Math.round(performance.now()); }).observe(document, {subtree: true, childList: true});"""
MODULES = ("Html", "PlotlyChart", "Metric", "DataFrame", "Radio", "Checkbox", "Slider", "Multiselect")


def trace(browser, script: str, db: Path) -> dict:
    with Server(script, db) as server:
        server.wait_healthy()
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        try:
            page = context.new_page()
            page.add_init_script(WATCH)
            page.goto(server.base)
            page.wait_for_selector(CHART, state="visible", timeout=120_000)
            page.wait_for_timeout(200)
            seen = page.evaluate("() => window.__m")
            tasks = [t for t in page.evaluate("() => window.__lt") if t[1] > 80]
            fetched = page.evaluate("""() => Object.fromEntries(performance.getEntriesByType('resource')
                .filter(e => /\\.js/.test(e.name)).map(e => [e.name.split('/').pop().split('.')[0],
                [Math.round(e.startTime), Math.round(e.responseEnd)]]))""")
        finally:
            context.close()
    return {"appears": dict(sorted(seen.items(), key=lambda kv: kv[1])),
            "modules": {k: v for k, v in fetched.items() if k in MODULES}, "long_tasks": tasks}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--script", action="append", help="a script of this checkout (default: app.py and the one-chart app)")
    ap.add_argument("--loads", type=int, default=2)
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright
    scripts = args.script or ["app.py", "bench/one_chart.py"]
    with tempfile.TemporaryDirectory(prefix="bench_trace_") as tmp, sync_playwright() as p:
        db = Path(tmp) / "sample.duckdb"
        load_sample(db)
        browser = chromium(p)
        try:
            for _ in range(args.loads):
                for script in scripts:
                    print(script, trace(browser, script, db), flush=True)
        finally:
            browser.close()


if __name__ == "__main__":
    main()
