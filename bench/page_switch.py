"""Issue 14, third point: in Chromium, from a click on a page in the sidebar to that
page's charts drawn, at sample size and at sample + 1M survey responses + 1M case rows,
and the ratio 1M ÷ sample per page (goal ≤ 1.3 on every page).

    python bench/page_switch.py [--reps 3] [--years 2019-2023] [--rebuild] [--skip-1m] [--out bench/out]

Databases: the sample alone, and the sample with make_data's survey_1000000.xlsx and
cases_1000000.csv imported through `python -m analytics import` (kept in --out between
runs; --rebuild makes them again).

Each run starts a fresh `streamlit run app.py` per database (so the query cache is
empty), both at once, and opens each one's overview with the year filter in its link
(`/?years=2019-2023`, the years bench/run.py's AppTest pins: every database fills
them, so both show the same years and only the rows differ). It then clicks through
the sidebar in its order — 案件量 … 資料匯入, then back to 總覽 — twice: the first
round is each page's first visit (its queries run; the overview's ran when it
opened), the second the same clicks with the cache filled. Each click is made on
both databases' tabs in turn before moving on, the order alternating from click to
click, so the two halves of a ratio are measured seconds apart on a busy machine.

A switch is timed in the page itself, from the click event to the first moment at
which all of these hold: the address is the page's, the app's script state is
`notRunning`, no element is marked stale, none of the previous page's chart elements
is still in the document, and the page's charts (`[data-testid="stPlotlyChart"]`
inside stMain with a `.main-svg`) number what a calibration visit counted for that
page and database. A calibration pass per database (its own server, untimed) counts
them first; a page without charts (年度報告, 資料匯入) is done when its run ends and
its title is shown.
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import CHART, OUT, Server, build_db, chromium, machine, make_inputs, stop_on_sigterm  # noqa: E402

# (URL path, short name) in the sidebar's order (app.py PAGES); the overview is "/".
PAGES = [("", "overview"), ("case-volumes", "cases"), ("satisfaction-survey", "satisfaction"),
         ("phone-courtesy", "phone"), ("dimension-scores", "dimensions"), ("year-over-year", "compare"),
         ("annual-report", "report"), ("data-import", "import")]
TOUR = PAGES[1:] + PAGES[:1]     # from the overview, every page once, ending on the overview

# Installed just before a click: notes the click, then watches the document until the
# new page is complete, and notes that moment (both in the page's own clock).
WATCH = """([path, expected]) => {
  const app = document.querySelector('[data-testid="stApp"]');
  const old = [...document.querySelectorAll('[data-testid="stPlotlyChart"]')];
  window.__clickAt = undefined; window.__doneAt = undefined;
  document.addEventListener('click', () => { window.__clickAt = performance.now(); }, {capture: true, once: true});
  const complete = () => {
    if (window.__clickAt === undefined || location.pathname !== path) return false;
    if (app.getAttribute('data-test-script-state') !== 'notRunning') return false;
    if (document.querySelector('[data-stale="true"]')) return false;
    if (old.some(el => el.isConnected)) return false;
    const main = document.querySelector('[data-testid="stMain"]');
    if (!main || !main.querySelector('h1')) return false;
    const charts = [...main.querySelectorAll('[data-testid="stPlotlyChart"]')];
    return charts.filter(c => c.querySelector('.main-svg')).length >= expected;
  };
  const observer = new MutationObserver(() => {
    if (complete()) { window.__doneAt = performance.now(); observer.disconnect(); }
  });
  observer.observe(document.body, {subtree: true, childList: true, attributes: true, characterData: true});
}"""

SETTLED = """(path) => location.pathname === path
  && document.querySelector('[data-testid="stApp"]').getAttribute('data-test-script-state') === 'notRunning'
  && !document.querySelector('[data-stale="true"]')"""

COUNT = """() => [...document.querySelectorAll('[data-testid="stMain"] [data-testid="stPlotlyChart"]')]
  .filter(c => c.querySelector('.main-svg')).length"""


def link(page, base: str, slug: str):
    return page.locator(f'[data-testid="stSidebarNav"] a[href="{base}/{slug}"]')


def open_overview(browser, server: Server, years: str, expected: int | None = None):
    """A new browser context on the server's root, once the overview has drawn its charts;
    returns (context, page, seconds from navigation to that moment)."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    started = time.perf_counter()
    page.goto(f"{server.base}/?years={years}" if years else server.base)
    page.wait_for_selector(CHART, timeout=300_000)
    page.wait_for_function(SETTLED, arg="/", timeout=300_000)
    if expected:
        page.wait_for_function(f"() => ({COUNT})() >= {expected}", timeout=300_000)
    return context, page, time.perf_counter() - started


