"""Issue 14, first row: the command-line import as a process ÷ a process that only reads
the same workbook with pandas and calamine, measured in pairs in one run.

    python bench/import_ratio.py [--rows 100000] [--reps 5] [--warmup 1] [--root OLDER_CHECKOUT …] [--out bench/out]

Each pair runs, in alternating order,
  ours:     python -m analytics import survey_<rows>.xlsx --db <a new temporary file>
  baseline: python -c "import pandas as pd; pd.read_excel(FILE, engine='calamine', sheet_name=None)"
on make_data's survey workbook (ROC text dates in two forms, office nicknames, Likert
words beside digits, blanks, a title row). Both get the same environment
(DASHBOARD_MAX_UPLOAD_MB raised so a 1M-row file passes the upload cap). Prints every
run, the medians with their spread, the median of the pair ratios (goal ≤ 1.0) and the
ratio of the medians, and each process's peak RSS with its children (wait4's
ru_maxrss, which covers the forked parsing child once it is reaped).

--root DIR (repeatable) adds the import of another checkout (an older version, e.g.
`git archive COMMIT | tar -x -C DIR`) to every pair, run beside the two above, and
prints its ratio to the same baseline: what a change bought, measured side by side.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import ENV, OUT, ROOT, machine, make_inputs, print_ratio, ratio_summary, spread  # noqa: E402


def timed_process(argv: list[str], cwd: Path) -> tuple[float, int, str]:
    """Wall seconds from spawn to reaping, peak RSS in kB of the process and its
    reaped children, and its stdout. Raises when it fails."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(argv, cwd=cwd, env=ENV, stdout=out, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        text = out.read().decode("utf-8", "replace")
        if proc.returncode != 0:
            raise RuntimeError(f"{argv[:4]}… exit {proc.returncode}: {err.read().decode('utf-8', 'replace')[-2000:]}")
    return elapsed, usage.ru_maxrss, text


def run_import(path: Path, rows: int, root: Path = ROOT) -> tuple[float, int]:
    with tempfile.TemporaryDirectory(prefix="bench_import_") as tmp:
        elapsed, peak, text = timed_process(
            [sys.executable, "-m", "analytics", "import", str(path), "--db", str(Path(tmp) / "fresh.duckdb")], root)
    if f"{rows:,}" not in text:
        raise RuntimeError(f"the import did not report {rows:,} rows: {text[-500:]}")
    return elapsed, peak


def run_baseline(path: Path) -> tuple[float, int]:
    code = f"import pandas as pd; pd.read_excel({str(path)!r}, engine='calamine', sheet_name=None)"
    elapsed, peak, _ = timed_process([sys.executable, "-c", code], ROOT)
    return elapsed, peak


def measure(path: Path, rows: int, reps: int, warmup: int, roots: list[Path] = ()) -> dict:
    for _ in range(warmup):   # page cache, .pyc files: not what either side is measured on
        run_baseline(path)
        run_import(path, rows)
        for root in roots:
            run_import(path, rows, root)
    ours, base, ours_peak, base_peak = [], [], [], []
    older = {str(root): [] for root in roots}
    for i in range(reps):
        for root in roots:   # between the pairs, so each pair stays back to back
            older[str(root)].append(run_import(path, rows, root)[0])
        order = ("baseline", "import") if i % 2 == 0 else ("import", "baseline")
        for which in order:
            if which == "import":
                t, peak = run_import(path, rows)
                ours.append(t)
                ours_peak.append(peak)
            else:
                t, peak = run_baseline(path)
                base.append(t)
                base_peak.append(peak)
        print(f"pair {i + 1}/{reps} ({order[0]} first): import {ours[-1]:.3f} s, baseline {base[-1]:.3f} s, "
              f"ratio {ours[-1] / base[-1]:.3f}; peak RSS import {ours_peak[-1] / 1024:.0f} MB, "
              f"baseline {base_peak[-1] / 1024:.0f} MB", flush=True)
    return {"file": path.name, "rows": rows, "reps": reps, "import_s": ours, "baseline_s": base,
            "older": {root: {"import_s": times, **ratio_summary(times, base)} for root, times in older.items()},
            "import_peak_mb": [p / 1024 for p in ours_peak], "baseline_peak_mb": [p / 1024 for p in base_peak],
            **ratio_summary(ours, base)}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rows", type=int, default=100_000, help="make_data's survey workbook of this many rows")
    ap.add_argument("--reps", type=int, default=5, help="pairs of runs (default 5)")
    ap.add_argument("--warmup", type=int, default=1, help="untimed pairs first (default 1)")
    ap.add_argument("--root", action="append", default=[], help="another checkout's import, timed in the same rounds")
    ap.add_argument("--out", default=str(OUT))
    args = ap.parse_args()
    out = Path(args.out)
    path = make_inputs((args.rows,), out=out)[f"survey_{args.rows}.xlsx"]
    print(f"machine: {machine()}")
    print(f"workbook: {path} ({path.stat().st_size / 1e6:.1f} MB, {args.rows:,} survey rows)", flush=True)
    r = measure(path, args.rows, args.reps, args.warmup, [Path(root).resolve() for root in args.root])
    print(f"import   {spread(r['import_s'])}; peak RSS median {statistics.median(r['import_peak_mb']):.0f} MB "
          f"(max {max(r['import_peak_mb']):.0f})")
    print(f"baseline {spread(r['baseline_s'])}; peak RSS median {statistics.median(r['baseline_peak_mb']):.0f} MB")
    print_ratio("import ÷ pandas+calamine read, as processes", r, " (goal ≤ 1.0)")
    for root, older in r["older"].items():
        print(f"import of {root}: {spread(older['import_s'])}")
        print_ratio(f"import of {root} ÷ the same baseline", older, "")
    (out / f"import_ratio_{args.rows}.json").write_text(json.dumps(r, indent=1))
    return r


if __name__ == "__main__":
    main()
