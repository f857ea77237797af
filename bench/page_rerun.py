"""Issue 22, fourth point: every page's rerun at 1,000,000 survey rows ÷ the same page's
rerun on the sample, and what the process behaviour charts add to each rerun at 1M
(issue 21: at most 10 %), all as ratios of runs taken in the same rounds.

    python bench/page_rerun.py [--reps 9] [--page PATH …] [--rebuild] [--out bench/out]

Databases (harness.build_db, shared with page_switch.py): the sample alone, and the
sample + make_data's 1M survey responses (.xlsx) + 1M case rows (.csv) imported through
`python -m analytics import`, the sample workbook imported again as an ordinary file.

Under Streamlit's AppTest, one app per variant, each with the years 2019–2023 in view
(the years every database fills): "sample", "1M", and "1M without charts" — the 1M
database with the process behaviour charts' section taken out of every page
(ui.behaviour's show, explain and verdict do nothing, and data.fetch hands back no
series for analytics.signals' functions, so neither their queries nor their drawing
run). Each app opens the page once (its queries run and are cached), then in every
round each variant reruns it, the order of the variants turning round by round. A
rerun is what a manager's every click on the page costs: the script again, every
figure from the cache.

Prints per page the median rerun of each variant with its min–max, the median of the
per-round ratios 1M ÷ sample (goal ≤ 1.3) and 1M ÷ 1M without charts (goal ≤ 1.10),
each with its min–max: once in wall seconds, and once in the CPU seconds the process
spent in the rerun (``time.process_time``: the script's thread and DuckDB's), which on
a busy machine say what the rerun does rather than how long it waited for a core.
"""
from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import time
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import OUT, ROOT, brief, build_db, machine, make_inputs, ratio_summary  # noqa: E402

sys.path.insert(0, str(ROOT))
from ui.registry import PAGES  # noqa: E402

VARIANTS = ("sample", "1M", "1M without charts")
YEARS = (2019, 2023)


@contextmanager
def without_charts():
    """The process behaviour charts' section out of every page, for the block."""
    from analytics import signals
    from ui import behaviour, data
    saved = (behaviour.show, behaviour.explain, behaviour.verdict, data.fetch)
    real_fetch = data.fetch

    def fetch(function, *args):
        if getattr(signals, function.__name__, None) is function:
            return []
        return real_fetch(function, *args)

    behaviour.show = behaviour.explain = lambda *a, **k: None
    behaviour.verdict = lambda *a, **k: []
    data.fetch = fetch
    try:
        yield
    finally:
        behaviour.show, behaviour.explain, behaviour.verdict, data.fetch = saved


def opened(page: str, db: Path):
    from streamlit.testing.v1 import AppTest
    os.environ["DASHBOARD_DB"] = str(db)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
    at.session_state["_years_span"] = YEARS
    at.run()
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def rerun(at, db: Path) -> tuple[float, float]:
    """Wall seconds of one rerun, and the CPU seconds this process spent in it (the
    script's thread, DuckDB's threads): on a busy machine the first mostly measures
    the waiting for a core, the second the work."""
    os.environ["DASHBOARD_DB"] = str(db)
    cpu, started = time.process_time(), time.perf_counter()
    at.run()
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    assert not at.exception, [e.value for e in at.exception]
    return elapsed, cpu


def measure(page: str, dbs: dict[str, Path], reps: int) -> tuple[dict[str, list[float]], dict[str, list[float]]]:
    """Per variant, the wall seconds and the CPU seconds of each rerun."""
    apps = {}
    for variant in VARIANTS:
        db = dbs["sample" if variant == "sample" else "1M"]
        if variant.endswith("without charts"):
            with without_charts():
                apps[variant] = opened(page, db)
        else:
            apps[variant] = opened(page, db)
    times, cpu = {v: [] for v in VARIANTS}, {v: [] for v in VARIANTS}
    for i in range(reps):
        order = VARIANTS[i % 3:] + VARIANTS[:i % 3]
        for variant in order:
            db = dbs["sample" if variant == "sample" else "1M"]
            if variant.endswith("without charts"):
                with without_charts():
                    wall, used = rerun(apps[variant], db)
            else:
                wall, used = rerun(apps[variant], db)
            times[variant].append(wall)
            cpu[variant].append(used)
    return times, cpu


def ratios(a: list[float], b: list[float]) -> tuple[float, float, float]:
    """The median of the pair ratios a ÷ b with their min and max."""
    r = ratio_summary(a, b)
    return r["median_ratio"], r["min_ratio"], r["max_ratio"]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--reps", type=int, default=9, help="rounds (default 9)")
    ap.add_argument("--page", action="append", help="a registered page's path (repeatable; default every page)")
    ap.add_argument("--rebuild", action="store_true", help="build the databases again")
    ap.add_argument("--out", default=str(OUT))
    args = ap.parse_args()
    out = Path(args.out).resolve()   # children run in bench/: a relative folder would be another one there
    out.mkdir(parents=True, exist_ok=True)
    logging.getLogger("streamlit").setLevel(logging.ERROR)
    files = make_inputs((1_000_000,), cases=True, out=out)
    dbs = {"sample": build_db(out / "switch_sample.duckdb", [], args.rebuild),
           "1M": build_db(out / "switch_1m.duckdb", [files["survey_1000000.xlsx"], files["cases_1000000.csv"]],
                          args.rebuild)}
    print(f"machine: {machine()}", flush=True)
    report = {"machine": machine(), "reps": args.reps, "pages": {}}
    pages = args.page or [p.path for p in PAGES]
    for page in pages:
        times, cpu = measure(page, dbs, args.reps)
        big, charts = ratios(times["1M"], times["sample"]), ratios(times["1M"], times["1M without charts"])
        big_cpu, charts_cpu = ratios(cpu["1M"], cpu["sample"]), ratios(cpu["1M"], cpu["1M without charts"])
        report["pages"][page] = {"times": times, "1M_over_sample": big, "with_over_without_charts": charts,
                                 "cpu": cpu, "cpu_1M_over_sample": big_cpu, "cpu_with_over_without_charts": charts_cpu}
        for label, t, b, c in (("wall", times, big, charts), ("cpu", cpu, big_cpu, charts_cpu)):
            cells = "  ".join(f"{v} {brief(x)}" for v, x in t.items())
            print(f"{page:<22} {label:<4} {cells}  | 1M ÷ sample {b[0]:.2f} ({b[1]:.2f}–{b[2]:.2f})"
                  f"  | charts: with ÷ without {c[0]:.2f} ({c[1]:.2f}–{c[2]:.2f})", flush=True)
    worst = max(report["pages"].items(), key=lambda kv: kv[1]["1M_over_sample"][0])
    heaviest = max(report["pages"].items(), key=lambda kv: kv[1]["with_over_without_charts"][0])
    print(f"worst page, rerun 1M ÷ sample: {worst[0]} {worst[1]['1M_over_sample'][0]:.2f} (goal ≤ 1.3 on every page)")
    worst_cpu = max(report["pages"].items(), key=lambda kv: kv[1]["cpu_1M_over_sample"][0])
    print(f"worst page by CPU seconds, rerun 1M ÷ sample: {worst_cpu[0]} {worst_cpu[1]['cpu_1M_over_sample'][0]:.2f}")
    print(f"most the charts add, rerun at 1M: {heaviest[0]} {heaviest[1]['with_over_without_charts'][0]:.2f} "
          "(goal ≤ 1.10 on every page)")
    load = os.getloadavg()
    print(f"load average after: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    (out / "page_rerun.json").write_text(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
