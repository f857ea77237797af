"""Issue 22, third point: cold start of the dashboard to its first chart drawn in
Chromium ÷ the same for a bare one-chart Streamlit app, measured in pairs in one run
(goal ≤ 1.1; issue 14's was 1.2).

    python bench/cold_start.py [--reps 3] [--warmup 1] [--root OLDER_CHECKOUT …] [--out bench/out]

The database is prepared once with the sample (as the app's first start leaves it), so
this is a later start: no sample load, only the check that finds one. Each pair runs,
in alternating order,
  app:      streamlit run app.py           (DASHBOARD_DB = that database)
  baseline: streamlit run bench/one_chart.py  (imports streamlit, plotly, pandas, duckdb;
                                              one chart of a frame DuckDB made)
each timed from spawning the server to the first `[data-testid="stPlotlyChart"]
.main-svg` visible in a new browser context that opens the server's root as soon as
/_stcore/health answers. Also printed: spawn → health (the server booting, before any
script runs), so the rest (script, Plotly in the browser) can be compared on its own.

--root DIR (repeatable) adds the app.py of another checkout (an older version, e.g.
`git archive COMMIT | tar -x -C DIR`) to every round, in turns with the two above, and
prints its ratio to the one-chart app of the same rounds: what a change bought,
measured side by side.

Each checkout's modules are byte-compiled first (harness.precompile), as any earlier
start leaves them; --source leaves that out, so that every start compiles them from
source, as on a machine with PYTHONDONTWRITEBYTECODE=1 and no __pycache__ yet.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import (CHART, OUT, ROOT, Server, chromium, load_sample, machine, precompile, print_ratio,  # noqa: E402
                     ratio_summary, spread, stop_on_sigterm)

SCRIPTS = {"app": ("app.py", ROOT), "baseline": ("bench/one_chart.py", ROOT)}


def time_to_chart(browser, script: str, db: Path, root: Path = ROOT) -> tuple[float, float]:
    """(spawn → health, spawn → first chart drawn) in seconds."""
    with Server(script, db, root=root) as server:
        healthy = server.wait_healthy()
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        try:
            page = context.new_page()
            page.goto(server.base)
            page.wait_for_selector(CHART, state="visible", timeout=120_000)
            drawn = time.perf_counter() - server.started
        finally:
            context.close()
    return healthy, drawn


def measure(db: Path, reps: int, warmup: int, roots: list[str] = ()) -> dict:
    from playwright.sync_api import sync_playwright
    scripts = {**SCRIPTS, **{f"app of {root}": ("app.py", Path(root).resolve()) for root in roots}}
    runs = {name: {"health_s": [], "chart_s": []} for name in scripts}
    with sync_playwright() as p:
        browser = chromium(p)
        try:
            for _ in range(warmup):
                for script, root in scripts.values():
                    time_to_chart(browser, script, db, root)
            for i in range(reps):
                order = ("app", "baseline", *list(scripts)[2:])
                order = order if i % 2 == 0 else order[::-1]
                for name in order:
                    script, root = scripts[name]
                    healthy, drawn = time_to_chart(browser, script, db, root)
                    runs[name]["health_s"].append(healthy)
                    runs[name]["chart_s"].append(drawn)
                a, b = runs["app"]["chart_s"][-1], runs["baseline"]["chart_s"][-1]
                print(f"pair {i + 1}/{reps} ({order[0]} first): app {a:.3f} s (health {runs['app']['health_s'][-1]:.3f}), "
                      f"one-chart {b:.3f} s (health {runs['baseline']['health_s'][-1]:.3f}), ratio {a / b:.3f}",
                      flush=True)
        finally:
            browser.close()
    after = {name: [c - h for c, h in zip(r["chart_s"], r["health_s"])] for name, r in runs.items()}
    return {"reps": reps, "runs": runs, "health_to_chart_s": after,
            "ratio": ratio_summary(runs["app"]["chart_s"], runs["baseline"]["chart_s"]),
            "ratio_after_health": ratio_summary(after["app"], after["baseline"]),
            "other_checkouts": {name: ratio_summary(r["chart_s"], runs["baseline"]["chart_s"])
                                for name, r in runs.items() if name not in SCRIPTS}}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--reps", type=int, default=3, help="pairs of runs (default 3)")
    ap.add_argument("--warmup", type=int, default=1, help="untimed pairs first (default 1)")
    ap.add_argument("--out", default=str(OUT))
    ap.add_argument("--root", action="append", default=[], metavar="DIR",
                    help="also time the app.py of another checkout, in the same rounds")
    ap.add_argument("--source", action="store_true",
                    help="no byte-compiling first: every start compiles the app's modules from source")
    args = ap.parse_args()
    stop_on_sigterm()
    out = Path(args.out).resolve()   # children run in bench/: a relative folder would be another one there
    out.mkdir(parents=True, exist_ok=True)
    print(f"machine: {machine()}", flush=True)
    if not args.source:
        for root in (ROOT, *args.root):
            precompile(Path(root))
    print("modules: " + ("compiled from source at every start (--source)" if args.source else
                         "byte-compiled first, as an earlier start leaves them"), flush=True)
    with tempfile.TemporaryDirectory(prefix="bench_start_") as tmp:
        db = Path(tmp) / "sample.duckdb"
        load_sample(db)
        r = measure(db, args.reps, args.warmup, args.root)
    for name, label in (("app", "app.py"), ("baseline", "one-chart app")):
        print(f"{label:<14} spawn → chart {spread(r['runs'][name]['chart_s'])}")
        print(f"{'':<14} spawn → health {spread(r['runs'][name]['health_s'])}; "
              f"health → chart median {statistics.median(r['health_to_chart_s'][name]):.3f} s")
    print_ratio("cold start to first chart, app ÷ one-chart app", r["ratio"], " (goal ≤ 1.1, issue 22)")
    print_ratio("the same from health (server booted) to first chart", r["ratio_after_health"])
    for name, ratio in r["other_checkouts"].items():
        print(f"{name:<14} spawn → chart {spread(r['runs'][name]['chart_s'])}")
        print_ratio(f"cold start to first chart, {name} ÷ one-chart app (same rounds)", ratio)
    load = os.getloadavg()
    print(f"load average after: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}", flush=True)
    r["load_after"] = load
    (out / "cold_start.json").write_text(json.dumps(r, indent=1))
    return r


if __name__ == "__main__":
    main()
