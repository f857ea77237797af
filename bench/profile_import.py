"""Where the time of `python -m analytics import` goes, phase by phase, against where
the baseline process's time goes (issue 14, first row).

    python bench/profile_import.py [--rows 100000] [--reps 5] [--importtime] [--cprofile] [--out bench/out]

Runs, in alternating pairs, two instrumented fresh processes on make_data's workbook:
  import:   the CLI's main(["import", FILE, "--db", <new file>]) with the importer's
            functions wrapped in timers (analytics is not edited: the wrappers are set
            on its modules from outside, before main runs);
  baseline: import pandas, then pd.read_excel(FILE, engine="calamine", sheet_name=None).
Each process notes the wall clock when its first line runs, after its imports, around
every phase and before it exits; this process notes the spawn and the reaping. So every
second from spawn to exit lands in one row: interpreter start, imports, the phases,
and interpreter teardown. The forked parsing child writes its own marks to a side file.
Prints the median of every phase, its share, and the spread of the totals.

--root DIR    profile the code in DIR instead of this checkout (an older version, e.g.
              `git archive COMMIT | tar -x -C DIR`), to see what a change bought, phase by
              phase, against the same baseline in the same run.
--importtime  `python -X importtime -c "import analytics.cli"` and the baseline's imports,
              each module's own time summed by top-level package (medians of 5).
--cprofile    the import in one process (parse in process) under cProfile, the 25
              functions with the most own time; the full listing goes to --out.
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

from harness import ENV, OUT, ROOT, machine, make_inputs  # noqa: E402

# ---------------------------------------------------------------- in the child processes

CHILD_IMPORT = r'''
import time, json, os, sys
T = {"start": time.time()}
from analytics import cli
T["imported"] = time.time()
from analytics import importer, reader, store
from analytics.datasets import DATASETS, base, survey_responses
marks = []                     # (phase, start, end) in the import process
side = os.environ["BENCH_SIDE_FILE"]


def timer(owner, name, label=None, attr=None):
    original = getattr(owner, name)
    def wrapped(*a, **k):
        started = time.time()
        try:
            return original(*a, **k)
        finally:
            marks.append((label or name, started, time.time()))
    setattr(owner, name, wrapped)


for owner, name, label in [
        (importer, "file_hash", "sha256 of the file"),
        (store, "connect", "open database + migrate schema"),
        (store, "active_batch_with_hash", "look up identical batch"),
        (store, "settings", "read settings"),
        (importer, "read_workbook", "read_workbook (total)"),
        (reader, "_inspect_zip", "zip check: declared sizes"),
        (reader, "_check_real_sizes", "zip check: inflate every entry"),
        (reader, "_parse_isolated", "_parse_isolated (total)"),
        (reader, "_wait", "parent waits for the child"),
        (importer, "guess_header", "header recognition"),
        (importer, "read_sheet", "read_sheet (total)"),
        (base, "encode", "read_sheet: dictionary-encode columns"),
        (importer, "_check_across_sheets", "checks across sheets"),
        (importer.Parsed, "frames", "join frames"),
        (base, "make_key", "key building: make_key"),
        (base, "flag_duplicate_keys", "key building: duplicate check"),
        (store, "write_batch", "DuckDB insert (write_batch)"),
        (importer, "import_file", "import_file (total)"),
        (importer, "parse_then_import", "parse_then_import (total)")]:
    timer(owner, name, label)

_connection = cli._connection
def timed_connection(db):
    inner = _connection(db)
    class Timed:
        def __enter__(self):
            return inner.__enter__()
        def __exit__(self, *exc):
            started = time.time()
            try:
                return inner.__exit__(*exc)
            finally:
                marks.append(("close connection (checkpoint)", started, time.time()))
    return Timed()
cli._connection = timed_connection

_convert = base.convert_codes
def convert_codes(codes, uniques, parser):
    started = time.time()
    try:
        return _convert(codes, uniques, parser)
    finally:
        marks.append((f"read_sheet: parse {parser.__name__} ({len(uniques):,} distinct)", started, time.time()))
base.convert_codes = convert_codes

ds = DATASETS["survey_responses"]
_finish = ds.finish
def finish(data):
    started = time.time()
    try:
        return _finish(data)
    finally:
        marks.append(("finish (total)", started, time.time()))
object.__setattr__(ds, "finish", finish)

# The forked child: its marks go to the side file (it leaves by os._exit).
_parse, _child_parse, _real_exit = reader._parse, reader._child_parse, os._exit
def parse(path, name, kind):
    started = time.time()
    result = _parse(path, name, kind)
    with open(side, "a") as fh:
        fh.write(json.dumps(["child: fastexcel parse to Arrow", started, time.time()]) + "\n")
    return result
def child_parse(path, name, kind, out):
    with open(side, "a") as fh:
        fh.write(json.dumps(["child: starts", time.time(), time.time()]) + "\n")
    return _child_parse(path, name, kind, out)
def leave(code):
    with open(side, "a") as fh:
        fh.write(json.dumps(["child: exits", time.time(), time.time()]) + "\n")
    _real_exit(code)
reader._parse, reader._child_parse, os._exit = parse, child_parse, leave

T["main"] = time.time()
code = cli.main(["import", sys.argv[1], "--db", sys.argv[2]])
T["end"] = time.time()
with open(side, "a") as fh:
    fh.write(json.dumps({"T": T, "marks": marks, "code": code}) + "\n")
# leave as this checkout's analytics/__main__.py does: by os._exit (no interpreter
# teardown) where it does so, else through sys.exit
sys.stdout.flush()
sys.stderr.flush()
if "os._exit" in open(os.path.join(os.path.dirname(cli.__file__), "__main__.py"), encoding="utf-8").read():
    _real_exit(code)
sys.exit(code)
'''

CHILD_BASELINE = r'''
import time, json, os, sys
T = {"start": time.time()}
import pandas as pd
T["imported"] = time.time()
pd.read_excel(sys.argv[1], engine="calamine", sheet_name=None)
T["end"] = time.time()
with open(os.environ["BENCH_SIDE_FILE"], "a") as fh:
    fh.write(json.dumps({"T": T, "marks": [["pandas.read_excel(calamine)", T["imported"], T["end"]]], "code": 0}) + "\n")
'''


CODE = ROOT      # the checkout whose analytics is profiled (--root)


def run_child(code: str, args: list[str]) -> dict:
    """Spawn, reap, and read back the child's marks."""
    with tempfile.TemporaryDirectory(prefix="bench_profile_") as tmp:
        side = Path(tmp) / "marks.jsonl"
        env = {**ENV, "BENCH_SIDE_FILE": str(side), "PYTHONPATH": str(CODE)}
        spawned = time.time()
        proc = subprocess.Popen([sys.executable, "-c", code, *args], cwd=CODE, env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        _, status, usage = os.wait4(proc.pid, 0)
        reaped = time.time()
        err = proc.stderr.read().decode("utf-8", "replace")
        proc.stderr.close()
        if os.waitstatus_to_exitcode(status) != 0:
            raise RuntimeError(err[-2000:])
        lines = [json.loads(line) for line in side.read_text().splitlines()]
    summary = next(line for line in lines if isinstance(line, dict))
    child = {name: (a, b) for name, a, b in (line for line in lines if isinstance(line, list))}
    return {"spawned": spawned, "reaped": reaped, "T": summary["T"], "marks": summary["marks"], "child": child,
            "peak_mb": usage.ru_maxrss / 1024}


def phases_import(run: dict) -> dict[str, float]:
    """Seconds per phase: exclusive where phases nest, so the rows add up to the total."""
    T, child = run["T"], run["child"]
    total = {}
    for name, a, b in run["marks"]:
        total[name] = total.get(name, 0.0) + (b - a)
    out = {}
    out["interpreter start (spawn → first line)"] = T["start"] - run["spawned"]
    out["imports (analytics.cli and all it pulls in)"] = T["imported"] - T["start"]
    out["instrumentation set-up"] = T["main"] - T["imported"]
    out["sha256 of the file (×2: parse_then_import and parse_file)"] = total["sha256 of the file"]
    out["open database ×2 (the first makes and migrates the new file)"] = total["open database + migrate schema"]
    out["look up identical batch + read settings"] = total["look up identical batch"] + total["read settings"]
    count = next(((a, b) for name, a, b in run["marks"] if name == "zip check: inflate every entry"), None)
    inspect = next((a, b) for name, a, b in run["marks"] if name == "zip check: declared sizes")
    before_fork = count is not None and count[1] <= inspect[1]      # older code: counted inside _inspect_zip
    zip_declared = total["zip check: declared sizes"]
    out["zip check: declared sizes (before the fork)"] = zip_declared - (count[1] - count[0] if before_fork else 0)
    out["zip check: inflate every entry, before the fork (older code)"] = count[1] - count[0] if before_fork else 0.0
    # the forked child, seen from the parent: the parent inflates every entry of the zip
    # meanwhile (the real-size count), then waits; only what is on the critical path counts
    c_start = child["child: starts"][0]
    c_parse = child["child: fastexcel parse to Arrow"]
    c_exit = child["child: exits"][0]
    wait_mark = next((a, b) for name, a, b in run["marks"] if name == "parent waits for the child")
    iso_mark = next((a, b) for name, a, b in run["marks"] if name == "_parse_isolated (total)")
    if before_fork:
        count = None
    out["fork (parent: temp dir + fork until the child runs)"] = c_start - iso_mark[0]
    out["child: memory cap + set-up before parsing"] = c_parse[0] - c_start
    out["child: fastexcel parse to Arrow"] = c_parse[1] - c_parse[0]
    out["child: write Arrow IPC files + exit"] = c_exit - c_parse[1]
    ready = max(c_exit, count[1]) if count else c_exit
    out["parent: real-size count still running after the child exited"] = ready - c_exit
    out["parent: notices the child's exit"] = wait_mark[1] - ready
    out["parent: map Arrow files back + combine chunks"] = iso_mark[1] - wait_mark[1]
    run.setdefault("beside", {})["real-size count"] = (count[1] - count[0]) if count else 0.0
    out["read_workbook: the rest (size, magic bytes)"] = total["read_workbook (total)"] - zip_declared - (iso_mark[1] - iso_mark[0])
    out["header recognition"] = total["header recognition"]
    encode = total["read_sheet: dictionary-encode columns"]
    parses = {k: v for k, v in total.items() if k.startswith("read_sheet: parse ")}
    out["read_sheet: dictionary-encode columns (Arrow)"] = encode
    for k, v in sorted(parses.items(), key=lambda kv: -kv[1]):
        out[k] = v
    out["read_sheet: the rest (blank/total rows, flags, raw copies)"] = total["read_sheet (total)"] - encode - sum(parses.values())
    keys = total["key building: make_key"] + total["key building: duplicate check"]
    out["key building: make_key"] = total["key building: make_key"]
    out["key building: duplicate-key check"] = total["key building: duplicate check"]
    out["finish: dates to datetime64, Int8 columns, DataFrame"] = total["finish (total)"] - keys
    out["checks across sheets + join frames"] = total["checks across sheets"] + total["join frames"]
    accounted = sum(total[k] for k in ("sha256 of the file", "look up identical batch", "read settings",
                                       "read_workbook (total)", "header recognition", "read_sheet (total)",
                                       "finish (total)", "checks across sheets", "join frames",
                                       "DuckDB insert (write_batch)", "open database + migrate schema",
                                       "close connection (checkpoint)"))
    out["parse_then_import: the rest (notices, results)"] = total["parse_then_import (total)"] - accounted
    out["DuckDB insert (write_batch: one transaction)"] = total["DuckDB insert (write_batch)"]
    out["close the two connections (the last one checkpoints)"] = total["close connection (checkpoint)"]
    out["cli: print"] = (T["end"] - T["main"]) - total["parse_then_import (total)"]
    out["leaving: teardown (older code) or os._exit, until reaped"] = run["reaped"] - T["end"]
    return out


def phases_baseline(run: dict) -> dict[str, float]:
    T = run["T"]
    return {"interpreter start (spawn → first line)": T["start"] - run["spawned"],
            "import pandas": T["imported"] - T["start"],
            "pandas.read_excel(calamine, sheet_name=None)": T["end"] - T["imported"],
            "interpreter teardown (main returns → reaped)": run["reaped"] - T["end"]}


def table(runs: list[dict[str, float]], totals: list[float], title: str):
    names = list(runs[0])
    med_total = statistics.median(totals)
    print(f"\n{title}: total median {med_total:.3f} s (min {min(totals):.3f} – max {max(totals):.3f}, n={len(totals)})")
    print(f"{'phase':<66}{'median s':>10}{'share':>8}")
    rows = []
    for name in names:
        values = [r.get(name, 0.0) for r in runs]
        m = statistics.median(values)
        rows.append((name, m, m / med_total))
        print(f"{name:<66}{m:>10.3f}{m / med_total:>8.1%}")
    print(f"{'(sum of medians)':<66}{sum(m for _, m, _ in rows):>10.3f}")
    return rows


# ---------------------------------------------------------------- -X importtime

def importtime(code: str, top: int | None = 14, runs: int = 5) -> list[tuple[str, float]]:
    """Seconds spent importing ``code``, by top-level package: each module's own time
    (without the imports it makes) added to its package, so the rows sum to the total;
    the median of ``runs`` processes after one to warm up."""
    found = []
    for _ in range(runs + 1):
        proc = subprocess.run([sys.executable, "-X", "importtime", "-c", code], cwd=CODE,
                              env={**ENV, "PYTHONPATH": str(CODE)},
                              capture_output=True, text=True, check=True)
        found.append(dict(by_package(proc.stderr)))
    found = found[1:]
    ranked = sorted(((name, statistics.median(f.get(name, 0.0) for f in found)) for name in found[0]),
                    key=lambda kv: -kv[1])
    return ranked[:top] if top else ranked


IMPORT_LINE = re.compile(r"import time:\s+(\d+) \|\s+(\d+) \| (\s*)(\S+)")


def by_package(stderr: str, top: int | None = None) -> list[tuple[str, float]]:
    by: dict[str, float] = {}
    for line in stderr.splitlines():
        m = IMPORT_LINE.match(line)
        if m:
            root = m[4].split(".")[0]
            by[root] = by.get(root, 0.0) + int(m[1]) / 1e6
    ranked = sorted(by.items(), key=lambda kv: -kv[1])
    return ranked[:top] if top else ranked


def cprofile(path: Path, out: Path, top: int = 25):
    code = f"""
import cProfile, pstats, os, tempfile, io
os.environ["DASHBOARD_PARSE_IN_PROCESS"] = "1"
from analytics import importer, store
db = os.path.join(tempfile.mkdtemp(), "p.duckdb")
con = store.connect(db)
prof = cProfile.Profile()
prof.enable()
importer.import_file(con, {str(path)!r})
prof.disable()
con.close()
prof.dump_stats({str(out / 'import.prof')!r})
s = io.StringIO()
pstats.Stats(prof, stream=s).sort_stats("tottime").print_stats({top})
print(s.getvalue())
s = io.StringIO()
pstats.Stats(prof, stream=s).sort_stats("cumulative").print_stats(40)
open({str(out / 'import_cprofile_cumulative.txt')!r}, "w").write(s.getvalue())
"""
    proc = subprocess.run([sys.executable, "-c", code], cwd=CODE, env={**ENV, "PYTHONPATH": str(CODE)},
                          capture_output=True, text=True, check=True)
    (out / "import_cprofile_tottime.txt").write_text(proc.stdout)
    print(proc.stdout[proc.stdout.find("   ncalls"):][:6000])


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--reps", type=int, default=5, help="pairs of runs (default 5)")
    ap.add_argument("--importtime", action="store_true")
    ap.add_argument("--cprofile", action="store_true")
    ap.add_argument("--out", default=str(OUT))
    ap.add_argument("--root", default=str(ROOT), help="the checkout to profile (default: this one)")
    args = ap.parse_args()
    global CODE
    CODE = Path(args.root).resolve()
    out = Path(args.out)
    path = make_inputs((args.rows,), out=out)[f"survey_{args.rows}.xlsx"]
    print(f"machine: {machine()}\nworkbook: {path.name}, {args.rows:,} rows; code: {CODE}", flush=True)

    ours, base = [], []
    for i in range(args.reps + 1):     # the first pair warms the page cache and .pyc files, untimed
        order = ("baseline", "import") if i % 2 == 0 else ("import", "baseline")
        for which in order:
            with tempfile.TemporaryDirectory(prefix="bench_profile_db_") as tmp:
                if which == "import":
                    run = run_child(CHILD_IMPORT, [str(path), str(Path(tmp) / "fresh.duckdb")])
                    if i:
                        ours.append(run)
                else:
                    run = run_child(CHILD_BASELINE, [str(path)])
                    if i:
                        base.append(run)
        if i:
            print(f"pair {i}/{args.reps}: import {ours[-1]['reaped'] - ours[-1]['spawned']:.3f} s, "
                  f"baseline {base[-1]['reaped'] - base[-1]['spawned']:.3f} s", flush=True)
    ours_t = [r["reaped"] - r["spawned"] for r in ours]
    base_t = [r["reaped"] - r["spawned"] for r in base]
    rows_import = table([phases_import(r) for r in ours], ours_t, "import (instrumented)")
    beside = [r.get("beside", {}).get("real-size count", 0.0) for r in ours]
    print(f"(in the parent, beside the child's parse and not in the rows above: the zip's real-size count, "
          f"median {statistics.median(beside):.3f} s)")
    rows_base = table([phases_baseline(r) for r in base], base_t, "baseline (pandas + calamine)")
    ratios = sorted(a / b for a, b in zip(ours_t, base_t))
    print(f"\nratio import ÷ baseline (instrumented processes): median of pairs {statistics.median(ratios):.2f} "
          f"(min {ratios[0]:.2f} – max {ratios[-1]:.2f})")
    report = {"machine": machine(), "rows": args.rows, "import": rows_import, "baseline": rows_base,
              "import_total_s": ours_t, "baseline_total_s": base_t}

    if args.importtime:
        by_package_all = {}
        for label, code in (("import analytics.cli", "import analytics.cli"),
                            ("baseline: import pandas, python_calamine", "import pandas, python_calamine")):
            found = importtime(code, top=None)
            by_package_all[label] = found
            found = found[:14]
            print(f"\n-X importtime, {label}: {sum(s for _, s in by_package_all[label]):.3f} s in all; "
                  "own time of modules by package (s)")
            for name, s in found:
                print(f"  {name:<24}{s:>8.3f}")
            report[f"importtime: {label}"] = found
    if args.cprofile:
        print("\ncProfile of importer.import_file in one process (parse in process), by own time:")
        cprofile(path, out)
    (out / f"profile_import_{args.rows}{'' if CODE == ROOT else '_' + CODE.name}.json").write_text(json.dumps(report, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
