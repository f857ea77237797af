"""Where the time of `python -m analytics import FILE` goes: a timeline of the command
and its parse child, beside the baseline that only reads the file to Arrow.

    python bench/profile_import.py [--format xlsx|ods|xls|csv] [--rows 100000] [--reps 5] [--importtime] [--out bench/out]

Each round runs, in alternating order, the baseline of bench/import_ratio.py and an
instrumented import: a fresh process that does what analytics/__main__.py does (the
parse child started first, pyarrow told pandas is absent, then the command line),
with timers wrapped around the importer's steps from outside (analytics is not
edited). Every mark is seconds since the process's first line; the child writes its
own (forked, imports done, parse done, exit) to a side file. Prints the median of
each mark over the rounds, so the two processes' work can be read side by side: what
runs while the child parses, and what is left once it is done.

--importtime  `python -X importtime -m analytics import …` once, the parent's imports
              (each module's own time) summed by top-level package.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import ENV, OUT, ROOT, machine  # noqa: E402
from import_ratio import baseline_code, data_file  # noqa: E402

TIMELINE = r'''
import json, os, sys, time
T0 = time.time()
marks, seen = [], {}
side = os.environ["BENCH_SIDE_FILE"]
def mark(label):
    seen[label] = seen.get(label, 0) + 1
    marks.append((label if seen[label] == 1 else f"{label} ({seen[label]})", time.time() - T0))
from analytics import reader
mark("parent: reader imported")
_sheets, _child = reader._sheets, reader._child_parse
def sheets(*a, **k):
    with open(side, "a") as fh:
        fh.write(json.dumps(["child: imports done, parse starts", time.time() - T0]) + "\n")
    for item in _sheets(*a, **k):
        yield item
    with open(side, "a") as fh:
        fh.write(json.dumps(["child: parse done", time.time() - T0]) + "\n")
def child(*a, **k):
    with open(side, "a") as fh:
        fh.write(json.dumps(["child: forked", time.time() - T0]) + "\n")
    _child(*a, **k)
reader._sheets, reader._child_parse = sheets, child
reader.prestart(sys.argv[1])
mark("parent: child started (reader.prestart)")
from analytics.lean import arrow_without_pandas
arrow_without_pandas()
mark("parent: pyarrow imported")
from analytics import cli, importer, store
mark("parent: analytics.cli imported (duckdb, the datasets)")
def wrap(owner, name, label):
    real = getattr(owner, name)
    def timed(*a, **k):
        mark(label + " begins")
        try:
            return real(*a, **k)
        finally:
            mark(label + " ends")
    setattr(owner, name, timed)
for owner, name, label in [(store, "connect", "parent: open the database"),
                           (reader, "_wait", "parent: wait for the child"),
                           (reader, "_collect", "parent: zip/cell check, wait, map the child's Arrow"),
                           (importer, "guess_header", "parent: header recognition"),
                           (importer, "read_sheet", "parent: read_sheet (encode, parse distinct values)"),
                           (store, "write_batch", "parent: DuckDB write (one transaction, written at commit)")]:
    wrap(owner, name, label)
for ds in importer.DATASETS.values():
    real_finish = ds.finish
    def finish(data, real_finish=real_finish):
        mark("parent: finish (keys, Arrow table) begins")
        try:
            return real_finish(data)
        finally:
            mark("parent: finish (keys, Arrow table) ends")
    object.__setattr__(ds, "finish", finish)
code = cli.main(["import", sys.argv[1], "--db", sys.argv[2]])
mark("parent: done (os._exit)")
with open(side, "a") as fh:
    fh.write(json.dumps({"marks": marks, "code": code}) + "\n")
sys.stdout.flush()
os._exit(code)
'''


def timeline(path: Path) -> tuple[float, list[tuple[str, float]]]:
    with tempfile.TemporaryDirectory(prefix="bench_profile_") as tmp:
        side = Path(tmp) / "marks.jsonl"
        started = time.perf_counter()
        proc = subprocess.run([sys.executable, "-c", TIMELINE, str(path), str(Path(tmp) / "fresh.duckdb")], cwd=ROOT,
                              env={**ENV, "BENCH_SIDE_FILE": str(side)}, capture_output=True, text=True)
        elapsed = time.perf_counter() - started
        if proc.returncode != 0:
            raise RuntimeError(proc.stderr[-2000:])
        lines = [json.loads(line) for line in side.read_text().splitlines()]
    marks = next(line for line in lines if isinstance(line, dict))["marks"]
    marks += [tuple(line) for line in lines if isinstance(line, list)]
    return elapsed, marks


def baseline(path: Path, kind: str) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", baseline_code(path, kind)], cwd=ROOT, env=ENV, check=True)
    return time.perf_counter() - started


IMPORT_LINE = re.compile(r"import time:\s+(\d+) \|\s+(\d+) \| (\s*)(\S+)")


def by_package(stderr: str, top: int | None = None) -> list[tuple[str, float]]:
    """-X importtime's output as seconds of own time per top-level package."""
    by: dict[str, float] = {}
    for line in stderr.splitlines():
        m = IMPORT_LINE.match(line)
        if m:
            root = m[4].split(".")[0]
            by[root] = by.get(root, 0.0) + int(m[1]) / 1e6
    ranked = sorted(by.items(), key=lambda kv: -kv[1])
    return ranked[:top] if top else ranked


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--format", default="xlsx", choices=("xlsx", "ods", "xls", "csv"))
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--importtime", action="store_true")
    ap.add_argument("--out", default=str(OUT))
    args = ap.parse_args()
    out = Path(args.out).resolve()   # children run in bench/: a relative folder would be another one there
    out.mkdir(parents=True, exist_ok=True)
    path = data_file(out, args.rows, args.format)
    print(f"machine: {machine()}\nfile: {path.name}", flush=True)
    timeline(path)                                     # warm the page cache and .pyc files
    baseline(path, args.format)
    runs, base = [], []
    for i in range(args.reps):
        for which in (("baseline", "import") if i % 2 == 0 else ("import", "baseline")):
            if which == "import":
                runs.append(timeline(path))
            else:
                base.append(baseline(path, args.format))
        print(f"round {i + 1}/{args.reps}: import {runs[-1][0]:.3f} s, baseline {base[-1]:.3f} s", flush=True)
    labels = [label for label, _ in sorted(runs[0][1], key=lambda m: m[1])]
    print(f"\nmarks, seconds since the import process's first line (median of {args.reps}; min–max):")
    for label in labels:
        values = [dict(r[1]).get(label) for r in runs]
        values = [v for v in values if v is not None]
        print(f"  {statistics.median(values):7.3f}  ({min(values):.3f}–{max(values):.3f})  {label}")
    totals = [r[0] for r in runs]
    print(f"import process, spawn to reaped: median {statistics.median(totals):.3f} s "
          f"({min(totals):.3f}–{max(totals):.3f}); baseline median {statistics.median(base):.3f} s "
          f"({min(base):.3f}–{max(base):.3f})")
    report = {"machine": machine(), "file": path.name, "runs": runs, "baseline_s": base}
    if args.importtime:
        with tempfile.TemporaryDirectory() as tmp:
            proc = subprocess.run([sys.executable, "-X", "importtime", "-m", "analytics", "import", str(path), "--db",
                                   str(Path(tmp) / "x.duckdb")], cwd=ROOT, env=ENV, capture_output=True, text=True)
        found = by_package(proc.stderr)
        report["importtime"] = found
        print(f"\n-X importtime of the command (the parent's imports; the child's stderr is closed): "
              f"{sum(s for _, s in found):.3f} s in all, own time by package:")
        for name, s in found[:14]:
            print(f"  {name:<24}{s:>8.3f}")
    (out / f"profile_import_{args.format}_{args.rows}.json").write_text(json.dumps(report, indent=1,
                                                                                   ensure_ascii=False))


if __name__ == "__main__":
    os.environ.setdefault("PYTHONDONTWRITEBYTECODE", "")
    main()