def switch(page, base: str, slug: str, expected: int) -> float:
    """Seconds from the click on the sidebar link to the page complete (see WATCH)."""
    page.evaluate(WATCH, [f"/{slug}", expected])
    link(page, base, slug).click()
    page.wait_for_function("() => window.__doneAt !== undefined", timeout=300_000)
    clicked, done = page.evaluate("[window.__clickAt, window.__doneAt]")
    return (done - clicked) / 1000


def calibrate(browser, db: Path, years: str) -> dict[str, int]:
    """How many charts each page draws on this database: every page visited by a click,
    counted once its run has ended and nothing has changed for 1.5 s."""
    counts = {}
    with Server("app.py", db) as server:
        server.wait_healthy()
        context, page, _ = open_overview(browser, server, years)
        try:
            for slug, name in TOUR:
                link(page, server.base, slug).click()
                page.wait_for_function(SETTLED, arg=f"/{slug}", timeout=300_000)
                last, stable_since = None, time.perf_counter()
                while time.perf_counter() - stable_since < 1.5:
                    now = page.evaluate(COUNT)
                    if now != last:
                        last, stable_since = now, time.perf_counter()
                    page.wait_for_timeout(100)
                containers = page.evaluate(
                    "() => document.querySelectorAll('[data-testid=\"stMain\"] [data-testid=\"stPlotlyChart\"]').length")
                if containers != last:
                    print(f"  note: {name} has {containers} chart elements, {last} drawn", flush=True)
                counts[name] = last
        finally:
            context.close()
    return counts


