"""Download speed: one table of 100,000 rows written as .csv, .xlsx and .ods by today's
analytics/export.py, against the same writes by analytics/export.py as it was at a
baseline commit (before fitted widths and number formats), in this one run.

    python bench/export_bench.py [--rows 100000] [--repeat 3] [--baseline COMMIT] [--formats csv,xlsx,ods]

The table is what a CLI export of a big dataset looks like: a date, a unit name (CJK),
a count stored as float, a share, a score and an average, with a seeded RNG. Each
repetition times, in this order, the baseline then today's write of each format, in
this process. Prints every time, the medians and the ratio today ÷ baseline. The
baseline's .ods (pandas' odf writer, an odfpy element per cell) takes about 1.5 min
per write at 100,000 rows.
"""
from __future__ import annotations

import argparse
import importlib.util
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from analytics import export  # noqa: E402

BASELINE = "4c0a27df1247f787a4bce97f430b844052b312df"   # the last commit before the export formats
KINDS = {"件數": "count", "滿意度": "share", "總分": "score", "日期": "date"}


def baseline_module(commit: str):
    """analytics/export.py at ``commit``, loaded beside today's as analytics._export_baseline."""
    source = subprocess.run(["git", "show", f"{commit}:analytics/export.py"], cwd=ROOT, capture_output=True,
                            text=True, check=True).stdout
    spec = importlib.util.spec_from_loader("analytics._export_baseline", loader=None)
    module = importlib.util.module_from_spec(spec)
    module.__package__ = "analytics"
    exec(compile(source, f"{commit[:7]}:analytics/export.py", "exec"), module.__dict__)
    return module


def table(rows: int, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    units = np.array(["第一服務站", "板橋服務中心", "新莊所", "三重聯合服務處", "Tamsui office"])
    return pd.DataFrame({
        "日期": pd.Timestamp("2021-01-01") + pd.to_timedelta(rng.integers(0, 730, rows), unit="D"),
        "單位": units[rng.integers(0, len(units), rows)],
        "件數": rng.integers(0, 5000, rows).astype(float),
        "滿意度": rng.random(rows),
        "總分": np.round(rng.uniform(60, 100, rows), 1),
        "平均天數": rng.uniform(0, 30, rows),
    })


def timed(module, frame: pd.DataFrame, fmt: str) -> float:
    started = time.perf_counter()
    data = module.write_table(frame, fmt, [("年度", "2021")], kinds=KINDS)
    elapsed = time.perf_counter() - started
    assert len(data) > 1000
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--baseline", default=BASELINE, help="a commit whose analytics/export.py is the baseline")
    parser.add_argument("--formats", default="csv,xlsx,ods")
    args = parser.parse_args()
    base = baseline_module(args.baseline)
    frame = table(args.rows)
    times = {(who, fmt): [] for who in ("baseline", "today") for fmt in args.formats.split(",")}
    for rep in range(args.repeat):
        for fmt in args.formats.split(","):
            for who, module in (("baseline", base), ("today", export)):
                times[(who, fmt)].append(timed(module, frame, fmt))
                print(f"rep {rep + 1} {fmt:4} {who:8} {times[(who, fmt)][-1]:7.2f} s", flush=True)
    print(f"\n{args.rows:,} rows × {frame.shape[1]} columns, medians of {args.repeat} "
          f"(baseline {args.baseline[:7]}):")
    for fmt in args.formats.split(","):
        before, after = statistics.median(times[("baseline", fmt)]), statistics.median(times[("today", fmt)])
        print(f"  {fmt:4}  baseline {before:7.2f} s   today {after:7.2f} s   today ÷ baseline {after / before:5.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
