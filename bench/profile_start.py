"""Where the cold start of the dashboard goes, beside the one-chart app (issue 14,
second row). Three views, each of the two apps on the same sample database:

    python bench/profile_start.py [--reps 3] [--root OLDER_CHECKOUT] [--steps-only] [--out bench/out]

1. imports in the real server: `streamlit run` with PYTHONPROFILEIMPORTTIME=1 until
   Chromium has drawn the first chart; the imports after /_stcore/health answered
   (those of the first session's script run, not the server's boot), each module's
   own time summed by top-level package. -X importtime slows imports a little: read shares, not seconds.
2. the first script run, step by step, outside Streamlit: a fresh process does what
   app.py and pages/overview.py do before the first chart — the imports, the
   first-start sample check, the sidebar's queries, the overview's queries up to its
   first chart, building that figure and serialising it as st.plotly_chart does — and
   notes each step's seconds (medians of --reps processes).
3. the browser's share: time from the first websocket message to the first chart
   cannot be split without the server, so the third view is cold_start.py's
   spawn → health → chart split, printed again here from one pair of runs.
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from profile_import import by_package  # noqa: E402
from harness import CHART, ENV, OUT, ROOT, Server, chromium, load_sample, machine, stop_on_sigterm  # noqa: E402

# ---------------------------------------------------------------- 1. imports in the server

def server_imports(browser, script: str, db: Path, log: Path) -> tuple[dict[str, float], float, float]:
    """Imports after the server answered health (each module's own time, by top-level
    package), and (spawn → health, spawn → chart)."""
    with open(log, "w") as err, Server(script, db, {"PYTHONPROFILEIMPORTTIME": "1"}, stderr=err) as server:
        healthy = server.wait_healthy()
        err.flush()
        boot_bytes = log.stat().st_size
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        page = context.new_page()
        page.goto(server.base)
        page.wait_for_selector(CHART, state="visible", timeout=120_000)
        drawn = time.perf_counter() - server.started
        context.close()
    text = log.read_bytes()[boot_bytes:].decode("utf-8", "replace")
    return dict(by_package(text)), healthy, drawn


# ---------------------------------------------------------------- 2. the first run, step by step

# What both step scripts begin with: step(name) notes the seconds since the last step.
STEP_TIMER = r'''
import json, sys, time
marks = []
last = time.perf_counter()
def step(name):
    global last
    now = time.perf_counter()
    marks.append((name, now - last))
    last = now
'''

STEPS_APP = STEP_TIMER + r'''
DB = sys.argv[1]
import streamlit
step("import streamlit (the server has it already)")
from ui import preload
step("app.py: from ui import preload (the page's first element, before the app's imports)")
from analytics import service
from analytics.i18n import t
step("app.py: from analytics import service (store: pyarrow, duckdb, numpy; the dataset specs)")
from ui import a11y, data, filters, logs
step("app.py: from ui import a11y, data, filters, logs (metrics: pandas; comparison, signals)")
kept = getattr(data, "kept_open", None)
hold = kept(DB) if kept else None
if hold:
    hold.__enter__()
step("ui/data.kept_open: the one DuckDB instance of the run" if hold else "(no connection kept open: older code)")
service.load_sample_if_new(DB)
step("app.py: first_start → load_sample_if_new (connect, schema check, ever_imported)")
from analytics import metrics, store
if hasattr(service, "data_state"):
    service.data_state(DB)
    step("data.refresh_version → service.data_state (version and sample flag, one connection)")
else:
    service.data_version(DB)
    step("data.refresh_version → service.data_version")
with service.opened(DB) as con:
    opts = metrics.options(con)
step("filters.sidebar: metrics.options")
if not hasattr(service, "data_state"):
    service.sample_shown(DB)
    step("app.py: data.sample_shown → service.sample_shown (older code: its own connection)")
from analytics import kpis as kpi_registry
from analytics import summaries
from ui import charts, figures, theme
step("overview.py: imports (ui.charts, figures, theme → plotly)")
years = opts["years"]
year = years[-1]
f = metrics.Filters((years[max(0, len(years) - 5)], year))
from analytics import comparison
view = comparison.View(f)
with service.opened(DB) as con:
    table = comparison.kpis(con, view)
step("overview.py: comparison.kpis (every KPI against the same months of the year before)")
with service.opened(DB) as con:
    comparison.years_in_view(con, view)
    dims = comparison.dimensions(con, view)
step("overview.py: comparison.years_in_view, comparison.dimensions")
from analytics import signals
with service.opened(DB) as con:
    signals.all_series(con, f)
step("overview.py: signals.all_series (the cards' process behaviour)")
fig = figures.bars([d.name for d in dims], [figures.Series(str(year), [d.pct.value for d in dims], theme.ACCENT,
                   text=[f"{d.pct.value:.1%}" for d in dims])], x_title="", percent=True, x_range=[0, 1.15])
step("overview.py: first figure (figures.bars + theme.style)")
import plotly.io
plotly.io.to_json(fig, validate=False, engine="json")
step("st.plotly_chart: figure → JSON")
if hold:
    hold.__exit__(None, None, None)
print(json.dumps(marks))
'''

STEPS_BASELINE = STEP_TIMER + r'''
import streamlit
step("import streamlit (the server has it already)")
import duckdb
import pandas as pd
step("one_chart.py: import duckdb, pandas")
import plotly.express as px
step("one_chart.py: import plotly.express")
frame = duckdb.sql("SELECT * FROM (VALUES ('a', 1), ('b', 3), ('c', 2)) AS t(x, y)").df()
step("one_chart.py: DuckDB query")
fig = px.bar(frame, x="x", y="y")
step("one_chart.py: px.bar")
import plotly.io
plotly.io.to_json(fig, validate=False, engine="json")
step("st.plotly_chart: figure → JSON")
print(json.dumps(marks))
'''


def one_process(code: str, db: Path, root: Path = ROOT) -> list[tuple[str, float]]:
    proc = subprocess.run([sys.executable, "-c", code, str(db)], cwd=root, env={**ENV, "PYTHONPATH": str(root)},
                          capture_output=True, text=True, check=True)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def steps(kinds: dict[str, tuple[str, Path]], db: Path, reps: int) -> dict[str, list[tuple[str, float, float]]]:
    """Each kind's steps, median and max over ``reps`` fresh processes; the kinds take
    turns (one untimed process of each first, to warm .pyc files and the page cache)."""
    runs = {label: [] for label in kinds}
    for label, (code, root) in kinds.items():
        one_process(code, db, root)
    for i in range(reps):
        for label in (list(kinds) if i % 2 == 0 else list(kinds)[::-1]):
            code, root = kinds[label]
            runs[label].append(one_process(code, db, root))
    return {label: [(name, statistics.median(r[j][1] for r in found), max(r[j][1] for r in found))
                    for j, (name, _) in enumerate(found[0])] for label, found in runs.items()}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--out", default=str(OUT))
    ap.add_argument("--root", action="append", default=[], metavar="DIR",
                    help="also step through the app of another checkout (an older version: what a change bought)")
    ap.add_argument("--steps-only", action="store_true", help="view 2 only, no server or browser")
    args = ap.parse_args()
    stop_on_sigterm()
    out = Path(args.out).resolve()   # children run in bench/: a relative folder would be another one there
    out.mkdir(parents=True, exist_ok=True)
    print(f"machine: {machine()}", flush=True)
    report = {"machine": machine()}
    from playwright.sync_api import sync_playwright
    with tempfile.TemporaryDirectory(prefix="bench_pstart_") as tmp:
        db = Path(tmp) / "sample.duckdb"
        load_sample(db)

        print("\n2. the first script run, step by step, outside Streamlit "
              f"(median of {args.reps} fresh processes; max)")
        kinds = {"app.py + overview": (STEPS_APP, ROOT)}
        for root in args.root:
            kinds[f"app.py + overview of {root}"] = (STEPS_APP, Path(root).resolve())
        kinds["one-chart app"] = (STEPS_BASELINE, ROOT)
        for label, found in steps(kinds, db, args.reps).items():
            report[f"steps: {label}"] = found
            total = sum(m for name, m, _ in found[1:])
            print(f"  {label}: {total:.3f} s after `import streamlit`")
            for name, m, hi in found:
                print(f"    {m:7.3f} s (max {hi:6.3f})  {name}")
        if args.steps_only:
            (out / "profile_start.json").write_text(json.dumps(report, indent=1, ensure_ascii=False))
            return

        print("\n1. imports in the real server during the first session (PYTHONPROFILEIMPORTTIME), by package")
        with sync_playwright() as p:
            browser = chromium(p)
            try:
                for script in ("app.py", "bench/one_chart.py"):   # warm .pyc and the browser once
                    server_imports(browser, script, db, out / "importtime_warm.log")
                for label, script in (("app.py", "app.py"), ("one-chart app", "bench/one_chart.py")):
                    by, healthy, drawn = server_imports(browser, script, db, out / f"importtime_{Path(script).stem}.log")
                    report[f"server imports: {label}"] = by
                    print(f"  {label}: spawn → health {healthy:.2f} s, → first chart {drawn:.2f} s (imports "
                          f"timed, so slower); imported during the session: {sum(by.values()):.3f} s")
                    for name, s in list(by.items())[:12]:
                        print(f"    {name:<22}{s:>8.3f}")
            finally:
                browser.close()
    (out / "profile_start.json").write_text(json.dumps(report, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