def one_run(browser, dbs: dict[str, Path], counts: dict[str, dict[str, int]], years: str, first: int,
            rounds: int = 2) -> dict[str, dict]:
    """A fresh server per database, each with its overview open; then the tour
    `rounds` times, each click made on every database in turn before the next page,
    the order alternating from one click to the next, so that the two measurements
    of a pair are seconds apart whatever else the machine is doing."""
    labels = list(dbs)
    servers = {label: Server("app.py", db) for label, db in dbs.items()}
    opened = {}
    try:
        for server in servers.values():
            server.wait_healthy()
        result = {label: {} for label in labels}
        for label in (labels if first % 2 == 0 else labels[::-1]):
            context, page, seconds = open_overview(browser, servers[label], years, counts[label]["overview"])
            opened[label] = (context, page)
            result[label]["open_overview_s"] = seconds
        step = first
        for r in range(rounds):
            for slug, name in TOUR:
                for label in (labels if step % 2 == 0 else labels[::-1]):
                    seconds = switch(opened[label][1], servers[label].base, slug, counts[label][name])
                    result[label].setdefault(f"round{r + 1}", {})[name] = seconds
                step += 1
    finally:
        for context, _ in opened.values():
            context.close()
        for server in servers.values():
            server.stop()
    return result


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--reps", type=int, default=3, help="runs (a fresh server per database each; default 3)")
    ap.add_argument("--years", default="2019-2023", help="the year filter in the overview's link ('' for the default)")
    ap.add_argument("--rebuild", action="store_true", help="build the databases again")
    ap.add_argument("--skip-1m", action="store_true", help="the sample only (a check that the script works)")
    ap.add_argument("--out", default=str(OUT))
    args = ap.parse_args()
    stop_on_sigterm()
    out = Path(args.out).resolve()   # children run in bench/: a relative folder would be another one there
    out.mkdir(parents=True, exist_ok=True)
    print(f"machine: {machine()}", flush=True)
    dbs = {"sample": build_db(out / "switch_sample.duckdb", [], args.rebuild)}
    if not args.skip_1m:
        files = make_inputs((1_000_000,), cases=True, out=out)
        started = time.perf_counter()
        dbs["1M"] = build_db(out / "switch_1m.duckdb", [files["survey_1000000.xlsx"], files["cases_1000000.csv"]],
                             args.rebuild)
        print(f"databases ready ({time.perf_counter() - started:.0f} s)", flush=True)

    from playwright.sync_api import sync_playwright
    report = {"machine": machine(), "reps": args.reps, "years": args.years, "counts": {},
              "runs": {label: [] for label in dbs}}
    with sync_playwright() as p:
        browser = chromium(p)
        try:
            for label, db in dbs.items():
                report["counts"][label] = calibrate(browser, db, args.years)
                print(f"charts per page, {label}: {report['counts'][label]}", flush=True)
            for i in range(args.reps):
                runs = one_run(browser, dbs, report["counts"], args.years, i)
                for label, run in runs.items():
                    report["runs"][label].append(run)
                    print(f"run {i + 1}/{args.reps} {label:<6} open {run['open_overview_s']:.2f} s | first visits "
                          + " ".join(f"{n} {s:.2f}" for n, s in run["round1"].items()) + " | again "
                          + " ".join(f"{n} {s:.2f}" for n, s in run["round2"].items()), flush=True)
        finally:
            browser.close()

    def med(label, rnd, name):
        return statistics.median(r[rnd][name] for r in report["runs"][label])

    def span(label, rnd, name):
        values = [r[rnd][name] for r in report["runs"][label]]
        return f"{min(values):.2f}–{max(values):.2f}"

    report["medians"] = {label: {rnd: {name: med(label, rnd, name) for _, name in TOUR} for rnd in ("round1", "round2")}
                         for label in dbs}
    print(f"\nclick → charts drawn, seconds, median of {args.reps} (min–max); first visit / again")
    head = f"{'page':<13}" + "".join(f"{label + ' first':>22}{label + ' again':>22}" for label in dbs)
    print(head + ("   1M ÷ sample (ratio of medians) first   again" if "1M" in dbs else ""))
    for _, name in PAGES:
        cells = "".join(f"{med(label, 'round1', name):>9.2f} ({span(label, 'round1', name):>10})"
                        f"{med(label, 'round2', name):>9.2f} ({span(label, 'round2', name):>10})" for label in dbs)
        tail = ""
        if "1M" in dbs:
            first = med("1M", "round1", name) / med("sample", "round1", name)
            again = med("1M", "round2", name) / med("sample", "round2", name)
            # run i of each database ran next to each other: their ratios, paired
            pairs = {rnd: sorted(a[rnd][name] / b[rnd][name] for a, b in zip(report["runs"]["1M"],
                                                                           report["runs"]["sample"]))
                     for rnd in ("round1", "round2")}
            report.setdefault("pair_ratios", {})[name] = pairs
            tail = (f"   {first:>36.2f} {again:>7.2f}   pairs: first {statistics.median(pairs['round1']):.2f} "
                    f"({pairs['round1'][0]:.2f}–{pairs['round1'][-1]:.2f}), again "
                    f"{statistics.median(pairs['round2']):.2f} ({pairs['round2'][0]:.2f}–{pairs['round2'][-1]:.2f})")
        print(f"{name:<13}{cells}{tail}")
    for label in dbs:
        print(f"open the overview on a fresh server, {label}: median "
              f"{statistics.median(r['open_overview_s'] for r in report['runs'][label]):.2f} s")
    if "1M" in dbs:
        for rnd, what in (("round1", "first visit"), ("round2", "again")):
            pairs = {name: statistics.median(r[rnd]) for name, r in report["pair_ratios"].items()}
            name = max(pairs, key=pairs.get)
            print(f"worst page, {what}, 1M ÷ sample (median of pair ratios): {name} {pairs[name]:.2f} "
                  "(goal ≤ 1.3 on every page)")
            report[f"worst_{rnd}"] = (name, pairs[name])
    (out / f"page_switch_{'_'.join(dbs)}.json").write_text(json.dumps(report, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
