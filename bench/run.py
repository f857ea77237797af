"""The benchmark suite: each figure of bench/RESULTS.md by its own script, one after
another, every ratio against a baseline measured in the same run, in alternating
pairs, with its median and spread.

    python bench/run.py [--reps 7] [--only ratio,memory,cold,rerun,switch] [--out bench/out]

1. ratio:  bench/import_ratio.py --format xlsx --format ods --format xls --format csv
           — `python -m analytics import` of 100,000 survey rows ÷ a process that only
           reads the same file to Arrow.
2. memory: bench/import_ratio.py --rows 1000000 --memory — the peak memory of the
           1,000,000-row import, the command and its parse child together.
3. cold:   bench/cold_start.py — `streamlit run app.py` to the first chart drawn in
           Chromium ÷ the same for a one-chart app.
4. rerun:  bench/page_rerun.py — every page's rerun at 1M survey rows ÷ on the sample,
           and with ÷ without the process behaviour charts.
5. switch: bench/page_switch.py — a click in the sidebar to the page's charts drawn in
           Chromium, 1M ÷ sample.

Each prints the machine and the load average it started under; run it on a quiet
machine (`uptime`), as the figures in RESULTS.md were.
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PARTS = ("ratio", "memory", "cold", "rerun", "switch")


def scripts(reps: int) -> dict[str, list[str]]:
    return {
        "ratio": ["bench/import_ratio.py", "--reps", str(reps), *(a for f in ("xlsx", "ods", "xls", "csv")
                                                                   for a in ("--format", f))],
        "memory": ["bench/import_ratio.py", "--rows", "1000000", "--reps", "3", "--warmup", "0", "--memory"],
        "cold": ["bench/cold_start.py", "--reps", str(reps)],
        "rerun": ["bench/page_rerun.py", "--reps", str(max(reps, 9))],
        "switch": ["bench/page_switch.py", "--reps", str(min(reps, 3))],
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--reps", type=int, default=7)
    ap.add_argument("--only", default=",".join(PARTS), help="comma-separated parts to run")
    ap.add_argument("--out", default=str(ROOT / "bench" / "out"))
    args = ap.parse_args()
    for part, argv in scripts(args.reps).items():
        if part not in args.only.split(","):
            continue
        print(f"== {part}: python {' '.join(argv)}  ({time.strftime('%H:%M')})", flush=True)
        subprocess.run([sys.executable, *argv, "--out", args.out], cwd=ROOT, check=True)
    print("== done", flush=True)


if __name__ == "__main__":
    main()
