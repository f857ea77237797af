"""The benchmark suite: one command, medians of repetitions, ratios against baselines
measured in the same run.

    python bench/run.py [--reps 3] [--skip-1m] [--skip-browser] [--out bench/out]

1. import: rows/s of `python -m analytics import` (a fresh process, as administrators
   run it) at 100k and 1M survey rows (.xlsx) and 1M case rows (.csv), against
   pandas+calamine merely reading the same file and against pandas+openpyxl.
2. pages: every page under AppTest on the sample, on sample + 100k survey responses,
   and on sample + 1M survey responses + 1M case rows; first run (empty cache) and
   rerun, medians.
3. memory: peak RSS of the app process while a browser renders every page at 1M rows,
   and of the 1M-row import.
4. start: `streamlit run` to the overview's first chart in Chromium, first start (the
   sample load) and a later start, against a one-chart page in the same run.

Issue 14's figures, each by its own script (run here as parts of the suite, or alone):
5. ratio: bench/import_ratio.py — the CLI import as a process ÷ a process that only
   reads the workbook with pandas+calamine, alternating pairs.
6. cold: bench/cold_start.py — later start to first chart ÷ the one-chart app, in
   Chromium, alternating pairs.
7. switch: bench/page_switch.py — sidebar click → charts drawn per page, 1M ÷ sample.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import make_data  # noqa: E402
from harness import ENV, Server, chromium, keep_sample_rows  # noqa: E402

from ui.registry import PAGES as REGISTERED  # noqa: E402

PAGES = [p.path for p in REGISTERED]
SLUGS = [p.url for p in REGISTERED if p.path != "pages/report.py"]


def median_time(fn, reps: int) -> float:
    times = []
    for _ in range(reps):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def run_cli(*args) -> tuple[float, int]:
    """Wall time and peak RSS (kB) of one `python -m analytics` process, the parsing
    child it forks included (RUSAGE_CHILDREN). The process's own peak is its VmHWM:
    ru_maxrss after fork+exec starts from the forking parent's RSS (here, this
    benchmark's, after pandas read a million rows), which would be no measurement."""
    started = time.perf_counter()
    # analytics.cli.main, not `-m analytics`: that leaves with os._exit, before this
    # could read the peak (the time then includes the teardown `-m analytics` skips).
    proc = subprocess.run([sys.executable, "-c", "import resource, sys; sys.argv = ['analytics'] + sys.argv[1:];"
                           "from analytics.cli import main\ncode = main()\n"
                           "hwm = int(next(l.split()[1] for l in open('/proc/self/status') if l.startswith('VmHWM')))\n"
                           "print('PEAK', max(hwm, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss), file=sys.stderr)\n"
                           "sys.exit(code)", *args], env=ENV, cwd=ROOT, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if proc.returncode != 0:
        raise RuntimeError(proc.stderr[-2000:])
    peak = int(next(line.split()[1] for line in proc.stderr.splitlines() if line.startswith("PEAK")))
    return elapsed, peak


def bench_import(files: dict, reps: int, out: Path, big: bool) -> list[dict]:
    import pandas as pd
    rows = []
    cases = [("survey_100000.xlsx", 100_000, 1)]
    if big:
        cases += [("survey_1000000.xlsx", 1_000_000, 2), ("cases_1000000.csv", 998_400, 1)]
    for name, n, header in cases:
        path = files[name]
        read = (lambda: pd.read_csv(path, header=header, dtype=str)) if name.endswith(".csv") else \
            (lambda: pd.read_excel(path, engine="calamine", header=header))
        base = median_time(read, reps)
        reader_code = (f"import pandas as pd; pd.read_csv({str(path)!r}, header={header}, dtype=str)"
                       if name.endswith(".csv") else
                       f"import pandas as pd; pd.read_excel({str(path)!r}, engine='calamine', header={header})")
        base_process = median_time(lambda: subprocess.run([sys.executable, "-c", reader_code], check=True), reps)
        openpyxl_reps = reps if n <= 100_000 else 1
        slow = None if name.endswith(".csv") else median_time(
            lambda: pd.read_excel(path, engine="openpyxl", header=header), openpyxl_reps)
        times, peaks = [], []
        for i in range(reps):
            db = out / f"import_{i}.duckdb"
            db.unlink(missing_ok=True)
            elapsed, peak = run_cli("import", str(path), "--db", str(db))
            times.append(elapsed)
            peaks.append(peak)
            db.unlink(missing_ok=True)
        ours = statistics.median(times)
        baseline = "pandas.read_csv" if name.endswith(".csv") else "pandas+calamine read"
        rows.append({"file": name, "rows": n, "import_s": ours, "rows_per_s": n / ours, "baseline": baseline,
                     "baseline_s": base, "ratio": ours / base, "baseline_process_s": base_process,
                     "ratio_process": ours / base_process, "openpyxl_s": slow,
                     "x_faster_than_openpyxl": (slow / ours) if slow else None,
                     "openpyxl_reps": openpyxl_reps if slow else 0, "peak_rss_mb": max(peaks) / 1024})
    return rows


def build_db(path: Path, files: list[Path]):
    path.unlink(missing_ok=True)
    from analytics import service
    service.load_sample_if_new(path)
    for f in files:
        run_cli("import", str(f), "--db", str(path))
    if files:
        keep_sample_rows(path)   # the first real import withdrew the sample


def bench_pages(dbs: dict[str, Path], reps: int) -> list[dict]:
    import logging

    import streamlit as st
    from streamlit.testing.v1 import AppTest
    logging.getLogger("streamlit").setLevel(logging.ERROR)
    rows = []
    for label, db in dbs.items():
        os.environ["DASHBOARD_DB"] = str(db)
        for page in PAGES:
            first, again = [], []
            for _ in range(reps):
                at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
                at.session_state["_years_span"] = (2019, 2023)   # years that every database fills
                at.run()
                st.cache_data.clear()   # the page's first run starts from an empty cache
                started = time.perf_counter()
                at.switch_page(page).run()
                first.append(time.perf_counter() - started)
                assert not at.exception, [e.value for e in at.exception]
                started = time.perf_counter()
                at.run()
                again.append(time.perf_counter() - started)
            rows.append({"data": label, "page": page, "first_s": statistics.median(first),
                         "rerun_s": statistics.median(again)})
    return rows


def peak_rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def bench_browser(big_db: Path | None, out: Path, reps: int) -> dict:
    from playwright.sync_api import sync_playwright
    result = {"start": [], "memory": None}
    with sync_playwright() as p:
        browser = chromium(p)

        def time_to_chart(script: str, db: Path) -> float:
            with Server(script, db) as server:
                server.wait_healthy()
                page = browser.new_page()
                page.goto(server.base)
                page.wait_for_selector('[data-testid="stPlotlyChart"] .main-svg', timeout=300_000)
                elapsed = time.perf_counter() - server.started
                page.close()
                return elapsed

        fresh = out / "start.duckdb"
        firsts, laters, baselines = [], [], []
        for _ in range(reps):
            fresh.unlink(missing_ok=True)
            firsts.append(time_to_chart("app.py", fresh))
            laters.append(time_to_chart("app.py", fresh))
            baselines.append(time_to_chart("bench/one_chart.py", fresh))
        result["start"] = {"first_start_s": statistics.median(firsts), "later_start_s": statistics.median(laters),
                           "one_chart_s": statistics.median(baselines)}

        if big_db is not None:
            with Server("app.py", big_db) as server:
                server.wait_healthy()
                page = browser.new_page(viewport={"width": 1400, "height": 1000})
                for slug in SLUGS:
                    page.goto(f"{server.base}/{slug}")
                    selector = '[data-testid="stFileUploader"]' if slug == "data-import" else \
                        '[data-testid="stPlotlyChart"] .main-svg'
                    page.wait_for_selector(selector, timeout=300_000)
                    page.wait_for_timeout(500)
                result["memory"] = {"app_peak_rss_mb": peak_rss_kb(server.proc.pid) / 1024}
        browser.close()
    return result


def versions() -> dict:
    import duckdb, fastexcel, pandas, plotly, pyarrow, streamlit  # noqa: E401
    return {"python": platform.python_version(), "streamlit": streamlit.__version__, "pandas": pandas.__version__,
            "duckdb": duckdb.__version__, "pyarrow": pyarrow.__version__, "fastexcel": fastexcel.__version__,
            "plotly": plotly.__version__}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--skip-1m", action="store_true")
    ap.add_argument("--skip-browser", action="store_true")
    ap.add_argument("--out", default=str(ROOT / "bench" / "out"))
    ap.add_argument("--only", default="import,pages,browser,ratio,cold,switch", help="comma-separated parts to run")
    args = ap.parse_args()
    parts = set(args.only.split(","))
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    big = not args.skip_1m
    files = make_data.make(out, (100_000, 1_000_000) if big else (100_000,), cases=big)
    report = {"machine": {"cpus": os.cpu_count(), "platform": platform.platform()}, "versions": versions(),
              "date": time.strftime("%Y-%m-%d %H:%M")}

    if "import" in parts:
        print("== import", flush=True)
        report["import"] = bench_import(files, args.reps, out, big)
    for r in report.get("import", []):
        slower = f"openpyxl {r['openpyxl_s']:.2f} s → ours {r['x_faster_than_openpyxl']:.1f}× faster" \
            if r["openpyxl_s"] else "openpyxl: n/a for csv"
        print(f"{r['file']:<22} import {r['import_s']:6.2f} s ({r['rows_per_s']:>9,.0f} rows/s)  "
              f"{r['baseline']}: in-process {r['baseline_s']:.2f} s (ratio {r['ratio']:.2f}), "
              f"as a process {r['baseline_process_s']:.2f} s (ratio {r['ratio_process']:.2f})  {slower}  "
              f"peak {r['peak_rss_mb']:.0f} MB", flush=True)

    dbs = {"sample": out / "pages_sample.duckdb", "100k": out / "pages_100k.duckdb"}
    if big:
        dbs["1M"] = out / "pages_1m.duckdb"
    if parts & {"pages", "browser"}:
        build_db(dbs["sample"], [])
        build_db(dbs["100k"], [files["survey_100000.xlsx"]])
        if big:
            build_db(dbs["1M"], [files["survey_1000000.xlsx"], files["cases_1000000.csv"]])
    if "pages" in parts:
        print("== pages", flush=True)
        report["pages"] = bench_pages(dbs, args.reps)
    by = {(r["data"], r["page"]): r for r in report.get("pages", [])}
    for page in PAGES if by else []:
        cells = [f"{label} {by[(label, page)]['first_s']:.2f}/{by[(label, page)]['rerun_s']:.2f} s" for label in dbs]
        ratio = by[(list(dbs)[-1], page)]["first_s"] / by[("sample", page)]["first_s"]
        print(f"{page:<24} " + "  ".join(cells) + f"  largest ÷ sample (first run) {ratio:.2f}", flush=True)

    if not args.skip_browser and "browser" in parts:
        print("== browser: start and memory", flush=True)
        report["browser"] = bench_browser(dbs.get("1M"), out, args.reps)
        s = report["browser"]["start"]
        print(f"first start {s['first_start_s']:.2f} s, later start {s['later_start_s']:.2f} s, "
              f"one-chart page {s['one_chart_s']:.2f} s (ratio later ÷ one-chart {s['later_start_s'] / s['one_chart_s']:.2f})")
        if report["browser"]["memory"]:
            print(f"app peak RSS rendering every page at 1M rows: {report['browser']['memory']['app_peak_rss_mb']:.0f} MB")
    scripts = {"ratio": ["bench/import_ratio.py", "--reps", str(max(args.reps, 5))],
               "cold": ["bench/cold_start.py", "--reps", str(args.reps)],
               "switch": ["bench/page_switch.py", "--reps", str(args.reps)] + (["--skip-1m"] if not big else [])}
    for part, argv in scripts.items():
        if part in parts and not (args.skip_browser and part in ("cold", "switch")):
            print(f"== {part}: python {' '.join(argv)}", flush=True)
            subprocess.run([sys.executable, *argv, "--out", str(out)], cwd=ROOT, check=True)
    (out / f"results_{'_'.join(sorted(parts))}.json").write_text(json.dumps(report, ensure_ascii=False, indent=1, default=str))
    print("== done")


if __name__ == "__main__":
    main()
